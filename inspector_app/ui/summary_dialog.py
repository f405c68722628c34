"""Save the annual summary (menu Overzicht): choose year, format and language, then the file.

The work (figures, charts, PDF/A finishing) runs off the UI thread with a progress dialog; the file
is written atomically by the service, so a cancelled or failed run leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from inspector_app.i18n import _, current_language
from inspector_app.services.app import AppContext
from inspector_app.services.clock import local_now
from inspector_app.ui.dialogs import save_file_name
from inspector_app.ui.tasks import Progress, Task, run_task, show_error


class SummaryDialog(QDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Jaaroverzicht opslaan"))
        form = QFormLayout(self)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year - 1 if today.month < 4 else today.year)  # Q1: last year's report
        self.year.setAccessibleName(_("Jaar"))
        self.format = QComboBox()
        self.format.setAccessibleName(_("Formaat"))
        self.format.addItem(_("PDF/A (voor raad en RIEC)"), "pdf")
        self.format.addItem(_("Spreadsheet (xlsx)"), "xlsx")
        self.language = QComboBox()
        self.language.setAccessibleName(_("Taal van het overzicht"))
        self.language.addItem("Nederlands", "nl")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(current_language()))
        form.addRow(_("&Jaar"), self.year)
        form.addRow(_("&Formaat"), self.format)
        form.addRow(_("&Taal"), self.language)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Verder…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def save_summary_dialog(parent: QWidget, app: AppContext) -> Task[Path] | None:
    """Ask, then write the summary in a worker; None when the user cancelled a step."""
    dialog = SummaryDialog(local_now(app.db).date(), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    year, fmt, lang = (
        dialog.year.value(),
        str(dialog.format.currentData()),
        str(dialog.language.currentData()),
    )
    name_filter = _("PDF-bestanden (*.pdf)") if fmt == "pdf" else _("Spreadsheets (*.xlsx)")
    path = save_file_name(
        parent, app, "summary", _("Jaaroverzicht opslaan"), f"jaaroverzicht-{year}.{fmt}", name_filter
    )
    if path is None:
        return None
    return start_summary(parent, app, year, fmt, lang, path)


def start_summary(parent: QWidget, app: AppContext, year: int, fmt: str, lang: str, path: Path) -> Task[Path]:
    def job(worker_app: AppContext, progress: Progress) -> Path:
        from inspector_app.services.summary import save_summary  # reportlab and openpyxl load on first use

        progress(0, 1, _("Jaaroverzicht maken…"))
        return save_summary(worker_app, year, fmt, path, lang)

    def done(written: Path) -> None:
        QMessageBox.information(
            parent, _("Jaaroverzicht opgeslagen"), _("Opgeslagen in {path}", path=written)
        )

    return run_task(
        parent,
        app,
        _("Jaaroverzicht"),
        job,
        label=_("Jaaroverzicht maken…"),
        on_done=done,
        on_error=lambda error: show_error(parent, error, _("Jaaroverzicht niet opgeslagen")),
    )
