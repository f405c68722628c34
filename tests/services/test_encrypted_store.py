"""The encrypted store (issue 12 item 1): no file of the data folder shows a stored text, the standard
sqlite3 module cannot open the database, and a plaintext store is converted in place crash-safely."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from inspector_app.storage import cipher
from inspector_app.storage.db import APPLICATION_ID, snapshots_of
from inspector_app.storage.store_key import key_file_of
from tests.services.test_retention import SECRETS, _finalised_visit, _scan

ROOT = Path(__file__).resolve().parents[2]


def test_no_file_in_the_data_folder_shows_a_stored_text(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = open_app(data)
    app.settings.profile.name = "Toezichthouder 1001"
    try:
        _finalised_visit(app, tmp_path)
        app.db.execute(
            "VACUUM INTO ?", [str(data / "inspector.before-migration-v9-20260101T000000Z.sqlite3")]
        )
        assert (data / "inspector.sqlite3-wal").stat().st_size > 0  # the WAL holds the latest pages
        found: dict[str, list[str]] = {name: [] for name in [*SECRETS, "kept"]}
        for path in sorted(data.rglob("*")):
            if path.is_file():
                raw = path.read_bytes()
                for name, text in SECRETS.items():
                    if text.encode("utf-8") in raw:
                        found[name].append(path.name)
        assert found == {name: [] for name in [*SECRETS, "kept"]}
        # with the key in hand the same scan finds them: the texts were stored, and encrypted
        assert all(_scan(data)[name] for name in SECRETS)
    finally:
        app.close()
    for database in (data / "inspector.sqlite3", *snapshots_of(data / "inspector.sqlite3")):
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master").fetchone()


def _plaintext_store(data: Path, tmp_path: Path) -> str:
    """A store as the app made it before encryption: a plaintext SQLite file (and a plaintext snapshot)."""
    app = open_app(data)
    app.settings.profile.name = "Toezichthouder 1001"
    try:
        visit_id = _finalised_visit(app, tmp_path)
        # the store is encrypted now; decrypt it into the form the app wrote before encryption
        database = app.paths.database
        app.db.execute("ATTACH DATABASE ? AS plain KEY ''", [str(tmp_path / "plain.sqlite3")])
        app.db.execute("SELECT sqlcipher_export('plain')")
        version = app.db.execute("PRAGMA user_version").fetchone()[0]
        app.db.execute(f"PRAGMA plain.user_version = {version}")
        app.db.execute(f"PRAGMA plain.application_id = {APPLICATION_ID}")
        app.db.execute("DETACH DATABASE plain")
    finally:
        app.close()
    for suffix in ("", "-wal", "-shm", ".key"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    (tmp_path / "plain.sqlite3").replace(database)
    raw = sqlite3.connect(database)  # the old app's WAL store
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    (data / "inspector.before-migration-v9-20260101T000000Z.sqlite3").write_bytes(database.read_bytes())
    with raw:
        raw.execute("INSERT INTO meta (key, value) VALUES ('probe', 'in-de-wal')")
    # a frame still in the WAL when the old app stopped: copy the files as a crash would leave them
    crashed = {suffix: database.with_name(database.name + suffix).read_bytes() for suffix in ("", "-wal")}
    raw.close()
    for suffix, content in crashed.items():
        database.with_name(database.name + suffix).write_bytes(content)
    return visit_id


def test_a_plaintext_store_is_converted_in_place_and_the_plaintext_is_gone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    visit_id = _plaintext_store(data, tmp_path)
    assert all(_scan_raw(data)[name] for name in ("answer", "note"))
    app = open_app(data)
    try:
        assert app.db.execute("SELECT count(*) FROM visits WHERE id = ?", [visit_id]).fetchone()[0] == 1
        assert app.db.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone()[0] == "in-de-wal"
    finally:
        app.close()
    assert _scan_raw(data) == {name: [] for name in SECRETS}
    assert not cipher.is_plaintext(data / "inspector.sqlite3")
    assert not list(data.glob("*.encrypting"))


def _scan_raw(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {name: [] for name in SECRETS}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            for name, text in SECRETS.items():
                if text.encode("utf-8") in raw:
                    found[name].append(path.name)
    return found


KILLER = """
import os, signal, sys
from inspector_app.storage import cipher

def kill_at(step):
    if step == sys.argv[2]:
        os.kill(os.getpid(), signal.SIGKILL)

cipher.conversion_hook = kill_at
from inspector_app.services.app import open_app
open_app(sys.argv[1]).close()
"""


@pytest.mark.parametrize("step", ["exported", "plaintext_wal_removed", "replaced"])
def test_sigkill_during_the_conversion_leaves_a_store_that_opens_with_all_data(
    tmp_path: Path, step: str
) -> None:
    data = tmp_path / "data"
    visit_id = _plaintext_store(data, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run(
        [sys.executable, "-c", KILLER, str(data), step], env=env, capture_output=True, timeout=120
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert key_file_of(data / "inspector.sqlite3").exists()
    app = open_app(data)  # resumes (or finds finished) the conversion
    try:
        assert app.db.execute("SELECT count(*) FROM visits WHERE id = ?", [visit_id]).fetchone()[0] == 1
        assert app.db.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone()[0] == "in-de-wal"
        assert app.db.execute("SELECT count(*) FROM answers").fetchone()[0] > 0
    finally:
        app.close()
    assert _scan_raw(data) == {name: [] for name in SECRETS}
    assert not list(data.glob("*.encrypting"))


def test_the_private_key_files_are_sealed_and_old_plain_ones_sealed_at_open(tmp_path: Path) -> None:
    from inspector_app.services.keys import init_office
    from inspector_app.sync.keys import KeyStore

    data = tmp_path / "office"
    app = open_app(data)
    try:
        init_office(app, "Westerdam")
        identity = KeyStore.of(data)._read("office-identity.json")
        assert identity is not None and str(identity["age_identity"]).startswith("AGE-SECRET-KEY-")
    finally:
        app.close()
    secret = str(identity["age_identity"]).encode("ascii")
    assert not [p.name for p in data.rglob("*") if p.is_file() and secret in p.read_bytes()]
    with pytest.raises(Exception, match="versleuteld"):  # the store closed: the files stay shut
        KeyStore.of(data).office_signing_key()
    # a key file from before encryption, in plain JSON, is sealed at the next open
    import json

    (data / "keys" / "office-identity.json").write_text(json.dumps(identity), encoding="utf-8")
    app = open_app(data)
    try:
        assert KeyStore.of(data)._read("office-identity.json") == identity
    finally:
        app.close()
    assert secret not in (data / "keys" / "office-identity.json").read_bytes()
