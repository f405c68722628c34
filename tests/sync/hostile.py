"""Forging real signed bundles from enrolled laptops, and the office state a refusal must not change."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage

from inspector_app import __version__
from inspector_app.services.app import AppContext
from inspector_app.storage.audit import canonical_json, now_iso
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync.bundle import BundleContent, build_manifest, signed_archive
from inspector_app.sync.envelope import MANIFEST, encrypt
from inspector_app.sync.keys import KeyStore, device_fingerprint
from inspector_app.sync.records import FILES
from tests.raw_store import raw_connect

Tables = dict[str, list[dict[str, Any]]]
TABLE_OF = {path: table for table, path in FILES.items()}
# What a clean refusal may add: its report row and its audit entry (and their sequence counters).
VOLATILE = (
    "sync_import_reports",
    "audit_log",
    "audit_chain",
    "audit_values",
    "sqlite_sequence",
)  # audit_log is a view of the last two


def canonical_dump(database: Path) -> str:
    """Every table except the volatile ones, rows sorted: equal strings mean byte-equal contents."""
    connection = raw_connect(database, read_only=True)
    try:
        names = [
            str(r[0])
            for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if r[0] not in VOLATILE
        ]
        dump = {n: sorted(map(repr, connection.execute(f"SELECT * FROM {n}").fetchall())) for n in names}
        # the daily integrity check's own stamp (storage: quick_check at most once a day) is upkeep, not data
        dump["meta"] = [row for row in dump.get("meta", []) if "store.quick_check_at" not in row]
    finally:
        connection.close()
    return json.dumps(dump, sort_keys=True)


def refusal_rows(database: Path) -> tuple[int, int]:
    connection = raw_connect(database, read_only=True)
    try:
        reports = connection.execute("SELECT count(*) FROM sync_import_reports").fetchone()[0]
        audit = connection.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'bundle.import.rejected'"
        ).fetchone()[0]
    finally:
        connection.close()
    return int(reports), int(audit)


def read_bundle(office: AppContext, path: Path) -> tuple[Tables, dict[str, bytes], dict[str, Any]]:
    """A bundle's rows by table, its media by name and its manifest (decrypted with the office key)."""
    plain = pyrage.decrypt(path.read_bytes(), KeyStore.of(office.paths.data_dir).office_identities())
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    tables: Tables = {table: [] for table in FILES}
    media: dict[str, bytes] = {}
    for name, data in files.items():
        if name in TABLE_OF:
            tables[TABLE_OF[name]] = [json.loads(line) for line in data.split(b"\n") if line]
        elif name.startswith("media/"):
            media[name[len("media/") :]] = data
    return tables, media, json.loads(files[MANIFEST])


def encode_rows(rows: list[dict[str, Any]]) -> bytes:
    """JSON lines; ASCII escapes keep a lone surrogate writable (the importer must refuse it)."""
    lines = [json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=True) for row in rows]
    return ("\n".join(lines) + "\n").encode("ascii") if lines else b""


def forge(
    signer: AppContext,
    office: AppContext,
    tables: Tables,
    media: dict[str, bytes],
    target: Path,
    *,
    seq: int = 1,
    raw: dict[str, bytes] | None = None,
    manifest_change: Callable[[dict[str, Any]], None] | None = None,
    recipients: list[str] | None = None,
) -> Path:
    """A bundle signed with `signer`'s real device key, for the office; `raw` replaces whole files."""
    records = {FILES[t]: (encode_rows(rows), len(rows)) for t, rows in tables.items() if rows}
    for path, data in (raw or {}).items():
        records[path] = (data, data.count(b"\n"))
    folder = target.with_suffix(".media")
    folder.mkdir(parents=True, exist_ok=True)
    media_paths = {}
    for name, data in media.items():
        (folder / name).write_bytes(data)
        media_paths[f"media/{name}"] = folder / name
    keys = KeyStore.of(signer.paths.data_dir)
    office_recipients = KeyStore.of(office.paths.data_dir).office_public().all_recipients
    # The signed chain head, as the laptop's export names it: the last audit entry carried.
    audit = sorted(tables.get("audit_log", []), key=lambda row: int(row["seq"]))
    audit_from, audit_to = (int(audit[0]["seq"]) - 1, int(audit[-1]["seq"])) if audit else (0, 0)
    content = BundleContent(
        str(uuid.uuid4()),
        signer.device_id,
        seq,
        now_iso(),
        SCHEMA_VERSION,
        __version__,
        audit_from,
        audit_to,
        records,
        media_paths,
        audit[-1]["hash"] if audit else None,
    )
    manifest, payload = build_manifest(
        content, device_fingerprint(keys.device_public(signer.device_id)), office_recipients
    )
    if manifest_change is not None:
        changed = json.loads(manifest)
        manifest_change(changed)
        manifest = canonical_json(changed).encode("utf-8")
    plain = signed_archive(manifest, payload, keys.device_signing_key(signer.device_id))
    target.write_bytes(encrypt(plain, recipients or office_recipients))
    return target


def only_visit(tables: Tables, visit_id: str) -> Tables:
    """The rows of one visit (and its location); the audit rows are left out."""
    [visit] = [v for v in tables["visits"] if v["id"] == visit_id]
    result: Tables = {t: [r for r in rows if r.get("visit_id") == visit_id] for t, rows in tables.items()}
    result["visits"] = [visit]
    result["locations"] = [loc for loc in tables["locations"] if loc["id"] == visit["location_id"]]
    result["audit_log"] = []
    return result


def sha_name(data: bytes, suffix: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.{suffix}"
