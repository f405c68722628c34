"""The shared envelope (sync/envelope.py) against hostile archives, one refusal per check, table-driven.

tests/sync/test_rejections.py runs whole field and reference bundles through their importers; this
module drives `open_signed_archive` directly with a small manifest kind of its own, so each check of
the pipeline is reached by the input that it exists for (and stays fast: no database, no app).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import pyrage
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from inspector_app.sync import envelope
from inspector_app.sync.envelope import (
    MANIFEST,
    SIGNATURE,
    ManifestSpec,
    VerifiedArchive,
    encrypt,
    envelope_facts,
    open_signed_archive,
    zip_bytes,
)
from inspector_app.sync.errors import BundleRejectedError

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())
SIGNER = Ed25519PrivateKey.generate()
NAMES = re.compile(r"records/[A-Za-z]+\.jsonl|media/[0-9a-f]{64}")
FIELDS: dict[str, type] = {
    "format": str,
    "format_version": int,
    "schema_version": int,
    "entries": list,
    "recipients": list,
}
ENTRY_FIELDS: dict[str, type] = {"path": str, "size": int, "sha256": str}
RECORDS = b'{"id": "v1"}\n' * 40  # compressible, above the 64-byte threshold of zip_bytes

Members = list[tuple[str, bytes]]


def verify(manifest: bytes, signature: bytes) -> str:
    try:
        SIGNER.public_key().verify(signature, manifest)
    except InvalidSignature as error:
        raise BundleRejectedError("bad_signature", "not signed by the test key") from error
    return "device-1"


def accept_all(_manifest: dict[str, Any], _signer: str) -> None:
    return None


SPEC = ManifestSpec("test-bundle", 1, FIELDS, ENTRY_FIELDS, 3, accept_all)


def manifest_of(listed: Members, **changes: Any) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "format": "test-bundle",
        "format_version": 1,
        "schema_version": 3,
        "entries": [
            {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in listed
        ],
        "recipients": [RECIPIENT],
    }
    manifest.update(changes)
    return manifest


def signed(manifest: Any, entries: Members) -> Members:
    """The members of an archive: the manifest as given (any JSON), its true signature, the entries."""
    text = manifest if isinstance(manifest, bytes) else json.dumps(manifest, sort_keys=True).encode()
    return [(MANIFEST, text), (SIGNATURE, SIGNER.sign(text)), *entries]


def sealed(members: Members) -> bytes:
    return encrypt(zip_bytes(members), [RECIPIENT])


def good_members() -> Members:
    entries = [("records/visits.jsonl", RECORDS), ("records/answers.jsonl", b"{}\n")]
    return signed(manifest_of(entries), entries)


def open_bundle(data: bytes, spec: ManifestSpec = SPEC) -> VerifiedArchive:
    return open_signed_archive(data, [IDENTITY], verify, NAMES, spec)


def refused(data: bytes, spec: ManifestSpec = SPEC) -> str:
    with pytest.raises(BundleRejectedError) as error:
        open_bundle(data, spec)
    assert error.value.message
    return error.value.code


def test_a_good_archive_opens_with_exactly_its_entries() -> None:
    opened = open_bundle(sealed(good_members()))
    assert opened.signer == "device-1"
    assert opened.entries == {"records/visits.jsonl": RECORDS, "records/answers.jsonl": b"{}\n"}
    assert opened.manifest["recipients"] == [RECIPIENT]


def test_the_outer_facts_are_read_without_a_key() -> None:
    facts = envelope_facts(sealed(good_members()))
    assert facts.envelope == "age-encryption.org/v1"
    assert "X25519" in facts.recipient_stanzas  # age may add a random "grease" stanza beside it
    assert envelope_facts(b"") == envelope.EnvelopeFacts("", [])


def _member(name: str, **attributes: Any) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | 0o600) << 16
    for key, value in attributes.items():
        setattr(info, key, value)
    return info


def raw_zip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, data in members:
            archive.writestr(info, data)
    return buffer.getvalue()


def _overlapping() -> bytes:
    """Two central-directory entries pointing at the same local data (the overlap zip bomb)."""
    data = bytearray(zip_bytes(good_members()))
    headers = [m.start() for m in re.finditer(b"PK\x01\x02", data)]
    first_offset = struct.unpack_from("<I", data, headers[0] + 42)[0]
    struct.pack_into("<I", data, headers[-1] + 42, first_offset)
    return bytes(data)


def _flagged() -> bytes:
    """A member whose central-directory entry sets the 'encrypted' flag (zipfile cannot write one)."""
    data = bytearray(zip_bytes([("records/visits.jsonl", RECORDS)]))
    header = data.index(b"PK\x01\x02")
    flags = struct.unpack_from("<H", data, header + 8)[0]
    struct.pack_into("<H", data, header + 8, flags | 0x1)
    return bytes(data)


def _gap() -> bytes:
    """A 10 KB member whose central-directory entry claims 0 bytes: its data is a gap no entry covers."""
    data = bytearray(zip_bytes([("media/" + "a" * 64, bytes(10_000)), *good_members()]))
    header = data.index(b"PK\x01\x02")
    struct.pack_into("<II", data, header + 20, 0, 0)
    return bytes(data)


def _commented() -> bytes:
    buffer = io.BytesIO(zip_bytes(good_members()))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = b"extra"
    return buffer.getvalue()


def _with_entry(change: Callable[[dict[str, Any]], None]) -> bytes:
    entries = [("records/visits.jsonl", RECORDS)]
    manifest = manifest_of(entries)
    change(manifest["entries"][0])
    return sealed(signed(manifest, entries))


def _manifest(**changes: Any) -> bytes:
    entries = [("records/visits.jsonl", RECORDS)]
    return sealed(signed(manifest_of(entries, **changes), entries))


def _listing(listed: Members, present: Members) -> bytes:
    """A signed manifest listing `listed` over an archive that holds `present`."""
    return sealed(signed(manifest_of(listed), present))


def _encrypted(plain: bytes) -> bytes:
    return encrypt(plain, [RECIPIENT])


STORED, BZIP2 = zipfile.ZIP_STORED, zipfile.ZIP_BZIP2
HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("not age at all", lambda: b"PK\x03\x04 a plain zip", "damaged"),
    (
        "encrypted to someone else",
        lambda: encrypt(b"x", [str(pyrage.x25519.Identity.generate().to_public())]),
        "not_for_this_office",
    ),
    ("decrypts to no zip", lambda: _encrypted(b"not a zip archive"), "damaged"),
    ("a member flagged as separately encrypted", lambda: _encrypted(_flagged()), "encrypted_member"),
    (
        "a member in a compression the reader does not take",
        lambda: _encrypted(raw_zip([(_member("records/visits.jsonl", compress_type=BZIP2), RECORDS)])),
        "compression",
    ),
    (
        "two names that differ only in case",
        lambda: _encrypted(
            raw_zip([(_member("records/visits.jsonl"), b"a"), (_member("records/VISITS.jsonl"), b"b")])
        ),
        "duplicate_entry",
    ),
    (
        "a signature member larger than any signature",
        lambda: _encrypted(raw_zip([(_member(SIGNATURE, compress_type=STORED), b"s" * 65)])),
        "too_large",
    ),
    ("overlapping members", lambda: _encrypted(_overlapping()), "zip_bomb"),
    (
        "padding before the first member",
        lambda: _encrypted(bytes(4096) + zip_bytes(good_members())),
        "unexpected_data",
    ),
    ("padding between members", lambda: _encrypted(_gap()), "unexpected_data"),
    ("an archive comment", lambda: _encrypted(_commented()), "unexpected_data"),
    ("a manifest that is not JSON", lambda: sealed(signed(b"{not json", [])), "bad_manifest"),
    ("a manifest that is a list", lambda: sealed(signed([1, 2], [])), "bad_manifest"),
    ("a manifest of another kind", lambda: _manifest(format="other-bundle"), "bad_manifest"),
    ("an entry that is not an object", lambda: _manifest(entries=["records/visits.jsonl"]), "bad_manifest"),
    ("an entry size as text", lambda: _with_entry(lambda e: e.update(size=str(e["size"]))), "bad_manifest"),
    ("an entry size as a boolean", lambda: _with_entry(lambda e: e.update(size=True)), "bad_manifest"),
    ("a recipient that is not text", lambda: _manifest(recipients=[RECIPIENT, 7]), "bad_manifest"),
    (
        "a manifest hash that does not match",
        lambda: _with_entry(lambda e: e.update(sha256="0" * 64)),
        "hash_mismatch",
    ),
    ("cut off inside the payload", lambda: sealed(good_members())[:-20], "damaged"),
    *[
        (f"unsafe name {name!r}", lambda name=name: _encrypted(zip_bytes([(name, b"x")])), "unsafe_name")
        for name in (
            "../records/visits.jsonl",
            "/records/visits.jsonl",
            "records\\visits.jsonl",
            "c:visits",
            "records/" + "a" * 130,
        )
    ],
    ("a folder", lambda: _encrypted(raw_zip([(_member("records/"), b"")])), "not_a_file"),
    (
        "a symbolic link",
        lambda: _encrypted(
            raw_zip(
                [
                    (
                        _member("records/visits.jsonl", external_attr=(stat.S_IFLNK | 0o777) << 16),
                        b"/etc/passwd",
                    )
                ]
            )
        ),
        "not_a_file",
    ),
    (
        "a name the format does not know",
        lambda: _encrypted(zip_bytes([("records/visits.txt", b"x")])),
        "unexpected_name",
    ),
    (
        "a member compressed beyond reason",
        lambda: _encrypted(zip_bytes([("records/visits.jsonl", bytes(200_000))])),
        "zip_bomb",
    ),
    ("no manifest", lambda: _encrypted(zip_bytes([(SIGNATURE, b"s" * 64)])), "missing_entry"),
    ("no signature", lambda: _encrypted(zip_bytes([(MANIFEST, b"{}")])), "missing_entry"),
    (
        "signed by someone else",
        lambda: sealed([(MANIFEST, b"{}"), (SIGNATURE, Ed25519PrivateKey.generate().sign(b"{}"))]),
        "bad_signature",
    ),
    ("a newer format", lambda: _manifest(format_version=2), "format_too_new"),
    ("an older format", lambda: _manifest(format_version=0), "bad_manifest"),
    ("a field too many", lambda: _manifest(comment="hello"), "bad_manifest"),
    ("a field of the wrong type", lambda: _manifest(schema_version="3"), "bad_manifest"),
    ("a field as a boolean", lambda: _manifest(schema_version=True), "bad_manifest"),
    ("a newer database schema", lambda: _manifest(schema_version=4), "schema_too_new"),
    (
        "an entry listed twice",
        lambda: _listing([("records/visits.jsonl", RECORDS)] * 2, [("records/visits.jsonl", RECORDS)]),
        "duplicate_entry",
    ),
    (
        "an entry the manifest does not list",
        lambda: _listing([], [("records/visits.jsonl", RECORDS)]),
        "extra_entry",
    ),
    (
        "an entry listed but absent",
        lambda: _listing([("records/visits.jsonl", RECORDS)], []),
        "missing_entry",
    ),
    (
        "an entry of another size than listed",
        lambda: _with_entry(lambda e: e.update(size=e["size"] + 1)),
        "hash_mismatch",
    ),
]


def test_a_kind_s_own_checks_run_with_the_signer() -> None:
    """`accept` sees the checked manifest and who signed it; what it refuses is refused."""
    seen: list[str] = []

    def only_known(manifest: dict[str, Any], signer: str) -> None:
        seen.append(signer)
        if manifest["recipients"] != ["someone else"]:
            raise BundleRejectedError("wrong_recipients", "not for us")

    spec = ManifestSpec("test-bundle", 1, FIELDS, ENTRY_FIELDS, 3, only_known)
    assert refused(sealed(good_members()), spec) == "wrong_recipients"
    assert seen == ["device-1"]


@pytest.mark.parametrize(("case", "build", "code"), HOSTILE, ids=[case for case, _build, _code in HOSTILE])
def test_hostile_archives_are_refused_with_their_reason(
    case: str, build: Callable[[], bytes], code: str
) -> None:
    assert refused(build()) == code, case


@pytest.mark.parametrize(
    ("cap", "value", "code"),
    [
        ("MAX_BUNDLE", 200, "too_large"),  # the file itself, before anything is decrypted
        ("MAX_PLAINTEXT", 200, "too_large"),  # stops decrypting at the cap: no unbounded buffer
        ("MAX_ENTRIES", 3, "too_many_entries"),
        ("MAX_TOTAL", 500, "too_large"),  # every member within its own cap, the sum not
    ],
)
def test_each_cap_refuses_the_archive_that_passes_it(
    monkeypatch: pytest.MonkeyPatch, cap: str, value: int, code: str
) -> None:
    """The real caps are a gigabyte or more; lowered, the same archive must cross each one."""
    data = sealed(good_members())
    assert open_bundle(data).entries
    monkeypatch.setattr(envelope, cap, value)
    assert refused(data) == code


def test_a_member_is_read_no_further_than_its_cap() -> None:
    """The byte counter holds even where the central directory's size was not checked against this cap."""
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes([("records/visits.jsonl", RECORDS)])))
    info = archive.getinfo("records/visits.jsonl")
    with pytest.raises(BundleRejectedError) as error:
        envelope._read_member(archive, info, len(RECORDS) - 1)
    assert error.value.code == "too_large"
    assert envelope._read_member(archive, info, len(RECORDS)) == RECORDS


