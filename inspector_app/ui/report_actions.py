"""Make, preview and save the PDF documents of a visit, one at a time or in a batch with progress.

A single document takes a fraction of a second and is made on the spot; a batch runs as a background
task (`ui.tasks.run_task`) with its own database connection, shows progress and can be cancelled.
Files are written atomically by the service: complete or absent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from inspector_app.errors import AppError
from inspector_app.i18n import _, current_language, n_
from inspector_app.reports.labels import REPORT_KIND_LABELS
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import AppContext
from inspector_app.services.visits import open_visit
from inspector_app.ui.dialogs import existing_folder, save_file_name
from inspector_app.ui.tasks import Progress, Task, run_task, show_error


class ReportActions:
    """The report commands of the main window."""

    def __init__(self, app: AppContext, parent: QWidget) -> None:
        self.app = app
        self.parent = parent
        self.open_after_saving = True
        self.discreet = False  # discreet mode: saved, but not opened for preview on the screen
        self.written: list[Path] = []
        self.notice: QMessageBox | None = None  # the latest "saved as" note (tests press its buttons)

    def save_one(self, visit_id: str, kind: ReportKind, target: Path | None = None) -> Path | None:
        """Ask where to save (unless `target` is given), write the PDF and open it for preview."""
        from inspector_app.services.documents.render import (  # reportlab on first use
            report_file_name,
            save_report,
        )

        try:
            session = open_visit(self.app, visit_id)
            if target is None:
                chosen = save_file_name(
                    self.parent,
                    self.app,
                    "report",
                    REPORT_KIND_LABELS[kind].get(),
                    report_file_name(session, kind),
                    _("PDF-bestanden (*.pdf)"),
                )
                if chosen is None:
                    return None
                target = chosen
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            try:
                path = save_report(session, target, kind, current_language())
            finally:
                QApplication.restoreOverrideCursor()
        except AppError as error:
            QMessageBox.warning(self.parent, _("Rapport niet gemaakt"), error.message)
            return None
        preview = self.open_after_saving and not self.discreet  # discreet: never on the screen
        viewer = preview and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.announce_saved(path, viewer_failed=preview and not viewer)
        return path

    def announce_saved(self, path: Path, viewer_failed: bool) -> QMessageBox:
        """Say where the PDF went and offer its folder: without a PDF viewer this is the only way to it."""
        lines = [_("Het document is opgeslagen als:"), str(path)]
        if self.discreet:
            lines.append(
                _("Het rapport is opgeslagen. In discrete modus wordt het niet op het scherm geopend.")
            )
        if viewer_failed:
            lines.append(
                _(
                    "Er is geen programma gevonden dat PDF-bestanden opent. Open de map om het bestand te vinden."
                )
            )
        return self._announce(lines, path.parent, prefer_folder=viewer_failed)

    def _announce(self, lines: list[str], folder_path: Path, prefer_folder: bool) -> QMessageBox:
        """A note with 'Map openen'. Window-modal but not blocking (`open`, not `exec`): the viewer, when
        there is one, stays usable beside it. The text is selectable so a path can be copied."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Rapport opgeslagen"),
            "\n\n".join(lines),
            QMessageBox.StandardButton.NoButton,
            self.parent,
        )
        folder = box.addButton(_("Map openen"), QMessageBox.ButtonRole.ActionRole)
        close = box.addButton(_("Sluiten"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(folder if prefer_folder else close)
        box.setEscapeButton(close)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.open_folder(folder_path) if button is folder else None)
        box.open()
        self.notice = box
        return box

    def set_zaak(self, visit_id: str, number: str | None = None, zaaktype: str | None = None) -> bool:
        """Record the zaak a visit is filed under; asks for number and type unless given."""
        from inspector_app.services.documents.zaak import load_zaak, set_zaak

        try:
            session = open_visit(self.app, visit_id)
            current = load_zaak(session)
            if number is None:
                number, ok = QInputDialog.getText(
                    self.parent,
                    _("Zaaknummer"),
                    _("Zaaknummer uit het zaaksysteem (bijv. Z-2026-000123):"),
                    text=current.zaaknummer if current else "",
                )
                if not ok:
                    return False
            if zaaktype is None:
                zaaktype, ok = QInputDialog.getText(
                    self.parent,
                    _("Zaaktype"),
                    _("Zaaktype (mag leeg blijven):"),
                    text=current.zaaktype if current else "",
                )
                if not ok:
                    return False
            set_zaak(session, number, zaaktype)
        except AppError as error:
            QMessageBox.warning(self.parent, _("Zaaknummer niet vastgelegd"), error.message)
            return False
        return True

    def dms_export(self, visit_id: str, out_dir: Path | None = None) -> Path | None:
        """Write the visit's documents as PDF/A with metadata.json for the DMS, then say where."""
        from inspector_app.services.documents.dms import export_for_dms  # reportlab on first use

        if out_dir is None:
            out_dir = existing_folder(self.parent, self.app, "report", _("Map voor de DMS-export"))
            if out_dir is None:
                return None
        try:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            try:
                folder = export_for_dms(open_visit(self.app, visit_id), out_dir, current_language())
            finally:
                QApplication.restoreOverrideCursor()
        except AppError as error:
            QMessageBox.warning(self.parent, _("DMS-export niet gemaakt"), error.message)
            return None
        lines = [_("De documenten en metadata.json voor het DMS staan in:"), str(folder)]
        self._announce(lines, folder, prefer_folder=True)
        return folder

    def open_folder(self, folder: Path) -> bool:
        """Open the folder in the file manager; when none opens, say where it is instead of nothing."""
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        QMessageBox.warning(
            self.parent,
            _("Map niet geopend"),
            _("De map kon niet worden geopend. Het bestand staat in {folder}", folder=folder),
        )
        return False

    def batch(
        self, visit_ids: list[str], kind: ReportKind, out_dir: Path | None = None
    ) -> Task[list[Path]] | None:
        """Start documents for several visits into one folder, with progress and cancel.

        Returns the running task (None when nothing was started); the files land in `written`.
        Cancelling keeps the documents already written and reports them like a finished batch.
        """
        self.written = []
        if not visit_ids:
            QMessageBox.information(self.parent, _("Geen bezoeken"), _("Kies eerst een of meer bezoeken."))
            return None
        if out_dir is None:
            chosen = existing_folder(self.parent, self.app, "report", _("Map voor de rapporten"))
            if chosen is None:
                return None
            out_dir = chosen
        folder, lang = out_dir, current_language()

        def job(app: AppContext, progress: Progress) -> list[Path]:
            from inspector_app.services.documents.render import (
                render_selection,  # reportlab loads on first use
            )

            return render_selection(
                app,
                visit_ids,
                folder,
                kind,
                lang,
                progress=lambda done, total, name: progress.emit(done, total, name),
                should_stop=progress.stop_requested,
            )

        def done(written: list[Path]) -> None:
            self.written = written
            QMessageBox.information(
                self.parent,
                _("Rapporten gemaakt"),
                n_(
                    "{count} rapport opgeslagen in {folder}",
                    "{count} rapporten opgeslagen in {folder}",
                    len(written),
                    folder=folder,
                ),
            )

        return run_task(
            self.parent,
            self.app,
            REPORT_KIND_LABELS[kind].get(),
            job,
            label=_("Rapporten maken…"),
            on_done=done,
            on_error=lambda error: show_error(self.parent, error, _("Rapporten niet gemaakt")),
        )
