"""Dialogs of the shell: first run (profile, contact person, real or practice), settings, and the file choosers.

The file choosers (`open_file_name`, `open_file_names`, `save_file_name`, `existing_folder`) are
Qt's own dialog, not the platform's: that one follows the app's language through the Qt
translation (a native dialog stayed half English), and each kind of file (photo, bundle, report,
receipt, key) starts in the folder last used for it, else Documents, always a folder that exists.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.errors import AppError
from inspector_app.i18n import _, set_language
from inspector_app.paths import app_paths, choose_data_dir, data_dir_is_overridden
from inspector_app.services.app import AppContext
from inspector_app.ui.tasks import documents_folder

FOLDERS_KEY = "file_folders"  # settings.ui: kind of file -> the folder last chosen for it


def start_folder(app: AppContext, kind: str) -> Path:
    """The folder a chooser for `kind` opens in: the last one used, if it still exists, else Documents."""
    folders = app.settings.ui.get(FOLDERS_KEY)
    remembered = folders.get(kind) if isinstance(folders, dict) else None
    for candidate in (remembered, documents_folder(), Path.home()):
        if isinstance(candidate, str | Path) and Path(candidate).is_dir():
            return Path(candidate)
    return Path.cwd()


def remember_folder(app: AppContext, kind: str, folder: Path) -> None:
    """Keep `folder` as the start of the next chooser for `kind`, also after a restart."""
    folders = app.settings.ui.get(FOLDERS_KEY)
    updated = dict(folders) if isinstance(folders, dict) else {}
    updated[kind] = str(folder)
    app.settings.ui[FOLDERS_KEY] = updated
    with contextlib.suppress(AppError, OSError):  # a convenience: still remembered until the app closes
        app.save_settings()


def _file_dialog(parent: QWidget | None, title: str, folder: Path, name_filter: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(folder), name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    # Qt's Dutch catalogue leaves some labels English ("Look in:", "Files of type:"): set them all.
    labels = QFileDialog.DialogLabel
    dialog.setLabelText(labels.LookIn, _("Zoeken in:"))
    dialog.setLabelText(labels.FileName, _("Bestands&naam:"))
    dialog.setLabelText(labels.FileType, _("Bestands&type:"))
    dialog.setLabelText(labels.Reject, _("Annuleren"))
    return dialog


def _chosen(dialog: QFileDialog) -> list[Path]:
    return [Path(name) for name in dialog.selectedFiles()] if dialog.exec() else []


def open_file_name(
    parent: QWidget | None, app: AppContext, kind: str, title: str, name_filter: str
) -> Path | None:
    """One existing file, or None when cancelled."""
    dialog = _file_dialog(parent, title, start_folder(app, kind), name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, _("&Openen"))
    chosen = _chosen(dialog)
    if chosen:
        remember_folder(app, kind, chosen[0].parent)
    return chosen[0] if chosen else None


def open_file_names(
    parent: QWidget | None, app: AppContext, kind: str, title: str, name_filter: str
) -> list[Path]:
    """Existing files (several may be chosen); empty when cancelled."""
    dialog = _file_dialog(parent, title, start_folder(app, kind), name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, _("&Openen"))
    chosen = _chosen(dialog)
    if chosen:
        remember_folder(app, kind, chosen[0].parent)
    return chosen


def save_file_name(
    parent: QWidget | None, app: AppContext, kind: str, title: str, file_name: str, name_filter: str
) -> Path | None:
    """Where to save a new file, suggested as `file_name` in the start folder; None when cancelled."""
    dialog = _file_dialog(parent, title, start_folder(app, kind), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, _("&Opslaan"))
    dialog.selectFile(file_name)
    chosen = _chosen(dialog)
    if chosen:
        remember_folder(app, kind, chosen[0].parent)
    return chosen[0] if chosen else None


def existing_folder(parent: QWidget | None, app: AppContext, kind: str, title: str) -> Path | None:
    """An existing folder, or None when cancelled."""
    dialog = _file_dialog(parent, title, start_folder(app, kind), "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, _("&Kiezen"))
    chosen = _chosen(dialog)
    if chosen:
        remember_folder(app, kind, chosen[0])
    return chosen[0] if chosen else None


FUNCTION_LABELS = {
    "handhaver": "Handhaver / toezichthouder",
    "ggd": "GGD-inspecteur",
    "kantoor": "Kantoor / aandachtsfunctionaris",
}


class ProfileForm(QWidget):
    """The fields shared by the first-run and settings dialogs."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        settings = app.settings
        layout = QFormLayout(self)
        self.name = QLineEdit(settings.profile.name)
        self.name.setPlaceholderText(_("bijv. J. de Vries (BOA 1042)"))
        self.function = QComboBox()
        for value, label in FUNCTION_LABELS.items():
            self.function.addItem(_(label), value)
        self.function.setCurrentIndex(max(0, self.function.findData(settings.profile.function)))
        self.municipality = QLineEdit(settings.profile.municipality)
        self.contact_name = QLineEdit(settings.contact_person.name)
        self.contact_phone = QLineEdit(settings.contact_person.phone)
        self.language = QComboBox()
        self.language.addItem("Nederlands", "nl")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        rows: list[tuple[str, QWidget] | QLabel] = [
            (_("&Naam"), self.name),
            (_("&Functie"), self.function),
            (_("&Gemeente"), self.municipality),
            QLabel("<b>" + _("Aandachtsfunctionaris mensenhandel") + "</b>"),
            (_("Naam &contactpersoon"), self.contact_name),
            (_("&Telefoon contactpersoon"), self.contact_phone),
            (_("&Taal"), self.language),
        ]
        for row in rows:
            if isinstance(row, QLabel):
                layout.addRow(row)
                continue
            text, field = row
            caption = QLabel(text)
            caption.setBuddy(field)
            # QLabel's size hint rounds the text's advance, while the glyphs are drawn at fractional
            # positions: the longest label lost its last letter ("contactpersoo"). One average character
            # of slack keeps every label whole, in any language and font size.
            caption.setMinimumWidth(caption.sizeHint().width() + caption.fontMetrics().averageCharWidth())
            layout.addRow(caption, field)
        data = QLabel(_("Gegevensmap: {path}", path=app.paths.data_dir))
        data.setWordWrap(True)
        data.setTextInteractionFlags(
            data.textInteractionFlags() | data.textInteractionFlags().TextSelectableByMouse
        )
        layout.addRow(data)

    def apply(self, app: AppContext) -> None:
        settings = app.settings
        settings.profile.name = self.name.text().strip()
        settings.profile.function = str(self.function.currentData())
        settings.profile.municipality = self.municipality.text().strip()
        settings.contact_person.name = self.contact_name.text().strip()
        settings.contact_person.phone = self.contact_phone.text().strip()
        settings.language = str(self.language.currentData())
        set_language(settings.language)
        app.save_settings()


