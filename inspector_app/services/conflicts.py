"""Office: open sync conflicts, the fields that differ between the kept versions, and resolving them.

Resolving writes one new revision (kind `addendum`, with the reason) whose parents are the heads of
every kept version: its base is the head of the version shown so far, and the merged visit carries the
union of all versions' revisions. The merged content is recorded as a new version from the office in
`sync_visit_versions`, newer than every kept version, so re-importing either bundle changes nothing and
a later bundle that builds on only one of them is recognised as older. One transaction holds the visit,
the version row, the conflict's new status and the audit entry: nothing is half changed on error.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals.ledger import ObservationDiff
from inspector_app.storage import visits as visits_repo
from inspector_app.storage.audit import AuditEntry, now_iso
from inspector_app.storage.db import writing
from inspector_app.sync import versions as versions_store
from inspector_app.sync.records import Snapshot
from inspector_app.sync.resolution import Canonical, differing_fields, merge
from inspector_app.sync.resolution import FieldDiff as FieldDiff

RESOLVED_ACTION = "sync.conflict.resolved"


@dataclass(frozen=True)
class ConflictVersion:
    version_id: str  # "<device id>:<seq>"
    device_id: str
    device_name: str
    seq: int
    head_rev: str
    updated_at: str
    sha256: str
    shown: bool


@dataclass(frozen=True)
class ConflictSummary:
    conflict_id: str  # the visit id (one open conflict per visit)
    location: str
    started_at: str
    versions: list[ConflictVersion]
    fields: int


def _kept(app: AppContext, conflict_id: str) -> tuple[list[ConflictVersion], dict[str, Canonical]]:
    status = versions_store.conflict_status(app.db, conflict_id)
    if status is None:
        raise NotFoundError(_("Er is geen conflict voor bezoek {visit}", visit=conflict_id[:8]))
    if status != "open":
        raise InvalidInputError(_("Het conflict bij bezoek {visit} is al opgelost", visit=conflict_id[:8]))
    versions, snapshots = [], {}
    for kept in versions_store.kept_versions(app.db, conflict_id):
        key = kept.version_id
        versions.append(
            ConflictVersion(
                key,
                kept.device_id,
                kept.device_name,
                kept.seq,
                kept.head_rev,
                str(kept.snapshot["visit"]["updated_at"]),
                kept.sha256,
                kept.shown,
            )
        )
        snapshots[key] = kept.snapshot
    if len(versions) < 2:
        raise InvalidInputError(_("Bij bezoek {visit} zijn geen twee versies bewaard", visit=conflict_id[:8]))
    return versions, snapshots


def open_conflicts(app: AppContext) -> list[tuple[str, list[object]]]:
    """Open conflicts by visit id, each with its [device, seq, sha256] leaves (the version store's view)."""
    return versions_store.open_conflicts(app.db)


def list_conflicts(app: AppContext) -> list[ConflictSummary]:
    """Open conflicts, oldest first, with where and when the visit took place."""
    rows = app.db.execute(
        "SELECT c.visit_id, coalesce(l.name, ''), coalesce(v.started_at, '')"
        " FROM sync_conflicts c LEFT JOIN visits v ON v.id = c.visit_id"
        " LEFT JOIN locations l ON l.id = v.location_id"
        " WHERE c.status = 'open' ORDER BY c.detected_at, c.visit_id"
    ).fetchall()
    found = []
    for visit_id, location, started in rows:
        versions, snapshots = _kept(app, str(visit_id))
        found.append(
            ConflictSummary(str(visit_id), location, started, versions, len(differing_fields(snapshots)))
        )
    return found


def conflict_versions(app: AppContext, conflict_id: str) -> list[ConflictVersion]:
    return _kept(app, conflict_id)[0]


def conflict_fields(app: AppContext, conflict_id: str) -> list[FieldDiff]:
    """Per field, the value each kept version holds (only fields that differ)."""
    return differing_fields(_kept(app, conflict_id)[1])


def resolve_conflict(app: AppContext, conflict_id: str, choices: Mapping[str, str], reason: str) -> str:
    """Write the merged visit as a new revision; returns its id. Unchosen fields keep the shown version."""
    reason = reason.strip()
    if not reason:
        raise InvalidInputError(_("Geef een reden voor deze keuze"))
    versions, snapshots = _kept(app, conflict_id)
    base = next((v for v in versions if v.shown), versions[0])
    at = now_iso()
    rev_id = str(uuid.uuid4())
    revision = {
        "id": rev_id,
        "visit_id": conflict_id,
        "base_rev": base.head_rev,
        "kind": "addendum",
        "author": app.actor,
        "device_id": app.device_id,
        "created_at": at,
        "closed_at": at,
        "content_sha256": None,
        "reason": reason,
    }
    merged = merge(snapshots, base.version_id, choices, revision)
    chosen = {key: choices.get(key, base.version_id) for key in (f.key for f in differing_fields(snapshots))}
    with writing(app.db):
        versions_store.show_snapshot(app.db, Snapshot.from_canonical(merged))
        session = VisitSession(app, conflict_id)
        entry = session.audit_entry(
            RESOLVED_ACTION,
            "visit",
            conflict_id,
            {"versions": [[v.device_id, v.seq, v.sha256] for v in versions]},
            {
                "revision": rev_id,
                "parents": sorted(v.head_rev for v in versions),
                "choices": chosen,
                "reason": reason,
            },
        )
        session.commit(ObservationDiff(), [entry], at)  # counts, acute flag and the audit entry
        visits_repo.close_revision(app.db, rev_id, at, session.content_hash())
        versions_store.record_resolution(app.db, conflict_id, app.device_id, rev_id, app.actor, at)
    return rev_id


def resolution_entries(app: AppContext, conflict_id: str) -> list[AuditEntry]:
    """The audited decisions on a visit's conflicts, oldest first."""
    rows = app.db.execute(
        "SELECT actor, device_id, action, entity, entity_id, visit_id, old, new FROM audit_log"
        " WHERE action = ? AND visit_id = ? ORDER BY seq",
        [RESOLVED_ACTION, conflict_id],
    ).fetchall()
    return [
        AuditEntry(a, d, act, e, eid, vid, json.loads(o) if o else None, json.loads(n) if n else None)
        for a, d, act, e, eid, vid, o, n in rows
    ]
