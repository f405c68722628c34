"""Helpers for the table-driven rule tests of the shipped checklists."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from inspector_app.forms.loader import load_form_by_id
from inspector_app.forms.state import AnswerSet
from inspector_app.signals.rules import RuleOutcome, run_rules

Answers = Mapping[str, object] | None
Persons = Mapping[int, Mapping[str, object]] | None


def outcome(form_id: str, answers: Answers = None, persons: Persons = None) -> RuleOutcome:
    form = load_form_by_id(form_id)
    return run_rules(form, AnswerSet(top=dict(answers or {}), persons=dict(persons or {})))  # type: ignore[arg-type]


def raised(form_id: str, answers: Answers = None, persons: Persons = None) -> dict[str, str]:
    """Slug -> effective weight of every indicator the rules raise."""
    return {i.slug: i.weight.value for i in outcome(form_id, answers, persons).indicators}


def findings(form_id: str, answers: Answers = None, persons: Persons = None) -> set[str]:
    """Ids of the rules that produced a finding."""
    return {f.rule_id for f in outcome(form_id, answers, persons).findings}


def fired_rules(form_id: str, answers: Answers = None, persons: Persons = None) -> set[str]:
    """Ids of the rules that raised an indicator, made a finding or made the visit acute."""
    result = outcome(form_id, answers, persons)
    raised_by = {rule for indicator in result.indicators for rule in indicator.rule_ids}
    return raised_by | {f.rule_id for f in result.findings} | set(result.acute_rules)


def is_acute(form_id: str, answers: Answers = None, persons: Persons = None) -> bool:
    return outcome(form_id, answers, persons).acute


def computed(form_id: str, answers: Answers = None, persons: Persons = None) -> dict[str, object]:
    """Computed question id -> value (visit level)."""
    return dict(outcome(form_id, answers, persons).state.top.computed)


def person(
    role: str, age: str = "30_49", answers: dict[str, object] | None = None
) -> dict[int, dict[str, object]]:
    """One person present (number 1) with a role, an age band and interview answers."""
    return {1: {"P-ROLE": role, "P-AGE": age, **(answers or {})}}


def case(
    rule: str,
    answers: dict[str, object] | None = None,
    persons: dict[int, dict[str, object]] | None = None,
    *,
    fires: bool = True,
    raises: dict[str, str] | None = None,
    finds: set[str] | None = None,
    acute: bool = False,
    note: str = "",
) -> Any:
    """One row of a rule table: the answers and the COMPLETE expected outcome.

    `fires` says whether the named rule fires in this case; every rule needs at least one firing case.
    """
    label = f"{rule}-{'fires' if fires else 'quiet'}" + (f"-{note}" if note else "")
    return pytest.param(rule, fires, answers or {}, persons, raises or {}, finds or set(), acute, id=label)


def rule_table_tests(form_id: str, cases: list[Any]) -> tuple[Callable[..., None], ...]:
    """The three tests every checklist's rule table gets; assign them to module-level test names."""

    @pytest.mark.parametrize(
        ("rule", "fires", "answers", "persons", "expected", "expected_findings", "acute"), cases
    )
    def test_rule_outcome(
        rule: str,
        fires: bool,
        answers: Answers,
        persons: Persons,
        expected: dict[str, str],
        expected_findings: set[str],
        acute: bool,
    ) -> None:
        assert raised(form_id, answers, persons) == expected
        assert findings(form_id, answers, persons) == expected_findings
        assert is_acute(form_id, answers, persons) is acute
        fired = rule in fired_rules(form_id, answers, persons)
        assert fired is fires, f"the table says rule {rule} {'fires' if fires else 'stays quiet'} here"

    def test_no_answers_raise_nothing() -> None:
        assert raised(form_id) == {}
        assert findings(form_id) == set()
        assert not is_acute(form_id)

    def test_each_rule_has_a_firing_case() -> None:
        rule_ids = {rule.id for rule in load_form_by_id(form_id).rules}
        table = {p.values[0] for p in cases}
        firing = {p.values[0] for p in cases if p.values[1]}
        assert table <= rule_ids, f"cases name unknown rules: {sorted(table - rule_ids)}"
        assert rule_ids <= firing, f"rules without a firing test case: {sorted(rule_ids - firing)}"

    return test_rule_outcome, test_no_answers_raise_nothing, test_each_rule_has_a_firing_case
