"""The version store on its own: record, show, conflict, resolve; the order of arrival does not matter."""

from __future__ import annotations

import itertools

from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.db import writing
from inspector_app.sync import versions
from inspector_app.sync.records import Snapshot, insert_rows, load_snapshots, read_rows


def _visit(office: AppContext, laptop: AppContext, seed: int) -> Snapshot:
    """One laptop visit as a snapshot; its location is put in the office register (as an import does)."""
    create_demo_visits(laptop, 1, seed=seed)
    [snapshot] = list(load_snapshots(laptop.db))
    with writing(office.db):
        insert_rows(office.db, "locations", read_rows(laptop.db, "locations"))
    return snapshot


def _with_revision(snapshot: Snapshot, rev_id: str, updated_at: str) -> Snapshot:
    """The same visit after one more (made-up) revision on some device."""
    canonical = snapshot.canonical()
    revision = {**canonical["visit_revisions"][0], "id": rev_id, "base_rev": snapshot.visit["head_rev"]}
    canonical["visit_revisions"] = [*canonical["visit_revisions"], revision]
    canonical["visit"] = {**canonical["visit"], "head_rev": rev_id, "updated_at": updated_at}
    return Snapshot.from_canonical(canonical)


def test_record_show_conflict_resolve(office: AppContext, laptop: AppContext) -> None:
    base = _visit(office, laptop, 11)
    left = _with_revision(base, "00000000-0000-4000-8000-00000000000a", "2030-01-01T10:00:00Z")
    right = _with_revision(base, "00000000-0000-4000-8000-00000000000b", "2030-01-01T11:00:00Z")
    vid = base.visit_id
    with writing(office.db):
        assert versions.record_version(office.db, base, "laptop-a", 1, "b1") == "new"
        assert versions.record_version(office.db, base, "laptop-a", 1, "b1") == "already_present"
        assert versions.record_version(office.db, left, "laptop-a", 2, "b2") == "updated"
        assert versions.record_version(office.db, base, "laptop-b", 1, "b3") == "already_present"  # older
        assert versions.record_version(office.db, right, "laptop-b", 2, "b4") == "conflict"
    assert versions.conflict_status(office.db, vid) == "open"
    assert versions.open_conflicts(office.db) == [
        (vid, sorted([["laptop-a", 2, left.sha256], ["laptop-b", 2, right.sha256]]))
    ]
    kept = versions.kept_versions(office.db, vid)
    assert [(k.version_id, k.shown) for k in kept] == [("laptop-a:2", False), ("laptop-b:2", True)]
    [shown] = list(load_snapshots(office.db, [vid]))
    assert shown.visit["head_rev"] == right.visit["head_rev"]  # as many revisions: the later one is shown
    with writing(office.db):
        versions.show_snapshot(office.db, left)
        versions.record_resolution(office.db, vid, office.device_id, "rev-merged", "kantoor", "2030-01-02")
    assert versions.conflict_status(office.db, vid) == "resolved" and versions.open_conflicts(office.db) == []
    leaves = [(v.device_id, leaf) for v, leaf in versions.load_versions(office.db, vid) if leaf]
    assert leaves == [(office.device_id, True)]


def test_the_shown_version_does_not_depend_on_arrival_order(office: AppContext, laptop: AppContext) -> None:
    base = _visit(office, laptop, 12)
    left = _with_revision(base, "00000000-0000-4000-8000-00000000000c", "2030-01-01T10:00:00Z")
    right = _with_revision(base, "00000000-0000-4000-8000-00000000000d", "2030-01-01T09:00:00Z")
    arrivals = [(base, "a", 1), (left, "a", 2), (right, "b", 1)]
    seen = set()
    for order in itertools.permutations(arrivals):
        with writing(office.db):
            office.db.execute("DELETE FROM sync_visit_versions")
            office.db.execute("DELETE FROM sync_conflicts")
            for snapshot, device, seq in order:
                versions.record_version(office.db, snapshot, device, seq, f"{device}{seq}")
        [shown] = list(load_snapshots(office.db, [base.visit_id]))
        seen.add((shown.visit["head_rev"], tuple(map(tuple, versions.open_conflicts(office.db)[0][1]))))
    assert seen == {(left.visit["head_rev"], tuple(sorted([("a", 2, left.sha256), ("b", 1, right.sha256)])))}
