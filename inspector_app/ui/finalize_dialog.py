"""Finalize refused (what is missing, click to go there) and an addendum on a final visit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import AppError
from inspector_app.forms.model import FormDefinition, Question
from inspector_app.forms.refs import parse_ref
from inspector_app.i18n import _, current_language
from inspector_app.ui.checklist_editors import PhotoLookup
from inspector_app.ui.checklist_style import error_text_style, standard_icon
from inspector_app.ui.question_widgets import make_editor

REF_ROLE = Qt.ItemDataRole.UserRole


def describe_ref(form: FormDefinition, ref: str) -> str:
    """'PB-20[2] · Heeft de persoon …' for lists; the ref alone when it cannot be read."""
    try:
        question, person = parse_ref(form, ref)
    except AppError:
        return ref
    label = question.label.get(current_language())
    who = _(" (persoon {number})", number=person) if person else ""
    return f"{ref}{who} · {label}"


class FinalizeRefusedDialog(QDialog):
    """The visit cannot be made final yet: the open required questions and invalid answers."""

    jump_requested = Signal(str)

    def __init__(
        self,
        form: FormDefinition,
        missing: list[str],
        invalid: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Nog niet definitief"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Het bezoek kan nog niet definitief worden. Beantwoord eerst deze vragen; "
                "dubbelklik of druk Enter om naar een vraag te gaan."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Open vragen"))
        for ref in missing:
            item = QListWidgetItem(
                standard_icon(QStyle.StandardPixmap.SP_MessageBoxWarning),
                _("Open: {question}", question=describe_ref(form, ref)),
            )
            item.setData(REF_ROLE, ref)
            self.list.addItem(item)
        for ref, message in invalid:
            item = QListWidgetItem(
                standard_icon(QStyle.StandardPixmap.SP_MessageBoxCritical),
                _("Ongeldig: {question} — {message}", question=describe_ref(form, ref), message=message),
            )
            item.setData(REF_ROLE, ref)
            self.list.addItem(item)
        self.list.itemActivated.connect(self._activated)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setFocus()

    def refs(self) -> list[str]:
        return [str(self.list.item(i).data(REF_ROLE)) for i in range(self.list.count())]

    def _activated(self, item: QListWidgetItem) -> None:
        self.accept()
        self.jump_requested.emit(str(item.data(REF_ROLE)))


class AmendDialog(QDialog):
    """A correction to a final visit: the new answer and the reason, stored as an addendum."""

    def __init__(
        self,
        question: Question,
        ref: str,
        value: AnswerValue,
        photo_lookup: PhotoLookup,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Aanvulling op {ref}", ref=ref))
        self.resize(560, 300)
        layout = QVBoxLayout(self)
        label = QLabel(f"<b>{question.label.get(current_language())}</b>")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor = make_editor(question, photo_lookup)
        self.editor.set_value(value)
        layout.addWidget(self.editor)
        reason_label = QLabel(_("&Reden van de aanvulling (verplicht)"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("bijv. telfout verbeterd na teruglezen"))
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        self.error = QLabel()
        self.error.setStyleSheet(error_text_style())
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Aanvulling vastleggen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def show_error(self, message: str) -> None:
        self.error.setText("⚠ " + message)
        self.error.show()

    def value(self) -> AnswerValue:
        """The corrected value (raises AppError when typed text cannot be read)."""
        return self.editor.current_value()
