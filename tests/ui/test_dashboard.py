"""The office dashboard: its tables equal counts made independently from the store, a click on a bar
or Enter on a row lists exactly those visits, and it is named and keyboard reachable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from inspector_app.domain.model import Category, LocationType, Weight
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.ui.dashboard import DashboardPage
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.summary_dialog import SummaryDialog, start_summary
from tests.reports.pdfa_check import check_pdfa
from tests.services.office_store import Independent, make_office_store
from tests.ui.support import cell
from tests.ui.test_accessibility import a11y_check

YEAR = date.today().year - 1


@pytest.fixture
def window(qtbot: QtBot, ui_app: AppContext) -> MainWindow:
    keys_service.init_office(ui_app, "Westerdam")
    make_office_store(ui_app, visits=160, seed=5)
    main = MainWindow(ui_app)
    qtbot.addWidget(main)
    main.resize(1024, 600)
    main.show()
    return main


def _open(window: MainWindow) -> DashboardPage:
    menu = next(a for a in window.menuBar().actions() if a.text() == "&Overzicht").menu()
    assert isinstance(menu, QMenu)
    dashboard_action = next(a for a in menu.actions() if a.text() == "&Dashboard")
    dashboard_action.trigger()
    page = window.dashboard
    assert page is not None and window.stack.currentWidget() is page
    page.start.setDate(QDate(YEAR, 1, 1))
    page.end.setDate(QDate(YEAR, 12, 31))
    QApplication.processEvents()
    return page


def test_the_signal_table_equals_the_store(window: MainWindow, ui_app: AppContext) -> None:
    page = _open(window)
    raw = Independent(ui_app, date(YEAR, 1, 1), date(YEAR, 12, 31))
    table = page.tables["signals"]
    counted = raw.signals()
    assert table.rowCount() == len(Category) and table.columnCount() == 1 + len(Weight)
    for row, category in enumerate(Category):
        for column, weight in enumerate(Weight, start=1):
            assert cell(table, row, column) == str(counted[(category.value, weight.value)])
    assert sum(counted.values()) > 0
    months = page.tables["visits"]
    per_month = raw.visits_per_month()
    for row in range(12):
        month = f"{YEAR}-{row + 1:02d}"
        assert cell(months, row, 0) == month
        assert [cell(months, row, c) for c in range(1, 5)] == [
            str(per_month[(month, t.value)]) for t in LocationType
        ]
    assert f"{len(raw.visits)} bezoeken" in page.status.text()
    # a location type narrows every figure
    page.location_type.setCurrentIndex(page.location_type.findData("AH"))
    only_ah = Independent(ui_app, date(YEAR, 1, 1), date(YEAR, 12, 31), "AH")
    assert page.tables["visits"].columnCount() == 2
    counted = only_ah.signals()
    table = page.tables["signals"]
    for row, category in enumerate(Category):
        for column, weight in enumerate(Weight, start=1):
            assert cell(table, row, column) == str(counted[(category.value, weight.value)])


def test_a_click_on_a_bar_lists_exactly_its_visits(
    qtbot: QtBot, window: MainWindow, ui_app: AppContext
) -> None:
    page = _open(window)
    chart = page.charts["visits"]
    page.scroll_area.ensureWidgetVisible(chart)
    chart.grab()  # paints, which places the bars
    assert chart.bars
    bar = chart.bars[0]
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=bar.rect.center().toPoint())
    raw = Independent(ui_app, date(YEAR, 1, 1), date(YEAR, 12, 31))
    month = chart.figure.rows[bar.row].code
    location_type = chart.figure.columns[bar.column].code
    expected = sorted(
        v["id"]
        for v in raw.visits.values()
        if v["started_at"][:7] == month and raw.types[v["location_id"]] == location_type
    )
    visit_list = window.visit_list
    assert window.stack.currentWidget() is visit_list
    assert sorted(row.id for row in visit_list.model.rows) == expected and expected
    assert visit_list.drill_label.isVisibleTo(window) and month in visit_list.drill_label.text()
    visit_list.drill_clear.click()
    assert visit_list.model.total == len(ui_app.db.execute("SELECT id FROM visits").fetchall())
    assert not visit_list.drill_label.isVisibleTo(window)
    chart.grab()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))  # beside the bars: nothing
    assert window.stack.currentWidget() is visit_list and visit_list.only_visits is None


def test_enter_on_a_table_row_or_a_chart_lists_its_visits(
    qtbot: QtBot, window: MainWindow, ui_app: AppContext
) -> None:
    page = _open(window)
    raw = Independent(ui_app, date(YEAR, 1, 1), date(YEAR, 12, 31))
    table = page.tables["signals"]
    labour = list(Category).index(Category.LABOUR)
    table.setFocus()
    table.setCurrentCell(labour, 1 + list(Weight).index(Weight.MEDIUM))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.visit_list
    expected = raw.signal_visits("labour", "M")
    assert {row.id for row in window.visit_list.model.rows} == expected and expected
    window.show_dashboard()
    assert window.dashboard is not None
    page = window.dashboard
    page.start.setDate(QDate(YEAR, 1, 1))
    page.end.setDate(QDate(YEAR, 12, 31))
    chart = page.charts["signals"]
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Return)  # the third row, every weight
    assert {row.id for row in window.visit_list.model.rows} == raw.signal_visits(
        list(Category)[2].value, None
    )


def test_the_dashboard_is_named_and_reachable_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    page = _open(window)
    assert a11y_check.unnamed_focusable(page) == []
    chain: list[QWidget] = []  # what Tab visits from the start date on, once round
    widget: QWidget | None = page.start.nextInFocusChain()
    while widget is not None and widget is not page.start and len(chain) < 5000:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert all(chart in chain for chart in page.charts.values())
    assert all(table in chain for table in page.tables.values())
    assert all(chart.focusPolicy() == Qt.FocusPolicy.StrongFocus for chart in page.charts.values())
    assert not page.scroll_area.horizontalScrollBar().isVisible()  # fits 1024x600 without sideways scrolling
    dialog = SummaryDialog(date(2027, 2, 1), window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert a11y_check.unnamed_focusable(dialog) == []
    assert dialog.year.value() == 2026  # in the first quarter the annual report is last year's


def test_the_summary_is_saved_from_the_app(
    window: MainWindow,
    ui_app: AppContext,
    tmp_path: Path,
    wait_task: Callable[[Any], None],
    messages: list[str],
) -> None:
    target = tmp_path / "jaaroverzicht.pdf"
    wait_task(start_summary(window, ui_app, YEAR, "pdf", "nl", target))
    check_pdfa(target.read_bytes())
    assert messages and str(target) in messages[-1]


def test_discreet_mode_keeps_the_figures_off_the_screen(window: MainWindow) -> None:
    page = _open(window)
    page.charts["visits"].grab()
    page.open_cell(page.charts["visits"].figure, 0, -1)
    assert window.visit_list.drill_label.isVisibleTo(window)
    window.show_dashboard()
    window.toggle_discreet()
    assert window.stack.currentWidget() is window.visit_list  # the dashboard was left
    assert not window.visit_list.drill_label.isVisibleTo(window)
    window.show_dashboard()
    assert window.stack.currentWidget() is window.visit_list  # and is refused while discreet
    assert "discrete modus" in window.statusBar().currentMessage()
    window.toggle_discreet()
    window.show_dashboard()
    assert window.stack.currentWidget() is window.dashboard
