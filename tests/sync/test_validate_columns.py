"""The column-by-column check of a decoded file (`validate._columns_hold`) says yes exactly when the
row-by-row `_common` accepts every row: it only decides whether the row pass may be skipped, so a
yes for a file with one bad row would let that row into the store."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.sync.validate import _columns_hold, _common, _FaultError
from tests.sync.test_codec import GOOD_ROWS as CODEC_ROWS

# The codec's good rows with every id a UUID, so that each of them passes `_common` on its own.
_IDS = ("id", "visit_id", "location_id", "head_rev", "base_rev", "device_id")
GOOD_ROWS = {
    table: {
        name: str(uuid.uuid5(uuid.NAMESPACE_URL, str(value))) if name in _IDS and value is not None else value
        for name, value in row.items()
    }
    for table, row in CODEC_ROWS.items()
}

VALUES = st.sampled_from(
    [
        None,
        "",
        "tekst",
        "café ëën",  # non-ASCII text is fine
        "a\x00b",
        "abc\u202edef",
        "\ud800",
        "\udc00",
        "2026-03-04T10:00:00.000Z",
        "gisteren",
        "0b6a3c1e-8f1d-4b8e-9c0a-2f4d6e8a1b3c",
        "../../x",
        "draft",
        "H",
        "bogus",
        '["a"]',
        '["a", 1]',
        "[unclosed",
        0,
        1,
        2,
        -1,
    ]
)


def row_passes(table: str, row: dict[str, Any]) -> bool:
    try:
        _common(table, row)
    except (_FaultError, TypeError):
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(table=st.sampled_from(sorted(GOOD_ROWS)), data=st.data())
def test_the_column_check_agrees_with_the_row_check(table: str, data: st.DataObject) -> None:
    rows = []
    for _index in range(data.draw(st.integers(min_value=1, max_value=4))):
        row = dict(GOOD_ROWS[table])
        for name in data.draw(st.lists(st.sampled_from(sorted(row)), max_size=3, unique=True)):
            row[name] = data.draw(VALUES)
        rows.append(row)
    assert _columns_hold(table, rows) == all(row_passes(table, row) for row in rows)


def test_two_lone_surrogates_in_neighbouring_rows_do_not_make_a_valid_pair() -> None:
    """The join of a column's texts keeps each surrogate on its own (Python never pairs them)."""
    rows = [{**GOOD_ROWS["answers"], "note": "\ud83d"}, {**GOOD_ROWS["answers"], "note": "\ude00"}]
    assert not row_passes("answers", rows[0])
    assert not _columns_hold("answers", rows)


@pytest.mark.parametrize("table", sorted(GOOD_ROWS))
def test_good_rows_hold(table: str) -> None:
    assert row_passes(table, GOOD_ROWS[table])
    assert _columns_hold(table, [GOOD_ROWS[table]] * 2)
