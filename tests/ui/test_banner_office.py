"""The advice banner collapses by mouse and by keys without moving the focused answer; the office sees
the ACUUT "bel 112" advice as history of the visit, and its read-only view offers no Aanvulling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame
from pytestqt.qtbot import QtBot

from inspector_app.domain.model import AdviceLevel
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.question_widgets import YesNoEditor

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def acute_visit(app: AppContext) -> str:
    """A massage parlour where a person is locked in (MS-14): ACUUT advice, bel 112."""
    return start_visit(
        app,
        NewVisit(
            form="MS",
            location=LocationInput("Salon Test", "Teststraat 2", "1234 AB", "Westerdam"),
            extra_answers={"MS-14b": "yes"},
        ),
    )


@pytest.fixture
def page(qtbot: QtBot, ui_app: AppContext) -> ChecklistPage:
    widget = ChecklistPage(ui_app, "A. Jansen, 0600000000")
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def focused_yes_no(page: ChecklistPage, qtbot: QtBot) -> YesNoEditor:
    widget = next(w for w in page.view("algemeen").widgets.values() if isinstance(w.editor, YesNoEditor))
    page.jump_to(widget.ref)
    assert isinstance(widget.editor, YesNoEditor)
    button = widget.editor.buttons["yes"]
    button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button, timeout=5000)
    return widget.editor


def test_the_banner_collapses_by_mouse_and_keys_without_moving_the_focus(
    page: ChecklistPage, ui_app: AppContext, qtbot: QtBot
) -> None:
    page.open_visit(acute_visit(ui_app))
    banner = page.banner
    assert banner.isVisible() and banner.levels[0] is AdviceLevel.ACUTE and banner.expanded
    assert banner.toggle.accessibleName() == "Advies inklappen"
    assert banner.toggle.focusPolicy() & Qt.FocusPolicy.TabFocus  # reachable by Tab
    editor = focused_yes_no(page, qtbot)
    button = editor.buttons["yes"]
    before = button.mapToGlobal(button.rect().topLeft())
    expanded_height = banner.height()

    qtbot.keyClick(button, Qt.Key.Key_A, CTRL_SHIFT)  # the page shortcut, from the focused answer
    QApplication.processEvents()
    assert not banner.expanded and banner.rows.isHidden() and not banner.summary.isHidden()
    assert "ACUUT" in banner.summary.text() and banner.height() < expanded_height
    assert banner.toggle.accessibleName() == "Advies uitklappen"
    assert QApplication.focusWidget() is button
    assert button.mapToGlobal(button.rect().topLeft()) == before

    qtbot.mouseClick(banner.toggle, Qt.MouseButton.LeftButton)  # and back by mouse
    QApplication.processEvents()
    assert banner.expanded and not banner.rows.isHidden() and banner.summary.isHidden()
    assert button.mapToGlobal(button.rect().topLeft()) == before

    banner.toggle.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is banner.toggle, timeout=5000)
    qtbot.keyClick(banner.toggle, Qt.Key.Key_Space)  # the toggle itself, by keys
    assert not banner.expanded and QApplication.focusWidget() is banner.toggle


def test_a_more_urgent_advice_opens_a_collapsed_banner_again(page: ChecklistPage, ui_app: AppContext) -> None:
    visit_id = start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Test")))
    page.open_visit(visit_id)
    assert page.commands.add_person("sex_worker") == 1
    page._answered("PB-20[1]", "no")  # the identity document is held by someone else: escalate
    banner = page.banner
    assert banner.isVisible() and banner.levels[0] is AdviceLevel.ESCALATE
    banner.set_expanded(False)
    page._answered("P-AGE[1]", "under_18")  # a minor in sex work: acute
    assert banner.levels == [AdviceLevel.ACUTE, AdviceLevel.ESCALATE] and banner.expanded


def test_the_inspector_sees_acuut_as_a_call_to_action(page: ChecklistPage, ui_app: AppContext) -> None:
    page.open_visit(acute_visit(ui_app))
    assert page.banner.texts[0].startswith("ACUUT") and "bel 112" in page.banner.texts[0]
    assert not page.banner.history


def test_the_office_sees_acuut_as_history_not_as_a_call_to_action(qtbot: QtBot, ui_app: AppContext) -> None:
    visit_id = acute_visit(ui_app)
    keys_service.init_office(ui_app, "Westerdam")
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.open_visit(visit_id)
    banner = window.checklist.banner
    assert banner.history and banner.levels[0] is AdviceLevel.ACUTE
    text = banner.texts[0]
    assert text.startswith("Tijdens het bezoek: ACUUT")  # what stood then, not "ACUUT: bel 112"
    assert "geschiedenis van het bezoek, geen opdracht voor nu" in text
    rows = [w for w in banner.rows.findChildren(QFrame) if w.objectName().startswith("advice_")]
    assert rows and all("#b00020" not in w.styleSheet() for w in rows)  # not the alarm red
    assert not banner.expanded and banner.rows.isHidden()  # one line: the room is the visit's
    assert banner.summary.text().startswith("Tijdens het bezoek: ACUUT")
    banner.toggle.click()
    assert banner.expanded and not banner.rows.isHidden()


def test_the_office_read_only_view_offers_no_aanvulling(qtbot: QtBot, ui_app: AppContext) -> None:
    visit_id = start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Kantoor")))
    session = VisitSession(ui_app, visit_id)
    session.answer("PB-05", "yes")
    keys_service.init_office(ui_app, "Westerdam")
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.open_visit(visit_id)
    page = window.checklist
    widget = page.widget("PB-05")
    assert widget is not None and page.locked()
    assert widget.amend_button.isHidden() and widget.clear_button.isHidden()
    assert "Aanvulling" in page.final_banner.text() and "laptop" in page.final_banner.text()


def test_a_locked_question_offers_aanvulling_only_where_addenda_are_made(
    page: ChecklistPage, ui_app: AppContext
) -> None:
    page.open_visit(start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Definitief"))))
    widget = page.widget("PB-05")
    assert widget is not None
    widget.set_read_only(True)  # the inspector's final visit
    assert not widget.amend_button.isHidden()
    widget.set_read_only(True, amendable=False)  # the office's read-only view
    assert widget.amend_button.isHidden()


def test_replaced_banner_rows_are_gone_at_once(page: ChecklistPage, ui_app: AppContext) -> None:
    """Regression: rows replaced by new advice stayed drawn under the new ones until deleted later."""
    page.open_visit(acute_visit(ui_app))
    banner = page.banner
    page.view_only = True
    page.open_visit(page.current_visit_id() or "")
    assert banner.history and not banner.expanded  # history starts as one line
    banner.set_expanded(True)
    QApplication.processEvents()  # new rows show from a queued call; the old ones' deleteLater waits
    shown = [
        w for w in banner.rows.findChildren(QFrame) if w.objectName().startswith("advice_") and w.isVisible()
    ]
    assert len(shown) == len(banner.levels)
