"""Office: open sync conflicts, one per field the kept versions changed to different values, and
resolving them.

The conflicting fields are those the three-way merge of the visit's leaves (`sync.merge`, against
their common ancestor) could not settle; every other field is merged already. Resolving one or more
fields writes one new revision (kind `addendum`, with the reason) whose parents are the heads of
every kept version, and a decision per field in `sync_field_decisions`: the visit shown is the merge
with those choices. Fields not chosen stay open. One transaction holds the visit, the decisions, the
conflict's status and the audit entry: nothing is half changed on error.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import cast

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import AppError, InvalidInputError, NotFoundError
from inspector_app.forms.display import format_value
from inspector_app.forms.refs import answer_ref, parse_ref
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing
from inspector_app.sync import versions as versions_store
from inspector_app.sync.derived import rules_of
from inspector_app.sync.intake import known_form
from inspector_app.sync.resolution import Canonical, chosen_value, differing_fields
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


def _kept(
    app: AppContext, conflict_id: str
) -> tuple[list[ConflictVersion], dict[str, Canonical], versions_store.MergedView]:
    status = versions_store.conflict_status(app.db, conflict_id)
    if status is None:
        raise NotFoundError(_("Er is geen conflict voor bezoek {visit}", visit=conflict_id[:8]))
    if status != "open":
        raise InvalidInputError(_("Het conflict bij bezoek {visit} is al opgelost", visit=conflict_id[:8]))
    view = versions_store.merged_view(app.db, conflict_id, derive=rules_of(app.paths.data_dir))
    if view is None:
        raise InvalidInputError(_("Bij bezoek {visit} zijn geen twee versies bewaard", visit=conflict_id[:8]))
    versions, snapshots = [], {}
    for kept in view.leaves:
        key = kept.version_id
        versions.append(
            ConflictVersion(
                key,
                kept.device_id,
                # The office's own edits are a version of its own device, which is no registered laptop.
                kept.device_name or (_("Kantoor") if kept.device_id == app.device_id else ""),
                kept.seq,
                kept.head_rev,
                str(kept.snapshot["visit"]["updated_at"]),
                kept.sha256,
                kept is view.prefer,
            )
        )
        snapshots[key] = kept.snapshot
    return versions, snapshots, view


def _open_fields(snapshots: dict[str, Canonical], view: versions_store.MergedView) -> list[FieldDiff]:
    """The open fields, shown per version, in the reading order of the conflict screen."""
    keys = {c.key for c in view.result.conflicts}
    return [field for field in differing_fields(snapshots) if field.key in keys]


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
        versions, snapshots, view = _kept(app, str(visit_id))
        found.append(
            ConflictSummary(str(visit_id), location, started, versions, len(_open_fields(snapshots, view)))
        )
    return found


def conflict_versions(app: AppContext, conflict_id: str) -> list[ConflictVersion]:
    return _kept(app, conflict_id)[0]


def conflict_fields(app: AppContext, conflict_id: str) -> list[FieldDiff]:
    """Per field, the value each kept version holds (only fields that differ)."""
    _versions, snapshots, view = _kept(app, conflict_id)
    return _open_fields(snapshots, view)


def shown_conflict_fields(app: AppContext, conflict_id: str, lang: str) -> list[FieldDiff]:
    """`conflict_fields` for people (the conflict screen): an answer or note is named by its question's
    text beside its address, and an answer's values read as the report prints them ("Ja", choice labels,
    dd-mm-yyyy). The keys are unchanged; the CLI keeps the stored values (`--take` accepts those)."""
    _versions, snapshots, view = _kept(app, conflict_id)
    fields = _open_fields(snapshots, view)
    visit = next(iter(snapshots.values()))["visit"]
    form = known_form(app.paths.data_dir, str(visit["form_id"]), int(visit["form_version"]))
    if form is None:  # a checklist version this office does not hold: the addresses are all there is
        return fields
    shown = []
    for field in fields:
        kind, _sep, ref = field.key.partition(":")
        if kind not in ("answer", "note"):
            shown.append(field)
            continue
        try:
            question, _person = parse_ref(form, ref)
        except AppError:
            shown.append(field)
            continue
        named = f"{ref} {question.label.get(lang)}"
        if kind == "note":
            shown.append(replace(field, label=_("Notitie bij {ref}", ref=named)))
            continue
        values = {
            version: format_value(question, _stored_answer(snapshots[version], ref), lang)
            for version in field.values
        }
        shown.append(replace(field, label=named, values=values))
    return shown


def _stored_answer(snapshot: Canonical, ref: str) -> AnswerValue:
    for row in snapshot["answers"]:
        if answer_ref(str(row["question_id"]), int(row["person_number"]) or None) == ref:
            return None if row["value"] is None else cast(AnswerValue, json.loads(str(row["value"])))
    return None


def resolve_conflict(app: AppContext, conflict_id: str, choices: Mapping[str, str], reason: str) -> str:
    """Decide the chosen fields (field key -> version id, or for a note its text) in one new revision
    whose parents are every kept version's head; returns its id. Fields not chosen stay open; no
    choices at all keeps the shown value of every open field."""
    reason = reason.strip()
    if not reason:
        raise InvalidInputError(_("Geef een reden voor deze keuze"))
    versions, _snapshots, view = _kept(app, conflict_id)
    open_keys = {c.key for c in view.result.conflicts}
    # No choice at all: every open field keeps the value shown now.
    choices = dict(choices) or dict.fromkeys(sorted(open_keys), view.prefer.version_id)
    values = {}
    for key, choice in choices.items():
        if key not in open_keys:
            raise InvalidInputError(_("Veld {field} is geen open conflict van dit bezoek", field=key))
        values[key] = chosen_value(view.conflict(key), choice)
    at = now_iso()
    rev_id = str(uuid.uuid4())
    revision = {
        "id": rev_id,
        "visit_id": conflict_id,
        "base_rev": view.heads[0],
        "kind": "addendum",
        "author": app.actor,
        "device_id": app.device_id,
        "created_at": at,
        "closed_at": at,
        "content_sha256": None,
        "reason": reason,
    }
    with writing(app.db):
        versions_store.record_decisions(
            app.db, conflict_id, values, revision, view.heads, app.actor, derive=rules_of(app.paths.data_dir)
        )
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                RESOLVED_ACTION,
                "visit",
                conflict_id,
                conflict_id,
                {"versions": [[v.device_id, v.seq, v.sha256] for v in versions]},
                {"revision": rev_id, "parents": view.heads, "choices": dict(choices), "reason": reason},
            ),
        )
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
