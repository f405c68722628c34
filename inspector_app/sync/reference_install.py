"""Laptop side of reference bundles: verify, validate the checklists, then apply in one transaction.

Order: size cap, file hash, decryption with the laptop's identity, ZIP checks, the office signature
(key from the enrolment), manifest, every hash, strict decoding of the records, then every checklist
is written to a private staging folder and loaded with `load_form_file`; a malformed one rejects the
whole bundle and nothing changes. Only then one transaction upserts the location register (newer
`updated_at` wins, so a laptop's own newer edit stays), replaces the earlier-indicator history,
writes the `sync_reference_log` row and the audit entry, and - as its last step before COMMIT -
atomically switches `<data dir>/forms/current` to the new set. A crash before the commit leaves at
most an unused set folder (or the new forms active beside the old data, which the re-run completes).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from inspector_app.domain.policy import PolicyValueError, parse_policy_value
from inspector_app.fileio import atomic_write_bytes, create_private_dirs
from inspector_app.forms.loader import FormDefinitionError, definition_files, load_all_forms, load_form_file
from inspector_app.forms.store import archive_forms
from inspector_app.i18n import _
from inspector_app.paths import INSTALLED_FORMS_POINTER, installed_forms_dir, installed_forms_root
from inspector_app.storage.audit import AuditEntry, append, canonical_json, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.policy import replace_policy
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync.envelope import MAX_BUNDLE
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.identifiers import is_uuid
from inspector_app.sync.intake import changed_while_read, regular_file, stream_sha256
from inspector_app.sync.keys import KeyStore
from inspector_app.sync.office_revisions import apply_entry, entry_name, open_entry
from inspector_app.sync.records import Row, decode_jsonl, insert_rows, upsert_location
from inspector_app.sync.reference import (
    DUE_FILE,
    HISTORY_FILE,
    LOCATIONS_FILE,
    POLICY_FILE,
    WEIGHTS,
    open_reference,
)


@dataclass
class ReferenceReport:
    file: str
    status: str = "rejected"  # imported | already_present | rejected
    reason_code: str = ""
    reason: str = ""
    bundle_id: str | None = None
    seq: int | None = None
    forms: list[str] = field(default_factory=list)
    locations: int = 0
    history: int = 0
    policy: list[str] = field(default_factory=list)  # the policy keys the office sent (none: kept)
    policy_applied: bool = False  # False: an older office bundle without a policy; the laptop's stays
    due: int = 0  # re-inspections still open at the office (kept as they were from an older office)
    # The office's revisions of this laptop's visits (sync/office_revisions.py): visits that now hold
    # them, and visits edited here meanwhile (kept; the office merges them on the next import).
    visits_updated: list[str] = field(default_factory=list)
    visits_kept: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "already_present")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _decode(table: str, data: bytes, file: str) -> list[Row]:
    """Strictly decoded rows; the codec refuses unknown enum values of record fields (a location's
    type), the history's weight is checked here because that table has no domain record."""
    rows = decode_jsonl(table, data, file)
    for number, row in enumerate(rows, start=1):
        bad_day = table == "sync_reference_due" and not all(
            DAY.fullmatch(str(row[name])) for name in ("visit_date", "due_date")
        )
        if bad_day or (table == "sync_reference_history" and row["weight"] not in WEIGHTS):
            raise BundleRejectedError(
                "bad_record",
                _(
                    "Ongeldig record in {file}, regel {line}: {problem}",
                    file=file,
                    line=number,
                    problem="unknown code",
                ),
            )
    return rows


