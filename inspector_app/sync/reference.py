"""Office -> laptop reference bundles (`.ifr`): checklists, the location register, earlier indicators.

Same envelope as a field bundle (docs/bundle-format.md): a ZIP with `manifest.json` and
`manifest.sig`, encrypted with age; here the manifest is signed by the *office* Ed25519 key and the
file is encrypted to the X25519 recipients of every registered, unrevoked laptop. This module builds
the bundle at the office and opens (decrypts and verifies) it on a laptop; `reference_apply` applies it.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyrage
from cryptography.exceptions import InvalidSignature
from sqlite_utils import Database

from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _
from inspector_app.storage.audit import AuditEntry, append, canonical_json, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.follow_ups import reference_due_rows
from inspector_app.storage.policy import policy_rows
from inspector_app.sync.envelope import (
    MANIFEST,
    MAX_RECORDS_FILE,
    SIGNATURE,
    ManifestSpec,
    encrypt,
    open_signed_archive,
    zip_bytes,
)
from inspector_app.sync.errors import BundleRejectedError, KeyMaterialError
from inspector_app.sync.keys import KeyStore, OfficePublic, recipient_fingerprint
from inspector_app.sync.office_revisions import ENTRY as VISITS_ENTRY
from inspector_app.sync.office_revisions import sealed_entries
from inspector_app.sync.records import Row, encode_jsonl, read_rows

FORMAT = "ifr"
FORMAT_VERSION = 1
SUFFIX = ".ifr"
LOCATIONS_FILE = "records/locations.jsonl"
HISTORY_FILE = "records/history.jsonl"
POLICY_FILE = "records/policy.jsonl"  # the office's municipal policy (domain/policy.py); since schema 7
DUE_FILE = "records/due.jsonl"  # the re-inspections still open (storage/follow_ups.py); since schema 10
FORM_NAME = re.compile(r"forms/_?[a-z0-9_]{1,64}\.toml")
NAMES = re.compile(
    rf"{FORM_NAME.pattern}|records/(locations|history|policy|due)\.jsonl|{VISITS_ENTRY.pattern}"
)
MAX_FORM_FILE = 1024**2
MAX_FORMS = 200
WEIGHTS = ("H", "M", "L")
MANIFEST_FIELDS: dict[str, type] = {
    "format": str,
    "format_version": int,
    "schema_version": int,
    "app_version": str,
    "bundle_id": str,
    "office_fingerprint": str,
    "created_at": str,
    "seq": int,
    "recipients": list,
    "entries": list,
}
ENTRY_FIELDS: dict[str, type] = {"path": str, "size": int, "sha256": str, "count": int}


# ------------------------------------------------------------------------------------ office


def history_rows(db: Database) -> list[Row]:
    """Active, undismissed indicators of every visit: one row per visit and slug (highest weight)."""
    rows = db.execute(
        "SELECT o.visit_id, o.slug, v.location_id, substr(v.started_at, 1, 10),"
        " min(CASE o.weight WHEN 'H' THEN 0 WHEN 'M' THEN 1 ELSE 2 END)"
        " FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        " WHERE o.active = 1 AND o.dismissed = 0 GROUP BY o.visit_id, o.slug ORDER BY o.visit_id, o.slug"
    ).fetchall()
    return [
        {"visit_id": v, "slug": s, "location_id": loc, "visit_date": d, "weight": WEIGHTS[w]}
        for v, s, loc, d, w in rows
    ]


def form_files(folder: Path) -> dict[str, bytes]:
    """The checklist files of a forms folder (fragments included), by their name in the bundle."""
    files = {f"forms/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.toml")) if p.is_file()}
    return {name: data for name, data in files.items() if FORM_NAME.fullmatch(name)}


@dataclass(frozen=True)
class ReferenceContent:
    bundle_id: str
    seq: int
    created_at: str
    data: bytes
    forms: int
    locations: int
    history: int
    visits: int = 0  # laptops' visits sent back with the office's revisions (sync/office_revisions.py)


def laptop_recipients(db: Database) -> dict[str, str]:
    """Every registered, unrevoked laptop's age recipient, by device id."""
    rows = db.execute(
        "SELECT device_id, recipient FROM sync_devices WHERE revoked_at IS NULL AND coalesce(recipient, '') != ''"
    ).fetchall()
    return {str(device): str(recipient) for device, recipient in rows}


def build_reference(
    db: Database,
    data_dir: Path,
    forms: dict[str, bytes],
    recipients: list[str],
    seq: int,
    schema_version: int,
    app_version: str,
) -> ReferenceContent:
    """Sign (office key) and encrypt (to `recipients`) the forms, location register and history."""
    keys = KeyStore.of(data_dir)
    office = keys.office_public()
    locations = read_rows(db, "locations", "ORDER BY id")
    history = history_rows(db)
    policy = policy_rows(db)
    due = reference_due_rows(db)
    payload: dict[str, tuple[bytes, int]] = {
        DUE_FILE: (encode_jsonl(due), len(due)),
        LOCATIONS_FILE: (encode_jsonl(locations), len(locations)),
        HISTORY_FILE: (encode_jsonl(history), len(history)),
        POLICY_FILE: (encode_jsonl(policy), len(policy)),
        **{name: (data, 1) for name, data in forms.items()},
        **sealed_entries(db, laptop_recipients(db)),
    }
    entries = [
        {"path": p, "size": len(d), "sha256": hashlib.sha256(d).hexdigest(), "count": c}
        for p, (d, c) in sorted(payload.items())
    ]
    bundle_id, created_at = str(uuid.uuid4()), now_iso()
    manifest = canonical_json(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": schema_version,
            "app_version": app_version,
            "bundle_id": bundle_id,
            "office_fingerprint": office.fingerprint,
            "created_at": created_at,
            "seq": seq,
            "recipients": sorted(recipient_fingerprint(r) for r in recipients),
            "entries": entries,
        }
    ).encode("utf-8")
    members = [(MANIFEST, manifest), (SIGNATURE, keys.office_signing_key().sign(manifest))]
    members += [(p, d) for p, (d, _c) in sorted(payload.items())]
    data = encrypt(zip_bytes(members), recipients)
    visits = sum(count for path, (_d, count) in payload.items() if VISITS_ENTRY.fullmatch(path))
    return ReferenceContent(
        bundle_id, seq, created_at, data, len(forms), len(locations), len(history), visits
    )


