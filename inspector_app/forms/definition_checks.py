"""Shared checks of checklist definitions: problem reporting and cross-references.

Kept apart from the file reading in loader.py: these checks see the whole form (every expression,
every rule) and name the file, the question or rule, and the problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from inspector_app.domain.model import Weight
from inspector_app.forms import expressions as ex
from inspector_app.forms.model import (
    FINDING_KINDS,
    Question,
    QuestionType,
    Rule,
    Section,
)
from inspector_app.i18n import LocalText

E = TypeVar("E", bound=StrEnum)

DEFINITION_FORMAT = 1
FORM_ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
SECTION_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
QUESTION_ID_RE = re.compile(r"^[A-Z]{1,4}-[A-Z0-9]{1,8}[a-z]?$")
CHOICE_VALUE_RE = re.compile(r"^[a-z0-9_.]{1,64}$")
ROLE_CODE_RE = re.compile(r"^[A-Z]{2,3}$")
RULE_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

FORM_KEYS = {
    "format",
    "id",
    "version",
    "location_type",
    "title",
    "description",
    "persons",
    "sections",
    "rules",
}
FRAGMENT_KEYS = {"format", "sections", "rules"}
SECTION_KEYS = {"id", "title", "repeat", "visible_when", "questions", "audience"}
QUESTION_KEYS = {
    "id",
    "type",
    "label",
    "help",
    "required",
    "visible_when",
    "constraint",
    "constraint_message",
    "unit",
    "choices",
    "expression",
    "audience",
    "mirror",
    "report_list",
}
CHOICE_KEYS = {"value", "nl", "en", "referral"}
ROLE_KEYS = {"value", "code", "nl", "en"}
RULE_KEYS = {"id", "when", "raise", "raise_selected", "weight", "finding", "finding_kind", "acute"}
NUMERIC_TYPES = {QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.COMPUTED}
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}


@dataclass(frozen=True)
class FormProblem:
    file: str
    item: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.item}: " if self.item else f"{self.file}: "
        return where + self.message


class FormDefinitionError(ValueError):
    """A checklist definition is malformed; `problems` lists every problem found."""

    def __init__(self, problems: list[FormProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class Draft:
    """Raw sections and rules gathered from a form and its fragments, with their origin files."""

    sections: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rules: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class DefinitionChecks:
    """Problem reporting and the checks that need the whole form; loader._Loader reads the files."""

    def __init__(self, path: Path, indicator_slugs: Collection[str]) -> None:
        self.path = path
        self.slugs = indicator_slugs
        self.problems: list[FormProblem] = []
        self.declared_audience: set[str] = set()
        """Questions whose audience is written in the file (on the question or on its section)."""

    # -------------------------------------------------------------------------------- reporting

    def problem(self, file: str, item: str, message: str) -> None:
        self.problems.append(FormProblem(file, item, message))

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            self.problem(str(path), "", "file not found")
        except tomllib.TOMLDecodeError as error:
            self.problem(str(path), "", f"TOML syntax error: {error}")
        except (OSError, UnicodeDecodeError) as error:
            self.problem(str(path), "", f"cannot read file: {error}")
        return None

    def _unknown_keys(self, file: str, item: str, raw: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(raw) - allowed):
            self.problem(file, item, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def _text(self, file: str, item: str, raw: Any, what: str, required: bool = True) -> LocalText | None:
        if raw is None:
            if required:
                self.problem(file, item, f"{what} is missing (needs nl and en)")
            return None
        if not isinstance(raw, dict) or set(raw) != {"nl", "en"}:
            self.problem(file, item, f"{what} must be a table with exactly nl and en")
            return None
        if not all(isinstance(v, str) and v.strip() for v in raw.values()):
            self.problem(file, item, f"{what} must have non-empty nl and en texts")
            return None
        return LocalText(nl=raw["nl"], en=raw["en"])

    def _choice_of(self, file: str, item: str, raw: Any, what: str, kind: type[E]) -> E | None:
        """An optional enumerated key such as `audience` or `mirror`."""
        if raw is None:
            return None
        try:
            return kind(raw)
        except ValueError:
            allowed = ", ".join(repr(k.value) for k in kind)
            self.problem(file, item, f"{what} must be one of {allowed}, found {raw!r}")
            return None

    def _expression(self, file: str, item: str, raw: Any, what: str) -> ex.Expression | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.problem(file, item, f"{what} must be a non-empty expression string")
            return None
        try:
            return ex.compile_expression(raw)
        except ex.ExpressionError as error:
            self.problem(file, item, f"{what}: {error}")
            return None

    # ---------------------------------------------------------------------------------- loading

    def _check_expressions(self, sections: list[Section], questions: dict[str, Question]) -> None:
        file = str(self.path)
        for section in sections:
            self._check_refs(
                file, f"section {section.id!r}", section.visible_when, questions, in_repeat=section.repeat
            )
            for question in section.questions:
                item = f"question {question.id}"
                for expr in (question.visible_when, question.constraint, question.expression):
                    self._check_refs(file, item, expr, questions, in_repeat=question.repeat)
                if question.visible_when is not None and question.id in question.visible_when.refs:
                    self.problem(file, item, "visible_when cannot depend on the question itself")

    def _check_refs(
        self,
        file: str,
        item: str,
        expr: ex.Expression | None,
        questions: dict[str, Question],
        in_repeat: bool,
    ) -> None:
        if expr is None:
            return
        for ref in expr.refs:
            target = questions.get(ref)
            if target is None:
                self.problem(file, item, f"{expr.source!r} refers to unknown question {ref}")
            elif target.repeat and not in_repeat:
                self.problem(
                    file,
                    item,
                    f"{expr.source!r} refers to person question {ref} outside "
                    "the persons repeat; use count_persons()",
                )
        self._check_literals(file, item, expr, questions)

    def _check_literals(
        self, file: str, item: str, expr: ex.Expression, questions: dict[str, Question]
    ) -> None:
        for node in ex.walk(expr.tree):
            pairs: list[tuple[ex.Node, ex.Node]] = []
            if isinstance(node, ex.Binary) and node.op in ("=", "!="):
                pairs = [(node.left, node.right), (node.right, node.left)]
            elif isinstance(node, ex.Binary) and node.op == "in" and isinstance(node.right, ex.ListLiteral):
                pairs = [(node.left, lit) for lit in node.right.items]
            elif isinstance(node, ex.Call) and node.name == "selected":
                pairs = [(node.args[0], node.args[1])]
            elif isinstance(node, ex.Call) and node.name == "count_persons":
                target, wanted = node.args
                if isinstance(target, ex.Literal) and isinstance(target.value, str):
                    if target.value not in questions:
                        self.problem(file, item, f"count_persons() names unknown question {target.value}")
                    else:
                        pairs = [(ex.Ref(target.value), wanted)]
            for subject, literal in pairs:
                if not (isinstance(subject, ex.Ref) and isinstance(literal, ex.Literal)):
                    continue
                if not isinstance(literal.value, str) or subject.question_id not in questions:
                    continue
                allowed = questions[subject.question_id].allowed_values
                if allowed is not None and literal.value not in allowed:
                    self.problem(
                        file,
                        item,
                        f"{expr.source!r}: {literal.value!r} is not a value of "
                        f"{subject.question_id} (values: {', '.join(allowed)})",
                    )

    def _computed_order(self, questions: dict[str, Question]) -> tuple[str, ...]:
        """Computed questions sorted so each comes after the computed values it uses."""
        computed = {qid: q for qid, q in questions.items() if q.expression is not None}
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(qid: str, trail: list[str]) -> None:
            if state.get(qid) == "done":
                return
            if state.get(qid) == "busy":
                cycle = " -> ".join([*trail, qid])
                self.problem(str(self.path), f"question {qid}", f"computed values form a cycle: {cycle}")
                return
            state[qid] = "busy"
            expression = computed[qid].expression
            for ref in expression.refs if expression else ():
                if ref in computed:
                    visit(ref, [*trail, qid])
            state[qid] = "done"
            order.append(qid)

        for qid in computed:
            visit(qid, [])
        return tuple(order)

    def _rules(self, draft: Draft, questions: dict[str, Question]) -> list[Rule]:
        rules: list[Rule] = []
        seen: set[str] = set()
        repeat_ids = {qid for qid, q in questions.items() if q.repeat}
        for index, (file, raw) in enumerate(draft.rules, start=1):
            rule_id = raw.get("id")
            when = self._expression(file, f"rule {rule_id or index}", raw.get("when"), "when")
            if rule_id is None:
                first = when.refs[0] if when and when.refs else raw.get("raise_selected", "rule")
                rule_id = f"{first}.{index}"
            item = f"rule {rule_id}"
            self._unknown_keys(file, item, raw, RULE_KEYS)
            if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
                self.problem(file, item, f"rule id must match {RULE_ID_RE.pattern}")
                continue
            if rule_id in seen:
                self.problem(file, item, "duplicate rule id")
            seen.add(rule_id)
            raises = self._raises(file, item, raw.get("raise", []))
            selected = raw.get("raise_selected")
            if selected is not None:
                self._check_raise_selected(file, item, selected, questions)
            weight, finding, kind, acute = self._rule_outcome(file, item, raw)
            if not (raises or selected or finding or acute):
                self.problem(file, item, "a rule must raise, raise_selected, make a finding or be acute")
            if when is None and selected is None:
                self.problem(file, item, "a rule needs a 'when' condition")
            if when is not None:
                self._check_refs(file, item, when, questions, in_repeat=True)
            refs = set(when.refs if when else ()) | ({selected} if isinstance(selected, str) else set())
            rules.append(
                Rule(
                    id=rule_id,
                    when=when,
                    raises=tuple(raises),
                    raise_selected=selected if isinstance(selected, str) else None,
                    weight=weight,
                    finding=finding,
                    finding_kind=kind if isinstance(kind, str) else None,
                    acute=acute,
                    per_person=bool(refs & repeat_ids),
                )
            )
        return rules

    def _raises(self, file: str, item: str, raises: Any) -> list[str]:
        if not isinstance(raises, list) or not all(isinstance(s, str) for s in raises):
            self.problem(file, item, "raise must be a list of indicator slugs")
            return []
        for slug in raises:
            if slug not in self.slugs:
                self.problem(file, item, f"unknown indicator slug {slug!r}")
        return raises

    def _rule_outcome(
        self, file: str, item: str, raw: dict[str, Any]
    ) -> tuple[Weight | None, LocalText | None, Any, bool]:
        """The weight, finding (with its kind) and acute flag of one rule."""
        weight = None
        if "weight" in raw:
            try:
                weight = Weight(raw["weight"])
            except ValueError:
                self.problem(file, item, f"weight must be H, M or L, found {raw['weight']!r}")
        finding = self._text(file, item, raw.get("finding"), "finding", required=False)
        kind = raw.get("finding_kind")
        if (finding is None) != (kind is None):
            self.problem(file, item, "finding and finding_kind go together")
        if kind is not None and kind not in FINDING_KINDS:
            self.problem(file, item, f"finding_kind must be one of {', '.join(FINDING_KINDS)}")
        acute = raw.get("acute", False)
        if not isinstance(acute, bool):
            self.problem(file, item, "acute must be true or false")
            acute = False
        return weight, finding, kind, acute

    def _check_raise_selected(
        self, file: str, item: str, selected: Any, questions: dict[str, Question]
    ) -> None:
        question = questions.get(selected) if isinstance(selected, str) else None
        if question is None:
            self.problem(file, item, f"raise_selected names unknown question {selected!r}")
            return
        if question.type is not QuestionType.MULTIPLE:
            self.problem(file, item, f"raise_selected needs a multiple-choice question, {selected} is not")
        for choice in question.choices:
            if choice.value not in self.slugs:
                self.problem(file, item, f"choice {choice.value!r} of {selected} is not an indicator slug")
