"""The focused push button carries a ring in the palette's highlight colour (the platform style's faint
tint made a focused "Ja" look like "Nee" under a real X window)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.ui.focus_ring import FocusRingStyle


def ring_pixels(image: QImage, colour: QColor) -> int:
    """Pixels of the highlight colour on the button's outermost 3 px."""
    count = 0
    for x in range(image.width()):
        for y in range(image.height()):
            if min(x, y, image.width() - 1 - x, image.height() - 1 - y) > 2:
                continue
            pixel = image.pixelColor(x, y)
            if max(abs(pixel.red() - colour.red()), abs(pixel.green() - colour.green()),
                   abs(pixel.blue() - colour.blue())) < 40:  # fmt: skip
                count += 1
    return count


def test_a_focused_button_has_a_highlight_ring_and_an_unfocused_one_none(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    style = FocusRingStyle(QApplication.style().name())
    buttons = [QPushButton(text) for text in ("Ja", "Nee")]
    for button in buttons:
        button.setStyle(style)
        button.setMinimumWidth(84)
        layout.addWidget(button)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    buttons[0].setFocus()
    qtbot.waitUntil(buttons[0].hasFocus)
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    focused = ring_pixels(buttons[0].grab().toImage(), highlight)
    unfocused = ring_pixels(buttons[1].grab().toImage(), highlight)
    assert focused > 2 * (buttons[0].width() + buttons[0].height())  # most of the outline
    assert unfocused < focused / 10
