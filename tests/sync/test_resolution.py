"""Conflict resolution at the office: both versions kept, field-by-field choice, audit, idempotent."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspector_app.errors import InvalidInputError
from inspector_app.services import conflicts as conflict_service
from inspector_app.services import conflicts as resolution
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.audit import verify_chain
from inspector_app.storage.store_key import key_file_of
from tests.sync.conftest import DATA_TABLES, dump, enrol, hand_over


@dataclass
class Conflict:
    visit_id: str
    refs: list[str]  # three answers: changed on laptop A only, on B only, on both differently
    a: Path
    b: Path
    base: Path
    other: AppContext


def fork_laptop(laptop: AppContext, office: AppContext, tmp_path: Path, name: str) -> AppContext:
    """A second laptop holding the same visits (as if handed over), with its own device id and key."""
    target = tmp_path / name
    laptop.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target.mkdir()
    shutil.copy(laptop.paths.database, target / laptop.paths.database.name)
    key_file = key_file_of(laptop.paths.database)  # the encrypted store travels with its key file
    shutil.copy(key_file, target / key_file.name)
    shutil.copytree(laptop.paths.media_dir, target / "media")
    other = open_app(target)
    other.settings.profile.name = "Toezichthouder 2002"
    new_id = str(uuid.uuid4())
    with other.db.conn:
        other.db.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", [new_id])
    other.device_id = new_id
    enrol(office, other, tmp_path)
    hand_over(office, laptop, other)
    return other


def make_conflict(office: AppContext, laptop: AppContext, tmp_path: Path) -> Conflict:
    """A draft visit whose notes are edited on two laptops from the same exported base."""
    create_demo_visits(laptop, 3, seed=11)
    visit_id = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Conflict", "Kade 1")))
    session = VisitSession(laptop, visit_id)
    refs = [q.id for q in session.form.questions.values() if not q.repeat][:3]
    session.set_note(refs[0], "basis")
    base = exchange_service.export(laptop, tmp_path / "base")
    assert base is not None
    exchange_service.import_files(office, [base.path])
    other = fork_laptop(laptop, office, tmp_path, "laptop2")
    session = VisitSession(laptop, visit_id)
    session.set_note(refs[0], "alleen op laptop A")
    session.set_note(refs[2], "versie van laptop A")
    second = VisitSession(other, visit_id)
    second.set_note(refs[1], "alleen op laptop B")
    second.set_note(refs[2], "versie van laptop B")
    a = exchange_service.export(laptop, tmp_path / "a")
    b = exchange_service.export(other, tmp_path / "b")
    assert a is not None and b is not None
    return Conflict(visit_id, refs, a.path, b.path, base.path, other)


@pytest.fixture
def conflict(office: AppContext, laptop: AppContext, tmp_path: Path) -> Iterator[Conflict]:
    made = make_conflict(office, laptop, tmp_path)
    reports = exchange_service.import_files(office, [made.a, made.b])
    assert [r.status for r in reports] == ["imported", "imported"]
    assert reports[1].conflicts == [made.visit_id]
    yield made
    made.other.close()


def _note(app: AppContext, visit_id: str, ref: str) -> str:
    session = VisitSession(app, visit_id)
    question = ref.split("[")[0]
    number = int(ref.split("[")[1].rstrip("]")) if "[" in ref else 0
    return session.answers[(question, number)].note


def test_both_versions_are_kept_and_fields_listed(
    office: AppContext, laptop: AppContext, conflict: Conflict
) -> None:
    [summary] = resolution.list_conflicts(office)
    assert summary.conflict_id == conflict.visit_id and len(summary.versions) == 2
    assert sum(v.shown for v in summary.versions) == 1
    fields = {f.key: f for f in resolution.conflict_fields(office, conflict.visit_id)}
    # A draft's open revision proves no common ancestor: every difference is compared against
    # nothing. The note only laptop B wrote merges; the two the laptops both hold differently do not.
    assert set(fields) == {f"note:{conflict.refs[0]}", f"note:{conflict.refs[2]}"}
    assert _note(office, conflict.visit_id, conflict.refs[1]) == "alleen op laptop B"
    by_device = {v.device_id: v.version_id for v in summary.versions}
    both = fields[f"note:{conflict.refs[2]}"].values
    assert both[by_device[laptop.device_id]] == "versie van laptop A"
    assert both[by_device[conflict.other.device_id]] == "versie van laptop B"
    assert summary.fields == 2


def test_field_by_field_choice_is_applied_and_audited(
    office: AppContext, laptop: AppContext, conflict: Conflict
) -> None:
    versions = {v.device_id: v for v in resolution.conflict_versions(office, conflict.visit_id)}
    a, b = versions[laptop.device_id], versions[conflict.other.device_id]
    r0, r1, r2 = conflict.refs
    rev = resolution.resolve_conflict(
        office,
        conflict.visit_id,
        {f"note:{r0}": a.version_id, f"note:{r2}": b.version_id},
        "beide toezichthouders gebeld",
    )
    assert _note(office, conflict.visit_id, r0) == "alleen op laptop A"
    assert _note(office, conflict.visit_id, r1) == "alleen op laptop B"
    assert _note(office, conflict.visit_id, r2) == "versie van laptop B"
    assert conflict_service.open_conflicts(office) == []
    head, base_rev, kind, reason = office.db.execute(
        "SELECT v.head_rev, r.base_rev, r.kind, r.reason FROM visits v JOIN visit_revisions r ON r.id = v.head_rev"
        " WHERE v.id = ?",
        [conflict.visit_id],
    ).fetchone()
    assert head == rev and base_rev in (a.head_rev, b.head_rev)
    assert (kind, reason) == ("addendum", "beide toezichthouders gebeld")
    [entry] = resolution.resolution_entries(office, conflict.visit_id)
    assert isinstance(entry.new, dict)
    assert entry.new["parents"] == sorted({a.head_rev, b.head_rev})  # a draft: one open revision
    assert entry.new["choices"][f"note:{r2}"] == b.version_id
    assert entry.actor == office.actor
    assert verify_chain(office.db).ok
    with pytest.raises(InvalidInputError):
        resolution.conflict_fields(office, conflict.visit_id)


def test_a_typed_note_can_replace_both(office: AppContext, conflict: Conflict) -> None:
    r2 = conflict.refs[2]
    resolution.resolve_conflict(office, conflict.visit_id, {f"note:{r2}": "samengevoegd"}, "samengevoegd")
    assert _note(office, conflict.visit_id, r2) == "samengevoegd"


def test_bad_choice_or_no_reason_changes_nothing(office: AppContext, conflict: Conflict) -> None:
    tables = (*DATA_TABLES, "sync_visit_versions", "sync_conflicts", "audit_log")
    before = dump(office, tables)
    with pytest.raises(InvalidInputError):
        resolution.resolve_conflict(office, conflict.visit_id, {"answer:XX-1": "nope"}, "reden")
    with pytest.raises(InvalidInputError):
        resolution.resolve_conflict(office, conflict.visit_id, {}, "  ")
    assert dump(office, tables) == before


def test_reimport_after_resolution_changes_nothing(office: AppContext, conflict: Conflict) -> None:
    resolution.resolve_conflict(office, conflict.visit_id, {}, "versie op kantoor gehouden")
    before = dump(office, (*DATA_TABLES, "sync_visit_versions", "sync_conflicts"))
    reports = exchange_service.import_files(office, [conflict.b, conflict.a, conflict.base])
    assert all(r.status == "already_present" for r in reports), [(r.file, r.status) for r in reports]
    assert dump(office, (*DATA_TABLES, "sync_visit_versions", "sync_conflicts")) == before
    assert conflict_service.open_conflicts(office) == []
