"""A location's history: earlier visits' indicators, local and from the office's reference bundle.

One source for what the inspector is shown and for what the escalation advice counts, so the advice
("seen here before": RIEC) can never disagree with the history on screen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from inspector_app.services.app import AppContext


@dataclass(frozen=True)
class HistoryItem:
    """One indicator of an earlier visit at a location."""

    visit_id: str
    visit_date: str
    slug: str
    weight: str
    source: str  # "local" (a visit on this laptop) or "office" (from the latest reference bundle)


def location_history(
    app: AppContext, location_id: str, exclude_visit: str | None = None
) -> list[HistoryItem]:
    """Earlier visits' active indicators at a location, newest first: local visits plus reference data."""
    local = app.db.execute(
        "SELECT o.visit_id, substr(v.started_at, 1, 10), o.slug,"
        " min(CASE o.weight WHEN 'H' THEN 0 WHEN 'M' THEN 1 ELSE 2 END)"
        " FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        " WHERE v.location_id = ? AND o.active = 1 AND o.dismissed = 0 GROUP BY o.visit_id, o.slug",
        [location_id],
    ).fetchall()
    items = {(v, s): HistoryItem(v, d, s, "HML"[w], "local") for v, d, s, w in local}
    local_visits = {v for v, _s in items} | {
        str(r[0]) for r in app.db.execute("SELECT id FROM visits WHERE location_id = ?", [location_id])
    }
    for v, d, s, w in app.db.execute(
        "SELECT visit_id, visit_date, slug, weight FROM sync_reference_history WHERE location_id = ?",
        [location_id],
    ).fetchall():
        if v not in local_visits:
            items[(v, s)] = HistoryItem(v, d, s, w, "office")
    found = [item for item in items.values() if item.visit_id != exclude_visit]
    return sorted(
        found, key=lambda i: (i.visit_date, i.visit_id, "HML".index(i.weight), i.slug), reverse=True
    )


def location_history_counts(
    app: AppContext, location_id: str, exclude_visit: str | None = None
) -> dict[str, int]:
    """Per slug, in how many earlier visits at this location an M or H indicator stood.

    Built on `location_history`, so a laptop counts the visits it only knows from the office's
    reference bundle as well as its own.
    """
    items = location_history(app, location_id, exclude_visit)
    return dict(Counter(item.slug for item in items if item.weight in ("H", "M")))
