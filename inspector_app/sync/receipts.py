"""Import receipts (office -> laptop) and the purge they allow on the laptop.

A receipt lists, per committed bundle, the exact visit contents (snapshot hashes) the office holds. It
is signed with the office's Ed25519 key; the laptop checks it against the enrolment it trusts, marks
those contents acknowledged and only then may purge finalized visits whose current content is exactly
what was acknowledged. A receipt for unknown bundles changes nothing; a replayed one is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from sqlite_utils import Database

from inspector_app.i18n import _
from inspector_app.storage.audit import AuditEntry, append, canonical_json, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.purge import purge_visits
from inspector_app.storage.retention import RecordClass, period
from inspector_app.sync.authority import held
from inspector_app.sync.errors import BundleRejectedError, KeyMaterialError
from inspector_app.sync.export import AUDIT_ACKED_KEY, SEQ_FLOOR_KEY, audit_acknowledged_to
from inspector_app.sync.intake import read_regular_file
from inspector_app.sync.keys import KeyStore, b64, unb64
from inspector_app.sync.records import load_snapshots
from inspector_app.sync.records import strict_json as _strict_json

RECEIPT_FORMAT = "ifb-receipt"
MAX_RECEIPT = 64 * 1024**2


def make_receipt(db: Database, data_dir: Path, device_id: str | None = None) -> bytes:
    keys = KeyStore.of(data_dir)
    office = keys.office_public()
    where, params = ("WHERE device_id = ?", [device_id]) if device_id else ("", [])
    bundles = []
    for bundle_id, device, seq in db.execute(
        f"SELECT bundle_id, device_id, seq FROM sync_import_log {where} ORDER BY device_id, seq", params
    ).fetchall():
        # Only contents the office holds in full: a laptop purges what a receipt acknowledges.
        visits = {
            visit: sha
            for visit, sha in db.execute(
                "SELECT visit_id, snapshot_sha256 FROM sync_import_items WHERE device_id = ? AND bundle_id = ?"
                " ORDER BY visit_id",
                [device, bundle_id],
            ).fetchall()
            if held(db, visit, sha)
        }
        bundles.append({"bundle_id": bundle_id, "device_id": device, "seq": seq, "visits": visits})
    payload = canonical_json(
        {
            "format": RECEIPT_FORMAT,
            "version": 1,
            "office_fingerprint": office.fingerprint,
            "created_at": now_iso(),
            "bundles": bundles,
        }
    ).encode("utf-8")
    signature = keys.office_signing_key().sign(payload)
    return canonical_json({"payload": b64(payload), "signature": b64(signature)}).encode("utf-8")


@dataclass(frozen=True)
class ReceiptResult:
    bundles: int
    visits: int
    ignored_bundles: int


def raise_seq_floor(db: Database, seq: int) -> None:
    """Remember the highest sequence number the office holds from this laptop.

    A laptop restored from a backup (or a copied folder) has forgotten its later exports; once a
    receipt tells it what the office already has, its next bundle is numbered above that instead of
    reusing a number (which the office would have to report as a fork).
    """
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
        [SEQ_FLOOR_KEY, str(seq)],
    )


def _is_text_map(value: object, names: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(name), str) for name in names)


def _well_formed(receipt: object) -> bool:
    """The exact shape of a receipt's payload, before any field is used: a signed receipt of another
    shape (an office bug, a future format) is refused cleanly rather than failing half-way."""
    if not isinstance(receipt, dict) or not _is_text_map(receipt, ("format", "office_fingerprint")):
        return False
    bundles = receipt.get("bundles")
    if not isinstance(bundles, list):
        return False
    for bundle in bundles:
        if not isinstance(bundle, dict) or not _is_text_map(bundle, ("device_id", "bundle_id")):
            return False
        seq, visits = bundle.get("seq"), bundle.get("visits")
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(visits, dict):
            return False
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in visits.items()):
            return False
    return True


def apply_receipt(db: Database, data_dir: Path, device_id: str, actor: str, data: bytes) -> ReceiptResult:
    office = KeyStore.of(data_dir).office_public()
    bad = KeyMaterialError(_("Dit is geen geldig ontvangstbewijs van het kantoor."))
    if len(data) > MAX_RECEIPT:
        raise bad
    try:
        outer = _strict_json(data)
        if not _is_text_map(outer, ("payload", "signature")):
            raise bad
        payload, signature = unb64(outer["payload"]), unb64(outer["signature"])
        office.verify_key().verify(signature, payload)
        receipt = _strict_json(payload)
        if not _well_formed(receipt):
            raise bad
        if receipt["format"] != RECEIPT_FORMAT or receipt["office_fingerprint"] != office.fingerprint:
            raise bad
        bundles = [b for b in receipt["bundles"] if b["device_id"] == device_id]
    except (ValueError, KeyError, TypeError, InvalidSignature, RecursionError) as error:
        raise bad from error
    acked_bundles = ignored = 0
    confirmed: set[str] = set()  # a visit in several bundles is still one visit ("186" for 62 before)
    at = now_iso()
    with writing(db):
        audit_to = audit_acknowledged_to(db)
        for bundle in sorted(bundles, key=lambda b: int(b["seq"])):
            known = db.execute(
                "SELECT seq, audit_to FROM sync_export_log WHERE bundle_id = ?", [bundle["bundle_id"]]
            ).fetchone()
            if known is None:
                ignored += 1
                continue
            acked_bundles += 1
            db.execute(
                "UPDATE sync_export_log SET acknowledged_at = coalesce(acknowledged_at, ?) WHERE bundle_id = ?",
                [at, bundle["bundle_id"]],
            )
            audit_to = max(audit_to, int(known[1]))
            for visit_id, sha in sorted(bundle["visits"].items()):
                exported = db.execute(
                    "SELECT 1 FROM sync_export_items WHERE bundle_id = ? AND visit_id = ? AND snapshot_sha256 = ?",
                    [bundle["bundle_id"], visit_id, sha],
                ).fetchone()
                if exported is None:
                    continue
                previous = db.execute(
                    "SELECT l.seq FROM sync_acknowledged a JOIN sync_export_log l ON l.bundle_id = a.bundle_id"
                    " WHERE a.visit_id = ?",
                    [visit_id],
                ).fetchone()
                if previous is not None and int(previous[0]) > int(known[0]):
                    continue
                db.execute(
                    "INSERT OR REPLACE INTO sync_acknowledged (visit_id, snapshot_sha256, bundle_id, acknowledged_at)"
                    " VALUES (?, ?, ?, ?)",
                    [visit_id, sha, bundle["bundle_id"], at],
                )
                confirmed.add(visit_id)
        visits = len(confirmed)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [AUDIT_ACKED_KEY, str(audit_to)])
        raise_seq_floor(db, max((int(b["seq"]) for b in bundles), default=0))
        append(
            db,
            AuditEntry(
                actor,
                device_id,
                "bundle.receipt_applied",
                "receipt",
                at,
                None,
                None,
                {"bundles": acked_bundles, "visits": visits, "ignored": ignored},
            ),
        )
    return ReceiptResult(acked_bundles, visits, ignored)


def retention_days(db: Database) -> int | None:
    """The laptop's period for confirmed finalised visits (retention_policy; None: keep them)."""
    return period(db, RecordClass.FINALISED_VISITS, office=False)


