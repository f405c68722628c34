"""Making reports from the desktop app: one document for a visit, and a batch with progress."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visits import VisitFilter, find_visits
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.tasks import Task


def test_one_report_from_the_menu_and_a_batch(
    qtbot: QtBot,
    ui_app: AppContext,
    tmp_path: Path,
    messages: list[str],
    wait_task: Callable[[Task[Any] | None], None],
) -> None:
    create_demo_visits(ui_app, 12)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.reports.open_after_saving = False
    final = [row.id for row in find_visits(ui_app, VisitFilter(status="final"))]
    window.open_visit(final[0])
    target = tmp_path / "rapport.pdf"
    path = window.reports.save_one(window._current_visit() or "", ReportKind.SIGNAL, target)
    assert path == target
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "VERTROUWELIJK" in text
    window.show_list()
    wait_task(window.reports.batch(final[:5], ReportKind.VISIT, tmp_path / "batch"))
    written = window.reports.written
    assert len(written) == 5 and all(p.exists() and p.stat().st_size > 1000 for p in written)
    assert messages and "5 rapporten opgeslagen" in messages[-1]


def test_report_errors_are_messages_not_tracebacks(
    qtbot: QtBot,
    ui_app: AppContext,
    tmp_path: Path,
    messages: list[str],
    wait_task: Callable[[Task[Any] | None], None],
) -> None:
    create_demo_visits(ui_app, 4)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.reports.open_after_saving = False
    visit = find_visits(ui_app, VisitFilter())[0].id
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert window.reports.save_one(visit, ReportKind.VISIT, blocked / "r.pdf") is None
    assert messages and messages[-1]
    wait_task(window.reports.batch([visit], ReportKind.VISIT, blocked))
    assert window.reports.written == []


def test_saved_pdf_says_where_it_went_even_without_a_viewer(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_visits(ui_app, 3)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    opened: list[str] = []

    def no_viewer(url: QUrl) -> bool:  # a machine without a PDF viewer or file manager
        opened.append(url.toLocalFile())
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(no_viewer))
    visit = find_visits(ui_app, VisitFilter())[0].id
    target = tmp_path / "uit" / "rapport.pdf"
    target.parent.mkdir()
    assert window.reports.save_one(visit, ReportKind.RECEIPT, target) == target
    box = window.reports.notice
    assert box is not None and box.isVisible()
    assert str(target) in box.text() and "geen programma gevonden" in box.text()
    folder = next(b for b in box.buttons() if b.text() == "Map openen")
    assert box.defaultButton() is folder  # Enter opens the folder when the viewer could not
    folder.click()
    assert opened == [str(target), str(target.parent)]
    assert messages and str(target.parent) in messages[-1]  # the folder did not open either: say where
    qtbot.waitUntil(lambda: not box.isVisible())


def test_saved_pdf_with_a_viewer_still_names_the_file(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_visits(ui_app, 3)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: True))
    target = tmp_path / "rapport.pdf"
    window.reports.save_one(find_visits(ui_app, VisitFilter())[0].id, ReportKind.VISIT, target)
    box = window.reports.notice
    assert box is not None and str(target) in box.text() and "geen programma" not in box.text()
    assert box.defaultButton() is not None and box.defaultButton().text() == "Sluiten"
    box.defaultButton().click()
    assert messages == []


def test_zaak_and_dms_export_from_the_menu(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_visits(ui_app, 6)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: True))
    final = find_visits(ui_app, VisitFilter(status="final"))[0].id
    assert window.reports.dms_export(final, tmp_path / "dms") is None  # no zaaknummer yet: a message
    assert messages and "zaaknummer" in messages[-1] and not (tmp_path / "dms").exists()
    answers = iter([("Z 1", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: next(answers)))
    assert not window.reports.set_zaak(final, zaaktype="")  # a space is no zaaknummer: refused, said
    assert "Ongeldig zaaknummer" in messages[-1]
    answers = iter([("Z-2026-000123", True), ("Toezicht", True)])
    assert window.reports.set_zaak(final)
    folder = window.reports.dms_export(final, tmp_path / "dms")
    assert folder is not None and (folder / "metadata.json").exists()
    assert len(list(folder.glob("*.pdf"))) == 3
    box = window.reports.notice
    assert box is not None and str(folder) in box.text()
    assert box.defaultButton() is not None and box.defaultButton().text() == "Map openen"
    actions = [a.text() for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()]
    assert "&Zaaknummer vastleggen…" in actions and "&DMS-export (PDF/A en metadata)…" in actions
