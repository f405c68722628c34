"""The reason/note dialog by keys: Enter records, Shift+Enter starts a new line, empty stays open.

The keyboard-only visit hung here: the note was typed, Enter became a new line in the text field
and the dialog never closed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector_app.ui.signal_panel import ReasonDialog

SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_dialog(qtbot: QtBot) -> ReasonDialog:
    dialog = ReasonDialog("Feitelijke notitie", "Wat zag u?", "Vastleggen")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_enter_records_the_typed_note(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(dialog.text, "Deur van buiten op slot")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.result() == ReasonDialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.reason() == "Deur van buiten op slot"


def test_keypad_enter_records_too(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(dialog.text, "Geen eigen sleutel")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.result() == ReasonDialog.DialogCode.Accepted


def test_shift_enter_starts_a_new_line_and_keeps_the_dialog_open(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(dialog.text, "Eerste regel")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, SHIFT)
    qtbot.keyClicks(dialog.text, "tweede regel")
    assert dialog.isVisible()
    assert dialog.text.toPlainText().splitlines() == ["Eerste regel", "tweede regel"]
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.result() == ReasonDialog.DialogCode.Accepted
    assert dialog.reason() == "Eerste regel\ntweede regel"


def test_enter_on_an_empty_note_says_why_and_stays_open(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert not dialog.error.isHidden() and dialog.error.text()
    assert dialog.text.toPlainText() == ""  # no stray new line either


def test_the_field_says_which_key_does_what(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    assert "Shift+Enter" in dialog.text.placeholderText()
    assert dialog.text.accessibleDescription() == dialog.text.placeholderText()
