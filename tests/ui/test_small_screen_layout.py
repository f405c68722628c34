"""A 1024×600 window: the "Aanwezige personen" section with two persons scrolls not sideways, and the
visit list leaves the location names room.

At 1024×600 the person selector (◀, a 28-character combo, ▶, the count) was wider than the middle
column, so the whole section scrolled sideways and cut every question's left edge; the visit list's
fixed 260 px address column left ~110 px for the location ("Club Saffier ...").
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.ui.main_window import MainWindow


def test_persons_with_two_persons_at_1024x600_has_no_horizontal_scroll_bar(
    qtbot: QtBot, ui_app: AppContext
) -> None:
    visit_id = start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Club Saffier 12", "Kade 1")))
    session = VisitSession(ui_app, visit_id)
    for person in (1, 2):
        session.answer(f"P-ROLE[{person}]", "sex_worker")
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    window.open_visit(visit_id)
    page = window.checklist
    page.jump_to("P-ROLE[2]")
    QApplication.processEvents()
    view = page.view(page.session.form.questions["P-ROLE"].section_id)  # type: ignore[union-attr]
    assert page.stack.currentWidget() is view and view.person_combo.count() == 2
    assert not view.horizontalScrollBar().isVisible()
    content = view.widget()
    assert content is not None and content.width() <= view.viewport().width()
    assert view.selector.isVisible() and view.add_row.isVisible()


def test_the_visit_list_at_1024x600_leaves_the_location_names_room(qtbot: QtBot, ui_app: AppContext) -> None:
    start_visit(ui_app, NewVisit(form="PB", location=LocationInput("Recreatiepark De Linde", "Kade 1")))
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    QApplication.processEvents()
    table = window.visit_list.table
    header = table.horizontalHeader()
    location = header.sectionSize(1)
    assert location >= table.fontMetrics().horizontalAdvance("Recreatiepark De Linde") + 8
    assert header.length() <= table.viewport().width()  # and nothing scrolls sideways
    assert not table.horizontalScrollBar().isVisible()


def test_the_visit_list_status_column_shows_an_imported_status_whole(
    qtbot: QtBot, ui_app: AppContext
) -> None:
    """At 1024 px the fixed 100 px Status column cut "concept, geïmporteerd" to "concept, geï..."; the
    measured columns hold their longest text, also after the font grows."""
    window = MainWindow(ui_app)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    QApplication.processEvents()
    visit_list = window.visit_list
    table, header = visit_list.table, visit_list.table.horizontalHeader()
    for grown in (False, True):
        if grown:
            font = table.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            visit_list.setFont(font)
            QApplication.processEvents()
        metrics = table.fontMetrics()
        for column in (0, 3, 4, 5):
            for text in visit_list.model.longest_texts(column):
                assert header.sectionSize(column) >= metrics.horizontalAdvance(text) + 8, (
                    column,
                    text,
                    grown,
                )
    assert "concept, geïmporteerd" in visit_list.model.longest_texts(4)
