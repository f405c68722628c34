"""Exchange with the office by file: export a bundle, import bundles with a report, receipts, the menu.

Export and import run in a worker thread with their own database connection (SQLite connections
belong to one thread), with progress and cancel. Cancelling an export stops before the file is
written; cancelling an import stops between files (each file is imported completely or not at all).
Every dialog takes preset paths (`target`, `add_paths`, ...) so tests never open a file chooser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.labels import label_text
from inspector_app.domain.model import ExportStage, ImportOutcome
from inspector_app.errors import AppError
from inspector_app.i18n import _, n_
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.clock import policy_zone
from inspector_app.ui.dialogs import existing_folder, open_file_name, open_file_names, save_file_name
from inspector_app.ui.tasks import Progress, Task, documents_folder, run_task, show_error

# ------------------------------------------------------------------------------------------ export


class ExportDialog(QDialog):
    """Laptop: write one bundle with everything the office has not confirmed, or the chosen visits."""

    def __init__(self, app: AppContext, selected: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.selected = app, selected
        self.setWindowTitle(_("Bundel voor het kantoor maken"))
        self.all_button = QRadioButton(_("&Alles wat het kantoor nog niet heeft bevestigd"))
        self.selected_button = QRadioButton(_("Alleen de &gekozen bezoeken ({count})", count=len(selected)))
        self.all_button.setChecked(True)
        self.selected_button.setEnabled(bool(selected))
        self.folder = QLineEdit(str(documents_folder()))
        choose = QPushButton(_("&Kiezen…"))
        choose.clicked.connect(self._choose)
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button = buttons.addButton(_("&Exporteren"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.all_button)
        layout.addWidget(self.selected_button)
        where = QLabel(_("&Map of bestand (USB-stick, gedeelde map):"))
        where.setBuddy(self.folder)
        layout.addWidget(where)
        layout.addLayout(row)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.resize(560, 0)
        self.exported: exchange_service.ExportResult | None = None

    def _choose(self) -> None:
        chosen = existing_folder(self, self.app, "bundle", _("Map voor de bundel"))
        if chosen:
            self.folder.setText(str(chosen))

    def export(self) -> Task[exchange_service.ExportResult | None]:
        """Start writing the bundle in the background; the outcome lands in `exported` and the label."""
        target = Path(self.folder.text().strip() or ".")
        visit_ids = self.selected if self.selected_button.isChecked() else None
        self.exported = None

        def job(app: AppContext, report: Progress) -> exchange_service.ExportResult | None:
            def progress(stage: str, done: int, total: int) -> None:
                if stage != "done":  # after "done" the file exists: too late to cancel
                    report(done, total, label_text(ExportStage, stage))

            return exchange_service.export(app, target, visit_ids, progress)

        def failed(error: Exception) -> None:
            self.outcome.setText("")
            show_error(self, error, _("Geen bundel gemaakt"))

        return run_task(
            self,
            self.app,
            _("Bundel maken…"),
            job,
            on_done=self._exported,
            on_error=failed,
            on_cancelled=lambda: self.outcome.setText(_("Geannuleerd; er is geen bundel geschreven.")),
        )

    def _exported(self, result: exchange_service.ExportResult | None) -> None:
        if result is None:
            self.outcome.setText(_("Er is niets nieuws voor het kantoor; er is geen bundel geschreven."))
            return
        self.exported = result
        self.outcome.setText(
            _(
                "Bundel opgeslagen: {file}\n{visits}, {photos}\nVingerafdruk: {fingerprint}",
                file=result.path,
                visits=n_("{count} bezoek", "{count} bezoeken", result.visits),
                photos=n_("{count} foto", "{count} foto's", result.photos),
                fingerprint=keys_service.short_fingerprint(result.file_sha256),
            )
        )


# ------------------------------------------------------------------------------------------ import

REPORT_HEADERS = [
    "Bestand", "Resultaat", "Nieuw", "Bijgewerkt", "Samengevoegd", "Al aanwezig", "Conflicten", "Reden"
]  # fmt: skip


class ImportDialog(QDialog):
    """Import bundles (files, a folder, or dropped here) and show the report.

    What is read follows the installation's role (`exchange_service.import_any`): field bundles at the
    office, the office's reference bundles on a laptop.
    """

    conflicts_requested = Signal()

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.suffix = exchange_service.import_suffix(app)
        self.setWindowTitle(_("Bundels inlezen"))
        self.setAcceptDrops(True)
        hint = QLabel(
            _(
                "Kies bundelbestanden (*{suffix}) of een map, of sleep ze naar dit venster.",
                suffix=self.suffix,
            )
        )
        self.files = QListWidget()
        self.files.setAccessibleName(_("Te lezen bestanden"))
        add_files = QPushButton(_("&Bestanden…"))
        add_files.clicked.connect(self._choose_files)
        add_folder = QPushButton(_("&Map…"))
        add_folder.clicked.connect(self._choose_folder)
        clear = QPushButton(_("Lijst &leegmaken"))
        clear.clicked.connect(self.files.clear)
        self.import_button = QPushButton(_("&Inlezen"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        row = QHBoxLayout()
        for button in (add_files, add_folder, clear):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.import_button)
        self.summary = QLabel("")
        self.table = QTableWidget(0, len(REPORT_HEADERS))
        self.table.setHorizontalHeaderLabels([_(h) for h in REPORT_HEADERS])
        self.table.setAccessibleName(_("Inleesrapport"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(REPORT_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        self.conflicts_button = buttons.addButton(
            _("&Conflicten bekijken…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.conflicts_button.setVisible(False)
        self.conflicts_button.clicked.connect(self.conflicts_requested.emit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.files, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 2)
        layout.addWidget(buttons)
        self.resize(900, 560)
        self.reports: list[exchange_service.BundleReport] = []

    def add_paths(self, paths: list[Path]) -> None:
        present = {self.files.item(i).text() for i in range(self.files.count())}
        for path in exchange_service.bundle_files(paths, (self.suffix,)):
            if str(path) not in present:
                self.files.addItem(str(path))
                present.add(str(path))

    def _choose_files(self) -> None:
        chosen = open_file_names(
            self,
            self.app,
            "bundle",
            _("Bundels kiezen"),
            _("Bundels (*{suffix});;Alle bestanden (*)", suffix=self.suffix),
        )
        self.add_paths(chosen)

    def _choose_folder(self) -> None:
        chosen = existing_folder(self, self.app, "bundle", _("Map met bundels"))
        if chosen:
            self.add_paths([chosen])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        self.add_paths([p for p in paths if p.is_dir() or p.suffix.lower() == self.suffix])
        event.acceptProposedAction()

    def run_import(self) -> Task[list[exchange_service.BundleReport]] | None:
        """Start importing the listed files in the background; the report is shown when it ends."""
        files = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        if not files:
            QMessageBox.information(self, _("Geen bestanden"), _("Kies eerst een of meer bundels."))
            return None
        done: list[exchange_service.BundleReport] = []

        def job(app: AppContext, report: Progress) -> list[exchange_service.BundleReport]:
            for index, path in enumerate(files):
                report(index, len(files), path.name)
                done.extend(exchange_service.import_any(app, [path]))
            report(len(files), len(files), "")
            return done

        def failed(error: Exception) -> None:
            self.show_report(done)
            show_error(self, error, _("Inlezen gestopt"))

        def cancelled() -> None:
            self.show_report(done)
            self.summary.setText(
                self.summary.text() + " " + _("Geannuleerd; de overige bestanden zijn niet ingelezen.")
            )

        return run_task(
            self,
            self.app,
            _("Bundels inlezen…"),
            job,
            on_done=self.show_report,
            on_error=failed,
            on_cancelled=cancelled,
        )

    def show_report(self, reports: list[exchange_service.BundleReport]) -> None:
        self.reports = reports
        conflicts = 0
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            result = ("✔ " if report.ok else "✖ ") + label_text(ImportOutcome, report.status)
            if isinstance(report, exchange_service.ReferenceReport):
                # A laptop's reference bundle has no visits to count; say what it installed instead.
                installed = _(
                    "{forms}, {locations}, {history}",
                    forms=n_("{count} checklistbestand", "{count} checklistbestanden", len(report.forms)),
                    locations=n_("{count} locatie", "{count} locaties", report.locations),
                    history=n_("{count} eerder signaal", "{count} eerdere signalen", report.history),
                )
                if report.visits_updated:
                    installed += ", " + n_(
                        "{count} bezoek bijgewerkt door het kantoor",
                        "{count} bezoeken bijgewerkt door het kantoor",
                        len(report.visits_updated),
                    )
                if report.visits_kept:
                    installed += ", " + n_(
                        "{count} bezoek hier intussen gewijzigd (eigen versie bewaard)",
                        "{count} bezoeken hier intussen gewijzigd (eigen versie bewaard)",
                        len(report.visits_kept),
                    )
                counts = ["–"] * 5
                reason = installed if report.status == "imported" else report.reason
            else:
                conflicts += len(report.conflicts)
                counts = [
                    str(len(report.new)),
                    str(len(report.updated)),
                    str(len(report.merged)),
                    str(len(report.already_present)),
                    str(len(report.conflicts)),
                ]
                reason = (
                    report.reason
                    if report.status != "imported"
                    else report.attention_text(policy_zone(self.app.db))
                )
            values = [report.file, result, *counts, reason]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        rejected = sum(1 for r in reports if not r.ok)
        self.summary.setText(
            _(
                "{files}: {ok} in orde, {rejected} geweigerd, {conflicts}.",
                files=n_("{count} bestand", "{count} bestanden", len(reports)),
                ok=len(reports) - rejected,
                rejected=rejected,
                conflicts=n_("{count} conflict", "{count} conflicten", conflicts),
            )
        )
        self.conflicts_button.setVisible(conflicts > 0)


# ----------------------------------------------------------------------------------------- receipts


def write_receipt(app: AppContext, parent: QWidget, target: Path | None = None) -> Path | None:
    """Office: save a signed receipt of everything imported, for the laptops."""
    if target is None:
        chosen = save_file_name(
            parent,
            app,
            "receipt",
            _("Ontvangstbewijs opslaan"),
            "ontvangstbewijs.json",
            _("Ontvangstbewijzen (*.json)"),
        )
        if not chosen:
            return None
        target = Path(chosen)
    try:
        path = exchange_service.write_receipt(app, target)
    except (AppError, OSError) as error:
        message = error.message if isinstance(error, AppError) else str(error)
        QMessageBox.warning(parent, _("Geen ontvangstbewijs gemaakt"), message)
        return None
    QMessageBox.information(parent, _("Ontvangstbewijs"), _("Ontvangstbewijs opgeslagen: {file}", file=path))
    return path


def write_reference(app: AppContext, parent: QWidget, target: Path | None = None) -> Path | None:
    """Office: write a reference bundle (`.ifr`) into a folder, for every registered laptop: the
    checklists, the register, earlier signals, and the laptops' visits with the office's revisions."""
    if target is None:
        target = existing_folder(parent, app, "reference", _("Map voor de referentiebundel kiezen"))
        if target is None:
            return None
    try:
        written = exchange_service.write_reference(app, target)
    except (AppError, OSError) as error:
        message = error.message if isinstance(error, AppError) else str(error)
        QMessageBox.warning(parent, _("Geen referentiebundel gemaakt"), message)
        return None
    text = " ".join(exchange_service.written_reference_sentences(*written))
    QMessageBox.information(parent, _("Referentiebundel"), text)
    return written[0]


class ApplyReceiptDialog(QDialog):
    """Laptop: read the office's receipt; optionally remove acknowledged, finalized old visits."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(_("Ontvangstbewijs verwerken"))
        self.path = QLineEdit()
        self.path.setAccessibleName(_("Bestand met het ontvangstbewijs"))
        choose = QPushButton(_("&Kiezen…"))
        choose.clicked.connect(self._choose)
        self.purge = QCheckBox(_("Daarna bevestigde, definitieve bezoeken van deze laptop &verwijderen"))
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setValue(30)
        self.days.setSuffix(_(" dagen"))
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        path_label = QLabel(_("&Ontvangstbewijs:"))
        path_label.setBuddy(self.path)  # a label beside a layout gets no buddy: the "&" showed as such
        form.addRow(path_label, row)
        form.addRow(self.purge)
        form.addRow(_("&Bewaren na definitief:"), self.days)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        apply = buttons.addButton(_("&Verwerken"), QDialogButtonBox.ButtonRole.ActionRole)
        apply.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def _choose(self) -> None:
        chosen = open_file_name(
            self, self.app, "receipt", _("Ontvangstbewijs kiezen"), _("Ontvangstbewijzen (*.json)")
        )
        if chosen:
            self.path.setText(str(chosen))

    def apply(self) -> bool:
        try:
            result = exchange_service.apply_receipt(self.app, Path(self.path.text().strip()))
            purged = exchange_service.purge(self.app, self.days.value()) if self.purge.isChecked() else []
        except (AppError, OSError) as error:
            message = error.message if isinstance(error, AppError) else str(error)
            QMessageBox.warning(self, _("Ontvangstbewijs niet verwerkt"), message)
            return False
        text = _(
            "{visits} in {bundles} bevestigd door het kantoor.",
            visits=n_("{count} bezoek", "{count} bezoeken", result.visits),
            bundles=n_("{count} bundel", "{count} bundels", result.bundles),
        )
        if self.purge.isChecked():
            text += " " + n_(
                "{count} bezoek van deze laptop verwijderd.",
                "{count} bezoeken van deze laptop verwijderd.",
                len(purged),
            )
        self.outcome.setText(text)
        return True


