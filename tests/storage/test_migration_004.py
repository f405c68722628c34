"""Migration 004 keys the office's visit versions on their content and keeps every old row readable."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.storage import schema


def test_old_versions_survive_and_a_fork_fits_beside_them() -> None:
    db = Database(memory=True)
    [old_table] = [s for s in schema._SYNC if "CREATE TABLE sync_visit_versions" in s]
    db.execute(old_table)
    row = ["v1", "dev", 1, "b1", "r1", '["r1"]', "sha-a", 1, 1, "{}"]
    db.execute(f"INSERT INTO sync_visit_versions VALUES ({', '.join('?' for _ in row)})", row)
    schema.m004_versions_by_content(db)
    assert [list(r) for r in db.execute("SELECT * FROM sync_visit_versions")] == [row]
    fork = ["v1", "dev", 1, "b2", "r2", '["r2"]', "sha-b", 1, 0, "{}"]
    db.execute(f"INSERT INTO sync_visit_versions VALUES ({', '.join('?' for _ in fork)})", fork)
    assert db.execute("SELECT count(*) FROM sync_visit_versions").fetchone()[0] == 2
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4
