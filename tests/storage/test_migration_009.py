"""Migration 009 lets a referral be urgent `today` and keeps every referral and its index."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from inspector_app.storage import cipher, schema


def test_referrals_survive_and_today_fits() -> None:
    db = Database(memory=True)
    db.execute("CREATE TABLE visits (id TEXT PRIMARY KEY)")
    db.execute("INSERT INTO visits VALUES ('v1')")
    [old_table] = [s for s in schema._INITIAL if "CREATE TABLE referrals" in s]
    db.execute(old_table)
    db.execute("CREATE INDEX referrals_by_visit ON referrals (visit_id)")
    row = [
        "r1",
        "v1",
        "police",
        "acute",
        "asked",
        "telefoon",
        '["gen.fear"]',
        '["P-7Q"]',
        "sent",
        "2026-03-14T20:00:00Z",
        "AVIM-1",
        "",
        "notitie",
        "2026-03-14T20:00:00Z",
        "T 1001",
        "2026-03-14T20:00:00Z",
    ]
    db.execute(f"INSERT INTO referrals VALUES ({', '.join('?' for _ in row)})", row)
    with pytest.raises(cipher.INTEGRITY):
        db.execute("UPDATE referrals SET urgency = 'today'")
    schema.m009_reports(db)
    assert [list(r) for r in db.execute("SELECT * FROM referrals")] == [row]
    db.execute("UPDATE referrals SET urgency = 'today'")
    with pytest.raises(cipher.INTEGRITY):
        db.execute("UPDATE referrals SET urgency = 'someday'")
    indexes = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'referrals'")
    ]
    assert "referrals_by_visit" in indexes
    assert db.execute("PRAGMA user_version").fetchone()[0] == 9
