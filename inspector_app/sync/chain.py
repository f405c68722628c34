"""Tamper evidence at the office: does a laptop's incoming audit chain hold, and link to what came before?

Each laptop keeps a hash-chained audit log and sends its new entries in every bundle (`records/audit.jsonl`,
covered by the signed manifest). The office recomputes every entry's hash, checks each link, checks that the
first entry links to the last one it received from that device, and that no entry replaces one received
earlier under the same number. A break is not a reason to lose the bundle's visits (a laptop restored from
a backup renumbers its log too): it is listed in the import report and written to the office's audit log,
so a person looks at that laptop.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from inspector_app.storage.audit import GENESIS_HASH, SCHEME_DIGEST, entry_hash, values_commitment
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
