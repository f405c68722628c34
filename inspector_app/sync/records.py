"""The records a bundle carries, as typed rows, and strict decoding of untrusted JSON lines.

Each record is one row of a store table with its columns exactly as stored (JSON columns stay JSON
text), so a round trip keeps every field. A visit travels as a *snapshot*: its row, revisions,
answers, persons, indicator observations, photo records and referrals; the SHA-256 of the canonical
snapshot identifies that exact content in receipts and in the office's version table.

The columns are not listed here: `sync.codec` derives them from the domain records, and this module
only names the exceptions (supplied columns that travel, two tables without a record).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

from inspector_app.domain.records import (
    RECORD_TYPES,
    AnswerRow,
    ObservationRow,
    PersonRow,
    PhotoRow,
    Record,
    ReferralRow,
    RevisionRow,
    VisitRow,
)
from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json
from inspector_app.sync.codec import INT_LIMIT as INT_LIMIT
from inspector_app.sync.codec import MAX_TEXT as MAX_TEXT
from inspector_app.sync.codec import ColumnType, RowCheck, derive_columns
from inspector_app.sync.errors import BundleRejectedError

# Records that have no domain record type: their wire shape is spelled out here. The audit log is the
# store's hash chain (written by `storage.audit`, kept per device at the office), and the reference
# history is a table of the sync layer itself. Kinds: "s" text, "i" integer, "?" also null.
PINNED_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "audit_log": (
        ("seq", "i"),
        ("at", "s"),
        ("actor", "s"),
        ("device_id", "s"),
        ("action", "s"),
        ("entity", "s"),
        ("entity_id", "s"),
        ("visit_id", "s?"),
        ("old", "s?"),
        ("new", "s?"),
        ("prev_hash", "s"),
        ("hash", "s"),
        # storage.audit scheme 2: the hash covers a salted commitment to old/new, not the values
        # themselves (so a purge can remove them); scheme 1 rows (before 008) have no commitment.
        ("scheme", "i"),
        ("values_sha256", "s"),
        ("salt", "s?"),  # null once the values are purged
    ),
    # Office -> laptop reference bundles: an earlier visit's indicator, per location.
    "sync_reference_history": (
        ("visit_id", "s"),
        ("slug", "s"),
        ("location_id", "s"),
        ("visit_date", "s"),
        ("weight", "s"),
    ),
    # The zaak a visit is filed under (sync.zaak): filing metadata beside the snapshots, not in them.
    "visit_zaak": (
        ("visit_id", "s"),
        ("zaaknummer", "s"),
        ("zaaktype", "s"),
        ("updated_at", "s"),
        ("updated_by", "s"),
    ),
    # Laptop -> office, next to its visit: the re-inspection planned for a visit and the earlier visit a
    # visit follows up (services.reinspections). Not part of the snapshot: planning, not sealed content.
    "visit_follow_ups": (
        ("visit_id", "s"),
        ("due_date", "s?"),
        ("follows_up", "s?"),
        ("updated_at", "s"),
        ("updated_by", "s"),
        ("device_id", "s"),
    ),
    # Office -> laptop reference bundles: the re-inspections still open, per location.
    "sync_reference_due": (
        ("visit_id", "s"),
        ("location_id", "s"),
        ("visit_date", "s"),
        ("due_date", "s"),
    ),
}
# The documented exceptions to "a record's fields are its columns": columns the store supplies itself
# (`Record.SUPPLIED_COLUMNS`) still travel, because a snapshot is the rows exactly as stored. They are
# text and not null; each is placed after the named column (None: first) so the codec keeps the table's
# column order. Every other column of a record table travels as its field; none is device-local today.
TRAVELLING_SUPPLIED: dict[str, dict[str, str | None]] = {
    "answers": {"visit_id": None},
    "persons": {"created_at": "removed", "updated_at": "created_at"},
    "indicator_observations": {"visit_id": "id", "updated_at": "created_by"},
}
RECORDS: dict[str, type[Record]] = {record.TABLE: record for record in RECORD_TYPES}
TABLES: dict[str, tuple[tuple[str, ColumnType], ...]] = {
    **{
        table: derive_columns(record, TRAVELLING_SUPPLIED.get(table, {})) for table, record in RECORDS.items()
    },
    **{table: tuple((n, ColumnType.parse(k)) for n, k in spec) for table, spec in PINNED_TABLES.items()},
}
ROW_CHECKS: dict[str, RowCheck] = {table: RowCheck.of(spec) for table, spec in TABLES.items()}
# Per visit, in snapshot order; the natural key of each (duplicates in a bundle are rejected).
VISIT_PARTS: dict[str, tuple[str, ...]] = {
    "visit_revisions": ("id",),
    "answers": ("visit_id", "question_id", "person_number"),
    "persons": ("id",),
    "indicator_observations": ("id",),
    "photos": ("id",),
    "referrals": ("id",),
}
KEYS: dict[str, tuple[str, ...]] = {
    "locations": ("id",),
    "visits": ("id",),
    "audit_log": ("seq",),
    "sync_reference_history": ("visit_id", "slug"),
    "visit_zaak": ("visit_id",),
    "visit_follow_ups": ("visit_id",),
    "sync_reference_due": ("visit_id",),
    **VISIT_PARTS,
}
# The records files of a bundle, named after the kind of record (not the table).
FILES: dict[str, str] = {
    "locations": "records/locations.jsonl",
    "visits": "records/visits.jsonl",
    "visit_revisions": "records/revisions.jsonl",
    "answers": "records/answers.jsonl",
    "persons": "records/persons.jsonl",
    "indicator_observations": "records/indicators.jsonl",
    "photos": "records/photos.jsonl",
    "referrals": "records/referrals.jsonl",
    "audit_log": "records/audit.jsonl",
    "visit_zaak": "records/zaken.jsonl",
    # Since schema 10; a bundle without it (an older laptop) has no re-inspections to tell.
    "visit_follow_ups": "records/follow_ups.jsonl",
}
MAX_LINE = 1024 * 1024
MAX_RECORDS = 1_000_000

Row = dict[str, Any]
# `storage.audit.canonical_json` as one reusable encoder: `json.dumps` with options builds a new encoder
# per call, and a bundle encodes every row (tens of thousands) once for its file and once for its hash.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_row(value: Any) -> str:
    """Exactly `canonical_json(value)` (tests/sync/test_speed_encoding.py holds them equal)."""
    text: str = _CANONICAL.encode(value)
    return text


# The keys of a canonical snapshot in sorted order, each with its JSON form.
_SNAPSHOT_KEYS = tuple((key, encode_row(key)) for key in sorted(["visit", *VISIT_PARTS]))


def snapshot_text(lines: dict[str, list[str]]) -> str:
    """A canonical snapshot put together from its rows' lines (per table; "visits" holds the visit)."""
    pieces = {"visit": lines["visits"][0], **{t: f"[{','.join(lines[t])}]" for t in VISIT_PARTS}}
    return "{" + ",".join(f"{quoted}:{pieces[key]}" for key, quoted in _SNAPSHOT_KEYS) + "}"


