"""Rule evaluation: weights, aggregation per slug, person references, selected signals, findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.forms.loader import load_form_file
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.state import AnswerSet
from inspector_app.signals.rules import run_rules
from tests.forms.definitions import VALID, write_form

EXTRA = """
[[rules]]
id = "PB-03.raam"
when = "{PB-03} = 'raam' and {PB-01} = 'no'"
raise = ["sex.unlicensed_location"]
weight = "L"
"""


@pytest.fixture
def form(tmp_path: Path) -> FormDefinition:
    return load_form_file(write_form(tmp_path, VALID + EXTRA))


def test_strongest_weight_wins_and_reasons_merge(form: FormDefinition) -> None:
    outcome = run_rules(form, AnswerSet(top={"PB-01": "no", "PB-03": "raam"}))
    raised = outcome.indicator("sex.unlicensed_location")
    assert raised is not None
    assert raised.weight.value == "M"  # catalogue weight M beats the rule's L
    assert raised.raised_by == ("PB-01", "PB-03")
    assert raised.rule_ids == ("PB-01.no", "PB-03.raam")


def test_findings_carry_their_answers(form: FormDefinition) -> None:
    outcome = run_rules(form, AnswerSet(top={"PB-01": "no"}))
    (finding,) = outcome.findings
    assert finding.rule_id == "PB-01.no" and finding.kind == "compliance" and finding.raised_by == ("PB-01",)


def test_selected_signals_are_raised_per_person(form: FormDefinition) -> None:
    answers = AnswerSet(
        persons={
            1: {"P-ROLE": "sex_worker", "PB-27": ["gen.fear"]},
            3: {"P-ROLE": "sex_worker", "PB-27": ["gen.fear"]},
        }
    )
    raised = run_rules(form, answers).indicator("gen.fear")
    assert raised is not None and raised.raised_by == ("PB-27[1]", "PB-27[3]")


def test_acute_rule_and_minor(form: FormDefinition) -> None:
    outcome = run_rules(
        form, AnswerSet(persons={2: {"P-ROLE": "sex_worker", "P-DANGER": "yes", "P-AGE": "under_18"}})
    )
    assert outcome.acute_rules == ("P-DANGER.yes",)
    minor = outcome.indicator("gen.minor")
    assert minor is not None and minor.raised_by == ("P-AGE[2]",) and minor.weight.value == "H"


def test_nothing_raised_for_an_empty_visit(form: FormDefinition) -> None:
    outcome = run_rules(form, AnswerSet())
    assert outcome.indicators == () and outcome.findings == () and not outcome.acute


def test_raised_by_names_only_the_deciding_branch_of_an_or(tmp_path: Path) -> None:
    text = (
        VALID
        + """
[[rules]]
id = "either"
when = "{PB-01} = 'no' or {PB-03} = 'raam'"
raise = ["sex.no_intake"]
"""
    )
    form = load_form_file(write_form(tmp_path, text))
    raised = run_rules(form, AnswerSet(top={"PB-01": "yes", "PB-03": "raam"})).indicator("sex.no_intake")
    assert raised is not None and raised.raised_by == ("PB-03",)
    raised = run_rules(form, AnswerSet(top={"PB-01": "no", "PB-03": "raam"})).indicator("sex.no_intake")
    assert raised is not None and raised.raised_by == ("PB-01", "PB-03")
