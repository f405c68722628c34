"""Tick a signal by hand: search the whole catalogue, pick one indicator, give a factual note."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.labels import CATEGORY_LABELS
from inspector_app.i18n import _, current_language
from inspector_app.ui.checklist_style import weight_icon, weight_text


class IndicatorPickerDialog(QDialog):
    """A filter field over the catalogue, a list of matches and a required note."""

    def __init__(
        self,
        parent: QWidget | None = None,
        catalogue: Catalogue | None = None,
        standing: Collection[str] = (),
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue or load_catalogue()
        self.standing = frozenset(standing)  # already raised or ticked in this visit: marked in the list
        self.setWindowTitle(_("Signaal aanvinken"))
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("Zoek een indicator uit de signaalcatalogus en beschrijf feitelijk wat u zag of hoorde.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Zoeken, bijv. paspoort, schuld, slapen…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._refilter)
        search_label = QLabel(_("&Zoeken"))
        search_label.setBuddy(self.filter)
        layout.addWidget(search_label)
        layout.addWidget(self.filter)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Signalen uit de catalogus"))
        self.list.currentItemChanged.connect(lambda *_args: self._update_ok())
        layout.addWidget(self.list, 1)
        note_label = QLabel(_("Feitelijke &notitie (verplicht)"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.note.setPlaceholderText(_("Wat is gezien of gehoord; geen conclusies, geen namen"))
        note_label.setBuddy(self.note)
        self.note.textChanged.connect(self._update_ok)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Aanvinken"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._refilter("")
        self.filter.setFocus()

    def _refilter(self, text: str) -> None:
        language = current_language()
        self.list.clear()
        for indicator in self.catalogue.search(text):
            category = CATEGORY_LABELS[indicator.category].get(language)
            text = f"{indicator.label.get(language)}  [{weight_text(indicator.weight)} · {category}]"
            tooltip = indicator.slug
            if indicator.slug in self.standing:
                text = "✓ " + text + "  — " + _("staat al in dit bezoek")
                tooltip = _(
                    "{slug}: staat al in dit bezoek; aanvinken voegt een notitie toe", slug=indicator.slug
                )
            item = QListWidgetItem(weight_icon(indicator.weight), text)
            item.setData(Qt.ItemDataRole.UserRole, indicator.slug)
            item.setToolTip(tooltip)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.selected_slug() is not None and bool(self.note_text()))

    def selected_slug(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def note_text(self) -> str:
        return self.note.toPlainText().strip()
