"""Exchange from the desktop app: enrolment, laptop -> office -> receipt -> laptop, import report with a
damaged file, and resolving a conflict field by field. Paths are preset; no file chooser opens.

Screenshots go to a temp folder, or to $INSPECTOR_SCREENSHOTS (e.g. docs/screenshots) when set.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from inspector_app.services import conflicts as resolution
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.sync.keys import short_fingerprint
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.sync_conflicts import ConflictsDialog
from inspector_app.ui.sync_dialogs import ApplyReceiptDialog, ExportDialog, ImportDialog, write_receipt
from inspector_app.ui.sync_keys import KeysDialog
from inspector_app.ui.tasks import Task
from tests.ui.support import cell

WaitTask = Callable[[Task[Any] | None], None]


def _shot(widget: QWidget, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("INSPECTOR_SCREENSHOTS") or tmp_path)
    widget.show()
    assert widget.grab().save(str(folder / name))


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[AppContext, AppContext]]:
    office, laptop = open_app(tmp_path / "office"), open_app(tmp_path / "laptop")
    office.settings.profile.name = "Kantoor 1"
    laptop.settings.profile.name = "Toezichthouder 1001"
    yield office, laptop
    office.close()
    laptop.close()


def _enrol(qtbot: QtBot, office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    office_keys = KeysDialog(office)
    qtbot.addWidget(office_keys)
    assert office_keys.init_office("Westerdam")
    enrolment = office_keys.save_enrolment(tmp_path / "inschrijving.json")
    assert enrolment is not None
    laptop_keys = KeysDialog(laptop)
    qtbot.addWidget(laptop_keys)
    assert laptop_keys.enrol_from(enrolment)
    assert "Ingeschreven bij Westerdam" in laptop_keys.laptop_status.text()
    registration = laptop_keys.save_registration(tmp_path / "registratie.json")
    assert registration is not None
    assert office_keys.register_from(registration)
    assert office_keys.devices.rowCount() == 1


def test_laptop_office_receipt_laptop_cycle(
    qtbot: QtBot,
    pair: tuple[AppContext, AppContext],
    tmp_path: Path,
    messages: list[str],
    wait_task: WaitTask,
) -> None:
    office, laptop = pair
    _enrol(qtbot, office, laptop, tmp_path)
    assert any("Vergelijk de vingerafdruk" in m for m in messages)
    create_demo_visits(laptop, 3, seed=4)

    export = ExportDialog(laptop, [])
    qtbot.addWidget(export)
    export.folder.setText(str(tmp_path / "usb"))
    (tmp_path / "usb").mkdir()
    wait_task(export.export())
    result = export.exported
    assert result is not None and result.visits == 3
    assert "Vingerafdruk" in export.outcome.text() and result.path.name in export.outcome.text()
    # The fingerprint on screen is that of the file on the stick (the office's import log names it).
    written = hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.file_sha256 == written
    assert short_fingerprint(written) in export.outcome.text()

    damaged = tmp_path / "usb" / "beschadigd.ifb"
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    importer = ImportDialog(office)
    qtbot.addWidget(importer)
    importer.add_paths([tmp_path / "usb"])
    assert importer.files.count() == 2
    wait_task(importer.run_import())
    reports = importer.reports
    assert sorted(r.status for r in reports) == ["imported", "rejected"]
    assert importer.table.rowCount() == 2
    statuses = {cell(importer.table, r, 0): cell(importer.table, r, 1) for r in range(2)}
    assert statuses["beschadigd.ifb"] == "✖ geweigerd"
    assert statuses[result.path.name] == "✔ ingelezen"
    rejected_row = next(r for r in range(2) if cell(importer.table, r, 0) == "beschadigd.ifb")
    assert cell(importer.table, rejected_row, importer.table.columnCount() - 1)
    assert "1 geweigerd" in importer.summary.text()
    importer.resize(1000, 420)
    _shot(importer, tmp_path, "sync-import.png")

    wait_task(importer.run_import())
    again = importer.reports
    assert [r.status for r in again if r.file == result.path.name] == ["already_present"]

    receipt = write_receipt(office, importer, tmp_path / "usb" / "ontvangstbewijs.json")
    assert receipt is not None and receipt.exists()
    apply = ApplyReceiptDialog(laptop)
    qtbot.addWidget(apply)
    apply.path.setText(str(receipt))
    assert apply.apply()
    assert "3 bezoeken" in apply.outcome.text()
    nothing = ExportDialog(laptop, [])
    qtbot.addWidget(nothing)
    nothing.folder.setText(str(tmp_path / "usb"))
    wait_task(nothing.export())
    assert nothing.exported is None
    assert "niets nieuws" in nothing.outcome.text()


def test_the_exchange_menu_is_in_the_main_window(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&Uitwisselen" in titles


def test_errors_are_messages(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, messages: list[str], wait_task: WaitTask
) -> None:
    export = ExportDialog(ui_app, [])
    qtbot.addWidget(export)
    export.folder.setText(str(tmp_path))
    wait_task(export.export())
    assert export.exported is None
    assert messages and "kantoorsleutel" in messages[-1]
    apply = ApplyReceiptDialog(ui_app)
    qtbot.addWidget(apply)
    apply.path.setText(str(tmp_path / "bestaat-niet.json"))
    assert not apply.apply()
    assert len(messages) == 2


def test_resolving_a_conflict_in_the_conflict_screen(
    qtbot: QtBot, tmp_path: Path, messages: list[str], wait_task: WaitTask
) -> None:
    from tests.sync.test_resolution import make_conflict

    office, laptop = open_app(tmp_path / "office"), open_app(tmp_path / "laptop")
    try:
        office.settings.profile.name = "Kantoor 1"
        laptop.settings.profile.name = "Toezichthouder 1001"
        _enrol(qtbot, office, laptop, tmp_path)
        made = make_conflict(office, laptop, tmp_path)
        importer = ImportDialog(office)
        qtbot.addWidget(importer)
        importer.add_paths([made.a, made.b])
        wait_task(importer.run_import())
        assert importer.conflicts_button.isVisibleTo(importer)

        screen = ConflictsDialog(office)
        qtbot.addWidget(screen)
        assert screen.list.rowCount() == 1
        screen.select_conflict(made.visit_id)
        # One row per conflicting field; the note only laptop B wrote is merged, not a row.
        assert screen.table.rowCount() == 2
        assert {f.key for f in screen.fields} == {f"note:{made.refs[0]}", f"note:{made.refs[2]}"}
        versions = {v.device_id: v.version_id for v in screen.versions}
        other = versions[made.other.device_id]
        screen.choose(f"note:{made.refs[2]}", other)
        row = next(i for i, f in enumerate(screen.fields) if f.key == f"note:{made.refs[2]}")
        chosen_column = 2 + [v.version_id for v in screen.versions].index(other)
        assert cell(screen.table, row, chosen_column).startswith("✔ ")
        _shot(screen, tmp_path, "sync-conflict.png")

        assert screen.resolve("") is None  # no reason: a message, nothing changed
        assert messages and "reden" in messages[-1]
        revision = screen.resolve("navraag bij beide toezichthouders")
        assert revision is not None
        assert screen.list.rowCount() == 0 and "geen open conflicten" in screen.heading.text()
        assert resolution.list_conflicts(office) == []
        [entry] = resolution.resolution_entries(office, made.visit_id)
        assert isinstance(entry.new, dict) and entry.new["choices"][f"note:{made.refs[2]}"] == other
        made.other.close()
    finally:
        office.close()
        laptop.close()
