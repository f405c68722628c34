"""Keep every dialog inside the screen it opens on.

Some dialogs ask for a size at construction (the conflict screen 1100×640, the import dialog 900×560)
that is larger than a 1024×600 laptop screen, so their buttons (Sluiten, Conflict oplossen) opened
below the screen edge. One application-wide event filter shrinks and moves any dialog that would not
fit, at the moment it is shown, instead of each dialog guessing the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget

MARGIN = 8  # px left free at the screen edges (window frame, panel)


def fit_rect(frame: QRect, available: QRect) -> QRect:
    """`frame` shrunk to at most `available` (less the margin) and moved inside it."""
    room = available.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    width = min(frame.width(), room.width())
    height = min(frame.height(), room.height())
    left = min(max(frame.left(), room.left()), room.right() + 1 - width)
    top = min(max(frame.top(), room.top()), room.bottom() + 1 - height)
    return QRect(left, top, width, height)


class ScreenFit(QObject):
    """Event filter on the application: a dialog larger than its screen is shrunk to fit when shown.

    `limit` stands in for the screen (the screenshot script emulates a 1024×600 screen offscreen).
    """

    def __init__(self, limit: QSize | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limit = limit

    def available(self, widget: QWidget) -> QRect | None:
        if self.limit is not None:
            return QRect(0, 0, self.limit.width(), self.limit.height())
        screen = widget.screen() or QApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            self.fit(watched)
        return False

    def fit(self, dialog: QWidget) -> None:
        available = self.available(dialog)
        if available is None:
            return
        frame = dialog.geometry()
        fitted = fit_rect(frame, available)
        if fitted.size() != frame.size():
            dialog.resize(fitted.size())
        if fitted.topLeft() != frame.topLeft():
            dialog.move(fitted.topLeft())


def install_screen_fit(qt_app: QApplication, limit: QSize | None = None) -> ScreenFit:
    fit = ScreenFit(limit, qt_app)
    qt_app.installEventFilter(fit)
    return fit
