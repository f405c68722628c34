"""The bundle codec is the domain records: same columns as the store, strict on every typed field.

`sync.codec` derives each synced table's wire columns from its record's `dataclasses.fields()`;
these tests pin that the derivation, the record and `PRAGMA table_info` of a freshly migrated store
agree (names, order, SQL type, nullability), that the strict decoder refuses a wrong value in every
column, and that a decoded bundle gives the same typed records the store reads back.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from inspector_app.domain.model import VisitStatus
from inspector_app.domain.records import RECORD_TYPES
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage import answers, observations, visits
from inspector_app.storage.audit import canonical_json
from inspector_app.storage.db import open_db
from inspector_app.sync.codec import ColumnType
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import (
    PINNED_TABLES,
    RECORDS,
    ROW_CHECKS,
    TABLES,
    TRAVELLING_SUPPLIED,
    VISIT_PARTS,
    Snapshot,
    check_row,
    check_row_ordered,
    decode_jsonl,
    encode_jsonl,
    load_snapshots,
)
from tests.storage.test_records import (
    ANSWER,
    LOCATION,
    OBSERVATION,
    PERSON,
    PHOTO,
    REFERRAL,
    REVISION,
    VISIT,
    VISIT_ID,
)
from tests.sync.test_rejections import Kind, _field, _reference

AT = "2026-03-04T10:11:12+01:00"
SQL_KIND = {"TEXT": "s", "INTEGER": "i"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return open_db(tmp_path_factory.mktemp("codec") / "store.sqlite3")


def table_info(db: Database, table: str) -> list[tuple[str, str, bool]]:
    """(name, codec kind, nullable) per column; a primary key is never null whatever SQLite allows.

    The audit log is a view over the chain and its purgeable values (migration 008): a view has no
    NOT NULL, so each column is described by the table it comes from."""
    if table == "audit_log":
        sources = {**dict.fromkeys(("old", "new", "salt"), "audit_values")}
        view = [str(r[1]) for r in db.execute("PRAGMA table_info(audit_log)")]
        described = [_column_info(db, sources.get(name, "audit_chain"), name) for name in view]
        # the values side of a LEFT JOIN: null once purged, whatever its own table says
        return [(name, kind, nullable or name in sources) for name, kind, nullable in described]
    rows = db.execute(f"PRAGMA table_info({table})").fetchall()
    return [(str(r[1]), SQL_KIND[str(r[2]).upper()], not r[3] and not r[5]) for r in rows]


def _column_info(db: Database, table: str, name: str) -> tuple[str, str, bool]:
    [found] = [r for r in db.execute(f"PRAGMA table_info({table})") if r[1] == name]
    return (name, SQL_KIND[str(found[2]).upper()], not found[3] and not found[5])


def codec_info(table: str) -> list[tuple[str, str, bool]]:
    return [(name, kind.kind, kind.nullable) for name, kind in TABLES[table]]


def test_every_record_type_and_pinned_table_is_synced() -> None:
    assert set(TABLES) == {record.TABLE for record in RECORD_TYPES} | set(PINNED_TABLES)
    assert not set(PINNED_TABLES) & set(RECORDS)


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_codec_columns_are_the_record_fields_and_the_table_columns(store: Database, table: str) -> None:
    record = RECORDS[table]
    supplied = set(TRAVELLING_SUPPLIED.get(table, {}))
    codec = [name for name, _kind in TABLES[table]]
    assert [name for name in codec if name not in supplied] == [field.name for field in fields(record)]
    assert supplied == set(record.SUPPLIED_COLUMNS)
    assert codec_info(table) == table_info(store, table)


@pytest.mark.parametrize("table", sorted(PINNED_TABLES))
def test_pinned_tables_match_the_store(store: Database, table: str) -> None:
    assert codec_info(table) == table_info(store, table)


def test_enum_and_flag_fields_are_typed_from_their_annotations() -> None:
    kinds = dict(TABLES["visits"])
    assert kinds["status"].choices == frozenset(status.value for status in VisitStatus)
    assert kinds["acute"] == ColumnType("i", flag=True)
    assert kinds["inspectors"] == ColumnType("s", json=True)
    assert dict(TABLES["answers"])["value"] == ColumnType("s", nullable=True, json=True)


# ----------------------------------------------------------------------------- strict decoding

SUPPLIED_VALUES = {"visit_id": VISIT_ID, "created_at": AT, "updated_at": AT}
GOOD_ROWS: dict[str, dict[str, Any]] = {
    record.TABLE: {**{n: SUPPLIED_VALUES[n] for n in record.SUPPLIED_COLUMNS}, **record.as_row()}
    for record in (LOCATION, VISIT, REVISION, ANSWER, PERSON, OBSERVATION, PHOTO, REFERRAL)
}
GOOD_ROWS["audit_log"] = {
    "seq": 7,
    "at": AT,
    "actor": "Toezichthouder 1001",
    "device_id": "device-1",
    "action": "visit.start",
    "entity": "visit",
    "entity_id": VISIT_ID,
    "visit_id": None,
    "old": None,
    "new": '{"a":1}',
    "prev_hash": "00" * 32,
    "scheme": 2,
    "values_sha256": "22" * 32,
    "salt": "33" * 16,
    "hash": "ab" * 32,
}
GOOD_ROWS["sync_reference_history"] = {
    "visit_id": VISIT_ID,
    "slug": "debt-bondage",
    "location_id": LOCATION.id,
    "visit_date": "2026-03-04",
    "weight": "H",
}
GOOD_ROWS["visit_zaak"] = {
    "visit_id": VISIT_ID,
    "zaaknummer": "Z-2026-000123",
    "zaaktype": "Toezicht prostitutie",
    "updated_at": "2026-03-04T10:00:00.000Z",
    "updated_by": "Toezichthouder 1001",
}
GOOD_ROWS["visit_follow_ups"] = {
    "visit_id": VISIT_ID,
    "due_date": "2026-05-04",
    "follows_up": None,
    "updated_at": "2026-03-04T10:00:00Z",
    "updated_by": "Toezichthouder 1001",
    "device_id": LOCATION.id,
}
GOOD_ROWS["sync_reference_due"] = {
    "visit_id": VISIT_ID,
    "location_id": LOCATION.id,
    "visit_date": "2026-03-04",
    "due_date": "2026-05-04",
}


def bad_values(kind: ColumnType) -> list[tuple[str, Any]]:
    """Values of the wrong type (or outside the column's values) for one column, with a case name."""
    cases: list[tuple[str, Any]] = [("float", 1.5), ("list", ["x"]), ("bool", True)]
    if kind.kind == "s":
        cases.append(("integer", 1))
    else:
        cases += [("text", "1"), ("too-large", 2**63)]
    if not kind.nullable:
        cases.append(("null", None))
    if kind.choices is not None:
        cases.append(("unknown-value", "bogus"))
    if kind.flag:
        cases.append(("not-0-or-1", 2))
    if kind.json:
        cases.append(("not-json", "[unclosed"))
    return cases


BAD_CASES = [
    pytest.param(table, name, value, id=f"{table}.{name}.{case}")
    for table, spec in TABLES.items()
    for name, kind in spec
    for case, value in bad_values(kind)
]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_good_rows_are_accepted(table: str) -> None:
    assert set(GOOD_ROWS[table]) == {name for name, _kind in TABLES[table]}
    assert ROW_CHECKS[table].accepts(GOOD_ROWS[table])  # the fast check takes good rows
    line = canonical_json(GOOD_ROWS[table]).encode()
    assert decode_jsonl(table, line, "x") == [GOOD_ROWS[table]]


@pytest.mark.parametrize(("table", "name", "value"), BAD_CASES)
def test_a_wrong_value_in_any_column_is_refused(table: str, name: str, value: Any) -> None:
    """Table-driven over every column: the refusal names the field, line by line and in the fast path."""
    row = {**GOOD_ROWS[table], name: value}
    assert not ROW_CHECKS[table].accepts(row)
    with pytest.raises(ValueError, match=repr(name)):
        check_row(table, row)
    data = encode_jsonl([GOOD_ROWS[table], row])
    with pytest.raises(BundleRejectedError) as caught:
        decode_jsonl(table, data, "records/x.jsonl")
    assert caught.value.code == "bad_record"
    assert "records/x.jsonl, regel 2" in caught.value.message


CANDIDATES = st.sampled_from([None, "", "x", "[]", "{", "bogus", 0, 1, 2, -1, 2**63, True, 1.5, ["x"]])


@settings(max_examples=300, deadline=None)
@given(table=st.sampled_from(sorted(TABLES)), data=st.data())
def test_the_fast_check_accepts_exactly_what_the_ordered_check_accepts(
    table: str, data: st.DataObject
) -> None:
    """Refusal test: rows mixing good values with values valid for some column kind but not others."""
    row = dict(GOOD_ROWS[table])
    for name in data.draw(st.lists(st.sampled_from(sorted(row)), max_size=4, unique=True)):
        row[name] = data.draw(CANDIDATES)
    try:
        check_row_ordered(table, row)
        ordered = True
    except ValueError:
        ordered = False
    assert ROW_CHECKS[table].accepts(row) == ordered


@settings(max_examples=300, deadline=None)
@given(table=st.sampled_from(sorted(TABLES)), data=st.data())
def test_the_column_check_of_a_file_accepts_exactly_what_the_row_check_accepts(
    table: str, data: st.DataObject
) -> None:
    """Refusal test for `accepts_all`: lists of rows, some bad in one or more columns, some missing or
    adding a column, with an unhashable value among them; it must agree with the row check on each."""
    rows = []
    for _index in range(data.draw(st.integers(min_value=0, max_value=4))):
        row = dict(GOOD_ROWS[table])
        for name in data.draw(st.lists(st.sampled_from(sorted(row)), max_size=3, unique=True)):
            row[name] = data.draw(CANDIDATES)
        if data.draw(st.booleans()) and data.draw(st.booleans()):
            del row[data.draw(st.sampled_from(sorted(row)))]
        rows.append(row)
    assert ROW_CHECKS[table].accepts_all(rows) == all(ROW_CHECKS[table].accepts(row) for row in rows)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_column_check_refuses_a_file_with_one_bad_row_among_good_ones(table: str) -> None:
    """Every bad case of the table above, as the last of three rows: the whole file is refused."""
    for name, kind in TABLES[table]:
        for _case, value in bad_values(kind):
            rows = [GOOD_ROWS[table], GOOD_ROWS[table], {**GOOD_ROWS[table], name: value}]
            assert not ROW_CHECKS[table].accepts_all(rows), (name, value)
    assert ROW_CHECKS[table].accepts_all([GOOD_ROWS[table]] * 3)


def test_every_enum_field_has_an_unknown_value_case() -> None:
    """So an enum added to a record is covered by the table above without editing it."""
    enum_fields = {
        (record.TABLE, field.name)
        for record in RECORD_TYPES
        for field in fields(record)
        if field.name in record.ENUM_COLUMNS
    }
    covered = {(p.values[0], p.values[1]) for p in BAD_CASES if p.values[2] == "bogus"}
    assert enum_fields and enum_fields <= covered


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_decoding_gives_the_typed_record(table: str) -> None:
    record = RECORDS[table].from_row(check_row(table, GOOD_ROWS[table]))
    assert type(record) is RECORDS[table]
    supplied = {name: GOOD_ROWS[table][name] for name in record.SUPPLIED_COLUMNS}
    assert {**supplied, **record.as_row()} == GOOD_ROWS[table]
    for field in fields(record):
        enum = record.ENUM_COLUMNS.get(field.name)
        if enum is not None:
            assert type(getattr(record, field.name)) is enum


def test_a_decoded_bundle_snapshot_is_the_stores_typed_records(laptop: AppContext) -> None:
    create_demo_visits(laptop, 2, seed=5)
    for stored in load_snapshots(laptop.db):
        visit = decode_jsonl("visits", encode_jsonl([stored.visit]))[0]
        parts = {t: decode_jsonl(t, encode_jsonl(stored.parts[t])) for t in VISIT_PARTS}
        typed = Snapshot(visit, parts).records()
        assert typed.visit == visits.get_visit(laptop.db, stored.visit_id)
        assert isinstance(typed.visit.status, VisitStatus)
        by_id = sorted(observations.load_observations(laptop.db, stored.visit_id), key=lambda o: o.id)
        assert typed.observations == by_id
        assert sorted(typed.answers, key=repr) == sorted(
            answers.load_answers(laptop.db, stored.visit_id), key=repr
        )
        assert sorted(typed.persons, key=lambda p: p.id) == sorted(
            answers.load_persons(laptop.db, stored.visit_id), key=lambda p: p.id
        )


# ------------------------------------------------------------------ regression: whole bundles


def _with_line_changed(kind: Kind, file: str, change: dict[str, Any]) -> list[tuple[str, bytes]]:
    def edit(data: bytes) -> bytes:
        first, _, rest = data.partition(b"\n")
        row = {**json.loads(first), **change}
        return canonical_json(row).encode() + b"\n" + rest

    members = [(n, edit(d) if n == file else d) for n, d in kind.members()]
    return kind.with_manifest(members, lambda _m: None)


@pytest.mark.parametrize("make", [_field, _reference], ids=["field", "reference"])
def test_a_bundle_with_an_unknown_location_type_is_refused(
    make: Any, office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    """Before the derived codec, enum columns were plain text to the decoder: the office's import then
    crashed with sqlite3.IntegrityError from the table's CHECK (no rejection, no report), while the
    laptop refused it by a second, hand-written list of location types (now gone)."""
    kind = make(office, laptop, tmp_path)
    members = _with_line_changed(kind, "records/locations.jsonl", {"location_type": "bogus"})
    kind.check_rejected(kind.reseal(members, tmp_path / "enum.bin"), "bad_record")


@pytest.mark.parametrize(
    "change",
    [{"status": "bogus"}, {"acute": 7}, {"inspectors": "not json"}],
    ids=["unknown-status", "flag-not-0-or-1", "json-column-not-json"],
)
def test_a_field_bundle_with_an_untyped_visit_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path, change: dict[str, Any]
) -> None:
    """Before: an unknown status crashed the import with sqlite3.IntegrityError (the table's CHECK)
    instead of a rejection; acute=7 and non-JSON inspectors were imported, and the office then could
    not load that visit as a typed record (JSONDecodeError) or stored a flag that is neither 0 nor 1."""
    kind = _field(office, laptop, tmp_path)
    members = _with_line_changed(kind, "records/visits.jsonl", change)
    kind.check_rejected(kind.reseal(members, tmp_path / "visit.bin"), "bad_record")


def test_the_office_keeps_the_audit_rows_as_they_travel(store: Database) -> None:
    """The office stores a laptop's audit rows with the codec's audit columns, keyed by device first."""
    audit = codec_info("audit_log")
    device = [column for column in audit if column[0] == "device_id"]
    assert table_info(store, "sync_remote_audit") == device + [c for c in audit if c not in device]
