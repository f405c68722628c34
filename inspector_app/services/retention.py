"""Retention use cases: show the policy, set a period (office), plan and run what the periods remove.

Which visits a rule removes depends on the role. A laptop removes only finalised visits whose exact
content the office confirmed (receipt), `finalised_visits` days after finalising. The office removes
finalised visits by three rules: without signal and referral (`finalised_visits`), with signals but
no referral (`signals_without_referral`), and with every referral closed (`referrals_closed`, from the
last closing); a visit with an open sync conflict waits for its resolution. Import logs, audit detail
(the values; the chain stays) and pre-migration snapshots have their own periods. docs/privacy.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.logs import log_event
from inspector_app.services.app import AppContext
from inspector_app.services.keys import is_office
from inspector_app.storage import retention as policy
from inspector_app.storage.audit import AuditEntry, append, append_many, purge_values, verify_chain
from inspector_app.storage.db import snapshots_of, writing
from inspector_app.storage.purge import (
    APPLIED_ACTION,
    POLICY_SET_ACTION,
    PurgeResult,
    compact,
    purge_visits,
)
from inspector_app.storage.retention import RecordClass, RetentionRule
from inspector_app.sync.export import audit_acknowledged_to
from inspector_app.sync.receipts import purgeable_acknowledged

VISIT_CLASSES = (
    RecordClass.FINALISED_VISITS,
    RecordClass.SIGNALS_WITHOUT_REFERRAL,
    RecordClass.REFERRALS_CLOSED,
)


@dataclass
class RuleOutcome:
    """What one rule removes (dry run) or removed: visit ids, other rows, files."""

    record_class: RecordClass
    days: int | None
    visits: list[str] = field(default_factory=list)
    rows: int = 0
    files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "class": self.record_class.value,
            "days": self.days,
            "visits": self.visits,
            "rows": self.rows,
            "files": self.files,
        }


@dataclass
class RetentionRun:
    dry_run: bool
    office: bool
    rules: list[RuleOutcome]
    locations_removed: list[str] = field(default_factory=list)
    compacted: bool = False
    chain_ok: bool = True

    @property
    def total_visits(self) -> int:
        return sum(len(r.visits) for r in self.rules)

    def to_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "role": "office" if self.office else "laptop",
            "rules": [rule.to_json() for rule in self.rules],
            "visits": self.total_visits,
            "locations_removed": self.locations_removed,
            "compacted": self.compacted,
            "audit_chain_ok": self.chain_ok,
        }


def describe(record_class: RecordClass) -> str:
    """What the class covers and from when its period counts, in the user's language."""
    return policy.class_description(record_class)


def show(app: AppContext) -> list[RetentionRule]:
    return policy.load_policy(app.db, is_office(app))


def parse_class(name: str) -> RecordClass:
    try:
        return RecordClass(name)
    except ValueError:
        raise InvalidInputError(
            _(
                "Onbekende bewaarklasse '{name}'. Kies uit: {choices}.",
                name=name,
                choices=", ".join(c.value for c in RecordClass),
            )
        ) from None


def parse_days(text: str) -> int | None:
    """A number of days, or 'nooit'/'never' for no end."""
    if text.strip().lower() in {"nooit", "never", "bewaren", "keep"}:
        return None
    if text.strip().isdigit() and int(text) <= 100 * 366:
        return int(text)
    raise InvalidInputError(
        _("Bewaartermijn '{text}' is geen aantal dagen (0 tot 36600) en geen 'nooit'.", text=text)
    )


def set_period(app: AppContext, record_class: RecordClass, days: int | None) -> RetentionRule:
    """Office only: the DPO sets a period; audited, nothing is removed until `run`."""
    if not is_office(app):
        raise InvalidInputError(
            _("Bewaartermijnen stelt het kantoor (de FG) vast; op een laptop kan dat niet.")
        )
    with writing(app.db):
        policy.set_period(app.db, record_class, days, app.actor)
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                POLICY_SET_ACTION,
                record_class.value,
                record_class.value,
                None,
                None,
                {"days": days},
            ),
        )
    return next(r for r in show(app) if r.record_class is record_class)


