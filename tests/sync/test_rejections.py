"""Every bad bundle is rejected with its own reason, and the office data stays exactly unchanged."""

from __future__ import annotations

import base64
import io
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.services import sync as sync_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo import create_demo_visits
from inspector_app.sync import keys as keys_module
from inspector_app.sync.bundle import MANIFEST, SIGNATURE, encrypt, zip_bytes
from inspector_app.sync.keys import KeyStore, unb64
from tests.sync.conftest import dump

Members = list[tuple[str, bytes]]


@pytest.fixture
def bundle(office: AppContext, laptop: AppContext, tmp_path: Path) -> Path:
    create_demo_visits(laptop, 2, seed=9)
    result = sync_service.export(laptop, tmp_path / "good.ifb")
    assert result is not None
    return result.path


def _members(office: AppContext, path: Path) -> Members:
    import pyrage

    plain = pyrage.decrypt(path.read_bytes(), KeyStore.of(office.paths.data_dir).office_identities())
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def _reseal(office: AppContext, members: Members, target: Path, raw_zip: bytes | None = None) -> Path:
    recipients = KeyStore.of(office.paths.data_dir).office_public().all_recipients
    target.write_bytes(encrypt(raw_zip if raw_zip is not None else zip_bytes(members), recipients))
    return target


def _resign(laptop: AppContext, members: Members) -> Members:
    """Re-sign a changed manifest with the real device key (a forger who stole nothing cannot)."""
    import json

    key = KeyStore.of(laptop.paths.data_dir).device_signing_key(laptop.device_id)
    manifest = dict(members)[MANIFEST]
    return (
        [(n, key.sign(manifest) if n == SIGNATURE else d) for n, d in members]
        if json.loads(manifest)
        else members
    )


def _check_rejected(office: AppContext, path: Path, code: str) -> None:
    before = dump(office)
    [report] = sync_service.import_files(office, [path])
    assert report.status == "rejected", report
    assert report.reason_code == code, (report.reason_code, report.reason)
    assert report.reason
    assert dump(office) == before
    audit = office.db.execute("SELECT new FROM audit_log WHERE action = 'bundle.import.rejected'").fetchall()
    assert any(code in row[0] for row in audit)


def test_unknown_device(office: AppContext, bundle: Path) -> None:
    with office.db.conn:
        office.db.execute("DELETE FROM sync_devices")
    _check_rejected(office, bundle, "unknown_device")


def test_revoked_device(office: AppContext, laptop: AppContext, bundle: Path) -> None:
    sync_service.revoke_device(office, laptop.device_id[:8], "laptop gestolen")
    _check_rejected(office, bundle, "device_revoked")


def test_bundle_for_another_office(office: AppContext, bundle: Path, tmp_path: Path) -> None:
    from inspector_app.services.app import open_app

    other = open_app(tmp_path / "other-office")
    try:
        sync_service.init_office(other, "Oosterdam")
        with other.db.conn:
            for row in office.db.execute("SELECT * FROM sync_devices").fetchall():
                other.db.execute("INSERT INTO sync_devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row))
        _check_rejected(other, bundle, "not_for_this_office")
    finally:
        other.close()


def test_reencrypted_to_another_office_is_refused_by_recipient_check(
    office: AppContext, bundle: Path, tmp_path: Path
) -> None:
    from inspector_app.services.app import open_app

    members = _members(office, bundle)
    other = open_app(tmp_path / "other-office")
    try:
        sync_service.init_office(other, "Oosterdam")
        with other.db.conn:
            for row in office.db.execute("SELECT * FROM sync_devices").fetchall():
                other.db.execute("INSERT INTO sync_devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row))
        _check_rejected(other, _reseal(other, members, tmp_path / "moved.ifb"), "wrong_office")
    finally:
        other.close()


def test_truncated_file(office: AppContext, bundle: Path, tmp_path: Path) -> None:
    target = tmp_path / "short.ifb"
    target.write_bytes(bundle.read_bytes()[:-100])
    _check_rejected(office, target, "damaged")


@pytest.mark.parametrize("where", [0.5, -20])
def test_single_flipped_byte(office: AppContext, bundle: Path, tmp_path: Path, where: float) -> None:
    data = bytearray(bundle.read_bytes())
    index = int(len(data) * where) if where > 0 else len(data) + int(where)
    data[index] ^= 0x01
    target = tmp_path / "flipped.ifb"
    target.write_bytes(bytes(data))
    _check_rejected(office, target, "damaged")


Mutation = Callable[[Members], Members]


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda m: [*m, ("records/extra.jsonl", b"{}\n")], "extra_entry"),
        (lambda m: [x for x in m if x[0] != "records/answers.jsonl"], "missing_entry"),
        (lambda m: [*m, ("../evil.jsonl", b"x")], "unsafe_name"),
        (lambda m: [*m, ("/abs/evil.jsonl", b"x")], "unsafe_name"),
        (lambda m: [(n, d + b"\n" if n == "records/visits.jsonl" else d) for n, d in m], "hash_mismatch"),
        (lambda m: [(n, b"0" * 64 if n == SIGNATURE else d) for n, d in m], "unknown_device"),
    ],
    ids=["extra", "missing", "dotdot", "absolute", "changed-record", "bad-signature"],
)
def test_archive_tampering(
    office: AppContext, bundle: Path, tmp_path: Path, mutate: Mutation, code: str
) -> None:
    _check_rejected(office, _reseal(office, mutate(_members(office, bundle)), tmp_path / "t.ifb"), code)


