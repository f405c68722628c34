"""Only the user reads the data folder (0700/0600), and a network drive is refused before anything is made."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.logs import log, setup_logging
from inspector_app.services.app import open_app
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage import place
from inspector_app.storage.place import UnsafeFolderError, network_filesystem

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _everything(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


@posix_only
def test_every_folder_and_file_of_a_new_store_is_the_users_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "keys", "init-office", "--municipality", "Westerdam"]) == 0
    app = open_app(data)
    try:
        session = VisitSession(
            app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Modus")))
        )
        session.set_note("PB-05", "Feitelijke notitie.")
        setup_logging(app.paths.log_dir)
        log.info("event probe")
        for handler in log.handlers:
            handler.flush()
        names = {p.name for p in _everything(data)}
        assert {"inspector.sqlite3", "inspector.sqlite3-wal", "inspector.sqlite3-shm", "media"} <= names
        assert "inspector_app.log" in names
        wrong = {
            str(p.relative_to(tmp_path)): oct(_mode(p))
            for p in _everything(data)
            if _mode(p) != (0o700 if p.is_dir() else 0o600)
        }
        assert wrong == {}
    finally:
        for handler in list(log.handlers):
            if isinstance(handler, logging.FileHandler):
                log.removeHandler(handler)
                handler.close()
        app.close()


@posix_only
def test_loosened_modes_are_repaired_at_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_app(data).close()
    snapshot = data / "inspector.before-migration-v4-20260101T000000Z.sqlite3"
    snapshot.write_bytes(b"copy")
    (data / "media" / "abc.jpg").write_bytes(b"jpeg")
    for path in _everything(data):
        path.chmod(0o755 if path.is_dir() else 0o644)
    own = data / "eigen-notities.txt"  # a file of the user's own in a chosen data folder
    own.write_text("niet van de app", encoding="utf-8")
    own.chmod(0o644)
    open_app(data).close()
    assert {oct(_mode(p)) for p in _everything(data) if p.is_dir()} == {"0o700"}
    assert {oct(_mode(p)) for p in _everything(data) if p.is_file() and p != own} == {"0o600"}
    assert _mode(own) == 0o644


def _fake_mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> Path:
    share = tmp_path / "share"
    share.mkdir()
    table = tmp_path / "mounts"
    table.write_text(
        f"/dev/sda1 / ext4 rw,relatime 0 0\n//fileserver/team {share} {kind} rw,vers=3.0 0 0\n"
        f"tmpfs {tmp_path / 'other'} tmpfs rw 0 0\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(place, "MOUNTS_FILE", table)
    monkeypatch.setattr(sys, "platform", "linux")
    return share


@pytest.mark.parametrize("kind", ["cifs", "nfs4", "smb3", "fuse.sshfs"])
def test_a_network_mount_is_refused_with_why_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    share = _fake_mounts(tmp_path, monkeypatch, kind)
    data = share / "inspecties"
    assert main(["--data-dir", str(data), "visits", "list"]) == 78
    err = capsys.readouterr().err
    assert "netwerkschijf" in err and kind in err and "WAL" in err and "eigen schijf" in err
    assert not data.exists()  # refused before anything was made there
    with pytest.raises(UnsafeFolderError):
        open_app(share)


def test_a_local_folder_beside_the_share_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_mounts(tmp_path, monkeypatch, "cifs")
    local = tmp_path / "sharealike"  # a prefix of the mount point's name is not inside it
    open_app(local).close()
    assert network_filesystem(local) is None


def test_unc_paths_and_remote_windows_drives_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert network_filesystem(Path("\\\\fileserver\\team\\inspecties")) == "UNC"
    assert network_filesystem(Path("//fileserver/team/inspecties")) == "UNC"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(place, "_drive_type", lambda root: 4 if root.upper().startswith("Z:") else 3)
    assert network_filesystem(Path("Z:\\inspecties")) == "netwerkschijf"
    assert network_filesystem(Path("C:\\Users\\t\\inspecties")) is None


@posix_only
def test_files_the_app_writes_are_private_and_existing_folders_are_left_alone(tmp_path: Path) -> None:
    """Exports, reports and their temporary files: mkstemp (0600); only folders the app makes are 0700."""
    from inspector_app.fileio import atomic_write_bytes

    shared = tmp_path / "gedeeld"
    shared.mkdir()
    shared.chmod(0o755)
    target = shared / "nieuw" / "dieper" / "rapport.pdf"
    atomic_write_bytes(target, b"%PDF-1.7")
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700 and _mode(target.parent.parent) == 0o700
    assert _mode(shared) == 0o755  # the user's own folder keeps its mode
    assert [p.name for p in target.parent.iterdir()] == ["rapport.pdf"]  # no temporary file left
