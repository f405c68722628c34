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
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from inspector_app.forms.model import QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.services.app import AppContext
from inspector_app.services.visits import VisitFilter, find_visits
from inspector_app.ui import report_actions
from inspector_app.ui.checklist_page import SECTION_ROLE, ChecklistPage
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.question_widgets import MultipleChoiceEditor
from inspector_app.ui.signal_panel import ReasonDialog

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


POLL_MS = 10
POLLS = 500  # ~5 s for a dialog to open and take the focus, and again for it to close after the keys


def _abandon(modal: QWidget) -> None:
    """Close a modal that the keys did not close, so exec() returns and the test fails, not hangs."""
    if isinstance(modal, QDialog):
        modal.reject()
    else:
        modal.close()


def in_modal(steps: Callable[[QWidget], None]) -> list[str]:
    """Run `steps` on the next modal dialog once it is open (exec() blocks the test meanwhile).

    Returns a log that reads ["answered"] once the steps ran and the dialog closed. A dialog that
    never takes the focus, or that the keys leave open (Enter swallowed by a text field made the
    first version of this test hang), is closed after POLLS polls and logged, so the caller's assert
    fails instead of the test hanging in exec().
    """
    log: list[str] = []

    def closed(modal: QWidget, left: int) -> None:
        if QApplication.activeModalWidget() is not modal:
            return
        if left > 0:
            QTimer.singleShot(POLL_MS, lambda: closed(modal, left - 1))
            return
        log.append("still open after the keys")
        _abandon(modal)

    def attempt(left: int) -> None:
        modal = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if modal is None or focus is None or not modal.isAncestorOf(focus):
            if left > 0:
                QTimer.singleShot(POLL_MS, lambda: attempt(left - 1))
                return
            log.append("no modal dialog with the focus")
            if modal is not None:
                _abandon(modal)
            return
        try:
            steps(modal)
        except BaseException:
            _abandon(modal)  # pytest-qt reports the error raised inside the dialog's event loop
            raise
        log.append("answered")
        closed(modal, POLLS)

    QTimer.singleShot(0, lambda: attempt(POLLS))
    return log


NOTE = "Feitelijke notitie per toetsenbord"


def tick_with_note(qtbot: QtBot) -> None:
    """Space on the focused observation box; its modal note dialog answered by typing and Enter."""

    def note(dialog: QWidget) -> None:
        assert isinstance(dialog, ReasonDialog) and focused() is dialog.text
        type_text(qtbot, NOTE)
        press(qtbot, Key.Key_Return)

    log = in_modal(note)
    press(qtbot, Key.Key_Space)
    assert log == ["answered"]


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
        question_widget = page.widget(ref)
        assert question_widget is not None
        if question_widget.needs_note_on_tick:
            tick_with_note(qtbot)
            assert session.answers[(question.id, _person or 0)].note == NOTE
        else:
            press(qtbot, Key.Key_Space)
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


def tick_observation_by_keys(qtbot: QtBot, page: ChecklistPage, ref: str = "CS-23") -> None:
    """Ctrl+PgDn to the section of the observation question, Tab to its first box, Space, and the
    modal note dialog answered by typing the note and Enter."""
    session = page.session
    assert session is not None
    target = page.widget(ref)
    assert target is not None and target.needs_note_on_tick
    editor = target.editor
    assert isinstance(editor, MultipleChoiceEditor)
    section = target.question.section_id
    sections = [s.id for s in session.form.sections]
    for _step in range(len(sections)):
        here = sections.index(page.navigator.currentItem().data(SECTION_ROLE))
        if sections[here] == section:
            break
        press(qtbot, Key.Key_PageDown if here < sections.index(section) else Key.Key_PageUp, CTRL)
    assert page.stack.currentWidget() is page.view(section)
    first_box = editor.boxes[0]
    tab_to(qtbot, first_box)
    tick_with_note(qtbot)
    page.window().activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    assert first_box.isChecked() and focused() is first_box  # back on the box, ready for the next
    row = session.answers[(target.question.id, 0)]
    assert row.value == [first_box.property("choice_value")]
    assert row.note == NOTE and target.note.text() == NOTE
    assert target.is_marked  # the ticked box raised its signal


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
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.visit_list.search, timeout=5000)

    def fill_new_visit(dialog: QWidget) -> None:
        tab_to(qtbot, dialog.name)  # type: ignore[attr-defined]
        type_text(qtbot, "Toetsenbordlocatie")
        press(qtbot, Key.Key_Tab)
        type_text(qtbot, "Kade 1")
        press(qtbot, Key.Key_Tab)
        type_text(qtbot, "1234 AB")
        press(qtbot, Key.Key_Return)  # Bezoek starten is the default button

    log = in_modal(fill_new_visit)
    press(qtbot, Key.Key_N, CTRL)
    assert log == ["answered"]
    page = window.checklist
    assert window.stack.currentWidget() is page and page.session is not None
    assert page.session.location.name == "Toetsenbordlocatie"
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.navigator, timeout=5000)

    answered: list[str] = []
    for _round in range(200):
        if page.next_open_count() == 0:
            break
        press(qtbot, Key.Key_F8)
        answered.append(answer_by_keys(qtbot, page))
    assert page.next_open_count() == 0, answered
    assert len(answered) >= 3
    tick_observation_by_keys(qtbot, page)

    def confirm(_dialog: QWidget) -> None:
        press(qtbot, Key.Key_Return)

    monkeypatch.undo()  # the real confirmation box, answered with Enter
    log = in_modal(confirm)
    press(qtbot, Key.Key_Return, CTRL)
    assert log == ["answered"]
    assert page.session.is_final
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)

    target = tmp_path / "rapport.pdf"
    monkeypatch.setattr(report_actions, "save_file_name", lambda *_args: target)
    window.reports.open_after_saving = False
    press(qtbot, Key.Key_P, CTRL)
    assert target.exists() and target.stat().st_size > 0
    assert find_visits(ui_app, VisitFilter())[0].status == "final"
