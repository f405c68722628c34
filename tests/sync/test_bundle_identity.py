"""A bundle is its signed manifest: a copy encrypted again is already present, never a second import."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from inspector_app.sync.envelope import decrypt, encrypt
from inspector_app.sync.keys import KeyStore
from tests.sync.conftest import DATA_TABLES, dump
from tests.sync.test_no_lost_edit import run, synced

__all__ = ["synced"]  # the fixture, used by name below


def reencrypted(office: Path, source: Path, target: Path) -> Path:
    """The same ZIP (same signed manifest) in a new age envelope: another file, another file hash."""
    app = open_app(office)  # the office's key files are sealed with its store's key: open it first
    try:
        keys = KeyStore.of(office)
        with source.open("rb") as handle:
            spool, _file_sha = decrypt(handle, keys.office_identities())
        with spool:
            plain = spool.read()
        target.write_bytes(encrypt(plain, keys.office_public().all_recipients))
    finally:
        app.close()
    assert hashlib.sha256(target.read_bytes()).digest() != hashlib.sha256(source.read_bytes()).digest()
    return target


def test_a_reencrypted_copy_is_already_present(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    copy = reencrypted(office, tmp_path / "second.ifb", tmp_path / "copy.ifb")
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    app = open_app(office)
    try:
        before = dump(app, (*DATA_TABLES, "sync_visit_versions", "sync_import_log", "sync_conflicts"))
    finally:
        app.close()
    [report] = json.loads(run(capsys, office, "bundle", "import", "--json", str(copy)))
    assert report["status"] == "already_present"
    assert report["forks"] == [] and report["conflicts"] == []
    app = open_app(office)
    try:
        after = dump(app, (*DATA_TABLES, "sync_visit_versions", "sync_import_log", "sync_conflicts"))
        (manifest_sha,) = app.db.execute(
            "SELECT manifest_sha256 FROM sync_import_log WHERE seq = 2"
        ).fetchone()
    finally:
        app.close()
    assert after == before
    assert len(str(manifest_sha)) == 64


def test_a_reencrypted_copy_of_a_fork_is_not_a_second_fork(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Forks are told apart by their manifest: the restored laptop's bundle forks once, its copy not."""
    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Eerste.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    shutil.rmtree(laptop)
    shutil.copytree(backup, laptop)
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Na terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "forked.ifb"))
    copy = reencrypted(office, tmp_path / "forked.ifb", tmp_path / "forked-copy.ifb")
    assert "teruggezet" in run(capsys, office, "bundle", "import", str(tmp_path / "forked.ifb"))
    again = run(capsys, office, "bundle", "import", str(copy))
    assert again == "forked-copy.ifb: al ingelezen, niets gewijzigd\n"