# Per key of the canonical snapshot, in order: its table and the bytes `snapshot_text` writes before its value.
_SNAPSHOT_PREFIXES = tuple(
    ("visits" if key == "visit" else key, f"{',' if index else '{'}{quoted}:".encode())
    for index, (key, quoted) in enumerate(_SNAPSHOT_KEYS)
)


def snapshot_sha256(pieces: dict[str, bytes]) -> str:
    """The SHA-256 of `snapshot_text` for lines given per table as one UTF-8 piece, joined by newlines
    (as `sync.encoded` reads them), fed piece by piece instead of put together. A canonical line never
    holds a raw newline (JSON escapes it), so each newline is exactly a comma between array items."""
    digest = hashlib.sha256()
    for table, prefix in _SNAPSHOT_PREFIXES:
        digest.update(prefix)
        piece = pieces[table]
        digest.update(piece if table == "visits" else b"[" + piece.replace(b"\n", b",") + b"]")
    digest.update(b"}")
    return digest.hexdigest()


def column_names(table: str) -> tuple[str, ...]:
    return tuple(name for name, _type in TABLES[table])


def columns(table: str) -> str:
    return ", ".join(column_names(table))


def _key_getter(keys: tuple[str, ...]) -> Callable[[Row], tuple[Any, ...]]:
    if len(keys) == 1:
        (key,) = keys
        return lambda row: (row[key],)
    getter: Callable[[Row], tuple[Any, ...]] = itemgetter(*keys)
    return getter


# Per table, worked out once: every decoded row's key is looked up for the duplicate check and sorting.
_KEY_GETTERS = {table: _key_getter(keys) for table, keys in KEYS.items()}


