"""The re-inspection (hercontrole) of the open visit: none, within N weeks, or on a date.

On a draft the choice is applied when the visit is finalised (in the same transaction); on a final
visit, or at the office, a change is stored at once (services.reinspections)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QWidget

from inspector_app.i18n import _, n_
from inspector_app.services.reinspections import FollowUpRequest
from inspector_app.ui.municipal_time import municipal_today

WEEK_CHOICES = (2, 4, 6, 8, 12, 26)


class FollowUpPicker(QWidget):
    chosen = Signal()  # the user changed the choice (not emitted by `show_due`)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.choice = QComboBox()
        self.choice.setAccessibleName(_("Hercontrole"))
        self.choice.setToolTip(
            _(
                "Hercontrole plannen: wordt vastgelegd bij 'Definitief maken', bij een definitief bezoek meteen"
            )
        )
        self.choice.addItem(_("Geen hercontrole"), None)
        for weeks in WEEK_CHOICES:
            self.choice.addItem(
                n_("Hercontrole binnen {count} week", "Hercontrole binnen {count} weken", weeks), weeks
            )
        self.choice.addItem(_("Hercontrole op datum"), "date")
        self.day = QDateEdit(municipal_today().addDays(42))  # the zone of the visit the page opened
        self.day.setAccessibleName(_("Datum van de hercontrole"))
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.hide()
        row.addWidget(self.choice)
        row.addWidget(self.day)
        self.choice.activated.connect(self._activated)
        self.day.editingFinished.connect(self.chosen.emit)

    def _activated(self, _index: int) -> None:
        self.day.setVisible(self.choice.currentData() == "date")
        self.chosen.emit()

    def request(self) -> FollowUpRequest:
        data = self.choice.currentData()
        if data == "date":
            return FollowUpRequest(on=self.day.date().toString("yyyy-MM-dd"))
        return FollowUpRequest(weeks=int(data)) if isinstance(data, int) else FollowUpRequest()

    def show_due(self, due: str | None) -> None:
        """Show the stored re-inspection of a newly opened visit (a date, or none)."""
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(self.choice.count() - 1 if due else 0)
        if due:
            self.day.setDate(QDate.fromString(due, "yyyy-MM-dd"))
        self.day.setVisible(bool(due))
        self.choice.blockSignals(False)
