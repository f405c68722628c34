"""Use cases that change a visit say what they changed, and the session writes it."""

from __future__ import annotations

from inspector_app.services.app import AppContext, opened_app
from inspector_app.services.visit.indicators import tick
from inspector_app.services.visit.referrals import add_referral, visit_referrals
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.visits import get_visit
from tests.services.test_visit_session import new_pb_visit


def pb_session(app: AppContext) -> VisitSession:
    return new_pb_visit(app)


def test_add_referral_reports_the_referral_and_the_visit_follows(app: AppContext) -> None:
    """Regression: add_referral returned a bare id and wrote beside the session (visit.updated_at stayed)."""
    session = pb_session(app)
    session.answer("PB-05", "no")
    referral_id, changes = add_referral(session, "police", "days")
    assert changes.visit_id == session.visit_id
    assert changes.referrals == (referral_id,)
    assert [row.id for row in visit_referrals(session)] == [referral_id]
    visit = get_visit(app.db, session.visit_id)
    assert visit is not None and visit.updated_at == changes.saved_at


def test_add_referral_on_a_stale_session_sees_the_other_writer(app: AppContext) -> None:
    """Another process ticked an indicator: the referral drafts it and the counts keep it."""
    session = pb_session(app)
    with opened_app(app.paths.data_dir) as elsewhere:
        tick(VisitSession(elsewhere, session.visit_id), "gen.fear", "Persoon oogt angstig bij de eigenaar.")
    _referral_id, changes = add_referral(session, "police", "days")
    [row] = visit_referrals(session)
    assert row.slugs == ["gen.fear"]
    assert changes.referrals == (row.id,)
    visit = get_visit(app.db, session.visit_id)
    assert visit is not None and visit.count_h + visit.count_m + visit.count_l == 1


def test_a_note_for_the_next_person_adds_that_person_as_an_answer_does(app: AppContext) -> None:
    """Regression: set_note created person 1 without a 'person.added' entry and without persons=(1,).

    The checklist page refreshes its person views only when `Changes.persons` says so.
    """
    session = pb_session(app)
    changes = session.set_note("P-ROLE[1]", "Stond achter de bar.")
    assert changes.persons == (1,)
    assert changes.answers == ("P-ROLE[1]",)
    assert session.persons.keys() == {1}
    actions = [row[0] for row in app.db.execute("SELECT action FROM audit_log WHERE entity = 'person'")]
    assert actions == ["person.added"]
    assert session.set_note("P-ROLE[1]", "Stond achter de bar, later buiten.").persons == ()
