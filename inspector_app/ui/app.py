"""Start the desktop app: a window at once, then the installation, the first-run dialog and the pages.

Only Qt and a few light modules are imported before the first window is on screen; the database,
the checklists and the pages follow right after, while the window already shows "Gegevens openen…".
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLockFile, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QVBoxLayout, QWidget

from inspector_app.i18n import _, set_language
from inspector_app.paths import app_paths, resources_dir
from inspector_app.settings import load_settings
from inspector_app.ui.focus_ring import install_focus_ring
from inspector_app.ui.qt_translation import install_qt_translation
from inspector_app.ui.screen_fit import install_screen_fit

if TYPE_CHECKING:
    from inspector_app.services.app import AppContext


class StartupFrame(QWidget):
    """The first window: where the main window will appear, with what is happening."""

    def __init__(self, geometry: str | None) -> None:
        super().__init__()
        self.setWindowTitle(_("Signalering mensenhandel"))
        self.resize(1280, 820)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        layout = QVBoxLayout(self)
        title = QLabel("<h2>" + _("Signalering mensenhandel") + "</h2>")
        status = QLabel(_("Gegevens openen…"))
        for label in (title, status):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)


class Launch:
    """One start of the desktop app; `window` is set once the main window is ready."""

    def __init__(
        self,
        data_dir: str | Path | None,
        on_ready: Callable[[], None] | None = None,
        on_shown: Callable[[], None] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.on_ready = on_ready
        self.window: QWidget | None = None
        self.app: AppContext | None = None
        self.lock: QLockFile | None = None
        settings = load_settings(app_paths(data_dir).settings_file, set_aside=False).settings
        set_language(settings.language)
        install_qt_translation(settings.language)
        geometry = settings.ui.get("geometry")
        self.frame = StartupFrame(geometry if isinstance(geometry, str) else None)
        self.frame.show()
        QApplication.processEvents()  # paint the frame before the heavy part starts
        if on_shown is not None:
            on_shown()
        QTimer.singleShot(0, self.finish)

    def finish(self) -> None:
        """Open the data and build the main window (heavy imports happen here, after the frame shows)."""
        from inspector_app.paths import practice_requested
        from inspector_app.ui.dialogs import FirstRunDialog

        practice = practice_requested()
        app = self._open(practice, None)
        if app is None:
            self._give_up(1)
            return
        if app.settings.is_first_run:
            dialog = FirstRunDialog(app, self.frame)
            if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
                app.close()
                self._give_up(0)
                return
            if dialog.practice_chosen and not app.practice:
                real_settings = app.settings
                app.close()
                self._release()
                app = self._open(True, real_settings)
                if app is None:
                    self._give_up(1)
                    return
        self._show(app, self.frame)
        if self.on_ready is not None:
            self.on_ready()

    def _open(self, practice: bool, real_settings: object | None) -> AppContext | None:
        """Lock the environment's data folder and open it (the practice one with its demo visits);
        None after telling the user why not."""
        from inspector_app.errors import AppError
        from inspector_app.services.app import open_app
        from inspector_app.services.demo.practice import open_practice
        from inspector_app.settings import Settings
        from inspector_app.ui.instance_lock import acquire_lock

        folder = app_paths(self.data_dir, practice=practice).data_dir
        self.lock = acquire_lock(folder)
        if self.lock is None:
            QMessageBox.critical(
                self.window or self.frame,
                _("De app is al geopend"),
                _(
                    "Signalering mensenhandel is al geopend op deze gegevens ({folder}). Gebruik dat "
                    "venster: twee vensters op dezelfde gegevens zouden elkaars wijzigingen kunnen "
                    "overschrijven.",
                    folder=str(folder),
                ),
            )
            return None
        try:
            opened: AppContext | None
            if practice:
                settings = real_settings if isinstance(real_settings, Settings) else None
                opened = open_practice(self.data_dir, settings)
            else:
                opened = self._open_real(open_app)
        except AppError as error:
            QMessageBox.critical(self.window or self.frame, _("Kan de gegevens niet openen"), error.message)
            self._release()
            return None
        if opened is None:  # the user cancelled the unlock dialog
            self._release()
            return None
        self.app = opened
        return opened

    def _open_real(self, open_app: Callable[..., AppContext]) -> AppContext | None:
        """Open the real store, asking for the passphrase (once per start) when the OS key store
        cannot unlock it by itself; a wrong one is asked again, with the recovery offered."""
        from inspector_app.services.store import StoreLockedError, WrongPassphraseError
        from inspector_app.ui.store_dialogs import RecoverDialog, UnlockDialog

        unlock = None
        while True:
            try:
                return open_app(self.data_dir, practice=False, unlock=unlock)
            except StoreLockedError as locked:
                dialog = UnlockDialog(locked.new_store, None, self.frame)
            except WrongPassphraseError as wrong:
                dialog = UnlockDialog(False, wrong.message, self.frame)
            if dialog.exec() == UnlockDialog.DialogCode.Accepted:
                unlock = dialog.unlock()
            elif dialog.recover_requested:
                RecoverDialog(self.data_dir, self.frame).exec()
                unlock = None
            else:
                return None

    def _show(self, app: AppContext, previous: QWidget) -> None:
        from inspector_app.ui.main_window import MainWindow

        set_language(app.settings.language)
        install_qt_translation(app.settings.language)
        window = MainWindow(app)
        window.setGeometry(previous.geometry())
        window.switch_environment_requested.connect(self.switch_environment)
        window.show()
        previous.close()
        self.window = window
        instance = QApplication.instance()
        if instance is not None:
            instance.aboutToQuit.connect(self._close_current)

    def switch_environment(self) -> None:
        """Open the other environment (real <-> practice) in a new window, then close this one.

        The new window is shown before the old one closes, so Qt never sees "the last window closed"
        and quits; if the other environment cannot be opened, the user stays where they were.
        """
        old_window, old_app, old_lock = self.window, self.app, self.lock
        if old_window is None or old_app is None:
            return
        self.lock = None
        app = self._open(not old_app.practice, None if old_app.practice else old_app.settings)
        if app is None:
            self.app, self.lock = old_app, old_lock
            return
        self._show(app, old_window)  # closing the old window saves its settings and geometry
        old_app.close()
        if old_lock is not None:
            old_lock.unlock()

    def _close_current(self) -> None:
        if self.app is not None:
            self.app.close()
        self._release()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None

    def _give_up(self, code: int) -> None:
        self.frame.close()
        QApplication.exit(code)


def show_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Last line of defence: a Dutch message instead of a vanished window or a traceback on screen.

    Every answer was saved when it was given, so nothing typed before the error is lost. A crash report
    without personal data (`inspector_app.logs`) goes to the log folder; the message says where.
    """
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from inspector_app.logs import safe_traceback, write_crash_report

    print(safe_traceback(kind, error, trace), file=sys.stderr)  # for a terminal; no message, no values
    if issubclass(kind, KeyboardInterrupt):
        QApplication.exit(130)
        return
    try:
        report = str(
            write_crash_report(kind, error, trace, extra={"qt": qVersion(), "pyside6": pyside_version})
        )
    except OSError:
        report = "-"
    QMessageBox.critical(
        None,
        _("Onverwachte fout"),
        _(
            "Er ging iets onverwachts mis ({kind}). Wat al was opgeslagen blijft bewaard.\n\n"
            "Een foutrapport (zonder persoonsgegevens) staat in:\n{report}\n\n"
            "Stuur dat bestand naar functioneel beheer. Reageert de app niet meer, sluit hem dan en "
            "start hem opnieuw.",
            kind=kind.__name__,
            report=report,
        ),
    )


