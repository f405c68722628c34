"""Incremental rule evaluation gives exactly the full evaluation, and re-runs only what an answer touches."""

from __future__ import annotations

import string
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import AnswerValue
from inspector_app.forms.loader import load_all_forms, load_form_file
from inspector_app.forms.model import PERSON_ROLE_QUESTION, FormDefinition, Question, QuestionType, Rule
from inspector_app.forms.state import AnswerSet, ScopeContext
from inspector_app.services.app import AppContext
from inspector_app.services.visit.persons import add_person, remove_person
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.signals import rules
from inspector_app.signals.dependencies import dependency_index
from inspector_app.signals.rules import RuleOutcome, run_rules
from tests.forms.definitions import VALID, form_from_text, write_form

FORMS = load_all_forms()
CATALOGUE = load_catalogue()
MAX_PERSONS = 6
Firing = rules._Firing
Collector = rules._Collector


def allowed_values(form: FormDefinition, question: Question) -> tuple[str, ...]:
    values = question.allowed_values or ()
    if not values and question.id == PERSON_ROLE_QUESTION:
        values = tuple(role.value for role in form.roles)
    assert values, f"{form.id}: {question.id} offers no values"
    return values


def valid_values(form: FormDefinition, question: Question) -> st.SearchStrategy[AnswerValue]:
    """Values `check_answer` accepts for the question's type (already normalised)."""
    qtype = question.type
    if qtype in (QuestionType.YESNO, QuestionType.SINGLE):
        return st.sampled_from(allowed_values(form, question))
    if qtype is QuestionType.MULTIPLE:
        return st.lists(st.sampled_from(allowed_values(form, question)), unique=True)
    if qtype is QuestionType.INTEGER:
        return st.one_of(st.integers(0, 12), st.integers(0, 150))
    if qtype is QuestionType.DECIMAL:
        return st.integers(0, 1500).map(lambda tenths: tenths / 10)
    if qtype is QuestionType.DATE:
        return st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(date.isoformat)
    if qtype is QuestionType.TIME:
        return st.times().map(lambda moment: moment.strftime("%H:%M"))
    if qtype is QuestionType.DATETIME:
        return st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)).map(
            lambda moment: moment.isoformat(timespec="minutes")
        )
    if qtype is QuestionType.PHOTO:
        return st.lists(st.text(string.hexdigits.lower(), min_size=8, max_size=8), max_size=2)
    return st.text(string.ascii_lowercase + " ,", max_size=12)


def answerable(form: FormDefinition, repeat: bool) -> list[Question]:
    return [q for q in form.questions.values() if q.repeat == repeat and q.type is not QuestionType.COMPUTED]


def assert_same(incremental: RuleOutcome, full: RuleOutcome) -> None:
    assert incremental.indicators == full.indicators
    assert incremental.findings == full.findings
    assert incremental.acute_rules == full.acute_rules
    assert incremental.state == full.state


def read_by_expressions(form: FormDefinition) -> set[str]:
    """Question ids some rule, visibility condition or computed value reads: where the edge cases are."""
    expressions = [rule.when for rule in form.rules] + [section.visible_when for section in form.sections]
    expressions += [e for q in form.questions.values() for e in (q.visible_when, q.expression)]
    read = {ref for e in expressions if e is not None for ref in e.refs}
    return read | {rule.raise_selected for rule in form.rules if rule.raise_selected is not None}


def question_choice(form: FormDefinition, repeat: bool) -> st.SearchStrategy[Question]:
    """Any answerable question of the scope, half the time one that something reads."""
    questions = answerable(form, repeat)
    read = read_by_expressions(form)
    interesting = [q for q in questions if q.id in read] or questions
    return st.one_of(st.sampled_from(interesting), st.sampled_from(questions))


