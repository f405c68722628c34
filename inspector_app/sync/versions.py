"""The office's version store of synced visits: `sync_visit_versions` and `sync_conflicts`.

Per visit, every version that arrives (device, seq) is recorded with its revision set. A version is
*older* than another when its revisions are a strict subset, or the same set from the same device at
a lower sequence number. The visit's leaves are the versions no other version is newer than; the
store shows the leaf with the most revisions (then the latest `updated_at`, then the snapshot hash),
and more than one distinct leaf is an open conflict with every leaf's full snapshot kept. Leaves are
the maximal elements of everything received, so the result does not depend on import order.

Everything that reads or writes these two tables is here, so the import (`office_import`) and the
resolution of a conflict (`services.conflicts`) keep one notion of leaf, shown version and
conflict. None of these functions commits: callers hold the transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from inspector_app.storage.audit import canonical_json, now_iso
from inspector_app.sync.records import VISIT_PARTS, Snapshot, insert_rows, load_snapshots


def version_id(device_id: str, seq: int) -> str:
    """How a version is named to people and in resolution choices: "<device id>:<seq>"."""
    return f"{device_id}:{seq}"


@dataclass
class Version:
    visit_id: str
    device_id: str
    seq: int
    rev_ids: frozenset[str]
    sha256: str
    updated_at: str

    def older_than(self, other: Version) -> bool:
        if self.rev_ids < other.rev_ids:
            return True
        return self.rev_ids == other.rev_ids and self.device_id == other.device_id and self.seq < other.seq

    def rank(self) -> tuple[int, str, str, str, int]:
        return (len(self.rev_ids), self.updated_at, self.sha256, self.device_id, self.seq)


@dataclass(frozen=True)
class KeptVersion:
    """A leaf whose full snapshot is kept (what a conflict is resolved from)."""

    device_id: str
    device_name: str
    seq: int
    head_rev: str
    sha256: str
    shown: bool
    snapshot: dict[str, Any]  # canonical form, see Snapshot.canonical
    forked: bool = False  # another kept leaf has the same (device, seq): a restored laptop

    @property
    def version_id(self) -> str:
        """Unique among the kept leaves: a fork's two versions differ by their content hash."""
        plain = version_id(self.device_id, self.seq)
        return f"{plain}:{self.sha256[:12]}" if self.forked else plain


def load_versions(db: Database, visit_id: str) -> list[tuple[Version, bool]]:
    """Every version recorded for a visit, with whether it is a leaf."""
    rows = db.execute(
        "SELECT device_id, seq, rev_ids, snapshot_sha256, leaf, snapshot FROM sync_visit_versions WHERE visit_id = ?",
        [visit_id],
    ).fetchall()
    versions = []
    for device, seq, rev_ids, sha, leaf, snapshot in rows:
        updated = json.loads(snapshot)["visit"]["updated_at"] if snapshot else ""
        versions.append(
            (Version(visit_id, device, seq, frozenset(json.loads(rev_ids)), sha, updated), bool(leaf))
        )
    return versions


def kept_versions(db: Database, visit_id: str) -> list[KeptVersion]:
    """The visit's leaves with their snapshots, by device and seq."""
    rows = db.execute(
        "SELECT v.device_id, coalesce(d.name, ''), v.seq, v.head_rev, v.snapshot_sha256, v.shown, v.snapshot"
        " FROM sync_visit_versions v LEFT JOIN sync_devices d ON d.device_id = v.device_id"
        " WHERE v.visit_id = ? AND v.leaf = 1 AND v.snapshot IS NOT NULL ORDER BY v.device_id, v.seq",
        [visit_id],
    ).fetchall()
    names = [(device, seq) for device, _name, seq, *_rest in rows]
    return [
        KeptVersion(
            device, name, seq, head, sha, bool(shown), json.loads(snapshot), names.count((device, seq)) > 1
        )
        for device, name, seq, head, sha, shown, snapshot in rows
    ]


