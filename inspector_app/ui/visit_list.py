"""The visit list: every visit with location, type, date, status and signal counts; filters and search."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.labels import LOCATION_TYPE_LABELS, VISIT_STATUS_LABELS, label_text
from inspector_app.domain.model import LocationType, VisitStatus
from inspector_app.i18n import _, n_
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.clock import local_now
from inspector_app.services.visits import VisitFilter, VisitListRow, count_visits, find_visits

Index = QModelIndex | QPersistentModelIndex
STRETCHED_COLUMNS = (1, 2)  # location and address share the width the measured columns leave (at
# 1024 px a fixed 260 px address column left the location names cut to "Club Saffier ...")
COLUMN_PADDING = 18  # cell margins plus the sort indicator's room


PAGE = 500
SIGNAL_COLUMN = 5


class VisitTableModel(QAbstractTableModel):
    """Rows of the visit list, read a page at a time as the user scrolls (an office holds 100,000s).

    Signal counts are text ("H 1"), never colour alone.
    """

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.rows: list[VisitListRow] = []
        self.total = 0
        self.visit_filter = VisitFilter()
        self.discreet = False  # discreet mode: the signal column says nothing (and is hidden)
        self.headers = [_("Datum"), _("Locatie"), _("Adres"), _("Soort"), _("Status"), _("Signalen")]

    def load(self, visit_filter: VisitFilter) -> None:
        """Start over with a new filter: the count, and the first page of rows."""
        self.beginResetModel()
        self.visit_filter = visit_filter
        self.total = count_visits(self.app, visit_filter)
        self.rows = find_visits(self.app, replace(visit_filter, limit=PAGE, offset=0))
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = find_visits(self.app, replace(self.visit_filter, limit=PAGE, offset=len(self.rows)))
        if not page:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == SIGNAL_COLUMN and not self.discreet:
            return _("{h} hoog, {m} midden, {l} laag", h=row.count_h, m=row.count_m, l=row.count_l)
        return None

    def longest_texts(self, column: int) -> list[str]:
        """Every text a fixed-content column can show, so its width is measured, not guessed.

        Measured in the user's font and language: fixed pixel widths cut "concept, geïmporteerd" at
        1024 px and ignore a larger system font.
        """
        if column == 0:
            return ["2026-12-31 23:59"]
        if column == 3:
            return [label_text(LocationType, kind) for kind in LocationType]
        if column == 4:
            statuses = [label_text(VisitStatus, status) for status in VisitStatus]
            return statuses + [_("{status}, geïmporteerd", status=status) for status in statuses]
        if column == 5:
            return [f"⚠ {_('ACUUT')}  H 99  M 99  L 99"]
        return []

    def _text(self, row: VisitListRow, column: int) -> str:
        if column == 0:
            return row.started_at.replace("T", " ")
        if column == 1:
            return row.location_name
        if column == 2:
            return " ".join(p for p in (row.address, row.postcode) if p)
        if column == 3:
            return label_text(LocationType, row.location_type)
        if column == 4:
            status = label_text(VisitStatus, row.status)
            return (
                _("{status}, geïmporteerd", status=status) if row.device_id != self.app.device_id else status
            )
        if self.discreet:
            return ""
        parts = [f"H {row.count_h}"] if row.count_h else []
        parts += [f"M {row.count_m}"] if row.count_m else []
        parts += [f"L {row.count_l}"] if row.count_l else []
        text = "  ".join(parts) or "–"
        return f"⚠ {_('ACUUT')}  {text}" if row.acute else text


_EDITING_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
    QKeySequence.StandardKey.SelectAll,
)


def _is_window_shortcut(event: QKeyEvent) -> bool:
    """A Ctrl+letter that is not a standard editing key (Ctrl+E is "end of line" in a line edit)."""
    control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
    letter = Qt.Key.Key_A <= event.key() <= Qt.Key.Key_Z
    return bool(control) and letter and not any(event.matches(key) for key in _EDITING_KEYS)


class VisitListPage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    referrals_requested = Signal(str)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.discreet = False
        self.office = keys_service.is_office(app)  # the one office decision, shared with the CLI
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Zoeken in de bezoekenlijst"))
        self.search.setPlaceholderText(_("Zoek op naam, adres of postcode (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName(_("Status van het bezoek"))
        self.status.addItem(_("Alle statussen"), None)
        for status, text in VISIT_STATUS_LABELS.items():
            self.status.addItem(text.get().capitalize(), status.value)
        self.location_type = QComboBox()
        self.location_type.setAccessibleName(_("Soort locatie"))
        self.location_type.addItem(_("Alle soorten"), None)
        for code, text in LOCATION_TYPE_LABELS.items():
            self.location_type.addItem(text.get(), code.value)
        self.period = QComboBox()
        self.period.setAccessibleName(_("Periode"))
        for label, days in (
            (_("Alle perioden"), None),
            (_("Afgelopen 7 dagen"), 7),
            (_("Afgelopen 30 dagen"), 30),
            (_("Afgelopen jaar"), 365),
        ):
            self.period.addItem(label, days)
        self.high_only = QCheckBox(_("Alleen met signaal hoog"))
        self.new_button = QPushButton(_("&Nieuw bezoek"))
        for widget in (
            self.search,
            self.status,
            self.location_type,
            self.period,
            self.high_only,
            self.new_button,
        ):
            filters.addWidget(widget)
        layout.addLayout(filters)
        office = QHBoxLayout()
        self.signal = QComboBox()
        self.signal.setAccessibleName(_("Signaal"))
        self.signal.addItem(_("Alle signalen"), None)
        if self.office:  # the catalogue is read only where the office filters are shown
            catalogue = load_catalogue()
            for slug, indicator in sorted(catalogue.indicators.items(), key=lambda item: item[1].label.get()):
                self.signal.addItem(f"{indicator.label.get()} ({slug})", slug)
        self.referral_status = QComboBox()
        self.referral_status.setAccessibleName(_("Doorverwijzing"))
        for label, value in (
            (_("Alle doorverwijzingen"), None),
            (_("Zonder doorverwijzing"), "none"),
            (_("Doorverwijzing in concept"), "draft"),
            (_("Doorverwijzing verzonden"), "sent"),
            (_("Doorverwijzing afgerond"), "closed"),
        ):
            self.referral_status.addItem(label, value)
        self.referrals_button = QPushButton(_("&Doorverwijzingen…"))
        self.referrals_button.clicked.connect(self._referrals_current)
        office_widgets: list[QWidget] = [
            QLabel(_("Kantoor:")),
            self.signal,
            self.referral_status,
            self.referrals_button,
        ]
        for office_widget in office_widgets:
            office.addWidget(office_widget)
            office_widget.setVisible(self.office)
        self.signal_widgets: list[QWidget] = [self.signal]
        office.addStretch()
        layout.addLayout(office)
        # The dashboard's drill-down: exactly the visits behind a bar, until the user clears it.
        self.only_visits: tuple[str, ...] | None = None
        drill = QHBoxLayout()
        self.drill_label = QLabel()
        self.drill_label.setAccessibleName(_("Filter uit het overzicht"))
        self.drill_clear = QPushButton(_("Filter uit overzicht &wissen"))
        self.drill_clear.clicked.connect(lambda: self.show_only(None))
        drill.addWidget(self.drill_label, 1)
        drill.addWidget(self.drill_clear)
        layout.addLayout(drill)
        for drill_widget in (self.drill_label, self.drill_clear):
            drill_widget.setVisible(False)
        self.model = VisitTableModel(app, self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Bezoeken"))
        self.table.setAccessibleDescription(self._table_description(False))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in STRETCHED_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._fit_measured_columns()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.activated.connect(self._open_index)  # Enter, or double click (per platform style)
        layout.addWidget(self.table)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.search.textChanged.connect(self.refresh)
        for combo in (self.status, self.location_type, self.period):
            combo.currentIndexChanged.connect(self.refresh)
        self.high_only.toggled.connect(self.refresh)
        self.signal.currentIndexChanged.connect(self.refresh)
        self.referral_status.currentIndexChanged.connect(self.refresh)
        self.new_button.clicked.connect(self.new_requested)
        find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.setWhatsThis(_("Zoeken in de bezoekenlijst"))
        find.activated.connect(self.search.setFocus)
        self.search.installEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The search box: Down moves to the list, Enter opens the chosen (or first) visit, and
        window shortcuts such as Ctrl+E are not taken as line-editing keys (the box has the focus
        when the list opens, so it swallowed them)."""
        if watched is not self.search or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.ShortcutOverride and _is_window_shortcut(event):
            event.ignore()
            return True
        if event.type() != QEvent.Type.KeyPress or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.key() == Qt.Key.Key_Down and self.model.rows:
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.rows:
            index = self.table.currentIndex()
            self._open_index(index if index.isValid() else self.model.index(0, 0))
            return True
        return False

    def _fit_measured_columns(self) -> None:
        """Date, type, status and signal columns as wide as their longest possible text (header too)."""
        header = self.table.horizontalHeader()
        cell_metrics = self.table.fontMetrics()
        header_metrics = header.fontMetrics()
        for column in range(self.model.columnCount()):
            if column in STRETCHED_COLUMNS:
                continue
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widest = max(
                [header_metrics.horizontalAdvance(title)]
                + [cell_metrics.horizontalAdvance(text) for text in self.model.longest_texts(column)]
            )
            header.resizeSection(column, widest + COLUMN_PADDING)

    def changeEvent(self, event: QEvent) -> None:
        """A new system font (or font size) re-measures the columns."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_measured_columns()

    def current_filter(self) -> VisitFilter:
        days = self.period.currentData()
        today = local_now(self.app.db).date()
        since = (today - timedelta(days=int(days))).isoformat() if days else None
        return VisitFilter(
            status=self.status.currentData(),
            location_type=self.location_type.currentData(),
            has_high=self.high_only.isChecked() and not self.discreet,
            search=self.search.text().strip(),
            since=since,
            # The office's filters: a standing indicator (hidden with the signals in discreet mode) and
            # the referral status; both were shown and refreshed the list but were never applied.
            slug=None if self.discreet else self.signal.currentData(),
            referral_status=self.referral_status.currentData(),
            visit_ids=self.only_visits,
        )

    def show_only(self, visit_ids: list[str] | None, description: str = "") -> None:
        """List only `visit_ids` (the visits behind a dashboard bar), said above the list; None: all again."""
        self.only_visits = None if visit_ids is None else tuple(visit_ids)
        self.drill_label.setText(
            _("Alleen de bezoeken van: {what}", what=description) if visit_ids is not None else ""
        )
        for widget in (self.drill_label, self.drill_clear):
            widget.setVisible(visit_ids is not None)
        self.refresh()

    def refresh(self) -> None:
        self.model.load(self.current_filter())
        self.count.setText(n_("{count} bezoek", "{count} bezoeken", self.model.total))
        if self.model.rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    @staticmethod
    def _table_description(discreet: bool) -> str:
        if discreet:
            return _("Enter opent het bezoek")
        return _("Enter opent het bezoek; Signalen telt hoog (H), midden (M), laag (L)")

    def set_discreet(self, on: bool) -> None:
        """Discreet mode: no signal column, no ACUUT mark, no signal filters (they would tell too)."""
        self.discreet = on
        self.model.discreet = on
        self.table.setColumnHidden(SIGNAL_COLUMN, on)
        self.table.setAccessibleDescription(self._table_description(on))
        self.high_only.setVisible(not on)
        for widget in self.signal_widgets:
            widget.setVisible(self.office and not on)
        # The dashboard filter's description can name a signal category: hidden too, the filter stays.
        self.drill_label.setVisible(self.only_visits is not None and not on)
        self.refresh()

    def _open_index(self, index: QModelIndex) -> None:
        visit_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if visit_id:
            self.open_requested.emit(str(visit_id))

    def selected_visit_ids(self) -> list[str]:
        """Visits selected in the table (Shift/Ctrl+click), in list order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[row].id for row in rows]

    def _referrals_current(self) -> None:
        visit_id = self.model.data(self.table.currentIndex(), Qt.ItemDataRole.UserRole)
        if visit_id:
            self.referrals_requested.emit(str(visit_id))
