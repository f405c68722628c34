"""Migration 006 adds visit assignments and scopes import-log bundle ids by device, keeping every row."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from inspector_app.storage import cipher, schema


def test_import_log_rows_survive_and_another_device_may_use_the_same_id() -> None:
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    for statement in schema._SYNC:
        if "sync_import_log" in statement or "sync_import_items" in statement:
            db.execute(statement)
    log = ["b1", "sha-1", "dev-a", 1, "2026-01-01T00:00:00.000Z", "kantoor", "{}"]
    db.execute("INSERT INTO sync_import_log VALUES (?, ?, ?, ?, ?, ?, ?)", log)
    db.execute("INSERT INTO sync_import_items VALUES ('b1', 'v1', 'snap', 'new')")
    schema.m006_sync_authority(db)
    assert [list(r) for r in db.execute("SELECT * FROM sync_import_log")] == [log]
    assert [list(r) for r in db.execute("SELECT * FROM sync_import_items")] == [
        ["dev-a", "b1", "v1", "snap", "new"]
    ]
    other = ["b1", "sha-2", "dev-b", 1, "2026-01-02T00:00:00.000Z", "kantoor", "{}"]
    db.execute("INSERT INTO sync_import_log VALUES (?, ?, ?, ?, ?, ?, ?)", other)
    db.execute("INSERT INTO sync_import_items VALUES ('dev-b', 'b1', 'v2', 'snap', 'new')")
    with pytest.raises(cipher.INTEGRITY):
        db.execute("INSERT INTO sync_import_items VALUES ('dev-c', 'b1', 'v3', 'snap', 'new')")
    assert db.execute("SELECT count(*) FROM sync_visit_assignments").fetchone()[0] == 0
    assert db.execute("PRAGMA user_version").fetchone()[0] == 6
