"""The version store on its own: record, show, merge, conflict, resolve; the order of arrival does not matter."""

from __future__ import annotations

import itertools
import json

from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.db import writing
from inspector_app.sync import versions
from inspector_app.sync.derived import rules_of
from inspector_app.sync.merge import MERGE_AUTHOR
from inspector_app.sync.records import Snapshot, insert_rows, load_snapshots, read_rows


def _visit(office: AppContext, laptop: AppContext, seed: int) -> Snapshot:
    """One laptop visit as a snapshot; its location is put in the office register (as an import does)."""
    create_demo_visits(laptop, 1, seed=seed)
    [snapshot] = list(load_snapshots(laptop.db))
    with writing(office.db):
        insert_rows(office.db, "locations", read_rows(laptop.db, "locations"))
    return snapshot


def _with_revision(
    snapshot: Snapshot, rev_id: str, updated_at: str, note: tuple[int, str] | None = None
) -> Snapshot:
    """The same visit after one more closed (made-up) revision, optionally setting answer `i`'s note."""
    canonical = snapshot.canonical()
    head = next(r for r in canonical["visit_revisions"] if r["id"] == snapshot.visit["head_rev"])
    revision = {**head, "id": rev_id, "base_rev": head["id"], "kind": "addendum", "closed_at": updated_at}
    canonical["visit_revisions"] = [*canonical["visit_revisions"], revision]
    canonical["visit"] = {**canonical["visit"], "head_rev": rev_id, "updated_at": updated_at}
    if note is not None:
        index, text = note
        answers = [dict(a) for a in canonical["answers"]]
        answers[index]["note"] = text
        canonical["answers"] = answers
    return Snapshot.from_canonical(canonical)


def _record(office: AppContext, snapshot: Snapshot, device: str, seq: int, bundle: str) -> str:
    """`record_version` at the office, merging with the office's own checklist rules."""
    return versions.record_version(
        office.db, snapshot, device, seq, bundle, derive=rules_of(office.paths.data_dir)
    )


def _note(office: AppContext, visit_id: str, index: int) -> str:
    [shown] = list(load_snapshots(office.db, [visit_id]))
    return str(shown.parts["answers"][index]["note"])


def test_record_show_merge_conflict(office: AppContext, laptop: AppContext) -> None:
    base = _visit(office, laptop, 11)
    assert base.visit["status"] == "final" and len(base.parts["answers"]) >= 2
    left = _with_revision(base, "00000000-0000-4000-8000-00000000000a", "2030-01-01T10:00:00Z", (0, "links"))
    right = _with_revision(
        base, "00000000-0000-4000-8000-00000000000b", "2030-01-01T11:00:00Z", (1, "rechts")
    )
    clash = _with_revision(
        base, "00000000-0000-4000-8000-00000000000e", "2030-01-01T12:00:00Z", (0, "anders")
    )
    vid = base.visit_id
    with writing(office.db):
        assert _record(office, base, "laptop-a", 1, "b1") == "new"
        assert _record(office, base, "laptop-a", 1, "b1") == "already_present"
        assert _record(office, left, "laptop-a", 2, "b2") == "updated"
        assert _record(office, base, "laptop-b", 1, "b3") == "already_present"  # older
        assert _record(office, right, "laptop-b", 2, "b4") == "merged"
    # Different answers changed on each side: both kept, no conflict, a merge revision with both heads.
    assert (_note(office, vid, 0), _note(office, vid, 1)) == ("links", "rechts")
    assert versions.conflict_status(office.db, vid) is None
    [shown] = list(load_snapshots(office.db, [vid]))
    parents = office.db.execute(
        "SELECT parent_id FROM visit_revision_parents WHERE revision_id = ? ORDER BY parent_id",
        [shown.visit["head_rev"]],
    ).fetchall()
    assert [p[0] for p in parents] == sorted([left.visit["head_rev"], right.visit["head_rev"]])
    with writing(office.db):
        assert _record(office, clash, "laptop-c", 1, "b5") == "conflict"
    assert versions.conflict_status(office.db, vid) == "open"
    view = versions.merged_view(office.db, vid, derive=rules_of(office.paths.data_dir))
    assert view is not None
    [conflict] = view.result.conflicts
    assert conflict.key.startswith("note:") and conflict.base == base.parts["answers"][0]["note"]
    assert sorted(str(v) for v in conflict.values.values()) == sorted([str(conflict.base), "anders", "links"])
    assert _note(office, vid, 1) == "rechts"  # the disjoint edit stays merged beside the conflict