def replay_random_visit(form: FormDefinition, data: st.DataObject) -> None:
    """Answer, clear, add and remove persons at random; after each step compare with a full run."""
    top: dict[str, AnswerValue] = {}
    persons: dict[int, dict[str, AnswerValue]] = {}
    outcome = run_rules(form, AnswerSet(), catalogue=CATALOGUE)
    next_number = 1
    actions = st.sampled_from(["visit", "visit", "person", "person", "add", "clear", "remove"])
    for _step in range(data.draw(st.integers(1, 30), label="steps")):
        action = data.draw(actions, label="action")
        if action == "add" or (action == "person" and not persons):
            if next_number > MAX_PERSONS:
                continue
            # a person comes in with their first answer (the session creates them by it)
            question = data.draw(question_choice(form, repeat=True))
            first = {
                PERSON_ROLE_QUESTION: form.roles[0].value,
                question.id: data.draw(valid_values(form, question)),
            }
            persons = {**persons, next_number: first}
            next_number += 1
        elif action == "visit":
            question = data.draw(question_choice(form, repeat=False))
            top = {**top, question.id: data.draw(valid_values(form, question))}
        elif action == "person":
            number = data.draw(st.sampled_from(sorted(persons)), label="person")
            question = data.draw(question_choice(form, repeat=True))
            value = data.draw(valid_values(form, question))
            persons = {**persons, number: {**persons[number], question.id: value}}
        elif action == "clear" and top:
            cleared = data.draw(st.sampled_from(sorted(top)), label="clear")
            top = {qid: value for qid, value in top.items() if qid != cleared}
        elif action == "remove" and persons:
            gone = data.draw(st.sampled_from(sorted(persons)), label="remove")
            persons = {number: answers for number, answers in persons.items() if number != gone}
        answers = AnswerSet(top=top, persons=persons)
        outcome = run_rules(form, answers, catalogue=CATALOGUE, previous=outcome)
        assert_same(outcome, run_rules(form, answers, catalogue=CATALOGUE))


