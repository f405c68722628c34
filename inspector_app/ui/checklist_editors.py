"""Editors for times, dates, photos and computed values (the simpler types are in question_widgets)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QMetaMethod, QRegularExpression, Qt, QTime
from PySide6.QtGui import QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.model import AnswerValue
from inspector_app.forms.display import format_value
from inspector_app.forms.model import Question, QuestionType
from inspector_app.forms.values import parse_answer_text
from inspector_app.i18n import _, current_language, n_
from inspector_app.ui.checklist_editor_base import AnswerEditor, IdleCommitEditor
from inspector_app.ui.municipal_time import municipal_now, to_qdatetime

PhotoLookup = Callable[[list[str]], list[tuple[bytes | None, str]]]


def confirm_clear_photos(parent: QWidget, question: Question, value: AnswerValue) -> bool:
    """Before "Wissen" empties a photo answer, ask; it used to drop every photo without a word.

    True when there is nothing to lose (not a photo question, or no photos) or the inspector agrees.
    """
    if question.type is not QuestionType.PHOTO or not isinstance(value, list) or not value:
        return True
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Foto's wissen"),
        n_(
            "{count} foto bij deze vraag wissen? Eén foto verwijdert u met 'Verwijderen…' eronder.",
            "Alle {count} foto's bij deze vraag wissen? Eén foto verwijdert u met 'Verwijderen…' eronder.",
            len(value),
        ),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    wipe = box.addButton(_("Wissen"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Behouden"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Enter keeps the photos
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is wipe


class TimeEditor(IdleCommitEditor):
    """A time as UU:MM in a line edit ("930" and "9.30" become 09:30), with a 'Nu' button."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(question.label.get(current_language()))
        self.edit.setMaximumWidth(90)
        self.edit.setPlaceholderText(_("UU:MM"))
        self.edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,2}[:.]?\d{0,2}"), self.edit)
        )
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self.flush)
        layout.addWidget(self.edit)
        self.now_button = QPushButton(_("Nu"))
        self.now_button.setAccessibleDescription(question.label.get(current_language()))
        self.now_button.clicked.connect(self._now)
        layout.addWidget(self.now_button)
        layout.addStretch(1)

    def _now(self) -> None:
        self.edit.setText(f"{municipal_now():%H:%M}")
        self.flush()

    def text(self) -> str:
        raw = self.edit.text().strip().replace(".", ":")
        digits = raw.replace(":", "")
        if ":" in raw:
            hours, _sep, minutes = raw.partition(":")
            if hours.isdigit() and minutes.isdigit():
                return f"{int(hours):02d}:{int(minutes):02d}"
        elif digits.isdigit() and len(digits) in (3, 4):
            return f"{int(digits[:-2]):02d}:{digits[-2:]}"
        elif digits.isdigit() and len(digits) <= 2:
            return f"{int(digits):02d}:00"
        return raw

    def set_value(self, value: AnswerValue) -> None:
        text = value if isinstance(value, str) else ""
        self.edit.setText(text)
        self._committed_text = text

    def current_value(self) -> AnswerValue:
        text = self.text()
        if text and text != self.edit.text():
            self.edit.setText(text)
        return parse_answer_text(self.question, text)

    def focus_target(self) -> QWidget:
        return self.edit


