"""The DPO's retention screen: the dry run on opening, removal only after confirmation, the list follows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from inspector_app.services import retention as retention_service
from inspector_app.services.app import AppContext
from inspector_app.services.keys import init_office
from inspector_app.services.retention import VISIT_CLASSES
from inspector_app.services.visit.referrals import ReferralUpdate, list_referrals, update_referral
from inspector_app.services.visits import VisitFilter, find_visits
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.retention_dialog import RetentionDialog
from tests.services.test_retention import _finalised_visit


@pytest.fixture
def office_with_a_due_visit(ui_app: AppContext, tmp_path: Path) -> str:
    init_office(ui_app, "Westerdam")
    visit = _finalised_visit(ui_app, tmp_path)
    for referral in list_referrals(ui_app):
        update_referral(ui_app, referral.id, ReferralUpdate(status="closed", outcome="Afgehandeld"))
    for record_class in VISIT_CLASSES:
        retention_service.set_period(ui_app, record_class, 0)
    return visit


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *_a: QMessageBox.StandardButton.Ok))
    return asked


def test_the_dry_run_is_shown_and_no_keeps_everything(
    qtbot: QtBot, ui_app: AppContext, office_with_a_due_visit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = RetentionDialog(ui_app)
    qtbot.addWidget(dialog)
    assert dialog.plan.total_visits == 1 and dialog.remove_button.isEnabled()
    assert "1 bezoek verwijderd" in dialog.summary.text()
    cells = [item.text() for r in range(dialog.table.rowCount()) if (item := dialog.table.item(r, 2))]
    assert any(c.startswith("1 bezoeken") for c in cells)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog.remove_button.click()
    assert asked and "definitief verwijderd" in asked[0]
    assert dialog.task is None
    assert [r.id for r in find_visits(ui_app, VisitFilter())] == [office_with_a_due_visit]


def test_yes_removes_and_the_window_follows(
    qtbot: QtBot,
    ui_app: AppContext,
    office_with_a_due_visit: str,
    monkeypatch: pytest.MonkeyPatch,
    wait_task: Callable[[Any], None],
) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    assert window.visit_list.model.total == 1
    window.open_visit(office_with_a_due_visit)
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog = RetentionDialog(ui_app, window)
    dialog.removed.connect(window._retention_applied)
    dialog.remove_button.click()
    wait_task(dialog.task)
    assert find_visits(ui_app, VisitFilter()) == []
    assert window.visit_list.model.total == 0 and window.checklist.session is None
    assert dialog.plan.total_visits == 0 and not dialog.remove_button.isEnabled()
    assert "niets over de bewaartermijn" in dialog.summary.text()
    assert window.check_open_visit() is False


def test_only_the_office_has_the_screen(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    assert "&Bewaartermijnen (FG)…" not in _menu_texts(window)
    init_office(ui_app, "Westerdam")
    office_window = MainWindow(ui_app)
    qtbot.addWidget(office_window)
    assert "&Bewaartermijnen (FG)…" in _menu_texts(office_window)


def _menu_texts(window: MainWindow) -> list[str]:
    return [action.text() for menu in window.menuBar().findChildren(QMenu) for action in menu.actions()]
