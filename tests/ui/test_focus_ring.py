"""The focused push button carries a ring in the palette's highlight colour (the platform style's faint
tint made a focused "Ja" look like "Nee" under a real X window)."""

from __future__ import annotations

from collections.abc import Sequence

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


def test_radio_buttons_check_boxes_flat_buttons_and_the_section_list_show_their_ring(qtbot: QtBot) -> None:
    """The controls the first wave drew without a visible focus (radio buttons, the section list, the
    flat Notitie/Wissen buttons) get the style sheet's ring; the unfocused twin has none."""
    from PySide6.QtWidgets import QCheckBox, QListWidget, QRadioButton

    from inspector_app.ui.checklist_style import focus_ring_style

    flat = [QPushButton("Notitie"), QPushButton("Wissen")]
    for button in flat:
        button.setFlat(True)
    sections = [QListWidget(), QListWidget()]
    for section_list in sections:
        section_list.addItems(["Algemeen", "Afronding"])
        section_list.setFixedSize(160, 60)
    pairs: list[Sequence[QWidget]] = [
        [QRadioButton("Club"), QRadioButton("Privéhuis")],
        [QCheckBox("Politie / AVIM"), QCheckBox("GGD")],
        flat,
        sections,
    ]
    for focused, unfocused in pairs:
        window = QWidget()
        qtbot.addWidget(window)
        window.setStyleSheet(focus_ring_style())
        layout = QHBoxLayout(window)
        layout.addWidget(focused)
        layout.addWidget(unfocused)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        focused.setFocus()
        qtbot.waitUntil(focused.hasFocus)
        highlight = window.palette().color(QPalette.ColorRole.Highlight)
        ringed = ring_pixels(focused.grab().toImage(), highlight)
        assert ringed > focused.width() + focused.height(), type(focused).__name__
        assert ring_pixels(unfocused.grab().toImage(), highlight) < ringed / 10, type(focused).__name__
