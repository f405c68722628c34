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
import uuid
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from inspector_app.errors import ConflictStateError
from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json, now_iso
from inspector_app.sync.merge import (
    MERGE_AUTHOR,
    Canonical,
    Derive,
    FieldConflict,
    MergeResult,
    merge_snapshots,
)
from inspector_app.sync.records import VISIT_PARTS, Row, Snapshot, chunks, insert_rows, load_snapshots

# The merge revision of a set of leaves is named by that set, so every office that holds the same
# bundles writes the same revision (same id, same time, same content): the state depends only on
# the set of bundles. It is made by no person and no device: author (`MERGE_AUTHOR`) and device are "sync".
MERGE_NAMESPACE = uuid.UUID("5b0f1c39-2f6a-4c7e-9a51-2d0c7e4b9e11")
# Its device is a fixed UUID, so a laptop that receives the revision back (reference bundle) sends
# it on like any other: a revision's device_id is always a UUID (sync/validate.py).
MERGE_DEVICE = str(uuid.uuid5(MERGE_NAMESPACE, "sync"))
MERGE_REASON = "Automatisch samengevoegd met de gezamenlijke voorganger"


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
    held = {str(r["id"]) for r in snapshot.parts["visit_revisions"]}
    insert_rows(db, "visit_revisions", [r for r in merge_revisions(db, vid) if str(r["id"]) not in held])


def merge_revisions(db: Database, visit_id: str) -> list[Row]:
    """Every merge revision the office wrote for the visit: kept when the leaves change again, so the
    shown history only grows (a later merge revision joins the leaves of its own time)."""
    rows = db.execute(
        "SELECT revision FROM sync_merge_revisions WHERE visit_id = ? ORDER BY rev_id", [visit_id]
    ).fetchall()
    return [json.loads(text) for (text,) in rows]


def record_version(
    db: Database, snapshot: Snapshot, device_id: str, seq: int, bundle_id: str, *, derive: Derive | None
) -> str:
    """Record one incoming visit version; returns new | updated | already_present | conflict.

    `derive` runs a visit's rules on merged answers (`sync.merge`; `sync.derived.rules_of`)."""
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
            snapshot.canonical_text,
        ],
    )
    if superseded:
        if len({leaf.sha256 for leaf in leaves}) > 1:
            # An older version can be the leaves' common ancestor that was missing until now: the
            # merge is worked out again, so the result does not depend on the order of arrival.
            show_leaves(db, vid, leaves, derive=derive)
        return "already_present"
    for leaf in leaves:
        if leaf.older_than(incoming):
            db.execute(
                "UPDATE sync_visit_versions SET leaf = 0, shown = 0"
                " WHERE visit_id = ? AND device_id = ? AND seq = ? AND snapshot_sha256 = ?",
                [vid, leaf.device_id, leaf.seq, leaf.sha256],
            )
    leaves = [leaf for leaf in leaves if not leaf.older_than(incoming)] + [incoming]
    outcome = show_leaves(db, vid, leaves, incoming=snapshot, derive=derive)
    if outcome is not None:
        return outcome
    if not existed:
        return "new"
    return "already_present" if shown_before == {sha} else "updated"


def unseen_visits(db: Database, visit_ids: list[str]) -> set[str]:
    """The visits this office has no trace of: not in the store, no version, conflict, decision or
    merge revision. Recording one cannot meet any earlier state (see `record_unseen_visits`)."""
    traces = {  # table -> its visit id column
        "visits": "id",
        "sync_visit_versions": "visit_id",
        "sync_conflicts": "visit_id",
        "sync_field_decisions": "visit_id",
        "sync_merge_revisions": "visit_id",
    }
    known: set[str] = set()
    for chunk, marks in chunks(visit_ids):
        query = " UNION ".join(
            f"SELECT {column} FROM {table} WHERE {column} IN ({marks})" for table, column in traces.items()
        )
        known.update(str(row[0]) for row in db.execute(query, chunk * len(traces)).fetchall())
    return set(visit_ids) - known


