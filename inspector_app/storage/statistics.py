"""The office's aggregate queries over visits, standing indicators and referrals (one GROUP BY each).

Every query takes the same scope: visits started in [since, until) (the local `started_at` text, so a
month is its first seven characters), optionally at one location type. "Standing" is the ledger's
definition (signals/ledger.py): active and not dismissed, one per slug per visit at its strongest
weight. The visit columns `count_h/m/l` hold the same per-visit counts (the ledger writes them), so
"a visit with signals" is read from them without touching the observations.

Each figure also has its drill-down: the ids of the visits behind one bar, selected with the very
same WHERE clause as the count, so a click never lists other visits than the bar counted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

WEIGHT_RANK_SQL = "CASE o.weight WHEN 'H' THEN 3 WHEN 'M' THEN 2 ELSE 1 END"
RANK_WEIGHT = {3: "H", 2: "M", 1: "L"}
WEIGHT_RANK = {weight: rank for rank, weight in RANK_WEIGHT.items()}
HAS_SIGNALS_SQL = "(v.count_h + v.count_m + v.count_l) > 0"
# A location's type is matched through `IN (SELECT id FROM locations ...)`: SQLite builds that small
# set once per query, where a JOIN looked up every visit's location in the table (twice the cost of
# the whole figure at office scale, bench/bench_dashboard.py).
TYPE_SQL = "v.location_id IN (SELECT id FROM locations WHERE location_type = ?)"


@dataclass(frozen=True)
class Scope:
    """Visits started on or after `since` and before `until` (ISO dates), at one type or all."""

    since: str
    until: str
    location_type: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        # `+` keeps SQLite from the started_at index: a year is a large part of the store, and reading
        # the visits in order is cheaper than looking up each of them from the index.
        clauses = ["+v.started_at >= ?", "+v.started_at < ?"]
        params: list[Any] = [self.since, self.until]
        if self.location_type:
            clauses.append(TYPE_SQL)
            params.append(self.location_type)
        return " AND ".join(clauses), params


def visits_per_month(db: Database, scope: Scope, types: Sequence[str]) -> list[tuple[str, str, int]]:
    """(month YYYY-MM, location type, visits) for every pair with at least one visit."""
    where, params = scope.where()
    case = " ".join(f"WHEN {TYPE_SQL} THEN ?" for _type in types)
    case_params = [value for location_type in types for value in (location_type, location_type)]
    rows = db.execute(
        f"SELECT substr(v.started_at, 1, 7) AS month, CASE {case} END AS type, count(*) FROM visits v"
        f" WHERE {where} GROUP BY month, type ORDER BY month, type",
        [*case_params, *params],
    ).fetchall()
    return [(str(m), str(t), int(n)) for m, t, n in rows if t is not None]


def _standing_sql(where: str) -> str:
    """One row per standing indicator of a visit in scope: visit, slug and strongest weight rank."""
    return (
        f"SELECT o.visit_id, o.slug, max({WEIGHT_RANK_SQL}) AS rank"
        " FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        f" WHERE o.active = 1 AND o.dismissed = 0 AND {where} GROUP BY o.visit_id, o.slug"
    )


def standing_by_slug(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(slug, weight H/M/L, standing indicators): the caller maps slugs to their category.

    Counted without grouping by visit (the costly part at office scale): every standing row counts,
    and where a manual tick stands beside an auto row of the same slug (at most one of each per
    visit, by the table's UNIQUE key) the weaker of the two is taken off again, so each indicator
    counts once at its strongest weight, as the ledger says."""
    where, params = scope.where()
    counts: dict[tuple[str, str], int] = {}
    for slug, weight, n in db.execute(
        "SELECT o.slug, o.weight, count(*) FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        f" WHERE o.active = 1 AND o.dismissed = 0 AND {where} GROUP BY o.slug, o.weight",
        params,
    ).fetchall():
        counts[(str(slug), str(weight))] = int(n)
    for slug, manual, auto in db.execute(
        "SELECT m.slug, m.weight, a.weight FROM indicator_observations m"
        " JOIN indicator_observations a ON a.visit_id = m.visit_id AND a.slug = m.slug AND a.source = 'auto'"
        " JOIN visits v ON v.id = m.visit_id WHERE m.source = 'manual' AND m.active = 1 AND m.dismissed = 0"
        f" AND a.active = 1 AND a.dismissed = 0 AND {where}",
        params,
    ).fetchall():
        weaker = manual if WEIGHT_RANK[str(manual)] < WEIGHT_RANK[str(auto)] else auto
        counts[(str(slug), str(weaker))] -= 1
    return [(slug, weight, n) for (slug, weight), n in sorted(counts.items()) if n]


