"""Turn typed input into checked answer values for a question, with clear messages.

The CLI passes text (`ja`, `12,5`, `club,raam`); the UI passes typed values. Both end up here so the
same value is accepted or refused with the same Dutch (or English) message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import InvalidInputError
from inspector_app.forms.model import Question, QuestionType
from inspector_app.i18n import _

YESNO_WORDS = {
    "yes": "yes",
    "ja": "yes",
    "j": "yes",
    "y": "yes",
    "no": "no",
    "nee": "no",
    "n": "no",
    "unknown": "unknown",
    "onbekend": "unknown",
    "o": "unknown",
    "?": "unknown",
}
MAX_TEXT_LENGTH = 20_000
MAX_NUMBER = 10**9


def _choice(question: Question, text: str) -> str:
    cleaned = text.strip()
    for choice in question.choices:
        if cleaned in (choice.value,) or cleaned.casefold() in (
            choice.label.nl.casefold(),
            choice.label.en.casefold(),
        ):
            return choice.value
    values = ", ".join(choice.value for choice in question.choices)
    raise InvalidInputError(
        _(
            "{question}: '{value}' is geen keuzemogelijkheid (kies uit: {values})",
            question=question.id,
            value=cleaned,
            values=values,
        )
    )


def parse_answer_text(question: Question, text: str) -> AnswerValue:
    """Parse command-line text into the value type of `question`; '' clears the answer."""
    if text.strip() == "":
        return None
    qtype = question.type
    if qtype is QuestionType.YESNO:
        found = YESNO_WORDS.get(text.strip().casefold())
        if found is None:
            raise InvalidInputError(
                _(
                    "{question}: antwoord met ja, nee of onbekend (niet '{value}')",
                    question=question.id,
                    value=text,
                )
            )
        return found
    if qtype is QuestionType.SINGLE:
        return _choice(question, text)
    if qtype is QuestionType.MULTIPLE:
        return [_choice(question, part) for part in text.split(",") if part.strip()]
    if qtype is QuestionType.INTEGER:
        if not re.fullmatch(r"\s*-?\d+\s*", text):
            raise InvalidInputError(
                _("{question}: verwacht een geheel getal, niet '{value}'", question=question.id, value=text)
            )
        return check_answer(question, int(text))
    if qtype is QuestionType.DECIMAL:
        cleaned = text.strip().replace(",", ".")
        if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise InvalidInputError(
                _(
                    "{question}: verwacht een getal (bijv. 12,5), niet '{value}'",
                    question=question.id,
                    value=text,
                )
            )
        return check_answer(question, float(cleaned))
    return check_answer(question, text)


def _fail_type(question: Question, expected: str, value: object) -> InvalidInputError:
    return InvalidInputError(
        _(
            "{question}: verwacht {expected}, niet '{value}'",
            question=question.id,
            expected=expected,
            value=value,
        )
    )


def _computed(question: Question, _value: AnswerValue) -> AnswerValue:
    raise InvalidInputError(
        _("{question} is een berekende waarde en kan niet worden ingevuld", question=question.id)
    )


def _photo(question: Question, value: AnswerValue) -> AnswerValue:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInputError(_("{question}: foto's voeg je toe met 'visits photo'", question=question.id))
    return value


def _one_of(question: Question, value: AnswerValue) -> AnswerValue:
    allowed = question.allowed_values or ()
    if not isinstance(value, str) or value not in allowed:
        raise _fail_type(question, _("een van: {values}", values=", ".join(allowed)), value)
    return value


def _many_of(question: Question, value: AnswerValue) -> AnswerValue:
    allowed = question.allowed_values or ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
        raise _fail_type(question, _("een lijst met waarden uit: {values}", values=", ".join(allowed)), value)
    return list(dict.fromkeys(value))


def _integer(question: Question, value: AnswerValue) -> AnswerValue:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_NUMBER:
        raise _fail_type(question, _("een geheel getal"), value)
    return value


def _decimal(question: Question, value: AnswerValue) -> AnswerValue:
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > MAX_NUMBER:
        raise _fail_type(question, _("een getal"), value)
    if value != value:  # NaN
        raise _fail_type(question, _("een getal"), value)
    return float(value)


def _text(question: Question, value: AnswerValue) -> str:
    if not isinstance(value, str):
        raise _fail_type(question, _("tekst"), value)
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidInputError(
            _(
                "{question}: tekst is te lang (meer dan {limit} tekens)",
                question=question.id,
                limit=MAX_TEXT_LENGTH,
            )
        )
    return value


def _date(question: Question, value: AnswerValue) -> AnswerValue:
    text = _text(question, value)
    try:
        date.fromisoformat(text)
    except ValueError:
        raise _fail_type(question, _("een datum als JJJJ-MM-DD"), value) from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise _fail_type(question, _("een datum als JJJJ-MM-DD"), value)
    return text


def _time(question: Question, value: AnswerValue) -> AnswerValue:
    text = _text(question, value)
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise _fail_type(question, _("een tijd als UU:MM"), value)
    return text


def _datetime(question: Question, value: AnswerValue) -> AnswerValue:
    text = _text(question, value)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise _fail_type(question, _("datum en tijd als JJJJ-MM-DDTUU:MM"), value) from None
    return text


_CHECKS: dict[QuestionType, Callable[[Question, AnswerValue], AnswerValue]] = {
    QuestionType.COMPUTED: _computed,
    QuestionType.PHOTO: _photo,
    QuestionType.YESNO: _one_of,
    QuestionType.SINGLE: _one_of,
    QuestionType.MULTIPLE: _many_of,
    QuestionType.INTEGER: _integer,
    QuestionType.DECIMAL: _decimal,
    QuestionType.TEXT: _text,
    QuestionType.DATE: _date,
    QuestionType.TIME: _time,
    QuestionType.DATETIME: _datetime,
}


def check_answer(question: Question, value: AnswerValue) -> AnswerValue:
    """Check a typed value against the question type; return the normalised value.

    One small check per question type, so each type's rule can be read (and tested) on its own.
    """
    if value is None:
        return None
    return _CHECKS[question.type](question, value)
