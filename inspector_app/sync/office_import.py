"""Office side: verify a bundle completely, then apply it in one transaction with its import-log row.

Verification is `sync.bundle.open_bundle` (the shared envelope pipeline); each visit in the bundle is
then recorded in the version store (`sync.versions`), which decides what the office shows and which
visits are in conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import VisitStatus
from inspector_app.forms.display import format_moment
from inspector_app.i18n import _, current_language, n_
from inspector_app.storage import sync_devices
from inspector_app.storage.audit import AuditEntry, append, append_many, canonical_json, now_iso
from inspector_app.storage.cipher import INTEGRITY
from inspector_app.storage.db import writing
from inspector_app.storage.media_files import PhotoWrites
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync.authority import add_locations, check_authority
from inspector_app.sync.bulk import collector_paused
from inspector_app.sync.bundle import OpenedBundle, open_bundle
from inspector_app.sync.chain import audit_findings, check_manifest_head
from inspector_app.sync.derived import rules_of
from inspector_app.sync.envelope import MAX_BUNDLE
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.intake import (
    changed_while_read,
    check_images,
    check_manifest_ids,
    known_form,
    regular_file,
    rejection_of,
    stream_sha256,
)
from inspector_app.sync.keys import KeyStore, sha256_hex
from inspector_app.sync.limits import check_row_caps
from inspector_app.sync.merge import Derive
from inspector_app.sync.records import (
    FILES,
    VISIT_PARTS,
    Row,
    Snapshot,
    column_names,
    decode_jsonl_lines,
    snapshot_order,
    upsert_follow_up,
)
from inspector_app.sync.validate import validate_records
from inspector_app.sync.versions import record_unseen_visits, record_version, unseen_visits
from inspector_app.sync.zaak import apply_zaken, check_zaken

# What refuses a bundle whole: our checks, undecodable text, and a row the store's constraints refuse.
REFUSED: tuple[type[Exception], ...] = (BundleRejectedError, UnicodeError, *INTEGRITY)


@dataclass
class ImportReport:
    file: str
    status: str = "rejected"  # imported | already_present | rejected
    reason_code: str = ""
    reason: str = ""
    bundle_id: str | None = None
    device_id: str | None = None
    seq: int | None = None
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Concurrent versions merged field by field against their common ancestor, no conflict left.
    merged: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # A different bundle under a (device, seq) already imported: the laptop was restored from a
    # backup or its folder copied. Each entry: device, name, seq, earlier bundle and when it came in.
    forks: list[dict[str, Any]] = field(default_factory=list)
    # Locations the office already holds whose copy in the bundle differs: left as the office has
    # them (a laptop does not rewrite the register; sync/authority.py).
    locations_ignored: list[str] = field(default_factory=list)
    # Breaks in the laptop's incoming audit chain or its link to what the office holds (sync/chain.py).
    audit_breaks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("imported", "already_present")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def attention_text(self, zone: ZoneInfo | None = None) -> str:
        """What a person at the office must look at after an import (the desktop's import dialog):
        a broken audit chain of the laptop, register edits waiting as proposals, a fork."""
        lines = []
        if self.audit_breaks:
            lines.append(self.audit_break_text())
        if self.locations_ignored:
            lines.append(
                n_(
                    "{count} locatie uit de bundel wijkt af van het register; het register is niet gewijzigd."
                    " Beoordeel het voorstel via Uitwisselen > Locatievoorstellen.",
                    "{count} locaties uit de bundel wijken af van het register; het register is niet gewijzigd."
                    " Beoordeel de voorstellen via Uitwisselen > Locatievoorstellen.",
                    len(self.locations_ignored),
                )
            )
        if self.forks:
            lines.append(self.fork_text(zone))
        return "\n".join(lines)

    def audit_break_text(self) -> str:
        """The warning for a laptop whose audit chain does not link up (CLI and import dialog)."""
        return _(
            "Let op: het auditlogboek van deze laptop klopt niet (vanaf nummer {seq}: {problem}); laat"
            " de laptop nakijken.",
            seq=self.audit_breaks[0]["seq"],
            problem=self.audit_breaks[0]["problem"],
        )

    def fork_text(self, zone: ZoneInfo | None = None) -> str:
        """The plain sentence for people: which laptop forked and when its earlier bundle came in (in
        `zone`, the municipal policy's, passed by the caller; else Europe/Amsterdam)."""
        return " ".join(
            _(
                "Let op: laptop {name} ({device}) heeft een tweede, andere bundel {seq} gestuurd (de eerste"
                " kwam binnen op {at}); de laptop is teruggezet uit een back-up of gekopieerd. Beide versies"
                " zijn bewaard.",
                name=fork["device_name"] or "?",
                device=str(fork["device_id"])[:8],
                seq=fork["seq"],
                at=format_moment(str(fork["earlier_at"]), current_language(), zone),
            )
            for fork in self.forks
        )


def _record_outcome(
    db: Database, report: ImportReport, file_sha: str | None, actor: str, office_device: str
) -> None:
    with writing(db):
        db.execute(
            "INSERT INTO sync_import_reports (at, file_name, file_sha256, bundle_id, device_id, status, reason,"
            " report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now_iso(),
                report.file,
                file_sha,
                report.bundle_id,
                report.device_id,
                report.status,
                report.reason_code,
                canonical_json(report.to_json()),
            ],
        )
        if report.status == "rejected":
            append(
                db,
                AuditEntry(
                    actor,
                    office_device,
                    "bundle.import.rejected",
                    "bundle",
                    report.bundle_id or report.file,
                    None,
                    None,
                    {"code": report.reason_code, "file": report.file, "sha256": file_sha},
                ),
            )


ContentCheck = Callable[[Snapshot], str | None]
"""A finalised visit's stamped content hash against its content: None when it holds, else the
hash the content has (the services layer owns the hash, `services.visit.content`)."""


@collector_paused()
def import_bundle(
    db: Database,
    data_dir: Path,
    media_dir: Path,
    path: Path,
    actor: str,
    office_device: str,
    content_check: ContentCheck | None = None,
) -> ImportReport:
    """Import one bundle file; the report says what happened. Never raises for a bad bundle."""
    report = ImportReport(file=path.name)
    file_sha: str | None = None
    photos = PhotoWrites(media_dir)
    try:
        with regular_file(path, MAX_BUNDLE) as handle:  # streamed: memory independent of the file size
            file_sha = stream_sha256(handle)
            done = db.execute(
                "SELECT bundle_id, device_id, seq FROM sync_import_log WHERE file_sha256 = ?", [file_sha]
            ).fetchone()
            if done:
                report.status, report.bundle_id, report.device_id, report.seq = (
                    "already_present",
                    done[0],
                    done[1],
                    done[2],
                )
                report.reason = _("Deze bundel is al eerder ingelezen; er is niets gewijzigd.")
                _record_outcome(db, report, file_sha, actor, office_device)
                return report
            keys = KeyStore.of(data_dir)
            office = keys.office_public()
            devices = {
                d.device_id: (d.sign_public_key, d.revoked_at is not None)
                for d in sync_devices.list_devices(db)
            }
            opened = open_bundle(
                handle, keys.office_identities(), office.recipient, devices, SCHEMA_VERSION, data_dir
            )
        if opened.file_sha256 != file_sha:
            raise changed_while_read(path)
        report.bundle_id, report.device_id, report.seq = (
            opened.manifest["bundle_id"],
            opened.device_id,
            opened.manifest["seq"],
        )
        # A bundle is its signed manifest: the same manifest in another file (encrypted again,
        # copied by a tool that rewrites it) is the bundle already imported, not a new one.
        manifest_sha = sha256_hex(opened.manifest_bytes)
        if db.execute("SELECT 1 FROM sync_import_log WHERE manifest_sha256 = ?", [manifest_sha]).fetchone():
            report.status = "already_present"
            report.reason = _("Deze bundel is al eerder ingelezen (een andere kopie); er is niets gewijzigd.")
            _record_outcome(db, report, file_sha, actor, office_device)
            return report
        # Scoped by the signer: another laptop using this id first does not block this one (M5).
        if db.execute(
            "SELECT 1 FROM sync_import_log WHERE device_id = ? AND bundle_id = ?",
            [opened.device_id, report.bundle_id],
        ).fetchone():
            raise BundleRejectedError(
                "bundle_id_reused",
                _(
                    "Een andere bundel met hetzelfde id is al ingelezen; dit bestand is gewijzigd of vervalst."
                ),
            )
        check_manifest_ids(opened.manifest)
        check_row_caps(opened.entries)
        tables, snapshots = decode_records(opened, partial(_validate, opened, data_dir))
        check_manifest_head(opened.manifest, tables["audit_log"])
        check_authority(db, opened.device_id, snapshots)
        check_zaken(db, opened.device_id, tables["visit_zaak"], {s.visit_id for s in snapshots})
        if content_check is not None:
            check_stamped_content(snapshots, content_check)
        media = check_media(opened, tables["photos"], media_dir)
        check_images(media)
        for name, content in media.items():
            target = media_dir / name
            if not target.exists():
                photos.add(target, content)  # stored sealed, as the laptop does
        apply_bundle(
            db,
            opened,
            tables,
            snapshots,
            report,
            (file_sha, manifest_sha),
            actor,
            office_device,
            rules_of(data_dir),
            photos.settle,
        )
        report.status = "imported"
    except REFUSED as rejection:
        photos.discard()  # media of a bundle that did not commit
        code, message = rejection_of(rejection)
        report.status, report.reason_code, report.reason = "rejected", code, message
        _record_outcome(db, report, file_sha, actor, office_device)
    except BaseException:
        photos.discard()
        raise
    return report


def check_stamped_content(snapshots: list[Snapshot], content_check: ContentCheck) -> None:
    """A finalised visit whose content no longer matches the hash stamped on its head revision was
    changed after it was sealed (in the laptop's database file or on the way): refused, never shown."""
    for snapshot in snapshots:
        if snapshot.visit["status"] != VisitStatus.FINAL.value:
            continue  # only a finalised visit has its content hash stamped
        actual = content_check(snapshot)
        if actual is not None:
            raise BundleRejectedError(
                "content_hash_mismatch",
                _(
                    "Bezoek {visit} is definitief, maar de inhoud klopt niet met de vastgelegde inhoudshash"
                    " (nu {actual}); het bezoek is na het afronden gewijzigd. Laat de laptop nakijken.",
                    visit=snapshot.visit_id[:8],
                    actual=actual[:12],
                ),
            )


def _validate(opened: OpenedBundle, data_dir: Path, tables: dict[str, list[Row]]) -> None:
    validate_records(tables, opened.entries, partial(known_form, data_dir), load_catalogue())


def decode_records(
    opened: OpenedBundle, check: Callable[[dict[str, list[Row]]], None] | None = None
) -> tuple[dict[str, list[Row]], list[Snapshot]]:
    """The bundle's rows by table and its visits as snapshots; `check` sees the rows before any is typed."""
    decoded = {
        table: decode_jsonl_lines(table, opened.entries.get(path, b"")) for table, path in FILES.items()
    }
    tables = {table: rows for table, (rows, _lines) in decoded.items()}
    if check is not None:
        check(tables)
    # Each visit's rows by table, as positions in the decoded file, in snapshot order: one sort per
    # file (keys worked out once per row), each visit taking its rows in that order.
    visits = {str(v["id"]): v for v in tables["visits"]}
    positions: dict[str, dict[str, list[int]]] = {vid: {t: [] for t in VISIT_PARTS} for vid in visits}
    for table in VISIT_PARTS:
        rows = tables[table]
        keys = list(map(snapshot_order(table), rows))
        for index in sorted(range(len(rows)), key=keys.__getitem__):
            of_visit = positions.get(rows[index]["visit_id"])
            if of_visit is None:
                raise BundleRejectedError(
                    "bad_reference",
                    _("Record in {file} hoort bij een bezoek dat niet in de bundel zit.", file=FILES[table]),
                )
            of_visit[table].append(index)
    # The canonical lines when the decoder proved them (else the snapshot is encoded when hashed).
    proven = {t: text for t in ("visits", *VISIT_PARTS) if (text := decoded[t][1]) is not None}
    known_lines = len(proven) == 1 + len(VISIT_PARTS)
    visit_lines = dict(zip(visits, proven.get("visits", []), strict=False))
    snapshots = []
    for vid, visit in sorted(visits.items()):
        parts = {t: [tables[t][i] for i in found] for t, found in positions[vid].items()}
        snapshot = Snapshot(visit, parts)
        if known_lines:
            lines = {t: [proven[t][i] for i in found] for t, found in positions[vid].items()}
            snapshot.with_known_lines({"visits": [visit_lines[vid]], **lines})
        # Read from the rows (their wire types are checked): typed records are built only where a
        # visit's content is checked further (`check_stamped_content`), not for every visit.
        if visit["head_rev"] not in {revision["id"] for revision in parts["visit_revisions"]}:
            raise BundleRejectedError(
                "bad_reference", _("Bezoek {visit} mist zijn laatste revisie.", visit=vid[:8])
            )
        snapshots.append(snapshot)
    known_locations = {str(r["id"]) for r in tables["locations"]}
    unused = known_locations - {str(v["location_id"]) for v in visits.values()}
    if unused:
        raise BundleRejectedError(
            "unreferenced_record",
            _("Locatie {location} in de bundel hoort bij geen enkel bezoek.", location=sorted(unused)[0][:8]),
        )
    for vid, visit in visits.items():
        if visit["location_id"] not in known_locations:
            raise BundleRejectedError(
                "bad_reference", _("De locatie van bezoek {visit} ontbreekt.", visit=vid[:8])
            )
    return tables, snapshots


def check_media(opened: OpenedBundle, photos: list[Row], media_dir: Path) -> dict[str, bytes]:
    """Photos are content-addressed: each name is the SHA-256 the (verified) manifest lists for it."""
    media = {p[len("media/") :]: c for p, c in opened.entries.items() if p.startswith("media/")}
    listed = {str(e["path"]): str(e["sha256"]) for e in opened.manifest["entries"]}
    for name in media:
        if listed[f"media/{name}"] != name.split(".")[0]:
            raise BundleRejectedError(
                "hash_mismatch", _("Foto {name} klopt niet met haar naam.", name=name[:16])
            )
    used = {f"{photo['sha256']}.{'png' if photo['media_type'] == 'image/png' else 'jpg'}" for photo in photos}
    unused = sorted(set(media) - used)
    if unused:
        raise BundleRejectedError(
            "unreferenced_entry",
            _("Bestand media/{name} in de bundel hoort bij geen enkele foto.", name=unused[0][:16]),
        )
    for photo in photos:
        suffix = "png" if photo["media_type"] == "image/png" else "jpg"
        name = f"{photo['sha256']}.{suffix}"
        if name not in media and not (media_dir / name).exists():
            raise BundleRejectedError(
                "missing_entry", _("Foto {name} ontbreekt in de bundel.", name=name[:16])
            )
    return media


def detect_fork(db: Database, device_id: str, seq: int, manifest_sha: str) -> list[dict[str, Any]]:
    """Earlier bundles of this device with the same sequence number and another signed manifest
    (a restored backup or copied folder); rows logged before manifests were hashed count as other."""
    rows = db.execute(
        "SELECT l.bundle_id, l.imported_at, coalesce(d.name, '') FROM sync_import_log l"
        " LEFT JOIN sync_devices d ON d.device_id = l.device_id"
        " WHERE l.device_id = ? AND l.seq = ? AND coalesce(l.manifest_sha256, '') != ? ORDER BY l.imported_at",
        [device_id, seq, manifest_sha],
    ).fetchall()
    return [
        {"device_id": device_id, "device_name": name, "seq": seq, "earlier_bundle": earlier, "earlier_at": at}
        for earlier, at, name in rows
    ]


def apply_bundle(
    db: Database,
    opened: OpenedBundle,
    tables: dict[str, list[Row]],
    snapshots: list[Snapshot],
    report: ImportReport,
    hashes: tuple[str, str],
    actor: str,
    office_device: str,
    derive: Derive | None,
    before_commit: Callable[[], None] = lambda: None,
) -> None:
    """Record every version of the bundle and its log rows in one transaction; `hashes` are the
    file's and the signed manifest's SHA-256; `derive` runs a merged visit's rules (`sync.derived`);
    `before_commit` runs last inside the transaction (the bundle's photos are durable by then)."""
    file_sha, manifest_sha = hashes
    manifest = opened.manifest
    bundle_id, seq = str(manifest["bundle_id"]), int(manifest["seq"])
    outcomes: dict[str, list[str]] = defaultdict(list)
    with writing(db):
        report.forks = detect_fork(db, opened.device_id, seq, manifest_sha)
        report.locations_ignored = add_locations(db, tables["locations"], opened.device_id, bundle_id)
        unseen = unseen_visits(db, [s.visit_id for s in snapshots])
        record_unseen_visits(
            db, [s for s in snapshots if s.visit_id in unseen], opened.device_id, seq, bundle_id
        )
        items = []
        for snapshot in snapshots:
            if snapshot.visit_id in unseen:
                outcome = "new"
            else:
                outcome = record_version(db, snapshot, opened.device_id, seq, bundle_id, derive=derive)
            outcomes[outcome].append(snapshot.visit_id)
            items.append((bundle_id, snapshot.visit_id, snapshot.sha256, outcome))
        apply_zaken(db, tables["visit_zaak"], opened.device_id, actor, office_device)
        for follow_up in tables["visit_follow_ups"]:
            upsert_follow_up(db, follow_up)
        report.audit_breaks = audit_findings(db, opened.device_id, manifest, tables["audit_log"], bundle_id)
        # The laptop's audit rows, kept per sending device: its device_id column is that of the signer.
        audit_columns = [name for name in column_names("audit_log") if name != "device_id"]
        db.conn.executemany(
            f"INSERT OR IGNORE INTO sync_remote_audit (device_id, {', '.join(audit_columns)})"
            f" VALUES (?, {', '.join('?' for _ in audit_columns)})",
            [[opened.device_id, *(r[name] for name in audit_columns)] for r in tables["audit_log"]],
        )
        report.new, report.updated, report.merged = outcomes["new"], outcomes["updated"], outcomes["merged"]
        report.already_present, report.conflicts = outcomes["already_present"], outcomes["conflict"]
        report.status = "imported"
        db.execute(
            "INSERT INTO sync_import_log (bundle_id, file_sha256, manifest_sha256, device_id, seq, imported_at,"
            " imported_by, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                bundle_id,
                file_sha,
                manifest_sha,
                opened.device_id,
                seq,
                now_iso(),
                actor,
                canonical_json(report.to_json()),
            ],
        )
        db.conn.executemany(
            "INSERT INTO sync_import_items (device_id, bundle_id, visit_id, snapshot_sha256, outcome)"
            " VALUES (?, ?, ?, ?, ?)",
            [(opened.device_id, *item) for item in items],
        )
        sync_devices.raise_last_seq(db, opened.device_id, seq)
        entries = [
            AuditEntry(
                actor,
                office_device,
                "bundle.import.ok",
                "bundle",
                bundle_id,
                None,
                None,
                {
                    "device": opened.device_id,
                    "seq": seq,
                    "file_sha256": file_sha,
                    "forks": len(report.forks),
                    **{k: len(v) for k, v in outcomes.items()},
                },
            )
        ]
        entries += [
            AuditEntry(actor, office_device, "sync.conflict", "visit", vid, vid, None, {"bundle": bundle_id})
            for vid in outcomes["conflict"]
        ]
        if report.audit_breaks:
            entries.append(
                AuditEntry(
                    actor,
                    office_device,
                    "sync.audit_chain_break",
                    "device",
                    opened.device_id,
                    None,
                    None,
                    {"bundle": bundle_id, "breaks": report.audit_breaks},
                )
            )
        append_many(db, entries)
        db.execute(
            "INSERT INTO sync_import_reports (at, file_name, file_sha256, bundle_id, device_id, status, reason, report)"
            " VALUES (?, ?, ?, ?, ?, 'imported', '', ?)",
            [now_iso(), report.file, file_sha, bundle_id, opened.device_id, canonical_json(report.to_json())],
        )
        before_commit()