# --------------------------------------------------------------------------------------------- menu


def install_sync_menu(window: Any, menu: QMenu) -> None:
    """The Exchange menu of the main window (`window` is the MainWindow)."""
    from inspector_app.ui.location_proposals import LocationProposalsDialog
    from inspector_app.ui.sync_conflicts import ConflictsDialog
    from inspector_app.ui.sync_keys import KeysDialog

    def action(text: str, shortcut: str, slot: Callable[[], object]) -> None:
        item = QAction(text, window)
        if shortcut:
            item.setShortcut(QKeySequence(shortcut))
        item.triggered.connect(slot)
        menu.addAction(item)

    def export() -> None:
        ExportDialog(window.app, window.visit_list.selected_visit_ids(), window).exec()
        window.visit_list.refresh()

    def conflicts() -> None:
        ConflictsDialog(window.app, window).exec()
        window.visit_list.refresh()

    def import_() -> None:
        dialog = ImportDialog(window.app, window)
        dialog.conflicts_requested.connect(conflicts)
        dialog.exec()
        window.visit_list.refresh()

    def apply_receipt() -> None:
        ApplyReceiptDialog(window.app, window).exec()
        window.visit_list.refresh()

    action(_("Bundel voor het kantoor &maken…"), "Ctrl+E", export)
    action(_("Ontvangstbewijs &verwerken…"), "", apply_receipt)
    action(_("&Referentiebundel van het kantoor inlezen…"), "", import_)
    menu.addSeparator()
    action(_("Bundels &inlezen…"), "Ctrl+I", import_)
    action(_("&Conflicten oplossen…"), "", conflicts)
    action(
        _("&Locatievoorstellen van laptops…"), "", lambda: LocationProposalsDialog(window.app, window).exec()
    )
    action(_("&Ontvangstbewijs maken…"), "", lambda: write_receipt(window.app, window))
    action(_("Referentiebundel voor de &laptops schrijven…"), "", lambda: write_reference(window.app, window))
    menu.addSeparator()
    action(_("&Sleutels en inschrijving…"), "", lambda: KeysDialog(window.app, window).exec())
