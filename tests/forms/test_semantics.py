"""Checklist semantics as data: header mirrors, report lists and audiences, validated by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.forms.loader import load_all_forms, load_form_file
from inspector_app.forms.model import (
    PERSON_ROLE_QUESTION,
    Audience,
    FormDefinition,
    Mirror,
    QuestionType,
    ReportList,
)
from inspector_app.paths import forms_dir
from tests.forms.definitions import VALID, problems_of, write_form

SENSITIVE = """
[[sections]]
id = "werkplek"
title = { nl = "Werkplek", en = "Workplace" }

[[sections.questions]]
id = "PB-50"
type = "yesno"
label = { nl = "Slaapplaats op de werkplek?", en = "Sleeping place at the workplace?" }

[[rules]]
id = "PB-50.yes"
when = "{PB-50} = 'yes'"
raise = ["sex.extreme_hours"]
"""


def test_a_sensitive_question_without_audience_is_refused(tmp_path: Path) -> None:
    found = problems_of(tmp_path, VALID + SENSITIVE)
    assert len(found) == 1 and "question PB-50: raises an indicator but declares no audience" in found[0]
    assert found[0].startswith(str(tmp_path / "test_form.toml"))


@pytest.mark.parametrize(
    ("where", "audience"),
    [
        ('id = "werkplek"', Audience.SIGNAL),
        ('id = "werkplek"', Audience.REPORT),
        ('id = "PB-50"', Audience.SIGNAL),
    ],
)
def test_a_declared_audience_is_accepted_and_inherited(
    tmp_path: Path, where: str, audience: Audience
) -> None:
    text = VALID + SENSITIVE.replace(where, f'{where}\naudience = "{audience.value}"')
    form = load_form_file(write_form(tmp_path, text))
    assert form.question("PB-50").audience is audience


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('id = "PB-01"\n', 'id = "PB-01"\naudience = "public"\n', "question PB-01: audience must be one of"),
        (
            'id = "PB-01"\n',
            'id = "PB-01"\nmirror = "visit_type"\n',
            "mirror 'visit_type' needs a single question",
        ),
        ('id = "PB-03"\n', 'id = "PB-03"\nmirror = "visit_type"\n', "mirror 'visit_type' is also on H-01"),
        ('id = "PB-03"\n', 'id = "PB-03"\nmirror = "colour"\n', "question PB-03: mirror must be one of"),
        (
            'id = "PB-03"\n',
            'id = "PB-03"\nreport_list = "violations"\n',
            "report_list needs a multiple-choice",
        ),
        (
            'id = "PB-19"\n',
            'id = "PB-19"\naudience = "report"\n',
            "question PB-19: a persons repeat question",
        ),
        (
            'id = "vergunning"\naudience = "report"',
            'id = "vergunning"\naudience = "secret"',
            "section 'vergunning': audience must",
        ),
    ],
)
def test_malformed_semantic_keys_are_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in VALID, old
    found = problems_of(tmp_path, VALID.replace(old, new, 1))
    assert any(expected in problem for problem in found), found


def test_an_observation_list_outside_a_signal_section_is_refused(tmp_path: Path) -> None:
    text = VALID.replace('id = "gesprek"\nrepeat = "persons"\naudience = "signal"', 'id = "gesprek"')
    text = text.replace(
        "[[rules]]\nraise_selected",
        '[[sections]]\nid = "obs"\naudience = "report"\n'
        'title = { nl = "Obs", en = "Obs" }\n\n[[sections.questions]]\nid = "PB-28"\n'
        'type = "multiple"\nlabel = { nl = "Signalen", en = "Signals" }\n'
        'choices = [{ value = "gen.fear", nl = "Angstig", en = "Fearful" }]\n\n'
        '[[rules]]\nraise_selected = "PB-28"\n\n[[rules]]\nraise_selected',
    )
    found = problems_of(tmp_path, text)
    assert any("section 'obs': PB-28 lists indicator slugs" in problem for problem in found), found


def _old_heuristic_signal_sections(form: FormDefinition) -> set[str]:
    """The rule the report used before audiences were data: the persons repeat and any section holding
    a list whose choices are indicator slugs."""
    targets = {rule.raise_selected for rule in form.rules if rule.raise_selected}
    return {s.id for s in form.sections if s.repeat or any(q.id in targets for q in s.questions)}


@pytest.mark.parametrize("form_id", sorted(load_all_forms(forms_dir())))
def test_shipped_checklists_declare_what_the_heuristic_decided(form_id: str) -> None:
    form = load_all_forms(forms_dir())[form_id]
    signal_sections = {s.id for s in form.sections if s.audience is Audience.SIGNAL}
    assert signal_sections == _old_heuristic_signal_sections(form)
    signal_only = {q.id for q in form.questions.values() if q.audience is Audience.SIGNAL}
    in_signal_sections = {q.id for s in form.sections if s.id in signal_sections for q in s.questions}
    assert signal_only == in_signal_sections - {PERSON_ROLE_QUESTION}
    identification = {q.id for q in form.questions.values() if q.audience is Audience.IDENTIFICATION}
    assert identification == {
        "H-01",
        "H-02a",
        "H-02b",
        "H-02c",
        "H-03",
        "H-04a",
        "H-05",
        "H-06a",
        "H-06b",
        "H-08",
    }
    for mirror in Mirror:
        question = form.mirrored(mirror)
        assert question is not None and question.audience is Audience.IDENTIFICATION, mirror
    follow_up = form.report_list(ReportList.FOLLOW_UP)
    assert follow_up is not None and follow_up.type is QuestionType.MULTIPLE
    assert any(choice.referral for choice in follow_up.choices)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # the minimum age needs a single choice that can hold both 18 and 21
        (
            'id = "PB-01"\n',
            'id = "PB-01"\npolicy = "apv_min_age"\n',
            "policy 'apv_min_age' needs a single-choice",
        ),
        (
            'id = "PB-03"\n',
            'id = "PB-03"\npolicy = "apv_min_age"\n',
            "policy 'apv_min_age' needs a single-choice",
        ),
        # the text keys need a text question
        (
            'id = "PB-01"\n',
            'id = "PB-01"\npolicy = "time_zone"\n',
            "policy 'time_zone' needs a text question",
        ),
        # never inside the persons repeat, never an unknown key
        ('id = "PB-19"\n', 'id = "PB-19"\npolicy = "municipality"\n', "cannot be prefilled from the policy"),
        ('id = "PB-03"\n', 'id = "PB-03"\npolicy = "minimum_age"\n', "question PB-03: policy must be one of"),
    ],
)
def test_a_policy_question_that_cannot_hold_the_policy_is_refused(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in VALID, old
    found = problems_of(tmp_path, VALID.replace(old, new, 1))
    assert any(expected in problem for problem in found), found


def test_the_shipped_policy_questions_hold_both_ages() -> None:
    forms = load_all_forms(forms_dir())
    prefilled = {
        (f.id, q.id, q.policy.value) for f in forms.values() for q in f.questions.values() if q.policy
    }
    assert prefilled == {
        ("prostitution_business", "PB-12a", "apv_min_age"),
        ("massage_parlour", "MS-07a", "apv_min_age"),
    }
