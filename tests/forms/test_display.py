"""One way to print an answer (forms/display.py), shared by the documents, `visits show` and the UI."""

from __future__ import annotations

import pytest

from inspector_app.domain.model import AnswerValue
from inspector_app.forms import display
from inspector_app.forms.model import Choice, Question, QuestionType
from inspector_app.i18n import LocalText


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
        (QuestionType.DATETIME, None, "2026-11-20T21:05", "20-11-2026 21:05", "2026-11-20 21:05"),
        (QuestionType.TEXT, None, "Rondgang gemaakt.", "Rondgang gemaakt.", "Rondgang gemaakt."),
        (QuestionType.TEXT, None, "", "niet vastgelegd", "not recorded"),
        (QuestionType.MULTIPLE, None, [], "niet vastgelegd", "not recorded"),
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


@pytest.mark.parametrize(
    ("iso", "nl", "en"),
    [
        (None, "", ""),
        ("", "", ""),
        ("2026-11-20", "20-11-2026", "2026-11-20"),
        ("2026-11-20T21:05:00Z", "20-11-2026", "2026-11-20"),  # a moment prints its day
        ("2026-11", "2026-11", "2026-11"),  # not a whole date: printed as stored
    ],
)
def test_format_date(iso: str | None, nl: str, en: str) -> None:
    assert display.format_date(iso, "nl") == nl
    assert display.format_date(iso, "en") == en


@pytest.mark.parametrize(
    ("iso", "nl", "en"),
    [
        (None, "", ""),
        ("2026-11-29T04:37:06.983Z", "29-11-2026 05:37", "2026-11-29 05:37"),  # winter: UTC+1
        ("2026-07-01T22:30:00Z", "02-07-2026 00:30", "2026-07-02 00:30"),  # summer: UTC+2, the next day
        ("2026-11-29T04:37:00", "29-11-2026 04:37", "2026-11-29 04:37"),  # no zone stored: as written
        ("gisteren", "gisteren", "gisteren"),  # not a time at all: shown as stored, never a crash
    ],
)
def test_format_moment_prints_dutch_local_time(iso: str | None, nl: str, en: str) -> None:
    assert display.format_moment(iso, "nl") == nl
    assert display.format_moment(iso, "en") == en


def test_without_a_time_zone_database_times_are_utc_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    assert display.local_zone("Nergens/Bestaat_Niet") is None
    assert display.local_zone() is not None
    monkeypatch.setattr(display, "LOCAL_ZONE", None)
    assert display.format_moment("2026-11-29T04:37:06Z", "nl") == "29-11-2026 04:37 UTC"
