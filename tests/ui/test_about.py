"""Help → Over…: the version and the bundled licences, shipped as files."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from inspector_app import __version__
from inspector_app.paths import resources_dir
from inspector_app.ui.about_dialog import AboutDialog, load_components


def test_components_have_licence_files() -> None:
    components = load_components()
    names = {str(item["name"]).lower() for item in components}
    for needed in (
        "pyside6_essentials",
        "reportlab",
        "sqlite-utils",
        "platformdirs",
        "pillow",
        "cryptography",
        "pyrage",
    ):
        assert needed in names, needed
    for item in components:
        files = item["files"]
        assert isinstance(files, list) and files, item["name"]
        for name in files:
            assert (resources_dir() / name).is_file(), name
    lgpl = (resources_dir() / "licenses" / "pyside6-essentials" / "LGPL-3").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl


def test_about_dialog_shows_version_and_licence_text(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert __version__ in dialog.summary.text()
    row = next(i for i, item in enumerate(dialog.components) if item["name"] == "reportlab")
    dialog.list.setCurrentRow(row)
    assert "licenses/reportlab/LICENSE" in dialog.text.toPlainText()
    assert dialog.list.count() == len(dialog.components)


def test_help_menu_has_about(qtbot: QtBot, ui_app: object) -> None:
    from inspector_app.ui.main_window import MainWindow

    window = MainWindow(ui_app)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    menus = [action.menu() for action in window.menuBar().actions()]
    texts = [action.text() for menu in menus if isinstance(menu, QMenu) for action in menu.actions()]
    assert "&Over…" in texts


def test_unexpected_error_names_the_crash_report(messages: list[str]) -> None:
    from inspector_app.paths import app_paths
    from inspector_app.ui.app import show_unexpected_error

    note = "notitie: mevrouw Jansen"  # a value: in the message, never in the report
    try:
        raise RuntimeError(note)
    except RuntimeError as error:
        show_unexpected_error(RuntimeError, error, error.__traceback__)
    reports = list(app_paths().log_dir.glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in messages[0]
    text = reports[0].read_text(encoding="utf-8")
    assert "qt: 6." in text and "pyside6: 6." in text and "Jansen" not in text
