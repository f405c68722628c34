"""One editor per question type: yes/no buttons, choices, numbers and text here; the rest in
checklist_editors. `make_editor` picks the fitting one.

Every editor shows a value without emitting (`set_value`) and emits `committed` with the typed value
when the inspector settles on one: a click, Enter, leaving the field, or a short pause while typing,
so no typed text is ever lost. Parsing and checking stay in the services (`parse_answer_text`).
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.display import format_number
from inspector_app.forms.model import YESNO_LABELS, YESNO_VALUES, Question, QuestionType
from inspector_app.forms.values import parse_answer_text
from inspector_app.i18n import _, current_language
from inspector_app.ui.checklist_editor_base import AnswerEditor, IdleCommitEditor
from inspector_app.ui.checklist_editors import (
    ComputedView,
    DateEditor,
    PhotoEditor,
    PhotoLookup,
    TimeEditor,
)
from inspector_app.ui.focus_group import FocusGroup

COMBO_THRESHOLD = 6
YESNO_KEYS = {
    Qt.Key.Key_J: "yes",
    Qt.Key.Key_Y: "yes",
    Qt.Key.Key_N: "no",
    Qt.Key.Key_O: "unknown",
    Qt.Key.Key_U: "unknown",
}


class YesNoEditor(AnswerEditor):
    """Three checkable buttons Ja / Nee / Onbekend; keys J, N, O (Y, N, U in English) when focused."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        language = current_language()
        for value in YESNO_VALUES:
            label = YESNO_LABELS[value].get(language)
            button = QPushButton(label)
            button.setAccessibleName(label)
            button.setAccessibleDescription(question.label.get(language))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolTip(_("Toets {key}", key=label[0]))
            button.setMinimumWidth(84)
            button.clicked.connect(lambda checked, v=value: self._clicked(v, checked))
            layout.addWidget(button)
            self.buttons[value] = button
        layout.addStretch(1)
        self.focus_group = FocusGroup(list(self.buttons.values()), self)
        self._value: str | None = None

    def _clicked(self, value: str, checked: bool) -> None:
        self.choose(value if checked else None)

    def choose(self, value: str | None) -> None:
        self.set_value(value)
        self.committed.emit(value)

    def set_value(self, value: AnswerValue) -> None:
        self._value = value if isinstance(value, str) else None
        language = current_language()
        for key, button in self.buttons.items():
            chosen = key == self._value
            button.setChecked(chosen)
            label = YESNO_LABELS[key].get(language)
            button.setText(f"✓ {label}" if chosen else label)
        if self._value in self.buttons and not any(b.hasFocus() for b in self.buttons.values()):
            self.focus_group.set_current(self.buttons[self._value])

    def current_value(self) -> AnswerValue:
        return self._value

    def keyPressEvent(self, event: QKeyEvent) -> None:
        value = YESNO_KEYS.get(Qt.Key(event.key()))
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if value is not None and modifiers == Qt.KeyboardModifier.NoModifier and not self._read_only:
            self.choose(value)
            self.buttons[value].setFocus()
            event.accept()
            return
        super().keyPressEvent(event)

    def focus_target(self) -> QWidget:
        return self.buttons[self._value or "yes"]


