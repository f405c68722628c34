"""The confidential signal form counts indicators the way the visit list does: one per slug.

Regression (issue 16): a slug raised by a rule at L and ticked by hand at its catalogue weight M was
counted once per weight on the signal form ("H: 0  M: 1  L: 1") while the visit list said H0 M1 L0.
"""

from __future__ import annotations

import pytest

from inspector_app.reports import labels
from inspector_app.services.app import AppContext
from inspector_app.services.documents.signal_form import build_signal_form
from inspector_app.services.visit.indicators import dismiss, tick
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, find_visits, start_visit
from inspector_app.storage.visits import VisitFilter

AUTO_L = "lab.employer_no_records"  # CS-08 "ontbreekt" raises it at L; its catalogue weight is M


def construction_visit(app: AppContext) -> VisitSession:
    visit_id = start_visit(
        app,
        NewVisit(
            form="CS",
            location=LocationInput("Bouwplaats Noordkade", "Noordkade 4", "1234 AB", "Westerdam"),
            started_at="2026-11-20T09:30",
            visit_type="onaangekondigd",
            inspectors=("T-1001", "T-1002"),
            legal_ground="apv_awb",
        ),
    )
    return VisitSession(app, visit_id)


def form_counts(session: VisitSession) -> str:
    view = build_signal_form(session)
    [field] = [f for f in view.outcome if f.label == labels.INDICATOR_COUNTS.get("nl")]
    return field.value


def row_counts(app: AppContext, visit_id: str) -> str:
    [row] = [r for r in find_visits(app, VisitFilter()) if r.id == visit_id]
    return f"H: {row.count_h}  M: {row.count_m}  L: {row.count_l}"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # a rule raises the slug at L, the inspector ticks it at M: one M indicator
        (
            [("answer", "CS-08", "ontbreekt"), ("tick", AUTO_L, "Geen A1-verklaringen getoond.")],
            "H: 0  M: 1  L: 0",
        ),
        # the same, then the slug is dismissed: nothing stands
        (
            [
                ("answer", "CS-08", "ontbreekt"),
                ("tick", AUTO_L, "Geen A1-verklaringen getoond."),
                ("dismiss", AUTO_L, "Verklaringen later per mail ontvangen."),
            ],
            "H: 0  M: 0  L: 0",
        ),
        # dismissed, then ticked again: only the manual M stands, the dismissed auto L does not count
        (
            [
                ("answer", "CS-08", "ontbreekt"),
                ("dismiss", AUTO_L, "Verklaringen later per mail ontvangen."),
                ("tick", AUTO_L, "Toch geen A1-verklaringen."),
            ],
            "H: 0  M: 1  L: 0",
        ),
    ],
)
def test_signal_form_counts_match_visit_row(
    app: AppContext, steps: list[tuple[str, str, str]], expected: str
) -> None:
    session = construction_visit(app)
    for action, target, text in steps:
        if action == "answer":
            session.answer_text(target, text)
        elif action == "tick":
            tick(session, target, text)
        else:
            dismiss(session, target, text)
    assert row_counts(app, session.visit_id) == expected
    assert form_counts(session) == expected
