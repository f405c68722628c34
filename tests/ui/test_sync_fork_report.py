"""The office's import report names a forked laptop (restored backup) in plain words."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.services.app import open_app
from inspector_app.sync.office_import import ImportReport
from inspector_app.ui.sync_dialogs import ImportDialog
from tests.ui.support import cell


def test_import_report_says_which_laptop_forked(qtbot: QtBot, tmp_path: Path) -> None:
    office = open_app(tmp_path / "office")
    try:
        dialog = ImportDialog(office)
        qtbot.addWidget(dialog)
        fork = {
            "device_id": "6d77d18c-a770-4746-a3c2-04c2d6b18890",
            "device_name": "Laptop 1001",
            "seq": 2,
            "earlier_bundle": "b-1",
            "earlier_at": "2026-11-20T10:15:00.000Z",
        }
        report = ImportReport(file="forked.ifb", status="imported", conflicts=["v-1"], forks=[fork])
        dialog.show_report([report])
        reason = cell(dialog.table, 0, dialog.table.columnCount() - 1)
        assert (
            "Laptop 1001 (6d77d18c)" in reason and "bundel 2" in reason and "20-11-2026 11:15" in reason
        )  # CET
        assert "teruggezet" in reason
        assert dialog.conflicts_button.isVisibleTo(dialog)
    finally:
        office.close()
