"""Every page of a document from the practice environment says so; a real store's documents do not."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from inspector_app.services.app import AppContext, open_app
from inspector_app.services.documents.render import render_report
from tests.reports.support import new_session, pdf_text, signal_rich_session

MARK = "OEFENOMGEVING"


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "data", practice=True)
    context.settings.profile.name = "Toezichthouder 1001"
    yield context
    context.close()


@pytest.mark.parametrize("kind", ["visit", "signal"])
def test_practice_documents_carry_the_mark_on_every_page(practice: AppContext, kind: str) -> None:
    data = render_report(signal_rich_session(practice), kind)
    pages = PdfReader(io.BytesIO(data)).pages
    assert pages and all(MARK in page.extract_text() for page in pages)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_real_documents_have_no_practice_mark(app: AppContext, lang: str) -> None:
    assert MARK not in pdf_text(render_report(new_session(app), "visit", lang))


def test_english_practice_report_keeps_the_dutch_word(practice: AppContext) -> None:
    assert MARK in pdf_text(render_report(new_session(practice), "visit", "en"))
