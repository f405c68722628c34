"""A row of buttons that is one tab stop, with the arrow keys moving inside it ("roving focus").

A yes/no question used to cost three tab stops for its buttons alone; with this group Tab reaches
the row once (on the chosen button, or the first) and Left/Right (or Up/Down) move between the
buttons, as with native radio groups. Only the button that may take Tab focus has `StrongFocus`;
the others keep `ClickFocus`, so a mouse click still focuses them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton

_NEXT = (Qt.Key.Key_Right, Qt.Key.Key_Down)
_PREVIOUS = (Qt.Key.Key_Left, Qt.Key.Key_Up)


class FocusGroup(QObject):
    """Makes `buttons` a single tab stop; arrow keys move the focus between them."""

    def __init__(self, buttons: list[QAbstractButton], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buttons = buttons
        for button in buttons:
            button.installEventFilter(self)
        self.set_current(buttons[0])

    def set_current(self, current: QAbstractButton) -> None:
        """The button Tab lands on next time (the chosen one, so the answer is where focus arrives)."""
        for button in self.buttons:
            strong = button is current
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if strong else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in self.buttons:
            assert isinstance(watched, QAbstractButton)
            self.set_current(watched)
        if event.type() != QEvent.Type.KeyPress or watched not in self.buttons:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        step = 1 if key in _NEXT else -1 if key in _PREVIOUS else 0
        if not step:
            return False
        assert isinstance(watched, QAbstractButton)
        index = (self.buttons.index(watched) + step) % len(self.buttons)
        target = self.buttons[index]
        self.set_current(target)
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return True
