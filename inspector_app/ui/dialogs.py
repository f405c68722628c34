"""Dialogs of the shell: first run (profile, contact person, demo data) and settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from inspector_app.errors import AppError
from inspector_app.i18n import _, set_language
from inspector_app.services.app import AppContext
from inspector_app.services.demo import create_demo_visits
from inspector_app.services.visits import VisitFilter, find_visits

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
        layout.addRow(_("&Naam"), self.name)
        layout.addRow(_("&Functie"), self.function)
        layout.addRow(_("&Gemeente"), self.municipality)
        layout.addRow(QLabel("<b>" + _("Aandachtsfunctionaris mensenhandel") + "</b>"))
        layout.addRow(_("Naam &contactpersoon"), self.contact_name)
        layout.addRow(_("&Telefoon contactpersoon"), self.contact_phone)
        layout.addRow(_("&Taal"), self.language)
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
    """Who works with this laptop, who the contact person is, and whether to load demo data."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
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
        self.demo = QCheckBox(_("&Demogegevens laden (fictieve bezoeken om de app te verkennen)"))
        empty = not find_visits(app, VisitFilter(limit=1))
        self.demo.setChecked(empty)
        self.demo.setEnabled(empty)
        layout.addWidget(self.demo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if not self.form.name.text().strip():
            QMessageBox.warning(self, _("Naam ontbreekt"), _("Vul uw naam in; die komt in het auditlog."))
            self.form.name.setFocus()
            return
        try:
            self.form.apply(self.app)
            if self.demo.isChecked() and self.demo.isEnabled():
                create_demo_visits(self.app, 60)
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
        note = QLabel(
            _("Een andere gegevensmap kiest u bij het starten met --data-dir of INSPECTOR_APP_HOME.")
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.form.apply(self.app)
        except (AppError, OSError) as error:
            QMessageBox.critical(self, _("Opslaan mislukt"), str(getattr(error, "message", error)))
            return
        super().accept()
