"""Keyboard and small-screen rules: new-visit tab order, Esc in a visit, one tab stop per button row,
a banner that does not move the focus, Afronding at 1024×600, the earlier-signals box, F1."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.question_widgets import YesNoEditor
from inspector_app.ui.shortcut_help import shortcut_rows

CONTACT = "A. Jansen, 0600000000"


def new_visit(app: AppContext, location_id: str | None = None) -> str:
    location = None if location_id else LocationInput("Testlocatie", "Kade 1", "1234 AB")
    return start_visit(
        app, NewVisit(form="prostitution_business", location=location, location_id=location_id)
    )


@pytest.fixture
def page(qtbot: QtBot, ui_app: AppContext) -> ChecklistPage:
    widget = ChecklistPage(ui_app, CONTACT)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def test_new_visit_tab_order_ends_with_partners_then_start_then_cancel(
    qtbot: QtBot, ui_app: AppContext
) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.legal_ground.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.legal_ground)
    reached = []
    for _step in range(len(dialog.partners) + 2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [*dialog.partners, dialog.start_button, dialog.cancel_button]
    assert not dialog.cancel_button.autoDefault() and not dialog.cancel_button.isDefault()
    # Space on a partner ticks it; the dialog stays open
    dialog.partners[0].setFocus()
    qtbot.keyClick(dialog.partners[0], Qt.Key.Key_Space)
    assert dialog.partners[0].isChecked() and dialog.isVisible()


def test_arrow_keys_do_not_change_the_visit_date(qtbot: QtBot, ui_app: AppContext) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    before = dialog.started.dateTime()
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp):
        qtbot.keyClick(dialog.started, key)
    assert dialog.started.dateTime() == before


def test_esc_in_a_visit_asks_before_leaving(
    page: ChecklistPage, ui_app: AppContext, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.open_visit(new_visit(ui_app))
    left: list[bool] = []
    page.back_requested.connect(lambda: left.append(True))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, title: str, _text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    qtbot.keyClick(page.navigator, Qt.Key.Key_Escape)
    assert asked == ["Bezoek verlaten"] and left == []
    qtbot.keyClick(page.navigator, Qt.Key.Key_Escape)
    assert left == [True]


def test_a_yes_no_question_costs_at_most_two_tab_stops(
    page: ChecklistPage, ui_app: AppContext, qtbot: QtBot
) -> None:
    page.open_visit(new_visit(ui_app))
    view = page.view(page.session.form.sections[1].id)  # type: ignore[union-attr]
    widget = next(w for w in view.widgets.values() if isinstance(w.editor, YesNoEditor))
    stops = [
        child
        for child in widget.findChildren(QWidget)
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus and not child.isHidden()
    ]
    assert len(stops) <= 2, stops
    editor = widget.editor
    assert isinstance(editor, YesNoEditor)
    editor.buttons["yes"].setFocus()
    QApplication.processEvents()
    qtbot.keyClick(editor.buttons["yes"], Qt.Key.Key_Right)  # arrow keys move inside the group
    assert QApplication.focusWidget() is editor.buttons["no"]
    footer = widget.footer_group.buttons  # Notitie / Wissen: one stop, arrows between them
    footer[0].setFocus()
    qtbot.keyClick(footer[0], Qt.Key.Key_Right)
    assert QApplication.focusWidget() is footer[1] is widget.clear_button


def test_a_banner_appearing_does_not_move_the_focused_widget(
    page: ChecklistPage, ui_app: AppContext, qtbot: QtBot
) -> None:
    page.open_visit(new_visit(ui_app))
    assert page.commands.add_person("sex_worker") == 1
    page.jump_to("PB-20[1]")
    widget = page.widget("PB-20[1]")
    assert widget is not None and isinstance(widget.editor, YesNoEditor)
    button = widget.editor.buttons["no"]
    button.setFocus()
    QApplication.processEvents()
    before = button.mapToGlobal(button.rect().topLeft())
    assert not page.banner.isVisible()
    qtbot.keyClick(button, Qt.Key.Key_N)
    QApplication.processEvents()
    assert page.banner.isVisible()
    assert QApplication.focusWidget() is button
    assert button.mapToGlobal(button.rect().topLeft()) == before


def test_afronding_at_1024x600_has_no_horizontal_scroll_bar(page: ChecklistPage, ui_app: AppContext) -> None:
    page.open_visit(new_visit(ui_app))
    page.jump_to(next(q.id for s in page.session.form.sections if s.id == "afronding" for q in s.questions))  # type: ignore[union-attr]
    QApplication.processEvents()
    view = page.view("afronding")
    assert isinstance(view, QScrollArea)
    assert not view.horizontalScrollBar().isVisible()
    content = view.widget()
    assert content is not None and content.width() <= view.viewport().width()


def test_earlier_signals_at_the_location_are_shown_in_a_new_visit(
    page: ChecklistPage, ui_app: AppContext, qtbot: QtBot
) -> None:
    first = new_visit(ui_app)
    page.open_visit(first)
    assert not page.history.isVisible()  # nothing earlier at a new location
    page.commands.add_person("sex_worker")
    page.jump_to("PB-20[1]")
    widget = page.widget("PB-20[1]")
    assert widget is not None and isinstance(widget.editor, YesNoEditor)
    widget.editor.choose("no")
    assert page.session is not None
    second = new_visit(ui_app, page.session.location.id)
    page.open_visit(second)
    assert page.history.isVisible()
    assert page.history.items and page.history.items[0].slug == "gen.id_held_by_other"
    assert "Eerder op deze locatie" in page.history.toggle.accessibleName()
    assert page.history.toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
    page.history.toggle.setFocus()
    qtbot.keyClick(page.history.toggle, Qt.Key.Key_Space)
    assert not page.history.rows.isVisible()  # collapsed by keyboard


def test_f1_lists_every_shortcut_of_the_window(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    keys = {key for key, _text in shortcut_rows(window)}
    assert {"Ctrl+E", "Ctrl+I", "Ctrl+N", "Alt+Left", "Alt+Right", "F8", "Ctrl+PgDown", "Esc"} <= keys
    described = [s for s in window.findChildren(QShortcut) if s.key().toString() and not s.whatsThis()]
    assert all(s.key().toString() == "Ctrl+Enter" for s in described)


def test_ctrl_e_is_not_swallowed_by_the_search_box(qtbot: QtBot, ui_app: AppContext) -> None:
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    export = next(
        a
        for a in window.findChildren(type(window.menuBar().actions()[0]))
        if a.shortcut().toString() == "Ctrl+E"
    )
    fired: list[bool] = []
    export.triggered.disconnect()
    export.triggered.connect(lambda: fired.append(True))
    window.visit_list.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.visit_list.search)
    qtbot.keyClick(window.visit_list.search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]
