"""Visit records and their revisions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from inspector_app.storage.records import RevisionRow, VisitRow, decode_rows, insert_record, select_records
from inspector_app.storage.records import VisitListRow as VisitListRow  # re-export: moved to domain


def insert_visit(db: Database, row: VisitRow) -> None:
    insert_record(db, row)


def get_visit(db: Database, visit_id: str) -> VisitRow | None:
    found = select_records(db, VisitRow, "WHERE id = ?", [visit_id])
    return found[0] if found else None


def find_visit_ids(db: Database, prefix: str) -> list[str]:
    """Visit ids starting with `prefix`, so users may type the first characters of an id."""
    rows = db.execute(
        "SELECT id FROM visits WHERE id LIKE ? ORDER BY id LIMIT 3", [prefix.lower() + "%"]
    ).fetchall()
    return [str(row[0]) for row in rows]


UPDATABLE_VISIT_FIELDS = {
    "visit_type",
    "started_at",
    "ended_at",
    "inspectors",
    "partners",
    "legal_ground",
    "status",
    "head_rev",
    "updated_at",
    "finalized_at",
    "finalized_by",
    "count_h",
    "count_m",
    "count_l",
    "acute",
    "location_id",
}


def update_visit(db: Database, visit_id: str, **fields: Any) -> None:
    unknown = set(fields) - UPDATABLE_VISIT_FIELDS
    if unknown:
        raise ValueError(f"cannot update visit fields {sorted(unknown)}")
    encoded = {k: json.dumps(v) if k in ("inspectors", "partners") else v for k, v in fields.items()}
    assignments = ", ".join(f"{name} = ?" for name in encoded)
    db.execute(f"UPDATE visits SET {assignments} WHERE id = ?", [*encoded.values(), visit_id])


@dataclass(frozen=True)
class VisitFilter:
    status: str | None = None
    form_id: str | None = None
    location_type: str | None = None
    has_high: bool = False
    search: str = ""
    since: str | None = None
    until: str | None = None
    limit: int | None = None
    offset: int = 0
    slug: str | None = None  # a standing (not dismissed) indicator
    referral_status: str | None = None  # "none" for visits without any referral
    # Exactly these visits (the office dashboard's drill-down: the visits behind one bar); None: no limit.
    visit_ids: tuple[str, ...] | None = None


def _where(visit_filter: VisitFilter) -> tuple[str, list[Any]]:
    """The WHERE clause and parameters of a visit filter (shared by the list and its count)."""
    clauses: list[str] = []
    params: list[Any] = []
    if visit_filter.status:
        clauses.append("v.status = ?")
        params.append(visit_filter.status)
    if visit_filter.form_id:
        clauses.append("v.form_id = ?")
        params.append(visit_filter.form_id)
    if visit_filter.location_type:
        clauses.append("l.location_type = ?")
        params.append(visit_filter.location_type)
    if visit_filter.has_high:
        clauses.append("v.count_h > 0")
    if visit_filter.search:
        clauses.append("(l.name LIKE ? OR l.address LIKE ? OR replace(l.postcode, ' ', '') LIKE ?)")
        term = f"%{visit_filter.search}%"
        params += [term, term, "%" + visit_filter.search.replace(" ", "") + "%"]
    if visit_filter.since:
        clauses.append("v.started_at >= ?")
        params.append(visit_filter.since)
    if visit_filter.until:
        clauses.append("v.started_at < ?")
        params.append(visit_filter.until)
    if visit_filter.slug:
        clauses.append(
            "EXISTS (SELECT 1 FROM indicator_observations o WHERE o.visit_id = v.id AND o.slug = ?"
            " AND o.active = 1 AND o.dismissed = 0)"
        )
        params.append(visit_filter.slug)
    if visit_filter.referral_status == "none":
        clauses.append("NOT EXISTS (SELECT 1 FROM referrals r WHERE r.visit_id = v.id)")
    elif visit_filter.referral_status:
        clauses.append("EXISTS (SELECT 1 FROM referrals r WHERE r.visit_id = v.id AND r.status = ?)")
        params.append(visit_filter.referral_status)
    if visit_filter.visit_ids is not None:
        # One JSON parameter rather than one per id: a month of an office store holds thousands.
        clauses.append("v.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(visit_filter.visit_ids)))
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def visit_where(visit_filter: VisitFilter) -> tuple[str, list[Any]]:
    """The WHERE clause of a filter over `visits v JOIN locations l`, for other readers of the same list
    (the exports), so a filter means the same rows everywhere."""
    return _where(visit_filter)


def count_visits(db: Database, visit_filter: VisitFilter) -> int:
    where, params = _where(visit_filter)
    row = db.execute(
        f"SELECT count(*) FROM visits v JOIN locations l ON l.id = v.location_id {where}", params
    ).fetchone()
    return int(row[0])


def list_visits(db: Database, visit_filter: VisitFilter) -> list[VisitListRow]:
    where, params = _where(visit_filter)
    limit = "LIMIT ? OFFSET ?" if visit_filter.limit else ""
    if visit_filter.limit:
        params += [visit_filter.limit, visit_filter.offset]
    cursor = db.execute(
        "SELECT v.id, v.form_id, v.form_version, v.status, v.started_at, v.ended_at, v.visit_type,"
        " l.id AS location_id, l.name AS location_name, l.address, l.postcode, l.location_type,"
        " v.count_h, v.count_m, v.count_l, v.acute, v.device_id"
        f" FROM visits v JOIN locations l ON l.id = v.location_id {where}"
        f" ORDER BY v.started_at DESC, v.id {limit}",
        params,
    )
    return decode_rows(cursor, VisitListRow)


def insert_revision(db: Database, row: RevisionRow) -> None:
    insert_record(db, row)


def close_revision(
    db: Database, rev_id: str, closed_at: str, content_sha256: str, kind: str | None = None
) -> None:
    """Stamp a revision with the hash of the content it ends with; it never changes after this."""
    db.execute(
        "UPDATE visit_revisions SET closed_at = ?, content_sha256 = ?, kind = coalesce(?, kind) WHERE id = ?",
        [closed_at, content_sha256, kind, rev_id],
    )


def revisions(db: Database, visit_id: str) -> list[RevisionRow]:
    return select_records(db, RevisionRow, "WHERE visit_id = ? ORDER BY created_at, rowid", [visit_id])


def revision_parents(db: Database, visit_id: str) -> dict[str, list[str]]:
    """Each revision's parents from the version DAG: its `base_rev` first, then any further parents
    (the other leaves' heads of a merge or resolution revision), sorted."""
    rows = db.execute(
        "SELECT p.revision_id, p.parent_id, p.parent_id = coalesce(r.base_rev, '') FROM visit_revision_parents p"
        " LEFT JOIN visit_revisions r ON r.id = p.revision_id WHERE p.visit_id = ?",
        [visit_id],
    ).fetchall()
    found: dict[str, list[tuple[bool, str]]] = {}
    for revision, parent, first in rows:
        found.setdefault(str(revision), []).append((not first, str(parent)))
    return {revision: [p for _later, p in sorted(parents)] for revision, parents in found.items()}
