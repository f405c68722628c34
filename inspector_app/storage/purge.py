"""Removing visits for real: every row and file that holds their content, then the freed space.

What a purge removes (docs/privacy.md): the visit and its revisions, answers (person answers too),
persons, indicator observations, photo rows and files, referrals; the office's version snapshots,
conflicts and the laptop's reference history of the visit; the values of every audit entry of the
visit (the chain stays and verifies); the values the office keeps of the laptop's audit entries; the
location, when this was its last visit and no reference history names it; and every pre-migration
snapshot that still holds one of the visits. After the transaction the database is rebuilt (VACUUM)
and the WAL truncated, so no freed page or old WAL frame keeps the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from inspector_app.storage.audit import AuditEntry, append_many, now_iso, purge_values
from inspector_app.storage.cipher import ERRORS, OPERATIONAL
from inspector_app.storage.db import snapshots_of, writing

# The store's tables that hold a visit's own rows (all keyed by visit_id), children before the visit.
VISIT_TABLES = (
    "visit_revisions",
    "answers",
    "persons",
    "indicator_observations",
    "photos",
    "referrals",
    "visit_revision_parents",
    "sync_visit_versions",
    "sync_merge_revisions",
    "sync_field_decisions",
    "sync_conflicts",
    "sync_reference_history",
    "visit_follow_ups",
)
PURGED_ACTION = "retention.purged"
LOCATION_REMOVED_ACTION = "retention.location_removed"
APPLIED_ACTION = "retention.applied"
POLICY_SET_ACTION = "retention.policy_set"
# Bookkeeping entries of retention: on their own they are no reason to write a bundle (sync.export).
RETENTION_ACTIONS = frozenset({PURGED_ACTION, LOCATION_REMOVED_ACTION, APPLIED_ACTION, POLICY_SET_ACTION})


@dataclass
class PurgeResult:
    visits: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    photo_files: int = 0
    audit_values: int = 0
    snapshots: list[str] = field(default_factory=list)
    compacted: bool = False


def _marks(count: int) -> str:
    return ", ".join("?" for _ in range(count))


def _orphaned_locations(db: Database, location_ids: set[str]) -> list[str]:
    return [
        location
        for location in sorted(location_ids)
        if db.execute("SELECT 1 FROM visits WHERE location_id = ? LIMIT 1", [location]).fetchone() is None
        and db.execute(
            "SELECT 1 FROM sync_reference_history WHERE location_id = ? LIMIT 1", [location]
        ).fetchone()
        is None
    ]


def delete_visits(
    db: Database, visit_ids: Sequence[str], rule: str, actor: str, device_id: str, at: str | None = None
) -> PurgeResult:
    """The database part of a purge; call inside the caller's transaction (`storage.db.writing`).

    Records one chain entry per visit (action retention.purged, entity = the rule, ids only) and one
    per removed location, so the chain says what went, when and under which rule.
    """
    result = PurgeResult(visits=list(visit_ids))
    if not visit_ids:
        return result
    stamp = at or now_iso()
    ids = list(visit_ids)
    marks = _marks(len(ids))
    locations = {str(r[0]) for r in db.execute(f"SELECT location_id FROM visits WHERE id IN ({marks})", ids)}
    result.audit_values = purge_values(db, f"visit_id IN ({marks})", ids)
    db.execute(f"UPDATE sync_remote_audit SET old = NULL, new = NULL WHERE visit_id IN ({marks})", ids)
    for table in VISIT_TABLES:
        db.execute(f"DELETE FROM {table} WHERE visit_id IN ({marks})", ids)
    db.execute(f"DELETE FROM visits WHERE id IN ({marks})", ids)
    result.locations = _orphaned_locations(db, locations)
    if result.locations:
        lmarks = _marks(len(result.locations))
        where = f"entity = 'location' AND entity_id IN ({lmarks})"
        result.audit_values += purge_values(db, where, result.locations)
        db.execute(f"UPDATE sync_remote_audit SET old = NULL, new = NULL WHERE {where}", result.locations)
        db.execute(f"DELETE FROM locations WHERE id IN ({lmarks})", result.locations)
    append_many(
        db,
        [AuditEntry(actor, device_id, PURGED_ACTION, rule, visit_id, visit_id) for visit_id in ids]
        + [AuditEntry(actor, device_id, LOCATION_REMOVED_ACTION, rule, loc) for loc in result.locations],
        stamp,
    )
    return result


def unused_media(db: Database, media_dir: Path, hashes: set[str]) -> list[Path]:
    """Media files of `hashes` that no remaining photo row uses."""
    still_used = {str(r[0]) for r in db.execute("SELECT DISTINCT sha256 FROM photos")}
    return [
        path
        for sha in sorted(hashes - still_used)
        for path in sorted(media_dir.glob(f"{sha}.*")) + sorted(media_dir.glob(f".{sha}.*"))
    ]


def snapshot_holds(
    db: Database, snapshot: Path, visit_ids: Sequence[str], location_ids: Sequence[str]
) -> bool:
    """Whether a snapshot still holds one of the visits or locations (unreadable: assume it does).

    It is attached read-only to the store's own connection: a snapshot is encrypted with the store's
    key, which an attached database without a KEY clause uses."""
    try:
        db.execute("ATTACH DATABASE ? AS snapshot", [f"{snapshot.resolve().as_uri()}?mode=ro"])
    except ERRORS:
        return True
    try:
        found = False
        if visit_ids:
            found = bool(
                db.execute(
                    f"SELECT 1 FROM snapshot.visits WHERE id IN ({_marks(len(visit_ids))}) LIMIT 1",
                    list(visit_ids),
                ).fetchone()
            )
        if not found and location_ids:
            found = bool(
                db.execute(
                    f"SELECT 1 FROM snapshot.locations WHERE id IN ({_marks(len(location_ids))}) LIMIT 1",
                    list(location_ids),
                ).fetchone()
            )
        return found
    except ERRORS:
        return True
    finally:
        db.execute("DETACH DATABASE snapshot")


def compact(db: Database) -> bool:
    """Rebuild the database and truncate the WAL; False when that could not be done now.

    `secure_delete` (on for every connection) has already zeroed the deleted content in the database
    file; VACUUM also drops the freed pages, and the TRUNCATE checkpoint removes WAL frames written
    before the purge. Another connection reading at this moment keeps the WAL (False: run again later);
    a statement still open on this connection, or too little memory or disk for the rebuild, skips the
    VACUUM (also False) and leaves the zeroed pages in place."""
    try:
        db.execute("VACUUM")
    except OPERATIONAL:
        vacuumed = False
    else:
        vacuumed = True
    try:
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except OPERATIONAL:
        return False
    return vacuumed and busy is not None and int(busy[0]) == 0


def database_file(db: Database) -> Path:
    """The file of the connection's main database."""
    return Path(next(str(r[2]) for r in db.execute("PRAGMA database_list") if r[1] == "main"))


def purge_visits(
    db: Database,
    media_dir: Path,
    visit_ids: Sequence[str],
    rule: str,
    actor: str,
    device_id: str,
    summary: Sequence[AuditEntry] = (),
    compact_after: bool = True,
) -> PurgeResult:
    """Remove the visits everywhere in the data folder: rows, photo files, snapshots, freed pages.

    `summary` entries are appended in the same transaction (the laptop's `retention.purge` entry that
    travels to the office).
    """
    if not visit_ids:
        return PurgeResult()
    ids = list(visit_ids)
    hashes = {
        str(r[0])
        for r in db.execute(f"SELECT sha256 FROM photos WHERE visit_id IN ({_marks(len(ids))})", ids)
    }
    with writing(db):
        if summary:
            append_many(db, list(summary))
        result = delete_visits(db, ids, rule, actor, device_id)
    for path in unused_media(db, media_dir, hashes):
        path.unlink(missing_ok=True)
        result.photo_files += 1
    for snapshot in snapshots_of(database_file(db)):
        if snapshot_holds(db, snapshot, ids, result.locations):
            snapshot.unlink(missing_ok=True)
            result.snapshots.append(snapshot.name)
    result.compacted = compact(db) if compact_after else False
    return result
