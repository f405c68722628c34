"""Every bad bundle is rejected with its own reason, and the reader's data stays exactly unchanged.

Both bundle kinds go through the same verification pipeline (`sync.envelope.open_signed_archive`),
so every case that applies to both runs against both: a field bundle read at the office and a
reference bundle read on a laptop (`kind`). Cases about one kind only (device registry, decoding of
visit records) stay single.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.storage.audit import canonical_json
from inspector_app.sync import keys as keys_module
from inspector_app.sync.envelope import MANIFEST, SIGNATURE, encrypt, zip_bytes
from inspector_app.sync.keys import KeyStore
from tests.sync.conftest import dump, laptop_state

Members = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Kind:
    """One bundle kind as its reader sees it, and the names its cases tamper with."""

    name: str
    reader: AppContext
    good: Path
    identities: list[pyrage.x25519.Identity]
    recipients: list[str]
    signer: Ed25519PrivateKey  # the key that rightly signs this kind
    read: Callable[[Path], Any]  # -> the import report
    state: Callable[[], object]  # everything an import could change
    rejected_action: str
    record: str  # a records file every good bundle of this kind holds
    optional: str  # another one, to leave out
    allowed: str  # a name the kind allows but the manifest does not list
    bad_signature: str  # the code for a signature by nobody we trust

    def members(self, path: Path | None = None) -> Members:
        plain = pyrage.decrypt((path or self.good).read_bytes(), self.identities)
        with zipfile.ZipFile(io.BytesIO(plain)) as archive:
            return [(i.filename, archive.read(i)) for i in archive.infolist()]

    def reseal(self, members: Members, target: Path, raw_zip: bytes | None = None) -> Path:
        target.write_bytes(encrypt(raw_zip if raw_zip is not None else zip_bytes(members), self.recipients))
        return target

    def with_manifest(self, members: Members, change: Callable[[dict[str, Any]], None]) -> Members:
        """Change the manifest, list the entries as they now are, and re-sign with the rightful key."""
        files = dict(members)
        manifest = json.loads(files[MANIFEST])
        change(manifest)
        for entry in manifest["entries"]:
            data = files[entry["path"]]
            entry["size"], entry["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        files[MANIFEST] = canonical_json(manifest).encode()
        files[SIGNATURE] = self.signer.sign(files[MANIFEST])
        return list(files.items())

    def check_rejected(self, path: Path, code: str) -> None:
        before = self.state()
        report = self.read(path)
        assert report.status == "rejected", report
        assert report.reason_code == code, (report.reason_code, report.reason)
        assert report.reason
        assert self.state() == before
        audit = self.reader.db.execute("SELECT new FROM audit_log WHERE action = ?", [self.rejected_action])
        assert any(code in row[0] for row in audit.fetchall())


def _field(office: AppContext, laptop: AppContext, tmp_path: Path) -> Kind:
    create_demo_visits(laptop, 2, seed=9)
    result = exchange_service.export(laptop, tmp_path / "good.ifb")
    assert result is not None
    keys = KeyStore.of(office.paths.data_dir)
    return Kind(
        "field",
        office,
        result.path,
        keys.office_identities(),
        keys.office_public().all_recipients,
        KeyStore.of(laptop.paths.data_dir).device_signing_key(laptop.device_id),
        lambda path: exchange_service.import_files(office, [path])[0],
        lambda: dump(office),
        "bundle.import.rejected",
        "records/visits.jsonl",
        "records/answers.jsonl",
        "records/extra.jsonl",
        "unknown_device",
    )


def _reference(office: AppContext, laptop: AppContext, tmp_path: Path) -> Kind:
    create_demo_visits(office, 2, seed=9)
    path, *_counts = exchange_service.write_reference(office, tmp_path / "good.ifr")
    identity = KeyStore.of(laptop.paths.data_dir).device_identity(laptop.device_id)
    return Kind(
        "reference",
        laptop,
        path,
        [identity],
        [str(identity.to_public())],
        KeyStore.of(office.paths.data_dir).office_signing_key(),
        lambda path: exchange_service.import_reference_file(laptop, path),
        lambda: laptop_state(laptop),
        "bundle.reference.rejected",
        "records/locations.jsonl",
        "records/history.jsonl",
        "forms/extra.toml",
        "not_from_office",
    )


@pytest.fixture(params=["field", "reference"])
def kind(request: pytest.FixtureRequest, office: AppContext, laptop: AppContext, tmp_path: Path) -> Kind:
    make = _field if request.param == "field" else _reference
    return make(office, laptop, tmp_path)


@pytest.fixture
def bundle(office: AppContext, laptop: AppContext, tmp_path: Path) -> Path:
    return _field(office, laptop, tmp_path).good


def _members(office: AppContext, path: Path) -> Members:
    plain = pyrage.decrypt(path.read_bytes(), KeyStore.of(office.paths.data_dir).office_identities())
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def _reseal(office: AppContext, members: Members, target: Path, raw_zip: bytes | None = None) -> Path:
    recipients = KeyStore.of(office.paths.data_dir).office_public().all_recipients
    target.write_bytes(encrypt(raw_zip if raw_zip is not None else zip_bytes(members), recipients))
    return target


def _check_rejected(office: AppContext, path: Path, code: str) -> None:
    before = dump(office)
    [report] = exchange_service.import_files(office, [path])
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
    keys_service.revoke_device(office, laptop.device_id[:8], "laptop gestolen")
    _check_rejected(office, bundle, "device_revoked")


def test_bundle_for_another_office(office: AppContext, bundle: Path, tmp_path: Path) -> None:
    from inspector_app.services.app import open_app

    other = open_app(tmp_path / "other-office")
    try:
        keys_service.init_office(other, "Oosterdam")
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
        keys_service.init_office(other, "Oosterdam")
        with other.db.conn:
            for row in office.db.execute("SELECT * FROM sync_devices").fetchall():
                other.db.execute("INSERT INTO sync_devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row))
        _check_rejected(other, _reseal(other, members, tmp_path / "moved.ifb"), "wrong_office")
    finally:
        other.close()


def test_truncated_file(kind: Kind, tmp_path: Path) -> None:
    target = tmp_path / "short.bin"
    target.write_bytes(kind.good.read_bytes()[:-100])
    kind.check_rejected(target, "damaged")


@pytest.mark.parametrize("where", [0.5, -20])
def test_single_flipped_byte(kind: Kind, tmp_path: Path, where: float) -> None:
    data = bytearray(kind.good.read_bytes())
    index = int(len(data) * where) if where > 0 else len(data) + int(where)
    data[index] ^= 0x01
    target = tmp_path / "flipped.bin"
    target.write_bytes(bytes(data))
    kind.check_rejected(target, "damaged")


def test_not_an_age_file(kind: Kind, tmp_path: Path) -> None:
    """A plain ZIP (or anything without the age header) is damaged, not "for someone else"."""
    target = tmp_path / "plain.bin"
    target.write_bytes(zip_bytes(kind.members()))
    kind.check_rejected(target, "damaged")


Mutation = Callable[[Kind, Members], Members]


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda k, m: [*m, (k.allowed, b"{}\n")], "extra_entry"),
        (lambda k, m: [x for x in m if x[0] != k.optional], "missing_entry"),
        (lambda _k, m: [*m, ("../evil.jsonl", b"x")], "unsafe_name"),
        (lambda _k, m: [*m, ("/abs/evil.jsonl", b"x")], "unsafe_name"),
        (lambda _k, m: [*m, ("records/Unexpected.txt", b"x")], "unexpected_name"),
        (lambda k, m: [(n, d + b"\n" if n == k.record else d) for n, d in m], "hash_mismatch"),
        (lambda _k, m: [x for x in m if x[0] != SIGNATURE], "missing_entry"),
        (lambda _k, m: [(n, b"0" * 64 if n == SIGNATURE else d) for n, d in m], None),
    ],
    ids=[
        "extra",
        "missing",
        "dotdot",
        "absolute",
        "unexpected",
        "changed-record",
        "unsigned",
        "bad-signature",
    ],
)
def test_archive_tampering(kind: Kind, tmp_path: Path, mutate: Mutation, code: str | None) -> None:
    target = kind.reseal(mutate(kind, kind.members()), tmp_path / "t.bin")
    kind.check_rejected(target, code or kind.bad_signature)


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


def test_symlink_entry(kind: Kind, tmp_path: Path) -> None:
    raw = _raw_zip(kind.members(), (kind.allowed, b"/etc/passwd", stat.S_IFLNK | 0o777))
    kind.check_rejected(kind.reseal([], tmp_path / "s.bin", raw), "not_a_file")


def test_zip_bomb(kind: Kind, tmp_path: Path) -> None:
    raw = _raw_zip(kind.members(), (kind.allowed, b"\0" * (20 * 1024**2), stat.S_IFREG | 0o600))
    kind.check_rejected(kind.reseal([], tmp_path / "b.bin", raw), "zip_bomb")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda m: m.update(format_version=99), "format_too_new"),
        (lambda m: m.update(schema_version=10_000), "schema_too_new"),
        (lambda m: m.update(seq="1"), "bad_manifest"),
        (lambda m: m.update(extra=True), "bad_manifest"),
        (lambda m: m.update(recipients=[]), None),
        (lambda m: m["entries"].append(dict(m["entries"][0])), "duplicate_entry"),
    ],
    ids=["format-too-new", "schema-too-new", "wrong-type", "extra-field", "not-a-recipient", "listed-twice"],
)
def test_signed_manifest_checks(
    kind: Kind, tmp_path: Path, change: Callable[[dict[str, Any]], None], code: str | None
) -> None:
    """The rightful signer wrote these manifests: the checks after the signature still refuse them."""
    members = kind.with_manifest(kind.members(), change)
    expected = code or ("wrong_office" if kind.name == "field" else "not_for_this_device")
    kind.check_rejected(kind.reseal(members, tmp_path / "f.bin"), expected)


def test_duplicate_records(kind: Kind, tmp_path: Path) -> None:
    members = [(n, d + d.split(b"\n")[0] + b"\n" if n == kind.record else d) for n, d in kind.members()]
    members = kind.with_manifest(members, lambda _m: None)
    kind.check_rejected(kind.reseal(members, tmp_path / "d.bin"), "duplicate_record")


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
def test_hostile_json(kind: Kind, tmp_path: Path, line: bytes) -> None:
    location_file = "records/locations.jsonl"
    members = [(n, d + line + b"\n" if n == location_file else d) for n, d in kind.members()]
    members = kind.with_manifest(members, lambda _m: None)
    kind.check_rejected(kind.reseal(members, tmp_path / "j.bin"), "bad_record")


def test_key_backup_restores_the_office(office: AppContext, tmp_path: Path) -> None:
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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(min_value=0.0, max_value=1.0, exclude_max=True), mask=st.integers(1, 255))
def test_any_single_changed_byte_is_rejected(kind: Kind, tmp_path: Path, position: float, mask: int) -> None:
    """Whichever byte changes (age header, a stream chunk, the final tag), nothing is imported."""
    data = bytearray(kind.good.read_bytes())
    data[int(len(data) * position)] ^= mask
    target = tmp_path / "changed.bin"
    target.write_bytes(bytes(data))
    before = kind.state()
    report = kind.read(target)
    assert report.status == "rejected" and report.reason, report
    assert kind.state() == before
