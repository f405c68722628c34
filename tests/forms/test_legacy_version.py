"""A visit filled with checklist version 1 (before the municipal policy) shows and reports as before.

`legacy_v1/` holds the prostitution-business checklist exactly as shipped at version 1, with the
fragments it included. A visit started with it keeps that version when version 2 is shipped, so its
indicators, weights, findings and documents do not move, whatever the municipal policy says now.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.forms.loader import load_all_forms
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.documents.render import build_report, render_report
from inspector_app.services.policy import set_policy
from inspector_app.services.visit.finalize import finalize_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals.rules import run_rules
from tests.reports.support import new_session

LEGACY = Path(__file__).parent / "legacy_v1"
ANSWERS = {"PB-12": "nee", "P-ROLE[1]": "sex_worker", "P-AGE[1]": "18_20"}


def _documents(session: VisitSession) -> tuple[object, ...]:
    return (
        sorted((i.slug, i.weight.value) for i in session.standing_indicators()),
        sorted(f.rule_id for f in session.outcome.findings),
        session.outcome.acute_rules,
        [(a.level.value, a.text) for a in session.advice()],
        build_report(session, ReportKind.VISIT),
        build_report(session, ReportKind.SIGNAL),
    )


@pytest.mark.parametrize("finalize", [False, True])
def test_a_version_1_visit_is_unchanged_by_version_2_and_the_policy(
    app: AppContext, monkeypatch: pytest.MonkeyPatch, finalize: bool
) -> None:
    monkeypatch.setenv("INSPECTOR_APP_FORMS", str(LEGACY))
    assert load_all_forms()["prostitution_business"].version == 1
    session = new_session(app)
    for ref, value in ANSWERS.items():
        session.answer_text(ref, value)
    if finalize:
        closing = {"H-07": "1", "PB-01": "ja", "PB-03": "club", "PB-05": "ja", "PB-09": "ja"}
        closing |= {"PB-10a": "1", "PB-10b": "1", "PB-35": "waarschuwing"}
        for ref, value in closing.items():
            session.answer_text(ref, value)
        finalize_visit(session)
    before = _documents(session)
    pdf = render_report(session)
    # version 1 raised sex.under_min_age at H for every 18-20-year-old
    assert ("sex.under_min_age", "H") in sorted(
        (i.slug, i.weight.value) for i in session.standing_indicators()
    )

    monkeypatch.delenv("INSPECTOR_APP_FORMS")
    set_policy(app, "apv_min_age", "18")
    shipped = load_all_forms()["prostitution_business"]
    assert shipped.version == 4
    again = VisitSession(app, session.visit_id)
    assert again.form.version == 1
    assert _documents(again) == before
    assert render_report(again) == pdf
    # today's checklist with the same answers and an 18-municipality says something else
    today = run_rules(shipped, again.answer_set())
    assert {i.slug for i in today.indicators} != {i.slug for i in again.outcome.indicators}