def _cutoff(now: datetime, days: int) -> str:
    return (now - timedelta(days=days)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_OFFICE_VISIT_RULES = {
    RecordClass.FINALISED_VISITS: (
        "v.status = 'final' AND v.finalized_at <= :cutoff AND NOT EXISTS (SELECT 1 FROM referrals r"
        " WHERE r.visit_id = v.id) AND NOT EXISTS (SELECT 1 FROM indicator_observations o"
        " WHERE o.visit_id = v.id AND o.active = 1 AND o.dismissed = 0)"
    ),
    RecordClass.SIGNALS_WITHOUT_REFERRAL: (
        "v.status = 'final' AND v.finalized_at <= :cutoff AND NOT EXISTS (SELECT 1 FROM referrals r"
        " WHERE r.visit_id = v.id) AND EXISTS (SELECT 1 FROM indicator_observations o"
        " WHERE o.visit_id = v.id AND o.active = 1 AND o.dismissed = 0)"
    ),
    RecordClass.REFERRALS_CLOSED: (
        "v.status = 'final' AND EXISTS (SELECT 1 FROM referrals r WHERE r.visit_id = v.id)"
        " AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.visit_id = v.id AND r.status != 'closed')"
        " AND (SELECT max(r.updated_at) FROM referrals r WHERE r.visit_id = v.id) <= :cutoff"
    ),
}


def _visits_due(
    app: AppContext, office: bool, record_class: RecordClass, days: int, now: datetime
) -> list[str]:
    if not office:
        return (
            purgeable_acknowledged(app.db, days, now) if record_class is RecordClass.FINALISED_VISITS else []
        )
    where = _OFFICE_VISIT_RULES[record_class]
    rows = app.db.execute(
        f"SELECT v.id FROM visits v WHERE {where} AND NOT EXISTS (SELECT 1 FROM sync_conflicts c"
        " WHERE c.visit_id = v.id AND c.status = 'open') ORDER BY v.id",
        {"cutoff": _cutoff(now, days)},
    )
    return [str(r[0]) for r in rows]


def _snapshot_time(path: Path) -> datetime:
    """The time in the snapshot's name (`…-20260101T120000Z.sqlite3`), else the file's time."""
    stamp = path.stem.rsplit("-", 1)[-1]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _audit_detail_where(app: AppContext, office: bool) -> str:
    # A laptop keeps the values until the office confirmed the entries (they travel in the next bundle).
    return "at <= :cutoff" if office else f"at <= :cutoff AND seq <= {audit_acknowledged_to(app.db)}"


def plan(app: AppContext, now: datetime | None = None) -> RetentionRun:
    """What `run` would remove now; changes nothing."""
    return _apply(app, now or datetime.now(UTC), dry_run=True)


def run(app: AppContext, now: datetime | None = None) -> RetentionRun:
    """Remove what the periods say is due, audited, then compact the store (storage.purge)."""
    outcome = _apply(app, now or datetime.now(UTC), dry_run=False)
    log_event("retention_run", visits=outcome.total_visits, compacted=int(outcome.compacted))
    return outcome


def _apply(app: AppContext, now: datetime, dry_run: bool) -> RetentionRun:
    office = is_office(app)
    rules = {rule.record_class: rule for rule in policy.load_policy(app.db, office)}
    result = RetentionRun(dry_run, office, [])
    taken: set[str] = set()
    for record_class in VISIT_CLASSES:
        days = rules[record_class].days
        outcome = RuleOutcome(record_class, days)
        result.rules.append(outcome)
        if days is None:
            continue
        outcome.visits = [v for v in _visits_due(app, office, record_class, days, now) if v not in taken]
        taken.update(outcome.visits)
        if outcome.visits and not dry_run:
            purged: PurgeResult = purge_visits(
                app.db,
                app.paths.media_dir,
                outcome.visits,
                record_class.value,
                app.actor,
                app.device_id,
                compact_after=False,
            )
            outcome.files = [*purged.snapshots]
            outcome.rows = purged.audit_values
            result.locations_removed += purged.locations
    result.rules.append(_import_logs(app, rules[RecordClass.IMPORT_LOGS].days, now, dry_run))
    result.rules.append(_audit_detail(app, office, rules[RecordClass.AUDIT_DETAIL].days, now, dry_run))
    result.rules.append(_snapshots(app, rules[RecordClass.SNAPSHOTS].days, now, dry_run))
    if not dry_run:
        result.compacted = compact(app.db)
    result.chain_ok = verify_chain(app.db).ok
    return result


def _record_applied(app: AppContext, record_class: RecordClass, count: int) -> None:
    append(app.db, AuditEntry(app.actor, app.device_id, APPLIED_ACTION, record_class.value, str(count)))


def _import_logs(app: AppContext, days: int | None, now: datetime, dry_run: bool) -> RuleOutcome:
    outcome = RuleOutcome(RecordClass.IMPORT_LOGS, days)
    if days is None:
        return outcome
    where, params = "at <= ?", [_cutoff(now, days)]
    outcome.rows = int(
        app.db.execute(f"SELECT count(*) FROM sync_import_reports WHERE {where}", params).fetchone()[0]
    )
    if outcome.rows and not dry_run:
        with writing(app.db):
            app.db.execute(f"DELETE FROM sync_import_reports WHERE {where}", params)
            _record_applied(app, RecordClass.IMPORT_LOGS, outcome.rows)
    return outcome


def _audit_detail(
    app: AppContext, office: bool, days: int | None, now: datetime, dry_run: bool
) -> RuleOutcome:
    outcome = RuleOutcome(RecordClass.AUDIT_DETAIL, days)
    if days is None:
        return outcome
    where, params = _audit_detail_where(app, office), {"cutoff": _cutoff(now, days)}
    outcome.rows = int(
        app.db.execute(
            f"SELECT count(*) FROM audit_values WHERE seq IN (SELECT seq FROM audit_chain WHERE {where})",
            params,
        ).fetchone()[0]
    )
    remote = "(old IS NOT NULL OR new IS NOT NULL) AND at <= :cutoff"
    outcome.rows += int(
        app.db.execute(f"SELECT count(*) FROM sync_remote_audit WHERE {remote}", params).fetchone()[0]
    )
    if outcome.rows and not dry_run:
        with writing(app.db):
            purge_values(app.db, where, params)
            app.db.execute(f"UPDATE sync_remote_audit SET old = NULL, new = NULL WHERE {remote}", params)
            append_many(
                app.db,
                [
                    AuditEntry(
                        app.actor,
                        app.device_id,
                        APPLIED_ACTION,
                        RecordClass.AUDIT_DETAIL.value,
                        str(outcome.rows),
                    )
                ],
            )
    return outcome


def _snapshots(app: AppContext, days: int | None, now: datetime, dry_run: bool) -> RuleOutcome:
    outcome = RuleOutcome(RecordClass.SNAPSHOTS, days)
    if days is None:
        return outcome
    cutoff = now - timedelta(days=days)
    due = [path for path in snapshots_of(app.paths.database) if _snapshot_time(path) <= cutoff]
    outcome.files = [path.name for path in due]
    if due and not dry_run:
        for path in due:
            path.unlink(missing_ok=True)
        with writing(app.db):
            _record_applied(app, RecordClass.SNAPSHOTS, len(due))
    return outcome
