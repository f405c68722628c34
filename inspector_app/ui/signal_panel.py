"""The right-hand signal panel and the escalation banner above the questions.

The panel lists standing indicators by category with their weight (letter, word and icon), each with
the answers that raised it (activate one to jump there); dismissed ones follow with their reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.catalogue import CATEGORY_LABELS, Catalogue
from inspector_app.domain.labels import ADVICE_HEADLINES
from inspector_app.domain.model import Advice, AdviceLevel, Category, IndicatorSource
from inspector_app.domain.records import ObservationRow
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


class SignalPanel(QWidget):
    """Standing indicators grouped by category; tick by hand and dismiss with a reason."""

    jump_requested = Signal(str)
    tick_requested = Signal()
    dismiss_requested = Signal(str)

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
        layout.addWidget(self.tree, 1)
        self.empty = QLabel(_("Nog geen signalen."))
        self.empty.setStyleSheet(secondary_text_style())
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.tick_button = QPushButton(_("Signaal aanvinken…"))
        self.tick_button.clicked.connect(self.tick_requested.emit)
        self.dismiss_button = QPushButton(_("Afwijzen…"))
        self.dismiss_button.setToolTip(_("Het gekozen signaal afwijzen, met een reden"))
        self.dismiss_button.clicked.connect(self._dismiss_clicked)
        buttons.addWidget(self.tick_button)
        buttons.addWidget(self.dismiss_button)
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
                item = QTreeWidgetItem(
                    [
                        _(
                            "{label} — afgewezen: {reason}",
                            label=self._label(slug),
                            reason=row.dismiss_reason or "",
                        )
                    ]
                )
                item.setIcon(0, standard_icon(QStyle.StandardPixmap.SP_DialogCancelButton))
                item.setData(0, SLUG_ROLE, None)
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

    def _dismiss_clicked(self) -> None:
        slug = self.selected_slug()
        if slug:
            self.dismiss_requested.emit(slug)

    def _update_buttons(self) -> None:
        self.tick_button.setEnabled(not self._read_only)
        self.dismiss_button.setEnabled(not self._read_only and self.selected_slug() is not None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()


class AdviceBanner(QFrame):
    """Escalation advice above the questions, most urgent first; acute in a prominent style."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adviceBanner")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.levels: list[AdviceLevel] = []
        self.texts: list[str] = []
        self.hide()

    def show_advice(self, advice: list[Advice], contact_person: str) -> None:
        rows = [(item.level, *self._texts(item, contact_person)) for item in advice]
        texts = [f"{prefix}: {text}" for _level, prefix, text in rows]
        if texts == self.texts and self.isVisible() == bool(advice):
            return  # same advice: leave the widgets (and the page layout) alone
        while self.layout_.count():
            old = self.layout_.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        self.levels = [level for level, _prefix, _text in rows]
        self.texts = texts
        for level, prefix, text in rows:
            self.layout_.addWidget(self._row(level, prefix, text))
        self.setVisible(bool(advice))

    @staticmethod
    def _texts(item: Advice, contact_person: str) -> tuple[str, str]:
        text = item.text
        if item.level is AdviceLevel.ESCALATE:
            text += " " + (
                _("Aandachtsfunctionaris: {contact}.", contact=contact_person)
                if contact_person
                else _("Er is nog geen aandachtsfunctionaris ingesteld (Instellingen).")
            )
        return ADVICE_HEADLINES[item.level].get(), text

    @staticmethod
    def _row(level: AdviceLevel, prefix: str, text: str) -> QWidget:
        row = QFrame()
        row.setObjectName(f"advice_{level.value}")
        row.setStyleSheet(f"QFrame#advice_{level.value} {{ {ADVICE_STYLES[level]} border-radius:4px; }}")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(8, 6 if level is AdviceLevel.ACUTE else 4, 8, 4)
        icon = QLabel()
        icon.setPixmap(icon_pixmap(ADVICE_ICONS[level], 28 if level is AdviceLevel.ACUTE else 20))
        icon.setStyleSheet("background:transparent;")
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        label = QLabel(f"<b>{prefix}</b>: {text}")
        label.setWordWrap(True)
        label.setStyleSheet(f"{ADVICE_STYLES[level]} background:transparent;")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(label, 1)
        return row
