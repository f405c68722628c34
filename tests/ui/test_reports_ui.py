"""Making reports from the desktop app: one document for a visit, and a batch with progress."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader
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
