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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

WEIGHT_RANK_SQL = "CASE o.weight WHEN 'H' THEN 3 WHEN 'M' THEN 2 ELSE 1 END"
RANK_WEIGHT = {3: "H", 2: "M", 1: "L"}
HAS_SIGNALS_SQL = "(v.count_h + v.count_m + v.count_l) > 0"


@dataclass(frozen=True)
class Scope:
    """Visits started on or after `since` and before `until` (ISO dates), at one type or all."""

    since: str
    until: str
    location_type: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses = ["v.started_at >= ?", "v.started_at < ?"]
        params: list[Any] = [self.since, self.until]
        if self.location_type:
            clauses.append("l.location_type = ?")
            params.append(self.location_type)
        return " AND ".join(clauses), params


_FROM = "FROM visits v JOIN locations l ON l.id = v.location_id"


def visits_per_month(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(month YYYY-MM, location type, visits) for every pair with at least one visit."""
    where, params = scope.where()
    rows = db.execute(
        f"SELECT substr(v.started_at, 1, 7) AS month, l.location_type, count(*) {_FROM} WHERE {where}"
        " GROUP BY month, l.location_type ORDER BY month, l.location_type",
        params,
    ).fetchall()
    return [(str(m), str(t), int(n)) for m, t, n in rows]


def _standing_sql(where: str) -> str:
    """One row per standing indicator of a visit in scope: visit, slug and strongest weight rank."""
    return (
        f"SELECT o.visit_id, o.slug, max({WEIGHT_RANK_SQL}) AS rank"
        f" FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        f" JOIN locations l ON l.id = v.location_id"
        f" WHERE o.active = 1 AND o.dismissed = 0 AND {where} GROUP BY o.visit_id, o.slug"
    )


def standing_by_slug(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(slug, weight H/M/L, standing indicators): the caller maps slugs to their category."""
    where, params = scope.where()
    rows = db.execute(
        f"SELECT slug, rank, count(*) FROM ({_standing_sql(where)}) GROUP BY slug, rank", params
    ).fetchall()
    return [(str(slug), RANK_WEIGHT[int(rank)], int(n)) for slug, rank, n in rows]


def referrals_by_recipient(db: Database, scope: Scope) -> list[tuple[str, str, int]]:
    """(recipient, status, referrals) of the visits in scope."""
    where, params = scope.where()
    rows = db.execute(
        f"SELECT r.recipient, r.status, count(*) FROM referrals r JOIN visits v ON v.id = r.visit_id"
        f" JOIN locations l ON l.id = v.location_id WHERE {where} GROUP BY r.recipient, r.status",
        params,
    ).fetchall()
    return [(str(recipient), str(status), int(n)) for recipient, status, n in rows]


def sent_referral_dates(db: Database, scope: Scope) -> list[tuple[str, str, str]]:
    """(recipient, visit date, sent date) of every referral sent for a visit in scope."""
    where, params = scope.where()
    rows = db.execute(
        "SELECT r.recipient, substr(v.started_at, 1, 10), substr(r.sent_at, 1, 10)"
        " FROM referrals r JOIN visits v ON v.id = r.visit_id JOIN locations l ON l.id = v.location_id"
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
    rows = db.execute(
        f"SELECT l.id, l.name, l.postcode, l.location_type, sum({HAS_SIGNALS_SQL}) AS flagged, count(*)"
        f" {_FROM} WHERE {where} GROUP BY l.id HAVING flagged >= ? ORDER BY flagged DESC, l.name, l.id",
        [*params, minimum],
    ).fetchall()
    return [RepeatedLocation(str(i), str(n), str(p), str(t), int(f), int(c)) for i, n, p, t, f, c in rows]


def latest_change(db: Database, scope: Scope) -> str | None:
    """The newest `updated_at` of the visits in scope: a document's date that only the data moves."""
    where, params = scope.where()
    row = db.execute(f"SELECT max(v.updated_at) {_FROM} WHERE {where}", params).fetchone()
    return None if row[0] is None else str(row[0])


# ---------------------------------------------------------------------------------------- drill-down
def visit_ids_in_month(db: Database, scope: Scope, month: str, location_type: str | None) -> list[str]:
    where, params = scope.where()
    sql = f"SELECT v.id {_FROM} WHERE {where} AND substr(v.started_at, 1, 7) = ?"
    params.append(month)
    if location_type:
        sql += " AND l.location_type = ?"
        params.append(location_type)
    return _ids(db, sql, params)


def visit_ids_with_standing(
    db: Database, scope: Scope, slugs: Sequence[str], weight: str | None
) -> list[str]:
    """Visits with a standing indicator among `slugs` (at `weight`, its strongest, when given)."""
    where, params = scope.where()
    rank = {weight_: rank for rank, weight_ in RANK_WEIGHT.items()}.get(weight or "")
    having = "" if rank is None else f" AND rank = {int(rank)}"
    placeholders = ", ".join("?" for _slug in slugs) or "NULL"
    sql = f"SELECT DISTINCT visit_id FROM ({_standing_sql(where)}) WHERE slug IN ({placeholders}){having}"
    return sorted(str(r[0]) for r in db.execute(sql, [*params, *slugs]).fetchall())


def visit_ids_with_referral(
    db: Database, scope: Scope, recipient: str, status: str | None, sent_only: bool = False
) -> list[str]:
    where, params = scope.where()
    sql = (
        "SELECT DISTINCT v.id FROM referrals r JOIN visits v ON v.id = r.visit_id"
        f" JOIN locations l ON l.id = v.location_id WHERE {where} AND r.recipient = ?"
    )
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
        db, f"SELECT v.id {_FROM} WHERE {where} AND {HAS_SIGNALS_SQL} AND l.id = ?", params, location_id
    )


def _ids(db: Database, sql: str, params: list[Any], *more: Any) -> list[str]:
    return sorted(str(r[0]) for r in db.execute(sql, [*params, *more]).fetchall())
