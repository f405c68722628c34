"""Visibility, computed values, constraints, open required questions and progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.loader import load_form_file
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.state import AnswerSet, evaluate_form, missing_required, problems, section_progress
from inspector_app.signals.rules import run_rules
from tests.forms.definitions import VALID, write_form

EXTRA = """
[[sections]]
id = "extra"
audience = "report"
title = { nl = "Extra", en = "Extra" }

[[sections.questions]]
id = "PB-40"
type = "yesno"
label = { nl = "Open?", en = "Open?" }

[[sections.questions]]
id = "PB-41"
type = "yesno"
required = true
visible_when = "{PB-40} = 'yes'"
label = { nl = "Werkt er iemand?", en = "Anyone working?" }

[[sections.questions]]
id = "PB-42"
type = "integer"
visible_when = "{PB-41} = 'yes'"
label = { nl = "Hoeveel?", en = "How many?" }

[[rules]]
id = "PB-42.many"
when = "{PB-42} > 3"
raise = ["sex.extreme_hours"]
weight = "L"
"""


@pytest.fixture
def form(tmp_path: Path) -> FormDefinition:
    return load_form_file(write_form(tmp_path, VALID + EXTRA))


def test_hiding_cascades_and_hidden_answers_do_not_count(form: FormDefinition) -> None:
    answers = AnswerSet(top={"PB-40": "no", "PB-41": "yes", "PB-42": 9})
    state = evaluate_form(form, answers)
    assert not state.is_visible("PB-41") and not state.is_visible("PB-42")
    assert "PB-42" not in state.top.effective
    assert run_rules(form, answers).indicator("sex.extreme_hours") is None
    shown = AnswerSet(top={"PB-40": "yes", "PB-41": "yes", "PB-42": 9})
    raised = run_rules(form, shown).indicator("sex.extreme_hours")
    assert raised is not None and raised.weight.value == "L" and raised.raised_by == ("PB-42",)


def test_computed_values_follow_answers(form: FormDefinition) -> None:
    assert evaluate_form(form, AnswerSet(top={"PB-10a": 4})).top.computed == {"PB-10c": 8}
    assert evaluate_form(form, AnswerSet(top={})).top.computed == {"PB-10c": None}


def test_required_only_when_visible(form: FormDefinition) -> None:
    state = evaluate_form(form, AnswerSet(top={"PB-40": "no"}))
    missing = missing_required(form, state)
    assert "PB-01" in missing and "PB-41" not in missing
    state = evaluate_form(form, AnswerSet(top={"PB-40": "yes"}))
    assert "PB-41" in missing_required(form, state)


def test_person_questions_are_required_per_person(form: FormDefinition) -> None:
    answers = AnswerSet(top={}, persons={1: {"P-ROLE": "sex_worker"}, 2: {}})
    missing = missing_required(form, evaluate_form(form, answers))
    assert "P-AGE[1]" in missing and "P-ROLE[2]" in missing and "P-AGE[2]" in missing


def test_constraint_problems_name_the_answer(form: FormDefinition) -> None:
    answers = AnswerSet(top={"PB-10a": -2, "H-02b": "22:00", "H-02c": "21:00"})
    found = {p.ref: p.message.nl for p in problems(form, answers, evaluate_form(form, answers))}
    assert found == {"PB-10a": "Niet negatief", "H-02c": "De eindtijd ligt vóór de begintijd."}


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ({}, {}),
        ({"PB-10a": 3}, {}),
        ({"PB-10a": 0}, {}),  # the boundary holds
        ({"PB-10a": -1}, {"PB-10a": "Niet negatief"}),
        ({"H-02b": "21:00", "H-02c": "22:00"}, {}),
        ({"H-02c": "21:00"}, {}),  # the other end is not answered: nothing to compare with
        ({"H-02b": "22:00", "H-02c": "21:00"}, {"H-02c": "De eindtijd ligt vóór de begintijd."}),
    ],
)
def test_only_answers_that_break_their_constraint_are_problems(
    form: FormDefinition, top: dict[str, AnswerValue], expected: dict[str, str]
) -> None:
    answers = AnswerSet(top=top)
    found = {p.ref: p.message.nl for p in problems(form, answers, evaluate_form(form, answers))}
    assert found == expected


def test_repeat_section_visibility_per_person(form: FormDefinition) -> None:
    answers = AnswerSet(top={}, persons={1: {"P-ROLE": "sex_worker", "PB-19": "no"}, 2: {"PB-19": "no"}})
    state = evaluate_form(form, answers)
    assert state.is_visible("PB-19", 1) and not state.is_visible("PB-19", 2)
    raised = run_rules(form, answers).indicator("sex.cannot_refuse")
    assert raised is not None and raised.raised_by == ("PB-19[1]",)


def test_progress_per_section(form: FormDefinition) -> None:
    answers = AnswerSet(top={"PB-01": "yes", "PB-03": "club"}, persons={1: {"P-ROLE": "sex_worker"}})
    progress = {p.section_id: p for p in section_progress(form, evaluate_form(form, answers))}
    assert progress["vergunning"].answered == 2 and progress["vergunning"].visible == 3
    assert progress["personen"].answered == 1 and progress["personen"].required_open == 1