# ------------------------------------------------------------------------------------ laptop


@dataclass(frozen=True)
class OpenedReference:
    manifest: dict[str, Any]
    entries: dict[str, bytes]
    file_sha256: str = ""  # SHA-256 of exactly the encrypted bytes decrypted

    @property
    def forms(self) -> dict[str, bytes]:
        return {p[len("forms/") :]: d for p, d in self.entries.items() if p.startswith("forms/")}


def _office_verifier(office: OfficePublic) -> Callable[[bytes, bytes], str]:
    """Only the office this laptop enrolled with may sign; the signer's id is its fingerprint."""

    def verify(manifest_bytes: bytes, signature: bytes) -> str:
        try:
            office.verify_key().verify(signature, manifest_bytes)
        except (InvalidSignature, ValueError) as error:
            raise BundleRejectedError(
                "not_from_office",
                _(
                    "De referentiebundel is niet ondertekend door het kantoor waarbij deze laptop is ingeschreven."
                ),
            ) from error
        return office.fingerprint

    return verify


def _not_for_this_device() -> BundleRejectedError:
    return BundleRejectedError(
        "not_for_this_device", _("De referentiebundel is niet voor deze laptop versleuteld.")
    )


def _laptop_acceptance(identity: pyrage.x25519.Identity) -> Callable[[dict[str, Any], str], None]:
    def accept(manifest: dict[str, Any], signer: str) -> None:
        if manifest["office_fingerprint"] != signer:
            raise BundleRejectedError("wrong_office", _("De bundel is bestemd voor een ander kantoor."))
        if recipient_fingerprint(str(identity.to_public())) not in manifest["recipients"]:
            raise _not_for_this_device()
        forms = [e for e in manifest["entries"] if str(e["path"]).startswith("forms/")]
        if len(forms) > MAX_FORMS:
            raise BundleRejectedError("too_many_entries", _("De bundel heeft te veel onderdelen."))

    return accept


def _entry_cap(path: str) -> int:
    return MAX_FORM_FILE if path.startswith("forms/") else MAX_RECORDS_FILE


def open_reference(
    data: bytes | BinaryIO,
    identity: pyrage.x25519.Identity,
    office: OfficePublic,
    schema_version: int,
    spool_dir: Path | None = None,
) -> OpenedReference:
    """Decrypt with the laptop identity (streamed, spooling past memory into `spool_dir`), check the ZIP,
    the office signature, the manifest and every hash."""
    spec = ManifestSpec(
        FORMAT,
        FORMAT_VERSION,
        MANIFEST_FIELDS,
        ENTRY_FIELDS,
        schema_version,
        _laptop_acceptance(identity),
        _entry_cap,
        _not_for_this_device,
    )
    verified = open_signed_archive(data, [identity], _office_verifier(office), NAMES, spec, spool_dir)
    return OpenedReference(verified.manifest, verified.entries, verified.file_sha256)


# ------------------------------------------------------------------------------------ office export

SEQ_KEY = "sync.reference_seq"


def reference_recipients(db: Database) -> list[str]:
    """The age recipients of every registered, unrevoked laptop that has one."""
    rows = db.execute(
        "SELECT recipient FROM sync_devices WHERE revoked_at IS NULL AND coalesce(recipient, '') != ''"
        " ORDER BY device_id"
    ).fetchall()
    return [str(r[0]) for r in rows]


def export_reference(
    db: Database,
    data_dir: Path,
    forms: dict[str, bytes],
    target: Path,
    schema_version: int,
    app_version: str,
    actor: str,
    device_id: str,
) -> tuple[Path, ReferenceContent, int]:
    """Write a reference bundle to `target` (file, or folder for `<id>.ifr`); (path, content, laptops)."""
    recipients = reference_recipients(db)
    if not recipients:
        raise KeyMaterialError(
            _(
                "Geen geregistreerde laptop heeft een sleutel voor referentiebundels. Schrijf op de laptop"
                " een nieuw registratiebestand (keys export-registration) en registreer het hier opnieuw."
            )
        )
    row = db.execute("SELECT value FROM meta WHERE key = ?", [SEQ_KEY]).fetchone()
    seq = (int(row[0]) if row else 0) + 1
    content = build_reference(db, data_dir, forms, recipients, seq, schema_version, app_version)
    path = target / f"{content.bundle_id}{SUFFIX}" if target.is_dir() else target
    atomic_write_bytes(path, content.data)
    with writing(db):
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [SEQ_KEY, str(seq)])
        details = {
            "seq": seq,
            "laptops": len(recipients),
            "forms": content.forms,
            "locations": content.locations,
            "history": content.history,
            "visits": content.visits,
            "file_sha256": hashlib.sha256(content.data).hexdigest(),
        }
        append(
            db,
            AuditEntry(
                actor, device_id, "bundle.reference_export", "bundle", content.bundle_id, None, None, details
            ),
        )
    return path, content, len(recipients)
