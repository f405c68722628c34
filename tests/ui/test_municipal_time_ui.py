"""The desktop shows local times in the municipal policy's zone on a machine set to UTC."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.services import clock
from inspector_app.services.app import AppContext
from inspector_app.services.visit import finalize
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui import municipal_time
from inspector_app.ui.checklist_editors import TimeEditor
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from tests.services.test_municipal_zone import FrozenClock

CLOSING = {"H-07": "1", "PB-12": "ja", "PB-01": "ja", "PB-03": "club", "PB-05": "ja", "PB-09": "ja"}
CLOSING |= {"PB-10a": "1", "PB-10b": "1", "PB-35": "waarschuwing"}


@pytest.fixture(autouse=True)
def _machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clock, "datetime", FrozenClock)
    monkeypatch.setattr(municipal_time, "datetime", FrozenClock)
    yield
    monkeypatch.undo()
    time.tzset()


def test_saved_time_banner_and_now_buttons_follow_the_policy_zone(
    qtbot: QtBot, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = start_visit(
        ui_app,
        NewVisit(
            form="PB",
            location=LocationInput("Club Zon", "Kade 1", "1234 AB"),
            started_at="2026-07-01T11:00",
            visit_type="onaangekondigd",
            inspectors=("Toezichthouder 1001", "Toezichthouder 1002"),
            legal_ground="apv_awb",
        ),
    )
    page = ChecklistPage(ui_app, "A. Jansen, 0600000000")
    qtbot.addWidget(page)
    page.open_visit(visit)
    session = page._session()
    page.apply_changes(session.answer_text("H-07", "1"))
    assert page.saved_label.text() == "Opgeslagen 12:00"

    editor = next(
        w.editor
        for view in page.views.values()
        for w in view.widgets.values()
        if isinstance(w.editor, TimeEditor)
    )
    assert isinstance(editor, TimeEditor)
    editor.now_button.click()
    assert editor.text() == "12:00"

    for ref, value in CLOSING.items():
        session.answer_text(ref, value)
    monkeypatch.setattr(finalize, "now_iso", lambda: "2026-07-01T10:30:00.000Z")
    page.apply_changes(finalize.finalize_visit(session))
    assert "Definitief (01-07-2026 12:30)" in page.final_banner.text()


def test_the_new_visit_dialog_proposes_now_in_the_policy_zone(qtbot: QtBot, ui_app: AppContext) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    assert dialog.started.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-07-01 12:00"


def test_date_defaults_are_the_municipal_day(
    qtbot: QtBot, ui_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """23:30 UTC on 31 December is already 1 January in Amsterdam: the export period and the
    re-inspection date start from the municipal day, not the machine's."""
    from datetime import UTC, datetime

    from PySide6.QtCore import QDate

    from inspector_app.ui.export_dialog import SpreadsheetExportDialog
    from inspector_app.ui.follow_up_picker import FollowUpPicker
    from tests.services import test_municipal_zone

    monkeypatch.setattr(test_municipal_zone, "NOW", datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    dialog = SpreadsheetExportDialog(ui_app, office=False)
    qtbot.addWidget(dialog)
    assert (dialog.since.date(), dialog.until.date()) == (QDate(2027, 1, 1), QDate(2027, 1, 2))
    municipal_time.use_zone(clock.policy_zone(ui_app.db))
    picker = FollowUpPicker()
    qtbot.addWidget(picker)
    assert picker.day.date() == QDate(2027, 1, 1).addDays(42)
