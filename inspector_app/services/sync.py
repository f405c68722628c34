"""Sync for one installation: keys and enrolment, export, import, receipts and purge (see docs/sync.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspector_app import __version__
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.loader import definition_files, load_form_file
from inspector_app.forms.store import archive_form
from inspector_app.i18n import _
from inspector_app.paths import forms_dir
from inspector_app.services.app import AppContext
from inspector_app.storage import sync_devices
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync import receipts
from inspector_app.sync.errors import KeyMaterialError
from inspector_app.sync.export import ExportResult, export_bundle
from inspector_app.sync.import_ import ImportReport, import_bundle
from inspector_app.sync.keys import (
    KeyStore,
    OfficePublic,
    Registration,
    parse_enrolment,
    parse_registration,
    read_json_file,
)
from inspector_app.sync.receipts import ReceiptResult
from inspector_app.sync.reference import export_reference, form_files
from inspector_app.sync.reference_install import ReferenceReport, import_reference


def keystore(app: AppContext) -> KeyStore:
    return KeyStore.of(app.paths.data_dir)


def _audit(app: AppContext, action: str, entity: str, entity_id: str, new: object) -> None:
    with writing(app.db):
        append(app.db, AuditEntry(app.actor, app.device_id, action, entity, entity_id, None, None, new))


def init_office(app: AppContext, municipality: str, escrow: tuple[str, ...] = ()) -> OfficePublic:
    public = keystore(app).init_office(municipality, escrow)
    _audit(app, "key.office_created", "office", public.fingerprint, {"municipality": municipality})
    return public


def enrol(app: AppContext, enrolment_file: Path) -> tuple[OfficePublic, str]:
    public = parse_enrolment(read_json_file(enrolment_file))
    device_key = keystore(app).enrol(public, app.device_id)
    _audit(app, "key.enrol", "office", public.fingerprint, {"municipality": public.municipality})
    return public, device_key


def registration(app: AppContext) -> Registration:
    return keystore(app).registration(app.device_id, app.actor)


def register_device(app: AppContext, registration_file: Path) -> Registration:
    found = parse_registration(read_json_file(registration_file))
    office = keystore(app).office_public()
    if not keystore(app).has_office():
        raise KeyMaterialError(_("Alleen een kantoorinstallatie kan laptops registreren."))
    if found.office_fingerprint != office.fingerprint:
        raise KeyMaterialError(
            _("Deze laptop is ingeschreven bij een ander kantoor (of een oude kantoorsleutel).")
        )
    current = sync_devices.get_device(app.db, found.device_id)
    if current is not None and current.revoked_at and current.fingerprint == found.fingerprint:
        raise KeyMaterialError(
            _("Deze apparaatsleutel is ingetrokken en kan niet opnieuw worden geregistreerd.")
        )
    with writing(app.db):
        sync_devices.upsert_device(
            app.db,
            sync_devices.DeviceRow(
                found.device_id,
                found.name,
                found.sign_public_key,
                found.fingerprint,
                now_iso(),
                None,
                None,
                0,
                found.recipient or None,
            ),
        )
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "key.register_device",
                "device",
                found.device_id,
                None,
                None,
                {"fingerprint": found.fingerprint, "name": found.name},
            ),
        )
    return found


def revoke_device(app: AppContext, device: str, reason: str) -> sync_devices.DeviceRow:
    matches = sync_devices.find_devices(app.db, device)
    if not matches:
        raise NotFoundError(_("Apparaat {device} is niet geregistreerd", device=device))
    if len(matches) > 1:
        raise InvalidInputError(_("Apparaat {device} is niet eenduidig; geef meer tekens", device=device))
    row = matches[0]
    with writing(app.db):
        sync_devices.revoke_device(app.db, row.device_id, now_iso(), reason)
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "key.revoke",
                "device",
                row.device_id,
                None,
                None,
                {"reason": reason},
            ),
        )
    return row


def export(
    app: AppContext,
    target: Path,
    visit_ids: list[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ExportResult | None:
    return export_bundle(
        app.db,
        app.paths.data_dir,
        app.paths.media_dir,
        app.device_id,
        app.actor,
        target,
        __version__,
        visit_ids,
        progress,
    )


def import_files(
    app: AppContext, files: list[Path], progress: Callable[[int, int, ImportReport], None] | None = None
) -> list[ImportReport]:
    reports = []
    for index, path in enumerate(files, start=1):
        report = import_bundle(
            app.db, app.paths.data_dir, app.paths.media_dir, path, app.actor, app.device_id
        )
        reports.append(report)
        if progress:
            progress(index, len(files), report)
    return reports


def write_receipt(app: AppContext, target: Path, device: str | None = None) -> Path:
    from inspector_app.fileio import atomic_write_bytes

    atomic_write_bytes(target, receipts.make_receipt(app.db, app.paths.data_dir, device))
    return target


def apply_receipt(app: AppContext, path: Path) -> ReceiptResult:
    return receipts.apply_receipt(
        app.db, app.paths.data_dir, app.device_id, app.actor, receipts.load_receipt_file(path)
    )


def purge(app: AppContext, days: int | None = None) -> list[str]:
    return receipts.purge_acknowledged(app.db, app.paths.media_dir, app.device_id, app.actor, days)


def open_conflicts(app: AppContext) -> list[tuple[str, list[object]]]:
    rows = app.db.execute(
        "SELECT visit_id, versions FROM sync_conflicts WHERE status = 'open' ORDER BY visit_id"
    )
    return [(str(v), json.loads(k)) for v, k in rows.fetchall()]


def write_reference(
    app: AppContext, target: Path, forms_folder: Path | None = None
) -> tuple[Path, int, int, int, int]:
    """Office: write a reference bundle for every registered laptop; (path, laptops, forms, locations, history).

    The checklists are the office's current ones (`forms_folder`, default the forms in use), each
    validated first: a malformed one stops the export with the loader's message.
    """
    if not keystore(app).has_office():
        raise KeyMaterialError(_("Alleen een kantoorinstallatie kan referentiebundels maken."))
    folder = forms_folder or forms_dir()
    for path in definition_files(folder):
        # Laptops will fill visits with these versions: keep them addressable here (forms/store.py).
        archive_form(load_form_file(path), app.paths.data_dir)
    path, content, laptops = export_reference(
        app.db,
        app.paths.data_dir,
        form_files(folder),
        target,
        SCHEMA_VERSION,
        __version__,
        app.actor,
        app.device_id,
    )
    return path, laptops, content.forms, content.locations, content.history


def import_reference_file(app: AppContext, path: Path) -> ReferenceReport:
    """Laptop: verify and apply an office reference bundle (checklists, locations, earlier indicators)."""
    return import_reference(app.db, app.paths.data_dir, app.device_id, app.actor, path)


def is_office(app: AppContext) -> bool:
    return keystore(app).has_office()


@dataclass(frozen=True)
class HistoryItem:
    """One indicator of an earlier visit at a location."""

    visit_id: str
    visit_date: str
    slug: str
    weight: str
    source: str  # "local" (a visit on this laptop) or "office" (from the latest reference bundle)


def location_history(
    app: AppContext, location_id: str, exclude_visit: str | None = None
) -> list[HistoryItem]:
    """Earlier visits' active indicators at a location, newest first: local visits plus reference data."""
    local = app.db.execute(
        "SELECT o.visit_id, substr(v.started_at, 1, 10), o.slug,"
        " min(CASE o.weight WHEN 'H' THEN 0 WHEN 'M' THEN 1 ELSE 2 END)"
        " FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        " WHERE v.location_id = ? AND o.active = 1 AND o.dismissed = 0 GROUP BY o.visit_id, o.slug",
        [location_id],
    ).fetchall()
    items = {(v, s): HistoryItem(v, d, s, "HML"[w], "local") for v, d, s, w in local}
    local_visits = {v for v, _s in items} | {
        str(r[0]) for r in app.db.execute("SELECT id FROM visits WHERE location_id = ?", [location_id])
    }
    for v, d, s, w in app.db.execute(
        "SELECT visit_id, visit_date, slug, weight FROM sync_reference_history WHERE location_id = ?",
        [location_id],
    ).fetchall():
        if v not in local_visits:
            items[(v, s)] = HistoryItem(v, d, s, w, "office")
    found = [item for item in items.values() if item.visit_id != exclude_visit]
    return sorted(
        found, key=lambda i: (i.visit_date, i.visit_id, "HML".index(i.weight), i.slug), reverse=True
    )
