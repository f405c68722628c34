"""Retention periods per record class (table retention_policy, set at the office by the DPO).

A class without a row has its default; `days` None means "keep" (the DPO chose no end). The
periods count from the moment named per class (docs/privacy.md has the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlite_utils import Database

from inspector_app.i18n import _
from inspector_app.storage.audit import now_iso


class RecordClass(StrEnum):
    FINALISED_VISITS = "finalised_visits"
    SIGNALS_WITHOUT_REFERRAL = "signals_without_referral"
    REFERRALS_CLOSED = "referrals_closed"
    IMPORT_LOGS = "import_logs"
    AUDIT_DETAIL = "audit_detail"
    SNAPSHOTS = "snapshots"


# Defaults per role: (laptop, office). A laptop removes a visit once the office confirmed holding it.
DEFAULT_DAYS: dict[RecordClass, tuple[int | None, int | None]] = {
    RecordClass.FINALISED_VISITS: (30, 1825),
    RecordClass.SIGNALS_WITHOUT_REFERRAL: (None, 365),
    RecordClass.REFERRALS_CLOSED: (None, 1825),
    RecordClass.IMPORT_LOGS: (365, 365),
    RecordClass.AUDIT_DETAIL: (1825, 1825),
    RecordClass.SNAPSHOTS: (30, 30),
}


def class_description(record_class: RecordClass) -> str:
    """What the class covers and from when its period counts, in the user's language."""
    texts = {
        RecordClass.FINALISED_VISITS: _(
            "definitieve bezoeken zonder signaal en zonder doorverwijzing, vanaf het afronden (laptop: "
            "elk definitief bezoek dat het kantoor bevestigde)"
        ),
        RecordClass.SIGNALS_WITHOUT_REFERRAL: _(
            "definitieve bezoeken met signalen maar zonder doorverwijzing, vanaf het afronden"
        ),
        RecordClass.REFERRALS_CLOSED: _(
            "bezoeken waarvan elke doorverwijzing gesloten is, vanaf de laatste sluiting"
        ),
        RecordClass.IMPORT_LOGS: _("verslagen van inleespogingen van bundels, vanaf het inlezen"),
        RecordClass.AUDIT_DETAIL: _(
            "oude en nieuwe waarden in het auditlog (de keten met vingerafdrukken blijft), vanaf de wijziging"
        ),
        RecordClass.SNAPSHOTS: _("kopieën van de database van vóór een migratie, vanaf het maken"),
    }
    return texts[record_class]


@dataclass(frozen=True)
class RetentionRule:
    record_class: RecordClass
    days: int | None
    is_default: bool
    set_at: str | None = None
    set_by: str | None = None


def load_policy(db: Database, office: bool) -> list[RetentionRule]:
    stored = {
        str(r[0]): (r[1], str(r[2]), str(r[3]))
        for r in db.execute("SELECT record_class, days, set_at, set_by FROM retention_policy")
    }
    rules = []
    for record_class in RecordClass:
        if record_class.value in stored:
            days, set_at, set_by = stored[record_class.value]
            rules.append(
                RetentionRule(record_class, None if days is None else int(days), False, set_at, set_by)
            )
        else:
            rules.append(RetentionRule(record_class, DEFAULT_DAYS[record_class][1 if office else 0], True))
    return rules


def period(db: Database, record_class: RecordClass, office: bool) -> int | None:
    return next(r.days for r in load_policy(db, office) if r.record_class is record_class)


def set_period(db: Database, record_class: RecordClass, days: int | None, actor: str) -> None:
    """Store a period (None: keep); the caller audits it in the same transaction."""
    db.execute(
        "INSERT INTO retention_policy (record_class, days, set_at, set_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (record_class) DO UPDATE SET days = excluded.days, set_at = excluded.set_at,"
        " set_by = excluded.set_by",
        [record_class.value, days, now_iso(), actor],
    )
