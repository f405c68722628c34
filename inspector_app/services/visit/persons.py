"""Persons present in a visit: added by role (with a pseudonymous code), removed without losing data."""

from __future__ import annotations

from dataclasses import replace

from inspector_app.errors import NotFoundError
from inspector_app.forms.model import PERSON_AGE_QUESTION, PERSON_LANGUAGES_QUESTION, PERSON_ROLE_QUESTION
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals.ledger import ObservationDiff, reconcile
from inspector_app.storage.audit import now_iso


def add_person(
    session: VisitSession, role: str | None = None, age_band: str | None = None, languages: str = ""
) -> tuple[int, Changes]:
    """Add the next person; returns the person number (1-based) and everything the answers changed.

    The role, age band and languages are ordinary answers, so the Changes include the indicators
    they raise (a minor's age band raises one at once) for the UI to refresh.
    """
    number = max(session.all_persons, default=0) + 1
    changes = Changes(session.visit_id, persons=(number,))
    if role:
        changes |= session.answer(f"{PERSON_ROLE_QUESTION}[{number}]", role)
    else:
        changes |= _create_person_only(session, number)
    if age_band:
        changes |= session.answer(f"{PERSON_AGE_QUESTION}[{number}]", age_band)
    if languages:
        changes |= session.answer(f"{PERSON_LANGUAGES_QUESTION}[{number}]", languages)
    return number, changes


def _create_person_only(session: VisitSession, number: int) -> Changes:
    session.require_draft()
    new_person = session.check_person(number)
    if new_person is None:
        return Changes(session.visit_id)
    entry = session.audit_entry(
        "person.added", "person", new_person.id, None, {"number": number, "code": new_person.code}
    )
    return session.commit(ObservationDiff(), [entry], now_iso(), persons=[(None, new_person)])


def remove_person(session: VisitSession, number: int) -> Changes:
    """Take a person out of the visit; their answers are kept in the store but no longer count."""
    session.ensure_fresh()
    session.require_draft()
    person = session.persons.get(number)
    if person is None:
        raise NotFoundError(_("Persoon {number} bestaat niet in dit bezoek", number=number))
    at = now_iso()
    removed = replace(person, removed=True)
    present = {n: p for n, p in session.persons.items() if n != number}
    outcome = session.evaluate(present)
    entries = [session.audit_entry("person.removed", "person", person.id, {"code": person.code}, None)]
    diff = reconcile(session.observations.values(), outcome, at, session.app.actor)
    return session.commit(diff, entries, at, outcome=outcome, persons=[(person, removed)])
