"""The municipal clock for widgets: "now" as a QDateTime in the municipal policy's time zone.

Qt's `currentDateTime()` is the machine's zone; a laptop set to UTC would then prefill a start time or
answer "Nu" an hour off from the documents. The checklist page tells this module the zone of the
visit it opens, so answer editors (which know no database) read the same clock as the services.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime

from inspector_app.forms.display import LOCAL_ZONE

_zone: list[ZoneInfo | None] = [LOCAL_ZONE]


def use_zone(zone: ZoneInfo | None) -> None:
    """Set the zone the editors' "Nu" and "Vandaag" use (the policy's, from services.clock)."""
    _zone[0] = zone


def municipal_now(zone: ZoneInfo | None = None) -> datetime:
    chosen = zone if zone is not None else _zone[0]
    return datetime.now(UTC).astimezone(chosen or UTC)


def municipal_today(zone: ZoneInfo | None = None) -> QDate:
    """Today in the municipality, as the default of a date field (Qt's `currentDate()` is the machine's)."""
    now = municipal_now(zone)
    return QDate(now.year, now.month, now.day)


def to_qdatetime(moment: datetime) -> QDateTime:
    """The wall-clock fields of `moment` as a zone-less QDateTime (what the editors show and store)."""
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))
