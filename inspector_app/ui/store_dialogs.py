"""Dialogs of the encrypted store: unlock at start (or choose a passphrase for a new store), change the
passphrase, and the DPO's recovery with the escrow key (services.store)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.errors import AppError
from inspector_app.i18n import _
from inspector_app.services import store as store_service
from inspector_app.services.app import AppContext
from inspector_app.services.store import Unlock


def _secret(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class _FormDialog(QDialog):
    """A title, an explanation, a form, a problem line and OK/Cancel; subclasses check on OK."""

    def __init__(self, title: str, text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(_("Melding"))
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.check_and_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def show_problem(self, message: str) -> None:
        self.problem.setText("⚠ " + message)
        self.problem.setVisible(True)

    def check_and_accept(self) -> None:
        self.accept()


class UnlockDialog(_FormDialog):
    """Asked once per start when the OS key store cannot unlock the store by itself."""

    def __init__(self, new_store: bool, problem: str | None = None, parent: QWidget | None = None) -> None:
        text = (
            _(
                "De gegevens op deze computer worden versleuteld. Kies een wachtwoordzin van minstens "
                "12 tekens; zonder die zin (of de reservesleutel van de FG) zijn ze niet te openen."
            )
            if new_store
            else _("De gegevens zijn versleuteld. Geef de wachtwoordzin om ze te openen.")
        )
        super().__init__(_("Gegevens ontgrendelen"), text, parent)
        self.new_store = new_store
        self.recover_requested = False
        self.passphrase = _secret(_("Wachtwoordzin"))
        self.form.addRow(_("&Wachtwoordzin:"), self.passphrase)
        self.confirm = _secret(_("Wachtwoordzin nog een keer"))
        if new_store:
            self.form.addRow(_("&Nog een keer:"), self.confirm)
        self.remember = QCheckBox(_("&Onthouden in de sleutelbewaarplaats van dit account"))
        self.remember.setAccessibleName(_("Sleutel onthouden in de sleutelbewaarplaats van het systeem"))
        self.remember.setEnabled(store_service.keystore_available())
        if not self.remember.isEnabled():
            self.remember.setToolTip(_("Deze computer heeft geen sleutelbewaarplaats van het systeem."))
        self.form.addRow(self.remember)
        if not new_store:
            recover = QPushButton(_("Wachtwoordzin &vergeten…"))
            recover.setAccessibleName(_("Wachtwoordzin vergeten: herstel door de FG"))
            recover.clicked.connect(self._recover)
            self.buttons.addButton(recover, QDialogButtonBox.ButtonRole.ResetRole)
        if problem:
            self.show_problem(problem)

    def _recover(self) -> None:
        self.recover_requested = True
        self.reject()

    def check_and_accept(self) -> None:
        if self.new_store and self.passphrase.text() != self.confirm.text():
            self.show_problem(_("De twee wachtwoordzinnen verschillen."))
            return
        if not self.passphrase.text():
            self.show_problem(_("Geef de wachtwoordzin."))
            return
        self.accept()

    def unlock(self) -> Unlock:
        return Unlock(passphrase=self.passphrase.text(), remember=self.remember.isChecked())


class ChangePassphraseDialog(_FormDialog):
    """Bestand > Wachtwoordzin wijzigen…: the current passphrase (when there is one), then a new one."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Wachtwoordzin wijzigen"), _("Kies een nieuwe wachtwoordzin van minstens 12 tekens."), parent
        )
        self.app = app
        self.has_passphrase = "passphrase" in store_service.status(app.paths).protections
        self.current = _secret(_("Huidige wachtwoordzin"))
        if self.has_passphrase:
            self.form.addRow(_("&Huidige wachtwoordzin:"), self.current)
        self.new = _secret(_("Nieuwe wachtwoordzin"))
        self.form.addRow(_("&Nieuwe wachtwoordzin:"), self.new)
        self.confirm = _secret(_("Nieuwe wachtwoordzin nog een keer"))
        self.form.addRow(_("N&og een keer:"), self.confirm)

    def check_and_accept(self) -> None:
        if self.new.text() != self.confirm.text():
            self.show_problem(_("De twee wachtwoordzinnen verschillen."))
            return
        current = self.current.text() if self.has_passphrase else None
        try:
            store_service.change_passphrase(self.app.paths, self.app.db, current, self.new.text())
        except AppError as error:
            self.show_problem(error.message)
            return
        self.accept()


class RecoverDialog(_FormDialog):
    """At the office: the DPO opens a locked-out data folder with the escrow key and sets a new passphrase."""

    def __init__(self, data_dir: str | Path | None, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Toegang herstellen (FG)"),
            _(
                "Alleen op kantoor: de FG kiest de reservesleutel (gemaakt met 'keys create-escrow'), geeft "
                "de wachtwoordzin daarvan en stelt een nieuwe wachtwoordzin in voor deze gegevensmap."
            ),
            parent,
        )
        self.data_dir = Path(data_dir) if data_dir is not None else None
        row = QHBoxLayout()
        self.escrow_file = QLineEdit()
        self.escrow_file.setAccessibleName(_("Bestand met de reservesleutel"))
        browse = QPushButton(_("&Kiezen…"))
        browse.setAccessibleName(_("Reservesleutel kiezen"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.escrow_file)
        row.addWidget(browse)
        self.form.addRow(_("&Reservesleutel:"), row)
        self.escrow_passphrase = _secret(_("Wachtwoordzin van de reservesleutel"))
        self.form.addRow(_("Wachtwoordzin &reservesleutel:"), self.escrow_passphrase)
        self.new = _secret(_("Nieuwe wachtwoordzin"))
        self.form.addRow(_("&Nieuwe wachtwoordzin:"), self.new)
        self.confirm = _secret(_("Nieuwe wachtwoordzin nog een keer"))
        self.form.addRow(_("N&og een keer:"), self.confirm)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Reservesleutel kiezen"))
        if chosen:
            self.escrow_file.setText(chosen)

    def check_and_accept(self) -> None:
        if self.new.text() != self.confirm.text():
            self.show_problem(_("De twee wachtwoordzinnen verschillen."))
            return
        try:
            backup = Path(self.escrow_file.text()).read_bytes()
        except OSError:
            self.show_problem(_("Het bestand met de reservesleutel kan niet worden gelezen."))
            return
        try:
            store_service.recover_with_escrow(
                self.data_dir, backup, self.escrow_passphrase.text(), self.new.text()
            )
        except AppError as error:
            self.show_problem(error.message)
            return
        self.accept()
