"""A visit changed by the command line while it is open in the window: reloaded, and the user is told."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.errors import ConflictStateError
from inspector_app.services.app import AppContext, opened_app
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _new_visit(app: AppContext) -> str:
    return start_visit(
        app,
        NewVisit(form="prostitution_business", location=LocationInput("Testlocatie", "Kade 1", "1234 AB")),
    )


def _cli(data_dir: Path, *args: str) -> None:
    """The command line in its own process, as an office script would run it next to the app."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "inspector_app", "--data-dir", str(data_dir), *args],
        check=True,
        capture_output=True,
        env=env,
    )


def test_cli_change_reloads_the_open_visit_and_says_so(qtbot: QtBot, ui_app: AppContext) -> None:
    visit_id = _new_visit(ui_app)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.show()
    window.open_visit(visit_id)
    before = window.checklist.session
    assert before is not None and before.value("PB-01") is None
    assert not window.check_open_visit()  # nothing changed yet: no reload, no message
    _cli(ui_app.paths.data_dir, "visits", "answer", visit_id, "PB-01", "ja")
    qtbot.waitUntil(lambda: window.checklist.session is not before, timeout=10000)
    session = window.checklist.session
    assert session is not None and session.value("PB-01") is not None
    assert "buiten de app gewijzigd" in window.statusBar().currentMessage()
    widget = window.checklist.widget("PB-01")
    assert widget is not None and widget.editor.current_value() == session.value("PB-01")


def test_a_refused_stale_answer_is_followed_by_a_reload(qtbot: QtBot, ui_app: AppContext) -> None:
    """The write path noticed the change first (and refused): the screen still reloads and says so."""
    visit_id = _new_visit(ui_app)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.freshness.stop()
    window.open_visit(visit_id)
    stale = window.checklist.session
    assert stale is not None
    _cli(ui_app.paths.data_dir, "visits", "answer", visit_id, "PB-01", "ja")
    with pytest.raises(ConflictStateError):
        stale.answer_text("PB-01", "nee")
    assert not stale.changed_elsewhere()  # the session is fresh again, but the widgets are not
    assert window.check_open_visit()
    session = window.checklist.session
    assert session is not None and session is not stale
    widget = window.checklist.widget("PB-01")
    assert session.value("PB-01") is not None
    assert widget is not None and widget.editor.current_value() == session.value("PB-01")
    assert "buiten de app gewijzigd" in window.statusBar().currentMessage()


def test_stale_screen_does_not_overwrite_the_other_change(ui_app: AppContext) -> None:
    visit_id = _new_visit(ui_app)
    stale = VisitSession(ui_app, visit_id)
    with opened_app(ui_app.paths.data_dir) as other:  # a separate connection, as the CLI has
        VisitSession(other, visit_id).answer_text("PB-01", "ja")
        stored = VisitSession(other, visit_id).value("PB-01")
    with pytest.raises(ConflictStateError, match="niet overschreven"):
        stale.answer_text("PB-01", "nee")
    assert stale.value("PB-01") == stored  # the session shows what is stored
    assert VisitSession(ui_app, visit_id).value("PB-01") == stored
    stale.answer_text("PB-12", "nee")  # another question from the reloaded session is saved
    fresh = VisitSession(ui_app, visit_id)
    assert fresh.value("PB-12") is not None and fresh.value("PB-01") == stored


def test_own_writes_do_not_count_as_changes_elsewhere(ui_app: AppContext) -> None:
    visit_id = _new_visit(ui_app)
    session = VisitSession(ui_app, visit_id)
    session.answer_text("PB-01", "ja")
    VisitSession(ui_app, visit_id).answer_text("PB-12", "nee")  # same connection: the same app
    assert not session.changed_elsewhere()
