"""A whole visit by keyboard alone: new visit, every required question, finalise, report.

Only key events reach the app (`qtbot.keyClick` on the widget that has the focus); modal dialogs
(the new-visit dialog, the note of a ticked observation box, the confirmation) are answered with
keys too, from a timer that runs inside their event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.forms.model import QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.services.app import AppContext
from inspector_app.services.visits import VisitFilter, find_visits
from inspector_app.ui import report_actions
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.main_window import MainWindow

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 40) -> None:
    """Tab until `target` has the focus (failing when it is not in the tab chain)."""
    for _step in range(limit):
        if focused() is target:
            return
        press(qtbot, Key.Key_Tab)
    raise AssertionError(f"{target!r} not reached by Tab")


def in_modal(steps: Callable[[QWidget], None]) -> None:
    """Run `steps` on the next modal dialog once it is open (exec() blocks the test meanwhile)."""

    def attempt() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or QApplication.activeWindow() is not modal or QApplication.focusWidget() is None:
            QTimer.singleShot(10, attempt)
            return
        try:
            steps(modal)
        except BaseException:
            modal.close()  # never leave the test blocked in exec(); pytest-qt reports the error
            raise

    QTimer.singleShot(0, attempt)


def answer_by_keys(qtbot: QtBot, page: ChecklistPage) -> str:
    """Answer the question that F8 brought the focus to, with keys only; returns its ref."""
    widget = focused()
    session = page.session
    assert session is not None
    ref = next(r for view in page.views.values() for r, w in view.widgets.items() if w.isAncestorOf(widget))
    question, _person = parse_ref(session.form, ref)
    kind = question.type
    if kind is QuestionType.YESNO:
        type_text(qtbot, "n")
    elif kind is QuestionType.MULTIPLE:
        assert isinstance(widget, QCheckBox)
        note_answered: list[bool] = []

        def note(_dialog: QWidget) -> None:
            type_text(qtbot, "Feitelijke notitie per toetsenbord")
            press(qtbot, Key.Key_Return)
            note_answered.append(True)

        question_widget = page.widget(ref)
        assert question_widget is not None
        if question_widget.needs_note_on_tick:
            in_modal(note)
        press(qtbot, Key.Key_Space)
        if question_widget.needs_note_on_tick:  # the note dialog was answered by keys, the note saved
            assert note_answered == [True]
            assert session.answers[(question.id, _person or 0)].note.startswith("Feitelijke notitie")
    elif kind is QuestionType.SINGLE:
        if isinstance(widget, QComboBox):
            press(qtbot, Key.Key_Down)
        else:
            assert isinstance(widget, QRadioButton)
            press(qtbot, Key.Key_Space)
    elif kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        type_text(qtbot, "2")
        press(qtbot, Key.Key_Return)
    else:
        assert isinstance(widget, QLineEdit) or kind is QuestionType.TEXT, (ref, kind, widget)
        type_text(qtbot, "per toetsenbord")
        press(qtbot, Key.Key_Tab)
    return ref


@pytest.mark.usefixtures("messages")
def test_a_whole_visit_by_keyboard_alone(
    qtbot: QtBot, ui_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.visit_list.search.setFocus()  # where the list puts it when the window opens
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.visit_list.search)

    def fill_new_visit(dialog: QWidget) -> None:
        tab_to(qtbot, dialog.name)  # type: ignore[attr-defined]
        type_text(qtbot, "Toetsenbordlocatie")
        press(qtbot, Key.Key_Tab)
        type_text(qtbot, "Kade 1")
        press(qtbot, Key.Key_Tab)
        type_text(qtbot, "1234 AB")
        press(qtbot, Key.Key_Return)  # Bezoek starten is the default button

    in_modal(fill_new_visit)
    press(qtbot, Key.Key_N, CTRL)
    page = window.checklist
    assert window.stack.currentWidget() is page and page.session is not None
    assert page.session.location.name == "Toetsenbordlocatie"
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.navigator)

    answered: list[str] = []
    for _round in range(200):
        if page.next_open_count() == 0:
            break
        press(qtbot, Key.Key_F8)
        answered.append(answer_by_keys(qtbot, page))
    assert page.next_open_count() == 0, answered
    assert len(answered) >= 3

    def confirm(_dialog: QWidget) -> None:
        press(qtbot, Key.Key_Return)

    monkeypatch.undo()  # the real confirmation box, answered with Enter
    in_modal(confirm)
    press(qtbot, Key.Key_Return, CTRL)
    assert page.session.is_final
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    target = tmp_path / "rapport.pdf"
    monkeypatch.setattr(report_actions, "save_file_name", lambda *_args: target)
    window.reports.open_after_saving = False
    press(qtbot, Key.Key_P, CTRL)
    assert target.exists() and target.stat().st_size > 0
    assert find_visits(ui_app, VisitFilter())[0].status == "final"