def test_the_shown_version_does_not_depend_on_arrival_order(office: AppContext, laptop: AppContext) -> None:
    base = _visit(office, laptop, 12)
    left = _with_revision(base, "00000000-0000-4000-8000-00000000000c", "2030-01-01T10:00:00Z", (0, "l"))
    right = _with_revision(base, "00000000-0000-4000-8000-00000000000d", "2030-01-01T09:00:00Z", (0, "r"))
    other = _with_revision(base, "00000000-0000-4000-8000-00000000000f", "2030-01-01T08:00:00Z", (1, "o"))
    arrivals = [(base, "a", 1), (left, "a", 2), (right, "b", 1), (other, "c", 1)]
    seen = set()
    for order in itertools.permutations(arrivals):
        with writing(office.db):
            office.db.execute("DELETE FROM sync_visit_versions")
            office.db.execute("DELETE FROM sync_conflicts")
            office.db.execute("DELETE FROM sync_merge_revisions")
            for snapshot, device, seq in order:
                _record(office, snapshot, device, seq, f"{device}{seq}")
        [shown] = list(load_snapshots(office.db, [base.visit_id]))
        # Merge revisions of earlier leaf sets stay (history only grows) and depend on the order;
        # everything else, the merge revision that is the head included, must not.
        canonical = shown.canonical()
        head = canonical["visit"]["head_rev"]
        canonical["visit_revisions"] = [
            r for r in canonical["visit_revisions"] if r["author"] != MERGE_AUTHOR or r["id"] == head
        ]
        text = json.dumps(canonical, sort_keys=True)
        seen.add((text, tuple(map(tuple, versions.open_conflicts(office.db)[0][1]))))
    assert len(seen) == 1


def test_a_merge_revision_is_never_replaced(office: AppContext, laptop: AppContext) -> None:
    """Another concurrent version adds a new merge revision (parents: the leaves of then); the first
    one stays in the history, and the visit's parents table keeps both."""
    base = _visit(office, laptop, 13)
    left = _with_revision(base, "00000000-0000-4000-8000-000000000011", "2030-01-01T10:00:00Z", (0, "l"))
    right = _with_revision(base, "00000000-0000-4000-8000-000000000012", "2030-01-01T11:00:00Z", (1, "r"))
    third = _with_revision(base, "00000000-0000-4000-8000-000000000013", "2030-01-01T12:00:00Z", (2, "t"))
    vid = base.visit_id
    with writing(office.db):
        _record(office, base, "laptop-a", 1, "b1")
        _record(office, left, "laptop-a", 2, "b2")
        assert _record(office, right, "laptop-b", 1, "b3") == "merged"
    [first] = list(load_snapshots(office.db, [vid]))
    first_merge = first.visit["head_rev"]
    with writing(office.db):
        assert _record(office, third, "laptop-c", 1, "b4") == "merged"
    [shown] = list(load_snapshots(office.db, [vid]))
    second_merge = shown.visit["head_rev"]
    held = {r["id"]: r for r in shown.parts["visit_revisions"]}
    assert second_merge != first_merge and first_merge in held and set(first.rev_ids) <= set(held)
    assert held[first_merge]["device_id"] == versions.MERGE_DEVICE  # a UUID: it can travel back
    parents = office.db.execute(
        "SELECT revision_id, parent_id FROM visit_revision_parents WHERE revision_id IN (?, ?)",
        [first_merge, second_merge],
    ).fetchall()
    heads = [s.visit["head_rev"] for s in (left, right, third)]
    assert sorted(p for r, p in parents if r == second_merge) == sorted(heads)
    assert sorted(p for r, p in parents if r == first_merge) == sorted(heads[:2])
    assert [_note(office, vid, i) for i in range(3)] == ["l", "r", "t"]
