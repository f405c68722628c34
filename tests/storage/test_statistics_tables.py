"""The two tables migration 013's triggers keep (standing_indicators, referral_facts) equal the same
rows worked out again from the observations, referrals and visits after every kind of write: the
demo's service writes, a stronger manual tick, a dismissal, a weight change, a deleted observation,
a visit moved in time and place, a changed and a deleted referral, a deleted visit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage import schema

RANK = {"H": 3, "M": 2, "L": 1}
AT = "2026-01-01T00:00:00.000Z"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "data")
    create_demo_visits(context, 12, seed=3)
    yield context
    context.close()


def expected_standing(app: AppContext) -> set[tuple[str, str, int, str, str]]:
    """Recounted in Python from SELECT * rows: strongest standing weight per visit and slug."""
    visits = {r["id"]: r for r in app.db["visits"].rows}
    best: dict[tuple[str, str], int] = {}
    for o in app.db["indicator_observations"].rows:
        if o["active"] == 1 and o["dismissed"] == 0:
            key = (o["visit_id"], o["slug"])
            best[key] = max(best.get(key, 0), RANK[o["weight"]])
    return {(v, s, rank, visits[v]["started_at"], visits[v]["location_id"]) for (v, s), rank in best.items()}


def kept_standing(app: AppContext) -> set[tuple[str, str, int, str, str]]:
    return {
        (r["visit_id"], r["slug"], r["rank"], r["started_at"], r["location_id"])
        for r in app.db["standing_indicators"].rows
    }


def expected_referrals(app: AppContext) -> set[tuple[object, ...]]:
    visits = {r["id"]: r for r in app.db["visits"].rows}
    return {
        (
            r["id"],
            r["visit_id"],
            visits[r["visit_id"]]["started_at"],
            visits[r["visit_id"]]["location_id"],
            r["recipient"],
            r["status"],
            r["sent_at"],
        )
        for r in app.db["referrals"].rows
    }


def kept_referrals(app: AppContext) -> set[tuple[object, ...]]:
    columns = ("referral_id", "visit_id", "started_at", "location_id", "recipient", "status", "sent_at")
    return {tuple(r[c] for c in columns) for r in app.db["referral_facts"].rows}


def assert_kept(app: AppContext) -> None:
    assert kept_standing(app) == expected_standing(app)
    assert kept_referrals(app) == expected_referrals(app)


def test_service_writes_keep_both_tables(app: AppContext) -> None:
    assert kept_standing(app), "the demo raises standing indicators"
    assert_kept(app)


def test_every_observation_write_keeps_the_strongest_standing_row(app: AppContext) -> None:
    db = app.db
    visit_id, slug, weight = db.execute(
        "SELECT visit_id, slug, weight FROM indicator_observations WHERE active = 1 AND dismissed = 0"
        " AND weight != 'H' AND source = 'auto' ORDER BY id LIMIT 1"
    ).fetchone()
    with db.conn:
        db.execute(
            "INSERT INTO indicator_observations (id, visit_id, slug, source, weight, created_at, created_by,"
            " updated_at) VALUES ('manual-1', ?, ?, 'manual', 'H', ?, 'test', ?)",
            [visit_id, slug, AT, AT],
        )
    assert (visit_id, slug, 3) in {(v, s, r) for v, s, r, _a, _l in kept_standing(app)}
    assert_kept(app)
    with db.conn:
        db.execute("UPDATE indicator_observations SET dismissed = 1 WHERE id = 'manual-1'")
    assert (visit_id, slug, RANK[weight]) in {(v, s, r) for v, s, r, _a, _l in kept_standing(app)}
    assert_kept(app)
    with db.conn:
        db.execute(
            "UPDATE indicator_observations SET weight = 'L' WHERE visit_id = ? AND slug = ? AND source = 'auto'",
            [visit_id, slug],
        )
        db.execute("UPDATE indicator_observations SET slug = 'other-slug' WHERE id = 'manual-1'")
        db.execute("UPDATE indicator_observations SET dismissed = 0 WHERE id = 'manual-1'")
    assert_kept(app)
    with db.conn:
        db.execute("DELETE FROM indicator_observations WHERE visit_id = ? AND slug = ?", [visit_id, slug])
        db.execute("UPDATE indicator_observations SET active = 0 WHERE id = 'manual-1'")
    assert visit_id not in {v for v, s, _r, _a, _l in kept_standing(app) if s in (slug, "other-slug")}
    assert_kept(app)


def test_visit_and_referral_writes_keep_both_tables(app: AppContext) -> None:
    db = app.db
    visit_id = db.execute(
        "SELECT visit_id FROM referrals WHERE visit_id IN (SELECT visit_id FROM standing_indicators) LIMIT 1"
    ).fetchone()
    assert visit_id, "the demo refers a visit with signals"
    other = db.execute("SELECT id FROM locations ORDER BY id DESC LIMIT 1").fetchone()[0]
    with db.conn:
        db.execute(
            "UPDATE visits SET started_at = '2001-02-03T10:00', location_id = ? WHERE id = ?",
            [other, visit_id[0]],
        )
    assert ("2001-02-03T10:00", other) in {(a, loc) for _v, _s, _r, a, loc in kept_standing(app)}
    assert_kept(app)
    referral_id = db.execute("SELECT id FROM referrals ORDER BY id LIMIT 1").fetchone()[0]
    with db.conn:
        db.execute(
            "UPDATE referrals SET status = 'sent', sent_at = '2026-02-02T12:00:00.000Z', recipient = 'police'"
            " WHERE id = ?",
            [referral_id],
        )
    assert_kept(app)
    with db.conn:
        db.execute("DELETE FROM referrals WHERE id = ?", [referral_id])
    assert referral_id not in {r[0] for r in kept_referrals(app)}
    assert_kept(app)
    gone = db.execute(
        "SELECT id FROM visits WHERE id NOT IN (SELECT visit_id FROM referrals) LIMIT 1"
    ).fetchone()[0]
    with db.conn:
        db.execute("DELETE FROM indicator_observations WHERE visit_id = ?", [gone])
        for table in ("answers", "persons", "photos", "visit_revisions", "visit_zaak", "sync_acknowledged"):
            db.execute(f"DELETE FROM {table} WHERE visit_id = ?", [gone])
        db.execute("DELETE FROM visits WHERE id = ?", [gone])
    assert gone not in {v for v, *_rest in kept_standing(app)}
    assert_kept(app)


def test_migration_013_fills_both_tables_from_an_existing_store(app: AppContext) -> None:
    """A store written before 013 (its tables, triggers and indexes taken away again) gets both
    tables filled from its rows when the migration runs."""
    db = app.db
    made = db.execute(
        "SELECT type, name FROM sqlite_master WHERE name IN ('standing_indicators', 'referral_facts')"
        " OR (type IN ('trigger', 'index') AND sql IS NOT NULL AND (name LIKE 'standing%'"
        " OR name LIKE 'referral_facts%' OR name LIKE 'statistics%' OR name IN ('visits_for_statistics',"
        " 'visits_at_location')))"
    ).fetchall()
    assert len(made) == 15, made  # 2 tables, 5 indexes, 8 triggers
    with db.conn:
        for kind, name in made:
            if kind != "index":
                db.execute(f"DROP {kind.upper()} IF EXISTS {name}")
        for _kind, name in made:
            db.execute(f"DROP INDEX IF EXISTS {name}")
        schema.m013_statistics_indexes(db)
    assert kept_standing(app)
    assert_kept(app)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 13
