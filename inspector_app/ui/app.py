"""Start the desktop app: open the installation, run the first-run dialog, show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from inspector_app.errors import AppError
from inspector_app.i18n import _, set_language
from inspector_app.services.app import AppContext, open_app
from inspector_app.ui.dialogs import FirstRunDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt_translation import install_qt_translation


def prepare_window(app: AppContext) -> MainWindow | None:
    """The main window, after the first-run dialog when there is no profile yet; None if cancelled."""
    if app.settings.is_first_run:
        dialog = FirstRunDialog(app)
        if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
            return None
    set_language(app.settings.language)
    install_qt_translation(app.settings.language)
    return MainWindow(app)


def run_desktop(data_dir: str | None) -> int:
    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    qt_app.setApplicationName("inspector_app")
    qt_app.setApplicationDisplayName(_("Signalering mensenhandel"))
    try:
        app = open_app(data_dir)
    except AppError as error:
        QMessageBox.critical(None, _("Kan de gegevens niet openen"), error.message)
        return 1
    set_language(app.settings.language)
    install_qt_translation(app.settings.language)
    window = prepare_window(app)
    if window is None:
        app.close()
        return 0
    window.show()
    code = qt_app.exec()
    app.close()
    return int(code)
