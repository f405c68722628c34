"""One way to print an answer (forms/display.py), shared by the documents, `visits show` and the UI."""

from __future__ import annotations

import pytest

from inspector_app.domain.model import AnswerValue
from inspector_app.forms import display
from inspector_app.forms.model import Choice, Question, QuestionType
from inspector_app.i18n import LocalText
from inspector_app.reports import values


def question(kind: QuestionType, unit: str | None = None, choices: tuple[Choice, ...] = ()) -> Question:
    return Question(
        id="T-01",
        type=kind,
        label=LocalText("Vraag", "Question"),
        section_id="t",
        repeat=False,
        unit=unit,
        choices=choices,
    )


@pytest.mark.parametrize(
    ("kind", "unit", "value", "nl", "en"),
    [
        (QuestionType.DECIMAL, "%", 12.5, "12,5 %", "12.5 %"),
        (QuestionType.DECIMAL, None, 0.126, "0,13", "0.13"),
        (QuestionType.INTEGER, None, 3, "3", "3"),
        (QuestionType.YESNO, None, "no", "Nee", "No"),
        (QuestionType.COMPUTED, None, True, "Ja", "Yes"),
        (QuestionType.DATE, None, "2026-11-20", "20-11-2026", "2026-11-20"),
        (QuestionType.TEXT, None, None, "niet vastgelegd", "not recorded"),
        (QuestionType.PHOTO, None, ["a", "b"], "2 foto's", "2 photos"),
        (QuestionType.PHOTO, None, ["a"], "1 foto", "1 photo"),
    ],
)
def test_format_value(kind: QuestionType, unit: str | None, value: AnswerValue, nl: str, en: str) -> None:
    asked = question(kind, unit)
    assert display.format_value(asked, value, "nl") == nl
    assert display.format_value(asked, value, "en") == en


def test_choices_are_printed_by_label_in_order() -> None:
    asked = question(
        QuestionType.MULTIPLE,
        choices=(Choice("a", LocalText("Eén", "One")), Choice("b", LocalText("Twee", "Two"))),
    )
    assert display.format_value(asked, ["b", "a"], "nl") == "Twee; Eén"


def test_an_editor_sees_every_digit() -> None:
    assert display.format_number(1234567.5, "nl", places=None) == "1234567,5"
    assert display.format_number(0.126, "nl", places=None) == "0,126"
    assert display.format_number(0.126, "nl") == "0,13"


def test_reports_values_is_a_re_export() -> None:
    assert values.format_value is display.format_value
    assert values.format_moment is display.format_moment
