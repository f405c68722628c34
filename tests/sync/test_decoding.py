"""The fast whole-file decoding of records accepts exactly what the strict per-line decoding accepts."""

from __future__ import annotations

import pytest

from inspector_app.storage.audit import canonical_json
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import _fast_rows, check_row, decode_jsonl, strict_json

TABLE = "sync_reference_history"


def row(n: int, slug: str = "gen.fear") -> dict[str, str]:
    return {"visit_id": f"v{n}", "slug": slug, "location_id": "l", "visit_date": "2026-01-01", "weight": "H"}


def test_canonical_lines_take_the_fast_path_with_identical_rows() -> None:
    lines = [canonical_json(row(n, slug="a},{b" if n == 3 else "gen.fear")).encode() for n in range(6)]
    fast = _fast_rows(TABLE, [line for line in lines if b"},{" not in line])
    assert fast == [check_row(TABLE, strict_json(line)) for line in lines if b"},{" not in line]
    assert decode_jsonl(TABLE, b"\n".join(lines), "x") == [strict_json(line) for line in lines]


def test_rows_split_across_lines_never_take_the_fast_path() -> None:
    # Two lines that only form rows when joined (a string swallowing the line break), balanced by a
    # line holding two rows: the per-line decoder rejects this, so the fast path must not accept it.
    first = canonical_json(row(1))[:-2].encode() + b"}"  # ..."weight":"H}  (string left open)
    second = b'{"}'
    both = canonical_json(row(2)).encode() + b"," + canonical_json(row(3)).encode()
    joined = strict_json(b"[" + b",".join([first, second, both]) + b"]")
    assert [check_row(TABLE, value)["weight"] for value in joined] == ["H},{", "H", "H"]
    assert _fast_rows(TABLE, [first, second, both]) is None
    with pytest.raises(BundleRejectedError) as caught:
        decode_jsonl(TABLE, b"\n".join([first, second, both]), "x")
    assert caught.value.code == "bad_record"


@pytest.mark.parametrize(
    "line",
    [
        b'{"visit_id":"v","visit_id":"w","slug":"s","location_id":"l","visit_date":"d","weight":"H"}',
        b'{"visit_id":"v","slug":"s","location_id":"l","visit_date":"d","weight":1.5}',
        b'{"visit_id":"v","slug":"s","location_id":"l","visit_date":"d","weight":NaN}',
        b'{"visit_id":"v","slug":"s","location_id":"l","visit_date":"d","weight":"H","extra":1}',
    ],
)
def test_hostile_lines_are_rejected(line: bytes) -> None:
    assert _fast_rows(TABLE, [line]) is None
    with pytest.raises(BundleRejectedError):
        decode_jsonl(TABLE, line, "x")


def test_non_canonical_but_valid_lines_still_decode() -> None:
    spaced = b'{ "visit_id": "v1", "slug": "s", "location_id": "l", "visit_date": "d", "weight": "H" }'
    assert _fast_rows(TABLE, [spaced]) is None
    assert decode_jsonl(TABLE, spaced, "x")[0]["visit_id"] == "v1"
