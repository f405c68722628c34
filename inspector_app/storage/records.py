"""The typed rows (re-exported from `domain.records`) and the helpers that read and write them by name."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlite_utils import Database

from inspector_app.domain.records import AnswerRow as AnswerRow
from inspector_app.domain.records import LocationRow as LocationRow
from inspector_app.domain.records import ObservationRow as ObservationRow
from inspector_app.domain.records import PersonRow as PersonRow
from inspector_app.domain.records import PhotoRow as PhotoRow
from inspector_app.domain.records import Record as Record
from inspector_app.domain.records import ReferralRow as ReferralRow
from inspector_app.domain.records import RevisionRow as RevisionRow
from inspector_app.domain.records import VisitListRow as VisitListRow
from inspector_app.domain.records import VisitRow as VisitRow

R = TypeVar("R", bound=Record)


def select_records(db: Database, record: type[R], tail: str, params: Sequence[Any] = ()) -> list[R]:
    """Rows of the record's table, decoded by column name (`tail` is the WHERE/ORDER BY part).

    A plain cursor with its `description` instead of `Database.query`, which wraps every read in a
    savepoint: these reads sit on the answer path.
    """
    cursor = db.execute(f"SELECT {record.select_list()} FROM {record.TABLE} {tail}", list(params))
    return decode_rows(cursor, record)


def decode_rows(cursor: sqlite3.Cursor, record: type[R]) -> list[R]:
    """Every row of a query as a record, matched by the names in the cursor's description."""
    return record.decode_all([column[0] for column in cursor.description], cursor)


def insert_record(db: Database, row: Record, **supplied: Any) -> None:
    """Insert one record, plus the columns the repository stamps itself (`SUPPLIED_COLUMNS`)."""
    values = {**row.as_row(), **supplied}
    marks = ", ".join("?" for _ in values)
    db.execute(f"INSERT INTO {row.TABLE} ({', '.join(values)}) VALUES ({marks})", list(values.values()))
