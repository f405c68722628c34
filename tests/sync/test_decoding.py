"""The fast whole-file decoding of records accepts exactly what the strict per-line decoding accepts."""

from __future__ import annotations

import pytest

from inspector_app.storage.audit import canonical_json
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import _fast_rows, check_row, decode_jsonl, strict_json

TABLE = "sync_reference_history"


def fast_rows(lines: list[bytes]) -> list[dict[str, object]] | None:
    """The fast path on the file these lines make."""
    return _fast_rows(TABLE, b"\n".join(lines), lines)


def row(n: int, slug: str = "gen.fear") -> dict[str, str]:
    return {"visit_id": f"v{n}", "slug": slug, "location_id": "l", "visit_date": "2026-01-01", "weight": "H"}


def test_canonical_lines_take_the_fast_path_with_identical_rows() -> None:
    lines = [canonical_json(row(n, slug="a},{b" if n == 3 else "gen.fear")).encode() for n in range(6)]
    fast = fast_rows([line for line in lines if b"},{" not in line])
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
    assert fast_rows([first, second, both]) is None
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
    assert fast_rows([line]) is None
    with pytest.raises(BundleRejectedError):
        decode_jsonl(TABLE, line, "x")


def test_non_canonical_but_valid_lines_still_decode() -> None:
    spaced = b'{ "visit_id": "v1", "slug": "s", "location_id": "l", "visit_date": "d", "weight": "H" }'
    assert fast_rows([spaced]) is None
    assert decode_jsonl(TABLE, spaced, "x")[0]["visit_id"] == "v1"


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"ROW1\nROW1\n", "duplicate_record", 2),  # canonical lines, one key twice: named by its line
        (b"ROW1\n\nROW2\nROW2", "duplicate_record", 4),  # an empty line: the line-by-line way, same numbers
    ],
)
def test_whole_file_refusals_name_the_line(data: bytes, code: str, line: int) -> None:
    data = data.replace(b"ROW1", canonical_json(row(1)).encode()).replace(
        b"ROW2", canonical_json(row(2)).encode()
    )
    with pytest.raises(BundleRejectedError) as caught:
        decode_jsonl(TABLE, data, "records/x.jsonl")
    assert caught.value.code == code
    assert f"regel {line}" in caught.value.message


def test_empty_lines_and_a_missing_final_newline_decode_the_same_rows() -> None:
    lines = [canonical_json(row(n)).encode() for n in range(3)]
    expected = [strict_json(line) for line in lines]
    assert decode_jsonl(TABLE, b"\n".join(lines), "x") == expected
    assert decode_jsonl(TABLE, b"\n".join(lines) + b"\n", "x") == expected
    assert decode_jsonl(TABLE, b"\n\n".join(lines) + b"\n\n", "x") == expected
    assert decode_jsonl(TABLE, b"", "x") == []
    assert decode_jsonl(TABLE, b"\r\n".join(lines), "x") == expected  # not canonical, still valid JSON
