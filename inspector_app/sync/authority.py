"""Who may change what at the office: a bundle touches only the visits of its own device.

Every visit has an origin: the device that created it (a laptop, or the office itself), as the
office first stored it. A bundle signed by device D may create visits whose origin is D and add
versions to visits whose origin is D, or that the office assigned to D (`sync_visit_assignments`, a
joint visit). Anything else is refused before a row is written, with a reason naming the device.

The location register belongs to the office: a laptop may add a location the office does not know,
but its copy of a known location never overwrites the office's row (it is left out and reported);
no timestamp from a bundle decides precedence. A receipt acknowledges only snapshots the office
holds in full (see `held`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from inspector_app.i18n import _
from inspector_app.storage.audit import AuditEntry, append, canonical_json, now_iso
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import Row, Snapshot, chunks, insert_rows, read_rows


def _short(device: str) -> str:
    return device[:8]


def origins(db: Database, visit_ids: list[str]) -> dict[str, str]:
    """visit id -> the device that created it, for the visits the office already holds."""
    found: dict[str, str] = {}
    for chunk, marks in chunks(visit_ids):
        rows = db.execute(f"SELECT id, device_id FROM visits WHERE id IN ({marks})", chunk).fetchall()
        found.update((str(v), str(d)) for v, d in rows)
    return found


def assignments(db: Database, device_id: str) -> set[str]:
    """The visits the office assigned to this device (besides the ones it created)."""
    rows = db.execute("SELECT visit_id FROM sync_visit_assignments WHERE device_id = ?", [device_id])
    return {str(r[0]) for r in rows.fetchall()}


def check_authority(db: Database, signer: str, snapshots: list[Snapshot]) -> None:
    """Refuse the bundle when one of its visits is not the signer's to create or change."""
    known = origins(db, [s.visit_id for s in snapshots])
    assigned = assignments(db, signer)
    for snapshot in snapshots:
        vid = snapshot.visit_id
        claimed = str(snapshot.visit["device_id"])
        origin = known.get(vid)
        if origin is not None and claimed != origin:
            raise BundleRejectedError(
                "origin_changed",
                _(
                    "Apparaat {device} stuurt bezoek {visit} met een andere maker ({claimed}) dan het"
                    " kantoor kent ({origin}).",
                    device=_short(signer),
                    visit=vid[:8],
                    claimed=_short(claimed),
                    origin=_short(origin),
                ),
            )
        if claimed == signer or vid in assigned:
            continue
        if origin is None:
            raise BundleRejectedError(
                "foreign_new_visit",
                _(
                    "Apparaat {device} stuurt een nieuw bezoek {visit} dat op een ander apparaat ({claimed})"
                    " is gemaakt en niet aan {device} is toegewezen.",
                    device=_short(signer),
                    visit=vid[:8],
                    claimed=_short(claimed),
                ),
            )
        raise BundleRejectedError(
            "not_your_visit",
            _(
                "Apparaat {device} mag bezoek {visit} niet wijzigen: het is gemaakt door {origin} en niet"
                " aan {device} toegewezen.",
                device=_short(signer),
                visit=vid[:8],
                origin=_short(origin),
            ),
        )


REGISTER_FIELDS = ("name", "location_type", "address", "postcode", "city", "kvk_number", "licence_number")
"""What a person registers about a location; its `created_at`/`updated_at` are the store's, not a claim."""


def add_locations(db: Database, rows: list[Row], device_id: str, bundle_id: str) -> list[str]:
    """Add the locations the office does not know; returns the known ones whose copy differs (ignored).

    The caller holds the transaction. The office's row always stays as it is: a laptop's copy that
    differs in a register field becomes an open proposal (`location_proposals`) for a person at the
    office to accept or reject (`sync.proposals`); the bundle's `updated_at` decides nothing.
    """
    ignored: list[str] = []
    for row in rows:
        current = read_rows(db, "locations", "WHERE id = ?", [row["id"]])
        if not current:
            insert_rows(db, "locations", [row])
            continue
        if canonical_json(current[0]) == canonical_json(row):
            continue
        ignored.append(str(row["id"]))
        if any(current[0][name] != row[name] for name in REGISTER_FIELDS):
            db.execute(
                "INSERT INTO location_proposals (location_id, device_id, bundle_id, proposed, received_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (location_id, device_id, proposed) DO NOTHING",
                [row["id"], device_id, bundle_id, canonical_json(row), now_iso()],
            )
    return ignored


def held(db: Database, visit_id: str, snapshot_sha256: str) -> bool:
    """Whether the office holds exactly this content of the visit (a kept leaf, or what it shows)."""
    row = db.execute(
        "SELECT 1 FROM sync_visit_versions WHERE visit_id = ? AND snapshot_sha256 = ? AND snapshot IS NOT NULL",
        [visit_id, snapshot_sha256],
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class Assignment:
    visit_id: str
    device_id: str
    reason: str


def assign_visit(
    db: Database, visit_id: str, device_id: str, reason: str, actor: str, office_device: str
) -> Assignment:
    """Let a second laptop add versions of a visit (a joint visit); audited. The caller checks the ids
    and the reason and holds the transaction."""
    db.execute(
        "INSERT INTO sync_visit_assignments (visit_id, device_id, assigned_at, assigned_by, reason)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (visit_id, device_id) DO UPDATE SET reason = excluded.reason",
        [visit_id, device_id, now_iso(), actor, reason],
    )
    append(
        db,
        AuditEntry(
            actor,
            office_device,
            "visit.assigned",
            "visit",
            visit_id,
            visit_id,
            None,
            {"device": device_id, "reason": reason},
        ),
    )
    return Assignment(visit_id, device_id, reason)
