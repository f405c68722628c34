"""The office's place for register edits from laptops: listed with their changes, accepted or rejected
by keyboard, with accessible names; the import dialog points at them and at a broken audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.services import location_proposals
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.keys import init_office
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync.office_import import ImportReport
from inspector_app.sync.records import read_rows
from inspector_app.ui.location_proposals import LocationProposalsDialog
from inspector_app.ui.sync_dialogs import ImportDialog
from tests.sync.conftest import enrol
from tests.sync.test_location_proposals import _propose, _send
from tests.ui.support import cell


@pytest.fixture
def office_app(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "office")
    context.settings.profile.name = "Kantoor 1"
    init_office(context, "Westerdam")
    yield context
    context.close()


@pytest.fixture
def laptop_app(tmp_path: Path, office_app: AppContext) -> Iterator[AppContext]:
    context = open_app(tmp_path / "laptop")
    context.settings.profile.name = "Toezichthouder 1001"
    enrol(office_app, context, tmp_path)
    yield context
    context.close()


def _two_proposals(office: AppContext, laptop: AppContext, tmp: Path) -> str:
    visit = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Oost", "Dijk 4")))
    _send(laptop, office, tmp, "first")
    [location] = [str(r["location_id"]) for r in read_rows(office.db, "visits", "WHERE id = ?", [visit])]
    _propose(laptop, office, tmp, visit, location, "Club Oost BV")
    _propose(laptop, office, tmp, visit, location, "Club Oost Twee")
    return location


def test_proposals_are_decided_by_keyboard(
    qtbot: QtBot,
    office_app: AppContext,
    laptop_app: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office, laptop = office_app, laptop_app
    location = _two_proposals(office, laptop, tmp_path)
    dialog = LocationProposalsDialog(office)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    assert dialog.table.rowCount() == 2
    assert "Naam: Club Oost → Club Oost BV" in cell(dialog.table, 0, 3)
    for widget in dialog.findChildren(QWidget):
        if widget.isVisibleTo(dialog) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            assert (
                widget.accessibleName()
                or widget.objectName() == "qt_scrollarea_viewport"
                or not widget.isWidgetType()
            )
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text: warnings.append(text)))

    def tab_to(widget: QWidget) -> None:
        for _step in range(8):
            if QApplication.focusWidget() is widget:
                return
            qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Tab)
        raise AssertionError(f"{widget.accessibleName()} not reached by Tab")

    dialog.table.setFocus()
    tab_to(dialog.reject_button)
    qtbot.keyClick(dialog.reject_button, Qt.Key.Key_Space)  # no reason given
    assert warnings and "reden" in warnings[0] and dialog.table.rowCount() == 2
    tab_to(dialog.reason)
    qtbot.keyClicks(dialog.reason, "gegevens van het kantoor kloppen")
    tab_to(dialog.reject_button)
    qtbot.keyClick(dialog.reject_button, Qt.Key.Key_Space)
    assert dialog.table.rowCount() == 1 and "Club Oost Twee" in cell(dialog.table, 0, 3)
    tab_to(dialog.accept_button)
    qtbot.keyClick(dialog.accept_button, Qt.Key.Key_Space)
    assert dialog.table.rowCount() == 0 and not dialog.accept_button.isEnabled()
    assert "Geen open voorstellen" in dialog.summary.text()
    [row] = read_rows(office.db, "locations", "WHERE id = ?", [location])
    assert row["name"] == "Club Oost Twee"
    assert [p.status for p in location_proposals.proposals(office, include_decided=True)] == [
        "rejected",
        "accepted",
    ]


def test_a_laptop_is_told_the_register_is_the_office_s(
    qtbot: QtBot, laptop_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text: warnings.append(text)))
    dialog = LocationProposalsDialog(laptop_app)
    qtbot.addWidget(dialog)
    assert warnings and "kantoorinstallatie" in warnings[0] and dialog.table.rowCount() == 0


def test_the_import_dialog_names_proposals_and_a_broken_chain(qtbot: QtBot, office_app: AppContext) -> None:
    dialog = ImportDialog(office_app)
    qtbot.addWidget(dialog)
    report = ImportReport(
        file="laptop.ifb",
        status="imported",
        locations_ignored=["6d77d18c-a770-4746-a3c2-04c2d6b18890"],
        audit_breaks=[
            {"seq": 12, "problem": "does not link to the last head received from this device (seq 11)"}
        ],
    )
    dialog.show_report([report])
    reason = cell(dialog.table, 0, dialog.table.columnCount() - 1)
    assert "auditlogboek" in reason and "nummer 12" in reason and "last head" in reason
    assert "Locatievoorstellen" in reason