def record_unseen_visits(
    db: Database, snapshots: list[Snapshot], device_id: str, seq: int, bundle_id: str
) -> None:
    """What `record_version` does for each visit `unseen_visits` found - its version is the visit's one
    leaf, shown as it is - with one statement per table for all of them instead of about fifteen
    per visit: a first import of a laptop's thousands of visits is the common large case."""
    db.conn.executemany(
        "INSERT INTO sync_visit_versions (visit_id, device_id, seq, bundle_id, head_rev, rev_ids, snapshot_sha256,"
        " leaf, shown, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?)",
        [
            (
                s.visit_id,
                device_id,
                seq,
                bundle_id,
                s.visit["head_rev"],
                json.dumps(s.rev_ids),
                s.sha256,
                s.canonical_text,
            )
            for s in snapshots
        ],
    )
    insert_rows(db, "visits", [s.visit for s in snapshots])
    for table in VISIT_PARTS:
        insert_rows(db, table, [row for s in snapshots for row in s.parts[table]])


def _mark_shown(db: Database, winner: Version) -> None:
    db.execute(
        "UPDATE sync_visit_versions SET shown = (device_id = ? AND seq = ? AND snapshot_sha256 = ?)"
        " WHERE visit_id = ?",
        [winner.device_id, winner.seq, winner.sha256, winner.visit_id],
    )


def refuse_open_conflict(db: Database, visit_id: str) -> None:
    """Refuse any edit of a visit with an open conflict, even one that changes nothing.

    The shown visit holds only one side's value of each open field: an edit on top of it would
    supersede both versions and lose the other value. An edit that happens to repeat one side's value
    is refused too, so the user is sent to resolve (which keeps both in the history) instead of being
    told nothing happened while the conflict stays open.
    """
    if conflict_status(db, visit_id) == "open":
        raise ConflictStateError(
            _(
                "Bezoek {visit} heeft een open synchronisatieconflict; los dat eerst op"
                " (Conflicten oplossen, of 'conflicts list').",
                visit=visit_id[:8],
            )
        )


def record_local_version(db: Database, visit_id: str, device_id: str, *, derive: Derive | None) -> bool:
    """Record an edit made here (office amendment, referral edit) as a version of this device.

    Only visits the version store already tracks (they arrived by sync) are recorded. The new version
    supersedes exactly the leaves whose revisions it contains, so a later laptop version lacking the
    office's revision is concurrent with it (a conflict, both kept), never a fast-forward over it.
    Returns whether a version was recorded; the caller holds the transaction.
    """
    existing = load_versions(db, visit_id)
    if not existing:
        return False
    refuse_open_conflict(db, visit_id)
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
                "UPDATE sync_visit_versions SET leaf = 0, shown = 0"
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
    remaining = [leaf for leaf in leaves if not leaf.older_than(local)]
    show_leaves(db, visit_id, [*remaining, local], already_shown=snapshot.sha256, derive=derive)
    return True


def conflict_status(db: Database, visit_id: str) -> str | None:
    """open | resolved, or None when the visit never had a conflict."""
    row = db.execute("SELECT status FROM sync_conflicts WHERE visit_id = ?", [visit_id]).fetchone()
    return None if row is None else str(row[0])


def open_conflicts(db: Database) -> list[tuple[str, list[Any]]]:
    """Open conflicts by visit id, each with its [device, seq, sha256] leaves."""
    rows = db.execute("SELECT visit_id, versions FROM sync_conflicts WHERE status = 'open' ORDER BY visit_id")
    return [(str(v), json.loads(k)) for v, k in rows.fetchall()]


@dataclass(frozen=True)
class MergedView:
    """What the office shows for a visit with several leaves: their merge against the ancestor."""

    leaves: list[KeptVersion]
    prefer: KeptVersion  # the highest-ranked leaf: an open field shows its value
    base: Canonical | None  # the common ancestor's snapshot (None: none is held)
    result: MergeResult
    heads: list[str]  # the leaves' head revisions: the parents of a merge or resolution revision

    def conflict(self, key: str) -> FieldConflict:
        return next(c for c in self.result.conflicts if c.key == key)


def _head_row(snapshot: Canonical) -> Row | None:
    head = snapshot["visit"]["head_rev"]
    return next((r for r in snapshot["visit_revisions"] if r["id"] == head), None)


