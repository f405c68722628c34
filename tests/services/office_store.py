"""An office store for the statistics tests, and the figures counted again from its raw rows.

The store: synthetic demo visits (two years back from today), with two things the demo does not make
added by hand: a manual tick at a stronger weight beside an auto row of the same slug (the indicator
stands once, at H), and referrals sent 0 to 30 days after their visit (the demo sends them "now").

`Independent` recounts every figure with plain Python over `SELECT *` rows — no SQL grouping, no
code of the statistics module — so a test comparing the two checks the queries, not themselves.
"""

from __future__ import annotations

import random
import statistics as stats
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import Category, Recipient, ReferralStatus, Weight
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.statistics import ALL, Dashboard, FigureKind

RANK = {"H": 3, "M": 2, "L": 1}


def make_office_store(app: AppContext, visits: int = 240, seed: int = 7) -> None:
    create_demo_visits(app, visits, seed=seed)
    rng = random.Random(seed)
    db = app.db
    with db.conn:
        rows = db.execute(
            "SELECT o.visit_id, o.slug, o.weight FROM indicator_observations o"
            " WHERE o.source = 'auto' AND o.active = 1 AND o.dismissed = 0 AND o.weight != 'H'"
            " AND NOT EXISTS (SELECT 1 FROM indicator_observations m WHERE m.visit_id = o.visit_id"
            " AND m.slug = o.slug AND m.source = 'manual') ORDER BY o.visit_id, o.slug LIMIT 25"
        ).fetchall()
        for visit_id, slug, _weight in rows:
            db.execute(
                "INSERT INTO indicator_observations (id, visit_id, slug, source, weight, created_at,"
                " created_by, updated_at) VALUES (?, ?, ?, 'manual', 'H', '2026-01-01T00:00:00.000Z',"
                " 'test', '2026-01-01T00:00:00.000Z')",
                [str(uuid.uuid4()), visit_id, slug],
            )
        for referral_id, started in db.execute(
            "SELECT r.id, v.started_at FROM referrals r JOIN visits v ON v.id = r.visit_id"
            " WHERE r.sent_at IS NOT NULL ORDER BY r.id"
        ).fetchall():
            sent = date.fromisoformat(started[:10]) + timedelta(days=rng.randint(0, 30))
            db.execute(
                "UPDATE referrals SET sent_at = ? WHERE id = ?", [f"{sent}T12:00:00.000Z", referral_id]
            )


@dataclass
class Independent:
    """The figures of [start, end] (dates, both included) at one location type or all, from raw rows."""

    app: AppContext
    start: date
    end: date
    location_type: str | None = None

    def __post_init__(self) -> None:
        db = self.app.db
        types = {r["id"]: r["location_type"] for r in db.query("SELECT * FROM locations")}
        self.locations = {r["id"]: r for r in db.query("SELECT * FROM locations")}
        self.visits = {
            v["id"]: v
            for v in db.query("SELECT * FROM visits")
            if self.start <= date.fromisoformat(v["started_at"][:10]) <= self.end
            and (self.location_type is None or types[v["location_id"]] == self.location_type)
        }
        self.types = types
        standing: dict[tuple[str, str], int] = {}
        for o in db.query("SELECT * FROM indicator_observations"):
            if o["visit_id"] in self.visits and o["active"] == 1 and o["dismissed"] == 0:
                key = (o["visit_id"], o["slug"])
                standing[key] = max(standing.get(key, 0), RANK[o["weight"]])
        self.standing = standing
        self.referrals = [r for r in db.query("SELECT * FROM referrals") if r["visit_id"] in self.visits]

    def visits_per_month(self) -> Counter[tuple[str, str]]:
        return Counter((v["started_at"][:7], self.types[v["location_id"]]) for v in self.visits.values())

    def signals(self) -> Counter[tuple[str, str]]:
        catalogue = load_catalogue()
        weight = {rank: letter for letter, rank in RANK.items()}
        return Counter(
            (catalogue[slug].category.value if slug in catalogue else "general", weight[rank])
            for (_visit, slug), rank in self.standing.items()
        )

    def signal_visits(self, category: str, weight: str | None) -> set[str]:
        catalogue = load_catalogue()
        return {
            visit
            for (visit, slug), rank in self.standing.items()
            if (catalogue[slug].category.value if slug in catalogue else "general") == category
            and (weight is None or RANK[weight] == rank)
        }

    def referrals_by(self) -> Counter[tuple[str, str]]:
        return Counter((r["recipient"], r["status"]) for r in self.referrals)

    def medians(self) -> dict[str, tuple[float, int]]:
        days: dict[str, list[int]] = defaultdict(list)
        for r in self.referrals:
            if r["sent_at"]:
                visited = date.fromisoformat(self.visits[r["visit_id"]]["started_at"][:10])
                gap = (date.fromisoformat(r["sent_at"][:10]) - visited).days
                days[r["recipient"]].append(gap)
                days["*"].append(gap)
        return {k: (float(stats.median(v)), len(v)) for k, v in days.items()}

    def flagged_visits(self) -> set[str]:
        return {visit for visit, _slug in self.standing}

    def repeated(self) -> dict[str, tuple[int, int]]:
        """location id -> (visits with signals, visits) for locations with 2 or more flagged visits."""
        flagged = self.flagged_visits()
        per_location: dict[str, list[str]] = defaultdict(list)
        for visit in self.visits.values():
            per_location[visit["location_id"]].append(visit["id"])
        result = {}
        for location, ids in per_location.items():
            count = sum(1 for i in ids if i in flagged)
            if count >= 2:
                result[location] = (count, len(ids))
        return result


def assert_figures_equal_independent(dashboard: Dashboard, raw: Independent) -> None:
    """Every figure of the dashboard cell by cell against the independent counts of the same period."""
    assert dashboard.visits == len(raw.visits)
    visits = dashboard.figure(FigureKind.VISITS)
    per_month = raw.visits_per_month()
    for row in visits.rows:
        for column in visits.columns:
            assert visits.value(row.code, column.code) == per_month[(row.code, column.code)]
    signals = dashboard.figure(FigureKind.SIGNALS)
    counted = raw.signals()
    for category in Category:
        for weight in Weight:
            assert signals.value(category.value, weight.value) == counted[(category.value, weight.value)]
    referrals = dashboard.figure(FigureKind.REFERRALS)
    by = raw.referrals_by()
    for recipient in Recipient:
        for status in ReferralStatus:
            assert referrals.value(recipient.value, status.value) == by[(recipient.value, status.value)]
    medians = dashboard.figure(FigureKind.MEDIAN_DAYS)
    expected_medians = raw.medians()
    assert {row.code for row in medians.rows} == set(expected_medians) | {ALL}
    for row in medians.rows:
        assert row.values == expected_medians.get(row.code, (None, 0)), row
    repeated = dashboard.figure(FigureKind.REPEATED)
    assert {row.code: row.values for row in repeated.rows} == raw.repeated()
