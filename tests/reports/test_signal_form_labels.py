"""The signal form speaks in labels; drafted referrals list exactly their signals and persons, urgency per advice."""

from __future__ import annotations

import re

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import AdviceLevel, Urgency
from inspector_app.forms.loader import load_all_forms
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.documents.render import render_report
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.referrals import load_referrals
from inspector_app.storage.visits import VisitFilter, list_visits
from tests.reports.support import finalised, new_session, pdf_text, signal_rich_session


def _identifiers() -> set[str]:
    """Every slug of the catalogue and of the checklists' choices, and every rule id."""
    found = set(load_catalogue().indicators)
    for form in load_all_forms().values():
        found |= {rule.id for rule in form.rules}
        for question in form.questions.values():
            found |= {choice.value for choice in question.choices if "." in choice.value}
    return found


def _leaks(text: str, identifiers: set[str]) -> set[str]:
    return {i for i in identifiers if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text)}


def test_no_slug_or_rule_id_in_any_signal_form(app: AppContext) -> None:
    identifiers = _identifiers()
    assert {"gen.fear", "P-DANGER.yes", "PB-20.no"} & identifiers  # the check knows what it looks for
    assert _leaks("Regels: P-DANGER.yes, gen.fear", identifiers) >= {"P-DANGER.yes", "gen.fear"}
    acute = new_session(app, name="Club Acuut")
    acute.answer_text("P-ROLE[1]", "sex_worker")
    acute.answer_text("P-DANGER[1]", "ja")
    sessions = [signal_rich_session(app), finalised(acute)]
    create_demo_visits(app, 8, seed=11)
    sessions += [VisitSession(app, row.id) for row in list_visits(app.db, VisitFilter(limit=None))]
    for session in sessions:
        for lang in ("nl", "en"):
            text = pdf_text(render_report(session, ReportKind.SIGNAL, lang))
            assert not _leaks(text, identifiers), (session.form.id, lang)
    text = pdf_text(render_report(finalised(signal_rich_session(app)), ReportKind.SIGNAL))
    assert "Is de persoon nu in gevaar of wil de persoon nu direct weg?" in pdf_text(
        render_report(acute, ReportKind.SIGNAL)
    )
    assert load_catalogue()["gen.fear"].label.nl in text


def test_referrals_list_exactly_their_signals_and_persons(app: AppContext) -> None:
    session = new_session(app)
    for ref, value in {
        "P-ROLE[1]": "sex_worker",  # asks for help now: acute
        "P-DANGER[1]": "ja",
        "P-ROLE[2]": "sex_worker",  # passport held by someone else: an H signal
        "PB-20[2]": "nee",
        "P-DANGER[2]": "nee",
        "P-ROLE[3]": "sex_worker",  # nothing remarkable
        "PB-20[3]": "ja",
        "P-DANGER[3]": "nee",
    }.items():
        session.answer_text(ref, value)
    for number in (1, 2, 3):
        session.answer_text(f"P-AGE[{number}]", "21_29")
    codes = {n: p.code for n, p in session.persons.items()}
    advice = {a.level: a for a in session.advice()}
    assert AdviceLevel.ACUTE in advice and AdviceLevel.ESCALATE in advice
    finalised(session)
    referrals = {r.recipient.value: r for r in load_referrals(app.db, session.visit_id)}
    police, contact = referrals["police"], referrals["contact_person"]
    assert police.urgency is Urgency.ACUTE and police.person_codes == [codes[1]]
    assert contact.urgency is Urgency.TODAY  # the advice said "escaleer vandaag"
    assert list(contact.slugs) == list(advice[AdviceLevel.ESCALATE].slugs)
    assert contact.person_codes == [codes[2]]
    assert all(codes[3] not in r.person_codes for r in referrals.values())
    text = pdf_text(render_report(session, ReportKind.SIGNAL))
    assert "Vandaag" in text and "Acuut" in text
    assert load_catalogue()["gen.id_held_by_other"].label.nl in text
