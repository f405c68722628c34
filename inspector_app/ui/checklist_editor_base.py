"""The shape every answer editor shares: show a value quietly, emit `committed` when settled."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import AppError
from inspector_app.forms.model import Question

IDLE_MS = 800


class AnswerEditor(QWidget):
    """Base of every editor: `committed(value)` when the inspector settles on a value."""

    committed = Signal(object)
    refused = Signal(str)
    photo_requested = Signal()
    photo_remove_requested = Signal(str)  # a photo id, from the photo editor's per-photo button

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._read_only = False

    def set_value(self, value: AnswerValue) -> None:
        raise NotImplementedError

    def current_value(self) -> AnswerValue:
        """The value shown now; raises AppError when typed text cannot be read."""
        raise NotImplementedError

    def flush(self) -> None:
        """Commit text that was typed but not yet committed (before finalize, on close)."""

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for child in self.findChildren(QWidget):
            child.setEnabled(not read_only)

    def focus_target(self) -> QWidget:
        return self


class IdleCommitEditor(AnswerEditor):
    """Shared by typed editors: commit after a pause in typing and when the field is left."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self._committed_text: str | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_MS)
        self.idle.timeout.connect(self.flush)

    def text(self) -> str:
        raise NotImplementedError

    def _edited(self) -> None:
        if not self._read_only:
            self.idle.start()

    def flush(self) -> None:
        self.idle.stop()
        text = self.text()
        if self._read_only or text == self._committed_text:
            return
        self._committed_text = text
        try:
            value = self.current_value()
        except AppError as error:
            self.refused.emit(error.message)
            return
        self.committed.emit(value)

    def forget_commit(self) -> None:
        """After a refused answer: let the same text be offered again on the next edit."""
        self._committed_text = None
