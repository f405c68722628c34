"""Indicator observations: raised by the rules (auto) or ticked by hand (manual), with dismissals."""

from __future__ import annotations

import json

from sqlite_utils import Database

from inspector_app.domain.model import Weight
from inspector_app.storage.records import ObservationRow, insert_record, select_records


def load_observations(db: Database, visit_id: str) -> list[ObservationRow]:
    return select_records(db, ObservationRow, "WHERE visit_id = ? ORDER BY slug, source", [visit_id])


def insert_observation(db: Database, visit_id: str, row: ObservationRow, at: str) -> None:
    insert_record(db, row, visit_id=visit_id, updated_at=at)


def update_observation(
    db: Database,
    observation_id: str,
    at: str,
    *,
    weight: Weight,
    raised_by: list[str],
    rule_ids: list[str],
    active: bool,
) -> None:
    db.execute(
        "UPDATE indicator_observations SET weight = ?, raised_by = ?, rule_ids = ?, active = ?,"
        " updated_at = ? WHERE id = ?",
        [weight.value, json.dumps(raised_by), json.dumps(rule_ids), int(active), at, observation_id],
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
