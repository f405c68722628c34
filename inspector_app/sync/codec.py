"""The wire type of every bundle column, derived from the domain record's field annotations.

A bundle record is one store row with its columns as stored, so the codec's columns are the record's
`dataclasses.fields()` (in table order) and their types follow the annotations: `str` is text, `int`
an integer, `bool` a 0/1 flag, a `StrEnum` text holding one of the enum's values, a JSON column
(`Record.JSON_COLUMNS`) text holding JSON, and `X | None` also admits null. Deriving instead of listing
means a field added to a record reaches the bundle, its strict check and the typed decoding at once;
`tests/sync/test_codec.py` checks the result against `PRAGMA table_info`.
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from operator import itemgetter
from types import NoneType
from typing import Any, Union, get_args, get_origin, get_type_hints

from inspector_app.domain.records import Record, json_value

MAX_TEXT = 64 * 1024
INT_LIMIT = 2**63


@dataclass(frozen=True)
class ColumnType:
    """How one column travels: `kind` "s" (text) or "i" (integer), plus what narrows or widens it."""

    kind: str
    nullable: bool = False
    choices: frozenset[str] | None = None  # an enum column: only these values
    flag: bool = False  # a bool column: only 0 or 1
    json: bool = False  # a JSON column: text that parses as JSON

    @classmethod
    def parse(cls, code: str) -> ColumnType:
        """A pinned column's short code: "s" text, "i" integer, a trailing "?" admits null."""
        return cls(code[0], nullable=code.endswith("?"))

    def check(self, name: str, item: Any) -> None:
        """Raise ValueError (naming the field) unless `item` is a value this column may hold."""
        if item is None and self.nullable:
            return
        if self.kind == "s":
            self._check_text(name, item)
        elif not isinstance(item, int) or isinstance(item, bool):
            raise ValueError(f"field {name!r}: expected integer")
        elif not -INT_LIMIT <= item < INT_LIMIT:
            raise ValueError(f"field {name!r}: integer out of range")
        elif self.flag and item not in (0, 1):
            raise ValueError(f"field {name!r}: expected 0 or 1")

    def _check_text(self, name: str, item: Any) -> None:
        if not isinstance(item, str):
            raise ValueError(f"field {name!r}: expected text")
        if len(item) > MAX_TEXT:
            raise ValueError(f"field {name!r}: text too long")
        if self.choices is not None and item not in self.choices:
            raise ValueError(f"field {name!r}: unknown value {item[:40]!r}")
        if self.json:
            try:
                json.loads(item)
            except (ValueError, RecursionError) as error:
                raise ValueError(f"field {name!r}: not JSON") from error


def column_type(record: type[Record], name: str, annotation: Any) -> ColumnType:
    """The wire type of one field; a type the codec does not know is a TypeError at import time."""
    members = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    nullable = types.NoneType in members
    if name in record.JSON_COLUMNS:
        return ColumnType("s", nullable=nullable, json=True)
    (base,) = [member for member in members if member is not types.NoneType]
    if base is bool and name in record.FLAG_COLUMNS:
        return ColumnType("i", nullable=nullable, flag=True)
    if isinstance(base, type) and issubclass(base, StrEnum) and record.ENUM_COLUMNS.get(name) is base:
        return ColumnType("s", nullable=nullable, choices=frozenset(member.value for member in base))
    if base is str:
        return ColumnType("s", nullable=nullable)
    if base is int:
        return ColumnType("i", nullable=nullable)
    raise TypeError(f"{record.__name__}.{name}: no wire type for {annotation!r}")


def derive_columns(
    record: type[Record], supplied: Mapping[str, str | None]
) -> tuple[tuple[str, ColumnType], ...]:
    """The record's columns in table order with their wire types.

    `supplied` places each of the record's `SUPPLIED_COLUMNS` (text, not null) after the named column
    (None: first); it must name exactly those columns, so a new supplied column cannot silently stay
    behind.
    """
    if set(supplied) != set(record.SUPPLIED_COLUMNS):
        raise TypeError(f"{record.__name__}: supplied columns {record.SUPPLIED_COLUMNS} need a place")
    hints = get_type_hints(record)
    columns = [(field.name, column_type(record, field.name, hints[field.name])) for field in fields(record)]
    for name, after in supplied.items():
        index = 0 if after is None else [column for column, _type in columns].index(after) + 1
        columns.insert(index, (name, ColumnType("s")))
    return tuple(columns)


