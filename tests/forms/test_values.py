"""The table of answer values: what text and typed input each question type accepts, and what it refuses.

`forms/values.py`: `parse_answer_text` is the CLI path (Dutch and English words, decimal commas); `check_answer` is the
typed path the UI and the header prefill use. Both refuse with one message in the user's language.
"""

from __future__ import annotations

import pytest

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import InvalidInputError
from inspector_app.forms.model import Choice, Question, QuestionType
from inspector_app.forms.values import MAX_NUMBER, MAX_TEXT_LENGTH, check_answer, parse_answer_text
from inspector_app.i18n import LocalText, set_language

CHOICES = (
    Choice("club", LocalText("Club", "Club")),
    Choice("raam", LocalText("Raamprostitutie", "Window")),
)


def question(qtype: QuestionType) -> Question:
    choices = CHOICES if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) else ()
    return Question("PB-99", qtype, LocalText("Vraag", "Question"), "test", False, choices=choices)


YESNO, SINGLE, MULTIPLE, INTEGER, DECIMAL, TEXT = (
    QuestionType.YESNO,
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.INTEGER,
    QuestionType.DECIMAL,
    QuestionType.TEXT,
)
DATE, TIME, DATETIME, PHOTO, COMPUTED = (
    QuestionType.DATE,
    QuestionType.TIME,
    QuestionType.DATETIME,
    QuestionType.PHOTO,
    QuestionType.COMPUTED,
)


@pytest.mark.parametrize(
    ("qtype", "text", "expected"),
    [
        *[(YESNO, word, "yes") for word in ("ja", "Ja", " JA ", "j", "yes", "Y")],
        *[(YESNO, word, "no") for word in ("nee", "Nee", "n", "no", "NO")],
        *[(YESNO, word, "unknown") for word in ("onbekend", "o", "?", "unknown", "Unknown")],
        (SINGLE, "club", "club"),
        (SINGLE, "Raamprostitutie", "raam"),  # the Dutch label
        (SINGLE, "window", "raam"),  # the English label, any case
        (SINGLE, " raam ", "raam"),
        (MULTIPLE, "club,raam", ["club", "raam"]),
        (MULTIPLE, "Club, Window", ["club", "raam"]),
        (MULTIPLE, "raam,,", ["raam"]),
        (INTEGER, "12", 12),
        (INTEGER, " -3 ", -3),
        (INTEGER, str(MAX_NUMBER), MAX_NUMBER),
        (DECIMAL, "12,5", 12.5),  # Dutch decimal comma
        (DECIMAL, "12.5", 12.5),
        (DECIMAL, "7", 7.0),
        (DECIMAL, "-0,25", -0.25),
        (TEXT, "Rondgang gemaakt.", "Rondgang gemaakt."),
        (DATE, "2026-03-14", "2026-03-14"),
        (TIME, "21:05", "21:05"),
        (TIME, "00:00", "00:00"),
        (DATETIME, "2026-03-14T21:05", "2026-03-14T21:05"),
        *[
            (qtype, blank, None)
            for qtype in (YESNO, SINGLE, MULTIPLE, INTEGER, DECIMAL, TEXT, DATE, COMPUTED)
            for blank in ("", "  ")
        ],
    ],
)
def test_text_is_parsed_to_the_stored_value(qtype: QuestionType, text: str, expected: AnswerValue) -> None:
    value = parse_answer_text(question(qtype), text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("qtype", "text", "message"),
    [
        (YESNO, "misschien", "PB-99: antwoord met ja, nee of onbekend (niet 'misschien')"),
        (YESNO, "jaa", "antwoord met ja, nee of onbekend"),
        (SINGLE, "disco", "PB-99: 'disco' is geen keuzemogelijkheid (kies uit: club, raam)"),
        (MULTIPLE, "club,disco", "'disco' is geen keuzemogelijkheid"),
        (INTEGER, "12,5", "PB-99: verwacht een geheel getal, niet '12,5'"),
        (INTEGER, "1e3", "verwacht een geheel getal"),
        (INTEGER, "twaalf", "verwacht een geheel getal"),
        (INTEGER, str(MAX_NUMBER + 1), "verwacht een geheel getal"),
        (DECIMAL, "abc", "PB-99: verwacht een getal (bijv. 12,5), niet 'abc'"),
        (DECIMAL, "1.2.3", "verwacht een getal"),
        (DECIMAL, "12,5,0", "verwacht een getal"),
        (TEXT, "x" * (MAX_TEXT_LENGTH + 1), f"tekst is te lang (meer dan {MAX_TEXT_LENGTH} tekens)"),
        (DATE, "14-03-2026", "verwacht een datum als JJJJ-MM-DD"),
        (DATE, "2026-02-30", "verwacht een datum als JJJJ-MM-DD"),
        (
            DATE,
            "20260314",
            "verwacht een datum als JJJJ-MM-DD",
        ),  # ISO basic form: fromisoformat alone takes it
        (TIME, "24:00", "verwacht een tijd als UU:MM"),
        (TIME, "9:05", "verwacht een tijd als UU:MM"),
        (DATETIME, "gisteren", "verwacht datum en tijd als JJJJ-MM-DDTUU:MM"),
        (PHOTO, "foto.jpg", "PB-99: foto's voeg je toe met 'visits photo'"),
        (COMPUTED, "3", "PB-99 is een berekende waarde en kan niet worden ingevuld"),
    ],
)
def test_bad_text_is_refused_with_a_dutch_message(qtype: QuestionType, text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_answer_text(question(qtype), text)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("qtype", "value", "expected"),
    [
        (YESNO, "yes", "yes"),
        (YESNO, "unknown", "unknown"),
        (SINGLE, "raam", "raam"),
        (MULTIPLE, ["raam", "club", "raam"], ["raam", "club"]),  # duplicates dropped, order kept
        (MULTIPLE, [], []),
        (INTEGER, -MAX_NUMBER, -MAX_NUMBER),
        (INTEGER, 0, 0),
        (DECIMAL, 2, 2.0),  # stored as a float
        (DECIMAL, 0.5, 0.5),
        (TEXT, "x" * MAX_TEXT_LENGTH, "x" * MAX_TEXT_LENGTH),
        (DATE, "2024-02-29", "2024-02-29"),
        (TIME, "23:59", "23:59"),
        (DATETIME, "2026-03-14T21:05", "2026-03-14T21:05"),
        (PHOTO, ["3f1c", "a9e2"], ["3f1c", "a9e2"]),
        *[(qtype, None, None) for qtype in QuestionType],
    ],
)
def test_typed_values_are_checked_and_normalised(
    qtype: QuestionType, value: AnswerValue, expected: AnswerValue
) -> None:
    checked = check_answer(question(qtype), value)
    assert checked == expected and type(checked) is type(expected)


