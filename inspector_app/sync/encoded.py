"""Visits as canonical JSON lines made by SQLite itself: the export's rows without a Python dict each.

An export writes every row of every pending visit once and hashes each visit's canonical snapshot.
Reading a million rows into dicts and encoding them one by one was most of its time; SQLite's
`json_object` writes the same bytes as `records.encode_row` (keys in sorted order, no spaces,
UTF-8 text, the same escapes: tests/sync/test_encoded.py holds them equal over every code point and
the demo data), so the lines come straight from the query, in the order `load_snapshots` sorts
them. SQLite also joins each visit's lines of a table (`group_concat` in snapshot order), so Python
sees one bytes value per visit and table: per row, Python cost as much as SQLite's encoding. Photos
are also read as rows: the export needs their media names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from operator import itemgetter

from sqlite_utils import Database

from inspector_app.sync.records import (
    KEYS,
    VISIT_PARTS,
    Row,
    chunks,
    column_names,
    read_rows,
    snapshot_sha256,
)
from inspector_app.sync.zip_stream import inflate_pieces

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


def _text_order(table: str, piece: bytes) -> bytes:
    """A visit's lines of `table` in `records._sort`'s order: every key column compared as text."""
    keys = KEYS[table]
    lines = piece.split(b"\n")
    lines.sort(key=lambda line: tuple(str(value) for value in itemgetter(*keys)(json.loads(line))))
    return b"\n".join(lines)


@cache
def _pieces_select(table: str) -> str:
    """Per visit: its rows of `table` as canonical lines joined by a newline (in snapshot order, as
    bytes: never decoded to a Python string), and whether any row may be out of text order. SQLite
    aggregates them, so Python handles one value per visit and table instead of one per row."""
    return (
        f"SELECT visit_id, max({_out_of_text_order_sql(table)}),"
        f" CAST(group_concat({_line_sql(table)}, char(10) ORDER BY {_order_sql(table)}) AS BLOB)"
        f" FROM {table}"
    )


@dataclass
class EncodedVisit:
    """One visit's canonical lines per table ("visits" holds the visit row), each table's lines joined
    by newlines as they stand in a records file, and its photos; `sha256` names it exactly as
    `records.Snapshot.sha256` does (`records.snapshot_sha256`). A visit read from its kept lines
    (sync.encoded_cache) holds them `deflated` instead, each table's lines with a newline after each
    as one `zip_stream.deflate_piece` (b"" for none): the export splices those into the records files
    as they are, and `pieces` inflates them only when asked."""

    visit_id: str
    location_id: str
    _pieces: dict[str, bytes]
    photos: list[Row] = field(default_factory=list)
    known_sha256: str = ""  # the hash kept with the lines (sync.encoded_cache); worked out when empty
    deflated: dict[str, bytes] = field(default_factory=dict)

    @property
    def pieces(self) -> dict[str, bytes]:
        if not self._pieces and self.deflated:
            self._pieces = {
                table: inflate_pieces(piece)[:-1] if piece else b"" for table, piece in self.deflated.items()
            }
        return self._pieces

    @property
    def lines(self) -> dict[str, list[str]]:
        """Each table's lines, one string per row (what `records.Snapshot.lines` holds)."""
        return {
            table: piece.decode("utf-8").split("\n") if piece else [] for table, piece in self.pieces.items()
        }

    @cached_property
    def sha256(self) -> str:
        return self.known_sha256 or snapshot_sha256(self.pieces)

    def release_lines(self) -> None:
        """Drop the lines once they are in the records files, keeping the hash, location and photos:
        an export of 10,000 visits would otherwise hold about 175 MiB of them until it ends."""
        self.known_sha256 = self.sha256
        self._pieces, self.deflated = {}, {}


def encoded_visits(db: Database, visit_ids: list[str] | None = None) -> Iterator[EncodedVisit]:
    """The given visits (all when None) in id order, read table by table in chunks. All visits are
    read by ranges of the id index (a chunk of every id holds every id between its first and last);
    chosen ones by a list of ids."""
    every = visit_ids is None
    ids = (
        sorted(visit_ids)
        if visit_ids is not None
        else [str(r[0]) for r in db.execute("SELECT id FROM visits ORDER BY id")]
    )
    for chunk, marks in chunks(ids, CHUNK):
        where, params = ("BETWEEN ? AND ?", [chunk[0], chunk[-1]]) if every else (f"IN ({marks})", chunk)
        found: dict[str, EncodedVisit] = {}
        for visit_id, location_id, line in db.execute(
            f"SELECT id, location_id, CAST({_line_sql('visits')} AS BLOB) FROM visits"
            f" WHERE id {where} ORDER BY id",
            params,
        ):
            pieces = {"visits": line, **dict.fromkeys(VISIT_PARTS, b"")}
            found[visit_id] = EncodedVisit(visit_id, location_id, pieces)
        for table in VISIT_PARTS:
            for visit_id, out_of_order, piece in db.execute(
                f"{_pieces_select(table)} WHERE visit_id {where} GROUP BY visit_id", params
            ):
                found[visit_id].pieces[table] = _text_order(table, piece) if out_of_order else piece
        for photo in read_rows(db, "photos", f"WHERE visit_id {where} ORDER BY id", params):
            found[photo["visit_id"]].photos.append(photo)
        yield from (found[vid] for vid in sorted(found))


def encoded_rows(db: Database, table: str, where: str, params: list[object], order: str) -> tuple[bytes, int]:
    """The rows of `table` matching `where`, in `order`, as the lines of its records file (each ending
    in a newline) and how many there are: the bytes `records.encode_jsonl` makes of the same rows, in
    one value from SQLite instead of one Python dict per row."""
    count, lines = db.execute(
        f"SELECT count(*), CAST(group_concat({_line_sql(table)}, char(10) ORDER BY {order}) AS BLOB)"
        f" FROM {table} {where}",
        params,
    ).fetchone()
    return (lines + b"\n" if count else b""), int(count)  # a BLOB: bytes already