SMOKE_EXIT_ENV = "INSPECTOR_APP_SMOKE_EXIT_MS"


def _smoke_exit(launch: Launch) -> None:
    """For the packaging smoke test: leave cleanly; exit 0 if the main window was shown, else 3."""
    shown = launch.window is not None
    print(f"smoke: main window {'shown' if shown else 'NOT shown'}", file=sys.stderr)
    if launch.window is not None:
        launch.window.close()
    QApplication.exit(0 if shown else 3)


def run_desktop(data_dir: str | None) -> int:
    """Run the desktop app until it is closed.

    `INSPECTOR_APP_SMOKE_EXIT_MS=N` (for packaging/smoke_test.sh and bench/bench_package.py) quits
    N ms after the start, closing the main window as the user would; the exit code is 0 when the main
    window was on screen by then, 3 when not (for instance the first-run dialog was still open).
    """
    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    qt_app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "inspector_app.png")))
    qt_app.setApplicationName("inspector_app")
    sys.excepthook = show_unexpected_error
    install_screen_fit(qt_app)
    install_focus_ring(qt_app)
    launch = Launch(data_dir)
    qt_app.setApplicationDisplayName(_("Signalering mensenhandel"))
    smoke_ms = os.environ.get(SMOKE_EXIT_ENV, "")
    if smoke_ms.isdigit():
        QTimer.singleShot(int(smoke_ms), functools.partial(_smoke_exit, launch))
    code = qt_app.exec()
    del launch
    return int(code)