def referrals_by_recipient(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(recipient, status, referrals) of the visits in scope."""
    where, params = scope.where()
    rows = db.execute(
        "SELECT r.recipient, r.status, count(*) FROM referrals r JOIN visits v ON v.id = r.visit_id"
        f" WHERE {where} GROUP BY r.recipient, r.status",
        params,
    ).fetchall()
    return [(str(recipient), str(status), int(n)) for recipient, status, n in rows]


def sent_referral_dates(db: Database, scope: Scope) -> list[tuple[str, str, str]]:
    """(recipient, visit date, sent date) of every referral sent for a visit in scope."""
    where, params = scope.where()
    rows = db.execute(
        "SELECT r.recipient, substr(v.started_at, 1, 10), substr(r.sent_at, 1, 10)"
        " FROM referrals r JOIN visits v ON v.id = r.visit_id"
        f" WHERE r.sent_at IS NOT NULL AND r.sent_at != '' AND {where}",
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


def repeated_signal_locations(db: Database, scope: Scope, minimum: int = 2) -> list[RepeatedLocation]:
    """Locations with at least `minimum` visits in scope that have standing indicators, most first."""
    where, params = scope.where()
    counted = {
        str(location_id): (int(flagged), int(total))
        for location_id, flagged, total in db.execute(
            f"SELECT v.location_id, sum({HAS_SIGNALS_SQL}) AS flagged, count(*) FROM visits v WHERE {where}"
            " GROUP BY v.location_id HAVING flagged >= ?",
            [*params, minimum],
        ).fetchall()
    }
    places = db.execute(
        "SELECT id, name, postcode, location_type FROM locations WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(counted))],
    ).fetchall()
    found = [RepeatedLocation(str(i), str(n), str(p), str(t), *counted[str(i)]) for i, n, p, t in places]
    return sorted(found, key=lambda place: (-place.visits_with_signals, place.name, place.location_id))


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
        sql += f" AND {TYPE_SQL}"
        params.append(location_type)
    return _ids(db, sql, params)


def visit_ids_with_standing(
    db: Database, scope: Scope, slugs: Sequence[str], weight: str | None
) -> list[str]:
    """Visits with a standing indicator among `slugs` (at `weight`, its strongest, when given)."""
    where, params = scope.where()
    rank = WEIGHT_RANK.get(weight or "")
    having = "" if rank is None else f" AND rank = {int(rank)}"
    placeholders = ", ".join("?" for _slug in slugs) or "NULL"
    sql = f"SELECT DISTINCT visit_id FROM ({_standing_sql(where)}) WHERE slug IN ({placeholders}){having}"
    return sorted(str(r[0]) for r in db.execute(sql, [*params, *slugs]).fetchall())


def visit_ids_with_referral(
    db: Database, scope: Scope, recipient: str, status: str | None, sent_only: bool = False
) -> list[str]:
    where, params = scope.where()
    sql = f"SELECT DISTINCT v.id FROM referrals r JOIN visits v ON v.id = r.visit_id WHERE {where} AND r.recipient = ?"
    params.append(recipient)
    if status:
        sql += " AND r.status = ?"
        params.append(status)
    if sent_only:
        sql += " AND r.sent_at IS NOT NULL AND r.sent_at != ''"
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