def row_key(table: str, row: Row) -> tuple[Any, ...]:
    return _KEY_GETTERS[table](row)


@dataclass(frozen=True)
class VisitRecords:
    """A snapshot as typed domain records: what validation of a decoded visit builds on."""

    visit: VisitRow
    revisions: list[RevisionRow]
    answers: list[AnswerRow]
    persons: list[PersonRow]
    observations: list[ObservationRow]
    photos: list[PhotoRow]
    referrals: list[ReferralRow]


@dataclass
class Snapshot:
    """One visit's complete content as stored; `sha256` names it."""

    visit: Row
    parts: dict[str, list[Row]]

    @property
    def visit_id(self) -> str:
        return str(self.visit["id"])

    def canonical(self) -> dict[str, Any]:
        return {"visit": self.visit, **{t: self.parts.get(t, []) for t in VISIT_PARTS}}

    @cached_property
    def lines(self) -> dict[str, list[str]]:
        """Each row's canonical encoding, per table ("visits" holds the visit itself): the bundle's
        JSON lines and the pieces of the canonical snapshot, so an export encodes every row once."""
        return {
            "visits": [encode_row(self.visit)],
            **{t: [encode_row(row) for row in self.parts.get(t, [])] for t in VISIT_PARTS},
        }

    def with_known_lines(self, lines: dict[str, list[str]]) -> Snapshot:
        """This snapshot with lines already proven canonical for exactly its rows, in their order."""
        self.__dict__["lines"] = lines
        return self

    def with_lines(self) -> Snapshot:
        """This snapshot with its rows encoded now: an export then builds the hash from the same lines
        it writes, instead of encoding the whole snapshot once more."""
        _ = self.lines  # a cached_property: kept from this first access on
        return self

    @cached_property
    def canonical_text(self) -> str:
        """Exactly `canonical_json(self.canonical())`, put together from `lines`: the canonical form
        of an object is its keys in sorted order, each followed by its value's canonical form."""
        return snapshot_text(self.lines)

    @cached_property
    def sha256(self) -> str:
        """Worked out once: export and import both ask for it several times per visit. A snapshot is
        never changed after it is built (its rows are what was read or decoded)."""
        # From the row lines when an export has them; else one encoder call for the whole snapshot,
        # which is cheaper than encoding row by row (the import never needs the lines).
        if "lines" in self.__dict__:
            text = self.canonical_text
        else:
            text = self.__dict__["canonical_text"] = encode_row(self.canonical())  # same value, kept
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def rev_ids(self) -> list[str]:
        return sorted(str(r["id"]) for r in self.parts.get("visit_revisions", []))

    def records(self) -> VisitRecords:
        """The typed records of this snapshot; rows that passed `check_row` always convert. Built
        once: the import's reference checks and its content-hash check both read them."""
        built: VisitRecords | None = self.__dict__.get("_records")
        if built is None:
            built = self.__dict__["_records"] = self._build_records()
        return built

    def _build_records(self) -> VisitRecords:
        parts = self.parts
        return VisitRecords(
            visit=VisitRow.from_row(self.visit),
            revisions=[RevisionRow.from_row(row) for row in parts.get("visit_revisions", [])],
            answers=[AnswerRow.from_row(row) for row in parts.get("answers", [])],
            persons=[PersonRow.from_row(row) for row in parts.get("persons", [])],
            observations=[ObservationRow.from_row(row) for row in parts.get("indicator_observations", [])],
            photos=[PhotoRow.from_row(row) for row in parts.get("photos", [])],
            referrals=[ReferralRow.from_row(row) for row in parts.get("referrals", [])],
        )

    @classmethod
    def from_canonical(cls, value: dict[str, Any]) -> Snapshot:
        return cls(value["visit"], {t: value.get(t, []) for t in VISIT_PARTS})


def _snapshot_order(table: str) -> Callable[[Row], tuple[Any, ...]]:
    names = KEYS[table]
    text = {name for name, kind in TABLES[table] if kind == ColumnType("s")}
    getter = itemgetter(*names)
    if not all(name in text for name in names):
        return lambda row: tuple(map(str, getter(row)))
    # Every key column text, never null: already as text.
    return (lambda row: (getter(row),)) if len(names) == 1 else getter


# Per table, worked out once: an import sorts every decoded row of a bundle by it.
_SNAPSHOT_ORDERS = {table: _snapshot_order(table) for table in KEYS}


