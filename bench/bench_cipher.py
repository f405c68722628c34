"""The encrypted store's cost (issue 12 item 9): answer write + re-evaluation p95 and opening the
100-person visit, on the SQLCipher store the app uses and on the same schema unencrypted, side by side.

Run as `.venv/bin/python bench/bench_cipher.py`. The unencrypted store is built here only, for the
comparison: the same migrations and pragmas through the bare sqlite3 module (the app itself can no
longer open a plaintext store, it converts it). Also printed: opening the store (unwrapping the key
from the OS key store or the passphrase), the floor of one single-row commit in each, Argon2id, and
reading one sealed photo (decrypted in memory) beside the plain file read.
Nothing is asserted; the targets are printed beside the figures.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3
from PIL import Image
from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import (
    ANSWER_FORM,
    ANSWER_P95_TARGET_MS,
    LOAD_TARGET_MS,
    LOADS,
    PERSONS,
    build_visit,
    line,
    ms,
    percentile,
    time_answers,
    timed,
)

from inspector_app.forms.loader import load_all_forms
from inspector_app.paths import app_paths
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.visit.session import VisitSession
from inspector_app.settings import load_settings
from inspector_app.storage import cipher, media_files, store_key
from inspector_app.storage.db import APPLICATION_ID, PRAGMAS, device_id
from inspector_app.storage.schema import migrations
from inspector_app.storage.unlock_request import Unlock

PASSPHRASE = "bench-passphrase-not-secret"
COMMITS = 300


def plaintext_app(folder: Path) -> AppContext:
    """The app's schema and pragmas on an unencrypted connection (for the comparison only)."""
    paths = app_paths(folder).ensure()
    connection = sqlite3.connect(str(paths.database), timeout=5.0, isolation_level="DEFERRED")
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    db = Database(connection)
    migrations.apply(db)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', 'bench-plain')")
    settings = load_settings(paths.settings_file).settings
    return AppContext(paths, db, settings, device_id(db))


def commit_floor(connection: sqlite3.Connection) -> float:
    """p95 of a one-row transaction, WAL + synchronous=FULL."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE rows (a TEXT, b TEXT)")
    timings = []
    for index in range(COMMITS):
        start = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO rows VALUES (?, ?)", (f"PB-{index}", '"waarneming ter plaatse"'))
        connection.execute("COMMIT")
        timings.append(time.perf_counter() - start)
    connection.close()
    return percentile(timings, 0.95)


def measure(app: AppContext, label: str) -> tuple[float, float]:
    forms = load_all_forms()
    form = forms.get(ANSWER_FORM) or max(forms.values(), key=lambda f: len(f.questions))
    rng = random.Random(2026)
    visit_id, writes, seconds = build_visit(app, form, rng, PERSONS)
    line(f"{label}: setup", f"{writes:,} writes", f"({seconds:.1f} s)")
    timings, _cpu = time_answers(app, form, visit_id, rng)
    loads = timed(lambda: VisitSession(app, visit_id), LOADS)
    return percentile(timings, 0.95), statistics.median(loads)


def photo_reads(folder: Path, runs: int = 50) -> tuple[float, float]:
    """Median seconds to read one 2048 px JPEG: sealed (read + AES-GCM open in memory) and plain (floor)."""
    output = io.BytesIO()
    Image.effect_noise((2048, 1536), 60).convert("RGB").save(output, format="JPEG", quality=85)
    image = output.getvalue()
    key = os.urandom(32)
    name = f"{hashlib.sha256(image).hexdigest()}.jpg"
    (folder / "plain.jpg").write_bytes(image)
    (folder / name).write_bytes(media_files.seal_photo(key, name, image))

    def median(read: Callable[[], bytes]) -> float:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            assert read() == image
            timings.append(time.perf_counter() - start)
        return statistics.median(timings)

    sealed = median(lambda: media_files.open_photo(key, name, (folder / name).read_bytes()))
    return sealed, median((folder / "plain.jpg").read_bytes)


def main() -> int:
    print("inspector_app encrypted store benchmark (SQLCipher vs the same schema unencrypted)")
    print(
        f"  python {sys.version.split()[0]}, sqlcipher {sqlcipher3.sqlite_version}, {os.cpu_count()} cpu(s)"
    )
    with tempfile.TemporaryDirectory(prefix="inspector-bench-cipher-") as tmp:
        folder = Path(tmp)
        plain_floor = commit_floor(sqlite3.connect(str(folder / "floor-plain.sqlite3"), isolation_level=None))
        encrypted_connection = cipher.connect(folder / "floor-enc.sqlite3", os.urandom(32))
        encrypted_connection.isolation_level = None
        encrypted_floor = commit_floor(encrypted_connection)

        start = time.perf_counter()
        encrypted = open_app(folder / "encrypted", unlock=Unlock(passphrase=PASSPHRASE))
        create_seconds = time.perf_counter() - start
        encrypted.close()
        start = time.perf_counter()
        encrypted = open_app(folder / "encrypted", unlock=Unlock(passphrase=PASSPHRASE, passphrase_only=True))
        open_seconds = time.perf_counter() - start
        try:
            enc_p95, enc_load = measure(encrypted, "encrypted")
        finally:
            encrypted.close()
        plain = plaintext_app(folder / "plain")
        try:
            plain_p95, plain_load = measure(plain, "unencrypted")
        finally:
            plain.close()

        sealed_read, plain_read = photo_reads(folder)

        salt = os.urandom(16)
        start = time.perf_counter()
        store_key.derive_passphrase_kek(PASSPHRASE, salt, dict(store_key.ARGON2))
        argon_seconds = time.perf_counter() - start

    print("\nSUMMARY                                    encrypted    unencrypted   target")
    print(
        f"  answer write + re-evaluation p95 ({PERSONS} p)  {ms(enc_p95):>10}   {ms(plain_p95):>10}"
        f"   <= {ANSWER_P95_TARGET_MS:g} ms"
    )
    print(
        f"  open the {PERSONS}-person visit (median)      {ms(enc_load):>10}   {ms(plain_load):>10}"
        f"   <= {LOAD_TARGET_MS:g} ms"
    )
    print(f"  read one 2048 px photo (median; floor)   {ms(sealed_read):>10}   {ms(plain_read):>10}")
    print(f"  single-row commit p95 (floor)            {ms(encrypted_floor):>10}   {ms(plain_floor):>10}")
    print(f"  open the store, passphrase (Argon2id)    {ms(open_seconds):>10}")
    print(f"  create a store (new key, key file)       {ms(create_seconds):>10}")
    params = store_key.ARGON2
    print(
        f"  Argon2id alone (t={params['time_cost']}, m={params['memory_cost'] // 1024} MiB, "
        f"p={params['parallelism']})  {ms(argon_seconds):>10}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
