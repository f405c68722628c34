"""Helpers for the table-driven rule tests of the shipped checklists."""

from __future__ import annotations

from inspector_app.forms.loader import load_form_by_id
from inspector_app.forms.state import AnswerSet
from inspector_app.signals.rules import RuleOutcome, run_rules

Answers = dict[str, object] | None
Persons = dict[int, dict[str, object]] | None


def outcome(form_id: str, answers: Answers = None, persons: Persons = None) -> RuleOutcome:
    form = load_form_by_id(form_id)
    return run_rules(form, AnswerSet(top=dict(answers or {}), persons=dict(persons or {})))  # type: ignore[arg-type]


def raised(form_id: str, answers: Answers = None, persons: Persons = None) -> dict[str, str]:
    """Slug -> effective weight of every indicator the rules raise."""
    return {i.slug: i.weight.value for i in outcome(form_id, answers, persons).indicators}


def findings(form_id: str, answers: Answers = None, persons: Persons = None) -> set[str]:
    """Ids of the rules that produced a finding."""
    return {f.rule_id for f in outcome(form_id, answers, persons).findings}


def is_acute(form_id: str, answers: Answers = None, persons: Persons = None) -> bool:
    return outcome(form_id, answers, persons).acute


def computed(form_id: str, answers: Answers = None, persons: Persons = None) -> dict[str, object]:
    """Computed question id -> value (visit level)."""
    return dict(outcome(form_id, answers, persons).state.top.computed)
