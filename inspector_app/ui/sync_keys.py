"""Keys and enrolment: the office creates its keys and registers laptops; a laptop enrols with the office.

Fingerprints are shown before anything is trusted, to compare by phone with the other side.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.errors import AppError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.ui.dialogs import open_file_name, save_file_name

YES = (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok)


class KeysDialog(QDialog):
    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.setWindowTitle(_("Sleutels en inschrijving"))
        office = QGroupBox(_("Kantoor"))
        self.office_status = QLabel()
        self.office_status.setWordWrap(True)
        self.municipality = QLineEdit(app.settings.profile.municipality)
        self.municipality.setAccessibleName(_("Gemeente"))
        create = QPushButton(_("Kantoorsleutels &aanmaken"))
        create.clicked.connect(lambda: self.init_office())
        save_enrolment = QPushButton(_("&Inschrijfbestand opslaan…"))
        save_enrolment.clicked.connect(lambda: self.save_enrolment())
        register = QPushButton(_("Laptop &registreren…"))
        register.clicked.connect(lambda: self.register_from())
        revoke = QPushButton(_("Laptop &intrekken…"))
        revoke.clicked.connect(self._revoke_selected)
        self.devices = QTableWidget(0, 4)
        self.devices.setHorizontalHeaderLabels(
            [_("Naam"), _("Apparaat"), _("Vingerafdruk"), _("Ingetrokken")]
        )
        self.devices.setAccessibleName(_("Geregistreerde laptops"))
        self.devices.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.devices.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.devices.verticalHeader().setVisible(False)
        self.devices.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.devices.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Gemeente:")))
        row.addWidget(self.municipality, 1)
        row.addWidget(create)
        buttons = QHBoxLayout()
        for button in (save_enrolment, register, revoke):
            buttons.addWidget(button)
        buttons.addStretch(1)
        office_layout = QVBoxLayout(office)
        office_layout.addWidget(self.office_status)
        office_layout.addLayout(row)
        office_layout.addLayout(buttons)
        office_layout.addWidget(self.devices)
        laptop = QGroupBox(_("Laptop"))
        self.laptop_status = QLabel()
        self.laptop_status.setWordWrap(True)
        enrol = QPushButton(_("Inschrijven bij het &kantoor…"))
        enrol.clicked.connect(lambda: self.enrol_from())
        save_registration = QPushButton(_("Re&gistratiebestand opslaan…"))
        save_registration.clicked.connect(lambda: self.save_registration())
        laptop_buttons = QHBoxLayout()
        laptop_buttons.addWidget(enrol)
        laptop_buttons.addWidget(save_registration)
        laptop_buttons.addStretch(1)
        laptop_layout = QVBoxLayout(laptop)
        laptop_layout.addWidget(self.laptop_status)
        laptop_layout.addLayout(laptop_buttons)
        close = QDialogButtonBox()
        close.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(office)
        layout.addWidget(laptop)
        layout.addWidget(close)
        self.resize(820, 560)
        self.refresh()

    def refresh(self) -> None:
        store = keys_service.keystore(self.app)
        try:
            public = store.office_public()
        except AppError:
            public = None
        if store.has_office() and public is not None:
            self.office_status.setText(
                _(
                    "Dit is de kantoorinstallatie van {municipality}. Vingerafdruk: {fingerprint}",
                    municipality=public.municipality,
                    fingerprint=keys_service.short_fingerprint(public.fingerprint),
                )
            )
            self.laptop_status.setText(_("Niet van toepassing op de kantoorinstallatie."))
        else:
            self.office_status.setText(_("Geen kantoorsleutels op deze computer."))
            if public is None:
                self.laptop_status.setText(_("Deze laptop is nog niet ingeschreven bij een kantoor."))
            else:
                own = keys_service.registration(self.app)
                self.laptop_status.setText(
                    _(
                        "Ingeschreven bij {municipality} (kantoor {office}). Vingerafdruk van deze laptop: {own}",
                        municipality=public.municipality,
                        office=keys_service.short_fingerprint(public.fingerprint),
                        own=keys_service.short_fingerprint(own.fingerprint),
                    )
                )
        devices = keys_service.list_devices(self.app)
        self.devices.setRowCount(len(devices))
        for row, device in enumerate(devices):
            values = [
                device.name,
                device.device_id[:8],
                keys_service.short_fingerprint(device.fingerprint),
                _("ja: {reason}", reason=device.revoke_reason or "-") if device.revoked_at else _("nee"),
            ]
            for column, text in enumerate(values):
                self.devices.setItem(row, column, QTableWidgetItem(text))

    def _fail(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self, title, error.message if isinstance(error, AppError) else str(error))

    def _save_path(self, title: str, name: str, target: Path | None) -> Path | None:
        if target is not None:
            return target
        return save_file_name(self, self.app, "key", title, name, _("JSON-bestanden (*.json)"))

    def _open_path(self, title: str, path: Path | None) -> Path | None:
        if path is not None:
            return path
        return open_file_name(self, self.app, "key", title, _("JSON-bestanden (*.json)"))

    def init_office(self, municipality: str | None = None) -> bool:
        name = (municipality if municipality is not None else self.municipality.text()).strip()
        try:
            public = keys_service.init_office(self.app, name)
        except (AppError, OSError) as error:
            self._fail(_("Geen kantoorsleutels gemaakt"), error)
            return False
        self.refresh()
        QMessageBox.information(
            self,
            _("Kantoorsleutels"),
            _(
                "Kantoorsleutel gemaakt. Vingerafdruk: {fingerprint}",
                fingerprint=keys_service.short_fingerprint(public.fingerprint),
            ),
        )
        return True

    def save_enrolment(self, target: Path | None = None) -> Path | None:
        path = self._save_path(_("Inschrijfbestand opslaan"), "inschrijving.json", target)
        if path is None:
            return None
        try:
            public = keys_service.keystore(self.app).office_public()
            atomic_write_bytes(path, json.dumps(public.to_json(), indent=2).encode("utf-8"))
        except (AppError, OSError) as error:
            self._fail(_("Inschrijfbestand niet opgeslagen"), error)
            return None
        return path

    def register_from(self, path: Path | None = None) -> bool:
        path = self._open_path(_("Registratiebestand van een laptop"), path)
        if path is None:
            return False
        try:
            found = keys_service.read_registration(path)
            answer = QMessageBox.question(
                self,
                _("Laptop registreren"),
                _(
                    "Laptop {name} vertrouwen? Vergelijk de vingerafdruk met die op de laptop: {fingerprint}",
                    name=found.name,
                    fingerprint=keys_service.short_fingerprint(found.fingerprint),
                ),
            )
            if answer not in YES:
                return False
            keys_service.register_device(self.app, path)
        except (AppError, OSError) as error:
            self._fail(_("Laptop niet geregistreerd"), error)
            return False
        self.refresh()
        return True

    def _revoke_selected(self) -> None:
        rows = {index.row() for index in self.devices.selectionModel().selectedRows()}
        if not rows:
            QMessageBox.information(self, _("Geen laptop"), _("Kies eerst een laptop in de lijst."))
            return
        device = keys_service.list_devices(self.app)[min(rows)]
        reason, ok = QInputDialog.getText(self, _("Laptop intrekken"), _("Reden (bijv. laptop verloren):"))
        if ok:
            self.revoke(device.device_id, reason)

    def revoke(self, device_id: str, reason: str) -> bool:
        try:
            keys_service.revoke_device(self.app, device_id, reason)
        except AppError as error:
            self._fail(_("Laptop niet ingetrokken"), error)
            return False
        self.refresh()
        return True

    def enrol_from(self, path: Path | None = None) -> bool:
        path = self._open_path(_("Inschrijfbestand van het kantoor"), path)
        if path is None:
            return False
        try:
            public = keys_service.read_enrolment(path)
            answer = QMessageBox.question(
                self,
                _("Inschrijven bij het kantoor"),
                _(
                    "Inschrijven bij {municipality}? Vergelijk de vingerafdruk van het kantoor (telefonisch): {fingerprint}",
                    municipality=public.municipality,
                    fingerprint=keys_service.short_fingerprint(public.fingerprint),
                ),
            )
            if answer not in YES:
                return False
            keys_service.enrol(self.app, path)
        except (AppError, OSError) as error:
            self._fail(_("Niet ingeschreven"), error)
            return False
        self.refresh()
        return True

    def save_registration(self, target: Path | None = None) -> Path | None:
        path = self._save_path(_("Registratiebestand opslaan"), "registratie.json", target)
        if path is None:
            return None
        try:
            found = keys_service.registration(self.app)
            atomic_write_bytes(path, json.dumps(found.to_json(), indent=2).encode("utf-8"))
        except (AppError, OSError) as error:
            self._fail(_("Registratiebestand niet opgeslagen"), error)
            return None
        return path
