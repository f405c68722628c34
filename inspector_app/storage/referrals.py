"""Follow-up and referral records: recipient, urgency, consent, sent date, reference, outcome."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from inspector_app.storage.records import ReferralRow, insert_record, select_records


def load_referrals(db: Database, visit_id: str) -> list[ReferralRow]:
    return select_records(db, ReferralRow, "WHERE visit_id = ? ORDER BY created_at", [visit_id])


def get_referral(db: Database, referral_id: str) -> ReferralRow | None:
    found = select_records(db, ReferralRow, "WHERE id = ?", [referral_id])
    return found[0] if found else None


def insert_referral(db: Database, row: ReferralRow) -> None:
    insert_record(db, row)


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
    return select_records(db, ReferralRow, f"{where} ORDER BY created_at DESC", [status] if status else [])
