"""Run a checklist's trigger rules over its answers: which indicators are raised, by which answers.

Pure functions. Each raised indicator carries the answer refs (`PB-19[2]`) and rule ids behind it, so
the inspector sees why, and the office can check it. A rule only sees visible questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.model import Finding, RaisedIndicator, Weight
from inspector_app.forms.expressions import is_answered, truthy
from inspector_app.forms.model import FormDefinition, Rule
from inspector_app.forms.state import (
    AnswerSet,
    EvaluationCache,
    FormState,
    ScopeContext,
    answer_ref,
    evaluate_form,
    person_key,
)


@dataclass(frozen=True)
class RuleOutcome:
    """Everything the rules of one checklist concluded for one set of answers."""

    indicators: tuple[RaisedIndicator, ...]
    findings: tuple[Finding, ...]
    acute_rules: tuple[str, ...]
    state: FormState

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

    def outcome(self, state: FormState) -> RuleOutcome:
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
        return RuleOutcome(indicators, findings, tuple(self.acute), state)


@dataclass(frozen=True)
class _Firing:
    """What one rule concluded in one scope: the deciding refs, and slugs chosen in a signal list."""

    refs: tuple[str, ...] | None
    selected: tuple[str, ...] = ()
    selected_ref: str = ""


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


def _person_firings(
    form: FormDefinition, context: ScopeContext, effective: dict[str, object], number: int
) -> dict[int, _Firing]:
    firings = {}
    for index, rule in enumerate(form.rules):
        if rule.per_person and (firing := _evaluate_rule(rule, context, effective, number)) is not None:
            firings[index] = firing
    return firings


def run_rules(
    form: FormDefinition,
    answers: AnswerSet,
    state: FormState | None = None,
    catalogue: Catalogue | None = None,
    cache: EvaluationCache | None = None,
) -> RuleOutcome:
    """Evaluate every rule of `form`; per-person rules once for each person present.

    With a cache (an open visit), persons whose inputs did not change reuse their earlier firings.
    """
    state = state or evaluate_form(form, answers, cache)
    collector = _Collector(catalogue or load_catalogue())
    top_context = ScopeContext(state.top.effective, None, answers.persons)
    per_person: dict[int, dict[int, _Firing]] = {}
    for number, scope in sorted(state.persons.items()):
        key = person_key(form, answers.persons[number], state.top.effective) if cache is not None else None
        cached = cache.rules.get(number) if cache is not None and key is not None else None
        if cached is not None and cached[0] == key:
            per_person[number] = cached[1]
            continue
        context = ScopeContext(state.top.effective, scope.effective, answers.persons)
        per_person[number] = _person_firings(form, context, scope.effective, number)
        if cache is not None and key is not None:
            cache.rules[number] = (key, per_person[number])
    for index, rule in enumerate(form.rules):
        if rule.per_person:
            for firings in per_person.values():
                if (firing := firings.get(index)) is not None:
                    _replay(rule, firing, collector)
        elif (firing := _evaluate_rule(rule, top_context, state.top.effective, None)) is not None:
            _replay(rule, firing, collector)
    return collector.outcome(state)
