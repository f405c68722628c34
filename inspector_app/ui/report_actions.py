"""Make, preview and save the PDF documents of a visit, one at a time or in a batch with progress.

A single document takes a fraction of a second and is made on the spot; a batch runs in a worker
thread with its own database connection (SQLite connections belong to one thread), shows progress
and can be cancelled. Files are written atomically by the service: complete or absent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QStandardPaths, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from inspector_app.errors import AppError
from inspector_app.i18n import _, current_language
from inspector_app.reports.labels import REPORT_KIND_LABELS
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext, opened_app
from inspector_app.services.visits import open_visit


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class ReportBatchWorker(QThread):
    """Renders documents for many visits off the UI thread."""

    progressed = Signal(int, int, str)
    failed = Signal(str)

    def __init__(
        self, data_dir: Path, visit_ids: list[str], out_dir: Path, kind: ReportKind, lang: str
    ) -> None:
        super().__init__()
        self.data_dir, self.visit_ids, self.out_dir, self.kind, self.lang = (
            data_dir,
            visit_ids,
            out_dir,
            kind,
            lang,
        )
        self.written: list[Path] = []

    def run(self) -> None:
        from inspector_app.services.reports import render_selection  # reportlab loads on first use

        try:
            with opened_app(self.data_dir) as app:
                self.written = render_selection(
                    app,
                    self.visit_ids,
                    self.out_dir,
                    self.kind,
                    self.lang,
                    progress=lambda done, total, name: self.progressed.emit(done, total, name),
                    should_stop=self.isInterruptionRequested,
                )
        except AppError as error:
            self.failed.emit(error.message)


class ReportActions:
    """The report commands of the main window."""

    def __init__(self, app: AppContext, parent: QWidget) -> None:
        self.app = app
        self.parent = parent
        self.open_after_saving = True

    def save_one(self, visit_id: str, kind: ReportKind, target: Path | None = None) -> Path | None:
        """Ask where to save (unless `target` is given), write the PDF and open it for preview."""
        from inspector_app.services.reports import report_file_name, save_report  # reportlab on first use

        try:
            session = open_visit(self.app, visit_id)
            if target is None:
                suggested = documents_folder() / report_file_name(session, kind)
                chosen, _filter = QFileDialog.getSaveFileName(
                    self.parent, REPORT_KIND_LABELS[kind].get(), str(suggested), _("PDF-bestanden (*.pdf)")
                )
                if not chosen:
                    return None
                target = Path(chosen)
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            try:
                path = save_report(session, target, kind, current_language())
            finally:
                QApplication.restoreOverrideCursor()
        except AppError as error:
            QMessageBox.warning(self.parent, _("Rapport niet gemaakt"), error.message)
            return None
        if self.open_after_saving:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def batch(self, visit_ids: list[str], kind: ReportKind, out_dir: Path | None = None) -> list[Path]:
        """Documents for several visits into one folder, with progress and cancel."""
        if not visit_ids:
            QMessageBox.information(self.parent, _("Geen bezoeken"), _("Kies eerst een of meer bezoeken."))
            return []
        if out_dir is None:
            chosen = QFileDialog.getExistingDirectory(
                self.parent, _("Map voor de rapporten"), str(documents_folder())
            )
            if not chosen:
                return []
            out_dir = Path(chosen)
        worker = ReportBatchWorker(self.app.paths.data_dir, visit_ids, out_dir, kind, current_language())
        dialog = QProgressDialog(_("Rapporten maken…"), _("Annuleren"), 0, len(visit_ids), self.parent)
        dialog.setWindowTitle(REPORT_KIND_LABELS[kind].get())
        dialog.setMinimumDuration(300)
        errors: list[str] = []

        def show_progress(done: int, _total: int, name: str) -> None:
            dialog.setValue(done)
            dialog.setLabelText(name)

        worker.progressed.connect(show_progress)
        worker.failed.connect(errors.append)
        dialog.canceled.connect(worker.requestInterruption)
        worker.finished.connect(dialog.reset)
        loop = QEventLoop()
        worker.finished.connect(loop.quit)
        worker.start()
        loop.exec()  # the window stays responsive; the dialog's Cancel asks the worker to stop
        worker.wait()
        dialog.close()
        if errors:
            QMessageBox.warning(self.parent, _("Rapporten niet gemaakt"), errors[0])
        else:
            QMessageBox.information(
                self.parent,
                _("Rapporten gemaakt"),
                _("{count} rapport(en) opgeslagen in {folder}", count=len(worker.written), folder=out_dir),
            )
        return worker.written
