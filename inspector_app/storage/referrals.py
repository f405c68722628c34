"""Follow-up and referral records: recipient, urgency, consent, sent date, reference, outcome."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from inspector_app.storage.records import ReferralRow

REFERRAL_COLUMNS = (
    "id, visit_id, recipient, urgency, consent_status, channel, slugs, person_codes,"
    " status, sent_at, reference, outcome, note, created_at, created_by, updated_at"
)


def _decode(row: tuple[Any, ...]) -> ReferralRow:
    values = list(row)
    values[6], values[7] = json.loads(values[6]), json.loads(values[7])
    return ReferralRow(*values)


def load_referrals(db: Database, visit_id: str) -> list[ReferralRow]:
    rows = db.execute(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals WHERE visit_id = ? ORDER BY created_at", [visit_id]
    ).fetchall()
    return [_decode(row) for row in rows]


def get_referral(db: Database, referral_id: str) -> ReferralRow | None:
    row = db.execute(f"SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = ?", [referral_id]).fetchone()
    return _decode(row) if row else None


def insert_referral(db: Database, row: ReferralRow) -> None:
    values: list[Any] = [getattr(row, name.strip()) for name in REFERRAL_COLUMNS.split(",")]
    values[6], values[7] = json.dumps(values[6]), json.dumps(values[7])
    db.execute(f"INSERT INTO referrals ({REFERRAL_COLUMNS}) VALUES ({', '.join('?' * len(values))})", values)


UPDATABLE_REFERRAL_FIELDS = {
    "recipient",
    "urgency",
    "consent_status",
    "channel",
    "status",
    "sent_at",
    "reference",
    "outcome",
    "note",
    "updated_at",
}


def update_referral(db: Database, referral_id: str, **fields: Any) -> None:
    unknown = set(fields) - UPDATABLE_REFERRAL_FIELDS
    if unknown:
        raise ValueError(f"cannot update referral fields {sorted(unknown)}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(f"UPDATE referrals SET {assignments} WHERE id = ?", [*fields.values(), referral_id])


def all_referrals(db: Database, status: str | None = None) -> list[ReferralRow]:
    where = "WHERE status = ?" if status else ""
    rows = db.execute(
        f"SELECT {REFERRAL_COLUMNS} FROM referrals {where} ORDER BY created_at DESC",
        [status] if status else [],
    ).fetchall()
    return [_decode(row) for row in rows]
