"""Office side: the laptops whose signed bundles are trusted, and their revocation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

DEVICE_COLUMNS = (
    "device_id, name, sign_public_key, fingerprint, registered_at, revoked_at, revoke_reason, last_seq,"
    " recipient"
)


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    name: str
    sign_public_key: str
    fingerprint: str
    registered_at: str
    revoked_at: str | None
    revoke_reason: str | None
    last_seq: int
    recipient: str | None = None  # age recipient for reference bundles (None: registered before them)


def get_device(db: Database, device_id: str) -> DeviceRow | None:
    row = db.execute(f"SELECT {DEVICE_COLUMNS} FROM sync_devices WHERE device_id = ?", [device_id]).fetchone()
    return DeviceRow(*row) if row else None


def find_by_fingerprint(db: Database, fingerprint: str) -> DeviceRow | None:
    row = db.execute(
        f"SELECT {DEVICE_COLUMNS} FROM sync_devices WHERE fingerprint = ?", [fingerprint]
    ).fetchone()
    return DeviceRow(*row) if row else None


def find_devices(db: Database, prefix: str) -> list[DeviceRow]:
    """Devices whose id or fingerprint starts with `prefix` (spaces in a fingerprint are ignored)."""
    key = prefix.replace(" ", "").lower()
    rows = db.execute(
        f"SELECT {DEVICE_COLUMNS} FROM sync_devices WHERE device_id LIKE ? OR fingerprint LIKE ?"
        " ORDER BY device_id LIMIT 3",
        [key + "%", key + "%"],
    ).fetchall()
    return [DeviceRow(*row) for row in rows]


def list_devices(db: Database) -> list[DeviceRow]:
    rows = db.execute(f"SELECT {DEVICE_COLUMNS} FROM sync_devices ORDER BY registered_at, device_id")
    return [DeviceRow(*row) for row in rows.fetchall()]


def upsert_device(db: Database, row: DeviceRow) -> None:
    """Register a device, or renew its key (which also lifts an earlier revocation of the old key)."""
    db.execute(
        f"INSERT INTO sync_devices ({DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (device_id) DO UPDATE SET name = excluded.name,"
        " sign_public_key = excluded.sign_public_key, fingerprint = excluded.fingerprint,"
        " registered_at = excluded.registered_at, revoked_at = NULL, revoke_reason = NULL,"
        " recipient = coalesce(excluded.recipient, recipient)",
        [
            row.device_id,
            row.name,
            row.sign_public_key,
            row.fingerprint,
            row.registered_at,
            row.revoked_at,
            row.revoke_reason,
            row.last_seq,
            row.recipient,
        ],
    )


def revoke_device(db: Database, device_id: str, at: str, reason: str) -> None:
    db.execute(
        "UPDATE sync_devices SET revoked_at = ?, revoke_reason = ? WHERE device_id = ?",
        [at, reason, device_id],
    )


def reinstate_device(db: Database, device_id: str) -> None:
    """Lift a revocation (the service audits it); the device re-registers or keeps its key."""
    db.execute(
        "UPDATE sync_devices SET revoked_at = NULL, revoke_reason = NULL WHERE device_id = ?", [device_id]
    )


def raise_last_seq(db: Database, device_id: str, seq: int) -> None:
    db.execute("UPDATE sync_devices SET last_seq = max(last_seq, ?) WHERE device_id = ?", [seq, device_id])
