"""Start a visit: checklist (location type), a location from the register or a new one, and the header."""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.errors import AppError
from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.model import Choice, FormDefinition, Mirror
from inspector_app.i18n import _, current_language
from inspector_app.services.app import AppContext
from inspector_app.services.clock import local_now
from inspector_app.services.reinspections import DueItem, due_list
from inspector_app.services.visits import (
    REINSPECTION_TYPE,
    LocationInput,
    NewVisit,
    register_locations,
    start_visit,
)
from inspector_app.ui.checklist_style import focus_ring_style
from inspector_app.ui.municipal_time import to_qdatetime


def _header_choices(form: FormDefinition, mirror: Mirror) -> tuple[Choice, ...]:
    """The choices of the header question the checklist declares as `mirror` (none if it has none)."""
    question = form.mirrored(mirror)
    return question.choices if question else ()


class TypedDateTimeEdit(QDateTimeEdit):
    """A date-time field changed only by typing or the calendar: the arrow keys and the wheel step
    nothing, since a stray arrow key silently moved the visit's date."""

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        return QAbstractSpinBox.StepEnabledFlag.StepNone


class NewVisitDialog(QDialog):
    """Collects what the header of every checklist needs; the visit is created on OK."""

    def __init__(self, app: AppContext, parent: QWidget | None = None, due: DueItem | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.visit_id: str | None = None
        self.due_visit: str | None = None  # the open re-inspection at the chosen location, if any
        self.setWindowTitle(_("Nieuw bezoek"))
        language = current_language()
        self.forms = list(load_all_forms(data_dir=app.paths.data_dir).values())
        layout = QVBoxLayout(self)
        form_layout = QFormLayout()
        self.checklist = QComboBox()
        for form in self.forms:
            self.checklist.addItem(form.title.get(language), form.id)
        self.checklist.currentIndexChanged.connect(self._refresh_locations)
        form_layout.addRow(_("&Soort locatie"), self.checklist)
        layout.addLayout(form_layout)

        where = QGroupBox(_("Locatie"))
        where_layout = QFormLayout(where)
        self.use_existing = QRadioButton(_("Uit het &register"))
        self.use_new = QRadioButton(_("&Nieuwe locatie"))
        self.existing = QComboBox()
        self.existing.setEditable(False)
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.postcode = QLineEdit()
        self.postcode.setInputMask("")
        self.city = QLineEdit()
        self.kvk = QLineEdit()
        self.licence = QLineEdit()
        where_layout.addRow(self.use_existing, self.existing)
        # An open re-inspection at the chosen location (the office's due list on a laptop): shown, and
        # the new visit is linked to it unless the inspector unticks this.
        self.follow_up = QCheckBox()
        self.follow_up.setAccessibleName(_("Als hercontrole van het eerdere bezoek koppelen"))
        self.follow_up.toggled.connect(self._follow_up_toggled)
        self.follow_up.hide()
        where_layout.addRow(self.follow_up)
        where_layout.addRow(self.use_new)
        where_layout.addRow(_("Naam"), self.name)
        where_layout.addRow(_("Adres"), self.address)
        where_layout.addRow(_("Postcode"), self.postcode)
        where_layout.addRow(_("Plaats"), self.city)
        where_layout.addRow(_("KvK-nummer"), self.kvk)
        where_layout.addRow(_("Vergunningnummer"), self.licence)
        self.foreign = QCheckBox(_("Buitenlands adres (geen Nederlandse postcode/KvK-controle)"))
        where_layout.addRow(self.foreign)
        self.use_existing.toggled.connect(self._toggle_location)
        self.existing.currentIndexChanged.connect(self._refresh_follow_up)
        layout.addWidget(where)

        header = QFormLayout()
        self.started = TypedDateTimeEdit(to_qdatetime(local_now(app.db)))
        self.started.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.started.setCalendarPopup(True)
        self.started.setToolTip(
            _("Typ datum en tijd over; de pijltjestoetsen wijzigen de datum niet (kalender: Alt+↓)")
        )
        header.addRow(_("&Datum en begintijd"), self.started)
        self.visit_type = QComboBox()
        self.legal_ground = QComboBox()
        header.addRow(_("Soort &bezoek"), self.visit_type)
        self.inspectors = QLineEdit(app.settings.profile.name)
        self.inspectors.setPlaceholderText(_("namen of BOA-nummers, gescheiden door komma's"))
        header.addRow(_("&Team"), self.inspectors)
        header.addRow(_("&Grondslag"), self.legal_ground)
        layout.addLayout(header)
        self.partner_box = QGroupBox(_("Aanwezige partners"))
        self.partner_layout = QGridLayout(self.partner_box)
        self.partners: list[QCheckBox] = []
        layout.addWidget(self.partner_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText(_("Bezoek starten"))
        self.start_button.setDefault(True)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # Annuleren discards the whole dialog: never the default, never pressed by a stray Enter.
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_header_choices()
        self._refresh_locations()
        if due is not None:
            self.preset(due)
        self._order_tabs()
        self.setStyleSheet(focus_ring_style())

    def _order_tabs(self) -> None:
        """Tab follows the page top to bottom: ... Grondslag → partners → Bezoek starten → Annuleren.

        Qt's default put the buttons before the partner check boxes (they were added later), so a
        Space meant for a partner pressed Annuleren and discarded the dialog.
        """
        chain: list[QWidget] = [
            self.checklist,
            self.use_existing,
            self.existing,
            self.follow_up,
            self.use_new,
            self.name,
            self.address,
            self.postcode,
            self.city,
            self.kvk,
            self.licence,
            self.foreign,
            self.started,
            self.visit_type,
            self.inspectors,
            self.legal_ground,
            *self.partners,
            self.start_button,
            self.cancel_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _fill_header_choices(self) -> None:
        """Visit types, legal grounds and partners come from the shared header of the checklists."""
        language = current_language()
        form = self.forms[0]
        for combo, mirror in ((self.visit_type, Mirror.VISIT_TYPE), (self.legal_ground, Mirror.LEGAL_GROUND)):
            for choice in _header_choices(form, mirror):
                combo.addItem(choice.label.get(language), choice.value)
        for index, choice in enumerate(
            c for c in _header_choices(form, Mirror.PARTNERS) if c.value != "geen"
        ):
            box = QCheckBox(choice.label.get(language))
            box.setProperty("value", choice.value)
            self.partners.append(box)
            self.partner_layout.addWidget(box, index // 3, index % 3)

    def _form(self) -> str:
        return str(self.checklist.currentData())

    def _refresh_locations(self) -> None:
        form = next(f for f in self.forms if f.id == self._form())
        self.existing.clear()
        for location in register_locations(self.app, form.location_type.value):
            label = ", ".join(p for p in (location.name, location.address, location.postcode) if p)
            self.existing.addItem(label, location.id)
        has_locations = self.existing.count() > 0
        self.use_existing.setEnabled(has_locations)
        (self.use_existing if has_locations else self.use_new).setChecked(True)
        self._toggle_location()

    def preset(self, due: DueItem) -> None:
        """Started from the re-inspections list: that location's checklist and place, linked."""
        for index, form in enumerate(self.forms):
            if form.location_type.value == due.row.location_type:
                self.checklist.setCurrentIndex(index)
                break
        found = self.existing.findData(due.row.location_id)
        if found >= 0:
            self.use_existing.setChecked(True)
            self.existing.setCurrentIndex(found)
        self._refresh_follow_up()

    def _refresh_follow_up(self) -> None:
        location = self.existing.currentData() if self.use_existing.isChecked() else None
        items = due_list(self.app, location_id=str(location)) if location else []
        self.due_visit = items[0].row.visit_id if items else None
        self.follow_up.setVisible(bool(items))
        if not items:
            self.follow_up.setChecked(False)
            return
        row = items[0].row
        late = _(", te laat") if items[0].state == "overdue" else ""
        self.follow_up.setText(
            _(
                "&Hercontrole van het bezoek van {visit_date} (gepland op {due_date}{late})",
                visit_date=row.visit_date,
                due_date=row.due_date,
                late=late,
            )
        )
        self.follow_up.setChecked(True)
        self._follow_up_toggled(True)

    def _follow_up_toggled(self, checked: bool) -> None:
        if checked:
            found = self.visit_type.findData(REINSPECTION_TYPE)
            if found >= 0:
                self.visit_type.setCurrentIndex(found)

    def _toggle_location(self) -> None:
        existing = self.use_existing.isChecked()
        self.existing.setEnabled(existing)
        for field in (self.name, self.address, self.postcode, self.city, self.kvk, self.licence):
            field.setEnabled(not existing)
        self.foreign.setEnabled(not existing)
        self._refresh_follow_up()

    def request(self) -> NewVisit:
        inspectors = tuple(p.strip() for p in self.inspectors.text().split(",") if p.strip())
        partners = tuple(str(box.property("value")) for box in self.partners if box.isChecked())
        location = (
            None
            if self.use_existing.isChecked()
            else LocationInput(
                self.name.text(),
                self.address.text(),
                self.postcode.text(),
                self.city.text(),
                self.kvk.text(),
                self.licence.text(),
                foreign=self.foreign.isChecked(),
            )
        )
        return NewVisit(
            form=self._form(),
            location_id=str(self.existing.currentData()) if self.use_existing.isChecked() else None,
            location=location,
            started_at=self.started.dateTime().toString("yyyy-MM-ddTHH:mm"),
            visit_type=str(self.visit_type.currentData()),
            inspectors=inspectors,
            partners=partners,
            legal_ground=str(self.legal_ground.currentData()),
            follows_up=self.due_visit
            if self.follow_up.isChecked() and self.use_existing.isChecked()
            else None,
        )

    def accept(self) -> None:
        try:
            self.visit_id = start_visit(self.app, self.request())
        except AppError as error:
            QMessageBox.warning(self, _("Bezoek niet gestart"), error.message)
            return
        super().accept()
