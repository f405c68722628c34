"""Signals that can be undone: reason dialogs that refuse an empty reason, undo of a dismissal, the picker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.indicator_picker import IndicatorPickerDialog
from inspector_app.ui.question_widgets import MultipleChoiceEditor
from inspector_app.ui.signal_panel import DISMISSED_ROLE, ReasonDialog

SLUG = "sex.no_manager_present"


@pytest.fixture
def page(qtbot: QtBot, ui_app: AppContext) -> ChecklistPage:
    widget = ChecklistPage(ui_app, "A. Jansen, 0600000000")
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    widget.open_visit(start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Signaal"))))
    widget._answered("PB-05", "no")  # raises SLUG
    return widget


def standing(page: ChecklistPage) -> set[str]:
    assert page.session is not None
    return {row.slug for row in page.session.standing_observations()}


def answer_reason(page: ChecklistPage, qtbot: QtBot, reason: str) -> None:
    """Type the reason into the open reason dialog (after trying OK empty first) and press OK."""

    def fill() -> None:
        dialog = page.commands.reason_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.ok_button.click()  # empty: refused, the dialog stays open with a message
        assert dialog.isVisible() and not dialog.error.isHidden()
        assert "reden" in dialog.error.text()
        qtbot.keyClicks(dialog.text, reason)
        dialog.ok_button.click()

    QTimer.singleShot(0, fill)


def test_an_empty_reason_keeps_the_dialog_open(qtbot: QtBot) -> None:
    """Regression: QInputDialog closed on an empty reason and the refusal came afterwards."""
    dialog = ReasonDialog("Signaal afwijzen", "Waarom?", "Afwijzen")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.result() == 0
    assert not dialog.error.isHidden() and not dialog.error_icon.isHidden()  # icon and text
    dialog.text.setPlainText("Beheerder kwam binnen.")
    dialog.ok_button.click()
    assert not dialog.isVisible() and dialog.reason() == "Beheerder kwam binnen."


def test_a_dismissal_is_undone_from_the_panel(qtbot: QtBot, page: ChecklistPage) -> None:
    assert SLUG in standing(page)
    page.panel.select_slug(SLUG)
    answer_reason(page, qtbot, "Beheerder kwam tijdens het bezoek binnen en bleef.")
    page.panel.dismiss_button.click()
    assert SLUG not in standing(page)
    assert not page.panel.restore_button.isEnabled()  # nothing dismissed is chosen yet
    page.panel.select_dismissed(SLUG)
    item = page.panel.tree.currentItem()
    assert item is not None and item.data(0, DISMISSED_ROLE) == SLUG
    assert "bleef." in item.toolTip(0)  # the whole reason, however narrow the panel
    assert page.panel.restore_button.isEnabled()
    answer_reason(page, qtbot, "Verkeerde regel afgewezen.")
    page.panel.restore_button.click()
    assert SLUG in standing(page)
    assert page.panel.dismissed_slug() is None


def test_the_picker_marks_indicators_that_already_stand(qtbot: QtBot) -> None:
    dialog = IndicatorPickerDialog(None, None, {SLUG})
    qtbot.addWidget(dialog)
    texts = {
        str(dialog.list.item(i).data(Qt.ItemDataRole.UserRole)): dialog.list.item(i).text()
        for i in range(dialog.list.count())
    }
    assert texts[SLUG].startswith("✓ ") and "staat al in dit bezoek" in texts[SLUG]
    assert not any("staat al" in text for slug, text in texts.items() if slug != SLUG)


def test_the_picker_from_the_page_knows_what_stands(page: ChecklistPage) -> None:
    seen: list[frozenset[str]] = []

    def look() -> None:
        dialog = page.commands.picker
        assert dialog is not None
        seen.append(dialog.standing)
        dialog.reject()

    QTimer.singleShot(0, look)
    page.commands.open_picker()
    assert seen and SLUG in seen[0]


def test_ticking_an_observation_box_asks_for_the_note_like_the_picker(
    qtbot: QtBot, page: ChecklistPage
) -> None:
    """One rule: a signal recorded by hand needs a factual note, in the picker and as a ticked box.

    Regression: ticking a box of PB-27 ("Waargenomen signalen") raised the indicator without a note,
    while "Signaal aanvinken" refused without one.
    """
    widget = page.widget("PB-27")
    assert widget is not None and widget.needs_note_on_tick
    editor = widget.editor
    assert isinstance(editor, MultipleChoiceEditor)
    fear = next(box for box in editor.boxes if box.property("choice_value") == "gen.fear")

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        dialog.ok_button.click()  # empty: stays open, like the picker's disabled OK
        assert dialog.isVisible() and "feitelijke notitie" in dialog.error.text()
        dialog.reject()

    QTimer.singleShot(0, cancel)
    fear.click()
    assert "gen.fear" not in standing(page) and not fear.isChecked()  # cancelled: nothing recorded

    def note() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        qtbot.keyClicks(dialog.text, "Keek steeds naar de deur.")
        dialog.ok_button.click()

    QTimer.singleShot(0, note)
    fear.click()
    assert page.session is not None
    assert "gen.fear" in standing(page)
    assert page.session.answers[("PB-27", 0)].note == "Keek steeds naar de deur."
    assert widget.note.text() == "Keek steeds naar de deur."