def show_snapshot(db: Database, snapshot: Snapshot) -> None:
    """Make the store's tables hold exactly this snapshot of the visit."""
    vid = snapshot.visit_id
    for table in VISIT_PARTS:
        db.execute(f"DELETE FROM {table} WHERE visit_id = ?", [vid])
    names = list(snapshot.visit)
    assignments = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    db.execute(
        f"INSERT INTO visits ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        f" ON CONFLICT (id) DO UPDATE SET {assignments}",
        [snapshot.visit[n] for n in names],
    )
    for table in VISIT_PARTS:
        insert_rows(db, table, snapshot.parts[table])


def record_version(db: Database, snapshot: Snapshot, device_id: str, seq: int, bundle_id: str) -> str:
    """Record one incoming visit version; returns new | updated | already_present | conflict."""
    vid, sha = snapshot.visit_id, snapshot.sha256
    incoming = Version(
        vid, device_id, seq, frozenset(snapshot.rev_ids), sha, str(snapshot.visit["updated_at"])
    )
    existing = load_versions(db, vid)
    if any(v.device_id == device_id and v.seq == seq and v.sha256 == sha for v, _leaf in existing):
        return "already_present"
    existed = bool(existing) or db.execute("SELECT 1 FROM visits WHERE id = ?", [vid]).fetchone() is not None
    leaves = [v for v, leaf in existing if leaf]
    shown_before = {v.sha256 for v, leaf in existing if leaf}
    superseded = any(incoming.older_than(leaf) for leaf in leaves)
    db.execute(
        "INSERT INTO sync_visit_versions (visit_id, device_id, seq, bundle_id, head_rev, rev_ids, snapshot_sha256,"
        " leaf, shown, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
        [
            vid,
            device_id,
            seq,
            bundle_id,
            snapshot.visit["head_rev"],
            json.dumps(snapshot.rev_ids),
            sha,
            0 if superseded else 1,
            None if superseded else snapshot.canonical_text,
        ],
    )
    if superseded:
        return "already_present"
    for leaf in leaves:
        if leaf.older_than(incoming):
            db.execute(
                "UPDATE sync_visit_versions SET leaf = 0, shown = 0, snapshot = NULL"
                " WHERE visit_id = ? AND device_id = ? AND seq = ? AND snapshot_sha256 = ?",
                [vid, leaf.device_id, leaf.seq, leaf.sha256],
            )
    leaves = [leaf for leaf in leaves if not leaf.older_than(incoming)] + [incoming]
    winner = max(leaves, key=Version.rank)
    if winner is incoming:
        show_snapshot(db, snapshot)
    else:
        stored = db.execute(
            "SELECT snapshot FROM sync_visit_versions"
            " WHERE visit_id = ? AND device_id = ? AND seq = ? AND snapshot_sha256 = ?",
            [vid, winner.device_id, winner.seq, winner.sha256],
        ).fetchone()[0]
        show_snapshot(db, Snapshot.from_canonical(json.loads(stored)))
    _mark_shown(db, winner)
    distinct = sorted({leaf.sha256 for leaf in leaves})
    if len(distinct) > 1:
        _open_conflict(db, vid, leaves)
        return "conflict"
    db.execute(
        "UPDATE sync_conflicts SET status = 'resolved', resolved_at = ?, resolved_by = 'sync'"
        " WHERE visit_id = ? AND status = 'open'",
        [now_iso(), vid],
    )
    if not existed:
        return "new"
    return "already_present" if shown_before == {sha} else "updated"


def _mark_shown(db: Database, winner: Version) -> None:
    db.execute(
        "UPDATE sync_visit_versions SET shown = (device_id = ? AND seq = ? AND snapshot_sha256 = ?)"
        " WHERE visit_id = ?",
        [winner.device_id, winner.seq, winner.sha256, winner.visit_id],
    )


