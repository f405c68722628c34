"""Re-inspections in the store: a visit's due date, the earlier visit a visit follows up, the due list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

FOLLOW_UP_COLUMNS = ("visit_id", "due_date", "follows_up", "updated_at", "updated_by", "device_id")


@dataclass(frozen=True)
class FollowUpRow:
    visit_id: str
    due_date: str | None
    follows_up: str | None
    updated_at: str
    updated_by: str
    device_id: str


def get_follow_up(db: Database, visit_id: str) -> FollowUpRow | None:
    row = db.execute(
        f"SELECT {', '.join(FOLLOW_UP_COLUMNS)} FROM visit_follow_ups WHERE visit_id = ?", [visit_id]
    ).fetchone()
    return FollowUpRow(*row) if row else None


def put_follow_up(db: Database, row: FollowUpRow) -> None:
    db.execute(
        f"INSERT OR REPLACE INTO visit_follow_ups ({', '.join(FOLLOW_UP_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
        [row.visit_id, row.due_date, row.follows_up, row.updated_at, row.updated_by, row.device_id],
    )


def followed_up_by(db: Database, visit_id: str) -> list[str]:
    """The visits started as the re-inspection of `visit_id`."""
    rows = db.execute(
        "SELECT visit_id FROM visit_follow_ups WHERE follows_up = ? ORDER BY visit_id", [visit_id]
    ).fetchall()
    return [str(r[0]) for r in rows]


def visits_by_prefix(db: Database, prefix: str) -> dict[str, str]:
    """Visit id -> location id of at most three visits whose id starts with `prefix`: held here, or on
    the office's due list (a laptop starting the re-inspection of a visit it never held)."""
    rows = db.execute(
        "SELECT id, location_id FROM visits WHERE id LIKE ? UNION"
        " SELECT visit_id, location_id FROM sync_reference_due WHERE visit_id LIKE ? LIMIT 3",
        [prefix + "%", prefix + "%"],
    ).fetchall()
    return {str(visit): str(location) for visit, location in rows}


@dataclass(frozen=True)
class DueRow:
    """An open re-inspection: the earlier visit, its location and when the re-inspection is due."""

    visit_id: str
    visit_date: str
    due_date: str
    location_id: str
    location_name: str
    location_type: str
    postcode: str
    source: str  # "store": a visit held here; "office": from the office's last reference bundle


# Open: a due date and no visit (held here) that follows it up. A laptop also has the office's list;
# a visit it holds itself wins over the office's copy of the same visit.
_DUE_SQL = """
SELECT f.visit_id, substr(v.started_at, 1, 10), f.due_date, l.id, l.name, l.location_type, l.postcode,
       'store'
  FROM visit_follow_ups f JOIN visits v ON v.id = f.visit_id JOIN locations l ON l.id = v.location_id
 WHERE f.due_date IS NOT NULL
UNION ALL
SELECT d.visit_id, d.visit_date, d.due_date, d.location_id, coalesce(l.name, ''),
       coalesce(l.location_type, ''), coalesce(l.postcode, ''), 'office'
  FROM sync_reference_due d LEFT JOIN locations l ON l.id = d.location_id
 WHERE NOT EXISTS (SELECT 1 FROM visit_follow_ups f WHERE f.visit_id = d.visit_id)
"""


def due_rows(
    db: Database,
    until: str | None = None,
    location_type: str | None = None,
    location_id: str | None = None,
) -> list[DueRow]:
    """Open re-inspections, soonest first; `until`: due on or before that day."""
    clauses = ["NOT EXISTS (SELECT 1 FROM visit_follow_ups g WHERE g.follows_up = due.visit_id)"]
    params: list[Any] = []
    if until:
        clauses.append("due.due_date <= ?")
        params.append(until)
    if location_type:
        clauses.append("due.location_type = ?")
        params.append(location_type)
    if location_id:
        clauses.append("due.location_id = ?")
        params.append(location_id)
    rows = db.execute(
        "WITH due (visit_id, visit_date, due_date, location_id, location_name, location_type, postcode,"
        f" source) AS ({_DUE_SQL}) SELECT * FROM due WHERE {' AND '.join(clauses)}"
        " ORDER BY due.due_date, due.visit_id",
        params,
    ).fetchall()
    return [DueRow(*map(str, row)) for row in rows]


def reference_due_rows(db: Database) -> list[dict[str, Any]]:
    """Office: the open re-inspections of visits held here, for the laptops (reference bundle)."""
    return [
        {
            "visit_id": r.visit_id,
            "location_id": r.location_id,
            "visit_date": r.visit_date,
            "due_date": r.due_date,
        }
        for r in due_rows(db)
        if r.source == "store"
    ]
