"""The right-hand signal panel and the escalation banner above the questions.

The panel lists standing indicators by category with their weight (letter, word and icon), each with
the answers that raised it (activate one to jump there); dismissed ones follow with their reason.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.catalogue import Catalogue
from inspector_app.domain.labels import ADVICE_HEADLINES, CATEGORY_LABELS
from inspector_app.domain.model import Advice, AdviceLevel, Category, IndicatorSource
from inspector_app.domain.records import ObservationRow
from inspector_app.domain.sources import load_sources
from inspector_app.i18n import _, current_language
from inspector_app.signals import ledger
from inspector_app.signals.ledger import StandingIndicator
from inspector_app.ui.checklist_style import (
    ADVICE_ICONS,
    ADVICE_STYLES,
    icon_pixmap,
    secondary_text_style,
    standard_icon,
    weight_icon,
    weight_text,
)

REF_ROLE = Qt.ItemDataRole.UserRole
SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
DISMISSED_ROLE = Qt.ItemDataRole.UserRole + 2
# Advice shown as history (the office reading a visit later): neutral, not the alarm colours.
HISTORY_STYLE = "background:#eeeeee; color:#222222;"


class _ReasonEdit(QPlainTextEdit):
    """The reason field: Enter submits (as in a one-line field), Shift+Enter starts a new line.

    A plain text edit took Enter as a new line, so a keyboard user typed the note, pressed Enter and
    was left in the dialog with no visible way on; the note is a sentence or two, rarely more.
    """

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if enter and not modifiers & Qt.KeyboardModifier.ShiftModifier:
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ReasonDialog(QDialog):
    """Ask why (a dismissal, or undoing one); an empty reason keeps the dialog open with a message.

    QInputDialog closed on OK with an empty line, so the inspector saw the refusal only afterwards
    and had to start again; here the refusal is shown beside the field and the typed text stays.
    """

    def __init__(
        self,
        title: str,
        question: str,
        accept_text: str,
        parent: QWidget | None = None,
        empty_message: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.empty_message = empty_message or _("Vul een reden in; die komt in het auditlog.")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(question)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text = _ReasonEdit()
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(80)
        self.text.setAccessibleName(title)
        hint = _("Enter legt vast, Shift+Enter begint een nieuwe regel")
        self.text.setPlaceholderText(hint)
        self.text.setAccessibleDescription(hint)
        self.text.submitted.connect(self.accept)
        label.setBuddy(self.text)
        layout.addWidget(self.text)
        error_row = QHBoxLayout()
        self.error_icon = QLabel()
        self.error_icon.setPixmap(icon_pixmap(QStyle.StandardPixmap.SP_MessageBoxWarning, 16))
        self.error = QLabel()
        self.error.setWordWrap(True)
        error_row.addWidget(self.error_icon)
        error_row.addWidget(self.error, 1)
        layout.addLayout(error_row)
        self.error_icon.hide()
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(accept_text)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Annuleren"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())
        self.text.setFocus()

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def accept(self) -> None:
        if not self.reason():
            self.error.setText(self.empty_message)
            self.error.show()
            self.error_icon.show()
            self.text.setFocus()
            return
        super().accept()


def ask_observation_note(parent: QWidget | None, labels: list[str]) -> str | None:
    """The factual note for observation boxes just ticked; None when the inspector cancels.

    One rule for every signal recorded by hand in the app: it needs a factual note, whether it is
    ticked in the picker ("Signaal aanvinken") or as a box of an observation question, whose choices
    are the indicators themselves. Before, the box needed none and the picker did.
    """
    dialog = ReasonDialog(
        _("Feitelijke notitie"),
        _(
            "Wat zag of hoorde u bij: {labels}? Een signaal dat u zelf aankruist vraagt een feitelijke "
            "notitie, net als 'Signaal aanvinken'.",
            labels="; ".join(labels),
        ),
        _("Vastleggen"),
        parent,
        _("Vul een feitelijke notitie in: wat is gezien of gehoord (geen namen)."),
    )
    if dialog.exec() != ReasonDialog.DialogCode.Accepted:
        return None
    return dialog.reason()


class SignalPanel(QWidget):
    """Standing indicators grouped by category; tick by hand and dismiss with a reason."""

    jump_requested = Signal(str)
    tick_requested = Signal()
    dismiss_requested = Signal(str)
    restore_requested = Signal(str)

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.setObjectName("signalPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        self.title = QLabel("<b>" + _("Signalen") + "</b>")
        layout.addWidget(self.title)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Signalen in dit bezoek"))
        self.tree.setAccessibleDescription(_("Enter gaat naar de vraag die het signaal gaf"))
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setIndentation(14)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.tree.currentItemChanged.connect(lambda *_args: self._show_sources())
        layout.addWidget(self.tree, 1)
        self.sources = QLabel()
        self.sources.setObjectName("signalSources")
        self.sources.setAccessibleName(_("Bronnen van het gekozen signaal"))
        self.sources.setWordWrap(True)
        self.sources.setStyleSheet(secondary_text_style())
        self.sources.hide()
        layout.addWidget(self.sources)
        self.empty = QLabel(_("Nog geen signalen."))
        self.empty.setStyleSheet(secondary_text_style())
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.tick_button = QPushButton(_("Signaal aanvinken…"))
        self.tick_button.clicked.connect(self.tick_requested.emit)
        self.dismiss_button = QPushButton(_("Afwijzen…"))
        self.dismiss_button.setToolTip(_("Het gekozen signaal afwijzen, met een reden"))
        self.dismiss_button.clicked.connect(self._dismiss_clicked)
        self.restore_button = QPushButton(_("Terugzetten…"))
        self.restore_button.setToolTip(
            _("De afwijzing van het gekozen signaal ongedaan maken, met een reden")
        )
        self.restore_button.clicked.connect(self._restore_clicked)
        buttons.addWidget(self.tick_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.restore_button)
        layout.addLayout(buttons)
        self._read_only = False
        self._update_buttons()

    def show_observations(self, rows: Iterable[ObservationRow]) -> None:
        language = current_language()
        self.tree.clear()
        rows = list(rows)
        standing = {indicator.slug: indicator for indicator in ledger.standing(rows)}
        dismissed: dict[str, ObservationRow] = {}
        for row in rows:
            if row.active and row.dismissed:
                dismissed.setdefault(row.slug, row)
        by_category: dict[Category, list[str]] = {}
        for slug in standing:
            by_category.setdefault(self._category(slug), []).append(slug)
        bold = QFont()
        bold.setBold(True)
        for category in Category:
            slugs = by_category.get(category)
            if not slugs:
                continue
            group = QTreeWidgetItem([f"{CATEGORY_LABELS[category].get(language)} ({len(slugs)})"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            slugs.sort(key=lambda s: (-standing[s].weight.rank, self._label(s)))
            for slug in slugs:
                child = self._indicator_item(standing[slug])
                group.addChild(child)
                child.setExpanded(True)
            group.setExpanded(True)
        if dismissed:
            group = QTreeWidgetItem([_("Afgewezen ({count})", count=len(dismissed))])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for slug, row in sorted(dismissed.items()):
                text = _(
                    "{label} — afgewezen: {reason}",
                    label=self._label(slug),
                    reason=row.dismiss_reason or "",
                )
                item = QTreeWidgetItem([text])
                item.setIcon(0, standard_icon(QStyle.StandardPixmap.SP_DialogCancelButton))
                item.setToolTip(0, text)  # the whole reason, also where the row cuts it off
                item.setData(0, SLUG_ROLE, None)
                item.setData(0, DISMISSED_ROLE, slug)
                group.addChild(item)
            group.setExpanded(True)
        count = len(standing)
        self.title.setText("<b>" + _("Signalen ({count})", count=count) + "</b>")
        self.empty.setVisible(count == 0 and not dismissed)
        self._update_buttons()

    def _indicator_item(self, indicator: StandingIndicator) -> QTreeWidgetItem:
        slug, weight = indicator.slug, indicator.weight
        item = QTreeWidgetItem([f"{self._label(slug)}\n[{weight_text(weight)}]"])
        item.setIcon(0, weight_icon(weight))
        item.setData(0, SLUG_ROLE, slug)
        item.setToolTip(0, slug)
        for ref in indicator.raised_by:
            child = QTreeWidgetItem([_("→ vraag {ref}", ref=ref)])
            child.setData(0, REF_ROLE, ref)
            child.setData(0, SLUG_ROLE, slug)
            child.setToolTip(0, _("Klik om naar de vraag te gaan"))
            item.addChild(child)
        for row in indicator.observations:
            if row.source is IndicatorSource.MANUAL:
                child = QTreeWidgetItem([_("handmatig: {note}", note=row.note)])
                child.setData(0, SLUG_ROLE, slug)
                item.addChild(child)
        return item

    def _show_sources(self) -> None:
        """The sources of the selected indicator (resources/sources.toml), so an inspector can see what
        a signal rests on; nothing while no indicator is selected."""
        slug = self.selected_slug()
        if slug is None or slug not in self.catalogue:
            self.sources.hide()
            return
        known = load_sources()
        parts = [
            f"{known[ref].publisher}, “{known[ref].title}” ({known[ref].year})"
            for ref in self.catalogue[slug].refs
            if ref in known
        ]
        self.sources.setText(_("Bronnen: {refs}", refs="; ".join(parts) or "—"))
        self.sources.show()

    def _category(self, slug: str) -> Category:
        return self.catalogue[slug].category if slug in self.catalogue else Category.GENERAL

    def _label(self, slug: str) -> str:
        return self.catalogue[slug].label.get(current_language()) if slug in self.catalogue else slug

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        ref = item.data(0, REF_ROLE)
        if ref:
            self.jump_requested.emit(str(ref))

    def selected_slug(self) -> str | None:
        item = self.tree.currentItem()
        slug = item.data(0, SLUG_ROLE) if item is not None else None
        return str(slug) if slug else None

    def select_slug(self, slug: str) -> None:
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            if group is None:
                continue
            for child_index in range(group.childCount()):
                child = group.child(child_index)
                if child is not None and child.data(0, SLUG_ROLE) == slug:
                    self.tree.setCurrentItem(child)
                    return

    def dismissed_slug(self) -> str | None:
        """The slug of the dismissed row chosen in the tree, for undoing its dismissal."""
        item = self.tree.currentItem()
        slug = item.data(0, DISMISSED_ROLE) if item is not None else None
        return str(slug) if slug else None

    def select_dismissed(self, slug: str) -> None:
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            for child_index in range(group.childCount() if group is not None else 0):
                child = group.child(child_index) if group is not None else None
                if child is not None and child.data(0, DISMISSED_ROLE) == slug:
                    self.tree.setCurrentItem(child)
                    return

    def _restore_clicked(self) -> None:
        slug = self.dismissed_slug()
        if slug:
            self.restore_requested.emit(slug)

    def _dismiss_clicked(self) -> None:
        slug = self.selected_slug()
        if slug:
            self.dismiss_requested.emit(slug)

    def _update_buttons(self) -> None:
        self.tick_button.setEnabled(not self._read_only)
        self.dismiss_button.setEnabled(not self._read_only and self.selected_slug() is not None)
        self.restore_button.setEnabled(not self._read_only and self.dismissed_slug() is not None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()


def split_headline(headline: str, text: str) -> tuple[str, str]:
    """The bold lead of a banner row and the rest: "ACUUT: " + text, unless the text starts with it.

    The acute advice itself begins "Acuut (…): bel 112", which made the banner read "ACUUT: Acuut";
    then the text's own first word is the (bold, capitalised) headline.
    """
    if text.casefold().startswith(headline.casefold()):
        return headline, text[len(headline) :]
    return headline, ": " + text


def headline_text(headline: str, text: str) -> str:
    """A banner row as plain text, as a screen reader or a test gets it."""
    return "".join(split_headline(headline, text))


class AdviceBanner(QFrame):
    """Escalation advice below the questions, most urgent first; acute in a prominent style.

    A toggle at its top right (mouse, Tab + Space, or Ctrl+Shift+A on the page) collapses it to one
    line of headlines, giving the questions the room back on a small screen. The banner sits below
    the questions, so showing, hiding or collapsing it never moves what is under the pointer or the
    focus. It opens again by itself when a more urgent level appears. `history` shows the advice as
    what stood at the visit, not as a call to action (the office reads a visit days later), and starts
    collapsed: two history rows took ~130 px of a 600 px screen from the visit being reviewed.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adviceBanner")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        body = QVBoxLayout()
        body.setSpacing(2)
        self.rows = QWidget()
        self.layout_ = QVBoxLayout(self.rows)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.summary = QLabel()
        self.summary.setObjectName("adviceSummary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        body.addWidget(self.rows)
        body.addWidget(self.summary)
        outer.addLayout(body, 1)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.toggle.setAutoRaise(False)
        self.toggle.toggled.connect(self._set_expanded)
        outer.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        self.levels: list[AdviceLevel] = []
        self.texts: list[str] = []
        self.history = False
        self._set_expanded(True)
        self.hide()

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def toggle_expanded(self) -> None:
        if self.isVisible():
            self.toggle.setChecked(not self.toggle.isChecked())

    def _set_expanded(self, on: bool) -> None:
        self.rows.setVisible(on)
        self.summary.setVisible(not on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.UpArrow)
        name = _("Advies inklappen") if on else _("Advies uitklappen")
        self.toggle.setAccessibleName(name)
        self.toggle.setToolTip(name + " (Ctrl+Shift+A)")

    def show_advice(self, advice: list[Advice], contact_person: str, history: bool = False) -> None:
        rows = [(item.level, *self._texts(item, contact_person, history)) for item in advice]
        texts = [headline_text(prefix, text) for _level, prefix, text in rows]
        if texts == self.texts and self.isVisible() == bool(advice) and history == self.history:
            return  # same advice: leave the widgets (and the page layout) alone
        while self.layout_.count():
            old = self.layout_.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.hide()  # out of sight now: deleteLater alone left it drawn under the new rows
                widget.deleteLater()
        levels = [level for level, _prefix, _text in rows]
        urgent = list(AdviceLevel)
        if history:
            if not self.history or not self.levels:
                self.set_expanded(False)  # the office reads what stood then: one line until asked
        elif levels and (
            self.history or not self.levels or urgent.index(levels[0]) < urgent.index(self.levels[0])
        ):
            self.set_expanded(True)  # something more urgent than what was collapsed: show it
        self.levels = levels
        self.texts = texts
        self.history = history
        for level, prefix, text in rows:
            self.layout_.addWidget(self._row(level, prefix, text, history))
        if rows:
            level = levels[0]
            style = HISTORY_STYLE if history else ADVICE_STYLES[level]
            headlines = " · ".join(ADVICE_HEADLINES[level].get() for level in levels)
            if history:
                headlines = _("Tijdens het bezoek") + ": " + headlines
            self.summary.setText(html.escape(headlines + " " + _("(ingeklapt)")))
            self.summary.setStyleSheet(f"QLabel#adviceSummary {{ {style} padding:2px 8px; }}")
            self.summary.setToolTip("\n".join(texts))
        self.setVisible(bool(advice))

    @staticmethod
    def _texts(item: Advice, contact_person: str, history: bool = False) -> tuple[str, str]:
        text = item.text
        if history:
            return _("Tijdens het bezoek"), _(
                "{headline} — het advies ter plaatse was: “{advice}” Dit is de geschiedenis van het "
                "bezoek, geen opdracht voor nu; de opvolging loopt via de doorverwijzingen.",
                headline=ADVICE_HEADLINES[item.level].get(),
                advice=text,
            )
        if item.level is AdviceLevel.ESCALATE:
            text += " " + (
                _("Aandachtsfunctionaris: {contact}.", contact=contact_person)
                if contact_person
                else _("Er is nog geen aandachtsfunctionaris ingesteld (Instellingen).")
            )
        return ADVICE_HEADLINES[item.level].get(), text

    @staticmethod
    def _row(level: AdviceLevel, prefix: str, text: str, history: bool = False) -> QWidget:
        row = QFrame()
        row.setObjectName(f"advice_{level.value}")
        style = HISTORY_STYLE if history else ADVICE_STYLES[level]
        row.setStyleSheet(f"QFrame#advice_{level.value} {{ {style} border-radius:4px; }}")
        layout = QHBoxLayout(row)
        prominent = level is AdviceLevel.ACUTE and not history
        layout.setContentsMargins(8, 6 if prominent else 4, 8, 4)
        icon = QLabel()
        pixmap = QStyle.StandardPixmap.SP_FileDialogInfoView if history else ADVICE_ICONS[level]
        icon.setPixmap(icon_pixmap(pixmap, 28 if prominent else 20))
        icon.setStyleSheet("background:transparent;")
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        lead, rest = split_headline(prefix, text)
        label = QLabel(f"<b>{html.escape(lead)}</b>{html.escape(rest)}")
        label.setWordWrap(True)
        label.setStyleSheet(f"{style} background:transparent;")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(label, 1)
        return row
