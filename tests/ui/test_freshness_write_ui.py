"""An external change is picked up before the next write made on the screen, not only by the timer.

The command line changes the visit open in the window; before the window's next freshness tick the
inspector clicks an answer. The write starts from what is stored (the other change is never
overwritten), and right after it the screen shows what is stored and says it was reloaded."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.question_widgets import YesNoEditor
from tests.ui.test_freshness_ui import _cli

RELOADED = "buiten de app gewijzigd"


def _window(qtbot: QtBot, app: AppContext) -> tuple[MainWindow, str]:
    visit_id = start_visit(
        app,
        NewVisit(form="prostitution_business", location=LocationInput("Testlocatie", "Kade 1", "1234 AB")),
    )
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.freshness.stop()  # the click comes before the next tick
    # Not shown: coming back to the window also checks (changeEvent), and must not be what reloads here.
    window.open_visit(visit_id)
    return window, visit_id


def _yesno(window: MainWindow, ref: str) -> YesNoEditor:
    widget = window.checklist.widget(ref)
    assert widget is not None and isinstance(widget.editor, YesNoEditor)
    return widget.editor


def test_a_click_after_a_cli_change_saves_from_the_stored_visit_and_shows_it(
    qtbot: QtBot, ui_app: AppContext
) -> None:
    window, visit_id = _window(qtbot, ui_app)
    _cli(ui_app.paths.data_dir, "visits", "answer", visit_id, "PB-01", "ja")
    assert _yesno(window, "PB-01").current_value() is None  # the screen has not noticed yet
    _yesno(window, "PB-12").buttons["no"].click()
    stored = VisitSession(ui_app, visit_id)
    assert stored.value("PB-01") == "yes" and stored.value("PB-12") == "no"  # nothing overwritten
    qtbot.waitUntil(lambda: _yesno(window, "PB-01").current_value() == "yes", timeout=5000)
    assert _yesno(window, "PB-12").current_value() == "no"
    assert RELOADED in window.statusBar().currentMessage()


def test_a_click_on_the_answer_changed_elsewhere_is_refused_and_the_screen_reloads(
    qtbot: QtBot, ui_app: AppContext
) -> None:
    window, visit_id = _window(qtbot, ui_app)
    _cli(ui_app.paths.data_dir, "visits", "answer", visit_id, "PB-01", "ja")
    _yesno(window, "PB-01").buttons["no"].click()
    assert VisitSession(ui_app, visit_id).value("PB-01") == "yes"  # the other change stands
    # The screen does not go on showing "Nee" as if it were stored.
    qtbot.waitUntil(lambda: _yesno(window, "PB-01").current_value() == "yes", timeout=5000)
    assert RELOADED in window.statusBar().currentMessage()
    assert "niet overschreven" in window.checklist.message.text()  # and the refusal is still said