class SingleChoiceEditor(AnswerEditor):
    """Radio buttons, or a combobox when there are more than six choices."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        language = current_language()
        self.combo: QComboBox | None = None
        self.group: QButtonGroup | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if len(question.choices) > COMBO_THRESHOLD:
            self.combo = QComboBox()
            self.combo.setAccessibleName(question.label.get(language))
            self.combo.addItem(_("— kies —"), None)
            for choice in question.choices:
                self.combo.addItem(choice.label.get(language), choice.value)
            self.combo.activated.connect(self._combo_activated)
            layout.addWidget(self.combo)
        else:
            self.group = QButtonGroup(self)
            for index, choice in enumerate(question.choices):
                radio = QRadioButton(choice.label.get(language))
                radio.setAccessibleDescription(question.label.get(language))
                radio.setProperty("choice_value", choice.value)
                self.group.addButton(radio, index)
                layout.addWidget(radio)
            self.group.buttonClicked.connect(self._radio_clicked)

    def _combo_activated(self, _index: int) -> None:
        assert self.combo is not None
        data = self.combo.currentData()
        self.committed.emit(str(data) if data is not None else None)

    def _radio_clicked(self, button: QAbstractButton) -> None:
        self.committed.emit(str(button.property("choice_value")))

    def set_value(self, value: AnswerValue) -> None:
        if self.combo is not None:
            index = self.combo.findData(value) if isinstance(value, str) else 0
            self.combo.setCurrentIndex(max(0, index))
            return
        assert self.group is not None
        self.group.setExclusive(False)
        for button in self.group.buttons():
            button.setChecked(button.property("choice_value") == value)
        self.group.setExclusive(True)

    def current_value(self) -> AnswerValue:
        if self.combo is not None:
            data = self.combo.currentData()
            return str(data) if data is not None else None
        assert self.group is not None
        checked = self.group.checkedButton()
        return str(checked.property("choice_value")) if checked else None

    def focus_target(self) -> QWidget:
        if self.combo is not None:
            return self.combo
        assert self.group is not None
        return self.group.checkedButton() or self.group.buttons()[0]


class _WrappingBoxLabel(QLabel):
    """The text of a check box, wrapped: a QCheckBox never wraps, so a long choice ("Voornemen tot
    handhaving (last onder dwangsom, …)") made the Afronding section wider than a 1024 px screen and
    clipped the boxes. A click on the text ticks the box, as on the box's own text."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)
        self.setMinimumWidth(120)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.click()
        super().mouseReleaseEvent(event)


class MultipleChoiceEditor(AnswerEditor):
    """Check boxes, in two columns when there are many."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        language = current_language()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(2)
        columns = 2 if len(question.choices) > COMBO_THRESHOLD else 1
        rows = (len(question.choices) + columns - 1) // columns
        self.boxes: list[QCheckBox] = []
        for index, choice in enumerate(question.choices):
            text = choice.label.get(language)
            box = QCheckBox()
            box.setAccessibleName(text)
            box.setAccessibleDescription(question.label.get(language))
            box.setToolTip(text)
            box.setProperty("choice_value", choice.value)
            box.clicked.connect(self._changed)
            cell = QHBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            cell.addWidget(_WrappingBoxLabel(text, box), 1, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(cell, index % rows, index // rows)
            self.boxes.append(box)
        for column in range(columns):
            layout.setColumnStretch(column, 1)

    def _changed(self) -> None:
        self.committed.emit(self.current_value())

    def set_value(self, value: AnswerValue) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for box in self.boxes:
            box.setChecked(box.property("choice_value") in chosen)

    def current_value(self) -> AnswerValue:
        chosen = [str(box.property("choice_value")) for box in self.boxes if box.isChecked()]
        return chosen or None

    def focus_target(self) -> QWidget:
        return self.boxes[0]


class NumberEditor(IdleCommitEditor):
    """A line edit for integers or decimals (decimal comma accepted), with the unit beside it."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(question.label.get(current_language()))
        self.edit.setMaximumWidth(160)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Integers accept a typed comma or point too, so "12,5" reaches the check and is refused with
        # a message; a validator that drops the comma silently turned it into 125.
        pattern = r"-?\d{0,10}([.,]\d{0,6})?"
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.edit))
        self.edit.setPlaceholderText("0" if question.type is QuestionType.INTEGER else "0,0")
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self.flush)
        layout.addWidget(self.edit)
        if question.unit:
            layout.addWidget(QLabel(question.unit_text()))
        layout.addStretch(1)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: AnswerValue) -> None:
        if value is None or isinstance(value, list | bool):
            text = ""
        elif isinstance(value, int | float):
            text = format_number(value, current_language(), places=None)
        else:
            text = str(value)
        self.edit.setText(text)
        self._committed_text = text

    def current_value(self) -> AnswerValue:
        return parse_answer_text(self.question, self.text())

    def focus_target(self) -> QWidget:
        return self.edit


class _PlainText(QPlainTextEdit):
    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class TextEditor(IdleCommitEditor):
    """Free text; saved after a short pause and when the field loses focus."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = _PlainText()
        self.edit.setAccessibleName(question.label.get(current_language()))
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(64)
        self.edit.textChanged.connect(self._edited)
        self.edit.left.connect(self.flush)
        layout.addWidget(self.edit)

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: AnswerValue) -> None:
        text = value if isinstance(value, str) else ""
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self._committed_text = text

    def current_value(self) -> AnswerValue:
        text = self.text()
        return text if text.strip() else None

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


def make_editor(question: Question, photo_lookup: PhotoLookup, parent: QWidget | None = None) -> AnswerEditor:
    kind = question.type
    if kind is QuestionType.YESNO:
        return YesNoEditor(question, parent)
    if kind is QuestionType.SINGLE:
        return SingleChoiceEditor(question, parent)
    if kind is QuestionType.MULTIPLE:
        return MultipleChoiceEditor(question, parent)
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        return NumberEditor(question, parent)
    if kind is QuestionType.TIME:
        return TimeEditor(question, parent)
    if kind in (QuestionType.DATE, QuestionType.DATETIME):
        return DateEditor(question, parent)
    if kind is QuestionType.PHOTO:
        return PhotoEditor(question, photo_lookup, parent)
    if kind is QuestionType.COMPUTED:
        return ComputedView(question, parent)
    return TextEditor(question, parent)
