"""The violations section comes from the answers: the checklists' compliance, hygiene and fire rules.

Each violation carries the answers that constitute it and the ground its finding names; hand-ticked
violations (the checklist's violations list) are added; "no violations" only when there are none. A
visit filled with an earlier checklist version keeps that version's violations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.forms.display import format_value
from inspector_app.reports.model import ReportKind, VisitReportView
from inspector_app.services.app import AppContext
from inspector_app.services.documents.common import answer_of
from inspector_app.services.documents.render import build_report, render_report
from inspector_app.services.visit.session import VisitSession
from tests.reports.support import finalised, new_session, pdf_text

LEGACY_V2 = Path(__file__).parent / "legacy_v2"

# Per checklist: non-compliant answers, and the rules (with the question ids) they must make violations of.
NON_COMPLIANT = {
    "PB": (
        {"PB-01": "ja", "PB-09": "nee", "PB-12a": "18", "PB-12": "nee", "PB-32a": "nee"},
        {"PB-09.no": {"PB-09"}, "PB-12.no_minor": {"PB-12", "PB-12a"}, "PB-32a.no": {"PB-32a"}},
    ),
    "CS": (
        {"CS-10": "nee", "CS-08": "ontbreekt"},
        {"CS-10.no": {"CS-10"}, "CS-08.missing": {"CS-08"}},
    ),
    "AH": (
        {"AH-03": "nee", "AH-18": "nee", "AH-48": "ja"},
        {"AH-03.no": {"AH-03"}, "AH-18.no": {"AH-18"}, "AH-48.yes": {"AH-48"}},
    ),
    "MS": (
        {"MS-10": "nee", "MS-22": "nee", "MS-04": "ja", "MS-32g": "nee"},
        {"MS-10.no": {"MS-10"}, "MS-22.no": {"MS-22"}, "MS-32g.no": {"MS-32g"}},
    ),
}


def _view(session: VisitSession, lang: str = "nl") -> VisitReportView:
    view = build_report(session, ReportKind.VISIT, lang)
    assert isinstance(view, VisitReportView)
    return view


def _finding(session: VisitSession, rule_id: str, lang: str) -> str:
    rule = next(r for r in session.form.rules if r.id == rule_id)
    assert rule.finding is not None, rule_id
    return rule.finding.get(lang)


@pytest.mark.parametrize("form", sorted(NON_COMPLIANT))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_non_compliant_answers_are_exactly_the_violations(app: AppContext, form: str, lang: str) -> None:
    answers, expected = NON_COMPLIANT[form]
    session = new_session(app, form)
    for ref, value in answers.items():
        session.answer_text(ref, value)
    view = _view(session, lang)
    texts = [v.text for v in view.violations]
    assert sorted(texts) == sorted(_finding(session, rule_id, lang) for rule_id in expected)
    for rule_id, question_ids in expected.items():
        violation = next(v for v in view.violations if v.text == _finding(session, rule_id, lang))
        assert violation.kind  # compliance / hygiene / fire, as a label
        for question_id in question_ids:
            question = session.form.question(question_id)
            line = next(b for b in violation.basis if b.startswith(question.label.get(lang)))
            shown = format_value(question, answer_of(session, question_id), lang)
            assert shown and line == f"{question.label.get(lang)} — {shown}", line
    text = pdf_text(render_report(session, ReportKind.VISIT, lang))
    no_violations = "Geen overtredingen vastgesteld." if lang == "nl" else "No violations found."
    assert no_violations not in text
    squeezed = "".join(text.split())
    for violation in view.violations:
        assert "".join(violation.text.split()) in squeezed


def test_the_reported_minimum_age_and_administration_are_violations(app: AppContext) -> None:
    """The issue's report: "minimum age? Nee" and "administration present? Nee" said no violations."""
    session = new_session(app)
    for ref, value in {"PB-09": "nee", "PB-12a": "18", "PB-12": "nee"}.items():
        session.answer_text(ref, value)
    text = pdf_text(render_report(finalised(session)))
    assert "Geen overtredingen vastgesteld." not in text
    squeezed = "".join(text.split())
    assert "Bedrijfsadministratie(registervansekswerkers)nietaanwezig" in squeezed
    assert "onderdeminimumleeftijduitdeAPV" in squeezed
    assert "APV,vergunningvoorschrift" in squeezed  # the ground the finding names


COMPLIANT = {
    "PB": {"PB-01": "ja", "PB-09": "ja", "PB-12a": "18", "PB-12": "ja", "PB-32a": "ja", "PB-34": "geen"},
    "CS": {"CS-10": "ja", "CS-08": "aanwezig"},
    "AH": {"AH-03": "ja", "AH-18": "ja"},
    "MS": {"MS-10": "ja", "MS-22": "ja"},
}


@pytest.mark.parametrize("form", sorted(COMPLIANT))
def test_a_compliant_visit_has_none(app: AppContext, form: str) -> None:
    session = new_session(app, form)
    for ref, value in COMPLIANT[form].items():
        session.answer_text(ref, value)
        assert answer_of(session, ref) is not None, ref
    assert _view(session).violations == ()
    assert "Geen overtredingen vastgesteld." in pdf_text(render_report(session))
    assert "No violations found." in pdf_text(render_report(session, ReportKind.VISIT, "en"))


def test_hand_ticked_violations_are_added_to_those_from_the_answers(app: AppContext) -> None:
    session = new_session(app)
    session.answer_text("PB-09", "nee")
    session.answer_text("PB-34", "hygiene")
    texts = [v.text for v in _view(session).violations]
    hand = session.form.question("PB-34").choice("hygiene")
    assert hand is not None
    assert texts == [_finding(session, "PB-09.no", "nl"), hand.label.nl]


def test_only_hand_ticked_violations_still_count(app: AppContext) -> None:
    session = new_session(app)
    session.answer_text("PB-34", "hygiene")
    text = pdf_text(render_report(session))
    assert "Geen overtredingen vastgesteld." not in text
    assert len(_view(session).violations) == 1


def test_a_version_2_visit_keeps_its_violations(app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTOR_APP_FORMS", str(LEGACY_V2))
    session = new_session(app)
    assert session.form.version == 2
    for ref, value in {"PB-09": "nee", "PB-07": "nee"}.items():
        session.answer_text(ref, value)
    before = (_view(session), render_report(session))
    assert [v.text for v in before[0].violations] == [_finding(session, "PB-07.no", "nl")]

    monkeypatch.delenv("INSPECTOR_APP_FORMS")
    again = VisitSession(app, session.visit_id)
    assert again.form.version == 2
    assert (_view(again), render_report(again)) == before
    today = new_session(app, name="Club Zuid")
    assert today.form.version == 4
    for ref, value in {"PB-09": "nee", "PB-07": "nee"}.items():
        today.answer_text(ref, value)
    assert {v.text for v in _view(today).violations} == {
        _finding(today, "PB-07.no", "nl"),
        _finding(today, "PB-09.no", "nl"),
    }