def snapshot_order(table: str) -> Callable[[Row], tuple[Any, ...]]:
    """A row's place in its visit's snapshot: its key as text (what `sort_rows` sorts by)."""
    return _SNAPSHOT_ORDERS[table]


def sort_rows(table: str, rows: list[Row]) -> list[Row]:
    """A visit's rows of `table` in snapshot order (by key, as text): the order its hash is taken in."""
    return sorted(rows, key=_SNAPSHOT_ORDERS[table])


def read_rows(db: Database, table: str, where: str = "", params: Iterable[Any] = ()) -> list[Row]:
    names = column_names(table)
    cursor = db.execute(f"SELECT {columns(table)} FROM {table} {where}", list(params))
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def chunks(ids: list[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """`ids` in slices of at most `size`, each with its "?, ?, ..." list: SQLite binds at most 32,766
    parameters per statement, and 500 keeps every `IN (...)` well below it."""
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield chunk, ", ".join("?" for _ in chunk)


def rows_of_visits(db: Database, table: str, visit_ids: list[str]) -> list[Row]:
    """The rows of `table` that belong to `visit_ids` (sorted), in chunks of 500 bound parameters."""
    found: list[Row] = []
    for chunk, marks in chunks(visit_ids):
        found += read_rows(db, table, f"WHERE visit_id IN ({marks}) ORDER BY visit_id", chunk)
    return found


def load_snapshots(db: Database, visit_ids: list[str] | None = None) -> Iterator[Snapshot]:
    """Snapshots of the given visits (all when None), read table by table in chunks of 500."""
    ids = (
        visit_ids
        if visit_ids is not None
        else [str(r[0]) for r in db.execute("SELECT id FROM visits ORDER BY id")]
    )
    for chunk, marks in chunks(ids):
        visits = read_rows(db, "visits", f"WHERE id IN ({marks})", chunk)
        grouped: dict[str, dict[str, list[Row]]] = {
            str(v["id"]): {t: [] for t in VISIT_PARTS} for v in visits
        }
        for table in VISIT_PARTS:
            for row in read_rows(db, table, f"WHERE visit_id IN ({marks})", chunk):
                grouped[str(row["visit_id"])][table].append(row)
        for visit in sorted(visits, key=lambda v: str(v["id"])):
            parts = grouped[str(visit["id"])]
            yield Snapshot(visit, {t: sort_rows(t, rows) for t, rows in parts.items()})


def insert_rows(db: Database, table: str, rows: list[Row], verb: str = "INSERT") -> None:
    if not rows:
        return
    values, sql = _INSERTS[table]
    db.conn.executemany(f"{verb} {sql}", map(values, rows))


def _insert_plan(table: str) -> tuple[itemgetter[Any], str]:
    names = column_names(table)
    marks = ", ".join("?" for _ in names)
    return itemgetter(*names), f"INTO {table} ({columns(table)}) VALUES ({marks})"


# Per table, worked out once: the import writes each visit's parts with one statement per table.
_INSERTS = {table: _insert_plan(table) for table in TABLES}


def encode_jsonl(rows: Iterable[Row]) -> bytes:
    return join_lines([encode_row(row) for row in rows])


def join_lines(lines: list[str]) -> bytes:
    """A JSON lines file of rows already encoded (`encode_row`)."""
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


# ------------------------------------------------------------------------------------- decoding


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _bounded_int(text: str) -> int:
    if len(text) > 20:
        raise ValueError("integer out of range")
    value = int(text)
    if not -INT_LIMIT <= value < INT_LIMIT:
        raise ValueError("integer out of range")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def strict_json(data: bytes) -> Any:
    """JSON without NaN/Infinity, duplicate keys, floats, huge integers or deep nesting."""
    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
            parse_int=_bounded_int,
            parse_float=lambda text: _reject_constant(f"float {text}"),
        )
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise ValueError(str(error)[:200]) from error


def check_row(table: str, value: Any) -> Row:
    """A decoded record must be an object with exactly the table's columns, each of its wire type."""
    if isinstance(value, dict) and ROW_CHECKS[table].accepts(value):
        return value
    return check_row_ordered(table, value)


def check_row_ordered(table: str, value: Any) -> Row:
    """`check_row` column by column: slower, but the refusal names the first bad field."""
    if not isinstance(value, dict):
        raise ValueError("record is not an object")
    spec = TABLES[table]
    unknown = set(value) - set(column_names(table))
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    for name, kind in spec:
        if name not in value:
            raise ValueError(f"missing field {name!r}")
        kind.check(name, value[name])
    return value


def _fast_rows(table: str, data: bytes, lines: list[bytes]) -> list[Row] | None:
    """All lines in one C-speed parse, kept only if each line is exactly the canonical encoding of one
    row - what the strict per-line path would accept - else None (then that path decides, with line
    numbers). Proof sketch: rows are flat objects (check_row), so in the canonical re-encoding of the
    whole list every top-level separator is the bytes `},{`; no line contains them, the counts match
    and the bytes are equal, hence the line breaks sit exactly between rows and every line is its row's
    canonical encoding (no duplicate keys, spacing or number tricks). `lines` are `data`'s lines."""
    if b"},{" in data:  # in some line: a newline cannot sit inside the three bytes
        return None
    joined = b"[" + b",".join(lines) + b"]"
    try:
        values = json.loads(joined)
        if not isinstance(values, list) or len(values) != len(lines):
            return None
        if set(map(type, values)) - {dict} or not ROW_CHECKS[table].accepts_all(values):
            return None
        if encode_row(values).encode("utf-8") != joined:
            return None
    except (ValueError, RecursionError, UnicodeError, TypeError):
        return None
    return values


def decode_jsonl(table: str, data: bytes, file: str | None = None) -> list[Row]:
    return decode_jsonl_lines(table, data, file)[0]


def decode_jsonl_lines(
    table: str, data: bytes, file: str | None = None
) -> tuple[list[Row], list[str] | None]:
    """The rows, and when every line was proven to be its row's canonical encoding (`_fast_rows`)
    those lines too: an import then names each visit's snapshot from them without encoding again."""
    file = file or FILES[table]
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the newline that ends the last line
    fast = None
    # Whole-file checks at C speed; an empty line, a long one or too many go the line-by-line way.
    if len(lines) <= MAX_RECORDS and b"" not in lines and max(map(len, lines), default=0) <= MAX_LINE:
        fast = _fast_rows(table, data, lines)
    if fast is not None and len(set(map(_KEY_GETTERS[table], fast))) == len(fast):
        # Proven canonical (hence UTF-8) and no key twice: the loop below would take every row as it is.
        text = data.decode("utf-8").split("\n")
        return fast, text[: len(fast)]
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
    rows: list[Row] = []
    seen: set[tuple[Any, ...]] = set()
    for index, (number, line) in enumerate(numbered):
        if fast is not None:
            row = fast[index]
        else:
            try:
                if len(line) > MAX_LINE:
                    raise ValueError("line too long")
                row = check_row(table, strict_json(line))
            except ValueError as error:
                raise BundleRejectedError(
                    "bad_record",
                    _(
                        "Ongeldig record in {file}, regel {line}: {problem}",
                        file=file,
                        line=number,
                        problem=str(error),
                    ),
                ) from error
        key = row_key(table, row)
        if key in seen:
            raise BundleRejectedError(
                "duplicate_record",
                _("Dubbel record in {file}, regel {line}", file=file, line=number),
            )
        seen.add(key)
        rows.append(row)
        if len(rows) > MAX_RECORDS:
            raise BundleRejectedError("too_many_records", _("Te veel records in {file}", file=file))
    return rows, None  # here only when the fast path did not prove the lines (a duplicate raised above)


def upsert_location(db: Database, row: Row) -> None:
    """Keep the newer of two versions of a register entry (then the larger canonical form): order-free."""
    current = read_rows(db, "locations", "WHERE id = ?", [row["id"]])
    if not current:
        insert_rows(db, "locations", [row])
        return
    if (row["updated_at"], canonical_json(row)) > (current[0]["updated_at"], canonical_json(current[0])):
        insert_rows(db, "locations", [row], verb="INSERT OR REPLACE")


def upsert_follow_up(db: Database, row: Row) -> None:
    """Keep the later of two versions of a visit's re-inspection (then the larger canonical form), so
    the result does not depend on the order bundles (or the office's own change) arrive in."""
    current = read_rows(db, "visit_follow_ups", "WHERE visit_id = ?", [row["visit_id"]])
    if not current or (row["updated_at"], canonical_json(row)) > (
        current[0]["updated_at"],
        canonical_json(current[0]),
    ):
        insert_rows(db, "visit_follow_ups", [row], verb="INSERT OR REPLACE")
