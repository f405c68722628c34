"""Office: the location register edits laptops proposed, to accept or reject one by one.

A laptop never rewrites the register (sync/authority.py); its differing copy of a location arrives as
a proposal. This dialog lists the open ones with, per changed field, the register's value and the
proposed one; accepting writes the proposal into the register (stamped with the office clock),
rejecting needs a reason. Keyboard: the table takes focus first, Alt+O accepts, Alt+W rejects.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
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
from inspector_app.i18n import _, n_
from inspector_app.services import location_proposals
from inspector_app.services.app import AppContext
from inspector_app.services.location_proposals import Proposal


def _field_labels() -> dict[str, str]:
    return {
        "name": _("Naam"),
        "location_type": _("Soort locatie"),
        "address": _("Adres"),
        "postcode": _("Postcode"),
        "city": _("Plaats"),
        "kvk_number": _("KvK-nummer"),
        "licence_number": _("Vergunningnummer"),
    }


def changes_text(proposal: Proposal) -> str:
    """One line per changed register field, by its label: `Naam: register -> proposed`."""
    labels = _field_labels()
    return "\n".join(
        f"{labels.get(field, field)}: {old or '—'} → {new or '—'}"
        for field, (old, new) in proposal.changes.items()
    )


class LocationProposalsDialog(QDialog):
    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.proposals: list[Proposal] = []
        self.setWindowTitle(_("Voorstellen voor het locatieregister"))
        intro = QLabel(
            _(
                "Laptops wijzigen het register niet zelf: een afwijkende locatie uit een bundel is een"
                " voorstel. Neem het over of wijs het af met een reden."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Nr."), _("Locatie"), _("Laptop"), _("Wijzigingen")])
        self.table.setAccessibleName(_("Open voorstellen voor het locatieregister"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows choose the proposal
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_("Reden van afwijzen"))
        self.reason.setPlaceholderText(_("bijv. het kantoor heeft de juiste gegevens al"))
        reason_label = QLabel(_("&Reden bij afwijzen:"))
        reason_label.setBuddy(self.reason)
        self.accept_button = QPushButton(_("&Overnemen"))
        self.accept_button.setAccessibleName(_("Gekozen voorstel overnemen in het register"))
        self.accept_button.clicked.connect(lambda: self.decide(accept=True))
        self.reject_button = QPushButton(_("Af&wijzen"))
        self.reject_button.setAccessibleName(_("Gekozen voorstel afwijzen"))
        self.reject_button.clicked.connect(lambda: self.decide(accept=False))
        self.summary = QLabel("")
        row = QHBoxLayout()
        row.addWidget(reason_label)
        row.addWidget(self.reason, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        buttons = QDialogButtonBox()
        close = buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.setTabOrder(self.table, self.reason)
        self.setTabOrder(self.reason, self.accept_button)
        self.setTabOrder(self.accept_button, self.reject_button)
        self.resize(900, 480)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.proposals = location_proposals.proposals(self.app)
        except AppError as error:
            QMessageBox.warning(self, _("Voorstellen niet geladen"), error.message)
            self.proposals = []
        self.table.setRowCount(len(self.proposals))
        for row, proposal in enumerate(self.proposals):
            values = [
                str(proposal.id),
                proposal.location_id[:8],
                proposal.device_name or proposal.device_id[:8],
                changes_text(proposal),
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, proposal.id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        if self.proposals:
            self.table.selectRow(0)
        has_any = bool(self.proposals)
        self.accept_button.setEnabled(has_any)
        self.reject_button.setEnabled(has_any)
        self.summary.setText(
            n_("{count} open voorstel.", "{count} open voorstellen.", len(self.proposals))
            if has_any
            else _("Geen open voorstellen voor het locatieregister.")
        )

    def selected(self) -> Proposal | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.proposals[min(rows)] if rows else None

    def decide(self, accept: bool) -> None:
        proposal = self.selected()
        if proposal is None:
            return
        try:
            if accept:
                location_proposals.accept(self.app, proposal.id)
            else:
                location_proposals.reject(self.app, proposal.id, self.reason.text())
        except AppError as error:
            QMessageBox.warning(self, _("Voorstel niet verwerkt"), error.message)
            return
        self.reason.clear()
        self.refresh()
