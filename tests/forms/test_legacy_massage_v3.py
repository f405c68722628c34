"""A massage-parlour visit filled with version 3 keeps showing and reporting what it did once version 4
(the sex-business licence checks of a licensed erotic parlour, work when ill, new observation choices)
is shipped. `legacy_ms_v3/` holds version 3 exactly as shipped, with its fragments."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.state import AnswerSet, evaluate_form
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.documents.render import build_report, render_report
from inspector_app.services.visit.finalize import finalize_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals.rules import run_rules
from tests.reports.support import new_session

LEGACY = Path(__file__).parent / "legacy_ms_v3"
ANSWERS = {
    "MS-03": "tantra_erotisch",
    "MS-04": "ja",
    "MS-07": "1",
    "P-ROLE[1]": "masseur",
    "P-AGE[1]": "30_49",
}
CLOSING = {"H-07": "1", "MS-25a": "waarschuwing"}


def _documents(session: VisitSession) -> tuple[object, ...]:
    return (
        sorted((i.slug, i.weight.value) for i in session.standing_indicators()),
        sorted(f.rule_id for f in session.outcome.findings),
        [(a.level.value, a.text) for a in session.advice()],
        build_report(session, ReportKind.VISIT),
        build_report(session, ReportKind.SIGNAL),
    )


@pytest.mark.parametrize("finalize", [False, True])
def test_a_version_3_visit_is_unchanged_by_version_4(
    app: AppContext, monkeypatch: pytest.MonkeyPatch, finalize: bool
) -> None:
    monkeypatch.setenv("INSPECTOR_APP_FORMS", str(LEGACY))
    assert load_all_forms()["massage_parlour"].version == 3
    session = new_session(app, "MS")
    for ref, value in ANSWERS.items():
        session.answer_text(ref, value)
    if finalize:
        for ref, value in CLOSING.items():
            session.answer_text(ref, value)
        finalize_visit(session)
    before = _documents(session)
    pdf = render_report(session)
    assert "MS-32a" not in session.form.questions

    monkeypatch.delenv("INSPECTOR_APP_FORMS")
    shipped = load_all_forms()["massage_parlour"]
    assert shipped.version == 4
    again = VisitSession(app, session.visit_id)
    assert again.form.version == 3
    assert _documents(again) == before
    assert render_report(again) == pdf
    # today's checklist asks the licence checks for the same answers, and a 'no' there is a finding
    answers = again.answer_set()
    assert "MS-32a" in evaluate_form(shipped, answers).top.visible
    refused = AnswerSet(top={**answers.top, "MS-32a": "no"}, persons=answers.persons)
    assert "MS-32a.no" in {f.rule_id for f in run_rules(shipped, refused).findings}
