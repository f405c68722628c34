"""Typed records of the store: one frozen, keyword-built dataclass per table row, with enum fields.

They live in `domain` rather than `storage` so the pure core (`signals.ledger`), the documents and the
UI pass the same type around without importing the store (Anki's `Note`/`Card`); `storage.records`
re-exports them for its callers. The field order is the table's column order (`dataclasses.fields()`
gives the column names), so a codec can be derived from a record instead of listing its columns again;
`tests/storage/test_records.py` checks this against `PRAGMA table_info`. Columns a repository stamps
itself at write time (the owning visit of an answer or observation, write times) are named in
`SUPPLIED_COLUMNS` rather than carried by the record.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self

from inspector_app.domain.model import (
    AnswerValue,
    ConsentStatus,
    IndicatorSource,
    LocationType,
    Recipient,
    ReferralStatus,
    Urgency,
    VisitStatus,
    Weight,
)

_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def json_value(text: str) -> Any:
    """Exactly `json.loads(text)` for a str, faster for the short texts of JSON columns.

    `json.loads` skips leading whitespace, scans one value and refuses anything but whitespace after
    it; a text with no whitespace around its value is scanned directly (the same C scanner, without
    two regex passes and three calls), every other text goes through `json.loads` itself.
    """
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, ValueError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json_value(text)


@dataclass(frozen=True, kw_only=True)
class Record:
    """Shared codec: decode a row by column name, encode it back as a column -> value mapping.

    The class variables say how a column is stored: JSON text, a 0/1 integer, or an enum value; every
    other column is stored as it is.
    """

    TABLE: ClassVar[str] = ""
    JSON_COLUMNS: ClassVar[frozenset[str]] = frozenset()
    # Answers keep non-ASCII text readable in the store (as before the move); other JSON is ASCII.
    JSON_ENSURE_ASCII: ClassVar[bool] = True
    FLAG_COLUMNS: ClassVar[frozenset[str]] = frozenset()
    ENUM_COLUMNS: ClassVar[Mapping[str, type[StrEnum]]] = {}
    SUPPLIED_COLUMNS: ClassVar[tuple[str, ...]] = ()
    _DECODERS: ClassVar[tuple[tuple[str, Callable[[Any], Any] | None], ...] | None] = None
    _COLUMN_NAMES: ClassVar[tuple[str, ...] | None] = None

    @classmethod
    def column_names(cls) -> tuple[str, ...]:
        """The record's columns in table order, for SELECT and INSERT statements (worked out once per
        class: the demo generator and every answer write encode records by the thousand)."""
        cached: tuple[str, ...] | None = cls.__dict__.get("_COLUMN_NAMES")
        if cached is None:
            cached = tuple(field.name for field in fields(cls))
            cls._COLUMN_NAMES = cached
        return cached

    @classmethod
    def select_list(cls) -> str:
        return ", ".join(cls.column_names())

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        """Decode one row read by column name (`sqlite3.Row` or a sqlite-utils dict)."""
        return cls._build(
            {name: row[name] if decode is None else decode(row[name]) for name, decode in cls._decoders()}
        )

    @classmethod
    def _build(cls, values: dict[str, Any]) -> Self:
        """The record holding exactly `values` (every field, by name), as `cls(**values)` would build it.

        A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which dominates
        decoding a bundle's tens of thousands of rows; records have no `__post_init__` and the callers
        pass every column, so filling the instance dictionary gives the same object.
        """
        record = object.__new__(cls)
        record.__dict__.update(values)
        return record

    @classmethod
    def decode_all(cls, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[Self]:
        """The rows of a query whose columns are `names`, matched by name (in any order).

        The same decoding as `from_row`, without building a mapping per row: the column plan is
        worked out once per query (an unknown column raises KeyError, a missing one TypeError).
        """
        decoders = dict(cls._decoders())
        plan = [(name, decoders[name]) for name in names]
        return [
            cls(
                **{
                    name: value if decode is None else decode(value)
                    for (name, decode), value in zip(plan, values, strict=True)
                }
            )
            for values in rows
        ]

    @classmethod
    def _decoders(cls) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
        """Per column its decoder (None: stored as it is), worked out once per class.

        A visit's answers are decoded on every load, so the per-row work is one lookup per column.
        """
        cached = cls.__dict__.get("_DECODERS")
        if cached is None:
            cached = tuple((name, cls._decoder(name)) for name in cls.column_names())
            cls._DECODERS = cached
        return cached

    @classmethod
    def _decoder(cls, name: str) -> Callable[[Any], Any] | None:
        if name in cls.JSON_COLUMNS:
            return _json_or_none
        if name in cls.FLAG_COLUMNS:
            return bool
        enum = cls.ENUM_COLUMNS.get(name)
        if enum is None:
            return None
        return lambda value: None if value is None else enum(value)

    def as_row(self) -> dict[str, Any]:
        """The columns to write, in table order, encoded as SQLite stores them."""
        json_columns, flag_columns = self.JSON_COLUMNS, self.FLAG_COLUMNS
        row: dict[str, Any] = {}
        for name in self.column_names():
            value = getattr(self, name)
            if name in json_columns:
                value = None if value is None else json.dumps(value, ensure_ascii=self.JSON_ENSURE_ASCII)
            elif name in flag_columns:
                value = int(value)
            elif isinstance(value, StrEnum):
                value = value.value
            row[name] = value
        return row


@dataclass(frozen=True, kw_only=True)
class LocationRow(Record):
    TABLE: ClassVar[str] = "locations"
    ENUM_COLUMNS: ClassVar[Mapping[str, type[StrEnum]]] = {"location_type": LocationType}

    id: str
    name: str
    location_type: LocationType
    address: str = ""
    postcode: str = ""
    city: str = ""
    kvk_number: str = ""
    licence_number: str = ""
    created_at: str
    updated_at: str


@dataclass(frozen=True, kw_only=True)
class VisitRow(Record):
    TABLE: ClassVar[str] = "visits"
    JSON_COLUMNS: ClassVar[frozenset[str]] = frozenset({"inspectors", "partners"})
    FLAG_COLUMNS: ClassVar[frozenset[str]] = frozenset({"acute"})
    ENUM_COLUMNS: ClassVar[Mapping[str, type[StrEnum]]] = {"status": VisitStatus}

    id: str
    form_id: str
    form_version: int
    location_id: str
    visit_type: str | None
    started_at: str
    ended_at: str | None
    inspectors: list[str]
    partners: list[str]
    legal_ground: str | None
    status: VisitStatus
    head_rev: str
    device_id: str
    created_by: str
    created_at: str
    updated_at: str
    finalized_at: str | None = None
    finalized_by: str | None = None
    count_h: int = 0
    count_m: int = 0
    count_l: int = 0
    acute: bool = False


@dataclass(frozen=True, kw_only=True)
class RevisionRow(Record):
    TABLE: ClassVar[str] = "visit_revisions"

    id: str
    visit_id: str
    base_rev: str | None
    kind: str
    author: str
    device_id: str
    created_at: str
    closed_at: str | None = None
    content_sha256: str | None = None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class PersonRow(Record):
    """One person present, by role and pseudonymous code only (never a name, BSN or nationality)."""

    TABLE: ClassVar[str] = "persons"
    FLAG_COLUMNS: ClassVar[frozenset[str]] = frozenset({"removed"})
    SUPPLIED_COLUMNS: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")

    id: str
    visit_id: str
    number: int
    code: str
    role: str | None = None
    age_band: str | None = None
    languages: str = ""
    removed: bool = False


@dataclass(frozen=True, kw_only=True)
class AnswerRow(Record):
    """One answer, identified by visit, question and person number (0 = the visit itself)."""

    TABLE: ClassVar[str] = "answers"
    JSON_COLUMNS: ClassVar[frozenset[str]] = frozenset({"value"})
    JSON_ENSURE_ASCII: ClassVar[bool] = False
    SUPPLIED_COLUMNS: ClassVar[tuple[str, ...]] = ("visit_id",)

    question_id: str
    person_number: int
    value: AnswerValue
    note: str = ""
    updated_at: str


@dataclass(frozen=True, kw_only=True)
class ObservationRow(Record):
    """One indicator of a visit: raised by the rules (auto) or ticked by hand (manual)."""

    TABLE: ClassVar[str] = "indicator_observations"
    JSON_COLUMNS: ClassVar[frozenset[str]] = frozenset({"raised_by", "rule_ids"})
    FLAG_COLUMNS: ClassVar[frozenset[str]] = frozenset({"active", "dismissed"})
    ENUM_COLUMNS: ClassVar[Mapping[str, type[StrEnum]]] = {"source": IndicatorSource, "weight": Weight}
    SUPPLIED_COLUMNS: ClassVar[tuple[str, ...]] = ("visit_id", "updated_at")

    id: str
    slug: str
    source: IndicatorSource
    weight: Weight
    raised_by: list[str]
    rule_ids: list[str]
    active: bool = True
    note: str = ""
    dismissed: bool = False
    dismiss_reason: str | None = None
    dismissed_by: str | None = None
    dismissed_at: str | None = None
    created_at: str
    created_by: str

    @property
    def counts(self) -> bool:
        """Whether this observation stands: raised or ticked, and not dismissed."""
        return self.active and not self.dismissed

    @classmethod
    def new(
        cls,
        slug: str,
        source: IndicatorSource,
        weight: Weight,
        at: str,
        actor: str,
        *,
        raised_by: Sequence[str] = (),
        rule_ids: Sequence[str] = (),
        note: str = "",
    ) -> ObservationRow:
        """A fresh, standing observation with its own UUID."""
        return cls(
            id=str(uuid.uuid4()),
            slug=slug,
            source=IndicatorSource(source),
            weight=Weight(weight),
            raised_by=list(raised_by),
            rule_ids=list(rule_ids),
            note=note,
            created_at=at,
            created_by=actor,
        )


@dataclass(frozen=True, kw_only=True)
class ReferralRow(Record):
    TABLE: ClassVar[str] = "referrals"
    JSON_COLUMNS: ClassVar[frozenset[str]] = frozenset({"slugs", "person_codes"})
    ENUM_COLUMNS: ClassVar[Mapping[str, type[StrEnum]]] = {
        "recipient": Recipient,
        "urgency": Urgency,
        "consent_status": ConsentStatus,
        "status": ReferralStatus,
    }

    id: str
    visit_id: str
    recipient: Recipient
    urgency: Urgency
    consent_status: ConsentStatus = ConsentStatus.NOT_APPLICABLE
    channel: str = ""
    slugs: list[str]
    person_codes: list[str]
    status: ReferralStatus = ReferralStatus.DRAFT
    sent_at: str | None = None
    reference: str = ""
    outcome: str = ""
    note: str = ""
    created_at: str
    created_by: str
    updated_at: str


@dataclass(frozen=True, kw_only=True)
class PhotoRow(Record):
    TABLE: ClassVar[str] = "photos"

    id: str
    visit_id: str
    question_id: str
    person_number: int
    sha256: str
    media_type: str
    width: int
    height: int
    size: int
    caption: str = ""
    created_at: str
    created_by: str


@dataclass(frozen=True, kw_only=True)
class VisitListRow(Record):
    """One line of the visit list: a visit joined with its location (a read model, not a table).

    Decoded by the column names of the list query (`l.name AS location_name`), like the table rows.
    """

    FLAG_COLUMNS: ClassVar[frozenset[str]] = frozenset({"acute"})
    ENUM_COLUMNS: ClassVar[Mapping[str, type[StrEnum]]] = {
        "status": VisitStatus,
        "location_type": LocationType,
    }

    id: str
    form_id: str
    form_version: int
    status: VisitStatus
    started_at: str
    ended_at: str | None
    visit_type: str | None
    location_id: str
    location_name: str
    address: str
    postcode: str
    location_type: LocationType
    count_h: int
    count_m: int
    count_l: int
    acute: bool
    device_id: str = ""  # the laptop that made the visit; another device's visit was imported


RECORD_TYPES: tuple[type[Record], ...] = (
    LocationRow,
    VisitRow,
    RevisionRow,
    PersonRow,
    AnswerRow,
    ObservationRow,
    ReferralRow,
    PhotoRow,
)
