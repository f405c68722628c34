"""The app lock: after the municipal policy's idle time the window hides its contents, the store's
connection closes, and the passphrase is needed to go on (issue 12 item 3).

Idle means no key, mouse or wheel input to any window of the app. The lock page replaces the visible
page in the window's stack; the pages themselves stay as they were, so whatever was typed is still
there after unlocking (an answer being edited is saved by its own focus-out before the connection
closes). A store without a passphrase (the OS key store alone) is unlocked again through the key store:
the lock then hides the screen, and the account's own screen lock protects the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from inspector_app.errors import AppError
from inspector_app.i18n import _

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleTimer(QObject):
    """Calls `on_idle` once `minutes` pass without input to the application."""

    def __init__(self, minutes: int, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = minutes * 60_000
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(self.interval_ms)
        self.timer.timeout.connect(on_idle)
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start(self.interval_ms)  # the idle time counts from the last input
        return False

    def stop(self) -> None:
        self.timer.stop()
        application = QApplication.instance()
        if application is not None:
            application.removeEventFilter(self)


class LockPage(QWidget):
    """What the locked window shows: no visit, no signal, only how to unlock."""

    def __init__(
        self,
        needs_passphrase: bool,
        unlock: Callable[[str | None], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.unlock_with = unlock
        self.setAccessibleName(_("Vergrendeld"))
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        panel = QWidget()
        panel.setFixedWidth(480)  # a short form in the middle, also at 1024x600
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(panel)
        title = QLabel("<h2>" + _("Vergrendeld") + "</h2>")
        layout.addWidget(title)
        text = (
            _("De app is vergrendeld na een tijd zonder gebruik. Geef de wachtwoordzin om verder te gaan.")
            if needs_passphrase
            else _("De app is vergrendeld na een tijd zonder gebruik.")
        )
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        explanation.setMinimumHeight(explanation.heightForWidth(440))  # wrapped lines in a fixed width
        layout.addWidget(explanation)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Wachtwoordzin"))
        self.passphrase.setVisible(needs_passphrase)
        self.passphrase.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.passphrase)
        self.button = QPushButton(_("&Ontgrendelen"))
        self.button.setAccessibleName(_("Ontgrendelen"))
        self.button.clicked.connect(self.try_unlock)
        layout.addWidget(self.button)
        self.problem = QLabel()
        self.problem.setAccessibleName(_("Melding"))
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.needs_passphrase = needs_passphrase

    def try_unlock(self) -> None:
        problem = self.unlock_with(self.passphrase.text() if self.needs_passphrase else None)
        if problem is not None:
            self.problem.setText("⚠ " + problem)
            self.passphrase.clear()
            self.passphrase.setFocus()


def reopen_problem(reopen: Callable[[], None]) -> str | None:
    """Run the reopen; the message of what went wrong, or None."""
    try:
        reopen()
    except AppError as error:
        return error.message
    return None
