"""Undo of a dismissal: the indicator stands again, in memory and in the store, and both reasons are audited."""

from __future__ import annotations

import json

import pytest

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.services.app import AppContext
from inspector_app.services.visit.indicators import (
    dismiss,
    needs_factual_note,
    observation_questions,
    restore,
    tick,
)
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.audit import verify_chain


def new_visit(app: AppContext) -> VisitSession:
    return VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Terug"))))


def standing(session: VisitSession) -> set[str]:
    return {row.slug for row in session.standing_observations()}


def test_restore_undoes_a_dismissal_and_is_audited(app: AppContext) -> None:
    session = new_visit(app)
    session.answer("PB-05", "no")  # raises sex.no_manager_present (auto)
    tick(session, "sex.no_manager_present", "Niemand wist wie de leiding had.")  # and a manual row
    dismiss(session, "sex.no_manager_present", "Beheerder kwam binnen.")
    assert "sex.no_manager_present" not in standing(session)

    changes = restore(session, "sex.no_manager_present", "Verkeerde regel afgewezen.")
    assert "sex.no_manager_present" in changes.indicators_added
    assert "sex.no_manager_present" in standing(session)
    reopened = VisitSession(app, session.visit_id)
    assert "sex.no_manager_present" in standing(reopened)
    for source in ("auto", "manual"):
        row = reopened.observations[("sex.no_manager_present", source)]
        assert not row.dismissed and row.dismiss_reason is None and row.dismissed_at is None
    events = app.db.execute(
        "SELECT old, new FROM audit_log WHERE visit_id = ? AND action = 'indicator.restored'",
        [session.visit_id],
    ).fetchall()
    assert len(events) == 2
    old, new = json.loads(events[0][0]), json.loads(events[0][1])
    assert old["reason"] == "Beheerder kwam binnen." and new["reason"] == "Verkeerde regel afgewezen."
    assert verify_chain(app.db).ok
    # and it can be dismissed again afterwards
    dismiss(session, "sex.no_manager_present", "Toch niet van toepassing.")
    assert "sex.no_manager_present" not in standing(session)


def test_restore_refuses_an_empty_reason_and_a_slug_that_is_not_dismissed(app: AppContext) -> None:
    session = new_visit(app)
    session.answer("PB-05", "no")
    with pytest.raises(NotFoundError):
        restore(session, "sex.no_manager_present", "reden")  # stands: nothing to undo
    dismiss(session, "sex.no_manager_present", "Beheerder kwam binnen.")
    with pytest.raises(InvalidInputError):
        restore(session, "sex.no_manager_present", "   ")
    assert "sex.no_manager_present" not in standing(session)


def test_an_observation_box_needs_a_note_like_a_manual_tick(app: AppContext) -> None:
    """The one rule for notes: a new tick in an observation question needs the question's note."""
    session = new_visit(app)
    assert "PB-27" in observation_questions(session.form)
    assert needs_factual_note(session, "PB-27", ["gen.fear"])
    assert not needs_factual_note(session, "PB-05", "no")  # an ordinary question: no note asked
    assert not needs_factual_note(session, "PB-27", None)  # clearing records nothing
    session.answer("PB-27", ["gen.fear"])
    session.set_note("PB-27", "Keek steeds naar de deur.")
    assert not needs_factual_note(session, "PB-27", ["gen.fear", "gen.injuries"])  # the note is there