@pytest.mark.parametrize("form_id", sorted(FORMS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_incremental_outcome_equals_full_evaluation(form_id: str, data: st.DataObject) -> None:
    replay_random_visit(FORMS[form_id], data)


def test_counting_rules_are_indexed() -> None:
    """A rule that counts persons reads every person, though no `{ref}` in it names a person question."""
    business = FORMS["prostitution_business"]
    counting = {business.rules[i].id for i in dependency_index(business).counting_rules}
    assert counting == {r.id for r in business.rules if r.when and "count_persons(" in r.when.source}
    assert counting
    assert dependency_index(business) is dependency_index(business)


def test_a_visit_count_rule_follows_persons_added_and_removed() -> None:
    form = FORMS["prostitution_business"]
    rule = next(r for r in form.rules if r.when and "count_persons" in r.when.source)
    role = next(v for v in ("sex_worker",) if form.role(v) is not None)
    visit = {"PB-01": "no"}
    outcome = run_rules(form, AnswerSet(top=visit), catalogue=CATALOGUE)
    with_person = AnswerSet(top=visit, persons={1: {PERSON_ROLE_QUESTION: role}})
    outcome = run_rules(form, with_person, catalogue=CATALOGUE, previous=outcome)
    assert any(rule.id in i.rule_ids for i in outcome.indicators)
    outcome = run_rules(form, AnswerSet(top=visit), catalogue=CATALOGUE, previous=outcome)
    assert not any(rule.id in i.rule_ids for i in outcome.indicators)


def test_a_person_answer_runs_only_that_persons_rules_that_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The defect of issue 16 item 11: every answer re-ran every visit rule and replayed every firing.

    Before the incremental evaluation, one person's answer on this 40-person visit evaluated all
    visit-level rules again and replayed the firings of all 40 persons.
    """
    form = FORMS["labour_migrant_housing"]
    question = next(q for q in answerable(form, True) if q.type is QuestionType.YESNO and q.id != "P-DANGER")
    reading = dependency_index(form).person_rules_reading([question.id])
    assert reading, f"no rule reads {question.id}"
    top = {q.id: "no" for q in answerable(form, False) if q.type is QuestionType.YESNO}
    role = form.roles[0].value
    persons = {n: {PERSON_ROLE_QUESTION: role, "P-AGE": "under_18", question.id: "no"} for n in range(1, 41)}
    outcome = run_rules(form, AnswerSet(top, persons), catalogue=CATALOGUE)
    evaluated: list[tuple[str, int | None]] = []
    replayed: list[str] = []
    original_evaluate, original_replay = rules._evaluate_rule, rules._replay

    def counting_evaluate(
        rule: Rule, context: ScopeContext, effective: dict[str, object], person: int | None
    ) -> Firing | None:
        evaluated.append((rule.id, person))
        return original_evaluate(rule, context, effective, person)

    def counting_replay(rule: Rule, firing: Firing, collector: Collector) -> None:
        replayed.append(rule.id)
        original_replay(rule, firing, collector)

    monkeypatch.setattr(rules, "_evaluate_rule", counting_evaluate)
    monkeypatch.setattr(rules, "_replay", counting_replay)
    changed = {**persons, 7: {**persons[7], question.id: "yes"}}
    incremental = run_rules(form, AnswerSet(top, changed), catalogue=CATALOGUE, previous=outcome)
    assert {(form.rules[i].id, 7) for i in reading} == set(evaluated)
    assert len(replayed) <= len(reading) * len(persons)  # the changed rule's firings, not all of them
    monkeypatch.undo()
    assert_same(incremental, run_rules(form, AnswerSet(top, changed), catalogue=CATALOGUE))


def test_a_visit_answer_that_changes_nothing_a_rule_reads_runs_no_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = FORMS["labour_migrant_housing"]
    unread = next(
        q
        for q in answerable(form, False)
        if q.type is QuestionType.TEXT
        and not dependency_index(form).visit_rules_reading([q.id])
        and not dependency_index(form).person_rules_reading([q.id])
    )
    persons = {n: {PERSON_ROLE_QUESTION: form.roles[0].value} for n in range(1, 21)}
    outcome = run_rules(form, AnswerSet({}, persons), catalogue=CATALOGUE)
    evaluated: list[str] = []
    original = rules._evaluate_rule

    def counting(
        rule: Rule, context: ScopeContext, effective: dict[str, object], person: int | None
    ) -> Firing | None:
        evaluated.append(rule.id)
        return original(rule, context, effective, person)

    monkeypatch.setattr(rules, "_evaluate_rule", counting)
    run_rules(form, AnswerSet({unread.id: "notitie"}, persons), catalogue=CATALOGUE, previous=outcome)
    assert evaluated == []


# A definition with the dependencies the shipped checklists do not have (yet): person visibility that
# reads a visit-level answer, a chain of computed values, visit visibility that counts persons, and a
# per-person rule that reads a visit-level answer.
CHAINED = (
    VALID.replace(
        '''visible_when = "{P-ROLE} = 'sex_worker'"''',
        '''visible_when = "{P-ROLE} = 'sex_worker' and ({PB-03} = null or {PB-03} != 'raam')"''',
    ).replace(
        '''[[sections]]
include = "_persons.toml"''',
        '''[[sections.questions]]
id = "PB-10d"
type = "computed"
expression = "{PB-10c} + 1"
label = { nl = "Dubbel plus een", en = "Double plus one" }

[[sections.questions]]
id = "PB-11"
type = "yesno"
visible_when = "count_persons('P-ROLE', 'sex_worker') >= 2 and {PB-10d} > 3"
label = { nl = "Meerdere sekswerkers gesproken?", en = "Several sex workers spoken to?" }

[[sections]]
include = "_persons.toml"''',
    )
    + """
[[rules]]
id = "PB-11.yes"
when = "{PB-11} = 'yes'"
raise = ["sex.unlicensed_location"]
weight = "L"

[[rules]]
id = "PB-10d.high"
when = "{PB-10d} > 9"
raise = ["sex.cannot_refuse"]
weight = "L"

[[rules]]
id = "PB-19.unlicensed"
when = "{PB-19} = 'yes' and {PB-01} = 'no'"
raise = ["sex.cannot_refuse"]
acute = true
"""
)
# ... and one whose person scope counts persons, so persons are not independent (full fallback).
COUNTING = CHAINED.replace(
    """label = { nl = "Kan klanten weigeren?", en = "Can refuse clients?" }""",
    '''label = { nl = "Kan klanten weigeren?", en = "Can refuse clients?" }
visible_when = "persons() <= 3"''',
)

# ... and one where a per-person rule counts persons: the scopes are independent, the rule is not.
COUNTING_RULE = (
    CHAINED
    + """
[[rules]]
id = "PB-19.crowded"
when = "{PB-19} = 'no' and persons() > 3"
raise = ["sex.cannot_refuse"]
weight = "L"
"""
)


@pytest.mark.parametrize("text", [CHAINED, COUNTING], ids=["chained", "counting"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_incremental_equals_full_with_chained_dependencies(text: str, data: st.DataObject) -> None:
    replay_random_visit(form_from_text(text), data)


def test_chained_definition_has_every_kind_of_dependency(tmp_path: Path) -> None:
    """Guards the property test above: each path of the incremental evaluation is exercised."""
    chained = load_form_file(write_form(tmp_path, CHAINED))
    index = dependency_index(chained)
    assert index.person_scope_reads == {"PB-03"}
    assert index.visit_scope_counts_persons and not index.person_scope_counts_persons
    assert {chained.rules[i].id for i in index.person_rules_reading(["PB-01"])} == {"PB-19.unlicensed"}
    assert {chained.rules[i].id for i in index.visit_rules_reading(["PB-10d"])} == {"PB-10d.high"}
    counting = load_form_file(write_form(tmp_path, COUNTING, "counting.toml"))
    assert dependency_index(counting).person_scope_counts_persons
    counting_rule = load_form_file(write_form(tmp_path, COUNTING_RULE, "counting_rule.toml"))
    crowded = next(rule for rule in counting_rule.rules if rule.id == "PB-19.crowded")
    assert crowded.per_person and dependency_index(counting_rule).person_scope_counts_persons


SW: dict[str, AnswerValue] = {PERSON_ROLE_QUESTION: "sex_worker"}
Step = tuple[dict[str, AnswerValue] | None, dict[int, dict[str, AnswerValue]] | None]
SCENARIOS: dict[str, tuple[str, list[Step]]] = {
    "a person rule reads a visit answer": (
        CHAINED,
        [({}, {1: {**SW, "PB-19": "yes"}, 2: {**SW, "PB-19": "yes"}}), ({"PB-01": "no"}, None)],
    ),
    "a visit answer hides a person section": (
        CHAINED,
        [({"PB-01": "no"}, {1: {**SW, "PB-19": "no"}}), ({"PB-01": "no", "PB-03": "raam"}, None)],
    ),
    "computed values chain into a rule": (CHAINED, [({"PB-10a": 2}, {}), ({"PB-10a": 5}, None)]),
    "a person count shows a visit question": (
        CHAINED,
        [({"PB-10a": 2, "PB-11": "yes"}, {1: SW}), (None, {1: SW, 2: SW}), (None, {2: SW})],
    ),
    "a fourth person hides a question of the others": (
        COUNTING,
        [
            ({}, {1: {**SW, "PB-19": "no"}, 2: SW, 3: SW}),
            (None, {1: {**SW, "PB-19": "no"}, 2: SW, 3: SW, 4: SW}),
        ],
    ),
    "a fourth person fires a person rule that counts persons for the others": (
        COUNTING_RULE,
        [
            ({}, {1: {**SW, "PB-19": "no"}, 2: SW, 3: SW}),
            (None, {1: {**SW, "PB-19": "no"}, 2: SW, 3: SW, 4: SW}),
        ],
    ),
    "a new person fires on their first answer": (CHAINED, [({}, {}), (None, {1: {**SW, "PB-19": "no"}})]),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_incremental_scenarios(name: str, tmp_path: Path) -> None:
    """Each path of the incremental evaluation, step by step (None keeps that part of the answers)."""
    text, steps = SCENARIOS[name]
    form = load_form_file(write_form(tmp_path, text))
    top: dict[str, AnswerValue] = {}
    persons: dict[int, dict[str, AnswerValue]] = {}
    outcome = run_rules(form, AnswerSet(), catalogue=CATALOGUE)
    for new_top, new_persons in steps:
        top = top if new_top is None else new_top
        persons = persons if new_persons is None else new_persons
        answers = AnswerSet(top, persons)
        before = outcome
        outcome = run_rules(form, answers, catalogue=CATALOGUE, previous=outcome)
        assert_same(outcome, run_rules(form, answers, catalogue=CATALOGUE))
    assert outcome != before or outcome.state != before.state, "the last step must change something"


def test_open_visit_keeps_the_full_outcome_through_persons_added_and_removed(app: AppContext) -> None:
    """The session patches the answer set instead of rebuilding it; persons added without an answer,
    removed persons and cleared answers must still give what a fresh evaluation gives."""
    session = VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Incr"))))
    add_person(session)  # no role: created without a re-evaluation
    session.answer("P-AGE[1]", "under_18")
    add_person(session, role="sex_worker")
    session.answer("P-DANGER[2]", "yes")
    session.answer("PB-01", "no")
    remove_person(session, 1)
    session.answer("P-DANGER[2]", None)
    session.answer("PB-01", None)
    session.answer("P-AGE[2]", "under_18")
    assert_same(session.outcome, run_rules(session.form, session.answer_set(), catalogue=CATALOGUE))
    assert session.outcome.indicator("gen.minor") is not None
