"""A corrected final visit shows every correction: question, original and new value, reason, who and when."""

from __future__ import annotations

from inspector_app.services.app import AppContext
from inspector_app.services.documents.common import report_moment
from inspector_app.services.documents.render import render_report
from inspector_app.services.documents.visit_report import build_visit_report
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.session import VisitSession
from tests.reports.support import finalised, new_session, pdf_text


def test_three_corrections_all_show_before_after_reason_author_and_time(app: AppContext) -> None:
    session = new_session(app)
    session.answer_text("PB-05", "ja")
    session.answer_text("PB-27", "gen.fear")
    finalised(session)
    app.settings.profile.name = "Toezichthouder 1002"
    amend_visit(session, "PB-05", "no", "Beheerder bleek de schoonmaker; verkeerd aangeklikt.")
    amend_visit(session, "PB-05", "yes", "Beheerder kwam om 21:40 alsnog binnen.")
    amend_visit(session, "PB-27", ["gen.fear", "gen.scripted_story"], "Signaal achteraf vastgelegd.")
    amend_visit(session, "PB-36", "Rondgang met de beheerder.", "Notitie vergeten bij vaststellen.")
    session = VisitSession(app, session.visit_id)
    view = build_visit_report(session)
    changes = [(c.ref, c.before, c.after, c.reason, c.author) for c in view.corrections]
    assert changes == [
        ("PB-05", "Ja", "Nee", "Beheerder bleek de schoonmaker; verkeerd aangeklikt.", "Toezichthouder 1002"),
        ("PB-05", "Nee", "Ja", "Beheerder kwam om 21:40 alsnog binnen.", "Toezichthouder 1002"),
        (
            "PB-36",
            "niet vastgelegd",
            "Rondgang met de beheerder.",
            "Notitie vergeten bij vaststellen.",
            "Toezichthouder 1002",
        ),
    ], "the signal question PB-27 stays off the visit report, its correction too"
    revisions = app.db.execute(
        "SELECT created_at FROM visit_revisions WHERE visit_id = ? AND kind = 'addendum' ORDER BY created_at",
        [session.visit_id],
    ).fetchall()
    assert [c.at for c in view.corrections] == [report_moment(revisions[i][0], "nl") for i in (0, 1, 3)]
    text = pdf_text(render_report(session))
    assert "10. Aanvullingen na vaststelling" in text
    for _ref, before, after, reason, author in changes:
        assert reason in text and author in text and before in text and after in text
    assert text.count("Aangevuld op") == 2  # PB-05 and PB-36 carry the mark in the findings, once each
    marked = {a.ref: a.corrected for s in view.sections for a in s.answers if a.corrected}
    assert marked == {"PB-05": view.corrections[1].at, "PB-36": view.corrections[2].at}
    assert "gen.scripted_story" not in text and "Signaal achteraf" not in text


def test_uncorrected_final_visit_says_so_and_drafts_have_no_section(app: AppContext) -> None:
    draft = new_session(app)
    assert "Aanvullingen" not in pdf_text(render_report(draft))
    final = finalised(new_session(app, name="Club Zuid"))
    text = pdf_text(render_report(final))
    assert "10. Aanvullingen na vaststelling Geen aanvullingen." in text and "Aangevuld op" not in text
    english = pdf_text(render_report(final, lang="en"))
    assert "10. Corrections after finalisation No corrections." in english
