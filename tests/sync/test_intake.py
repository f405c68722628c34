"""Bounded work before authentication: the age header and the kind of file are judged before any key work."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pyrage
import pytest

from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.sync.envelope import AGE_MAGIC
from inspector_app.sync.keys import KeyStore
from inspector_app.sync.limits import MAX_AGE_STANZAS
from tests.sync.hostile import canonical_dump, forge, read_bundle


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def stanza_header(count: int) -> bytes:
    """An age header of `count` random X25519 stanzas (anyone can write one: no key needed)."""
    stanzas = b"".join(
        b"-> X25519 " + _b64(os.urandom(32)) + b"\n" + _b64(os.urandom(32)) + b"\n" for _ in range(count)
    )
    return AGE_MAGIC + stanzas + b"--- " + _b64(os.urandom(32)) + b"\n" + os.urandom(256)


@pytest.fixture
def key_work(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt at age decryption (X25519 or scrypt per stanza), recorded and refused."""
    calls: list[str] = []

    def refuse(*_args: object) -> None:
        calls.append("decrypt")
        raise AssertionError("decryption was attempted")

    monkeypatch.setattr(pyrage, "decrypt_io", refuse)
    monkeypatch.setattr(pyrage, "decrypt", refuse)
    return calls


@pytest.mark.parametrize(
    ("count", "code"), [(20_000, "header_too_large"), (MAX_AGE_STANZAS + 1, "too_many_recipients")]
)
def test_a_header_of_many_stanzas_is_refused_before_any_key_work(
    office: AppContext, tmp_path: Path, key_work: list[str], count: int, code: str
) -> None:
    target = tmp_path / "stanzas.ifb"
    target.write_bytes(stanza_header(count))
    before = canonical_dump(office.paths.database)
    [report] = exchange_service.import_files(office, [target])
    assert (report.status, report.reason_code) == ("rejected", code), report.reason
    assert key_work == []
    assert canonical_dump(office.paths.database) == before


def test_a_signed_bundle_for_too_many_recipients_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    create_demo_visits(laptop, 1, seed=3)
    good = exchange_service.export(laptop, tmp_path / "good.ifb")
    assert good is not None
    tables, media, _manifest = read_bundle(office, good.path)
    extra = [str(pyrage.x25519.Identity.generate().to_public()) for _ in range(MAX_AGE_STANZAS)]
    recipients = KeyStore.of(office.paths.data_dir).office_public().all_recipients + extra
    hostile = forge(laptop, office, tables, media, tmp_path / "many.ifb", recipients=recipients)
    [report] = exchange_service.import_files(office, [hostile])
    assert report.reason_code == "too_many_recipients", report.reason


def _special(kind: str, tmp_path: Path) -> Path:
    target = tmp_path / f"evil-{kind}.ifb"
    if kind == "symlink-to-dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "device":
        return Path("/dev/zero")
    return target


@pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and /dev/zero as on Linux and macOS")
@pytest.mark.parametrize("kind", ["symlink-to-dev-zero", "fifo", "folder", "device"])
def test_special_files_are_refused_without_reading(
    office: AppContext, tmp_path: Path, key_work: list[str], kind: str
) -> None:
    """A read of /dev/zero or a FIFO would never end: refusing at all shows nothing was read."""
    from inspector_app.sync.office_import import import_bundle

    path = _special(kind, tmp_path)
    before = canonical_dump(office.paths.database)
    report = import_bundle(
        office.db, office.paths.data_dir, office.paths.media_dir, path, office.actor, office.device_id
    )
    assert (report.status, report.reason_code) == ("rejected", "not_a_file"), report.reason
    assert key_work == []
    assert canonical_dump(office.paths.database) == before


@pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs as on Linux and macOS")
def test_a_folder_is_expanded_and_its_special_files_reported(office: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "zero.ifb").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.ifb")
    (folder / "sub.ifb").mkdir()
    reports = exchange_service.import_any(office, [folder])
    assert sorted((r.file, r.reason_code) for r in reports) == [
        ("pipe.ifb", "not_a_file"),
        ("zero.ifb", "not_a_file"),
    ]


@pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs as on Linux and macOS")
@pytest.mark.parametrize("command", ["inspect", "apply-receipt"])
@pytest.mark.parametrize("kind", ["symlink-to-dev-zero", "fifo"])
def test_inspect_and_receipts_read_no_special_file(
    laptop: AppContext, tmp_path: Path, command: str, kind: str
) -> None:
    from inspector_app.cli.main import main

    path = _special(kind, tmp_path)
    assert main(["--data-dir", str(laptop.paths.data_dir), "bundle", command, str(path)]) == 1


def test_inspect_reads_the_header_of_a_real_bundle(
    office: AppContext, laptop: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hashlib
    import json

    from inspector_app.cli.main import main

    create_demo_visits(laptop, 1, seed=3)
    good = exchange_service.export(laptop, tmp_path / "good.ifb")
    assert good is not None
    assert main(["--data-dir", str(office.paths.data_dir), "bundle", "inspect", str(good.path)]) == 0
    facts = json.loads(capsys.readouterr().out)
    data = good.path.read_bytes()
    assert (facts["size"], facts["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    # age implementations may add a "grease" stanza of a made-up type: count the X25519 ones
    x25519 = [s for s in facts["recipient_stanzas"] if s == "X25519"]
    assert len(x25519) == len(KeyStore.of(office.paths.data_dir).office_public().all_recipients)


@pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs as on Linux and macOS")
@pytest.mark.parametrize(
    "command", [("keys", "enrol"), ("keys", "register-device")], ids=["enrol", "register-device"]
)
@pytest.mark.parametrize("kind", ["symlink-to-dev-zero", "fifo"])
def test_key_files_are_read_only_when_regular(
    office: AppContext, tmp_path: Path, command: tuple[str, str], kind: str
) -> None:
    from inspector_app.cli.main import main

    path = _special(kind, tmp_path)
    assert main(["--data-dir", str(office.paths.data_dir), *command, str(path)]) == 1
