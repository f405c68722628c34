"""The spreadsheet export dialog (worker, progress, cancel, office-only signals), the re-inspections
list with a linked new visit, and the re-inspection picker at finalisation."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.services import exports
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.keys import init_office
from inspector_app.services.reinspections import (
    FollowUpRequest,
    due_list,
    finalize_with_follow_up,
    follow_up_detail,
)
from inspector_app.services.visits import open_visit
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.export_dialog import SpreadsheetExportDialog
from inspector_app.ui.reinspections_dialog import ReinspectionsDialog
from tests.sync.test_reinspections import _pb_visit
from tests.ui.test_checklist_page import CONTACT


def _unnamed_controls(dialog: QWidget) -> list[str]:
    """Interactive children without an accessible name and without a label pointing at them."""
    buddies = {id(label.buddy()) for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog) or not widget.focusPolicy() or isinstance(widget, QLabel):
            continue
        if widget.objectName().startswith("qt_") or type(widget).__name__ in ("QScrollBar",):
            continue
        if widget.parent() is not None and isinstance(widget.parent(), QComboBox):
            continue
        if (
            not widget.accessibleName()
            and id(widget) not in buddies
            and not getattr(widget, "text", lambda: "")()
        ):
            missing.append(type(widget).__name__)
    return missing


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_export_visits_from_the_dialog(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, wait_task: Callable[[Any], None]
) -> None:
    create_demo_visits(ui_app, 40, seed=8)
    dialog = SpreadsheetExportDialog(ui_app, office=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind.count() == 1  # no signals export outside the office
    assert dialog.width() <= 1024 and dialog.sizeHint().height() <= 600
    assert _unnamed_controls(dialog) == []
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.file.text().endswith("bezoeken.csv")
    dialog.file.setText(str(tmp_path / "bezoeken.csv"))
    dialog.location_type.setCurrentIndex(dialog.location_type.findData("PB"))
    wait_task(dialog.export())
    assert dialog.exported is not None
    rows = _csv_rows(tmp_path / "bezoeken.csv")[1:]
    stored = ui_app.db.execute(
        "SELECT count(*) FROM visits v JOIN locations l ON l.id = v.location_id WHERE l.location_type = 'PB'"
    ).fetchone()[0]
    assert len(rows) == dialog.exported.rows == stored > 0
    assert "regels geschreven" in dialog.outcome.text()


def test_signals_export_at_the_office_is_audited(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, wait_task: Callable[[Any], None]
) -> None:
    init_office(ui_app, "Westerdam")
    create_demo_visits(ui_app, 30, seed=9)
    dialog = SpreadsheetExportDialog(ui_app, office=True)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("signals"))
    assert dialog.file.text().endswith("signalen.xlsx")
    dialog.file.setText(str(tmp_path / "signalen.xlsx"))
    wait_task(dialog.export())
    assert dialog.exported is not None and dialog.exported.rows > 0
    assert (tmp_path / "signalen.xlsx").exists()
    last = ui_app.db.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert last == "export.signals"


def test_cancelled_export_leaves_no_file(
    qtbot: QtBot,
    ui_app: AppContext,
    tmp_path: Path,
    wait_task: Callable[[Any], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_demo_visits(ui_app, 30, seed=10)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    dialog = SpreadsheetExportDialog(ui_app, office=False)
    qtbot.addWidget(dialog)
    dialog.file.setText(str(tmp_path / "bezoeken.xlsx"))
    task = dialog.export()
    task.requestInterruption()  # Cancel in the progress dialog does exactly this
    wait_task(task)
    assert task.cancelled and dialog.exported is None
    assert "Geannuleerd" in dialog.outcome.text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == []


def test_export_to_a_missing_folder_is_shown(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, wait_task: Callable[[Any], None], messages: list[str]
) -> None:
    dialog = SpreadsheetExportDialog(ui_app, office=False)
    qtbot.addWidget(dialog)
    dialog.file.setText(str(tmp_path / "weg" / "bezoeken.xlsx"))
    wait_task(dialog.export())
    assert dialog.exported is None and any("bestaat niet" in text for text in messages)


def test_reinspections_list_and_a_linked_visit(
    qtbot: QtBot, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = (date.today() - timedelta(days=60)).isoformat()
    overdue = _pb_visit(ui_app, day)
    finalize_with_follow_up(open_visit(ui_app, overdue), FollowUpRequest(weeks=4))
    dialog = ReinspectionsDialog(ui_app)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == len(due_list(ui_app)) == 1
    state = dialog.table.item(0, 1)
    assert state is not None and state.text() == "Te laat" and not state.icon().isNull()
    assert _unnamed_controls(dialog) == []
    dialog.location_type.setCurrentIndex(dialog.location_type.findData("CS"))
    assert dialog.table.rowCount() == 0 and not dialog.start_button.isEnabled()
    dialog.location_type.setCurrentIndex(0)
    dialog.which.setCurrentIndex(dialog.which.findData("overdue"))
    assert dialog.table.rowCount() == 1
    started: list[str] = []
    dialog.visit_started.connect(started.append)

    def accept_at_once(item: Any) -> Any:
        new = ReinspectionsDialog.new_visit_dialog(dialog, item)
        assert new.follow_up.isVisibleTo(new) and new.follow_up.isChecked()
        assert new.visit_type.currentData() == "hercontrole"

        def accepted() -> QDialog.DialogCode:
            new.accept()
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(new, "exec", accepted)
        return new

    monkeypatch.setattr(dialog, "new_visit_dialog", accept_at_once)
    dialog.start_button.click()
    assert len(started) == 1
    assert follow_up_detail(ui_app, started[0])["follows_up"] == overdue
    assert dialog.table.rowCount() == 0  # done: no longer open
    page = ChecklistPage(ui_app, CONTACT)
    qtbot.addWidget(page)
    page.open_visit(started[0])
    assert page.follows_up_label.isVisibleTo(page) and overdue[:8] in page.follows_up_label.text()


def test_finalise_with_a_re_inspection_from_the_page(
    qtbot: QtBot, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit_id = _pb_visit(ui_app, "2026-05-04")
    page = ChecklistPage(ui_app, CONTACT)
    qtbot.addWidget(page)
    page.resize(1024, 600)
    page.show()
    page.open_visit(visit_id)
    assert page.follow_up.choice.accessibleName() == "Hercontrole"
    page.follow_up.choice.setCurrentIndex(page.follow_up.choice.findData(6))
    monkeypatch.setattr(page, "confirm", lambda *_args: True)
    page.commands.request_finalize()
    assert page.session is not None and page.session.is_final
    assert follow_up_detail(ui_app, visit_id)["reinspection_due"] == "2026-06-15"
    # On the final visit a new choice is stored at once; reopening shows it.
    page.follow_up.choice.setCurrentIndex(0)
    page.follow_up.choice.activated.emit(0)
    assert follow_up_detail(ui_app, visit_id)["reinspection_due"] is None
    page.follow_up.choice.setCurrentIndex(page.follow_up.choice.findData(8))
    page.follow_up.choice.activated.emit(page.follow_up.choice.currentIndex())
    page.open_visit(visit_id)
    assert page.follow_up.choice.currentData() == "date"
    assert page.follow_up.day.date().toString("yyyy-MM-dd") == "2026-06-29"
