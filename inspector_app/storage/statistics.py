"""The office's aggregate queries over visits, standing indicators and referrals (one GROUP BY each).

Every query takes the same scope: visits started in [since, until) (the local `started_at` text, so a
month is its first seven characters), optionally at one location type. "Standing" is the ledger's
definition (signals/ledger.py): active and not dismissed, one per slug per visit at its strongest
weight. The visit columns `count_h/m/l` hold the same per-visit counts (the ledger writes them), so
"a visit with signals" is read from them without touching the observations.

Each query reads one range of a covering index (migration 013): the visits from
`visits_for_statistics`, the standing indicators from `standing_indicators` and the referrals from
`referral_facts`, two tables the database's triggers keep beside the visit's start and location, so
no figure joins rows by their text ids (that join was most of two seconds for a year of an office).

Each figure also has its drill-down: the ids of the visits behind one bar, selected with the very
same WHERE clause as the count, so a click never lists other visits than the bar counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlite_utils import Database

RANK_WEIGHT = {3: "H", 2: "M", 1: "L"}
WEIGHT_RANK = {weight: rank for rank, weight in RANK_WEIGHT.items()}
HAS_SIGNALS_SQL = "(v.count_h + v.count_m + v.count_l) > 0"
# A location's type is matched through `IN (SELECT id FROM locations ...)`: SQLite builds that small
# set once per query, where a JOIN looked up every visit's location in the table.
TYPE_SQL = "{alias}.location_id IN (SELECT id FROM locations WHERE location_type = ?)"


@dataclass(frozen=True)
class Scope:
    """Visits started on or after `since` and before `until` (ISO dates), at one type or all."""

    since: str
    until: str
    location_type: str | None = None

    def where(self, alias: str = "v") -> tuple[str, list[Any]]:
        """The scope on `alias`: a visit (v) or a row kept beside its visit's start and location."""
        clauses = [f"{alias}.started_at >= ?", f"{alias}.started_at < ?"]
        params: list[Any] = [self.since, self.until]
        if self.location_type:
            clauses.append(TYPE_SQL.format(alias=alias))
            params.append(self.location_type)
        return " AND ".join(clauses), params


@dataclass(frozen=True)
class LocationVisits:
    """One location's visits in scope: how many, how many with standing indicators, and the month of
    each of them (YYYY-MM, in no order)."""

    location_id: str
    location_type: str
    visits: int
    flagged: int
    months: tuple[str, ...]


MONTH_SEPARATOR = "\x1e"  # ASCII record separator: never part of a stored ISO date


def visits_by_location(db: Database, scope: Scope) -> list[LocationVisits]:
    """Every location with visits in scope, read in one pass for two figures (visits per month and
    type; locations with repeated signals).

    Locations first, each one's visits one range of `visits_at_location`: grouped in the locations'
    order, so nothing is sorted, and a visit's type is its location's column instead of a lookup.
    A location's months come back as one list (a year is some 25 visits a location at office
    scale) and are counted here, where grouping by month in SQL sorted every visit of the year."""
    where, params = scope.where()
    rows = db.execute(
        f"SELECT l.id, l.location_type, count(*), sum({HAS_SIGNALS_SQL}),"
        " group_concat(substr(v.started_at, 1, 7), ?) FROM locations l"
        f" CROSS JOIN visits v INDEXED BY visits_at_location ON v.location_id = l.id WHERE {where}"
        " GROUP BY l.id",
        [MONTH_SEPARATOR, *params],
    ).fetchall()
    return [
        LocationVisits(str(i), str(t), int(n), int(f), tuple(str(months).split(MONTH_SEPARATOR)))
        for i, t, n, f, months in rows
    ]


def visits_per_month(places: Sequence[LocationVisits], types: Sequence[str]) -> list[tuple[str, str, int]]:
    """(month YYYY-MM, location type, visits) for every pair with at least one visit, sorted."""
    counted = [
        (month, location_type, n)
        for location_type in types
        for month, n in Counter(
            chain.from_iterable(p.months for p in places if p.location_type == location_type)
        ).items()
    ]
    return sorted(counted)


