"""How answers and times are printed everywhere: choice labels, Dutch decimal comma with the
unit, dd-mm-yyyy dates, and stored UTC times as Dutch local time.

One printer for the documents, `visits show` and the read-only answers on screen, so an answer reads
the same in the PDF, on the command line and in the desktop app (before, the CLI printed `12.5` and
`2026-11-20` where the PDF said `12,5` and `20-11-2026`). Texts are `LocalText` so a document can be
printed in a language other than the one the screen shows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.model import YESNO_LABELS, Question, QuestionType
from inspector_app.i18n import LocalText

NOT_ANSWERED = LocalText("niet vastgelegd", "not recorded")
PHOTO_COUNT = LocalText("{count} foto's", "{count} photos")
ONE_PHOTO = LocalText("{count} foto", "{count} photo")


def local_zone(key: str = "Europe/Amsterdam") -> ZoneInfo | None:
    """The zone times are printed in, or None without a time-zone database (Windows without tzdata):
    then times are printed in UTC and say so."""
    try:
        return ZoneInfo(key)
    except ZoneInfoNotFoundError:
        return None


LOCAL_ZONE = local_zone()


def format_date(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    day = iso[:10]
    return f"{day[8:10]}-{day[5:7]}-{day[:4]}" if lang == "nl" and len(day) == 10 else day


def format_moment(iso: str | None, lang: str, zone: ZoneInfo | None = None) -> str:
    """A stored UTC time (`2026-11-29T04:37:06.983Z`) as local date and time: in `zone` (the
    municipal policy's time zone), else Europe/Amsterdam."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return f"{format_date(iso, lang)} {iso[11:16]}".strip()
    zone = zone or LOCAL_ZONE
    local = moment.astimezone(zone or UTC)
    suffix = "" if zone else " UTC"
    return f"{format_date(local.date().isoformat(), lang)} {local:%H:%M}{suffix}"


def format_number(value: float, lang: str, places: int | None = 2) -> str:
    """A number with the Dutch decimal comma; documents round to `places`, an editor passes None to
    show every digit it holds (rounding there would show a value other than the stored one)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = repr(float(value)) if places is None else f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def format_value(question: Question, value: AnswerValue, lang: str) -> str:
    """An answer as printed: choice labels, Dutch decimal comma and unit, dd-mm-yyyy dates."""
    if value is None or value == "" or value == []:
        return NOT_ANSWERED.get(lang)
    if isinstance(value, bool):
        return YESNO_LABELS["yes" if value else "no"].get(lang)
    if isinstance(value, list):
        if question.type is QuestionType.PHOTO:
            return (ONE_PHOTO if len(value) == 1 else PHOTO_COUNT).get(lang).format(count=len(value))
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
