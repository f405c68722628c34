"""How answers and times are printed in the documents: choice labels, Dutch decimal comma with the
unit, dd-mm-yyyy dates, and stored UTC times as Dutch local time.

Kept apart from the layout so the view-model builder and the tests print values the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.model import YESNO_LABELS, Question, QuestionType
from inspector_app.reports import labels

try:
    LOCAL_ZONE: ZoneInfo | None = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no time-zone database (Windows without tzdata): print UTC, say so
    LOCAL_ZONE = None


def format_date(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    day = iso[:10]
    return f"{day[8:10]}-{day[5:7]}-{day[:4]}" if lang == "nl" and len(day) == 10 else day


def format_moment(iso: str | None, lang: str) -> str:
    """A stored UTC time (`2026-11-29T04:37:06.983Z`) as Dutch local date and time."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return f"{format_date(iso, lang)} {iso[11:16]}".strip()
    local = moment.astimezone(LOCAL_ZONE or UTC)
    suffix = "" if LOCAL_ZONE else " UTC"
    return f"{format_date(local.date().isoformat(), lang)} {local:%H:%M}{suffix}"


def format_number(value: float, lang: str) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def format_value(question: Question, value: AnswerValue, lang: str) -> str:
    """An answer as printed: choice labels, Dutch decimal comma and unit, dd-mm-yyyy dates."""
    if value is None or value == "" or value == []:
        return labels.NOT_ANSWERED.get(lang)
    if isinstance(value, bool):
        return YESNO_LABELS["yes" if value else "no"].get(lang)
    if isinstance(value, list):
        if question.type is QuestionType.PHOTO:
            return labels.PHOTO_COUNT.get(lang).format(count=len(value))
        return "; ".join(question.value_label(item, lang) for item in value)
    if isinstance(value, int | float):
        text = format_number(value, lang)
        unit = question.unit_text(lang)
        return f"{text} {unit}" if unit else text
    if question.type is QuestionType.DATE:
        return format_date(value, lang)
    if question.type is QuestionType.DATETIME:
        return f"{format_date(value, lang)} {value[11:16]}"
    if question.type in (QuestionType.SINGLE, QuestionType.YESNO):
        return question.value_label(value, lang)
    return value