class FirstRunDialog(QDialog):
    """Who works with this laptop and who the contact person is; then start for real or practise.

    Demo visits never go into the real store: "Oefenomgeving openen" sets `practice_chosen` and the
    launcher opens the separate practice environment, filled with demo visits.
    """

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.practice_chosen = False
        self.setWindowTitle(_("Welkom"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Vul uw gegevens in. Ze staan alleen op deze computer en komen in het "
                "auditlog en op rapporten."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = ProfileForm(app)
        layout.addWidget(self.form)
        explain = QLabel(
            _(
                "Wilt u de app eerst verkennen? De oefenomgeving heeft fictieve bezoeken, staat los van "
                "uw echte gegevens en wordt nooit uitgewisseld. U kunt later wisselen via het menu Bestand."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.real_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.real_button.setText(_("&Echt beginnen"))
        self.practice_button = buttons.addButton(
            _("&Oefenomgeving openen"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.practice_button.clicked.connect(self.open_practice)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def open_practice(self) -> None:
        self.practice_chosen = True
        self.accept()
        if self.result() != QDialog.DialogCode.Accepted:
            self.practice_chosen = False

    def accept(self) -> None:
        if not self.form.name.text().strip():
            QMessageBox.warning(self, _("Naam ontbreekt"), _("Vul uw naam in; die komt in het auditlog."))
            self.form.name.setFocus()
            return
        try:
            self.form.apply(self.app)
        except AppError as error:
            QMessageBox.critical(self, _("Opslaan mislukt"), error.message)
            return
        super().accept()


class SettingsDialog(QDialog):
    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(_("Instellingen"))
        layout = QVBoxLayout(self)
        self.form = ProfileForm(app)
        layout.addWidget(self.form)
        folder_row = QHBoxLayout()
        self.choose_folder = QPushButton(_("Andere &gegevensmap…"))
        self.choose_folder.clicked.connect(self.pick_data_dir)
        self.default_folder = QPushButton(_("Standaard&map"))
        self.default_folder.clicked.connect(lambda: self.set_data_dir(None))
        folder_row.addWidget(self.choose_folder)
        folder_row.addWidget(self.default_folder)
        folder_row.addStretch(1)
        layout.addLayout(folder_row)
        self.folder_note = QLabel()
        self.folder_note.setWordWrap(True)
        layout.addWidget(self.folder_note)
        if data_dir_is_overridden():
            self.choose_folder.setEnabled(False)
            self.default_folder.setEnabled(False)
            self.folder_note.setText(
                _(
                    "De gegevensmap is bij het starten gekozen (--data-dir of "
                    "INSPECTOR_APP_HOME) en kan hier niet worden gewijzigd."
                )
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def pick_data_dir(self) -> None:
        chosen = existing_folder(self, self.app, "data", _("Gegevensmap kiezen"))
        if chosen:
            self.set_data_dir(chosen)

    def set_data_dir(self, folder: Path | None) -> None:
        """Remember where the data lives from the next start on; nothing is moved or deleted."""
        try:
            choose_data_dir(folder)
        except OSError as error:
            QMessageBox.critical(self, _("Opslaan mislukt"), str(error))
            return
        target = folder or app_paths().data_dir
        self.folder_note.setText(
            _(
                "Vanaf de volgende start gebruikt de app {new}. Bestaande gegevens worden niet verplaatst: "
                "kopieer de map {old} zelf naar de nieuwe plek terwijl de app gesloten is.",
                new=target,
                old=self.app.paths.data_dir,
            )
        )

    def accept(self) -> None:
        try:
            self.form.apply(self.app)
        except (AppError, OSError) as error:
            QMessageBox.critical(self, _("Opslaan mislukt"), str(getattr(error, "message", error)))
            return
        super().accept()
