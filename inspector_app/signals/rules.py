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
from inspector_app.forms.state import AnswerSet, FormState, ScopeContext, answer_ref, evaluate_form


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


def _apply_rule(
    rule: Rule, collector: _Collector, context: ScopeContext, effective: dict[str, object], person: int | None
) -> None:
    if rule.when is not None:
        if not truthy(rule.when.evaluate(context)):
            return
        refs = [
            answer_ref(q, person if q in effective and person is not None else None)
            for q in rule.when.deciding_refs(context)
            if is_answered(context.value_of(q))
        ]
        if rule.raises or rule.finding is not None or rule.acute:
            collector.fire(rule, refs)
    if rule.raise_selected is not None:
        selected = context.value_of(rule.raise_selected)
        if isinstance(selected, list):
            ref = answer_ref(rule.raise_selected, person)
            for slug in selected:
                collector.raise_indicator(slug, rule.weight, [ref], rule.id)


def run_rules(
    form: FormDefinition,
    answers: AnswerSet,
    state: FormState | None = None,
    catalogue: Catalogue | None = None,
) -> RuleOutcome:
    """Evaluate every rule of `form`; per-person rules once for each person present."""
    state = state or evaluate_form(form, answers)
    collector = _Collector(catalogue or load_catalogue())
    top_context = ScopeContext(state.top.effective, None, answers.persons)
    person_contexts = {
        number: (ScopeContext(state.top.effective, scope.effective, answers.persons), scope.effective)
        for number, scope in sorted(state.persons.items())
    }
    for rule in form.rules:
        if not rule.per_person:
            _apply_rule(rule, collector, top_context, state.top.effective, None)
            continue
        for number, (context, effective) in person_contexts.items():
            _apply_rule(rule, collector, context, effective, number)
    return collector.outcome(state)
