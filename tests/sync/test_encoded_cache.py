"""The kept bundle lines (sync.encoded_cache) are never stale: after any change, by any writer, each kept
visit's lines and hash are byte-equal to a fresh encoding, and the export carries the same bundle."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.db import writing
from inspector_app.storage.purge import delete_visits
from inspector_app.storage.schema import ENCODED_TABLES, ENCODED_TRIGGERS
from inspector_app.sync import encoded_cache
from inspector_app.sync.encoded import encoded_visits
from inspector_app.sync.export import pending_snapshots
from inspector_app.sync.records import KEYS, VISIT_PARTS, Row
from inspector_app.sync.zip_stream import inflate_pieces

# A text column of each of the visit's tables that any value may take; rows picked by their key.
EDITABLE = {
    "visits": "legal_ground",
    "visit_revisions": "reason",
    "answers": "note",
    "persons": "updated_at",
    "indicator_observations": "note",
    "photos": "caption",
    "referrals": "note",
}


def kept_rows(app: AppContext) -> dict[str, tuple[object, ...]]:
    rows = app.db.execute(
        f"SELECT visit_id, location_id, sha256, {', '.join(ENCODED_TABLES)} FROM sync_encoded_visits"
    ).fetchall()
    return {str(row[0]): tuple(row[1:]) for row in rows}


def assert_never_stale(app: AppContext) -> None:
    """Every kept visit equals its fresh encoding; a visit that is not kept is marked dirty."""
    fresh = {v.visit_id: v for v in encoded_visits(app.db)}
    kept = kept_rows(app)
    assert set(kept) <= set(fresh)
    for visit_id, (location_id, sha256, *pieces) in kept.items():
        visit = fresh[visit_id]
        assert (location_id, sha256) == (visit.location_id, visit.sha256)
        kept_pieces = [bytes(p) for p in pieces if isinstance(p, bytes)]
        lines = {
            t: inflate_pieces(p)[:-1] if p else b"" for t, p in zip(ENCODED_TABLES, kept_pieces, strict=True)
        }
        assert lines == visit.pieces
    dirty = {str(r[0]) for r in app.db.execute("SELECT visit_id FROM sync_encoded_dirty")}
    assert set(fresh) - set(kept) <= dirty


def exported(app: AppContext) -> list[tuple[str, str, dict[str, bytes], list[Row]]]:
    return [(s.visit_id, s.sha256, s.pieces, s.photos) for s in pending_snapshots(app.db)]


def test_the_cache_lists_the_snapshot_tables() -> None:
    assert ("visits", *VISIT_PARTS) == ENCODED_TABLES
    assert set(EDITABLE) == set(ENCODED_TABLES)


def test_visits_written_through_the_app_are_kept_and_read_from_the_store(app: AppContext) -> None:
    create_demo_visits(app, 6, seed=3)
    assert app.db.execute("SELECT count(*) FROM sync_encoded_dirty").fetchone()[0] == 0
    assert len(kept_rows(app)) == 6
    assert_never_stale(app)
    with_kept = exported(app)
    with app.db.conn:
        app.db.execute("DELETE FROM sync_encoded_visits")  # every visit encoded afresh instead
    assert exported(app) == with_kept


def test_a_write_that_rolls_back_leaves_the_kept_lines_of_what_is_stored(app: AppContext) -> None:
    create_demo_visits(app, 2, seed=4)
    before = kept_rows(app)
    with pytest.raises(RuntimeError), writing(app.db):
        app.db.execute("UPDATE answers SET note = 'teruggedraaid'")
        raise RuntimeError("halfway")
    assert kept_rows(app) == before
    assert_never_stale(app)


def test_the_office_keeps_no_lines(office: AppContext) -> None:
    create_demo_visits(office, 2, seed=5)
    assert kept_rows(office) == {}
    assert len(exported(office)) == 2  # encoded afresh, as before the cache


def triggers(app: AppContext) -> set[str]:
    rows = app.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'encoded_stale_%'"
    )
    return {str(row[0]) for row in rows}


def test_the_office_drops_the_triggers_and_the_lines_it_kept_as_a_field_store(tmp_path: Path) -> None:
    app = open_app(tmp_path / "data")
    create_demo_visits(app, 3, seed=8)
    assert triggers(app) == set(ENCODED_TRIGGERS) and len(kept_rows(app)) == 3
    keys_service.init_office(app, "Westerdam")  # the same folder becomes the office
    assert triggers(app) == set() and kept_rows(app) == {}
    create_demo_visits(app, 2, seed=9)  # an office write marks nothing dirty
    assert app.db.execute("SELECT count(*) FROM sync_encoded_dirty").fetchone()[0] == 0
    assert len(exported(app)) == 5
    app.close()
    again = open_app(tmp_path / "data")  # opening the office again changes nothing
    try:
        assert triggers(again) == set() and not encoded_cache.stop_keeping(again.db)
    finally:
        again.close()


def test_a_field_store_without_the_triggers_gets_them_back_and_its_lines_kept(tmp_path: Path) -> None:
    app = open_app(tmp_path / "data")
    create_demo_visits(app, 3, seed=10)
    assert encoded_cache.stop_keeping(app.db)  # as an office left it
    app.close()
    again = open_app(tmp_path / "data")
    try:
        assert triggers(again) == set(ENCODED_TRIGGERS)
        assert len(kept_rows(again)) == 3
        assert_never_stale(again)
        with writing(again.db):
            again.db.execute("UPDATE answers SET note = 'weer bijgehouden'")
        assert_never_stale(again)
    finally:
        again.close()


def test_an_upgraded_store_encodes_its_visits_on_the_next_open(tmp_path: Path) -> None:
    app = open_app(tmp_path / "data")
    create_demo_visits(app, 3, seed=6)
    with app.db.conn:  # as migration 014 leaves a store: nothing kept, every visit dirty
        app.db.execute("DELETE FROM sync_encoded_visits")
        app.db.execute("INSERT INTO sync_encoded_dirty SELECT id FROM visits")
    app.close()
    again = open_app(tmp_path / "data")
    try:
        assert len(kept_rows(again)) == 3
        assert_never_stale(again)
    finally:
        again.close()


operation = st.tuples(
    st.sampled_from(["write", "raw", "add", "purge", "refresh"]),
    st.sampled_from(sorted(EDITABLE)),
    st.integers(0, 10_000),
    st.text(max_size=5),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, max_size=8))
def test_kept_lines_are_never_stale(app: AppContext, operations: list[tuple[str, str, int, str]]) -> None:
    """Random changes to any of the seven tables, through a write transaction (the hook refills), as a
    raw statement outside one (nothing refills: the visit is only dropped), new visits and purges."""
    with app.db.conn:
        app.db.execute("DELETE FROM sync_encoded_visits")
        app.db.execute("DELETE FROM sync_encoded_dirty")
        for table in ENCODED_TABLES[::-1]:
            app.db.execute(f"DELETE FROM {table}")
    create_demo_visits(app, 3, seed=7)
    for kind, table, pick, text in operations:
        committed_a_write = kind != "raw"  # through `writing`: the hook refilled every dirty visit
        keys = ", ".join(KEYS[table])
        count = app.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if kind == "add":
            create_demo_visits(app, 1, seed=pick)
        elif kind == "purge":
            visits = [str(r[0]) for r in app.db.execute("SELECT id FROM visits ORDER BY id")]
            if visits:
                with writing(app.db):
                    delete_visits(app.db, [visits[pick % len(visits)]], "test", "t", app.device_id)
        elif kind == "refresh":
            with writing(app.db):
                pass
        elif not count:
            committed_a_write = False
        else:
            statement = (
                f"UPDATE {table} SET {EDITABLE[table]} = ? WHERE ({keys}) ="
                f" (SELECT {keys} FROM {table} ORDER BY {keys} LIMIT 1 OFFSET ?)"
            )
            if kind == "write":
                with writing(app.db):
                    app.db.execute(statement, [text, pick % count])
            else:
                with app.db.conn:
                    app.db.execute(statement, [text, pick % count])
        assert_never_stale(app)
        if committed_a_write:
            assert app.db.execute("SELECT count(*) FROM sync_encoded_dirty").fetchone()[0] == 0
    with_kept = exported(app)
    with app.db.conn:
        app.db.execute("DELETE FROM sync_encoded_visits")
    assert exported(app) == with_kept


def test_encoded_cache_module_names_its_columns() -> None:
    assert encoded_cache.COLUMNS == ENCODED_TABLES


def test_a_visit_whose_lines_cannot_be_encoded_does_not_stop_the_write(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept lines are an aid: when encoding fails inside the hook, the change the user made still
    commits, the visit stays dirty (nothing stale is kept), and it is encoded at a later write."""
    create_demo_visits(app, 2, seed=11)

    def failing(*_args: object, **_kwargs: object) -> object:
        raise ValueError("a row the encoding cannot take")

    monkeypatch.setattr(encoded_cache, "encoded_visits", failing)
    with writing(app.db):
        app.db.execute("UPDATE answers SET note = 'toch bewaard'")
    assert app.db.execute("SELECT count(*) FROM answers WHERE note = 'toch bewaard'").fetchone()[0] > 0
    assert kept_rows(app) == {}
    assert_never_stale(app)
    monkeypatch.undo()
    with writing(app.db):
        pass
    assert len(kept_rows(app)) == 2
    assert_never_stale(app)
