"""Export -> import keeps every field; re-import is a no-op; order and conflicts; receipts and purge."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from inspector_app.services import conflicts as conflict_service
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.finalize import amend_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.audit import verify_chain
from inspector_app.storage.store_key import key_file_of
from tests.sync.conftest import DATA_TABLES, copy_keys, copy_registry, dump, enrol, hand_over


def test_round_trip_keeps_every_field(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    create_demo_visits(laptop, 12, seed=7)
    result = exchange_service.export(laptop, tmp_path / "out")
    assert result is not None and result.visits == 12
    [report] = exchange_service.import_files(office, [result.path])
    assert report.status == "imported" and len(report.new) == 12, report
    assert dump(office) == dump(laptop)
    assert verify_chain(office.db).ok
    remote = office.db.execute("SELECT count(*) FROM sync_remote_audit").fetchone()[0]
    assert (
        remote
        == laptop.db.execute("SELECT count(*) FROM audit_log WHERE action != 'bundle.export'").fetchone()[0]
    )


def test_reimport_is_a_no_op(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    create_demo_visits(laptop, 3, seed=1)
    result = exchange_service.export(laptop, tmp_path / "out")
    assert result is not None
    exchange_service.import_files(office, [result.path])
    before = dump(office, (*DATA_TABLES, "sync_import_log", "sync_visit_versions"))
    [again] = exchange_service.import_files(office, [result.path])
    assert again.status == "already_present" and again.ok
    assert dump(office, (*DATA_TABLES, "sync_import_log", "sync_visit_versions")) == before


def test_nothing_left_to_export_after_receipt(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    create_demo_visits(laptop, 2, seed=3)
    first = exchange_service.export(laptop, tmp_path / "out")
    assert first is not None
    exchange_service.import_files(office, [first.path])
    exchange_service.write_receipt(office, tmp_path / "receipt.json")
    applied = exchange_service.apply_receipt(laptop, tmp_path / "receipt.json")
    assert applied.bundles == 1 and applied.visits == 2
    assert exchange_service.export(laptop, tmp_path / "out") is None


def _fork_laptop(laptop: AppContext, office: AppContext, tmp_path: Path, name: str) -> AppContext:
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


def test_concurrent_edits_are_a_conflict_and_order_does_not_matter(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    create_demo_visits(laptop, 3, seed=11)
    # A draft: a final visit edited in the database no longer matches its stamped content hash, and
    # the office refuses it (content_hash_mismatch).
    visit_id = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Gelijktijdig", "Kade 2")))
    base = exchange_service.export(laptop, tmp_path / "base")
    assert base is not None
    other = _fork_laptop(laptop, office, tmp_path, "laptop2")
    try:
        # The same visit edited on both laptops from the same base (raw edits stand in for the UI).
        for app, note in ((laptop, "eerste laptop"), (other, "tweede laptop")):
            with app.db.conn:
                app.db.execute(
                    "UPDATE answers SET note = ?, updated_at = ? WHERE visit_id = ? AND person_number = 0",
                    [note, "2030-01-01T00:00:00.000Z", visit_id],
                )
                app.db.execute(
                    "UPDATE visits SET updated_at = ? WHERE id = ?",
                    [f"2030-01-01T00:00:0{len(note) % 9}Z", visit_id],
                )
        a = exchange_service.export(laptop, tmp_path / "a")
        b = exchange_service.export(other, tmp_path / "b")
        assert a is not None and b is not None
        states: list[tuple[object, ...]] = []
        for order in ([base.path, a.path, b.path], [b.path, a.path, base.path], [a.path, base.path, b.path]):
            target = tmp_path / f"office-{len(states)}"
            copy_keys(office.paths.data_dir, target)
            fresh = open_app(target)
            try:
                copy_registry(office, fresh)
                reports = exchange_service.import_files(fresh, order)
                assert all(r.status == "imported" for r in reports), [
                    (r.file, r.status, r.reason) for r in reports
                ]
                conflicts = conflict_service.open_conflicts(fresh)
                assert [c[0] for c in conflicts] == [visit_id]
                kept = fresh.db.execute(
                    "SELECT count(*) FROM sync_visit_versions WHERE visit_id = ? AND leaf = 1 AND snapshot IS NOT NULL",
                    [visit_id],
                ).fetchone()[0]
                assert kept == 2
                states.append(
                    (
                        dump(fresh),
                        fresh.db.execute(
                            "SELECT visit_id, device_id, seq, leaf, shown, snapshot_sha256 FROM sync_visit_versions"
                            " ORDER BY 1, 2, 3"
                        ).fetchall(),
                        conflicts,
                    )
                )
            finally:
                fresh.close()
        assert states[0] == states[1] == states[2]
    finally:
        other.close()


def test_newer_revision_fast_forwards(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    create_demo_visits(laptop, 2, seed=5)
    first = exchange_service.export(laptop, tmp_path / "1")
    assert first is not None
    exchange_service.import_files(office, [first.path])
    visit_id = str(
        laptop.db.execute("SELECT id FROM visits WHERE status = 'final' ORDER BY id").fetchone()[0]
    )
    session = VisitSession(laptop, visit_id)
    assert session.is_final
    (question, number), row = next(iter(sorted(session.answers.items())))
    assert number == 0
    amend_visit(session, question, row.value, "correctie na controle")
    if (
        not laptop.db.execute(
            "SELECT count(*) FROM visit_revisions WHERE visit_id = ?", [visit_id]
        ).fetchone()[0]
        > 1
    ):
        with laptop.db.conn:
            laptop.db.execute(
                "UPDATE visits SET updated_at = '2031-01-01T00:00:00.000Z' WHERE id = ?", [visit_id]
            )
    second = exchange_service.export(laptop, tmp_path / "2")
    assert second is not None
    [report] = exchange_service.import_files(office, [second.path])
    assert report.updated == [visit_id]
    assert dump(office) == dump(laptop)