def test_a_stream_is_decrypted_chunk_by_chunk_and_hashed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A file object opens like its bytes; the plaintext spills to an unlinked file past the memory
    spool (nothing left in the spool folder), and the hash is that of exactly the bytes decrypted."""
    data = sealed(good_members())
    monkeypatch.setattr(envelope, "SPOOL_IN_MEMORY", 64)
    opened = open_signed_archive(io.BytesIO(data), [IDENTITY], verify, NAMES, SPEC, spool_dir=tmp_path)
    assert opened.entries == open_bundle(data).entries
    assert opened.file_sha256 == hashlib.sha256(data).hexdigest()
    assert list(tmp_path.iterdir()) == []


def test_a_stream_that_grows_past_the_file_cap_stops_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader counts what it hands to the decryption: a file longer than MAX_BUNDLE (one that
    grew after its size was checked) is refused at the cap, not read to its end."""
    data = sealed(good_members())
    monkeypatch.setattr(envelope, "MAX_BUNDLE", len(data) - 1)
    with pytest.raises(BundleRejectedError) as error:
        open_signed_archive(io.BytesIO(data), [IDENTITY], verify, NAMES, SPEC)
    assert error.value.code == "too_large"


def test_an_optional_field_may_be_there_with_its_type_and_nothing_else() -> None:
    """A field a newer app adds within the same format version (a field bundle's `audit_head`)."""
    spec = ManifestSpec("test-bundle", 1, FIELDS, ENTRY_FIELDS, 3, accept_all, optional_fields={"head": str})
    assert open_bundle(_manifest(), spec).manifest.get("head") is None
    assert open_bundle(_manifest(head="ab"), spec).manifest["head"] == "ab"
    assert refused(_manifest(head=7), spec) == "bad_manifest"
    assert refused(_manifest(head="ab", comment="hello"), spec) == "bad_manifest"