def _ancestor(db: Database, visit_id: str, leaves: list[KeptVersion]) -> Canonical | None:
    """The newest held version every leaf provably descends from, or None.

    A version is an ancestor of a leaf when its head revision is closed (its content is fixed, its
    hash stamped) and the leaf holds that same closed revision and more: the leaf's history passed
    through exactly that state. An open (draft) revision proves nothing, since a copied laptop can
    go on editing it elsewhere; without a provable ancestor every difference is a conflict, which
    can raise a conflict too many but never takes one side's old value over the other's edit.
    """
    leaf_rows = [
        (
            frozenset(str(r["id"]) for r in k.snapshot["visit_revisions"]),
            {str(r["id"]): r for r in k.snapshot["visit_revisions"]},
        )
        for k in leaves
    ]
    common = frozenset.intersection(*(ids for ids, _rows in leaf_rows))
    best: tuple[int, str] | None = None
    found: Canonical | None = None
    for rev_ids, sha, text in db.execute(
        "SELECT rev_ids, snapshot_sha256, snapshot FROM sync_visit_versions WHERE visit_id = ? AND snapshot IS NOT NULL",
        [visit_id],
    ):
        revisions = frozenset(json.loads(rev_ids))
        if not revisions <= common or (best is not None and (len(revisions), sha) <= best):
            continue
        snapshot = json.loads(text)
        head = _head_row(snapshot)
        if head is None or head["closed_at"] is None:
            continue
        if all(ids > revisions and rows.get(str(head["id"])) == head for ids, rows in leaf_rows):
            best, found = (len(revisions), sha), snapshot
    return found


def _decisions(db: Database, visit_id: str) -> tuple[dict[str, tuple[str, Any]], list[Row]]:
    """The office's decisions on fields of this visit, and every resolution revision they wrote."""
    chosen: dict[str, tuple[str, Any]] = {}
    revisions: dict[str, Row] = {}
    for field, competing, value, revision in db.execute(
        "SELECT field, competing, chosen, revision FROM sync_field_decisions WHERE visit_id = ?"
        " ORDER BY decided_at, rev_id",
        [visit_id],
    ):
        chosen[str(field)] = (str(competing), json.loads(value))
        row = json.loads(revision)
        revisions[str(row["id"])] = row
    return chosen, list(revisions.values())


def merged_view(db: Database, visit_id: str, *, derive: Derive | None) -> MergedView | None:
    """The merge of the visit's distinct leaves, or None when it has one (or none); `derive` runs the
    visit's rules on the merged answers."""
    by_sha: dict[str, KeptVersion] = {}
    for kept in kept_versions(db, visit_id):
        by_sha.setdefault(kept.sha256, kept)
    if len(by_sha) < 2:
        return None
    leaves = sorted(by_sha.values(), key=lambda k: k.version_id)
    prefer = max(
        leaves,
        key=lambda k: (
            len(k.snapshot["visit_revisions"]),
            str(k.snapshot["visit"]["updated_at"]),
            k.sha256,
            k.device_id,
            k.seq,
        ),
    )
    base = _ancestor(db, visit_id, leaves)
    decisions, _revisions = _decisions(db, visit_id)
    sides = {k.version_id: k.snapshot for k in leaves}
    result = merge_snapshots(base, sides, prefer.version_id, decisions, derive)
    heads = sorted({str(k.snapshot["visit"]["head_rev"]) for k in leaves})
    return MergedView(leaves, prefer, base, result, heads)


def merge_revision(visit_id: str, view: MergedView) -> Row:
    """The revision that joins the leaves: its parents are their heads; it is the same on every office."""
    name = "|".join([visit_id, *sorted(f"{k.device_id}:{k.seq}:{k.sha256}" for k in view.leaves)])
    at = max(str(k.snapshot["visit"]["updated_at"]) for k in view.leaves)
    return {
        "id": str(uuid.uuid5(MERGE_NAMESPACE, name)),
        "visit_id": visit_id,
        "base_rev": view.heads[0],
        "kind": "addendum",
        "author": MERGE_AUTHOR,
        "device_id": MERGE_DEVICE,
        "created_at": at,
        "closed_at": at,
        "content_sha256": None,
        "reason": MERGE_REASON,
    }


