"""The shell of the desktop app: first run, visit list with filters, new visits, settings, discreet mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from inspector_app.i18n import set_language
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visits import VisitFilter, find_visits
from inspector_app.ui.dialogs import FirstRunDialog, SettingsDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.new_visit_dialog import NewVisitDialog


def test_first_run_saves_profile_and_loads_no_demo(qtbot: QtBot, tmp_path: Path, messages: list[str]) -> None:
    app = open_app(tmp_path / "fresh")
    assert app.settings.is_first_run
    dialog = FirstRunDialog(app)
    qtbot.addWidget(dialog)
    assert dialog.real_button.text() == "&Echt beginnen" and dialog.practice_button.isEnabled()
    dialog.accept()  # no name yet: refused with a message box, stays open
    assert app.settings.is_first_run and messages == ["Vul uw naam in; die komt in het auditlog."]
    dialog.form.name.setText("Toezichthouder 2002")
    dialog.form.municipality.setText("Oosterveen")
    dialog.form.contact_name.setText("B. de Boer")
    dialog.form.contact_phone.setText("0611111111")
    dialog.accept()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    reopened = open_app(tmp_path / "fresh")
    assert reopened.settings.profile.name == "Toezichthouder 2002"
    assert reopened.settings.contact_person.name == "B. de Boer"
    assert find_visits(reopened, VisitFilter()) == []  # the real store never gets demo visits
    assert not reopened.practice and not dialog.practice_chosen
    reopened.close()
    app.close()


@pytest.mark.parametrize(
    "form", ["prostitution_business", "massage_parlour", "construction_site", "labour_migrant_housing"]
)
def test_new_visit_of_each_location_type(qtbot: QtBot, ui_app: AppContext, form: str) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    dialog.checklist.setCurrentIndex(dialog.checklist.findData(form))
    assert dialog.use_new.isChecked()  # empty register
    dialog.name.setText("Locatie Test")
    dialog.address.setText("Teststraat 4")
    dialog.postcode.setText("1234 AB")
    dialog.started.setDateTime(QDateTime.fromString("2026-11-20 10:15", "yyyy-MM-dd HH:mm"))
    dialog.partners[0].setChecked(True)
    dialog.accept()
    assert dialog.visit_id
    rows = find_visits(ui_app, VisitFilter())
    assert rows[0].form_id == form and rows[0].started_at == "2026-11-20T10:15"
    again = NewVisitDialog(ui_app)
    qtbot.addWidget(again)
    again.checklist.setCurrentIndex(again.checklist.findData(form))
    assert again.use_existing.isChecked() and again.existing.count() == 1  # now in the register


def test_new_visit_without_location_name_is_refused(
    qtbot: QtBot, ui_app: AppContext, messages: list[str]
) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.visit_id is None
    assert messages and "locatie" in messages[0].lower()
    assert find_visits(ui_app, VisitFilter()) == []


def test_visit_list_filters_and_search(qtbot: QtBot, ui_app: AppContext) -> None:
    create_demo_visits(ui_app, 40)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    page = window.visit_list
    assert page.model.rowCount() == 40
    page.location_type.setCurrentIndex(page.location_type.findData("AH"))
    assert page.model.rowCount() == 10
    assert all(row.location_type == "AH" for row in page.model.rows)
    page.high_only.setChecked(True)
    assert all(row.count_h > 0 for row in page.model.rows)
    page.high_only.setChecked(False)
    page.location_type.setCurrentIndex(0)
    name = page.model.rows[0].location_name
    page.search.setText(name)
    assert page.model.rowCount() >= 1 and all(row.location_name == name for row in page.model.rows)
    page.search.clear()
    page.status.setCurrentIndex(page.status.findData("draft"))
    assert all(row.status == "draft" for row in page.model.rows)


def test_open_visit_from_list_with_keyboard_and_back(qtbot: QtBot, ui_app: AppContext) -> None:
    create_demo_visits(ui_app, 8)
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.show()
    window.visit_list.table.setFocus()
    window.visit_list.table.selectRow(2)
    expected = window.visit_list.model.rows[2].id
    qtbot.keyClick(window.visit_list.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.checklist
    assert window.checklist.current_visit_id() == expected
    window.show_list()
    assert window.stack.currentWidget() is window.visit_list


def test_discreet_mode_shortcut_reaches_the_checklist(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.toggle_discreet()
    assert window.discreet and window.discreet_action.isChecked()
    window.toggle_discreet()
    assert not window.discreet


def test_settings_switch_language_to_english(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    dialog = SettingsDialog(ui_app, window)
    qtbot.addWidget(dialog)
    dialog.form.language.setCurrentIndex(dialog.form.language.findData("en"))
    dialog.accept()
    assert ui_app.settings.language == "en"
    window._build()
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.visit_list.new_button.text() == "&New visit"
    set_language("nl")


def test_window_geometry_is_remembered(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.show()
    window.resize(640, 470)  # the offscreen test screen is 800 x 600; restore clamps to the screen
    window.close()
    assert "geometry" in ui_app.settings.ui
    again = MainWindow(ui_app)
    qtbot.addWidget(again)
    assert again.height() == 470  # width: clamped by the window's minimum and the small test screen


def test_buttons_are_reachable(qtbot: QtBot, ui_app: AppContext) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Bezoek starten"


def test_launch_shows_a_window_first_then_the_main_window(qtbot: QtBot, ui_app: AppContext) -> None:
    from inspector_app.ui.app import Launch

    events: list[str] = []
    launch = Launch(
        ui_app.paths.data_dir,
        on_ready=lambda: events.append("ready"),
        on_shown=lambda: events.append("shown"),
    )
    assert events == ["shown"] and launch.frame.isVisible()
    qtbot.waitUntil(lambda: events == ["shown", "ready"], timeout=5000)
    assert isinstance(launch.window, MainWindow) and launch.window.isVisible()
    assert not launch.frame.isVisible()
    launch.window.close()


def test_launch_on_a_damaged_database_explains_and_stops(
    qtbot: QtBot, tmp_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.app import Launch

    # A real QApplication.exit() outside exec() leaves Qt's "quit now" flag set, so every later
    # QEventLoop.exec() (qtbot.waitSignal) in this test run would return at once; record it instead.
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    folder = tmp_path / "broken"
    from inspector_app.services.app import open_app

    open_app(folder).close()  # an encrypted store with its key file, whose database is then damaged
    (folder / "inspector.sqlite3").write_bytes(b"not a database" * 200)
    launch = Launch(folder)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert "geen bruikbare database" in messages[0]
    assert launch.window is None
    assert exits == [1]


def test_unexpected_errors_become_a_message(messages: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from inspector_app.ui.app import show_unexpected_error

    try:
        raise RuntimeError("kapot")
    except RuntimeError as error:
        show_unexpected_error(RuntimeError, error, error.__traceback__)
    assert messages and "RuntimeError" in messages[0] and "opgeslagen" in messages[0]
    assert "Traceback" in capsys.readouterr().err  # kept for the log, not shown in the dialog


def test_visits_from_other_laptops_are_marked_imported(qtbot: QtBot, ui_app: AppContext) -> None:
    create_demo_visits(ui_app, 4)
    first = find_visits(ui_app, VisitFilter())[0].id
    with ui_app.db.atomic():
        ui_app.db.execute("UPDATE visits SET device_id = 'other-laptop' WHERE id = ?", [first])
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    model = window.visit_list.model
    labels = {row.id: model.data(model.index(index, 4)) for index, row in enumerate(model.rows)}
    assert labels[first].endswith(", geïmporteerd")
    assert all("geïmporteerd" not in text for visit, text in labels.items() if visit != first)


def test_settings_choose_a_data_folder(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.paths import chosen_data_dir

    dialog = SettingsDialog(ui_app)
    qtbot.addWidget(dialog)
    assert not dialog.choose_folder.isEnabled()  # INSPECTOR_APP_HOME is set by the test fixtures
    monkeypatch.delenv("INSPECTOR_APP_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    free = SettingsDialog(ui_app)
    qtbot.addWidget(free)
    assert free.choose_folder.isEnabled()
    free.set_data_dir(tmp_path / "nieuwe-map")
    assert chosen_data_dir() == (tmp_path / "nieuwe-map").resolve()
    assert "volgende start" in free.folder_note.text()
