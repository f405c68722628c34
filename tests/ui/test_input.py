"""Input that says what is wrong: integers, postcode and KvK, photos, file dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.services.visits import LocationInput, NewVisit, VisitFilter, find_visits, start_visit
from inspector_app.ui.checklist_page import ChecklistPage
from inspector_app.ui.new_visit_dialog import NewVisitDialog
from inspector_app.ui.question_widgets import NumberEditor

CONTACT = "A. Jansen, 0600000000"


@pytest.fixture
def page(qtbot: QtBot, ui_app: AppContext) -> ChecklistPage:
    widget = ChecklistPage(ui_app, CONTACT)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    widget.open_visit(start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Invoer"))))
    return widget


def test_a_decimal_typed_into_an_integer_field_is_refused_not_read_as_125(
    qtbot: QtBot, page: ChecklistPage
) -> None:
    """Regression: the validator dropped the comma, so "12,5" was saved as 125 without a word."""
    widget = page.widget("H-04a")
    assert widget is not None and isinstance(widget.editor, NumberEditor)
    assert page.session is not None
    before = page.session.value("H-04a")
    qtbot.keyClicks(widget.editor.edit, "12,5")
    qtbot.keyClick(widget.editor.edit, Qt.Key.Key_Return)
    assert widget.editor.edit.text() == "12,5"
    assert widget.has_error and "verwacht een geheel getal" in widget.error.text()
    assert page.session.value("H-04a") == before


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [("postcode", "ABC", "1234 AB"), ("kvk", "12345", "8 cijfers")],
)
def test_new_visit_dialog_refuses_a_wrong_postcode_or_kvk(
    qtbot: QtBot, ui_app: AppContext, messages: list[str], field: str, text: str, expected: str
) -> None:
    dialog = NewVisitDialog(ui_app)
    qtbot.addWidget(dialog)
    dialog.name.setText("Club Invoer")
    getattr(dialog, field).setText(text)
    dialog.accept()
    assert dialog.visit_id is None
    assert messages and expected in messages[-1]
    dialog.foreign.setChecked(True)  # the explicit override for an address abroad
    dialog.accept()
    assert dialog.visit_id
    assert len(find_visits(ui_app, VisitFilter())) == 1
