"""Every document is PDF/A-2b with embedded fonts, and the same visit revision gives the same bytes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from inspector_app.forms.loader import load_all_forms
from inspector_app.reports.model import ReportKind
from inspector_app.reports.pdfa import make_pdfa, srgb_profile
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.documents.render import build_report, render_report
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.visits import VisitFilter, list_visits
from tests.reports.pdfa_check import check_pdfa
from tests.reports.support import finalised, new_session, signal_rich_session

ROOT = Path(__file__).resolve().parents[2]


def test_every_document_of_every_checklist_is_pdfa_2b(app: AppContext) -> None:
    create_demo_visits(app, 12, seed=7)
    rows = list_visits(app.db, VisitFilter(limit=None))
    seen: set[tuple[str, str]] = set()
    for row in rows:
        session = VisitSession(app, row.id)
        for kind in ReportKind:
            for lang in ("nl", "en"):
                if (row.form_id, kind.value) in seen and lang == "en":
                    continue
                pdf = check_pdfa(render_report(session, kind, lang))
                assert str(pdf.Root.Lang) == lang
                seen.add((row.form_id, kind.value))
    assert {form for form, _kind in seen} == set(load_all_forms())
    assert {kind for _form, kind in seen} == {kind.value for kind in ReportKind}


def test_title_language_bookmarks_and_dates_are_kept(app: AppContext) -> None:
    session = finalised(signal_rich_session(app))
    visit = session.visit
    for kind in ReportKind:
        data = render_report(session, kind, "en")
        pdf = check_pdfa(data)
        meta = build_report(session, kind, "en").meta
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == meta.title == str(pdf.docinfo.Title)
            assert list(xmp["dc:language"]) == ["en"]
            created = xmp["xmp:CreateDate"]
        assert visit.finalized_at is not None
        assert created.startswith(visit.finalized_at[:19])
        assert str(pdf.docinfo.CreationDate).startswith(
            "D:" + visit.finalized_at[:19].translate({45: None, 58: None, 84: None})
        )
        titles = [item.title for item in pdf.open_outline().root]
        assert kind is ReportKind.RECEIPT or (titles and all(titles))  # the receipt has no sections
    visit_titles = [
        item.title for item in pikepdf.open(io.BytesIO(render_report(session))).open_outline().root
    ]
    assert "6. Bevindingen" in visit_titles and "9. Ondertekening" in visit_titles


def test_a_font_left_to_the_default_is_caught(app: AppContext) -> None:
    """The checker fails on the Helvetica reportlab references by default (as before this fix)."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 72, "Helvetica, not embedded")
    canvas.save()
    meta = build_report(new_session(app), ReportKind.RECEIPT).meta
    with pytest.raises(AssertionError):
        check_pdfa(make_pdfa(buffer.getvalue(), meta))


def test_transitions_and_scripts_are_removed(app: AppContext) -> None:
    meta = build_report(new_session(app), ReportKind.RECEIPT).meta
    pdf = pikepdf.open(io.BytesIO(render_report(new_session(app), ReportKind.RECEIPT)))
    pdf.pages[0].obj[pikepdf.Name.Trans] = pikepdf.Dictionary()
    pdf.Root[pikepdf.Name.OpenAction] = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
    )
    dirty = io.BytesIO()
    pdf.save(dirty)
    with pytest.raises(AssertionError):
        check_pdfa(dirty.getvalue())
    check_pdfa(make_pdfa(dirty.getvalue(), meta))


def test_the_icc_profile_is_the_same_bytes_every_time() -> None:
    profile = srgb_profile()
    assert profile[36:40] == b"acsp" and profile[24:36] == bytes.fromhex("07d0 0001 0001 0000 0000 0000")
    srgb_profile.cache_clear()
    assert srgb_profile() == profile


def test_same_revision_gives_identical_bytes_in_another_process(app: AppContext, tmp_path: Path) -> None:
    session = finalised(signal_rich_session(app))
    here = {kind: render_report(VisitSession(app, session.visit_id), kind) for kind in ReportKind}
    for kind in ReportKind:
        assert render_report(session, kind) == here[kind]
    data_dir = app.paths.data_dir
    app.close()
    for kind in ReportKind:
        target = tmp_path / f"{kind.value}.pdf"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "inspector_app",
                "--data-dir",
                str(data_dir),
                "report",
                session.visit_id,
                "-o",
                str(target),
                "--kind",
                kind.value,
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert target.read_bytes() == here[kind], kind


def test_a_correction_changes_the_bytes_and_the_modification_date(app: AppContext) -> None:
    session = finalised(signal_rich_session(app))
    before = render_report(session)
    amend_visit(session, "PB-36", "Rondgang gemaakt met de beheerder en de eigenaar.", "Aangevuld na overleg")
    after = render_report(VisitSession(app, session.visit_id))
    assert before != after
    with check_pdfa(before).open_metadata() as old, check_pdfa(after).open_metadata() as new:
        assert old["xmp:CreateDate"] == new["xmp:CreateDate"]
        assert new["xmp:ModifyDate"] >= old["xmp:ModifyDate"]
        assert old["xmpMM:DocumentID"] != new["xmpMM:DocumentID"]