@dataclass(frozen=True)
class RowCheck:
    """A yes/no check of one row against a table's columns, grouped by kind for speed.

    A bundle holds tens of thousands of rows and the per-column `ColumnType.check` costs a call per
    field; this answers "valid?" in tight loops instead. It only ever says yes to rows the ordered
    check accepts (a no falls back to that check, which names the first bad field), so the two cannot
    disagree about what is refused.
    """

    names: frozenset[str]
    text: tuple[str, ...]
    text_or_null: tuple[str, ...]
    integers: tuple[str, ...]
    integers_or_null: tuple[str, ...]
    flags: tuple[str, ...]
    choices: tuple[tuple[str, frozenset[str], bool], ...]
    json_texts: tuple[tuple[str, bool], ...]

    @classmethod
    def of(cls, columns: tuple[tuple[str, ColumnType], ...]) -> RowCheck:
        def plain(kind: str, nullable: bool) -> tuple[str, ...]:
            return tuple(name for name, column in columns if column == ColumnType(kind, nullable=nullable))

        return cls(
            names=frozenset(name for name, _column in columns),
            text=plain("s", False),
            text_or_null=plain("s", True),
            integers=plain("i", False),
            integers_or_null=plain("i", True),
            flags=tuple(name for name, column in columns if column.flag and not column.nullable),
            choices=tuple(
                (name, column.choices, column.nullable)
                for name, column in columns
                if column.choices is not None
            ),
            json_texts=tuple((name, column.nullable) for name, column in columns if column.json),
        )

    def accepts(self, row: dict[str, Any]) -> bool:
        if row.keys() != self.names:
            return False
        for name in self.text:
            value = row[name]
            if type(value) is not str or len(value) > MAX_TEXT:
                return False
        for name in self.text_or_null:
            value = row[name]
            if value is not None and (type(value) is not str or len(value) > MAX_TEXT):
                return False
        for name in self.integers:
            value = row[name]
            if type(value) is not int or not -INT_LIMIT <= value < INT_LIMIT:
                return False
        for name in self.integers_or_null:
            value = row[name]
            if value is not None and (type(value) is not int or not -INT_LIMIT <= value < INT_LIMIT):
                return False
        for name in self.flags:
            value = row[name]
            if type(value) is not int or value not in (0, 1):
                return False
        for name, values, nullable in self.choices:
            value = row[name]
            if not (value is None and nullable) and (type(value) is not str or value not in values):
                return False
        return all(self._is_json(row[name], nullable) for name, nullable in self.json_texts)

    def accepts_all(self, rows: list[dict[str, Any]]) -> bool:
        """Exactly `all(self.accepts(row) for row in rows)`, column by column: each check is one pass
        of C-level `map`/`set`/`min`/`max` over a column instead of Python code per row and field (a
        bundle's answers file alone holds ~100,000 rows). Types are checked before a column's values
        are put in a set, so an unhashable value is a refusal, never an error."""
        shapes = set(map(tuple, rows))  # each row's keys; dict keys are unique
        if any(len(shape) != len(self.names) or not self.names.issuperset(shape) for shape in shapes):
            return False
        columns = {name: list(map(itemgetter(name), rows)) for name in self.names}
        return (
            all(_texts(columns[name], nullable=False) for name in self.text)
            and all(_texts(columns[name], nullable=True) for name in self.text_or_null)
            and all(_integers(columns[name], nullable=False) for name in self.integers)
            and all(_integers(columns[name], nullable=True) for name in self.integers_or_null)
            and all(
                _integers(columns[name], nullable=False) and set(columns[name]) <= {0, 1}
                for name in self.flags
            )
            and all(
                set(map(type, columns[name])) <= ({str, NoneType} if nullable else {str})
                and set(columns[name]) <= (values | {None} if nullable else values)
                for name, values, nullable in self.choices
            )
            and all(
                _texts(columns[name], nullable)
                and all(self._is_json(v, nullable) for v in set(columns[name]))
                for name, nullable in self.json_texts
            )
        )

    @staticmethod
    def _is_json(value: Any, nullable: bool) -> bool:
        if value is None:
            return nullable
        if type(value) is not str or len(value) > MAX_TEXT:
            return False
        try:
            json_value(value)
        except (ValueError, RecursionError):
            return False
        return True


def _texts(values: list[Any], nullable: bool) -> bool:
    """Every value text of at most MAX_TEXT characters (or null when `nullable`)."""
    kinds = set(map(type, values))
    if not kinds <= ({str, NoneType} if nullable else {str}):
        return False
    present = filter(None, values) if NoneType in kinds else values
    return max(map(len, present), default=0) <= MAX_TEXT


def _integers(values: list[Any], nullable: bool) -> bool:
    """Every value an int (never a bool) in the 64-bit range (or null when `nullable`)."""
    kinds = set(map(type, values))
    if not kinds <= ({int, NoneType} if nullable else {int}):
        return False
    numbers = [v for v in values if v is not None] if NoneType in kinds else values
    return not numbers or (min(numbers) >= -INT_LIMIT and max(numbers) < INT_LIMIT)
