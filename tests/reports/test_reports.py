"""The three PDF documents: content per document, the c.4 split, robustness, fonts and determinism."""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.forms.loader import load_all_forms
from inspector_app.reports.audience import signal_only_question_ids
from inspector_app.reports.fonts import FALLBACK, REGULAR, font_for, fonts_used
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.documents.render import render_report
from inspector_app.services.documents.visit_report import build_visit_report
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.visits import VisitFilter, list_visits
from tests.reports.support import (
    REFERRAL_NOTE,
    add_photos,
    new_session,
    pdf_text,
    signal_rich_session,
    squeezed,
)

NAMES = ("Łódź", "Żółć", "Ștefan", "Țară", "Благоевград", "王小明")


@pytest.fixture
def demo(app: AppContext) -> dict[str, VisitSession]:
    """One finalised demo visit per checklist, the one with the most answers."""
    app.settings.profile.municipality = "Gemeente Middelburcht"
    create_demo_visits(app, 12, seed=7)
    chosen: dict[str, VisitSession] = {}
    for row in list_visits(app.db, VisitFilter(status="final", limit=None)):
        session = VisitSession(app, row.id)
        best = chosen.get(row.form_id)
        if best is None or len(session.answers) > len(best.answers):
            chosen[row.form_id] = session
    assert set(chosen) == set(load_all_forms())
    return chosen


@pytest.mark.parametrize("form_id", sorted(load_all_forms()))
def test_each_checklist_renders_its_sections_and_answers(demo: dict[str, VisitSession], form_id: str) -> None:
    session = demo[form_id]
    view = build_visit_report(session)
    text = pdf_text(render_report(session))
    assert "Bestuurlijke rapportage inspectiebezoek" in text
    assert session.location.name in text and view.meta.document_id in text
    answered = [answer for section in view.sections for answer in section.answers]
    assert len(answered) >= 10
    for section in view.sections:
        assert section.title in text
    for answer in answered:
        assert " ".join(answer.label.split()) in text, answer.ref
        assert " ".join(answer.value.split()) in text, answer.ref
    for person in session.persons.values():
        assert person.code in text


def test_signal_form_lists_every_raised_indicator_with_its_answers(app: AppContext) -> None:
    session = signal_rich_session(app)
    text = pdf_text(render_report(session, ReportKind.SIGNAL))
    catalogue = load_catalogue()
    active = [row for row in session.observations.values() if row.active]
    assert {row.slug for row in active} >= {"gen.fear", "gen.scripted_story", "gen.few_belongings"}
    assert "VERTROUWELIJK" in text
    for row in active:
        assert " ".join(catalogue[row.slug].label.nl.split()) in text, row.slug
    assert "Heeft de persoon het eigen identiteitsbewijs of paspoort zelf in bezit?" in text
    assert "ik moet eerst mijn reis terugbetalen" in text  # the note behind an answer
    assert "Verhaal van twee sekswerkers was woordelijk gelijk." in text  # manual tick note
    assert "Werkt hier één avond; spullen staan in de auto." in text  # dismissal reason
    assert "Politie (AVIM)" in text and REFERRAL_NOTE in text
    assert "Binnen enkele dagen" in text and "Niet van toepassing" in text  # urgency, consent
    for advice in session.advice():
        assert " ".join(advice.text.split()) in text
    assert session.visit_id in text


def test_visit_report_has_no_signal_content(app: AppContext) -> None:
    session = signal_rich_session(app)
    for lang in ("nl", "en"):
        text = pdf_text(render_report(session, ReportKind.VISIT, lang))
        for indicator in load_catalogue().indicators.values():
            for label in (indicator.label.nl, indicator.label.en):
                assert " ".join(label.split()) not in text, (lang, indicator.slug)
            assert indicator.slug not in text
        with_language = text.casefold()
        assert REFERRAL_NOTE.casefold() not in with_language
        assert "aandachtsfunctionaris" not in with_language and "contact person" not in with_language
        assert "vertrouwelijk" not in with_language and "confidential" not in with_language
        for question_id in signal_only_question_ids(session.form) - {"P-ROLE"}:
            label = session.form.question(question_id).label.get(lang)
            assert " ".join(label.split()) not in text, question_id
        assert "Waarschuwing" in text or "Warning" in text  # the administrative follow-up stays
    text = pdf_text(render_report(session))
    for advice in session.advice():
        assert " ".join(advice.text.split()) not in text
    assert "ik moet eerst mijn reis terugbetalen" not in text
    # violations: the hygiene/fire findings and the violations answer
    assert "7. Overtredingen" in text and "Brandveiligheid" in text


def test_receipt_says_who_when_and_where_to_ask_only(app: AppContext) -> None:
    app.settings.profile.municipality = "Gemeente Middelburcht"
    session = signal_rich_session(app)
    text = pdf_text(render_report(session, ReportKind.RECEIPT))
    assert "Ontvangstbewijs inspectiebezoek" in text and "Toezichthouder 1001" in text
    assert "Gemeente Middelburcht" in text and "14-03-2026" in text and "21:05" in text
    for person in session.persons.values():
        assert person.code not in text
    assert "Sekswerker" not in text and "Rondgang" not in text and "Overtreding" not in text
    assert "CONCEPT" not in text  # handed over on site while the visit is still a draft
    english = pdf_text(render_report(session, ReportKind.RECEIPT, "en"))
    assert "Receipt of inspection visit" in english and "can be requested" in english


