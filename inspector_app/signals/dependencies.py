"""Which trigger rules and which scope evaluations read which answers: the dependency index.

Built once per checklist definition (a pure function of it, cached per definition object) so that an
answer re-runs only the rules that can see it. The index records direct reads; the transitive part
(computed values that chain, questions that a visibility condition hides or shows) is not guessed from
the definition but measured: the scope is settled again and the effective values that differ from the
last evaluation are the closure, exactly, and each of them selects its readers here.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from inspector_app.forms import expressions as ex
from inspector_app.forms.model import FormDefinition, Rule

COUNTING_FUNCTIONS = frozenset({"persons", "count_persons"})
"""Expression functions whose value depends on every person present, not on one scope."""


@dataclass(frozen=True)
class DependencyIndex:
    """For each question id, the rules that read its effective value; plus what counts persons."""

    visit_readers: Mapping[str, frozenset[int]]
    """Visit-level rule indices (into `form.rules`) by the question id they read."""
    person_readers: Mapping[str, frozenset[int]]
    """Per-person rule indices by the question id they read (person or visit-level questions)."""
    counting_rules: frozenset[int]
    """Visit-level rules that count persons: they change when any person's answers do."""
    visit_scope_counts_persons: bool
    """A visit-level visibility condition or computed value counts persons."""
    person_scope_reads: frozenset[str]
    """Visit-level question ids that person visibility conditions and computed values read."""
    person_scope_counts_persons: bool
    """A person-scope expression or per-person rule counts persons: persons are not independent."""

    def visit_rules_reading(self, question_ids: Iterable[str]) -> set[int]:
        return {index for qid in question_ids for index in self.visit_readers.get(qid, ())}

    def person_rules_reading(self, question_ids: Iterable[str]) -> set[int]:
        return {index for qid in question_ids for index in self.person_readers.get(qid, ())}


def rule_reads(rule: Rule) -> frozenset[str]:
    """The question ids whose effective value a rule's outcome depends on."""
    reads = set(rule.when.refs if rule.when is not None else ())
    if rule.raise_selected is not None:
        reads.add(rule.raise_selected)
    return frozenset(reads)


def counts_persons(expression: ex.Expression | None) -> bool:
    """True when the expression's value depends on the answers of every person present."""
    return expression is not None and any(
        isinstance(node, ex.Call) and node.name in COUNTING_FUNCTIONS for node in ex.walk(expression.tree)
    )


def _scope_expressions(form: FormDefinition, repeat: bool) -> list[ex.Expression]:
    """Every expression that settles one scope: section and question visibility, computed values."""
    found = [s.visible_when for s in form.sections if s.repeat == repeat and s.visible_when is not None]
    for question in form.questions.values():
        if question.repeat == repeat:
            found += [e for e in (question.visible_when, question.expression) if e is not None]
    return found


def build_dependency_index(form: FormDefinition) -> DependencyIndex:
    """Read every rule and scope expression of `form` once and record who reads what."""
    visit_readers: dict[str, set[int]] = {}
    person_readers: dict[str, set[int]] = {}
    counting_rules: set[int] = set()
    person_rule_counts = False
    for index, rule in enumerate(form.rules):
        readers = person_readers if rule.per_person else visit_readers
        for qid in rule_reads(rule):
            readers.setdefault(qid, set()).add(index)
        if counts_persons(rule.when):
            if rule.per_person:
                person_rule_counts = True
            else:
                counting_rules.add(index)
    visit_expressions = _scope_expressions(form, repeat=False)
    person_expressions = _scope_expressions(form, repeat=True)
    repeat_ids = form.repeat_question_ids
    return DependencyIndex(
        visit_readers={qid: frozenset(found) for qid, found in visit_readers.items()},
        person_readers={qid: frozenset(found) for qid, found in person_readers.items()},
        counting_rules=frozenset(counting_rules),
        visit_scope_counts_persons=any(counts_persons(e) for e in visit_expressions),
        person_scope_reads=frozenset(
            ref for e in person_expressions for ref in e.refs if ref not in repeat_ids
        ),
        person_scope_counts_persons=person_rule_counts or any(counts_persons(e) for e in person_expressions),
    )


_INDEXES: dict[int, tuple[weakref.ref[FormDefinition], DependencyIndex]] = {}


def dependency_index(form: FormDefinition) -> DependencyIndex:
    """The index of `form`, built on first use and kept as long as the definition object lives.

    Keyed by identity: a definition holds dicts, so it is not hashable, and two equal definitions
    loaded separately simply get an index each.
    """
    key = id(form)
    entry = _INDEXES.get(key)
    if entry is not None and entry[0]() is form:
        return entry[1]
    index = build_dependency_index(form)

    def forget(_ref: weakref.ref[FormDefinition]) -> None:
        _INDEXES.pop(key, None)

    _INDEXES[key] = (weakref.ref(form, forget), index)
    return index
