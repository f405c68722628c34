"""SQLite's canonical lines are byte for byte the codec's: same rows, same order, same snapshot hash.

The export hashes what `sync.encoded` reads; receipts and the purge compare that hash with
`Snapshot.sha256` worked out from Python rows. A single different escape would make every receipt
miss the visit (never acknowledged, never purged), so every code point is checked.
"""

from __future__ import annotations

import pytest

from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.audit import AuditEntry, append
from inspector_app.sync import encoded
from inspector_app.sync.encoded import encoded_rows, encoded_visits
from inspector_app.sync.records import encode_jsonl, load_snapshots, read_rows


def assert_same(app: AppContext) -> None:
    python = {s.visit_id: s.with_lines() for s in load_snapshots(app.db)}
    sql = {e.visit_id: e for e in encoded_visits(app.db)}
    assert sorted(sql) == sorted(python)
    for visit_id, snapshot in python.items():
        encoded = sql[visit_id]
        assert encoded.lines == snapshot.lines
        assert encoded.sha256 == snapshot.sha256
        assert encoded.photos == snapshot.parts["photos"]
        assert encoded.location_id == snapshot.visit["location_id"]
    # The audit records file, in sequence order, from SQLite as from the codec (also past a first entry).
    for after in (0, 1):
        rows = read_rows(app.db, "audit_log", "WHERE seq > ? ORDER BY seq", [after])
        lines = encoded_rows(app.db, "audit_log", "WHERE seq > ?", [after], "seq")
        assert lines == (encode_jsonl(rows), len(rows))
    assert encoded_rows(app.db, "audit_log", "WHERE seq < 0", [], "seq") == (b"", 0)


def test_demo_visits_encode_alike(app: AppContext) -> None:
    create_demo_visits(app, 12, seed=5)
    assert_same(app)
    chosen = sorted(str(r[0]) for r in app.db.execute("SELECT id FROM visits LIMIT 3"))
    assert [e.visit_id for e in encoded_visits(app.db, chosen)] == chosen


def test_chosen_and_every_visit_read_alike(app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every visit is read by id ranges, chosen ones by id lists: with chunks of 4, a range that held
    a visit of another chunk (or missed one) would show here."""
    monkeypatch.setattr(encoded, "CHUNK", 4)
    create_demo_visits(app, 11, seed=8)
    every = {e.visit_id: (e.pieces, e.photos, e.sha256) for e in encoded_visits(app.db)}
    ids = sorted(every)
    chosen = {e.visit_id: (e.pieces, e.photos, e.sha256) for e in encoded_visits(app.db, ids[::-1])}
    assert chosen == every and len(every) == 11
    assert_same(app)


@pytest.mark.parametrize("start", range(0, 0x110000, 0x11000))
def test_every_code_point_encodes_alike(app: AppContext, start: int) -> None:
    """Notes holding every code point (surrogates cannot be stored), quotes and controls included."""
    create_demo_visits(app, 1, seed=6)
    text = "".join(chr(c) for c in range(start, min(start + 0x11000, 0x110000)) if not 0xD800 <= c <= 0xDFFF)
    with app.db.conn:
        app.db.execute(
            "UPDATE answers SET note = ? WHERE question_id = (SELECT min(question_id) FROM answers)", [text]
        )
        app.db.execute("UPDATE visits SET legal_ground = ?", ['"\\\n\t\x00\x1f\x7f\u2028 é'])
        append(
            app.db, AuditEntry("t", "dev", "answer.note", "visit", "v", None, {"note": "é"}, {"note": text})
        )
    assert_same(app)


def test_answers_sort_person_numbers_as_text(app: AppContext) -> None:
    """`records._sort` compares key columns as text: person 10 before person 2, in both encoders."""
    create_demo_visits(app, 1, seed=7)
    with app.db.conn:
        row = app.db.execute(
            "SELECT visit_id, question_id, value, note, updated_at FROM answers LIMIT 1"
        ).fetchone()
        for number in (2, 10):
            app.db.execute(
                "INSERT INTO answers (visit_id, question_id, person_number, value, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [row[0], row[1], number, row[2], row[3], row[4]],
            )
    assert_same(app)
