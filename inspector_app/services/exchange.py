"""Bundles in and out of one installation: export, import by role, receipts, purge, reference bundles (docs/sync.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from inspector_app import __version__
from inspector_app.domain.model import VisitStatus
from inspector_app.forms.loader import definition_files, load_form_file
from inspector_app.forms.store import archive_form
from inspector_app.i18n import _, n_
from inspector_app.logs import log_event
from inspector_app.paths import forms_dir
from inspector_app.services.app import AppContext
from inspector_app.services.keys import is_office, keystore
from inspector_app.services.visit.content import stored_content_hash
from inspector_app.storage.environment import refuse_practice_export, refuse_practice_import
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync import bundle, receipts, reference
from inspector_app.sync.envelope import MAX_HEADER
from inspector_app.sync.envelope import envelope_facts as envelope_facts
from inspector_app.sync.errors import KeyMaterialError
from inspector_app.sync.export import ExportResult as ExportResult
from inspector_app.sync.export import export_bundle
from inspector_app.sync.intake import header_of
from inspector_app.sync.office_import import ImportReport, import_bundle
from inspector_app.sync.receipts import ReceiptResult
from inspector_app.sync.records import Snapshot
from inspector_app.sync.reference import export_reference, form_files
from inspector_app.sync.reference_install import ReferenceReport as ReferenceReport
from inspector_app.sync.reference_install import import_reference

BundleReport = ImportReport | ReferenceReport
"""What importing one file gives: a field bundle (office) or a reference bundle (laptop)."""


def export(
    app: AppContext,
    target: Path,
    visit_ids: list[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ExportResult | None:
    """Export the pending (or chosen) visits; a practice store is refused before anything happens."""
    refuse_practice_export(app.db)
    result = export_bundle(
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
    if result is not None:
        log_event(
            "bundle_exported",
            bundle=result.bundle_id,
            seq=result.seq,
            visits=result.visits,
            photos=result.photos,
        )
    return result


def import_files(
    app: AppContext, files: list[Path], progress: Callable[[int, int, ImportReport], None] | None = None
) -> list[ImportReport]:
    refuse_practice_import(app.db)
    reports = []
    for index, path in enumerate(files, start=1):
        report = import_bundle(
            app.db,
            app.paths.data_dir,
            app.paths.media_dir,
            path,
            app.actor,
            app.device_id,
            finalised_content_mismatch,
        )
        reports.append(report)
        log_event(
            "bundle_imported",
            bundle=report.bundle_id,
            status=report.status,
            reason=report.reason_code or None,
            new=len(report.new),
            updated=len(report.updated),
            conflicts=len(report.conflicts),
        )
        if progress:
            progress(index, len(files), report)
    return reports


def bundle_header(path: Path) -> tuple[int, str, bytes]:
    """`bundle inspect`: size, SHA-256 and the plaintext age header, without holding the file in memory."""
    return header_of(path, MAX_HEADER)


def finalised_content_mismatch(snapshot: Snapshot) -> str | None:
    """For a final visit: None when its content has the hash stamped on its head revision, else the
    hash it has now (the import refuses it: `content_hash_mismatch`). Read off the snapshot's rows,
    not its typed records (`stored_content_hash`)."""
    visit = snapshot.visit
    if visit["status"] != VisitStatus.FINAL.value:
        return None
    head = next((r for r in snapshot.parts.get("visit_revisions", []) if r["id"] == visit["head_rev"]), None)
    if head is None or head["content_sha256"] is None:
        return None
    actual = stored_content_hash(visit, snapshot.parts)
    return None if actual == head["content_sha256"] else actual


def import_suffix(app: AppContext) -> str:
    """The bundle kind this installation reads: field bundles at the office, reference bundles on a laptop."""
    return bundle.SUFFIX if is_office(app) else reference.SUFFIX


def bundle_files(
    paths: list[Path], suffixes: tuple[str, ...] = (bundle.SUFFIX, reference.SUFFIX)
) -> list[Path]:
    """Files as given, and the bundle files inside given folders (by suffix, sorted), without duplicates.

    Folders are expanded here, once, so the command line and the desktop read the same files: a
    folder handed to the importer itself would fail to read (IsADirectoryError).
    """
    wanted = {suffix.lower() for suffix in suffixes}
    found: list[Path] = []
    for path in paths:
        # Everything with the suffix that is not a folder: a link, pipe or device among them is then
        # refused with its own report line (sync.intake) instead of being skipped without a word.
        items = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in wanted and not p.is_dir())
            if path.is_dir() and not path.is_symlink()
            else [path]
        )
        found.extend(p for p in items if p not in found)
    return found


def import_any(
    app: AppContext,
    paths: list[Path],
    progress: Callable[[int, int, BundleReport], None] | None = None,
) -> list[BundleReport]:
    """Read files and folders by this installation's role; one report per bundle file found.

    The office imports field bundles (`.ifb`), a laptop installs the office's reference bundles
    (`.ifr`). The CLI and the desktop both call this, so they route and expand folders alike.
    """
    office = is_office(app)
    files = bundle_files(paths, (bundle.SUFFIX if office else reference.SUFFIX,))
    reports: list[BundleReport] = []
    for index, path in enumerate(files, start=1):
        report = import_files(app, [path])[0] if office else import_reference_file(app, path)
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
    purged = receipts.purge_acknowledged(app.db, app.paths.media_dir, app.device_id, app.actor, days)
    log_event("visits_purged", visits=len(purged), days=days)
    return purged


def write_reference(
    app: AppContext, target: Path, forms_folder: Path | None = None
) -> tuple[Path, int, int, int, int, int]:
    """Office: write a reference bundle for every registered laptop; (path, laptops, forms, locations,
    history, visits): visits are the laptops' visits sent back with the office's revisions.

    The checklists are the office's current ones (`forms_folder`, default the forms in use), each
    validated first: a malformed one stops the export with the loader's message. A practice store is
    refused first: its history and visits are demo data, which never travel.
    """
    refuse_practice_export(app.db)
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
    return path, laptops, content.forms, content.locations, content.history, content.visits


def written_reference_sentences(
    path: Path, laptops: int, forms: int, locations: int, history: int, visits: int
) -> list[str]:
    """What a written reference bundle holds, for the CLI (a line each) and the office app (one message)."""
    sentences = [
        _(
            "Referentiebundel {path}: {forms} checklistbestanden, {locations} locaties, {history} eerdere"
            " signalen, voor {laptops} laptops.",
            path=path,
            forms=forms,
            locations=locations,
            history=history,
            laptops=laptops,
        )
    ]
    if visits:
        sentences.append(
            n_(
                "{count} bezoek met revisies van het kantoor gaat terug naar de laptop die het maakte.",
                "{count} bezoeken met revisies van het kantoor gaan terug naar de laptops die ze maakten.",
                visits,
            )
        )
    return sentences


def import_reference_file(app: AppContext, path: Path) -> ReferenceReport:
    """Laptop: verify and apply an office reference bundle (checklists, locations, earlier indicators).

    A practice store is refused before the file is read: the office's real register and signal
    history never sit under the published practice key."""
    refuse_practice_import(app.db)
    report = import_reference(app.db, app.paths.data_dir, app.device_id, app.actor, path)
    log_event(
        "reference_imported",
        bundle=report.bundle_id,
        status=report.status,
        reason=report.reason_code or None,
        forms=len(report.forms),
        locations=report.locations,
    )
    return report