def purgeable_acknowledged(db: Database, keep: int, now: datetime | None = None) -> list[str]:
    """Finalized visits older than `keep` days whose exact current content the office acknowledged."""
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=keep)).isoformat(timespec="milliseconds")
    cutoff = cutoff.replace("+00:00", "Z")
    acked = {str(v): str(s) for v, s in db.execute("SELECT visit_id, snapshot_sha256 FROM sync_acknowledged")}
    candidates = [
        str(r[0])
        for r in db.execute(
            "SELECT id FROM visits WHERE status = 'final' AND finalized_at IS NOT NULL AND finalized_at <= ?"
            " ORDER BY id",
            [cutoff],
        ).fetchall()
        if str(r[0]) in acked
    ]
    return [s.visit_id for s in load_snapshots(db, candidates) if acked.get(s.visit_id) == s.sha256]


def purge_acknowledged(
    db: Database,
    media_dir: Path,
    device_id: str,
    actor: str,
    days: int | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Delete finalized visits older than the retention whose exact content the office acknowledged."""
    keep = retention_days(db) if days is None else days
    if keep is None:
        return []
    purge = purgeable_acknowledged(db, keep, now)
    if not purge:
        return []
    summary = AuditEntry(
        actor,
        device_id,
        "retention.purge",
        "visits",
        str(len(purge)),
        None,
        None,
        {"visits": purge, "retention_days": keep, "rule": RecordClass.FINALISED_VISITS.value},
    )
    purge_visits(db, media_dir, purge, RecordClass.FINALISED_VISITS.value, actor, device_id, [summary])
    return purge


def load_receipt_file(path: Path) -> bytes:
    """A regular file of at most MAX_RECEIPT bytes (a link to /dev/zero or a pipe is never read)."""
    try:
        return read_regular_file(path, MAX_RECEIPT)
    except BundleRejectedError as error:
        raise KeyMaterialError(_("Dit is geen geldig ontvangstbewijs van het kantoor.")) from error