def record_parents(db: Database, revision: Row, parents: list[str]) -> None:
    """Every parent of a merge or resolution revision (its first, `base_rev`, comes by trigger)."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO visit_revision_parents (revision_id, parent_id, visit_id) VALUES (?, ?, ?)",
        [(revision["id"], parent, revision["visit_id"]) for parent in parents],
    )


def show_leaves(
    db: Database,
    visit_id: str,
    leaves: list[Version] | None = None,
    *,
    incoming: Snapshot | None = None,
    already_shown: str | None = None,
    derive: Derive | None,
) -> str | None:
    """Show what the visit's leaves add up to and keep its conflict row in step; returns `merged` or
    `conflict` when there is more than one distinct leaf, else None (the one leaf is shown).

    `leaves` are the visit's leaves when the caller has them; `incoming` the snapshot just recorded
    (shown without reading it back when it is the one leaf); `already_shown` the hash of what the
    store's tables already hold.
    """
    if leaves is None:
        leaves = [v for v, leaf in load_versions(db, visit_id) if leaf]
    if len({leaf.sha256 for leaf in leaves}) == 1:
        winner = max(leaves, key=Version.rank)
        if winner.sha256 != already_shown:
            if incoming is not None and incoming.sha256 == winner.sha256:
                show_snapshot(db, incoming)
            else:
                stored = db.execute(
                    "SELECT snapshot FROM sync_visit_versions WHERE visit_id = ? AND snapshot_sha256 = ?",
                    [visit_id, winner.sha256],
                ).fetchone()[0]
                show_snapshot(db, Snapshot.from_canonical(json.loads(stored)))
        _mark_shown(db, winner)
        _close_conflict(db, visit_id, MERGE_AUTHOR)
        return None
    view = merged_view(db, visit_id, derive=derive)
    if view is None:  # leaves without a kept snapshot (cannot happen: a leaf keeps its snapshot)
        return None
    merged = dict(view.result.snapshot)
    revision = merge_revision(visit_id, view)
    db.execute(
        "INSERT OR IGNORE INTO sync_merge_revisions (visit_id, rev_id, revision) VALUES (?, ?, ?)",
        [visit_id, revision["id"], canonical_json(revision)],
    )
    _decided, resolutions = _decisions(db, visit_id)
    held = {str(r["id"]) for r in merged["visit_revisions"]}
    extra = [r for r in [revision, *resolutions] if str(r["id"]) not in held]
    head = max([revision, *resolutions], key=lambda r: (str(r["created_at"]), str(r["id"])))
    merged["visit"] = {**merged["visit"], "head_rev": head["id"], "updated_at": head["created_at"]}
    merged["visit_revisions"] = sorted([*merged["visit_revisions"], *extra], key=lambda r: str(r["id"]))
    show_snapshot(db, Snapshot.from_canonical(merged))
    record_parents(db, revision, view.heads)
    db.execute(
        "UPDATE sync_visit_versions SET shown = (device_id = ? AND seq = ? AND snapshot_sha256 = ?)"
        " WHERE visit_id = ?",
        [view.prefer.device_id, view.prefer.seq, view.prefer.sha256, visit_id],
    )
    if view.result.conflicts:
        keys = sorted([k.device_id, k.seq, k.sha256] for k in view.leaves)
        db.execute(
            "INSERT INTO sync_conflicts (visit_id, status, versions, detected_at) VALUES (?, 'open', ?, ?)"
            " ON CONFLICT (visit_id) DO UPDATE SET status = 'open', versions = excluded.versions,"
            " resolved_at = NULL, resolved_by = NULL",
            [visit_id, canonical_json(keys), now_iso()],
        )
        return "conflict"
    _close_conflict(db, visit_id, MERGE_AUTHOR)
    return "merged"


def _close_conflict(db: Database, visit_id: str, by: str) -> None:
    db.execute(
        "UPDATE sync_conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ?"
        " WHERE visit_id = ? AND status = 'open'",
        [now_iso(), by, visit_id],
    )


def record_decisions(
    db: Database,
    visit_id: str,
    chosen: dict[str, Any],
    revision: Row,
    parents: list[str],
    decided_by: str,
    *,
    derive: Derive | None,
) -> None:
    """Store a person's choice per open field (`chosen`: field key -> value) with the resolution
    revision that records it, then show the visit again. The decision names the competing values,
    so it settles exactly this divergence, in whichever versions it arrives again."""
    view = merged_view(db, visit_id, derive=derive)
    if view is None:
        return
    rows = []
    for key, value in chosen.items():
        conflict = view.conflict(key)
        rows.append(
            (visit_id, key, conflict.competing, canonical_json(value), revision["id"], canonical_json(revision),
             revision["created_at"], decided_by)
        )  # fmt: skip
    db.conn.executemany(
        "INSERT OR REPLACE INTO sync_field_decisions (visit_id, field, competing, chosen, rev_id, revision,"
        " decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    show_leaves(db, visit_id, derive=derive)
    record_parents(db, revision, parents)
    if conflict_status(db, visit_id) == "resolved":
        db.execute("UPDATE sync_conflicts SET resolved_by = ? WHERE visit_id = ?", [decided_by, visit_id])