@pytest.mark.parametrize(
    ("qtype", "value", "message"),
    [
        (YESNO, "ja", "PB-99: verwacht een van: yes, no, unknown, niet 'ja'"),  # typed values are canonical
        (YESNO, True, "verwacht een van"),
        (SINGLE, "disco", "verwacht een van: club, raam"),
        (SINGLE, ["club"], "verwacht een van"),
        (MULTIPLE, "club", "verwacht een lijst met waarden uit: club, raam"),
        (MULTIPLE, ["club", "disco"], "verwacht een lijst met waarden uit"),
        (MULTIPLE, ["club", 3], "verwacht een lijst met waarden uit"),
        (INTEGER, True, "verwacht een geheel getal"),
        (INTEGER, 2.5, "verwacht een geheel getal"),
        (INTEGER, MAX_NUMBER + 1, "verwacht een geheel getal"),
        (INTEGER, "12", "verwacht een geheel getal"),
        (DECIMAL, float("nan"), "verwacht een getal"),
        (DECIMAL, float("inf"), "verwacht een getal"),
        (DECIMAL, False, "verwacht een getal"),
        (DECIMAL, "2.5", "verwacht een getal"),
        (TEXT, 5, "verwacht tekst"),
        (TEXT, "x" * (MAX_TEXT_LENGTH + 1), "tekst is te lang"),
        (DATE, 20260314, "verwacht tekst"),
        (DATE, "2026-13-01", "verwacht een datum als JJJJ-MM-DD"),
        (TIME, "21:60", "verwacht een tijd als UU:MM"),
        (DATETIME, "2026-03-14 om 9", "verwacht datum en tijd"),
        (PHOTO, "3f1c", "foto's voeg je toe met 'visits photo'"),
        (PHOTO, [1], "foto's voeg je toe"),
        (COMPUTED, 3, "is een berekende waarde"),
    ],
)
def test_bad_typed_values_are_refused(qtype: QuestionType, value: AnswerValue, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_answer(question(qtype), value)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("qtype", "text", "message"),
    [
        (YESNO, "misschien", "PB-99: answer yes, no or unknown (not 'misschien')"),
        (SINGLE, "disco", "PB-99: 'disco' is not one of the choices (choose from: club, raam)"),
        (INTEGER, "12,5", "PB-99: expected a whole number, not '12,5'"),
        (DATE, "14-03-2026", "PB-99: expected a date as YYYY-MM-DD, not '14-03-2026'"),
        (COMPUTED, "3", "PB-99 is a computed value and cannot be answered"),
    ],
)
def test_refusals_speak_english_when_the_user_chose_english(
    qtype: QuestionType, text: str, message: str
) -> None:
    set_language("en")
    with pytest.raises(InvalidInputError) as caught:
        parse_answer_text(question(qtype), text)
    assert caught.value.message == message


@pytest.mark.parametrize("text", ["12,5", "12.5", "12,", ",5", "-1,0"])
def test_an_integer_refuses_decimals_with_a_message(text: str) -> None:
    """The UI now passes a typed comma through to this check (it used to drop it: "12,5" became 125)."""
    with pytest.raises(InvalidInputError) as refused:
        parse_answer_text(question(INTEGER), text)
    assert "verwacht een geheel getal" in refused.value.message and text in refused.value.message
