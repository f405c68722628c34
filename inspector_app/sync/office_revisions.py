"""The office's revisions of laptops' visits, sent back in reference bundles and applied on the laptop.

An amendment, referral edit, merge or resolution at the office is a revision the laptop that made
the visit does not hold. Unless it gets it back, its next edit is built without it: concurrent with
the office's version, merged or a conflict on every round trip. So a reference bundle carries, per
laptop, the visits whose shown head at the office is not a head any bundle brought in (the office
added something) and that have no open conflict (the shown state then holds only one side's value
of an open field: sending it would let the laptop's next edit supersede both). Each laptop's visits
are an entry `visits/<device id>.age` encrypted to that laptop alone, since the reference bundle
itself is readable by every registered laptop.

The laptop takes the office's version of a visit it holds when it contains every revision the
laptop has (a fast-forward); when the laptop edited the visit meanwhile it keeps its own, and the
office merges the two on its next import, as with any concurrent versions. A visit the laptop no
longer holds (purged) or never held is not brought in.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pyrage
from sqlite_utils import Database

from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json
from inspector_app.sync.envelope import decrypt, encrypt
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.receipts import raise_seq_floor
from inspector_app.sync.records import (
    FILES,
    VISIT_PARTS,
    Row,
    Snapshot,
    decode_jsonl,
    join_lines,
    load_snapshots,
    sort_rows,
    strict_json,
)
from inspector_app.sync.versions import show_snapshot

ENTRY = re.compile(r"visits/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.age")
_TABLES = ("visits", *VISIT_PARTS)
SEQ = "seq"


def entry_name(device_id: str) -> str:
    return f"visits/{device_id}.age"


# ------------------------------------------------------------------------------------ office


def visits_to_send(db: Database) -> dict[str, list[str]]:
    """Per laptop (origin or assigned), the visits whose shown state holds office revisions."""
    rows = db.execute(
        "SELECT v.id, v.device_id FROM visits v"
        " WHERE EXISTS (SELECT 1 FROM sync_visit_versions s WHERE s.visit_id = v.id)"
        " AND NOT EXISTS (SELECT 1 FROM sync_visit_versions s WHERE s.visit_id = v.id"
        "   AND s.head_rev = v.head_rev AND s.bundle_id NOT LIKE 'local:%')"
        " AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.visit_id = v.id AND c.status = 'open')"
        " UNION SELECT a.visit_id, a.device_id FROM sync_visit_assignments a JOIN visits v ON v.id = a.visit_id"
        " WHERE EXISTS (SELECT 1 FROM sync_visit_versions s WHERE s.visit_id = v.id)"
        " AND NOT EXISTS (SELECT 1 FROM sync_visit_versions s WHERE s.visit_id = v.id"
        "   AND s.head_rev = v.head_rev AND s.bundle_id NOT LIKE 'local:%')"
        " AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.visit_id = v.id AND c.status = 'open')"
        " ORDER BY 2, 1"
    ).fetchall()
    found: dict[str, list[str]] = {}
    for visit_id, device_id in rows:
        found.setdefault(str(device_id), []).append(str(visit_id))
    return found


def records_payload(db: Database, visit_ids: list[str], seq: int) -> bytes:
    """The visits as one canonical JSON object: records file -> JSON lines (as in a field bundle), and
    `seq`, the highest bundle number the office holds from the laptop."""
    lines: dict[str, list[str]] = {table: [] for table in _TABLES}
    for snapshot in load_snapshots(db, visit_ids):
        for table, encoded in snapshot.lines.items():
            lines[table].extend(encoded)
    files: dict[str, object] = {FILES[t]: join_lines(encoded).decode("utf-8") for t, encoded in lines.items()}
    return canonical_json({**files, SEQ: seq}).encode("utf-8")


def sealed_entries(db: Database, recipients: dict[str, str]) -> dict[str, tuple[bytes, int]]:
    """Per laptop with a recipient: its entry (encrypted to it alone) and how many visits it holds.

    Every laptop gets one, with no visits too: the highest bundle number the office holds from it
    lets a laptop restored from a backup number its next bundle above it (no fork)."""
    to_send = visits_to_send(db)
    highest = dict(
        db.execute("SELECT device_id, max(seq) FROM sync_import_log GROUP BY device_id").fetchall()
    )
    entries: dict[str, tuple[bytes, int]] = {}
    for device_id, recipient in sorted(recipients.items()):
        visit_ids = to_send.get(device_id, [])
        payload = records_payload(db, visit_ids, int(highest.get(device_id) or 0))
        entries[entry_name(device_id)] = (encrypt(payload, [recipient]), len(visit_ids))
    return entries


# ------------------------------------------------------------------------------------ laptop


def _bad(problem: str) -> BundleRejectedError:
    return BundleRejectedError(
        "bad_record",
        _("De bezoeken van het kantoor in de referentiebundel zijn ongeldig: {problem}", problem=problem),
    )


@dataclass(frozen=True)
class OfficeVersions:
    snapshots: list[Snapshot]  # one per visit, as the office shows it
    seq: int  # the highest bundle number the office holds from this laptop


def open_entry(data: bytes, identity: pyrage.x25519.Identity) -> OfficeVersions:
    """Decrypt this laptop's entry and decode its records strictly, grouped into one snapshot per visit."""
    spool, _file_sha = decrypt(
        io.BytesIO(data), [identity], lambda: _bad(_("niet versleuteld voor deze laptop"))
    )
    with spool:
        plain = spool.read()
    try:
        files = strict_json(plain)
    except ValueError as error:
        raise _bad(_("geen geldige JSON")) from error
    expected = {FILES[table] for table in _TABLES}
    if (
        not isinstance(files, dict)
        or set(files) != {*expected, SEQ}
        or not all(isinstance(files[name], str) for name in expected)
        or type(files[SEQ]) is not int
        or files[SEQ] < 0
    ):
        raise _bad(_("onverwachte onderdelen"))
    tables = {table: decode_jsonl(table, str(files[FILES[table]]).encode("utf-8")) for table in _TABLES}
    visits = {str(v["id"]): v for v in tables["visits"]}
    grouped: dict[str, dict[str, list[Row]]] = {vid: {t: [] for t in VISIT_PARTS} for vid in visits}
    for table in VISIT_PARTS:
        for row in tables[table]:
            if str(row["visit_id"]) not in grouped:
                raise _bad(_("een record hoort bij geen bezoek"))
            grouped[str(row["visit_id"])][table].append(row)
    snapshots = []
    for vid, visit in sorted(visits.items()):
        parts = {t: sort_rows(t, rows) for t, rows in grouped[vid].items()}
        snapshot = Snapshot(visit, parts)
        if str(visit["head_rev"]) not in snapshot.rev_ids:
            raise _bad(_("bezoek {visit} mist zijn laatste revisie", visit=vid[:8]))
        snapshots.append(snapshot)
    return OfficeVersions(snapshots, int(files[SEQ]))


@dataclass(frozen=True)
class AppliedRevisions:
    updated: list[str]  # visits that now hold the office's revisions
    kept: list[str]  # visits edited here meanwhile: kept, merged at the office on the next import


def apply_entry(db: Database, office: OfficeVersions) -> AppliedRevisions:
    """Fast-forward every visit this laptop holds to the office's version when it contains all of
    this laptop's revisions, and number the next bundle above what the office holds; the caller
    holds the transaction."""
    raise_seq_floor(db, office.seq)
    snapshots = office.snapshots
    updated, kept = [], []
    held = {s.visit_id: s for s in load_snapshots(db, [s.visit_id for s in snapshots])}
    for snapshot in snapshots:
        local = held.get(snapshot.visit_id)
        if local is None or local.sha256 == snapshot.sha256:
            continue
        if set(local.rev_ids) <= set(snapshot.rev_ids):
            show_snapshot(db, snapshot)
            updated.append(snapshot.visit_id)
        else:
            kept.append(snapshot.visit_id)
    return AppliedRevisions(updated, kept)
