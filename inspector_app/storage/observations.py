"""Indicator observations: raised by the rules (auto) or ticked by hand (manual), with dismissals."""

from __future__ import annotations

import json

from sqlite_utils import Database

from inspector_app.storage.records import ObservationRow

OBSERVATION_COLUMNS = (
    "id, slug, source, weight, raised_by, rule_ids, active, note, dismissed,"
    " dismiss_reason, dismissed_by, dismissed_at, created_at, created_by"
)


def load_observations(db: Database, visit_id: str) -> list[ObservationRow]:
    rows = db.execute(
        f"SELECT {OBSERVATION_COLUMNS} FROM indicator_observations WHERE visit_id = ? ORDER BY slug, source",
        [visit_id],
    ).fetchall()
    return [
        ObservationRow(
            row[0],
            row[1],
            row[2],
            row[3],
            json.loads(row[4]),
            json.loads(row[5]),
            bool(row[6]),
            row[7],
            bool(row[8]),
            *row[9:],
        )
        for row in rows
    ]


def insert_observation(db: Database, visit_id: str, row: ObservationRow, at: str) -> None:
    db.execute(
        f"INSERT INTO indicator_observations (visit_id, {OBSERVATION_COLUMNS}, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            visit_id,
            row.id,
            row.slug,
            row.source,
            row.weight,
            json.dumps(row.raised_by),
            json.dumps(row.rule_ids),
            int(row.active),
            row.note,
            int(row.dismissed),
            row.dismiss_reason,
            row.dismissed_by,
            row.dismissed_at,
            row.created_at,
            row.created_by,
            at,
        ],
    )


def update_observation(
    db: Database,
    observation_id: str,
    at: str,
    *,
    weight: str,
    raised_by: list[str],
    rule_ids: list[str],
    active: bool,
) -> None:
    db.execute(
        "UPDATE indicator_observations SET weight = ?, raised_by = ?, rule_ids = ?, active = ?,"
        " updated_at = ? WHERE id = ?",
        [weight, json.dumps(raised_by), json.dumps(rule_ids), int(active), at, observation_id],
    )


def set_note(db: Database, observation_id: str, at: str, note: str, active: bool) -> None:
    db.execute(
        "UPDATE indicator_observations SET note = ?, active = ?, updated_at = ? WHERE id = ?",
        [note, int(active), at, observation_id],
    )


def set_dismissal(
    db: Database, observation_id: str, at: str, *, dismissed: bool, reason: str | None, by: str | None
) -> None:
    db.execute(
        "UPDATE indicator_observations SET dismissed = ?, dismiss_reason = ?, dismissed_by = ?,"
        " dismissed_at = ?, updated_at = ? WHERE id = ?",
        [int(dismissed), reason, by, at if dismissed else None, at, observation_id],
    )


def store_change(db: Database, before: ObservationRow, after: ObservationRow, at: str) -> None:
    """Store what differs between two versions of one observation (a re-tick still touches it).

    The ledger hands over whole rows; writing only the changed columns keeps each statement the
    same as the one a hand-written update would use.
    """
    raised = (after.weight, after.raised_by, after.rule_ids, after.active)
    dismissal = (after.dismissed, after.dismiss_reason, after.dismissed_by)
    raised_changed = raised != (before.weight, before.raised_by, before.rule_ids, before.active)
    dismissal_changed = dismissal != (before.dismissed, before.dismiss_reason, before.dismissed_by)
    if raised_changed:
        update_observation(
            db,
            after.id,
            at,
            weight=after.weight,
            raised_by=after.raised_by,
            rule_ids=after.rule_ids,
            active=after.active,
        )
    if after.note != before.note or not (raised_changed or dismissal_changed):
        set_note(db, after.id, at, after.note, after.active)
    if dismissal_changed:
        set_dismissal(
            db, after.id, at, dismissed=after.dismissed, reason=after.dismiss_reason, by=after.dismissed_by
        )
