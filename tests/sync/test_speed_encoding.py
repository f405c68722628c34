"""The shortcuts the sync speed work relies on give exactly what the plain code gives."""

from __future__ import annotations

import hashlib
import json

import pytest

from inspector_app.domain.model import IndicatorSource, Weight
from inspector_app.domain.records import AnswerRow, ObservationRow, json_value
from inspector_app.storage.audit import canonical_json
from inspector_app.sync.records import Snapshot, decode_jsonl, encode_jsonl, encode_row

ROWS = [
    {"id": "b", "note": 'é \u2028 "quoted" },{ \n', "n": 3, "none": None},
    {"z": 1, "a": "Ja", "value": '["x", 2]'},
]


def test_encode_row_is_canonical_json() -> None:
    for row in ROWS:
        assert encode_row(row) == canonical_json(row)


def test_encode_jsonl_is_one_canonical_line_per_row() -> None:
    assert encode_jsonl(ROWS) == b"".join(canonical_json(r).encode("utf-8") + b"\n" for r in ROWS)
    assert encode_jsonl([]) == b""


def test_snapshot_hash_is_that_of_its_canonical_form() -> None:
    snapshot = Snapshot(
        {"id": "v1", "updated_at": "x", "zz": "ë"},
        {"answers": [ROWS[1], ROWS[0]], "visit_revisions": [{"id": "r1", "visit_id": "v1"}]},
    )
    assert snapshot.canonical_text == canonical_json(snapshot.canonical())
    expected = hashlib.sha256(canonical_json(snapshot.canonical()).encode("utf-8")).hexdigest()
    assert snapshot.sha256 == expected
    assert snapshot.sha256 == expected  # the cached value
    hashed_first = Snapshot(snapshot.visit, snapshot.parts)
    assert hashed_first.sha256 == expected
    assert hashed_first.canonical_text == canonical_json(snapshot.canonical())


def test_from_row_builds_the_same_record_as_the_constructor() -> None:
    row = {
        "visit_id": "v1",
        "question_id": "Q1",
        "person_number": 0,
        "value": '"Ja"',
        "note": "n",
        "updated_at": "t",
    }
    built = AnswerRow.from_row(row)
    assert built == AnswerRow(question_id="Q1", person_number=0, value="Ja", note="n", updated_at="t")
    assert built.as_row()["value"] == '"Ja"'
    observation = ObservationRow(
        id="o1",
        slug="s",
        source=IndicatorSource.MANUAL,
        weight=Weight.HIGH,
        raised_by=["Q1"],
        rule_ids=[],
        dismissed=True,
        created_at="t",
        created_by="a",
    )
    decoded = ObservationRow.from_row(observation.as_row())
    assert decoded == observation
    assert decoded.weight is Weight.HIGH and decoded.dismissed is True


def test_decoded_rows_round_trip_through_the_encoder() -> None:
    line = {"seq": 1, "at": "t", "actor": "a", "device_id": "d", "action": "x", "entity": "e"}
    row = {**line, "entity_id": "i", "visit_id": None, "old": None, "new": "é", "prev_hash": "p", "hash": "h"}
    row |= {"scheme": 2, "values_sha256": "v", "salt": None}
    assert decode_jsonl("audit_log", encode_jsonl([row])) == [row]


def test_json_value_agrees_with_json_loads() -> None:
    for text in ['"Ja"', "true", "null", "[1, 2]", ' {"a": 1} ', "1 ", "NaN", '"\\u00e9"', "[[[]]]"]:
        assert json_value(text) == json.loads(text) or text == "NaN"
    for bad in ["", " ", "1 2", "[1,", "'x'", '"a', "01", "[1]]", "tru"]:
        with pytest.raises(ValueError):
            json.loads(bad)
        with pytest.raises(ValueError):
            json_value(bad)