def _decode_policy(data: bytes) -> list[dict[str, str]]:
    """The office's policy rows, each checked as `policy set` checks it; anything else rejects the bundle."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(data.decode("utf-8", errors="strict").splitlines(), start=1):
        problem = None
        try:
            row = json.loads(line)
        except ValueError:
            row, problem = None, "not JSON"
        if problem is None and (
            not isinstance(row, dict)
            or set(row) != {"key", "value", "updated_at"}
            or not all(isinstance(v, str) for v in row.values())
        ):
            problem = "unexpected fields"
        if problem is None and isinstance(row, dict):
            try:
                parse_policy_value(row["key"], row["value"])
            except PolicyValueError:
                problem = "value not allowed"
            if row["key"] in seen:
                problem = "duplicate key"
        if problem is not None or not isinstance(row, dict):
            raise BundleRejectedError(
                "bad_record",
                _(
                    "Ongeldig record in {file}, regel {line}: {problem}",
                    file=POLICY_FILE,
                    line=number,
                    problem=problem,
                ),
            )
        seen.add(row["key"])
        rows.append(row)
    return rows


def stage_forms(root: Path, bundle_id: str, forms: dict[str, bytes]) -> Path:
    """Write the checklists to `<root>/set-<bundle id>` via a staging folder, validating each first."""
    if not any(not name.startswith("_") for name in forms):
        raise BundleRejectedError("bad_checklist", _("De referentiebundel bevat geen checklists."))
    if not is_uuid(bundle_id):
        raise BundleRejectedError(
            "bad_identifier",
            _("Het manifest heeft een ongeldig {field}: {value}", field="bundle_id", value=bundle_id[:40]),
        )
    target = root / f"set-{bundle_id}"
    staging = root / f".staging-{uuid.uuid4()}"  # named by the app, not by the bundle
    shutil.rmtree(staging, ignore_errors=True)
    create_private_dirs(staging)
    try:
        for name, data in sorted(forms.items()):
            atomic_write_bytes(staging / name, data)
        seen: dict[str, str] = {}
        for path in definition_files(staging):
            try:
                form = load_form_file(path)
            except FormDefinitionError as error:
                raise BundleRejectedError(
                    "bad_checklist",
                    _(
                        "Checklist {name} in de referentiebundel is ongeldig; er is niets gewijzigd: {problem}",
                        name=path.name,
                        problem=str(error.problems[0]).replace(str(staging), "")[:300],
                    ),
                ) from error
            if form.id in seen:
                raise BundleRejectedError(
                    "bad_checklist",
                    _(
                        "Checklist {name} in de referentiebundel is ongeldig; er is niets gewijzigd: {problem}",
                        name=path.name,
                        problem=f"form id {form.id!r} is also used by {seen[form.id]}",
                    ),
                )
            seen[form.id] = path.name
        shutil.rmtree(target, ignore_errors=True)
        staging.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _archive_definitions(data_dir: Path, new_set: Path) -> None:
    """Keep the outgoing and the incoming checklist versions addressable (forms/store.py): the old set
    folder is removed after the switch, yet visits filled with it must still evaluate with it."""
    current = installed_forms_dir(data_dir)
    if current is not None:
        # A set that does not load was never in use (load_all_forms ignores it too).
        with contextlib.suppress(FormDefinitionError, OSError):
            archive_forms(load_all_forms(current), data_dir)
    archive_forms(load_all_forms(new_set), data_dir)


def _remove_old_sets(root: Path, keep: Path) -> None:
    for folder in root.glob("set-*"):
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)


def import_reference(db: Database, data_dir: Path, device_id: str, actor: str, path: Path) -> ReferenceReport:
    """Import one reference bundle on a laptop; never raises for a bad bundle (see the report)."""
    report = ReferenceReport(file=path.name)
    file_sha: str | None = None
    root = installed_forms_root(data_dir)
    try:
        with regular_file(path, MAX_BUNDLE) as handle:  # streamed: memory independent of the file size
            file_sha = stream_sha256(handle)
            keys = KeyStore.of(data_dir)
            if keys.has_office():
                raise BundleRejectedError(
                    "wrong_installation",
                    _("Een referentiebundel is voor laptops; dit is een kantoorinstallatie."),
                )
            identity = keys.device_identity(device_id)
            opened = open_reference(handle, identity, keys.office_public(), SCHEMA_VERSION, data_dir)
        if opened.file_sha256 != file_sha:
            raise changed_while_read(path)
        manifest = opened.manifest
        if not is_uuid(manifest["bundle_id"]):  # it names a folder below: never an unchecked path
            raise BundleRejectedError(
                "bad_identifier",
                _(
                    "Het manifest heeft een ongeldig {field}: {value}",
                    field="bundle_id",
                    value=str(manifest["bundle_id"])[:40],
                ),
            )
        report.bundle_id, report.seq = str(manifest["bundle_id"]), int(manifest["seq"])
        if db.execute("SELECT 1 FROM sync_reference_log WHERE bundle_id = ?", [report.bundle_id]).fetchone():
            report.status = "already_present"
            report.reason = _("Deze bundel is al eerder ingelezen; er is niets gewijzigd.")
            return report
        last = int(db.execute("SELECT coalesce(max(seq), 0) FROM sync_reference_log").fetchone()[0])
        if report.seq <= last:
            raise BundleRejectedError(
                "stale",
                _(
                    "Deze referentiebundel (nummer {seq}) is ouder dan de laatst ingelezen (nummer {last}).",
                    seq=report.seq,
                    last=last,
                ),
            )
        locations = _decode("locations", opened.entries.get(LOCATIONS_FILE, b""), LOCATIONS_FILE)
        history = _decode("sync_reference_history", opened.entries.get(HISTORY_FILE, b""), HISTORY_FILE)
        due = (
            _decode("sync_reference_due", opened.entries[DUE_FILE], DUE_FILE)
            if DUE_FILE in opened.entries
            else None
        )
        try:
            policy = _decode_policy(opened.entries[POLICY_FILE]) if POLICY_FILE in opened.entries else None
        except UnicodeDecodeError as error:
            raise BundleRejectedError("bad_record", str(error)) from error
        ours = opened.entries.get(entry_name(device_id))
        office_versions = open_entry(ours, identity) if ours is not None else None
        folder = stage_forms(root, report.bundle_id, opened.forms)
        _archive_definitions(data_dir, folder)
        report.forms = sorted(opened.forms)
        report.locations, report.history = len(locations), len(history)
        report.status = "imported"
        with writing(db):
            for row in locations:
                upsert_location(db, row)
            if office_versions is not None:  # an office before these entries sends none
                applied = apply_entry(db, office_versions)
                report.visits_updated, report.visits_kept = applied.updated, applied.kept
            db.execute("DELETE FROM sync_reference_history")
            insert_rows(db, "sync_reference_history", history)
            if due is not None:
                db.execute("DELETE FROM sync_reference_due")
                insert_rows(db, "sync_reference_due", due)
                report.due = len(due)
            if policy is not None:
                replace_policy(db, policy)
                report.policy, report.policy_applied = sorted(r["key"] for r in policy), True
            db.execute(
                "INSERT INTO sync_reference_log (bundle_id, seq, file_sha256, created_at, applied_at, forms_folder,"
                " report) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    report.bundle_id,
                    report.seq,
                    file_sha,
                    manifest["created_at"],
                    now_iso(),
                    folder.name,
                    canonical_json(report.to_json()),
                ],
            )
            append(
                db,
                AuditEntry(
                    actor,
                    device_id,
                    "bundle.reference_applied",
                    "bundle",
                    report.bundle_id,
                    None,
                    None,
                    {
                        "seq": report.seq,
                        "forms": report.forms,
                        "locations": len(locations),
                        "history": len(history),
                        "policy": report.policy,
                        "visits_updated": report.visits_updated,
                        "visits_kept": report.visits_kept,
                    },
                ),
            )
            atomic_write_bytes(root / INSTALLED_FORMS_POINTER, folder.name.encode("utf-8"))
        _remove_old_sets(root, folder)
    except BundleRejectedError as rejection:
        report.status, report.reason_code, report.reason = "rejected", rejection.code, rejection.message
        with writing(db):
            append(
                db,
                AuditEntry(
                    actor,
                    device_id,
                    "bundle.reference.rejected",
                    "bundle",
                    report.bundle_id or report.file,
                    None,
                    None,
                    {"code": report.reason_code, "file": report.file, "sha256": file_sha},
                ),
            )
    return report
