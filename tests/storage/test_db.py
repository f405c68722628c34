"""Opening the store: migrations from an empty file, pragmas, refusing newer or foreign databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from inspector_app.storage import cipher, schema
from inspector_app.storage.db import APPLICATION_ID, DatabaseError, _snapshot, data_key, device_id, open_db
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.storage.store_key import StoreKeyError, key_file_of
from tests.raw_store import raw_connect

MIGRATIONS = [
    "001_initial",
    "002_sync",
    "003_reference",
    "004_versions_by_content",
    "005_version_dag",
    "006_sync_authority",
    "007_policy",
    "008_purgeable_audit_values",
    "009_reports",
    "010_reinspections",
    "011_audit_heads_location_proposals",
    "012_bundle_identity",
    "013_statistics_indexes",
    "014_encoded_visits",
]
"""Every migration, in the order a new store applies them (numbers were agreed across branches)."""


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    path.write_bytes(b"")
    db = open_db(path)
    tables = set(db.table_names())
    assert {
        "locations",
        "visits",
        "visit_revisions",
        "answers",
        "persons",
        "indicator_observations",
        "photos",
        "referrals",
        "audit_chain",
        "audit_values",
        "retention_policy",
        "meta",
        "_sqlite_migrations",
    } <= tables
    assert db.view_names() == ["audit_log"]
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    applied = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations")]
    assert applied == MIGRATIONS
    db.close()


def test_pragmas_of_the_design(tmp_path: Path) -> None:
    db = open_db(tmp_path / "p.sqlite3")
    values = {
        name: db.execute(f"PRAGMA {name}").fetchone()[0]
        for name in (
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "trusted_schema",
            "secure_delete",
            "busy_timeout",
        )
    }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "trusted_schema": 0,
        "secure_delete": 1,
        "busy_timeout": 5000,
    }
    db.close()


def test_reopening_keeps_device_id_and_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    db = open_db(path)
    first = device_id(db)
    applied = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    db.close()
    db = open_db(path)
    assert device_id(db) == first
    # one row per migration (numbers may have gaps: they were agreed while others sat on other branches)
    assert applied == len(schema.migrations._migrations)
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == applied
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_database_newer_than_the_app_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_db(path).close()
    with raw_connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="nieuwere versie"):
        open_db(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA application_id = 12345")
        raw.execute("CREATE TABLE t (x)")
    with pytest.raises(DatabaseError, match="geen database van deze app"):
        open_db(path)


def test_garbage_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    open_db(path).close()
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError, match="geen bruikbare database"):
        open_db(path)


def test_an_encrypted_file_without_its_key_file_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "keyless.sqlite3"
    open_db(path).close()
    key_file_of(path).unlink()
    before = path.read_bytes()
    with pytest.raises(StoreKeyError, match="ontbreekt"):
        open_db(path)
    assert path.read_bytes() == before and not key_file_of(path).exists()


def test_snapshot_before_migration_is_a_consistent_copy(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    db = open_db(path)
    db.execute("INSERT INTO meta (key, value) VALUES ('probe', 'kept')")
    db.conn.commit()
    target = _snapshot(db.conn, path, SCHEMA_VERSION)
    key = data_key(db)
    db.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(target).execute("SELECT * FROM meta").fetchall()
    with cipher.connect(target, key) as copy:
        assert copy.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone()[0] == "kept"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_failing_migration_leaves_previous_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    path = tmp_path / "m.sqlite3"
    open_db(path).close()

    @schema.migrations(name="999_broken")
    def broken(db: object) -> None:
        db.execute("CREATE TABLE half_done (x)")  # type: ignore[attr-defined]
        raise RuntimeError("disk full")

    monkeypatch.setattr("inspector_app.storage.db.SCHEMA_VERSION", SCHEMA_VERSION + 1)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            open_db(path)
        with raw_connect(path) as raw:
            names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
            assert "half_done" not in names
            assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert [r[0] for r in raw.execute("SELECT name FROM _sqlite_migrations")] == MIGRATIONS
        assert list(tmp_path.glob(f"m.before-migration-v{SCHEMA_VERSION}-*.sqlite3"))
    finally:
        schema.migrations._migrations = [m for m in schema.migrations._migrations if m.name != "999_broken"]
