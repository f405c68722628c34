"""Location register edits from laptops: proposals a person at the office accepts or rejects.

The register belongs to the office (sync/authority.py). A laptop's differing copy of a register entry
arrives as a row of `location_proposals`; accepting it writes the proposed register fields into the
office's row with the office clock as `updated_at` (the bundle's own time never decides precedence),
rejecting it keeps the register as it is with a reason. Either decision is audited; the next reference
bundle carries the register, as decided, to every laptop.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.sync.authority import REGISTER_FIELDS
from inspector_app.sync.records import read_rows

MAX_REASON = 500


@dataclass(frozen=True)
class Proposal:
    id: int
    location_id: str
    device_id: str
    device_name: str
    bundle_id: str
    received_at: str
    status: str
    reason: str
    # register field -> [the office's value, the proposed value], only the fields that differ
    changes: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _proposal(db: Database, row: tuple[Any, ...]) -> Proposal:
    number, location_id, device_id, name, bundle_id, received_at, status, reason, proposed = row
    wanted = json.loads(proposed)
    [current] = read_rows(db, "locations", "WHERE id = ?", [location_id])
    changes = {
        field: [str(current[field]), str(wanted[field])]
        for field in REGISTER_FIELDS
        if current[field] != wanted[field]
    }
    return Proposal(
        int(number), location_id, device_id, name or "", bundle_id, received_at, status, reason, changes
    )


_SELECT = (
    "SELECT p.id, p.location_id, p.device_id, d.name, p.bundle_id, p.received_at, p.status, p.reason,"
    " p.proposed FROM location_proposals p LEFT JOIN sync_devices d ON d.device_id = p.device_id"
)


def list_proposals(db: Database, include_decided: bool = False) -> list[Proposal]:
    """The open proposals (or every proposal), oldest first."""
    where = "" if include_decided else " WHERE p.status = 'open'"
    rows = db.execute(f"{_SELECT}{where} ORDER BY p.id").fetchall()
    return [_proposal(db, row) for row in rows]


def get_proposal(db: Database, number: int) -> Proposal:
    row = db.execute(f"{_SELECT} WHERE p.id = ?", [number]).fetchone()
    if row is None:
        raise NotFoundError(_("Voorstel {number} bestaat niet.", number=number))
    return _proposal(db, row)


def _open(db: Database, number: int) -> Proposal:
    proposal = get_proposal(db, number)
    if proposal.status != "open":
        raise InvalidInputError(
            _("Voorstel {number} is al afgehandeld ({status}).", number=number, status=proposal.status)
        )
    return proposal


def accept_proposal(db: Database, number: int, actor: str, office_device: str) -> Proposal:
    """The register row takes the proposed register fields, stamped with the office clock; audited.
    The caller holds the transaction."""
    proposal = _open(db, number)
    wanted = json.loads(
        db.execute("SELECT proposed FROM location_proposals WHERE id = ?", [number]).fetchone()[0]
    )
    now = now_iso()
    assignments = ", ".join(f"{field} = ?" for field in REGISTER_FIELDS)
    db.execute(
        f"UPDATE locations SET {assignments}, updated_at = ? WHERE id = ?",
        [*(wanted[field] for field in REGISTER_FIELDS), now, proposal.location_id],
    )
    db.execute(
        "UPDATE location_proposals SET status = 'accepted', decided_at = ?, decided_by = ? WHERE id = ?",
        [now, actor, number],
    )
    append(
        db,
        AuditEntry(
            actor,
            office_device,
            "location.proposal_accepted",
            "location",
            proposal.location_id,
            None,
            {field: old for field, (old, _new) in proposal.changes.items()},
            {
                "proposal": number,
                "device": proposal.device_id,
                **{f: n for f, (_o, n) in proposal.changes.items()},
            },
        ),
    )
    return get_proposal(db, number)


def reject_proposal(db: Database, number: int, reason: str, actor: str, office_device: str) -> Proposal:
    """The register stays as it is; the proposal is closed with the reason; audited. The caller holds
    the transaction."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInputError(
            _("Geef een reden voor het afwijzen (--reason), ten hoogste {cap} tekens.", cap=MAX_REASON)
        )
    proposal = _open(db, number)
    db.execute(
        "UPDATE location_proposals SET status = 'rejected', decided_at = ?, decided_by = ?, reason = ?"
        " WHERE id = ?",
        [now_iso(), actor, reason, number],
    )
    append(
        db,
        AuditEntry(
            actor,
            office_device,
            "location.proposal_rejected",
            "location",
            proposal.location_id,
            None,
            None,
            {"proposal": number, "device": proposal.device_id, "reason": reason},
        ),
    )
    return get_proposal(db, number)
