"""Tamper evidence at the office: does a laptop's incoming audit chain hold, and link to what came before?

Each laptop keeps a hash-chained audit log and sends its new entries in every bundle (`records/audit.jsonl`,
covered by the signed manifest). The office recomputes every entry's hash, checks each link, checks that the
first entry links to the last one it received from that device, and that no entry replaces one received
earlier under the same number. A break is not a reason to lose the bundle's visits (a laptop restored from
a backup renumbers its log too): it is listed in the import report and written to the office's audit log,
so a person looks at that laptop.

The signed manifest also names the head of the laptop's chain (`audit_head`, the hash of entry
`audit_to`). It must be the last entry the bundle carries (`audit_head_mismatch`, a rejection: the
signed claim and the records disagree). The office keeps the last head it received per device
(`sync_audit_heads`) and checks that each new chain passes through it; a chain that does not (its
history rewritten, or entries missing) is a break like the others, and the head moves on to the new
one, so a restored laptop is named once, not at every bundle.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from inspector_app.i18n import _
from inspector_app.storage.audit import GENESIS_HASH, SCHEME_DIGEST, entry_hash, now_iso, values_commitment
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.identifiers import is_sha256
from inspector_app.sync.records import Row

HASHED = ("seq", "at", "actor", "device_id", "action", "entity", "entity_id", "visit_id", "old", "new")
MAX_LISTED = 20


def chain_breaks(db: Database, device_id: str, rows: list[Row]) -> list[dict[str, Any]]:
    """The breaks in `rows` (a bundle's audit entries) and in their link to the stored chain of `device_id`."""
    ordered = sorted(rows, key=lambda row: int(row["seq"]))
    breaks: list[dict[str, Any]] = []
    if not ordered:
        return breaks
    first, last = int(ordered[0]["seq"]), int(ordered[-1]["seq"])
    stored = dict(
        db.execute(
            "SELECT seq, hash FROM sync_remote_audit WHERE device_id = ? AND seq BETWEEN ? AND ?",
            [device_id, first - 1, last],
        ).fetchall()
    )
    before = GENESIS_HASH if first == 1 else stored.get(first - 1)
    if before is not None and ordered[0]["prev_hash"] != before:
        breaks.append({"seq": first, "problem": "does not link to the last entry received from this device"})
    previous: Row | None = None
    for row in ordered:
        seq = int(row["seq"])
        scheme, commitment = row.get("scheme"), row.get("values_sha256")
        if (
            entry_hash(str(row["prev_hash"]), [row[name] for name in HASHED], scheme, commitment)
            != row["hash"]
        ):
            breaks.append({"seq": seq, "problem": "content does not match its hash"})
        elif (
            scheme == SCHEME_DIGEST
            and row.get("salt") is not None
            and values_commitment(str(row["salt"]), row["old"], row["new"]) != commitment
        ):
            breaks.append({"seq": seq, "problem": "values do not match their commitment"})
        if previous is not None and seq != int(previous["seq"]) + 1:
            breaks.append({"seq": seq, "problem": f"entries missing after seq {previous['seq']}"})
        elif previous is not None and row["prev_hash"] != previous["hash"]:
            breaks.append({"seq": seq, "problem": "previous-hash link broken"})
        if seq in stored and stored[seq] != row["hash"]:
            breaks.append(
                {"seq": seq, "problem": "differs from the entry received earlier under this number"}
            )
        previous = row
    return breaks[:MAX_LISTED]


def check_manifest_head(manifest: dict[str, Any], rows: list[Row]) -> None:
    """The head the device signed is the last entry the bundle carries (or, carrying none, the range is
    empty); a bundle whose signed claim and records disagree is refused."""
    head = manifest.get("audit_head")
    if head is None:  # a laptop before the chain head was signed
        return
    audit_from, audit_to = int(manifest["audit_from"]), int(manifest["audit_to"])
    last = max(rows, key=lambda row: int(row["seq"])) if rows else None
    consistent = is_sha256(head) and (
        (last is not None and int(last["seq"]) == audit_to and last["hash"] == head)
        or (last is None and audit_to == audit_from)
    )
    if not consistent:
        raise BundleRejectedError(
            "audit_head_mismatch",
            _(
                "Het ondertekende manifest noemt als laatste auditregel nummer {seq} ({head}), maar de"
                " auditregels in de bundel eindigen anders; de bundel is gewijzigd of vervalst.",
                seq=audit_to,
                head=str(head)[:12],
            ),
        )


def head_breaks(
    db: Database, device_id: str, manifest: dict[str, Any], rows: list[Row]
) -> list[dict[str, Any]]:
    """Whether the bundle's chain passes through the last head the office received from this device."""
    stored = db.execute("SELECT seq, hash FROM sync_audit_heads WHERE device_id = ?", [device_id]).fetchone()
    head, audit_to = manifest.get("audit_head"), int(manifest["audit_to"])
    if stored is None or head is None:
        return []
    last_seq, last_hash = int(stored[0]), str(stored[1])
    by_seq = {int(row["seq"]): row for row in rows}
    if audit_to == last_seq and head != last_hash:
        return [
            {"seq": last_seq, "problem": "chain head differs from the last head received from this device"}
        ]
    if audit_to <= last_seq:  # the same head, or an older bundle read later: its rows are checked above
        return []
    if last_seq in by_seq:
        linked, at = by_seq[last_seq]["hash"] == last_hash, last_seq
    elif last_seq + 1 in by_seq:
        linked, at = by_seq[last_seq + 1]["prev_hash"] == last_hash, last_seq + 1
    else:
        return [
            {
                "seq": min(by_seq, default=audit_to),
                "problem": f"entries missing after the last head received from this device (seq {last_seq})",
            }
        ]
    if linked:
        return []
    return [
        {"seq": at, "problem": f"does not link to the last head received from this device (seq {last_seq})"}
    ]


def audit_findings(
    db: Database, device_id: str, manifest: dict[str, Any], rows: list[Row], bundle_id: str
) -> list[dict[str, Any]]:
    """Every break of the incoming chain (its own links, its link to the entries and to the head held),
    and the device's head moved to this bundle's when it is newer or re-anchors a break. The caller
    holds the transaction."""
    breaks = chain_breaks(db, device_id, rows)
    seen = {item["seq"] for item in breaks}
    breaks += [item for item in head_breaks(db, device_id, manifest, rows) if item["seq"] not in seen]
    head = manifest.get("audit_head")
    if head is not None:
        stored = db.execute("SELECT seq FROM sync_audit_heads WHERE device_id = ?", [device_id]).fetchone()
        if stored is None or int(manifest["audit_to"]) > int(stored[0]) or breaks:
            db.execute(
                "INSERT INTO sync_audit_heads (device_id, seq, hash, bundle_id, received_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
                " bundle_id = excluded.bundle_id, received_at = excluded.received_at",
                [device_id, int(manifest["audit_to"]), head, bundle_id, now_iso()],
            )
    return breaks[:MAX_LISTED]
