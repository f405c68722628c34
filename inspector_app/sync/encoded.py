"""Visits as canonical JSON lines made by SQLite itself: the export's rows without a Python dict each.

An export writes every row of every pending visit once and hashes each visit's canonical snapshot.
Reading a million rows into dicts and encoding them one by one was most of its time; SQLite's
`json_object` writes the same bytes as `records.encode_row` (keys in sorted order, no spaces,
UTF-8 text, the same escapes: tests/sync/test_encoded.py holds them equal over every code point and
the demo data), so the lines come straight from the query, in the order `load_snapshots` sorts
them. Photos are also read as rows: the export needs their media names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import itemgetter

from sqlite_utils import Database

from inspector_app.sync.records import KEYS, VISIT_PARTS, Row, chunks, column_names, read_rows, snapshot_text

CHUNK = 500


@cache
def _line_sql(table: str) -> str:
    """The canonical JSON of one row of `table` as an SQL expression (columns come from the codec)."""
    return "json_object(" + ", ".join(f"'{name}', {name}" for name in sorted(column_names(table))) + ")"


# An answer's key ends in its integer person number, which `records._sort` compares as text (person
# 10 before person 2). Ordered as integers, the rows come straight from the primary key with no sort
# (a third of the export's SQL time); the two orders differ only where a number has two digits or
# more, so the visits holding such a row are sorted again in Python (`_text_order`).
INTEGER_KEYS = {"answers": "person_number"}


@cache
def _order_sql(table: str) -> str:
    """The order the rows are read in: `records._sort`'s text order, or the index order for answers."""
    if table in INTEGER_KEYS:
        return ", ".join(name for name in KEYS[table] if name != "visit_id")
    return ", ".join(f"CAST({name} AS TEXT)" for name in KEYS[table])


@cache
def _out_of_text_order_sql(table: str) -> str:
    """True for a row the integer order may place elsewhere than the text order."""
    column = INTEGER_KEYS.get(table)
    return f"({column} NOT BETWEEN 0 AND 9)" if column else "0"


def _text_order(table: str, lines: list[str]) -> list[str]:
    """A visit's lines of `table` in `records._sort`'s order: every key column compared as text."""
    keys = KEYS[table]
    return sorted(lines, key=lambda line: tuple(str(value) for value in itemgetter(*keys)(json.loads(line))))


@dataclass
class EncodedVisit:
    """One visit's lines per table ("visits" holds the visit row) and its photos; `sha256` names it
    exactly as `records.Snapshot.sha256` does."""

    visit_id: str
    location_id: str
    lines: dict[str, list[str]]
    photos: list[Row] = field(default_factory=list)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(snapshot_text(self.lines).encode("utf-8")).hexdigest()


def encoded_visits(db: Database, visit_ids: list[str] | None = None) -> Iterator[EncodedVisit]:
    """The given visits (all when None) in id order, read table by table in chunks."""
    ids = (
        sorted(visit_ids)
        if visit_ids is not None
        else [str(r[0]) for r in db.execute("SELECT id FROM visits ORDER BY id")]
    )
    for chunk, marks in chunks(ids, CHUNK):
        found: dict[str, EncodedVisit] = {}
        for visit_id, location_id, line in db.execute(
            f"SELECT id, location_id, {_line_sql('visits')} FROM visits WHERE id IN ({marks}) ORDER BY id",
            chunk,
        ):
            lines: dict[str, list[str]] = {"visits": [line], **{t: [] for t in VISIT_PARTS}}
            found[str(visit_id)] = EncodedVisit(str(visit_id), str(location_id), lines)
        for table in VISIT_PARTS:
            resort: set[str] = set()
            for visit_id, out_of_order, line in db.execute(
                f"SELECT visit_id, {_out_of_text_order_sql(table)}, {_line_sql(table)} FROM {table}"
                f" WHERE visit_id IN ({marks}) ORDER BY visit_id, {_order_sql(table)}",
                chunk,
            ):
                found[str(visit_id)].lines[table].append(line)
                if out_of_order:
                    resort.add(str(visit_id))
            for visit_id in resort:
                found[visit_id].lines[table] = _text_order(table, found[visit_id].lines[table])
        for photo in read_rows(db, "photos", f"WHERE visit_id IN ({marks}) ORDER BY id", chunk):
            found[str(photo["visit_id"])].photos.append(photo)
        yield from (found[vid] for vid in sorted(found))
