"""One question on the checklist page: label, help, signal mark, editor, inline message and note."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.model import AnswerValue, Weight
from inspector_app.forms.model import Question, QuestionType
from inspector_app.forms.state import answer_ref
from inspector_app.i18n import _, current_language
from inspector_app.ui.checklist_editor_base import IDLE_MS, AnswerEditor, IdleCommitEditor
from inspector_app.ui.checklist_editors import PhotoLookup, confirm_clear_photos
from inspector_app.ui.checklist_style import (
    error_text_style,
    icon_pixmap,
    secondary_text_style,
    weight_icon,
    weight_text,
)
from inspector_app.ui.focus_group import FocusGroup
from inspector_app.ui.question_widgets import make_editor
from inspector_app.ui.signal_panel import ask_observation_note


class QuestionWidget(QFrame):
    """A question and its answer for the visit or for one person (`ref` PB-20 or PB-20[2])."""

    answered = Signal(str, object)
    note_edited = Signal(str, str)
    amend_requested = Signal(str)
    photo_requested = Signal(str)
    photo_remove_requested = Signal(str, str)  # ref, photo id

    def __init__(
        self,
        question: Question,
        person: int | None,
        photo_lookup: PhotoLookup,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.person = person
        self.ref = answer_ref(question.id, person)
        self.setObjectName("question")
        self.setFrameShape(QFrame.Shape.NoFrame)
        language = current_language()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(3)

        top = QHBoxLayout()
        required = " *" if question.required else ""
        self.label = QLabel(f"<b>{_escape(question.label.get(language))}</b>{required}")
        self.label.setWordWrap(True)
        if question.required:
            self.label.setToolTip(_("Verplichte vraag"))
        top.addWidget(self.label, 1)
        self.mark = QLabel()
        self.mark_icon = QLabel()
        self.mark_icon.setPixmap(icon_pixmap(QStyle.StandardPixmap.SP_MessageBoxWarning))
        self.mark.setText("<b>" + _("signaal") + "</b>")
        self.mark_icon.hide()
        self.mark.hide()
        ident = QLabel(question.id)
        ident.setStyleSheet(secondary_text_style())
        top.addWidget(ident)
        layout.addLayout(top)

        if question.help is not None:
            help_label = QLabel(question.help.get(language))
            help_label.setWordWrap(True)
            help_label.setStyleSheet(secondary_text_style())
            layout.addWidget(help_label)

        self.editor: AnswerEditor = make_editor(question, photo_lookup)
        self.needs_note_on_tick = False  # an observation question: a new tick asks for the factual note
        self._last_value: AnswerValue = None
        self.editor.committed.connect(self._committed)
        self.editor.refused.connect(self.show_error)
        self.editor.photo_requested.connect(lambda: self.photo_requested.emit(self.ref))
        self.editor.photo_remove_requested.connect(
            lambda pid: self.photo_remove_requested.emit(self.ref, pid)
        )
        layout.addWidget(self.editor)

        error_row = QHBoxLayout()
        self.error_icon = QLabel()
        self.error_icon.setPixmap(icon_pixmap(QStyle.StandardPixmap.SP_MessageBoxCritical))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_text_style())
        error_row.addWidget(self.error_icon)
        error_row.addWidget(self.error, 1)
        layout.addLayout(error_row)
        self.error_icon.hide()
        self.error.hide()

        footer = QHBoxLayout()
        footer.setSpacing(4)
        self.note_button = QPushButton(_("Notitie"))
        self.note_button.setCheckable(True)
        self.note_button.setFlat(True)
        self.note_button.setAccessibleDescription(question.label.get(language))
        self.note_button.toggled.connect(self._note_toggled)
        self.clear_button = QPushButton(_("Wissen"))
        self.clear_button.setFlat(True)
        self.clear_button.setAccessibleDescription(question.label.get(language))
        self.clear_button.setToolTip(_("Antwoord leegmaken"))
        self.clear_button.clicked.connect(self._clear)
        self.amend_button = QPushButton(_("Aanvulling…"))
        self.amend_button.setAccessibleDescription(question.label.get(language))
        self.amend_button.setToolTip(_("Correctie op een definitief bezoek, met reden"))
        self.amend_button.clicked.connect(lambda: self.amend_requested.emit(self.ref))
        self.amend_button.hide()
        for button in (self.note_button, self.clear_button, self.amend_button):
            footer.addWidget(button)
        # Notitie and Wissen are one tab stop (arrow keys between them): a yes/no question costs two.
        self.footer_group = FocusGroup([self.note_button, self.clear_button], self)
        footer.addStretch(1)
        # The mark sits in the footer row, which is always there: appearing after an answer it neither
        # rewraps the label nor pushes the answer buttons down under the pointer.
        footer.addWidget(self.mark_icon)
        footer.addWidget(self.mark)
        if question.type is QuestionType.COMPUTED:
            self.note_button.hide()
            self.clear_button.hide()
        layout.addLayout(footer)

        self.note = QLineEdit()
        self.note.setAccessibleName(_("Notitie bij {question}", question=question.label.get(language)))
        self.note.setPlaceholderText(_("Feitelijke notitie: wat is gezien of gehoord (geen namen)"))
        self.note.hide()
        self._note_saved = ""
        self.note_idle = QTimer(self)
        self.note_idle.setSingleShot(True)
        self.note_idle.setInterval(IDLE_MS)
        self.note_idle.timeout.connect(self.flush_note)
        self.note.textEdited.connect(lambda _text: self.note_idle.start())
        self.note.editingFinished.connect(self.flush_note)
        layout.addWidget(self.note)

    # ------------------------------------------------------------------------------- showing

    def show_answer(self, value: AnswerValue, note: str) -> None:
        """Show a stored answer and note without saving anything."""
        self._last_value = value
        self.editor.set_value(value)
        self.note.setText(note)
        self._note_saved = note
        if note:
            self.note_button.setChecked(True)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.error_icon.show()
        if isinstance(self.editor, IdleCommitEditor):
            self.editor.forget_commit()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
        self.error_icon.hide()

    @property
    def has_error(self) -> bool:
        return not self.error.isHidden()

    def set_marked(self, slugs_text: str | None, weight: Weight | None = None) -> None:
        """Mark the question as having raised a signal, or clear the mark.

        With a weight the mark shows it as the signal panel does (its icon and "H – Hoog"), so the
        weight is never a matter of colour or of a warning sign that is the same for every weight.
        """
        shown = slugs_text is not None
        self.mark.setVisible(shown)
        self.mark_icon.setVisible(shown)
        self.mark.setToolTip(slugs_text or "")
        self.mark_icon.setToolTip(slugs_text or "")
        if weight is None:
            self.mark_icon.setPixmap(icon_pixmap(QStyle.StandardPixmap.SP_MessageBoxWarning))
            self.mark.setText("<b>" + _("signaal") + "</b>")
        else:
            self.mark_icon.setPixmap(weight_icon(weight).pixmap(16, 16))
            self.mark.setText("<b>" + _("signaal") + "</b> · " + weight_text(weight))
        self.mark.setAccessibleName(_("signaal") + (" " + weight_text(weight) if weight else ""))

    @property
    def is_marked(self) -> bool:
        return not self.mark.isHidden()

    def set_read_only(self, read_only: bool, amendable: bool = True) -> None:
        """Lock the answer; a locked one offers "Aanvulling…" only where addenda are made (`amendable`:
        the inspector's own final visit, not the office's read-only view)."""
        self.editor.set_read_only(read_only)
        self.note.setReadOnly(read_only)
        self.note_button.setVisible(
            self.question.type is not QuestionType.COMPUTED and (not read_only or bool(self.note.text()))
        )
        self.clear_button.setVisible(not read_only and self.question.type is not QuestionType.COMPUTED)
        self.amend_button.setVisible(
            read_only and amendable and self.question.type is not QuestionType.COMPUTED
        )

    # -------------------------------------------------------------------------------- editing

    def flush(self) -> None:
        self.editor.flush()
        self.flush_note()

    def flush_note(self) -> None:
        self.note_idle.stop()
        text = self.note.text()
        if text != self._note_saved and not self.note.isReadOnly():
            self._note_saved = text
            self.note_edited.emit(self.ref, text)

    def _committed(self, value: AnswerValue) -> None:
        """Save the answer; a newly ticked observation box first asks for the note (see ask_observation_note)."""
        before = set(self._last_value) if isinstance(self._last_value, list) else set()
        added = [v for v in value if v not in before] if isinstance(value, list) else []
        if self.needs_note_on_tick and added and not self.note.text().strip():
            labels = [self.question.value_label(v, current_language()) for v in added]
            note = ask_observation_note(self, labels)
            if note is None:
                self.editor.set_value(self._last_value)  # cancelled: the box is not ticked
                return
            self._last_value = value
            self.answered.emit(self.ref, value)
            self.note.setText(note)
            self.note.show()
            self.flush_note()
            return
        self._last_value = value
        self.answered.emit(self.ref, value)

    def _note_toggled(self, on: bool) -> None:
        self.note.setVisible(on or bool(self.note.text()))
        if on:
            self.note.setFocus()

    def _clear(self) -> None:
        if not confirm_clear_photos(self, self.question, self.editor.current_value()):
            return
        self.editor.set_value(None)
        self._last_value = None
        self.answered.emit(self.ref, None)

    def focus(self) -> None:
        target = self.editor.focus_target()
        target.setFocus(Qt.FocusReason.OtherFocusReason)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