def record_local_version(db: Database, visit_id: str, device_id: str) -> bool:
    """Record an edit made here (office amendment, referral edit) as a version of this device.

    Only visits the version store already tracks (they arrived by sync) are recorded. The new version
    supersedes exactly the leaves whose revisions it contains, so a later laptop version lacking the
    office's revision is concurrent with it (a conflict, both kept), never a fast-forward over it.
    Returns whether a version was recorded; the caller holds the transaction.
    """
    existing = load_versions(db, visit_id)
    if not existing:
        return False
    [snapshot] = list(load_snapshots(db, [visit_id]))
    if any(leaf and v.sha256 == snapshot.sha256 for v, leaf in existing):
        return False
    seq = 1 + max((v.seq for v, _leaf in existing if v.device_id == device_id), default=0)
    local = Version(
        visit_id,
        device_id,
        seq,
        frozenset(snapshot.rev_ids),
        snapshot.sha256,
        str(snapshot.visit["updated_at"]),
    )
    leaves = [v for v, leaf in existing if leaf]
    for leaf in leaves:
        if leaf.older_than(local):
            db.execute(
                "UPDATE sync_visit_versions SET leaf = 0, shown = 0, snapshot = NULL"
                " WHERE visit_id = ? AND device_id = ? AND seq = ? AND snapshot_sha256 = ?",
                [visit_id, leaf.device_id, leaf.seq, leaf.sha256],
            )
    db.execute(
        "INSERT INTO sync_visit_versions (visit_id, device_id, seq, bundle_id, head_rev, rev_ids,"
        " snapshot_sha256, leaf, shown, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?)",
        [
            visit_id,
            device_id,
            seq,
            f"local:{snapshot.visit['head_rev']}",
            snapshot.visit["head_rev"],
            json.dumps(snapshot.rev_ids),
            snapshot.sha256,
            snapshot.canonical_text,
        ],
    )
    _mark_shown(db, local)
    remaining = [leaf for leaf in leaves if not leaf.older_than(local)]
    if remaining:
        _open_conflict(db, visit_id, [*remaining, local])
    return True


def _open_conflict(db: Database, visit_id: str, leaves: list[Version]) -> None:
    keys = sorted([leaf.device_id, leaf.seq, leaf.sha256] for leaf in leaves)
    db.execute(
        "INSERT INTO sync_conflicts (visit_id, status, versions, detected_at) VALUES (?, 'open', ?, ?)"
        " ON CONFLICT (visit_id) DO UPDATE SET status = 'open', versions = excluded.versions,"
        " resolved_at = NULL, resolved_by = NULL",
        [visit_id, canonical_json(keys), now_iso()],
    )


def conflict_status(db: Database, visit_id: str) -> str | None:
    """open | resolved, or None when the visit never had a conflict."""
    row = db.execute("SELECT status FROM sync_conflicts WHERE visit_id = ?", [visit_id]).fetchone()
    return None if row is None else str(row[0])


def open_conflicts(db: Database) -> list[tuple[str, list[Any]]]:
    """Open conflicts by visit id, each with its [device, seq, sha256] leaves."""
    rows = db.execute("SELECT visit_id, versions FROM sync_conflicts WHERE status = 'open' ORDER BY visit_id")
    return [(str(v), json.loads(k)) for v, k in rows.fetchall()]


def record_resolution(
    db: Database, visit_id: str, device_id: str, rev_id: str, resolved_by: str, at: str
) -> None:
    """Record the visit as it now stands as the one leaf, newer than every kept version; close the conflict.

    The stored content (already merged by the caller) becomes a version from `device_id`, so
    re-importing any earlier bundle changes nothing and a later one that builds on only one of the
    kept versions is recognised as older.
    """
    [snapshot] = list(load_snapshots(db, [visit_id]))
    seq = db.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM sync_visit_versions WHERE visit_id = ? AND device_id = ?",
        [visit_id, device_id],
    ).fetchone()[0]
    db.execute("UPDATE sync_visit_versions SET leaf = 0, shown = 0 WHERE visit_id = ?", [visit_id])
    db.execute(
        "INSERT INTO sync_visit_versions (visit_id, device_id, seq, bundle_id, head_rev, rev_ids,"
        " snapshot_sha256, leaf, shown, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?)",
        [
            visit_id,
            device_id,
            seq,
            f"resolution:{rev_id}",
            rev_id,
            json.dumps(snapshot.rev_ids),
            snapshot.sha256,
            snapshot.canonical_text,
        ],
    )
    db.execute(
        "UPDATE sync_conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ? WHERE visit_id = ?",
        [at, resolved_by, visit_id],
    )
