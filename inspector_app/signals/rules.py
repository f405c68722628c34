"""Run a checklist's trigger rules over its answers: which indicators are raised, by which answers.

Pure functions. Each raised indicator carries the answer refs (`PB-19[2]`) and rule ids behind it, so
the inspector sees why, and the office can check it. A rule only sees visible questions.

An open visit passes its previous outcome: an answer then costs what it touches (the scopes whose
answers changed, the rules that read a changed value; see `signals/dependencies.py`), and the result
equals a full evaluation, which `tests/signals/test_incremental.py` checks property-wise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.model import Finding, RaisedIndicator, Weight
from inspector_app.forms.expressions import is_answered, truthy
from inspector_app.forms.model import FormDefinition, Rule
from inspector_app.forms.state import (
    AnswerSet,
    FormState,
    ScopeContext,
    answer_ref,
    evaluate_form,
    evaluate_scope,
)
from inspector_app.signals.dependencies import dependency_index


@dataclass(frozen=True)
class RuleOutcome:
    """Everything the rules of one checklist concluded for one set of answers."""

    indicators: tuple[RaisedIndicator, ...]
    findings: tuple[Finding, ...]
    acute_rules: tuple[str, ...]
    state: FormState
    working: _Working | None = field(default=None, compare=False, repr=False)
    """How the outcome was reached, per rule; lets the next evaluation reuse what did not change."""

    @property
    def acute(self) -> bool:
        return bool(self.acute_rules)

    def indicator(self, slug: str) -> RaisedIndicator | None:
        return next((i for i in self.indicators if i.slug == slug), None)


@dataclass
class _Collector:
    catalogue: Catalogue
    weights: dict[str, list[Weight]] = field(default_factory=dict)
    raised_by: dict[str, dict[str, None]] = field(default_factory=dict)
    rule_ids: dict[str, dict[str, None]] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    finding_refs: dict[str, dict[str, None]] = field(default_factory=dict)
    acute: dict[str, None] = field(default_factory=dict)

    def raise_indicator(self, slug: str, weight: Weight | None, refs: list[str], rule_id: str) -> None:
        self.weights.setdefault(slug, []).append(weight or self.catalogue[slug].weight)
        self.raised_by.setdefault(slug, {}).update(dict.fromkeys(refs))
        self.rule_ids.setdefault(slug, {})[rule_id] = None

    def fire(self, rule: Rule, refs: list[str]) -> None:
        for slug in rule.raises:
            self.raise_indicator(slug, rule.weight, refs, rule.id)
        if rule.finding is not None and rule.finding_kind is not None:
            self.finding_refs.setdefault(rule.id, {}).update(dict.fromkeys(refs))
            self.findings[rule.id] = Finding(rule.id, rule.finding_kind, rule.finding.nl, rule.finding.en, ())
        if rule.acute:
            self.acute[rule.id] = None

    def condensed(self) -> _Collector:
        """The same conclusions with one (the strongest) weight per slug, cheap to merge again."""
        self.weights = {slug: [Weight.strongest(weights)] for slug, weights in self.weights.items()}
        return self

    def merge(self, other: _Collector) -> None:
        """Add what `other` concluded after what this one did, as if its firings were replayed here."""
        for slug, weights in other.weights.items():
            self.weights.setdefault(slug, []).extend(weights)
            self.raised_by.setdefault(slug, {}).update(other.raised_by[slug])
            self.rule_ids.setdefault(slug, {}).update(other.rule_ids[slug])
        self.findings.update(other.findings)
        for rule_id, refs in other.finding_refs.items():
            self.finding_refs.setdefault(rule_id, {}).update(refs)
        self.acute.update(other.acute)

    def outcome(self, state: FormState, working: _Working | None = None) -> RuleOutcome:
        indicators = tuple(
            RaisedIndicator(
                slug=slug,
                weight=Weight.strongest(weights),
                raised_by=tuple(self.raised_by[slug]),
                rule_ids=tuple(self.rule_ids[slug]),
            )
            for slug, weights in sorted(self.weights.items())
        )
        findings = tuple(
            Finding(f.rule_id, f.kind, f.text_nl, f.text_en, tuple(self.finding_refs[rule_id]))
            for rule_id, f in self.findings.items()
        )
        return RuleOutcome(indicators, findings, tuple(self.acute), state, working)


@dataclass(frozen=True)
class _Firing:
    """What one rule concluded in one scope: the deciding refs, and slugs chosen in a signal list."""

    refs: tuple[str, ...] | None
    selected: tuple[str, ...] = ()
    selected_ref: str = ""


VISIT_SCOPE = 0
"""Scope key of the visit itself in a rule's firings (persons are numbered from 1)."""