def standing_by_slug(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(slug, weight H/M/L, standing indicators): the caller maps slugs to their category.

    `standing_indicators` holds one row per indicator per visit at its strongest weight already, and
    its index is in (slug, rank) order: the count is one pass over it without a sort."""
    where, params = scope.where("s")
    rows = db.execute(
        f"SELECT s.slug, s.rank, count(*) FROM standing_indicators s WHERE {where} GROUP BY s.slug, s.rank",
        params,
    ).fetchall()
    return sorted((str(slug), RANK_WEIGHT[int(rank)], int(n)) for slug, rank, n in rows)


def referrals_by_recipient(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(recipient, status, referrals) of the visits in scope."""
    where, params = scope.where("f")
    rows = db.execute(
        f"SELECT f.recipient, f.status, count(*) FROM referral_facts f WHERE {where} GROUP BY f.recipient, f.status",
        params,
    ).fetchall()
    return [(str(recipient), str(status), int(n)) for recipient, status, n in rows]


def sent_referral_dates(db: Database, scope: Scope) -> list[tuple[str, str, str]]:
    """(recipient, visit date, sent date) of every referral sent for a visit in scope."""
    where, params = scope.where("f")
    rows = db.execute(
        "SELECT f.recipient, substr(f.started_at, 1, 10), substr(f.sent_at, 1, 10) FROM referral_facts f"
        f" WHERE {where} AND f.sent_at IS NOT NULL AND f.sent_at != ''",
        params,
    ).fetchall()
    return [(str(recipient), str(visited), str(sent)) for recipient, visited, sent in rows]


@dataclass(frozen=True)
class RepeatedLocation:
    location_id: str
    name: str
    postcode: str
    location_type: str
    visits_with_signals: int
    visits: int


def repeated_signal_locations(
    db: Database, places: Sequence[LocationVisits], minimum: int = 2
) -> list[RepeatedLocation]:
    """Locations with at least `minimum` visits in scope that have standing indicators, most first."""
    counted = {p.location_id: (p.flagged, p.visits) for p in places if p.flagged >= minimum}
    found = db.execute(
        "SELECT id, name, postcode, location_type FROM locations WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(counted))],
    ).fetchall()
    repeated = [RepeatedLocation(str(i), str(n), str(p), str(t), *counted[str(i)]) for i, n, p, t in found]
    return sorted(repeated, key=lambda place: (-place.visits_with_signals, place.name, place.location_id))


def latest_change(db: Database, scope: Scope) -> str | None:
    """The newest `updated_at` of the visits in scope: a document's date that only the data moves."""
    where, params = scope.where()
    row = db.execute(f"SELECT max(v.updated_at) FROM visits v WHERE {where}", params).fetchone()
    return None if row[0] is None else str(row[0])


# ---------------------------------------------------------------------------------------- drill-down
_FROM = "FROM visits v"


def visit_ids_in_month(db: Database, scope: Scope, month: str, location_type: str | None) -> list[str]:
    where, params = scope.where()
    sql = f"SELECT v.id {_FROM} WHERE {where} AND substr(v.started_at, 1, 7) = ?"
    params.append(month)
    if location_type:
        sql += f" AND {TYPE_SQL.format(alias='v')}"
        params.append(location_type)
    return _ids(db, sql, params)


def visit_ids_with_standing(
    db: Database, scope: Scope, slugs: Sequence[str], weight: str | None
) -> list[str]:
    """Visits with a standing indicator among `slugs` (at `weight`, its strongest, when given)."""
    where, params = scope.where("s")
    rank = WEIGHT_RANK.get(weight or "")
    at_rank = "" if rank is None else f" AND s.rank = {int(rank)}"
    placeholders = ", ".join("?" for _slug in slugs) or "NULL"
    sql = f"SELECT DISTINCT s.visit_id FROM standing_indicators s WHERE {where} AND s.slug IN ({placeholders}){at_rank}"
    return sorted(str(r[0]) for r in db.execute(sql, [*params, *slugs]).fetchall())


def visit_ids_with_referral(
    db: Database, scope: Scope, recipient: str, status: str | None, sent_only: bool = False
) -> list[str]:
    where, params = scope.where("f")
    sql = f"SELECT DISTINCT f.visit_id FROM referral_facts f WHERE {where} AND f.recipient = ?"
    params.append(recipient)
    if status:
        sql += " AND f.status = ?"
        params.append(status)
    if sent_only:
        sql += " AND f.sent_at IS NOT NULL AND f.sent_at != ''"
    return sorted(str(r[0]) for r in db.execute(sql, params).fetchall())


def visit_ids_at_location(db: Database, scope: Scope, location_id: str) -> list[str]:
    where, params = scope.where()
    return _ids(
        db,
        f"SELECT v.id {_FROM} WHERE {where} AND {HAS_SIGNALS_SQL} AND v.location_id = ?",
        [*params, location_id],
    )


def _ids(db: Database, sql: str, params: list[Any]) -> list[str]:
    return sorted(str(r[0]) for r in db.execute(sql, params).fetchall())
