"""The rows of the office exports, read straight from a cursor so a large export never sits in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from inspector_app.storage.visits import VisitFilter, visit_where

VISIT_EXPORT_SQL = (
    "SELECT v.id, substr(v.started_at, 1, 10), l.location_type, l.id, l.name, l.postcode, v.visit_type,"
    " v.status, v.count_h, v.count_m, v.count_l, v.acute,"
    " (SELECT count(*) FROM referrals r WHERE r.visit_id = v.id)"
    " FROM visits v JOIN locations l ON l.id = v.location_id {where} ORDER BY v.started_at, v.id"
)


def visit_rows(db: Database, visit_filter: VisitFilter) -> Iterator[tuple[Any, ...]]:
    """One tuple per visit of the filter (never paged: the WHERE clause holds no limit), oldest first: id, date, location type, location
    id, name, postcode, visit type, status, counts H/M/L, acute, referral count."""
    where, params = visit_where(visit_filter)
    yield from db.execute(VISIT_EXPORT_SQL.format(where=where), params)


# Standing indicators: active and not dismissed. The referral status is the furthest one of the visit's
# referrals that name the slug (closed > sent > draft), empty when none does.
SIGNAL_EXPORT_SQL = (
    "SELECT o.slug, o.weight, o.visit_id, substr(v.started_at, 1, 10), l.id, l.name, l.location_type,"
    " o.source, o.raised_by,"
    " (SELECT r.status FROM referrals r, json_each(r.slugs) s WHERE r.visit_id = o.visit_id"
    "  AND s.value = o.slug ORDER BY CASE r.status WHEN 'closed' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END"
    "  LIMIT 1),"
    " (SELECT json_group_array(p.number || '=' || p.code) FROM persons p"
    "  WHERE p.visit_id = o.visit_id AND p.removed = 0)"
    " FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
    " JOIN locations l ON l.id = v.location_id {where}"
    " AND o.active = 1 AND o.dismissed = 0 ORDER BY v.started_at, o.visit_id, o.slug, o.source"
)


def signal_rows(db: Database, visit_filter: VisitFilter) -> Iterator[tuple[Any, ...]]:
    """One tuple per standing indicator of the filter's visits: slug, weight, visit id, date, location id,
    name, type, source, raised_by (JSON), referral status or None, the visit's persons as JSON
    `["number=code", ...]` (to name the persons whose answers raised it by their code only)."""
    where, params = visit_where(visit_filter)
    yield from db.execute(SIGNAL_EXPORT_SQL.format(where=where or "WHERE 1"), params)


def count_signal_rows(db: Database, visit_filter: VisitFilter) -> int:
    where, params = visit_where(visit_filter)
    row = db.execute(
        "SELECT count(*) FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        f" JOIN locations l ON l.id = v.location_id {where or 'WHERE 1'} AND o.active = 1 AND o.dismissed = 0",
        params,
    ).fetchone()
    return int(row[0])