@dataclass(frozen=True)
class _Working:
    """Per-rule firings (by scope) and their tallies behind one outcome, for the next evaluation."""

    form: FormDefinition
    answers: AnswerSet
    firings: tuple[dict[int, _Firing], ...]
    tallies: tuple[_Collector, ...]


def _evaluate_rule(
    rule: Rule, context: ScopeContext, effective: dict[str, object], person: int | None
) -> _Firing | None:
    refs: tuple[str, ...] | None = None
    if rule.when is not None:
        if not truthy(rule.when.evaluate(context)):
            return None
        refs = tuple(
            answer_ref(q, person if q in effective and person is not None else None)
            for q in rule.when.deciding_refs(context)
            if is_answered(context.value_of(q))
        )
    if rule.raise_selected is not None:
        selected = context.value_of(rule.raise_selected)
        if isinstance(selected, list) and selected:
            return _Firing(refs, tuple(selected), answer_ref(rule.raise_selected, person))
    return _Firing(refs) if refs is not None else None


def _replay(rule: Rule, firing: _Firing, collector: _Collector) -> None:
    if firing.refs is not None and (rule.raises or rule.finding is not None or rule.acute):
        collector.fire(rule, list(firing.refs))
    for slug in firing.selected:
        collector.raise_indicator(slug, rule.weight, [firing.selected_ref], rule.id)


def _tally(rule: Rule, firings: dict[int, _Firing], catalogue: Catalogue) -> _Collector:
    """What one rule raised over all its scopes, persons in number order."""
    collector = _Collector(catalogue)
    for number in sorted(firings):
        _replay(rule, firings[number], collector)
    return collector.condensed()


def _conclude(
    form: FormDefinition,
    answers: AnswerSet,
    state: FormState,
    firings: tuple[dict[int, _Firing], ...],
    tallies: tuple[_Collector, ...],
    catalogue: Catalogue,
) -> RuleOutcome:
    """Merge the rules' tallies in rule order: the same order a single replay of every firing gives."""
    collector = _Collector(catalogue)
    for tally in tallies:
        collector.merge(tally)
    return collector.outcome(state, _Working(form, answers, firings, tallies))


class _Contexts:
    """Evaluation contexts of one answer set and state, made once per scope and reused by every rule."""

    def __init__(self, answers: AnswerSet, state: FormState) -> None:
        self.answers, self.state = answers, state
        self._made: dict[int, ScopeContext] = {}

    def fire(self, rule: Rule, number: int) -> _Firing | None:
        """The firing of `rule` in one scope (VISIT_SCOPE or a person number)."""
        context = self._made.get(number)
        scope = self.state.top if number == VISIT_SCOPE else self.state.persons[number]
        if context is None:
            person = None if number == VISIT_SCOPE else scope.effective
            context = self._made[number] = ScopeContext(
                self.state.top.effective, person, self.answers.persons
            )
        return _evaluate_rule(rule, context, scope.effective, None if number == VISIT_SCOPE else number)


def _evaluate_all(
    form: FormDefinition, answers: AnswerSet, state: FormState, catalogue: Catalogue
) -> RuleOutcome:
    contexts = _Contexts(answers, state)
    firings: list[dict[int, _Firing]] = []
    for rule in form.rules:
        scopes = sorted(state.persons) if rule.per_person else [VISIT_SCOPE]
        firings.append({n: firing for n in scopes if (firing := contexts.fire(rule, n)) is not None})
    tallies = tuple(_tally(rule, found, catalogue) for rule, found in zip(form.rules, firings, strict=True))
    return _conclude(form, answers, state, tuple(firings), tallies, catalogue)


