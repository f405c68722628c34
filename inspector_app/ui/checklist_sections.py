"""One checklist section in a scroll area (repeat sections hold one block per person present), and
the section navigator's progress rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.records import PersonRow
from inspector_app.forms.model import PERSON_ROLE_QUESTION, FormDefinition, Question, Section
from inspector_app.forms.state import FormState, section_progress
from inspector_app.i18n import _, current_language, n_
from inspector_app.ui.checklist_question import QuestionWidget
from inspector_app.ui.checklist_style import secondary_text_style, standard_icon

QuestionFactory = Callable[[Question, int | None], QuestionWidget]


class PersonBlock(QGroupBox):
    """The questions of one section for one person, headed by the pseudonymous code."""

    remove_requested = Signal(int)

    def __init__(self, number: int, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.widgets: list[QuestionWidget] = []
        self.setObjectName("personBlock")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        header = QHBoxLayout()
        header.addStretch(1)
        self.remove_button = QPushButton(_("Verwijderen"))
        self.remove_button.setToolTip(_("Persoon uit dit bezoek halen (antwoorden blijven bewaard)"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.number))
        self.remove_button.setVisible(removable)
        header.addWidget(self.remove_button)
        layout.addLayout(header)
        self.body = layout

    @staticmethod
    def title_for(person: PersonRow, form: FormDefinition) -> str:
        role = form.role(person.role) if person.role else None
        role_text = role.label.get(current_language()) if role else _("rol nog niet gekozen")
        return _("Persoon {code} · {role}", code=person.code, role=role_text)

    def add_question(self, widget: QuestionWidget) -> None:
        self.widgets.append(widget)
        self.body.addWidget(widget)


class SectionView(QScrollArea):
    """The questions of one section, built when the section is first shown."""

    next_requested = Signal()
    add_person_requested = Signal(str)
    remove_person_requested = Signal(int)

    def __init__(
        self,
        form: FormDefinition,
        section: Section,
        make_question: QuestionFactory,
        has_next: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.section = section
        self.make_question = make_question
        self.widgets: dict[str, QuestionWidget] = {}
        self.blocks: dict[int, PersonBlock] = {}
        self.manages_persons = section.repeat and any(q.id == PERSON_ROLE_QUESTION for q in section.questions)
        self.last_state: FormState | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(section.title.get(current_language()))
        content = QWidget()
        self.layout_ = QVBoxLayout(content)
        self.layout_.setContentsMargins(12, 8, 12, 8)
        title = QLabel(f"<h2>{section.title.get(current_language())}</h2>")
        self.layout_.addWidget(title)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(secondary_text_style())
        self.empty.hide()
        self.layout_.addWidget(self.empty)
        self.current_person: int | None = None
        self.person_labels: dict[int, str] = {}
        if section.repeat:
            self.layout_.addWidget(self._person_selector())
        self.blocks_layout = QVBoxLayout()
        self.layout_.addLayout(self.blocks_layout)
        if not section.repeat:
            for question in section.questions:
                self._add(question, None, self.blocks_layout)
        if self.manages_persons:
            self.layout_.addWidget(self._add_person_row())
        self.layout_.addStretch(1)
        if has_next:
            row = QHBoxLayout()
            row.addStretch(1)
            self.next_button = QPushButton(_("Volgende sectie →"))
            self.next_button.clicked.connect(self.next_requested.emit)
            row.addWidget(self.next_button)
            self.layout_.addLayout(row)
        self.setWidget(content)

    def _person_selector(self) -> QWidget:
        """One person at a time: an inspector interviews persons one by one, and a visit with a
        hundred persons stays quick because only the chosen person's questions are built."""
        box = QFrame()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 4)
        self.previous_button = QPushButton("◀")
        self.previous_button.setAccessibleName(_("Vorige persoon"))
        self.previous_button.setToolTip(_("Vorige persoon (Alt+Links)"))
        self.next_person_button = QPushButton("▶")
        self.next_person_button.setAccessibleName(_("Volgende persoon"))
        self.next_person_button.setToolTip(_("Volgende persoon (Alt+Rechts)"))
        # Compact arrows and a combo that may shrink to 12 characters (the full code and role stay in
        # its list and tooltip): at 1024×600 the row was 560 px in a 430 px column and the whole
        # section scrolled sideways.
        for arrow in (self.previous_button, self.next_person_button):
            arrow.setFixedWidth(arrow.fontMetrics().horizontalAdvance("◀") + 24)
        self.person_combo = QComboBox()
        self.person_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.person_combo.setMinimumContentsLength(12)
        self.person_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.person_combo.setMaximumWidth(self.person_combo.fontMetrics().horizontalAdvance("M" * 30))
        self.person_combo.currentTextChanged.connect(self.person_combo.setToolTip)
        self.person_count = QLabel()
        label = QLabel(_("&Persoon:"))
        label.setBuddy(self.person_combo)
        for widget in (
            label,
            self.previous_button,
            self.person_combo,
            self.next_person_button,
            self.person_count,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        self.person_combo.currentIndexChanged.connect(self._combo_person)
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_person_button.clicked.connect(lambda: self._step(1))
        self.selector = box
        return box

    def _combo_person(self, index: int) -> None:
        number = self.person_combo.itemData(index)
        if isinstance(number, int):
            self.show_person(number)

    def step_person(self, delta: int) -> None:
        """Alt+←/→ (a shortcut of the page, so F1 lists it even before a persons section is built)."""
        if self.section.repeat and hasattr(self, "person_combo"):
            self._step(delta)

    def _step(self, delta: int) -> None:
        index = self.person_combo.currentIndex() + delta
        if 0 <= index < self.person_combo.count():
            self.person_combo.setCurrentIndex(index)

    def ensure_person(self, number: int) -> PersonBlock | None:
        """The block of one person, built the first time it is needed."""
        found = self.blocks.get(number)
        if found is not None or number not in self.person_labels:
            return found
        block = PersonBlock(number, self.manages_persons)
        block.remove_requested.connect(self.remove_person_requested.emit)
        for question in self.section.questions:
            widget = self.make_question(question, number)
            self.widgets[widget.ref] = widget
            block.add_question(widget)
        block.setTitle(self.person_labels[number])
        block.hide()
        self.blocks[number] = block
        self.blocks_layout.addWidget(block)
        return block

    def show_person(self, number: int) -> None:
        """Show one person's questions and hide the others'."""
        if number not in self.person_labels:
            return
        self.ensure_person(number)
        self.current_person = number
        index = self.person_combo.findData(number)
        if index != self.person_combo.currentIndex():
            self.person_combo.blockSignals(True)
            self.person_combo.setCurrentIndex(index)
            self.person_combo.blockSignals(False)
        for block_number, block in self.blocks.items():
            block.setVisible(block_number == number)
        self.previous_button.setEnabled(index > 0)
        self.next_person_button.setEnabled(index < self.person_combo.count() - 1)
        if self.last_state is not None:
            self.refresh_state(self.last_state)

    def _add_person_row(self) -> QWidget:
        box = QFrame()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 8, 0, 0)
        self.role_combo = QComboBox()
        for role in self.form.roles:
            self.role_combo.addItem(role.label.get(current_language()), role.value)
        self.add_button = QPushButton(_("Persoon toevoegen"))
        self.add_button.clicked.connect(
            lambda: self.add_person_requested.emit(str(self.role_combo.currentData()))
        )
        row.addWidget(QLabel(_("Rol:")))
        row.addWidget(self.role_combo)
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.add_row = box
        return box

    def _add(self, question: Question, person: int | None, layout: QVBoxLayout) -> QuestionWidget:
        widget = self.make_question(question, person)
        self.widgets[widget.ref] = widget
        layout.addWidget(widget)
        return widget

    # ------------------------------------------------------------------------------ persons

    def sync_persons(self, persons: Mapping[int, PersonRow]) -> None:
        """Follow the persons present: the selector's entries, dropped blocks, codes and roles."""
        if not self.section.repeat:
            return
        for number in [n for n in self.blocks if n not in persons]:
            block = self.blocks.pop(number)
            for widget in block.widgets:
                self.widgets.pop(widget.ref, None)
            block.setParent(None)
            block.deleteLater()
        added = [n for n in persons if n not in self.person_labels]
        self.person_labels = {n: PersonBlock.title_for(persons[n], self.form) for n in sorted(persons)}
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        for number, text in self.person_labels.items():
            self.person_combo.addItem(text, number)
        self.person_combo.blockSignals(False)
        for number, block in self.blocks.items():
            block.setTitle(self.person_labels[number])
        self.person_count.setText(n_("{count} persoon", "{count} personen", len(persons)))
        self.selector.setVisible(bool(persons))
        if not persons:
            self.current_person = None
            return
        wanted = self.current_person if self.current_person in persons else None
        if added and self.current_person is not None and len(added) == 1:
            wanted = added[0]  # a person just added: show them
        self.show_person(wanted if wanted is not None else min(persons))

    # ------------------------------------------------------------------------------ refresh

    def refresh_state(self, state: FormState) -> None:
        """Visibility and computed values after an answer (only widgets of this section)."""
        self.last_state = state
        for widget in self.widgets.values():
            visible = state.is_visible(widget.question.id, widget.person)
            if widget.isHidden() == visible:
                widget.setVisible(visible)
            if visible and widget.question.expression is not None:
                scope = state.top if widget.person is None else state.persons.get(widget.person)
                if scope is not None:
                    widget.editor.set_value(scope.computed.get(widget.question.id))
        any_visible = False
        for number, block in self.blocks.items():
            shown = number == self.current_person and any(not w.isHidden() for w in block.widgets)
            block.setVisible(shown)
            any_visible = any_visible or shown
        if not self.section.repeat:
            any_visible = any(not w.isHidden() for w in self.widgets.values())
        self._show_empty(any_visible)

    def _show_empty(self, any_visible: bool) -> None:
        if any_visible:
            self.empty.hide()
            return
        if self.manages_persons:
            text = _("Nog geen personen. Kies een rol en klik op 'Persoon toevoegen'.")
        elif self.section.repeat and not self.person_labels:
            text = _("Voeg eerst personen toe in de sectie 'Aanwezige personen'.")
        elif self.section.repeat:
            text = _("Deze vragen gelden niet voor deze persoon (bijvoorbeeld door de rol).")
        else:
            text = _("Deze sectie is bij de huidige antwoorden niet van toepassing.")
        self.empty.setText(text)
        self.empty.show()

    def set_read_only(self, read_only: bool, amendable: bool = True) -> None:
        for widget in self.widgets.values():
            widget.set_read_only(read_only, amendable)
        for block in self.blocks.values():
            block.remove_button.setVisible(self.manages_persons and not read_only)
        if self.manages_persons:
            self.add_row.setVisible(not read_only)

    def scroll_to(self, widget: QuestionWidget) -> None:
        self.ensureWidgetVisible(widget, 20, 40)


def show_section_progress(navigator: QListWidget, form: FormDefinition, state: FormState) -> None:
    """Write each section's progress into its navigator row (one row per section, in form order).

    Icons come with the text, never colour alone; rows are only touched when their text changed.
    """
    progress = {p.section_id: p for p in section_progress(form, state)}
    language = current_language()
    for row in range(navigator.count()):
        item = navigator.item(row)
        section = form.sections[row]
        p = progress[section.id]
        title = section.title.get(language)
        if p.visible == 0:
            detail = _("niet van toepassing") if not section.repeat else _("geen personen")
            icon: QStyle.StandardPixmap | None = QStyle.StandardPixmap.SP_DialogNoButton
        elif p.required_open:
            detail = _(
                "{answered}/{visible} · {open} verplicht open",
                answered=p.answered,
                visible=p.visible,
                open=p.required_open,
            )
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        else:
            detail = _("{answered}/{visible} beantwoord", answered=p.answered, visible=p.visible)
            complete = p.answered == p.visible
            icon = QStyle.StandardPixmap.SP_DialogApplyButton if complete else None
        text = f"{title}\n{detail}"
        if item.text() != text:
            item.setText(text)
            item.setIcon(standard_icon(icon) if icon is not None else QIcon())
