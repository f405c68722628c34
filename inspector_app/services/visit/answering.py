"""The answer write path, decided without writing: is the value allowed, who is the person, what do the rules see.

`VisitSession.answer` and `set_note` call these before they write, in their one transaction; nothing
here touches the store or the session, so the session stays the only writer of its visit. The answer
set the rules read is patched for the one changed answer rather than rebuilt from every row, which
keeps an answer cheap on a visit with a hundred persons.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from inspector_app.domain.catalogue import Catalogue
from inspector_app.domain.model import AnswerValue
from inspector_app.domain.records import AnswerRow, PersonRow, VisitRow
from inspector_app.errors import ConflictStateError, InvalidInputError, NotFoundError
from inspector_app.forms.model import FormDefinition, Question, QuestionType
from inspector_app.forms.state import AnswerSet, FormState, ScopeContext, constraint_problem
from inspector_app.i18n import _
from inspector_app.services.visit.mirrors import person_code
from inspector_app.signals.answer_set import answer_set_of
from inspector_app.signals.rules import RuleOutcome, run_rules

MAX_PERSONS = 500


def evaluated_answers(outcome: RuleOutcome, live: Mapping[int, PersonRow]) -> AnswerSet | None:
    """The answer set behind `outcome`, if it covers exactly the `live` persons.

    Every change of an answer value goes through `VisitSession.answer` and a re-evaluation, so that
    set is the current one; a person created without an answer (`add_person` without a role) is not
    in it.
    """
    working = outcome.working
    if working is None or working.answers.persons.keys() != live.keys():
        return None
    return working.answers


def patched_answer_set(
    before: AnswerSet, answers: Mapping[tuple[str, int], AnswerRow], changed: tuple[str, int]
) -> AnswerSet:
    """`before` with the one changed answer (question id, person number or 0) taken from `answers`."""
    row = answers.get(changed)
    question_id, number = changed
    value = row.value if row is not None else None
    if number == 0:
        return AnswerSet(_with_value(before.top, question_id, value), before.persons)
    patched = dict(before.persons)
    patched[number] = _with_value(before.persons[number], question_id, value)
    return AnswerSet(before.top, patched)


def _with_value(
    answers: Mapping[str, AnswerValue], question_id: str, value: AnswerValue
) -> dict[str, AnswerValue]:
    """A copy of one scope's raw answers with one value set (None leaves it out, as answer_set does)."""
    patched = dict(answers)
    if value is None:
        patched.pop(question_id, None)
    else:
        patched[question_id] = value
    return patched


def reevaluated(
    form: FormDefinition,
    outcome: RuleOutcome,
    answers: Mapping[tuple[str, int], AnswerRow],
    persons: Mapping[int, PersonRow],
    changed: tuple[str, int] | None,
    catalogue: Catalogue,
) -> RuleOutcome:
    """The rules' outcome after a change, re-running only the scopes and rules it touches.

    `outcome` (the current one) carries its per-rule working; `run_rules` compares the answers and
    gives exactly what a full evaluation would. `changed` (question id, person number or 0) names the
    one answer that differs from that working, so the answer set is patched, not rebuilt.
    """
    live = {number: person for number, person in persons.items() if not person.removed}
    before = evaluated_answers(outcome, live)
    if changed is None or before is None:
        answer_set = answer_set_of(answers, live)
    else:
        answer_set = patched_answer_set(before, answers, changed)
    return run_rules(form, answer_set, catalogue=catalogue, previous=outcome)


def check_addendum(is_final: bool, reason: str) -> None:
    """An answer with a reason is an addendum: only on a final visit, and the reason is not blank."""
    if not is_final:
        raise ConflictStateError(
            _("Een aanvulling kan alleen op een definitief bezoek; wijzig het antwoord gewoon")
        )
    if not reason.strip():
        raise InvalidInputError(_("Geef een reden voor de aanvulling"))


def check_photos(question: Question, value: AnswerValue, photo_ids: set[str]) -> None:
    """A photo answer may only name photos stored with this visit."""
    if question.type is QuestionType.PHOTO and value is not None:
        known = set(value) if isinstance(value, list) else set()
        if not known <= photo_ids:
            raise InvalidInputError(_("{question}: onbekende foto", question=question.id))


def check_constraint(
    question: Question,
    person: int | None,
    value: AnswerValue,
    state: FormState,
    persons_answers: Mapping[int, Mapping[str, AnswerValue]],
) -> None:
    """Refuse a value that breaks the question's constraint in its scope (header or that person)."""
    person_scope = state.persons.get(person) if person is not None else None
    context = ScopeContext(
        state.top.effective,
        person_scope.effective if person_scope else ({} if person else None),
        persons_answers,
    )
    problem = constraint_problem(question, value, context)
    if problem is not None:
        raise InvalidInputError(f"{question.id}: {problem.message.get()}")


def person_to_add(
    visit: VisitRow, all_persons: Mapping[int, PersonRow], present: int, person: int | None
) -> PersonRow | None:
    """None if the person exists (or no person is meant); a new PersonRow for the next number.

    Numbers are never reused, so a removed person's number stays his and the next one is one past
    the highest ever given; `present` (the persons not removed) is capped at MAX_PERSONS.
    """
    if person is None:
        return None
    existing = all_persons.get(person)
    if existing is not None:
        if existing.removed:
            raise NotFoundError(_("Persoon {number} is verwijderd uit dit bezoek", number=person))
        return None
    next_number = max(all_persons, default=0) + 1
    if person != next_number:
        raise NotFoundError(
            _(
                "Persoon {number} bestaat niet; een nieuwe persoon krijgt nummer {next}",
                number=person,
                next=next_number,
            )
        )
    if present >= MAX_PERSONS:
        raise InvalidInputError(_("Meer dan {limit} personen per bezoek is niet mogelijk", limit=MAX_PERSONS))
    return PersonRow(
        id=str(uuid.uuid4()),
        visit_id=visit.id,
        number=person,
        code=person_code(None, visit.started_at, visit.id, person),
    )