def test_large_visit_renders_without_overflow_or_cut_text(app: AppContext, tmp_path: Path) -> None:
    session = new_session(app)
    for number in range(1, 101):
        session.answer(f"P-ROLE[{number}]", "sex_worker")
    add_photos(session, tmp_path, 30)
    session.answer_text("PB-36", "Lange notitie. " * 1300)  # a note far taller than a page
    data = render_report(session)
    reader = PdfReader(io.BytesIO(data))
    text = pdf_text(data)
    for person in session.persons.values():
        assert person.code in text
    for number in range(1, 31):
        assert f"Foto {number}" in text and f"Werkkamer {number}" in text
    # a page break may fall between two words, with the next page's footer in between
    assert text.count("Lange") == 1300 and text.count("notitie.") == 1300
    assert f"pagina {len(reader.pages)} van {len(reader.pages)}" in text
    for page in reader.pages:  # nothing drawn beyond the page
        for image in page.images:
            assert image.image is not None and image.image.width <= 512


def test_names_in_other_scripts_have_their_glyphs(app: AppContext) -> None:
    session = new_session(app, name="Salon Łódź")
    note = "Aanwezig: " + ", ".join(NAMES)
    session.answer_text("PB-36", note)
    session.set_note("PB-01", "Vergunning op naam van 王小明 en Ștefan")
    for char in "".join(NAMES):
        assert ord(char) in _glyphs(font_for(char)), char
    assert fonts_used("王小明") == {FALLBACK}
    assert fonts_used("Благоевград Țară") == {REGULAR}
    data = render_report(session)
    text = pdf_text(data)
    for name in NAMES:
        assert name in text
    fonts = _embedded_fonts(data)
    assert any(FALLBACK in font for font in fonts) and any(REGULAR in font for font in fonts)


def _glyphs(font_name: str) -> Any:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(font_name).face.charToGlyph


def _embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = cast(DictionaryObject, page["/Resources"])
        for font in cast(DictionaryObject, resources["/Font"]).values():
            names.add(str(cast(DictionaryObject, font.get_object())["/BaseFont"]))
    return names


HOSTILE = (
    '<font color="[[[x]]]">rood</font>',
    '<img src="http://127.0.0.1:9/x"/>',
    "<b>niet gesloten",
    "&amp; &lt; ]]> <!-- -->",
)


def test_hostile_text_renders_as_literal_text(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_word = "X" * 5000

    class NoNetwork(socket.socket):
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            raise AssertionError("a report tried to open a network connection")

    session = new_session(app, name='Club <b>"Noord"</b>')
    session.answer_text("PB-36", " ".join(HOSTILE) + " " + long_word)
    session.set_note("PB-01", '<img src="http://127.0.0.1:9/y">')
    add_photos(session, tmp_path, 1, caption='<font name="Nope">')
    monkeypatch.setattr(socket, "socket", NoNetwork)
    for kind in ReportKind:
        data = render_report(session, kind)
        assert data.startswith(b"%PDF")
    text = pdf_text(render_report(session))
    for hostile in HOSTILE:
        assert hostile in text
    assert '<img src="http://127.0.0.1:9/y">' in text and '<font name="Nope"> 1' in text
    assert 'Club <b>"Noord"</b>' in text
    # the word is split over lines (and pages, footers in between) but nothing is lost
    assert sum(len(run) for run in re.findall("X{20,}", squeezed(text))) == len(long_word)


def test_same_visit_gives_identical_bytes(demo: dict[str, VisitSession]) -> None:
    session = demo["prostitution_business"]
    again = VisitSession(session.app, session.visit_id)
    for kind in ReportKind:
        assert render_report(session, kind) == render_report(again, kind)


def test_document_furniture(app: AppContext, demo: dict[str, VisitSession]) -> None:
    final = demo["construction_site"]
    reader = PdfReader(io.BytesIO(render_report(final, lang="en")))
    text = pdf_text(render_report(final, lang="en"))
    assert "Administrative inspection report" in text and "page 1 of" in text
    assert " persons" in text and "personen" not in text  # units in the document's language too
    assert final.content_hash()[:16] in text and "DRAFT" not in text
    assert str(cast(DictionaryObject, reader.trailer["/Root"])["/Lang"]) == "en"
    assert reader.metadata is not None and final.location.name in str(reader.metadata.title)
    titles = [str(entry["/Title"]) for entry in reader.outline if isinstance(entry, dict)]
    assert "6. Findings" in titles and "9. Signature" in titles
    draft = pdf_text(render_report(new_session(app)))
    assert "CONCEPT" in draft and "pagina 1 van" in draft
