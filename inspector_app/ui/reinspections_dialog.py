"""The re-inspections (hercontroles) still open: overdue, due soon or planned, filterable, and a new
visit started from one, linked to the earlier visit (services.reinspections)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.labels import LOCATION_TYPE_LABELS, label_text
from inspector_app.domain.model import LocationType
from inspector_app.i18n import _, n_
from inspector_app.services.app import AppContext
from inspector_app.services.reinspections import DUE_SOON_DAYS, DueItem, due_list
from inspector_app.ui.checklist_style import standard_icon
from inspector_app.ui.new_visit_dialog import NewVisitDialog


def state_text(state: str) -> str:
    """Never colour alone: the state is a word, with an icon for overdue."""
    return {"overdue": _("Te laat"), "due": _("Binnenkort"), "planned": _("Gepland")}[state]


class ReinspectionsDialog(QDialog):
    """The list with its filters; 'Nieuw bezoek (hercontrole)…' starts the chosen one's visit."""

    visit_started = Signal(str)

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.items: list[DueItem] = []
        self.setWindowTitle(_("Hercontroles"))
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.which = QComboBox()
        self.which.setAccessibleName(_("Welke hercontroles"))
        self.which.addItem(_("Alle open hercontroles"), "all")
        self.which.addItem(_("Te laat of binnen {days} dagen", days=DUE_SOON_DAYS), "due")
        self.which.addItem(_("Alleen te laat"), "overdue")
        which_label = QLabel(_("&Tonen"))
        which_label.setBuddy(self.which)
        filters.addWidget(which_label)
        filters.addWidget(self.which)
        self.location_type = QComboBox()
        self.location_type.setAccessibleName(_("Locatietype"))
        self.location_type.addItem(_("alle locatietypes"), None)
        for location_type, text in LOCATION_TYPE_LABELS.items():
            self.location_type.addItem(text.get(), location_type.value)
        type_label = QLabel(_("&Locatietype"))
        type_label.setBuddy(self.location_type)
        filters.addWidget(type_label)
        filters.addWidget(self.location_type)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(_("Open hercontroles"))
        self.table.setHorizontalHeaderLabels(
            [_("Gepland op"), _("Stand"), _("Locatie"), _("Locatietype"), _("Eerder bezoek")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _item: self.start_visit())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = QPushButton(_("&Nieuw bezoek (hercontrole)…"))
        self.start_button.setAccessibleName(_("Nieuw bezoek als hercontrole van de gekozen regel"))
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.clicked.connect(self.start_visit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.which.currentIndexChanged.connect(self.refresh)
        self.location_type.currentIndexChanged.connect(self.refresh)
        self.resize(860, 440)
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        which = self.which.currentData()
        self.items = due_list(
            self.app,
            due=which == "due",
            overdue=which == "overdue",
            location_type=self.location_type.currentData(),
        )
        self.table.setRowCount(len(self.items))
        overdue_icon = standard_icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for row, item in enumerate(self.items):
            due = item.row
            cells = [
                QTableWidgetItem(due.due_date),
                QTableWidgetItem(state_text(item.state)),
                QTableWidgetItem(", ".join(p for p in (due.location_name, due.postcode) if p)),
                QTableWidgetItem(label_text(LocationType, due.location_type)),
                QTableWidgetItem(due.visit_date),
            ]
            if item.state == "overdue":
                cells[1].setIcon(overdue_icon)
            cells[0].setData(Qt.ItemDataRole.UserRole, due.visit_id)
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        if self.items:
            self.table.selectRow(0)
        self.start_button.setEnabled(bool(self.items))
        overdue = sum(1 for item in self.items if item.state == "overdue")
        self.summary.setText(
            n_("{count} open hercontrole", "{count} open hercontroles", len(self.items))
            + (" · " + n_("{count} te laat", "{count} te laat", overdue) if overdue else "")
        )

    def selected(self) -> DueItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def new_visit_dialog(self, item: DueItem) -> NewVisitDialog:
        """The new-visit dialog preset for `item` (tests accept it without showing it)."""
        return NewVisitDialog(self.app, self, item)

    def start_visit(self) -> None:
        item = self.selected()
        if item is None:
            return
        dialog = self.new_visit_dialog(item)
        if dialog.exec() == NewVisitDialog.DialogCode.Accepted and dialog.visit_id:
            self.refresh()
            self.visit_started.emit(dialog.visit_id)
