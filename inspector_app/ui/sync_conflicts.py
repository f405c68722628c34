"""Office: the open sync conflicts, and per conflict a field-by-field choice between the kept versions.

The top table lists the visits with concurrent versions; below, every field that differs is one row
with each version's value and a choice box. The chosen value is marked with a tick and bold text (not
only colour). Resolving needs a reason and writes one new revision; both versions stay in history.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.labels import label_text
from inspector_app.domain.model import ConflictKind
from inspector_app.errors import AppError
from inspector_app.i18n import _, current_language
from inspector_app.services import conflicts as resolution
from inspector_app.services.app import AppContext
from inspector_app.services.clock import shown_moment

CHOSEN_MARK = "✔ "


def version_title(app: AppContext, index: int, version: resolution.ConflictVersion) -> str:
    """'Versie A: laptop, 03-12-2026 09:14': the saved time in the municipal policy's zone."""
    letter = chr(ord("A") + index)
    who = version.device_name or version.device_id[:8]
    at = shown_moment(app.db, version.updated_at, current_language())
    return _("Versie {letter}: {who}, {at}", letter=letter, who=who, at=at)


class ConflictsDialog(QDialog):
    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(_("Conflicten oplossen"))
        self.conflicts: list[resolution.ConflictSummary] = []
        self.versions: list[resolution.ConflictVersion] = []
        self.fields: list[resolution.FieldDiff] = []
        self.choices: list[QComboBox] = []
        self.current: str | None = None

        self.list = QTableWidget(0, 5)
        self.list.setHorizontalHeaderLabels(
            [_("Bezoek"), _("Locatie"), _("Begin"), _("Versies"), _("Verschillen")]
        )
        self.list.setAccessibleName(_("Open conflicten"))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().setVisible(False)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.itemSelectionChanged.connect(self._selection_changed)

        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName(_("Verschillen per veld"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("bijv. navraag gedaan bij beide toezichthouders"))
        reason_label = QLabel(_("&Reden van de keuze:"))
        reason_label.setBuddy(self.reason)
        self.resolve_button = QPushButton(_("Conflict &oplossen"))
        self.resolve_button.clicked.connect(lambda: self.resolve())
        row = QHBoxLayout()
        row.addWidget(reason_label)
        row.addWidget(self.reason, 1)
        row.addWidget(self.resolve_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.table, 1)
        detail_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([150, 450])
        buttons = QDialogButtonBox()
        buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1100, 640)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.conflicts = resolution.list_conflicts(self.app)
        except AppError as error:
            QMessageBox.warning(self, _("Conflicten niet geladen"), error.message)
            self.conflicts = []
        self.list.setRowCount(len(self.conflicts))
        for row, summary in enumerate(self.conflicts):
            values = [
                summary.conflict_id[:8],
                summary.location,
                summary.started_at[:16].replace("T", " "),
                str(len(summary.versions)),
                str(summary.fields),
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, summary.conflict_id)
                self.list.setItem(row, column, item)
        if self.conflicts:
            self.list.selectRow(0)
        else:
            self.show_conflict(None)

    def _selection_changed(self) -> None:
        rows = {index.row() for index in self.list.selectionModel().selectedRows()}
        self.show_conflict(self.conflicts[min(rows)].conflict_id if rows else None)

    def select_conflict(self, conflict_id: str) -> None:
        for row, summary in enumerate(self.conflicts):
            if summary.conflict_id == conflict_id:
                self.list.selectRow(row)
                return

    def show_conflict(self, conflict_id: str | None) -> None:
        self.current = conflict_id
        self.choices = []
        self.table.clear()
        self.table.setRowCount(0)
        self.resolve_button.setEnabled(conflict_id is not None)
        self.reason.setEnabled(conflict_id is not None)
        if conflict_id is None:
            self.heading.setText(_("Er zijn geen open conflicten."))
            self.table.setColumnCount(0)
            return
        try:
            self.versions = resolution.conflict_versions(self.app, conflict_id)
            self.fields = resolution.shown_conflict_fields(self.app, conflict_id, current_language())
        except AppError as error:
            QMessageBox.warning(self, _("Conflict niet geladen"), error.message)
            return
        titles = [version_title(self.app, i, v) for i, v in enumerate(self.versions)]
        self.heading.setText(
            _(
                "Bezoek {visit}: kies per veld welke waarde blijft. Nu getoond: {shown}.",
                visit=conflict_id[:8],
                shown=next((t for t, v in zip(titles, self.versions, strict=True) if v.shown), "-"),
            )
        )
        self.table.setColumnCount(len(titles) + 3)
        self.table.setHorizontalHeaderLabels([_("Soort"), _("Veld"), *titles, _("Keuze")])
        self.table.setRowCount(len(self.fields))
        shown = next((i for i, v in enumerate(self.versions) if v.shown), 0)
        for row, field in enumerate(self.fields):
            self.table.setItem(row, 0, QTableWidgetItem(label_text(ConflictKind, field.kind)))
            named = QTableWidgetItem(field.label)
            named.setToolTip(field.label)
            self.table.setItem(row, 1, named)
            for column, version in enumerate(self.versions, start=2):
                text = field.values.get(version.version_id, "")
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            box = QComboBox()
            box.setAccessibleName(_("Keuze voor {field}", field=field.label))
            for index, version in enumerate(self.versions):
                box.addItem(_("Versie {letter}", letter=chr(ord("A") + index)), version.version_id)
            box.setCurrentIndex(shown)
            box.currentIndexChanged.connect(lambda _index, r=row: self._mark(r))
            self.table.setCellWidget(row, len(titles) + 2, box)
            self.choices.append(box)
            self._mark(row)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        # A question's text can be long: wrapped in a column of about 32 characters, so the versions'
        # columns (and their headings) keep their room at 1024 px.
        self.table.setWordWrap(True)
        self.table.setColumnWidth(
            1, min(self.table.columnWidth(1), self.fontMetrics().averageCharWidth() * 32)
        )
        for column in range(2, len(titles) + 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()

    def _mark(self, row: int) -> None:
        chosen = self.choices[row].currentIndex()
        field = self.fields[row]
        for index, version in enumerate(self.versions):
            item = self.table.item(row, index + 2)
            if item is None:
                continue
            text = field.values.get(version.version_id, "")
            font = QFont(item.font())
            font.setBold(index == chosen)
            item.setFont(font)
            item.setText(CHOSEN_MARK + text if index == chosen else text)

    def choose(self, field_key: str, version_id: str) -> None:
        row = next(i for i, f in enumerate(self.fields) if f.key == field_key)
        box = self.choices[row]
        box.setCurrentIndex(box.findData(version_id))

    def selected_choices(self) -> dict[str, str]:
        return {f.key: str(box.currentData()) for f, box in zip(self.fields, self.choices, strict=True)}

    def resolve(self, reason: str | None = None) -> str | None:
        if self.current is None:
            return None
        if reason is not None:
            self.reason.setText(reason)
        try:
            revision = resolution.resolve_conflict(
                self.app, self.current, self.selected_choices(), self.reason.text()
            )
        except AppError as error:
            QMessageBox.warning(self, _("Conflict niet opgelost"), error.message)
            return None
        self.reason.clear()
        self.refresh()
        return revision
