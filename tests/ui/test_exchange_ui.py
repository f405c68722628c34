"""The desktop's Exchange menu reads through the same service as the CLI: role, folders, reference bundles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.sync_dialogs import ImportDialog
from inspector_app.ui.tasks import Task
from inspector_app.ui.visit_list import VisitListPage
from tests.sync.conftest import enrol
from tests.ui.support import cell

REFERENCE_ACTION = "&Referentiebundel van het kantoor inlezen…"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[AppContext, AppContext]]:
    office, laptop = open_app(tmp_path / "office"), open_app(tmp_path / "laptop")
    office.settings.profile.name = "Kantoor 1"
    laptop.settings.profile.name = "Toezichthouder 1001"
    laptop.settings.profile.municipality = "Westerdam"
    laptop.settings.contact_person.name = "A. Jansen"
    laptop.settings.contact_person.phone = "0600000000"
    keys_service.init_office(office, "Westerdam")
    enrol(office, laptop, tmp_path)
    yield office, laptop
    office.close()
    laptop.close()


def test_the_office_role_is_the_office_key_not_the_profile(
    qtbot: QtBot, pair: tuple[AppContext, AppContext]
) -> None:
    """Regression: a laptop whose profile says "kantoor" got the office list (and read-only visits)."""
    office, laptop = pair
    laptop.settings.profile.function = "kantoor"
    office.settings.profile.function = "handhaver"
    on_laptop, at_office = VisitListPage(laptop), VisitListPage(office)
    qtbot.addWidget(on_laptop)
    qtbot.addWidget(at_office)
    assert not on_laptop.office and at_office.office


def test_laptop_reads_a_reference_bundle_from_the_exchange_menu(
    qtbot: QtBot,
    pair: tuple[AppContext, AppContext],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wait_task: Callable[[Task[Any] | None], None],
) -> None:
    office, laptop = pair
    create_demo_visits(office, 4, seed=8)
    create_demo_visits(laptop, 1, seed=9)
    folder = tmp_path / "usb"
    folder.mkdir()
    reference, _laptops, forms, locations, history, _visits = exchange_service.write_reference(office, folder)
    assert exchange_service.export(laptop, folder) is not None  # a field bundle beside it is not for a laptop
    dialogs: list[ImportDialog] = []
    tasks: list[Task[Any] | None] = []

    def run(dialog: ImportDialog) -> int:
        dialogs.append(dialog)
        dialog.add_paths([folder])
        tasks.append(dialog.run_import())
        return 0

    monkeypatch.setattr(ImportDialog, "exec", run)
    window = MainWindow(laptop)
    qtbot.addWidget(window)
    [exchange] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Uitwisselen"]
    assert isinstance(exchange, QMenu)
    [entry] = [a for a in exchange.actions() if a.text() == REFERENCE_ACTION]
    entry.trigger()
    [dialog] = dialogs
    wait_task(tasks[0])
    assert [dialog.files.item(i).text() for i in range(dialog.files.count())] == [str(reference)]
    [report] = dialog.reports
    assert isinstance(report, exchange_service.ReferenceReport) and report.status == "imported"
    assert (len(report.forms), report.locations, report.history) == (forms, locations, history)
    assert cell(dialog.table, 0, 1) == "✔ ingelezen"
    assert f"{locations} locaties" in cell(dialog.table, 0, dialog.table.columnCount() - 1)
    assert "0 geweigerd" in dialog.summary.text()
