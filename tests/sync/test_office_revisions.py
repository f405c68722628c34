"""Both directions: the office's revisions of a laptop's visit travel back in a reference bundle, so
the laptop's next edit builds on them (no conflict, no merge on the next round trip)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services.app import open_app
from tests.sync.test_no_lost_edit import kept_revisions, laptop_revisions, run, synced

__all__ = ["synced"]  # the fixture, used by name below


def answer(data_dir: Path, visit_id: str, question: str) -> object:
    app = open_app(data_dir)
    try:
        row = app.db.execute(
            "SELECT value FROM answers WHERE visit_id = ? AND question_id = ? AND person_number = 0",
            [visit_id, question],
        ).fetchone()
        return json.loads(row[0])
    finally:
        app.close()


def send_back(
    capsys: pytest.CaptureFixture[str], office: Path, laptop: Path, folder: Path
) -> dict[str, object]:
    folder.mkdir()
    run(capsys, office, "bundle", "reference", "-o", str(folder))
    [path] = list(folder.glob("*.ifr"))
    [report] = json.loads(run(capsys, laptop, "bundle", "import", "--json", str(path)))
    assert report["status"] == "imported", report
    return dict(report)


def test_the_laptop_builds_on_the_office_amendment(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    office_revisions = kept_revisions(office, visit_id)
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    assert report["visits_updated"] == [visit_id] and report["visits_kept"] == []
    assert office_revisions <= laptop_revisions(laptop, visit_id)
    assert answer(laptop, visit_id, "H-03") == "3511 AB"
    shown = json.loads(run(capsys, laptop, "visits", "show", visit_id, "--json"))
    assert any(r["reason"] == "Kantoor: juiste code." for r in shown["revisions"])

    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Laptop: correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "next.ifb"))
    [imported] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "next.ifb")))
    # A fast-forward over the office's version: no merge, no conflict, both edits shown.
    assert imported["updated"] == [visit_id]
    assert imported["conflicts"] == [] and imported["merged"] == [] and imported["forks"] == []
    assert answer(office, visit_id, "H-03") == "3511 AB" and answer(office, visit_id, "PB-05") == "no"
    assert json.loads(run(capsys, office, "conflicts", "list", "--json")) == []
    # Sent once: the office's head is now the laptop's, so the next reference bundle carries nothing.
    assert send_back(capsys, office, laptop, tmp_path / "ref2")["visits_updated"] == []


def test_a_laptop_edit_made_meanwhile_is_kept_and_merged_at_the_office(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor.")
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Laptop.")
    before = laptop_revisions(laptop, visit_id)
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    assert report["visits_updated"] == [] and report["visits_kept"] == [visit_id]
    assert laptop_revisions(laptop, visit_id) == before
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "next.ifb"))
    [imported] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "next.ifb")))
    assert imported["merged"] == [visit_id] and imported["conflicts"] == []
    assert answer(office, visit_id, "H-03") == "3511 AB" and answer(office, visit_id, "PB-05") == "no"


def test_a_visit_in_open_conflict_is_not_sent_back(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shown state of an open conflict holds one side's value: sending it would let the laptop's
    next edit supersede both sides."""
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor.")
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "9999 ZZ", "--reason", "Laptop.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "next.ifb"))
    assert "1 conflict" in run(capsys, office, "bundle", "import", str(tmp_path / "next.ifb"))
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    assert report["visits_updated"] == [] and report["visits_kept"] == []
    assert answer(laptop, visit_id, "H-03") == "9999 ZZ"


def test_each_laptop_gets_only_its_own_visits_and_a_bad_entry_changes_nothing(
    synced: tuple[Path, Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from inspector_app.sync import reference
    from inspector_app.sync.envelope import decrypt, encrypt
    from inspector_app.sync.keys import KeyStore
    from inspector_app.sync.office_revisions import entry_name
    from tests.sync.conftest import laptop_state

    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor.")
    run(capsys, office, "bundle", "reference", "-o", str(tmp_path / "ok.ifr"))
    # Open the bundle as the laptop does: its one visits entry is named for this laptop alone. The
    # laptop's key files are sealed with its store's key, so the store stays open while they are read.
    app = open_app(laptop)
    device_id = app.device_id
    keys = KeyStore.of(laptop)
    identity, office_public = keys.device_identity(device_id), keys.office_public()
    app.close()
    opened = reference.open_reference((tmp_path / "ok.ifr").read_bytes(), identity, office_public, 99)
    assert [p for p in opened.entries if p.startswith("visits/")] == [entry_name(device_id)]
    spool, _sha = decrypt(io.BytesIO(opened.entries[entry_name(device_id)]), [identity])
    with spool:
        assert b"3511 AB" in spool.read()
    assert b"3511 AB" not in (tmp_path / "ok.ifr").read_bytes()

    recipient = str(identity.to_public())
    garbage = {entry_name(device_id): (encrypt(b'{"records/visits.jsonl": 1}', [recipient]), 1)}
    monkeypatch.setattr(reference, "sealed_entries", lambda *_args: garbage)
    run(capsys, office, "bundle", "reference", "-o", str(tmp_path / "bad.ifr"))
    app = open_app(laptop)
    try:
        before = laptop_state(app)
    finally:
        app.close()
    code = main(["--data-dir", str(laptop), "bundle", "import", "--json", str(tmp_path / "bad.ifr")])
    [report] = json.loads(capsys.readouterr().out)
    assert code == 1 and report["status"] == "rejected" and report["reason_code"] == "bad_record"
    app = open_app(laptop)
    try:
        assert laptop_state(app) == before
    finally:
        app.close()


def test_a_restored_laptop_numbers_above_what_the_reference_bundle_says(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The laptop learns from a reference bundle (not only a receipt) that its sequence is behind."""
    import shutil

    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Eerste.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    shutil.rmtree(laptop)
    shutil.copytree(backup, laptop)  # restored: it has forgotten bundle 2
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    # The office added nothing of its own to the visit, so none of it travels; only the number does.
    assert report["visits_updated"] == [] and report["visits_kept"] == []
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Na terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "third.ifb"))
    [imported] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "third.ifb")))
    assert imported["seq"] == 3 and imported["forks"] == []
    # Built on the older version: concurrent with bundle 2, merged field by field (no fork, no conflict).
    assert imported["merged"] == [visit_id] and imported["conflicts"] == []
    assert answer(office, visit_id, "H-03") == "1111 AA" and answer(office, visit_id, "PB-05") == "no"
