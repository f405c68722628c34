"""Persons present in a visit: added by role (with a pseudonymous code), removed without losing data."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from inspector_app.errors import NotFoundError
from inspector_app.forms.model import PERSON_AGE_QUESTION, PERSON_LANGUAGES_QUESTION, PERSON_ROLE_QUESTION
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.services.observations import sync_auto_observations
from inspector_app.storage import answers as answers_repo
from inspector_app.storage.audit import append_many, now_iso

if TYPE_CHECKING:
    from inspector_app.services.visit_session import VisitSession


def add_person(
    session: VisitSession, role: str | None = None, age_band: str | None = None, languages: str = ""
) -> tuple[int, Changes]:
    """Add the next person; returns the person number (1-based)."""
    number = max(session.all_persons, default=0) + 1
    if role:
        session.answer(f"{PERSON_ROLE_QUESTION}[{number}]", role)
    else:
        _create_person_only(session, number)
    if age_band:
        session.answer(f"{PERSON_AGE_QUESTION}[{number}]", age_band)
    if languages:
        session.answer(f"{PERSON_LANGUAGES_QUESTION}[{number}]", languages)
    return number, Changes(session.visit_id, now_iso(), persons=(number,))


def _create_person_only(session: VisitSession, number: int) -> None:
    session.require_draft()
    new_person = session.check_person(number)
    if new_person is None:
        return
    at = now_iso()
    with session.transaction():
        answers_repo.insert_person(session.db, new_person, at)
        append_many(
            session.db,
            [
                session.audit_entry(
                    "person.added",
                    "person",
                    new_person.id,
                    None,
                    {"number": number, "code": new_person.code},
                )
            ],
            at,
        )
    session.all_persons[number] = new_person


def remove_person(session: VisitSession, number: int) -> Changes:
    """Take a person out of the visit; their answers are kept in the store but no longer count."""
    session.ensure_fresh()
    session.require_draft()
    person = session.persons.get(number)
    if person is None:
        raise NotFoundError(_("Persoon {number} bestaat niet in dit bezoek", number=number))
    at = now_iso()
    persons = dict(session.all_persons)
    persons[number] = replace(person, removed=True)
    entries = [session.audit_entry("person.removed", "person", person.id, {"code": person.code}, None)]
    with session.transaction():
        answers_repo.update_person(session.db, person.id, at, removed=1)
        outcome = session.reevaluate(session.answers, persons)
        added, removed = sync_auto_observations(session, outcome, at, entries)
        session.finish_write(at, outcome, entries)
    session.all_persons = persons
    return Changes(
        session.visit_id,
        at,
        persons=(number,),
        indicators_added=added,
        indicators_removed=removed,
        observations_changed=bool(added or removed),
    )
