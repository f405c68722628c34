"""Answer addresses: `PB-19` for the visit, `PB-19[2]` for person 2 (1-based, stable numbers)."""

from __future__ import annotations

import re

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.model import FormDefinition, Question
from inspector_app.i18n import _

REF_RE = re.compile(r"^(?P<question>[A-Za-z]{1,4}-[A-Za-z0-9]{1,8})(?:\[(?P<person>\d{1,4})\])?$")


def answer_ref(question_id: str, person: int | None) -> str:
    """The address of one answer: `PB-19` or `PB-19[2]` for person 2."""
    return question_id if person is None else f"{question_id}[{person}]"


def parse_ref(form: FormDefinition, ref: str) -> tuple[Question, int | None]:
    """The question and person number an answer address points to, or a clear error."""
    match = REF_RE.match(ref.strip())
    if match is None:
        raise InvalidInputError(
            _("'{ref}' is geen vraagverwijzing; gebruik bijv. PB-12 of PB-19[2]", ref=ref)
        )
    raw_id = match.group("question")
    question = form.questions.get(raw_id) or _case_insensitive(form, raw_id)
    if question is None:
        raise NotFoundError(
            _("Vraag {question} bestaat niet in checklist {form}", question=raw_id, form=form.id)
        )
    person = int(match.group("person")) if match.group("person") else None
    if question.repeat and person is None:
        raise InvalidInputError(
            _(
                "{question} wordt per persoon gesteld; geef de persoon aan, bijv. {question}[1]",
                question=question.id,
            )
        )
    if not question.repeat and person is not None:
        raise InvalidInputError(
            _("{question} is geen persoonsvraag; laat [{person}] weg", question=question.id, person=person)
        )
    if person is not None and person < 1:
        raise InvalidInputError(_("Personen worden genummerd vanaf 1"))
    return question, person


def _case_insensitive(form: FormDefinition, raw_id: str) -> Question | None:
    upper = raw_id.upper()
    return next((q for qid, q in form.questions.items() if qid.upper() == upper), None)
