"""The "Eerder op deze locatie" box: earlier signals at the visit's location, compact and collapsible.

An inspector walking into a location should know what was seen there before: on this laptop's own
visits and in the history the office sent (`location_history`, the same source the escalation advice
counts, so box and advice never disagree). The box is shown once, when a visit opens, so it never
moves the questions after an answer; its toggle is a tab stop with an accessible name.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from inspector_app.domain.catalogue import Catalogue
from inspector_app.domain.model import Weight
from inspector_app.i18n import _, n_
from inspector_app.services.visit.history import HistoryItem
from inspector_app.ui.checklist_style import weight_text

MAX_ROWS = 8  # compact: the newest few; the visit report holds the rest


class LocationHistoryBox(QFrame):
    """A toggle with the count, and below it one line per earlier signal (newest first)."""

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.setObjectName("locationHistory")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(2)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.toggle.toggled.connect(self._toggled)
        layout.addWidget(self.toggle)
        self.rows = QLabel()
        self.rows.setTextFormat(Qt.TextFormat.RichText)
        self.rows.setWordWrap(True)
        layout.addWidget(self.rows)
        self.items: list[HistoryItem] = []
        self.hide()

    def show_items(self, items: list[HistoryItem]) -> None:
        """Fill the box for a newly opened visit; hidden when the location has no earlier signals."""
        self.items = items
        visits = len({item.visit_id for item in items})
        title = (
            _("Eerder op deze locatie")
            + " · "
            + n_(
                "{count} signaal in {visits}",
                "{count} signalen in {visits}",
                len(items),
                visits=_visits(visits),
            )
        )
        self.toggle.setText(title)
        self.toggle.setAccessibleName(title)
        self.toggle.setAccessibleDescription(_("Eerdere signalen op deze locatie tonen of verbergen"))
        lines = [self._line(item) for item in items[:MAX_ROWS]]
        if len(items) > MAX_ROWS:
            lines.append(
                html.escape(n_("… en nog {count} eerder", "… en nog {count} eerder", len(items) - MAX_ROWS))
            )
        self.rows.setText("<br>".join(lines))
        self.rows.setAccessibleName(_("Eerdere signalen"))
        self.setVisible(bool(items))

    def _line(self, item: HistoryItem) -> str:
        indicator = self.catalogue.indicators.get(item.slug)
        label = indicator.label.get() if indicator else item.slug
        source = _("kantoor") if item.source == "office" else _("deze laptop")
        weight = weight_text(Weight(item.weight))
        return (
            f"{html.escape(item.visit_date)} · <b>{html.escape(weight)}</b> · {html.escape(label)} ({source})"
        )

    def _toggled(self, expanded: bool) -> None:
        self.rows.setVisible(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)


def _visits(count: int) -> str:
    return n_("{count} eerder bezoek", "{count} eerdere bezoeken", count)
