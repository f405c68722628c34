"""Exchange with the office by file: export a bundle, import bundles with a report, receipts, the menu.

Export and import run in a worker thread with their own database connection (SQLite connections
belong to one thread), with progress and cancel. Cancelling an export stops before the file is
written; cancelling an import stops between files (each file is imported completely or not at all).
Every dialog takes preset paths (`target`, `add_paths`, ...) so tests never open a file chooser.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QProgressDialog,
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
from inspector_app.i18n import _
from inspector_app.services import sync as sync_service
from inspector_app.services.app import AppContext, opened_app
from inspector_app.ui.report_actions import documents_folder

if TYPE_CHECKING:
    from inspector_app.sync.export import ExportResult

BUNDLE_SUFFIX = ".ifb"


class CancelledError(Exception):
    """The user pressed Cancel; raised from a progress callback to stop the work."""


def short_fingerprint(hex_digest: str) -> str:
    head = hex_digest[:20].upper()
    return " ".join(head[i : i + 4] for i in range(0, 20, 4))


class SyncWorker(QThread):
    """Runs `job(app, report)` off the UI thread; `report(done, total, text)` may raise CancelledError."""

    progressed = Signal(int, int, str)

    def __init__(
        self, data_dir: Path, job: Callable[[AppContext, Callable[[int, int, str], None]], Any]
    ) -> None:
        super().__init__()
        self.data_dir, self.job = data_dir, job
        self.result: Any = None
        self.error = ""
        self.cancelled = False

    def report(self, done: int, total: int, text: str) -> None:
        if self.isInterruptionRequested():
            raise CancelledError
        self.progressed.emit(done, total, text)

    def run(self) -> None:
        try:
            with opened_app(self.data_dir) as app:
                self.result = self.job(app, self.report)
        except CancelledError:
            self.cancelled = True
        except AppError as error:
            self.error = error.message
        except OSError as error:
            self.error = _("Het bestand of de map kan niet worden gebruikt: {error}", error=error)


def run_with_progress(parent: QWidget, title: str, worker: SyncWorker) -> SyncWorker:
    """Start the worker, show progress with Cancel, keep the window responsive, wait for the end."""
    dialog = QProgressDialog(title, _("Annuleren"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)

    def show(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(text)

    worker.progressed.connect(show)
    dialog.canceled.connect(worker.requestInterruption)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    loop.exec()
    worker.wait()
    dialog.reset()
    dialog.close()
    return worker


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
        self.exported: ExportResult | None = None

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Map voor de bundel"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def export(self) -> ExportResult | None:
        target = Path(self.folder.text().strip() or ".")
        visit_ids = self.selected if self.selected_button.isChecked() else None

        def job(app: AppContext, report: Callable[[int, int, str], None]) -> tuple[Any, str]:
            def progress(stage: str, done: int, total: int) -> None:
                if stage != "done":  # after "done" the file exists: too late to cancel
                    report(done, total, label_text(ExportStage, stage))

            result = sync_service.export(app, target, visit_ids, progress)
            digest = hashlib.sha256(result.path.read_bytes()).hexdigest() if result else ""
            return result, digest

        worker = run_with_progress(self, _("Bundel maken…"), SyncWorker(self.app.paths.data_dir, job))
        if worker.cancelled:
            self.outcome.setText(_("Geannuleerd; er is geen bundel geschreven."))
            return None
        if worker.error:
            self.outcome.setText("")
            QMessageBox.warning(self, _("Geen bundel gemaakt"), worker.error)
            return None
        result: ExportResult | None = worker.result[0]
        digest: str = worker.result[1]
        if result is None:
            self.outcome.setText(_("Er is niets nieuws voor het kantoor; er is geen bundel geschreven."))
            return None
        self.exported = result
        self.outcome.setText(
            _(
                "Bundel opgeslagen: {file}\n{visits} bezoek(en), {photos} foto('s)\nVingerafdruk: {fingerprint}",
                file=result.path,
                visits=result.visits,
                photos=result.photos,
                fingerprint=short_fingerprint(digest),
            )
        )
        return result


# ------------------------------------------------------------------------------------------ import

REPORT_HEADERS = ["Bestand", "Resultaat", "Nieuw", "Bijgewerkt", "Al aanwezig", "Conflicten", "Reden"]


def bundle_files(paths: list[Path]) -> list[Path]:
    """Files as given, and the bundle files (*.ifb) inside given folders, without duplicates."""
    found: list[Path] = []
    for path in paths:
        items = (
            sorted(p for p in path.iterdir() if p.suffix.lower() == BUNDLE_SUFFIX)
            if path.is_dir()
            else [path]
        )
        found.extend(p for p in items if p not in found)
    return found


class ImportDialog(QDialog):
    """Office: import one or many bundles (files, a folder, or dropped here) and show the report."""

    conflicts_requested = Signal()

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(_("Bundels inlezen"))
        self.setAcceptDrops(True)
        hint = QLabel(_("Kies bundelbestanden (*.ifb) of een map, of sleep ze naar dit venster."))
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
        self.reports: list[Any] = []

    def add_paths(self, paths: list[Path]) -> None:
        present = {self.files.item(i).text() for i in range(self.files.count())}
        for path in bundle_files(paths):
            if str(path) not in present:
                self.files.addItem(str(path))
                present.add(str(path))

    def _choose_files(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self, _("Bundels kiezen"), str(documents_folder()), _("Bundels (*.ifb);;Alle bestanden (*)")
        )
        self.add_paths([Path(c) for c in chosen])

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Map met bundels"), str(documents_folder()))
        if chosen:
            self.add_paths([Path(chosen)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        self.add_paths([p for p in paths if p.is_dir() or p.suffix.lower() == BUNDLE_SUFFIX])
        event.acceptProposedAction()

    def run_import(self) -> list[Any]:
        files = [Path(self.files.item(i).text()) for i in range(self.files.count())]
        if not files:
            QMessageBox.information(self, _("Geen bestanden"), _("Kies eerst een of meer bundels."))
            return []
        done: list[Any] = []

        def job(app: AppContext, report: Callable[[int, int, str], None]) -> list[Any]:
            for index, path in enumerate(files):
                report(index, len(files), path.name)
                done.extend(sync_service.import_files(app, [path]))
            report(len(files), len(files), "")
            return done

        worker = run_with_progress(self, _("Bundels inlezen…"), SyncWorker(self.app.paths.data_dir, job))
        self.show_report(done)
        if worker.error:
            QMessageBox.warning(self, _("Inlezen gestopt"), worker.error)
        elif worker.cancelled:
            self.summary.setText(
                self.summary.text() + " " + _("Geannuleerd; de overige bestanden zijn niet ingelezen.")
            )
        return done

    def show_report(self, reports: list[Any]) -> None:
        self.reports = reports
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            values = [
                report.file,
                ("✔ " if report.ok else "✖ ") + label_text(ImportOutcome, report.status),
                str(len(report.new)),
                str(len(report.updated)),
                str(len(report.already_present)),
                str(len(report.conflicts)),
                report.reason if report.status != "imported" else "",
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        rejected = sum(1 for r in reports if not r.ok)
        conflicts = sum(len(r.conflicts) for r in reports)
        self.summary.setText(
            _(
                "{count} bestand(en): {ok} in orde, {rejected} geweigerd, {conflicts} conflict(en).",
                count=len(reports),
                ok=len(reports) - rejected,
                rejected=rejected,
                conflicts=conflicts,
            )
        )
        self.conflicts_button.setVisible(conflicts > 0)


# ----------------------------------------------------------------------------------------- receipts


def write_receipt(app: AppContext, parent: QWidget, target: Path | None = None) -> Path | None:
    """Office: save a signed receipt of everything imported, for the laptops."""
    if target is None:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent,
            _("Ontvangstbewijs opslaan"),
            str(documents_folder() / "ontvangstbewijs.json"),
            _("Ontvangstbewijzen (*.json)"),
        )
        if not chosen:
            return None
        target = Path(chosen)
    try:
        path = sync_service.write_receipt(app, target)
    except (AppError, OSError) as error:
        message = error.message if isinstance(error, AppError) else str(error)
        QMessageBox.warning(parent, _("Geen ontvangstbewijs gemaakt"), message)
        return None
    QMessageBox.information(parent, _("Ontvangstbewijs"), _("Ontvangstbewijs opgeslagen: {file}", file=path))
    return path


class ApplyReceiptDialog(QDialog):
    """Laptop: read the office's receipt; optionally remove acknowledged, finalized old visits."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(_("Ontvangstbewijs verwerken"))
        self.path = QLineEdit()
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
        form.addRow(_("&Ontvangstbewijs:"), row)
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
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Ontvangstbewijs kiezen"), str(documents_folder()), _("Ontvangstbewijzen (*.json)")
        )
        if chosen:
            self.path.setText(chosen)

    def apply(self) -> bool:
        try:
            result = sync_service.apply_receipt(self.app, Path(self.path.text().strip()))
            purged = sync_service.purge(self.app, self.days.value()) if self.purge.isChecked() else []
        except (AppError, OSError) as error:
            message = error.message if isinstance(error, AppError) else str(error)
            QMessageBox.warning(self, _("Ontvangstbewijs niet verwerkt"), message)
            return False
        text = _(
            "{visits} bezoek(en) in {bundles} bundel(s) bevestigd door het kantoor.",
            visits=result.visits,
            bundles=result.bundles,
        )
        if self.purge.isChecked():
            text += " " + _("{count} bezoek(en) van deze laptop verwijderd.", count=len(purged))
        self.outcome.setText(text)
        return True


# --------------------------------------------------------------------------------------------- menu


def install_sync_menu(window: Any, menu: QMenu) -> None:
    """The Exchange menu of the main window (`window` is the MainWindow)."""
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
    menu.addSeparator()
    action(_("Bundels &inlezen…"), "Ctrl+I", import_)
    action(_("&Conflicten oplossen…"), "", conflicts)
    action(_("&Ontvangstbewijs maken…"), "", lambda: write_receipt(window.app, window))
    menu.addSeparator()
    action(_("&Sleutels en inschrijving…"), "", lambda: KeysDialog(window.app, window).exec())