class DateEditor(IdleCommitEditor):
    """QDateEdit / QDateTimeEdit with a calendar; the minimum (1-1-2000) shows blank: not answered."""

    EMPTY = QDateTime(QDate(2000, 1, 1), QTime(0, 0))

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit: QDateTimeEdit
        if question.type is QuestionType.DATE:
            self.edit = QDateEdit()
            self.edit.setDisplayFormat("dd-MM-yyyy")
        else:
            self.edit = QDateTimeEdit()
            self.edit.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.edit.setCalendarPopup(True)
        self.edit.setAccessibleName(question.label.get(current_language()))
        self.edit.setMinimumDateTime(self.EMPTY)
        self.edit.setSpecialValueText(" ")
        self.edit.setMinimumWidth(150)
        self.edit.dateTimeChanged.connect(self._edited)
        self.edit.editingFinished.connect(self.flush)
        layout.addWidget(self.edit)
        self.now_button = QPushButton(_("Vandaag") if question.type is QuestionType.DATE else _("Nu"))
        self.now_button.setAccessibleDescription(question.label.get(current_language()))
        self.now_button.clicked.connect(self._now)
        layout.addWidget(self.now_button)
        layout.addStretch(1)

    def _now(self) -> None:
        self.edit.setDateTime(to_qdatetime(municipal_now()))
        self.flush()

    def text(self) -> str:
        moment = self.edit.dateTime()
        if moment.date() == self.EMPTY.date():
            return ""
        return moment.toString(
            "yyyy-MM-dd" if self.question.type is QuestionType.DATE else "yyyy-MM-ddTHH:mm"
        )

    def set_value(self, value: AnswerValue) -> None:
        text = value if isinstance(value, str) else ""
        self.edit.blockSignals(True)
        if not text:
            self.edit.setDateTime(self.EMPTY)
        elif self.question.type is QuestionType.DATE:
            self.edit.setDate(QDate.fromString(text, "yyyy-MM-dd"))
        else:
            self.edit.setDateTime(QDateTime.fromString(text[:16], "yyyy-MM-ddTHH:mm"))
        self.edit.blockSignals(False)
        self._committed_text = text

    def current_value(self) -> AnswerValue:
        return parse_answer_text(self.question, self.text())

    def focus_target(self) -> QWidget:
        return self.edit


class PhotoEditor(AnswerEditor):
    """'Foto toevoegen' plus thumbnails with captions; the page does the file dialog and storing."""

    THUMB = 96

    def __init__(self, question: Question, lookup: PhotoLookup, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.lookup = lookup
        self._value: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.thumbs = QHBoxLayout()
        self.thumbs.setSpacing(8)
        layout.addLayout(self.thumbs)
        self.add_button = QPushButton(_("Foto toevoegen…"))
        self.add_button.setAccessibleDescription(question.label.get(current_language()))
        self.add_button.setToolTip(_("Alleen het pand, geen gezichten; EXIF-gegevens worden verwijderd"))
        self.add_button.clicked.connect(self.photo_requested.emit)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)

    def set_value(self, value: AnswerValue) -> None:
        self._value = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        while self.thumbs.count():
            item = self.thumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from the editor now, not only after the next event loop
                widget.deleteLater()
        for photo_id in self._value:  # one look-up per id keeps each thumbnail paired with its id
            for image, caption in self.lookup([photo_id]):
                self.thumbs.addWidget(self._thumbnail(photo_id, image, caption))
        self.thumbs.addStretch(1)

    def _thumbnail(self, photo_id: str, image: bytes | None, caption: str) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        picture = QLabel()
        pixmap = QPixmap()
        if image is None or not pixmap.loadFromData(image):
            picture.setText(_("(foto niet gevonden)"))
        else:
            picture.setPixmap(
                pixmap.scaled(
                    self.THUMB,
                    self.THUMB,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        picture.setToolTip(caption)
        layout.addWidget(picture)
        text = QLabel(caption or _("(geen bijschrift)"))
        text.setMaximumWidth(self.THUMB + 24)
        text.setWordWrap(True)
        layout.addWidget(text)
        remove = QPushButton(_("Verwijderen…"))
        remove.setObjectName("removePhoto")
        remove.setToolTip(_("Alleen deze foto verwijderen (met bevestiging)"))
        remove.setAccessibleName(_("Foto verwijderen: {caption}", caption=caption or _("(geen bijschrift)")))
        remove.setEnabled(not self._read_only)
        remove.clicked.connect(lambda: self.photo_remove_requested.emit(photo_id))
        # Only where someone removes photos (the checklist page); the addendum dialog does not.
        remove.setVisible(self.isSignalConnected(QMetaMethod.fromSignal(self.photo_remove_requested)))
        layout.addWidget(remove)
        return box

    def current_value(self) -> AnswerValue:
        return list(self._value) or None

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setEnabled(not read_only)
        for button in self.findChildren(QPushButton, "removePhoto"):
            button.setEnabled(not read_only)

    def focus_target(self) -> QWidget:
        return self.add_button


class ComputedView(AnswerEditor):
    """A computed value, shown read-only and updated after every answer."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.set_value(None)

    def set_value(self, value: AnswerValue) -> None:
        if value is None or value == "":
            text = _("(wordt berekend zodra de gegevens er zijn)")
        else:
            text = format_value(self.question, value, current_language())
        self.label.setText(_("Berekend: {value}", value=text))
        self._value = value

    def current_value(self) -> AnswerValue:
        return None

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def focus_target(self) -> QWidget:
        return self.label
