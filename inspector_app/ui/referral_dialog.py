"""Record the referral of a visit's signals: recipient, urgency, consent, sent date, reference, outcome.

Used by office staff and the municipal contact person; the visit itself stays read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.labels import (
    CONSENT_LABELS,
    RECIPIENT_LABELS,
    REFERRAL_STATUS_LABELS,
    URGENCY_LABELS,
    label,
)
from inspector_app.domain.model import Recipient, ReferralStatus, Urgency
from inspector_app.errors import AppError
from inspector_app.i18n import LocalText, _
from inspector_app.services.clock import local_now
from inspector_app.services.visit.referrals import (
    ReferralUpdate,
    add_referral,
    update_referral,
    visit_referrals,
)
from inspector_app.services.visit.session import VisitSession
from inspector_app.ui.municipal_time import to_qdatetime

EnumT = TypeVar("EnumT", bound=StrEnum)


def _fill(combo: QComboBox, labels: Mapping[EnumT, LocalText]) -> None:
    for value, text in labels.items():
        combo.addItem(text.get(), value.value)


class ReferralDialog(QDialog):
    def __init__(self, session: VisitSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Doorverwijzingen – {location}", location=session.location.name))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Doorverwijzingen"))
        self.list.currentRowChanged.connect(self._show_selected)
        layout.addWidget(self.list)
        new_row = QHBoxLayout()
        self.recipient = QComboBox()
        _fill(self.recipient, RECIPIENT_LABELS)
        self.urgency = QComboBox()
        _fill(self.urgency, URGENCY_LABELS)
        self.urgency.setCurrentIndex(1)
        add = QPushButton(_("Doorverwijzing &toevoegen"))
        add.clicked.connect(self.add)
        for widget in (self.recipient, self.urgency, add):
            new_row.addWidget(widget)
        layout.addLayout(new_row)
        box = QGroupBox(_("Gekozen doorverwijzing"))
        form = QFormLayout(box)
        self.status = QComboBox()
        _fill(self.status, REFERRAL_STATUS_LABELS)
        self.consent = QComboBox()
        _fill(self.consent, CONSENT_LABELS)
        self.sent_at = QDateEdit(to_qdatetime(local_now(session.db)).date())
        self.sent_at.setDisplayFormat("dd-MM-yyyy")
        self.sent_at.setCalendarPopup(True)
        self.channel = QLineEdit()
        self.reference = QLineEdit()
        self.outcome = QLineEdit()
        form.addRow(_("&Status"), self.status)
        form.addRow(_("&Toestemming"), self.consent)
        form.addRow(_("Verzonden &op"), self.sent_at)
        form.addRow(_("&Kanaal"), self.channel)
        form.addRow(_("&Kenmerk partner"), self.reference)
        form.addRow(_("&Uitkomst / terugkoppeling"), self.outcome)
        save = QPushButton(_("Wijziging &opslaan"))
        save.clicked.connect(self.save)
        form.addRow(save)
        layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        self.rows = visit_referrals(self.session)
        self.list.clear()
        for row in self.rows:
            text = _(
                "{recipient} – {status} – {urgency}",
                recipient=label(Recipient(row.recipient)).get(),
                status=label(ReferralStatus(row.status)).get(),
                urgency=label(Urgency(row.urgency)).get(),
            )
            if row.reference:
                text += f" – {row.reference}"
            item = QListWidgetItem(text)
            item.setData(256, row.id)
            self.list.addItem(item)
        index = next((i for i, row in enumerate(self.rows) if row.id == select), 0 if self.rows else -1)
        self.list.setCurrentRow(index)

    def _show_selected(self, index: int) -> None:
        if index < 0 or index >= len(self.rows):
            return
        row = self.rows[index]
        self.status.setCurrentIndex(self.status.findData(row.status))
        self.consent.setCurrentIndex(self.consent.findData(row.consent_status))
        if row.sent_at:
            self.sent_at.setDate(QDate.fromString(row.sent_at[:10], "yyyy-MM-dd"))
        self.channel.setText(row.channel)
        self.reference.setText(row.reference)
        self.outcome.setText(row.outcome)

    def add(self) -> None:
        try:
            referral_id, _changes = add_referral(
                self.session, str(self.recipient.currentData()), str(self.urgency.currentData())
            )
        except AppError as error:
            QMessageBox.warning(self, _("Niet toegevoegd"), error.message)
            return
        self.refresh(referral_id)

    def save(self) -> None:
        index = self.list.currentRow()
        if index < 0:
            return
        row = self.rows[index]
        status = str(self.status.currentData())
        try:
            update_referral(
                self.session.app,
                row.id,
                ReferralUpdate(
                    status=status,
                    consent_status=str(self.consent.currentData()),
                    sent_at=self.sent_at.date().toString("yyyy-MM-dd") if status != "draft" else None,
                    channel=self.channel.text(),
                    reference=self.reference.text(),
                    outcome=self.outcome.text(),
                ),
            )
        except AppError as error:
            QMessageBox.warning(self, _("Niet opgeslagen"), error.message)
            return
        self.refresh(row.id)