def _raw_zip(members: Members, special: tuple[str, bytes, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
        if special:
            info = zipfile.ZipInfo(special[0])
            info.external_attr = special[2] << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, special[1])
    return buffer.getvalue()


def test_symlink_entry(office: AppContext, bundle: Path, tmp_path: Path) -> None:
    raw = _raw_zip(_members(office, bundle), ("records/link.jsonl", b"/etc/passwd", stat.S_IFLNK | 0o777))
    _check_rejected(office, _reseal(office, [], tmp_path / "s.ifb", raw), "not_a_file")


def test_zip_bomb(office: AppContext, bundle: Path, tmp_path: Path) -> None:
    raw = _raw_zip(
        _members(office, bundle), ("records/bomb.jsonl", b"\0" * (20 * 1024**2), stat.S_IFREG | 0o600)
    )
    _check_rejected(office, _reseal(office, [], tmp_path / "b.ifb", raw), "zip_bomb")


def _with_manifest(
    laptop: AppContext, members: Members, change: Callable[[dict[str, object]], None]
) -> Members:
    import hashlib
    import json

    from inspector_app.storage.audit import canonical_json

    files = dict(members)
    manifest = json.loads(files[MANIFEST])
    change(manifest)
    for entry in manifest["entries"]:
        data = files[entry["path"]]
        entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    files[MANIFEST] = canonical_json(manifest).encode()
    key = KeyStore.of(laptop.paths.data_dir).device_signing_key(laptop.device_id)
    files[SIGNATURE] = key.sign(files[MANIFEST])
    return list(files.items())


def test_future_format_version(office: AppContext, laptop: AppContext, bundle: Path, tmp_path: Path) -> None:
    members = _with_manifest(laptop, _members(office, bundle), lambda m: m.update(format_version=99))
    _check_rejected(office, _reseal(office, members, tmp_path / "f.ifb"), "format_too_new")


def test_duplicate_records(office: AppContext, laptop: AppContext, bundle: Path, tmp_path: Path) -> None:
    members = [
        (n, d + d.split(b"\n")[0] + b"\n" if n == "records/visits.jsonl" else d)
        for n, d in _members(office, bundle)
    ]
    members = _with_manifest(laptop, members, lambda m: None)
    _check_rejected(office, _reseal(office, members, tmp_path / "d.ifb"), "duplicate_record")


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "x", "id": "y"}',
        b"[" * 5000 + b"]" * 5000,
        b'{"id": NaN}',
        b'{"id": ' + b"9" * 5000 + b"}",
        b'{"id": "' + base64.b64encode(os.urandom(1536 * 1024)) + b'"}',
    ],
    ids=["duplicate-key", "deep", "nan", "huge-int", "oversized"],
)
def test_hostile_json(
    office: AppContext, laptop: AppContext, bundle: Path, tmp_path: Path, line: bytes
) -> None:
    members = [
        (n, d + line + b"\n" if n == "records/locations.jsonl" else d) for n, d in _members(office, bundle)
    ]
    members = _with_manifest(laptop, members, lambda m: None)
    _check_rejected(office, _reseal(office, members, tmp_path / "j.ifb"), "bad_record")


def test_key_backup_restores_the_office(office: AppContext, bundle: Path, tmp_path: Path) -> None:
    from inspector_app.services.app import open_app

    backup = KeyStore.of(office.paths.data_dir).backup_office("een lange wachtwoordzin", log_n=14)
    with pytest.raises(Exception, match="wachtwoordzin"):
        KeyStore.of(tmp_path / "x").restore(backup, "verkeerde wachtwoordzin")
    restored = open_app(tmp_path / "restored")
    try:
        assert KeyStore.of(restored.paths.data_dir).restore(backup, "een lange wachtwoordzin") == "office"
        assert (
            KeyStore.of(restored.paths.data_dir).office_public()
            == KeyStore.of(office.paths.data_dir).office_public()
        )
    finally:
        restored.close()
    assert keys_module.short_fingerprint("ab" * 32) == "ABAB ABAB ABAB ABAB ABAB"
    assert unb64


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(min_value=0.0, max_value=1.0, exclude_max=True), mask=st.integers(1, 255))
def test_any_single_changed_byte_is_rejected(
    office: AppContext, bundle: Path, tmp_path: Path, position: float, mask: int
) -> None:
    """Whichever byte changes (age header, a stream chunk, the final tag), nothing is imported."""
    data = bytearray(bundle.read_bytes())
    data[int(len(data) * position)] ^= mask
    target = tmp_path / "changed.ifb"
    target.write_bytes(bytes(data))
    before = dump(office)
    [report] = sync_service.import_files(office, [target])
    assert report.status == "rejected" and report.reason, report
    assert dump(office) == before
