"""Header and person mirroring: which visit and person columns follow from an answer, decided without writing.

Some answers are also kept as columns (the visit's type, partners, legal ground and times; a person's
role, age band, languages and pseudonymous code) so lists and bundles need not read every answer.
`VisitSession.answer` writes what these functions return in its one transaction; nothing here touches
the store, so the session stays the only writer of its visit.
"""

from __future__ import annotations

from typing import Any

from inspector_app.domain.model import AnswerValue
from inspector_app.domain.records import AnswerRow, PersonRow, VisitRow
from inspector_app.forms.model import (
    PERSON_AGE_QUESTION,
    PERSON_LANGUAGES_QUESTION,
    PERSON_ROLE_QUESTION,
    FormDefinition,
    Mirror,
)

VISIT_COLUMNS = {
    Mirror.VISIT_TYPE: "visit_type",
    Mirror.PARTNERS: "partners",
    Mirror.LEGAL_GROUND: "legal_ground",
}
PERSON_MIRRORS = {
    PERSON_ROLE_QUESTION: "role",
    PERSON_AGE_QUESTION: "age_band",
    PERSON_LANGUAGES_QUESTION: "languages",
}


def person_code(role_code: str | None, started_at: str, visit_id: str, number: int) -> str:
    """Pseudonymous code such as SW-2026-3F9A-2: role, year, visit, person number. No names."""
    return f"{role_code or 'P'}-{started_at[:4]}-{visit_id[:4].upper()}-{number}"


def person_fields(
    form: FormDefinition, visit: VisitRow, row: PersonRow, question_id: str, value: AnswerValue
) -> dict[str, Any]:
    """The person's columns that follow `question_id` (one of PERSON_MIRRORS) answered with `value`.

    A role answer also renames the person's code, so the code always says the role it was given.
    """
    field = PERSON_MIRRORS[question_id]
    updates: dict[str, Any] = {field: value if value is not None or field != "languages" else ""}
    if field == "role":
        role = form.role(str(value)) if value is not None else None
        updates["code"] = person_code(role.code if role else None, visit.started_at, visit.id, row.number)
    return updates


def header_fields(
    form: FormDefinition, visit: VisitRow, question_id: str, answers: dict[tuple[str, int], AnswerRow]
) -> dict[str, Any]:
    """The visit's columns (type, partners, legal ground, times) that follow a header answer."""

    def value(mirror: Mirror) -> AnswerValue:
        question = form.mirrored(mirror)
        row = answers.get((question.id, 0)) if question else None
        return row.value if row else None

    mirror = form.question(question_id).mirror
    fields: dict[str, Any] = {}
    if mirror in VISIT_COLUMNS:
        mirrored = value(mirror)
        fields[VISIT_COLUMNS[mirror]] = (mirrored or []) if mirror is Mirror.PARTNERS else mirrored
    date, start, end = (value(m) for m in (Mirror.VISIT_DATE, Mirror.START_TIME, Mirror.END_TIME))
    if mirror in (Mirror.VISIT_DATE, Mirror.START_TIME) and date and start:
        fields["started_at"] = f"{date}T{start}"
    if mirror in (Mirror.VISIT_DATE, Mirror.END_TIME):
        fields["ended_at"] = f"{date or visit.started_at[:10]}T{end}" if end else None
    return fields