def run_rules(
    form: FormDefinition,
    answers: AnswerSet,
    state: FormState | None = None,
    catalogue: Catalogue | None = None,
    previous: RuleOutcome | None = None,
) -> RuleOutcome:
    """Evaluate every rule of `form`; per-person rules once for each person present.

    With `previous` (the last outcome of an open visit, for the same definition object), only the
    scopes whose answers differ are settled again and only the rules that read a changed value run;
    the result is the one a full evaluation gives (`reevaluate`).
    """
    catalogue = catalogue or load_catalogue()
    if state is None and previous is not None and previous.working and previous.working.form is form:
        return reevaluate(previous, answers, catalogue)
    return _evaluate_all(form, answers, state or evaluate_form(form, answers), catalogue)


def _changed_values(old: Mapping[str, object], new: Mapping[str, object]) -> set[str]:
    """Question ids whose effective value differs (a missing key reads as None, as in a context)."""
    return {qid for qid in old.keys() | new.keys() if old.get(qid) != new.get(qid)}


def reevaluate(previous: RuleOutcome, answers: AnswerSet, catalogue: Catalogue) -> RuleOutcome:
    """The outcome for `answers`, re-running only what differs from the answers behind `previous`.

    Which scopes changed is found by comparing raw answers (so no caller can forget to say so):
    the visit scope is settled again when its answers changed, or when it counts persons and a
    person changed; a person is settled again when their answers changed, or when a visit-level value
    their visibility or computed values read changed. A rule then runs again in a scope only when
    a value it reads changed there. Definitions whose person scopes count other persons fall back
    to the full evaluation.
    """
    working = previous.working
    assert working is not None
    form, old, old_state = working.form, working.answers, previous.state
    index = dependency_index(form)
    # unchanged persons usually share their dict with the previous answer set: `is` settles them
    touched = {
        n for n, raw in answers.persons.items() if (was := old.persons.get(n)) is not raw and was != raw
    }
    removed = old.persons.keys() - answers.persons.keys()
    persons_changed = bool(touched or removed)
    if index.person_scope_counts_persons and (persons_changed or answers.top != old.top):
        return _evaluate_all(form, answers, evaluate_form(form, answers), catalogue)
    top = old_state.top
    if answers.top != old.top or (persons_changed and index.visit_scope_counts_persons):
        top = evaluate_scope(form, answers.top, None, answers.persons)
    changed_top = (
        _changed_values(old_state.top.effective, top.effective) if top is not old_state.top else set()
    )
    rescope = set(answers.persons) if changed_top & index.person_scope_reads else touched
    persons = {
        n: evaluate_scope(form, raw, top.effective, answers.persons) if n in rescope else old_state.persons[n]
        for n, raw in answers.persons.items()
    }
    state = FormState(top=top, persons=persons)

    rerun: dict[int, set[int]] = {}
    """Rule index -> scopes in which it runs again."""
    for index_ in index.visit_rules_reading(changed_top) | (
        index.counting_rules if persons_changed else set()
    ):
        rerun.setdefault(index_, set()).add(VISIT_SCOPE)
    every_person_rule = {i for i, rule in enumerate(form.rules) if rule.per_person}
    for index_ in index.person_rules_reading(changed_top):
        # a per-person rule that reads a visit-level value runs again for everyone
        rerun.setdefault(index_, set()).update(answers.persons)
    for number in rescope:
        before = old_state.persons.get(number)
        if before is None:
            rules = every_person_rule
        else:
            rules = index.person_rules_reading(_changed_values(before.effective, persons[number].effective))
        for index_ in rules:
            rerun.setdefault(index_, set()).add(number)
    if removed:
        for index_ in every_person_rule:
            if removed & working.firings[index_].keys():
                rerun.setdefault(index_, set())

    firings = list(working.firings)
    tallies = list(working.tallies)
    contexts = _Contexts(answers, state)
    for index_, scopes in rerun.items():
        rule = form.rules[index_]
        found = {n: f for n, f in firings[index_].items() if n not in removed}
        for number in scopes:
            firing = contexts.fire(rule, number)
            if firing is None:
                found.pop(number, None)
            else:
                found[number] = firing
        if found != firings[index_]:
            firings[index_] = found
            tallies[index_] = _tally(rule, found, catalogue)
    return _conclude(form, answers, state, tuple(firings), tuple(tallies), catalogue)
