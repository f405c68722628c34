"""Export visits (or, at the office, signals) to CSV or XLSX: kind, format, file and filters, then the
export runs off the UI thread with progress and cancel (services.exports writes a temporary file and
renames it only when complete, so cancelling leaves no file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.labels import LOCATION_TYPE_LABELS, VISIT_STATUS_LABELS
from inspector_app.i18n import _, n_
from inspector_app.services import exports
from inspector_app.services.app import AppContext
from inspector_app.services.clock import policy_zone
from inspector_app.services.exports import ExportFormat, ExportKind, ExportResult
from inspector_app.services.visits import VisitFilter
from inspector_app.ui.dialogs import save_file_name
from inspector_app.ui.municipal_time import municipal_today
from inspector_app.ui.tasks import Progress, Task, documents_folder, run_task, show_error


class SpreadsheetExportDialog(QDialog):
    """The export's choices; `export()` starts it (tests call it with a preset file, no file chooser)."""

    def __init__(self, app: AppContext, office: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.task: Task[ExportResult] | None = None
        self.exported: ExportResult | None = None
        self.setWindowTitle(_("Exporteren naar spreadsheet"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Wat exporteren"))
        self.kind.addItem(_("Bezoeken (zonder personen of signalen)"), ExportKind.VISITS.value)
        if office:
            self.kind.addItem(_("Signalen (vertrouwelijk, met persoonscodes)"), ExportKind.SIGNALS.value)
        form.addRow(self._buddy(_("&Wat"), self.kind), self.kind)
        self.format = QComboBox()
        self.format.setAccessibleName(_("Bestandsformaat"))
        self.format.addItem(_("Excel-werkmap (XLSX)"), ExportFormat.XLSX.value)
        self.format.addItem(_("CSV (tekst, komma's)"), ExportFormat.CSV.value)
        self.format.currentIndexChanged.connect(self._format_changed)
        form.addRow(self._buddy(_("&Formaat"), self.format), self.format)
        file_row = QHBoxLayout()
        self.file = QLineEdit(str(documents_folder() / "bezoeken.xlsx"))
        self.file.setAccessibleName(_("Doelbestand"))
        file_row.addWidget(self.file, 1)
        self.browse = QPushButton(_("&Bladeren…"))
        self.browse.setAccessibleName(_("Doelbestand kiezen"))
        self.browse.clicked.connect(self._choose)
        file_row.addWidget(self.browse)
        form.addRow(self._buddy(_("&Bestand"), self.file), file_row)
        self.status = QComboBox()
        self.status.setAccessibleName(_("Status"))
        self.status.addItem(_("alle"), None)
        for status, text in VISIT_STATUS_LABELS.items():
            self.status.addItem(text.get(), status.value)
        form.addRow(self._buddy(_("&Status"), self.status), self.status)
        self.location_type = QComboBox()
        self.location_type.setAccessibleName(_("Locatietype"))
        self.location_type.addItem(_("alle"), None)
        for location_type, text in LOCATION_TYPE_LABELS.items():
            self.location_type.addItem(text.get(), location_type.value)
        form.addRow(self._buddy(_("&Locatietype"), self.location_type), self.location_type)
        self.period = QCheckBox(_("Alleen in de &periode"))
        self.period.setAccessibleName(_("Alleen bezoeken in de periode"))
        today = municipal_today(policy_zone(app.db))
        self.since = QDateEdit(QDate(today.year(), 1, 1))
        self.until = QDateEdit(today.addDays(1))
        for edit, name in ((self.since, _("Vanaf datum")), (self.until, _("Tot datum (niet meegerekend)"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
            self.period.toggled.connect(edit.setEnabled)
        period_row = QHBoxLayout()
        period_row.addWidget(self.period)
        period_row.addWidget(self.since)
        period_row.addWidget(QLabel("–"))
        period_row.addWidget(self.until)
        form.addRow(period_row)
        self.has_high = QCheckBox(_("Alleen bezoeken met een signaal van &hoog gewicht"))
        self.has_high.setAccessibleName(_("Alleen bezoeken met een signaal van hoog gewicht"))
        form.addRow(self.has_high)
        layout.addLayout(form)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton(_("&Exporteren"))
        self.export_button.setAccessibleName(_("Exporteren"))
        self.export_button.setDefault(True)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._format_changed)
        self.resize(620, 360)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _format_changed(self) -> None:
        """Keep the file name's extension and stem in step with the choices."""
        current = Path(self.file.text().strip() or "export")
        stem = "signalen" if self.kind.currentData() == ExportKind.SIGNALS.value else "bezoeken"
        if current.stem in ("bezoeken", "signalen"):
            current = current.with_name(stem + current.suffix)
        self.file.setText(str(current.with_suffix("." + str(self.format.currentData()))))

    def _choose(self) -> None:
        fmt = str(self.format.currentData())
        chosen = save_file_name(
            self,
            self.app,
            "export",
            _("Export opslaan"),
            Path(self.file.text()).name,
            _("{kind}-bestanden (*.{suffix})", kind=fmt.upper(), suffix=fmt),
        )
        if chosen:
            self.file.setText(str(chosen))

    def visit_filter(self) -> VisitFilter:
        period = self.period.isChecked()
        return VisitFilter(
            status=self.status.currentData(),
            location_type=self.location_type.currentData(),
            has_high=self.has_high.isChecked(),
            since=self.since.date().toString("yyyy-MM-dd") if period else None,
            until=self.until.date().toString("yyyy-MM-dd") if period else None,
        )

    def export(self) -> Task[ExportResult]:
        """Start the export in the background; the outcome lands in `result` and the label."""
        target = Path(self.file.text().strip())
        fmt = ExportFormat(str(self.format.currentData()))
        kind = ExportKind(str(self.kind.currentData()))
        visit_filter = self.visit_filter()
        self.exported = None
        self.outcome.setText("")

        def job(app: AppContext, report: Progress) -> ExportResult:
            def progress(done: int, total: int) -> None:
                report(done, total, _("{done} van {total} regels geschreven", done=done, total=total))

            write = exports.export_signals if kind is ExportKind.SIGNALS else exports.export_visits
            return write(app, visit_filter, fmt, target, None, progress)

        self.task = run_task(
            self,
            self.app,
            _("Exporteren…"),
            job,
            on_done=self._done,
            on_error=lambda error: show_error(self, error, _("Niet geëxporteerd")),
            on_cancelled=lambda: self.outcome.setText(_("Geannuleerd; er is geen bestand geschreven.")),
        )
        return self.task

    def _done(self, result: ExportResult) -> None:
        self.exported = result
        self.outcome.setText(
            n_(
                "{count} regel geschreven naar {path}",
                "{count} regels geschreven naar {path}",
                result.rows,
                path=str(result.path),
            )
        )
