"""The office dashboard (menu Overzicht): the five figures of a period, each a chart with its table.

The page scrolls, so it fits a 1024×600 screen; every chart and table is reachable with Tab. A click
on a bar, or Enter on a chart or a table row, asks for the visit list filtered to exactly the visits
behind it (`visits_requested(ids, description)`), which the main window shows.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.labels import LOCATION_TYPE_LABELS
from inspector_app.domain.model import LocationType
from inspector_app.domain.suppression import format_cell
from inspector_app.errors import AppError
from inspector_app.i18n import _, current_language, n_
from inspector_app.services.app import AppContext
from inspector_app.services.clock import local_now
from inspector_app.services.statistics import Dashboard, Drill, Figure, Period, build_dashboard, visits_behind
from inspector_app.ui.bar_chart import BarChart

CHART_MIN_WIDTH = 360
TABLE_FRAME = 80  # the group box's margins, the layout spacing and a vertical scroll bar
TABLE_SCROLL_BAR = 24


class FigureTable(QTableWidget):
    """A figure's numbers: one row per bar, one column per series; Enter asks for the row's visits."""

    row_activated = Signal(int, int)

    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(len(figure.rows), 1 + len(figure.columns), parent)
        self.figure = figure
        self.setAccessibleName(_("Tabel: {title}", title=figure.title))
        self.setAccessibleDescription(_("Enter toont de bezoeken van de gekozen rij"))
        self.setHorizontalHeaderLabels([figure.row_header, *(c.label for c in figure.columns)])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        lang = current_language()
        for row, data in enumerate(figure.rows):
            self.setItem(row, 0, QTableWidgetItem(data.label))
            for column, value in enumerate(data.values, start=1):
                text = "—" if value is None else format_cell(value, lang)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        if figure.rows:
            self.setCurrentCell(0, 0)
        rows_shown = min(max(len(figure.rows), 3), 12)
        self.setMinimumHeight(
            header.sizeHint().height() + rows_shown * self.verticalHeader().defaultSectionSize() + 4
        )

    def natural_width(self) -> int:
        """The width the columns need without cutting text (the first column stretches otherwise)."""
        header = self.horizontalHeader()
        return sum(
            max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(self.columnCount())
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.row_activated.emit(self.currentRow(), self.currentColumn() - 1)
            return
        super().keyPressEvent(event)


class DashboardPage(QWidget):
    back_requested = Signal()
    summary_requested = Signal()
    visits_requested = Signal(list, str)  # visit ids, what they are (shown above the list)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.dashboard: Dashboard | None = None
        self.charts: dict[str, BarChart] = {}
        self.tables: dict[str, FigureTable] = {}
        self.rows: list[tuple[QBoxLayout, FigureTable]] = []
        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        today = local_now(app.db).date()  # the municipal day (services.clock)
        self.start = QDateEdit(QDate(today.year, 1, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.start, _("Begindatum")), (self.end, _("Einddatum"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setAccessibleName(name)
        self.location_type = QComboBox()
        self.location_type.setAccessibleName(_("Soort locatie"))
        self.location_type.addItem(_("Alle soorten"), None)
        for code, text in LOCATION_TYPE_LABELS.items():
            self.location_type.addItem(text.get(), code.value)
        from_label, to_label, type_label = QLabel(_("&Van")), QLabel(_("tot en &met")), QLabel(_("S&oort"))
        from_label.setBuddy(self.start)
        to_label.setBuddy(self.end)
        type_label.setBuddy(self.location_type)
        self.summary_button = QPushButton(_("&Jaaroverzicht opslaan…"))
        self.summary_button.setAccessibleName(_("Jaaroverzicht opslaan"))
        self.summary_button.clicked.connect(self.summary_requested)
        self.back_button = QPushButton(_("&Terug naar de lijst"))
        self.back_button.setAccessibleName(_("Terug naar de bezoekenlijst"))
        self.back_button.clicked.connect(self.back_requested)
        for widget in (from_label, self.start, to_label, self.end, type_label, self.location_type):
            controls.addWidget(widget)
        controls.addStretch()
        controls.addWidget(self.summary_button)
        controls.addWidget(self.back_button)
        layout.addLayout(controls)
        self.status = QLabel()
        self.status.setAccessibleName(_("Samenvatting van het overzicht"))
        layout.addWidget(self.status)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAccessibleName(_("Overzicht"))
        layout.addWidget(self.scroll_area)
        self.start.dateChanged.connect(self.refresh)
        self.end.dateChanged.connect(self.refresh)
        self.location_type.currentIndexChanged.connect(self.refresh)

    def period(self) -> Period:
        chosen = self.location_type.currentData()
        return Period(
            self.start.date().toPython(),  # type: ignore[arg-type]  # QDate.toPython gives a date
            self.end.date().toPython(),  # type: ignore[arg-type]
            LocationType(chosen) if chosen else None,
        )

    def refresh(self) -> None:
        """Compute the figures for the chosen period and rebuild the charts and tables."""
        try:
            period = self.period()
        except AppError as error:
            self.status.setText(error.message)
            return
        self.dashboard = build_dashboard(self.app, period)
        self.status.setText(
            n_(
                "{count} bezoek van {start} tot en met {end}",
                "{count} bezoeken van {start} tot en met {end}",
                self.dashboard.visits,
                start=period.start.strftime("%d-%m-%Y"),
                end=period.end.strftime("%d-%m-%Y"),
            )
        )
        content = QWidget()
        column = QVBoxLayout(content)
        self.charts, self.tables, self.rows = {}, {}, []
        for figure in self.dashboard.figures:
            column.addWidget(self._figure_box(figure))
        column.addStretch()
        self.scroll_area.setWidget(content)
        self._arrange()

    def _figure_box(self, figure: Figure) -> QGroupBox:
        box = QGroupBox(figure.title)
        box.setAccessibleName(figure.title)
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, box)
        chart = BarChart(figure)
        table = FigureTable(figure)
        chart.bar_activated.connect(lambda r, c, f=figure: self.open_cell(f, r, c))
        table.row_activated.connect(lambda r, c, f=figure: self.open_cell(f, r, c))
        table.cellDoubleClicked.connect(lambda r, c, f=figure: self.open_cell(f, r, c - 1))
        row.addWidget(chart, 1)
        row.addWidget(table, 0)
        self.charts[figure.kind.value] = chart
        self.tables[figure.kind.value] = table
        self.rows.append((row, table))
        return box

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Chart beside its table where both fit, the table under the chart on a small screen
        (1024×600): the numbers never need sideways scrolling."""
        room = self.scroll_area.viewport().width()
        for row, table in self.rows:
            needed = CHART_MIN_WIDTH + table.natural_width() + TABLE_FRAME
            beside = room >= needed
            # Beside the chart the table takes the width its columns need; under it, the full width.
            table.setMinimumWidth(table.natural_width() + TABLE_SCROLL_BAR if beside else 0)
            wanted = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
            if row.direction() != wanted:
                row.setDirection(wanted)

    def open_cell(self, figure: Figure, row: int, column: int) -> None:
        """The visits behind one bar (column -1, or a non-count column: the whole row)."""
        if not 0 <= row < len(figure.rows):
            return
        whole_row = column < 0 or not figure.columns[column].drawn or not figure.columns[column].count
        drill = Drill(figure.kind, figure.rows[row].code, "" if whole_row else figure.columns[column].code)
        ids = visits_behind(self.app, self.period(), drill)
        what = (
            figure.rows[row].label
            if whole_row
            else f"{figure.rows[row].label}, {figure.columns[column].label}"
        )
        self.visits_requested.emit(ids, f"{figure.title}: {what}")
