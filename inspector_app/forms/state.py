"""What a checklist looks like for a given set of answers: visibility, computed values, constraint
messages, open required questions and progress.

Pure functions over a FormDefinition and an AnswerSet, shared by the CLI, the UI and the signal rules.
Hidden questions do not count: their answers are kept but ignored until the question shows again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.expressions import Expression, Value, is_answered, truthy
from inspector_app.forms.model import FormDefinition, Question, QuestionType, Section
from inspector_app.forms.refs import answer_ref as answer_ref
from inspector_app.i18n import LocalText

_MAX_ROUNDS = 4
INVALID_VALUE = LocalText("Ongeldige waarde", "Invalid value")


@dataclass(frozen=True)
class AnswerSet:
    """Raw answers of a visit: top-level by question id, persons by 1-based person number."""

    top: Mapping[str, AnswerValue] = field(default_factory=dict)
    persons: Mapping[int, Mapping[str, AnswerValue]] = field(default_factory=dict)


class ScopeContext:
    """Evaluation context of one scope: the visit itself, or one person inside it."""

    __slots__ = ("_person", "_persons", "_top", "self_value")

    def __init__(
        self,
        top: Mapping[str, Value],
        person: Mapping[str, Value] | None,
        persons: Mapping[int, Mapping[str, AnswerValue]],
        self_value: Value = None,
    ) -> None:
        self._top = top
        self._person = person
        self._persons = persons
        self.self_value = self_value

    def value_of(self, question_id: str) -> Value:
        if self._person is not None and question_id in self._person:
            return self._person[question_id]
        return self._top.get(question_id)

    def persons_count(self) -> int:
        return len(self._persons)

    def count_persons(self, question_id: str, value: Value) -> int:
        return sum(
            1
            for answers in self._persons.values()
            if (found := answers.get(question_id)) == value or (isinstance(found, list) and value in found)
        )

    def with_self(self, value: Value) -> ScopeContext:
        return ScopeContext(self._top, self._person, self._persons, value)


@dataclass(frozen=True)
class ScopeState:
    """Visibility and effective values of one scope (the visit, or one person)."""

    visible: frozenset[str]
    effective: dict[str, Value]
    computed: dict[str, Value]


@dataclass(frozen=True)
class Problem:
    ref: str
    question_id: str
    person: int | None
    message: LocalText  # both languages: the CLI, the UI and a finalize refusal pick their own


@dataclass(frozen=True)
class FormState:
    top: ScopeState
    persons: dict[int, ScopeState]

    def is_visible(self, question_id: str, person: int | None = None) -> bool:
        scope = self.top if person is None else self.persons.get(person)
        return scope is not None and question_id in scope.visible


def _scope_sections(form: FormDefinition, repeat: bool) -> list[Section]:
    return [section for section in form.sections if section.repeat == repeat]


def _shown(expression: Expression | None, context: ScopeContext) -> bool:
    return expression is None or truthy(expression.evaluate(context))


def evaluate_scope(
    form: FormDefinition,
    raw: Mapping[str, AnswerValue],
    top_effective: Mapping[str, Value] | None,
    persons: Mapping[int, Mapping[str, AnswerValue]],
) -> ScopeState:
    """Settle visibility and computed values of one scope.

    `top_effective` is None for the visit scope; for a person it holds the visit's effective values,
    which person expressions may read.
    """
    repeat = top_effective is not None
    sections = _scope_sections(form, repeat)
    effective: dict[str, Value] = {k: v for k, v in raw.items() if k in form.questions}
    computed: dict[str, Value] = {}
    visible: frozenset[str] = frozenset()
    # Each round evaluates against `effective`; when a round hides nothing new, the values it saw are
    # the settled ones and the loop ends (one round for most answers, more when hiding cascades).
    for _ in range(_MAX_ROUNDS):
        context = (
            ScopeContext(effective, None, persons)
            if not repeat
            else ScopeContext(top_effective or {}, effective, persons)
        )
        computed = {}
        for question_id in form.computed_order:
            question = form.questions[question_id]
            if question.repeat == repeat and question.expression is not None:
                value = question.expression.evaluate(context)
                computed[question_id] = value
                effective[question_id] = value
        shown: set[str] = set()
        for section in sections:
            if not _shown(section.visible_when, context):
                continue
            shown.update(q.id for q in section.questions if _shown(q.visible_when, context))
        new_effective = {k: v for k, v in raw.items() if k in shown}
        new_effective.update({k: v for k, v in computed.items() if k in shown})
        settled = new_effective == effective
        visible, effective = frozenset(shown), new_effective
        if settled:
            break
    if repeat:
        # person scopes must not fall back to top-level values for their own (hidden) questions
        for section in sections:
            for question in section.questions:
                effective.setdefault(question.id, None)
    return ScopeState(visible=visible, effective=effective, computed=computed)


def evaluate_form(form: FormDefinition, answers: AnswerSet) -> FormState:
    top = evaluate_scope(form, answers.top, None, answers.persons)
    persons = {
        number: evaluate_scope(form, person_answers, top.effective, answers.persons)
        for number, person_answers in answers.persons.items()
    }
    return FormState(top=top, persons=persons)


def _questions_in_scope(form: FormDefinition, repeat: bool) -> list[Question]:
    return [q for section in _scope_sections(form, repeat) for q in section.questions]


def constraint_problem(question: Question, value: AnswerValue, context: ScopeContext) -> Problem | None:
    """The constraint message of `question` if `value` breaks it, else None."""
    if question.constraint is None or not is_answered(value):
        return None
    if truthy(question.constraint.evaluate(context.with_self(value))):
        return None
    return Problem("", question.id, None, question.constraint_message or INVALID_VALUE)


def problems(form: FormDefinition, answers: AnswerSet, state: FormState) -> list[Problem]:
    """Constraint violations of visible answers."""
    found: list[Problem] = []
    scopes: list[tuple[int | None, ScopeState, ScopeContext]] = [
        (None, state.top, ScopeContext(state.top.effective, None, answers.persons))
    ]
    scopes += [
        (number, scope, ScopeContext(state.top.effective, scope.effective, answers.persons))
        for number, scope in state.persons.items()
    ]
    for person, scope, context in scopes:
        for question in _questions_in_scope(form, person is not None):
            if question.id not in scope.visible:
                continue
            problem = constraint_problem(question, scope.effective.get(question.id), context)
            if problem is not None:
                found.append(
                    Problem(
                        answer_ref(question.id, person),
                        question.id,
                        person,
                        problem.message,
                    )
                )
    return found


def missing_required(form: FormDefinition, state: FormState) -> list[str]:
    """Refs of visible required questions without an answer (persons included)."""
    missing = [
        q.id
        for q in _questions_in_scope(form, False)
        if q.required and q.id in state.top.visible and not is_answered(state.top.effective.get(q.id))
    ]
    for number in sorted(state.persons):
        scope = state.persons[number]
        missing += [
            answer_ref(q.id, number)
            for q in _questions_in_scope(form, True)
            if q.required and q.id in scope.visible and not is_answered(scope.effective.get(q.id))
        ]
    return missing


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    answered: int
    visible: int
    required_open: int


def section_progress(form: FormDefinition, state: FormState) -> list[SectionProgress]:
    """Answered / visible questions and open required questions per section (persons summed)."""
    progress = []
    for section in form.sections:
        scopes = list(state.persons.values()) if section.repeat else [state.top]
        answered = visible = required_open = 0
        for scope in scopes:
            for question in section.questions:
                if question.id not in scope.visible or question.type is QuestionType.COMPUTED:
                    continue
                visible += 1
                if is_answered(scope.effective.get(question.id)):
                    answered += 1
                elif question.required:
                    required_open += 1
        progress.append(SectionProgress(section.id, answered, visible, required_open))
    return progress
