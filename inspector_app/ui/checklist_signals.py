"""Signals as you go on the checklist page: the signal panel, the advice banner and the question marks.

Kept apart from the page because it is one job with its own rule: redraw only when the visit's
observations (or discreet mode) changed, since a full redraw on every answer would flicker and cost
time on large visits.
"""

from __future__ import annotations

from collections.abc import Iterable

from inspector_app.domain.catalogue import Catalogue
from inspector_app.domain.model import Weight
from inspector_app.i18n import current_language
from inspector_app.services.visit.session import VisitSession
from inspector_app.ui.checklist_sections import SectionView
from inspector_app.ui.signal_panel import AdviceBanner, SignalPanel


class SignalDisplay:
    """Shows one visit's observations in the panel, its advice in the banner, and marks the questions."""

    def __init__(
        self, panel: SignalPanel, banner: AdviceBanner, catalogue: Catalogue, contact_person: str
    ) -> None:
        self.panel, self.banner, self.catalogue = panel, banner, catalogue
        self.contact_person = contact_person
        self._key: object = None
        self.history = False  # the office reads the visit later: the advice is history, not a task

    def invalidate(self) -> None:
        """Redraw on the next `refresh` even if the observations look unchanged (new visit, discreet mode)."""
        self._key = None

    def refresh(self, session: VisitSession, views: Iterable[SectionView], discreet: bool) -> None:
        rows = sorted(session.observations.values(), key=lambda r: (r.slug, r.source))
        key = (
            discreet,
            self.history,
            tuple(
                (r.slug, r.source, r.weight, tuple(r.raised_by), r.counts, r.dismissed, r.note) for r in rows
            ),
        )
        if key == self._key:
            return
        self._key = key
        self.panel.show_observations(rows)
        if discreet:
            self.banner.hide()
        else:
            self.banner.show_advice(session.advice(), self.contact_person, self.history)
        self.mark(session, views, discreet)

    def mark(self, session: VisitSession, views: Iterable[SectionView], discreet: bool) -> None:
        """Mark each question that raised a standing indicator with the indicator labels (none when discreet)."""
        raised: dict[str, list[str]] = {}
        strongest: dict[str, Weight] = {}  # per question: the weight its mark shows, as the panel does
        if not discreet:
            language = current_language()
            for row in session.standing_observations():
                label = (
                    self.catalogue[row.slug].label.get(language) if row.slug in self.catalogue else row.slug
                )
                weight = Weight(row.weight)
                for ref in row.raised_by:
                    raised.setdefault(ref, []).append(f"{label} [{weight.value}]")
                    if ref not in strongest or weight.rank > strongest[ref].rank:
                        strongest[ref] = weight
        for view in views:
            for ref, widget in view.widgets.items():
                labels = raised.get(ref)
                widget.set_marked("\n".join(labels) if labels else None, strongest.get(ref))
