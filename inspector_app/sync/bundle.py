"""The `.ifb` field bundle (laptop -> office): its manifest, sealing, and opening it at the office.

See docs/bundle-format.md. The envelope (ZIP, signature, age) and its verification are shared with
reference bundles in `sync.envelope`; this module says what is particular to a field bundle: the
manifest fields, the entry names, and that a registered, unrevoked device signed it for this office.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json
from inspector_app.storage.media_files import MediaKeyError, read_stored_photo
from inspector_app.sync.encrypted_file import write_encrypted
from inspector_app.sync.envelope import (
    MANIFEST,
    SIGNATURE,
    ManifestSpec,
    open_signed_archive,
)
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.keys import recipient_fingerprint, unb64
from inspector_app.sync.zip_stream import ArchiveReader, ZipMember, zip_member, zip_pieces

FORMAT = "ifb"
FORMAT_VERSION = 1
SUFFIX = ".ifb"
SHA256_NAME = re.compile(r"[0-9a-f]{64}")
NAME_PATTERN = re.compile(r"records/[a-z_]{1,32}\.jsonl|media/[0-9a-f]{64}\.(jpg|png)")
MANIFEST_FIELDS = {
    "format": str,
    "format_version": int,
    "schema_version": int,
    "app_version": str,
    "bundle_id": str,
    "device_id": str,
    "device_key_fpr": str,
    "created_at": str,
    "seq": int,
    "recipients": list,
    "entries": list,
    "audit_from": int,
    "audit_to": int,
}
ENTRY_FIELDS = {"path": str, "size": int, "sha256": str, "count": int}
# Optional within format version 1 (bundles of laptops before it lack it): the hash of the laptop's
# audit entry number `audit_to`, the head of its chain when it sealed the bundle (sync/chain.py).
OPTIONAL_FIELDS = {"audit_head": str}


@dataclass
class BundleContent:
    """What goes into a bundle (before signing and encryption)."""

    bundle_id: str
    device_id: str
    seq: int
    created_at: str
    schema_version: int
    app_version: str
    audit_from: int
    audit_to: int
    records: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # path -> (bytes, count)
    media: dict[str, Path] = field(default_factory=dict)  # path -> source file
    audit_head: str | None = None  # hash of audit entry `audit_to` (the genesis hash for 0)


MediaEntry = tuple[ZipMember, str]
"""A photo entry ready for the archive (stored, its CRC-32 worked out) and the SHA-256 of its bytes."""

PhotoFacts = tuple[int, str]
"""What the manifest lists of a photo entry: its size and the SHA-256 of its bytes."""


def read_media_entry(path: str, source: Path) -> MediaEntry:
    """A photo entry's plain bytes (the plain image travels inside the age-encrypted bundle) as an
    archive member, with their SHA-256; the file is read once. A sealed photo is named by the SHA-256
    its file name carries: AES-GCM has just proved the bytes are those stored under that name (the
    office hashes every entry again, and holds it against the name); a plain one is hashed. File reads,
    AES-GCM, hashing and CRC-32 release the GIL: the export runs this on a thread of its own while it
    reads and encodes the records."""
    try:
        data, sealed = read_stored_photo(source)
    except MediaKeyError:
        raise InvalidInputError(
            _(
                "Foto {name} in de map media opent niet (beschadigd of van een andere opslag).",
                name=source.name[:12],
            )
        ) from None
    named = source.name.split(".", 1)[0]
    sha256 = named if sealed and SHA256_NAME.fullmatch(named) else hashlib.sha256(data).hexdigest()
    return zip_member(path, data), sha256


def build_manifest(
    content: BundleContent,
    device_key_fpr: str,
    recipients: list[str],
    media: dict[str, PhotoFacts] | None = None,
    streamed: dict[str, tuple[ZipMember, str, int]] | None = None,
) -> tuple[bytes, dict[str, bytes]]:
    """The manifest and the entries given as bytes (`content.records`, the photos). `media` holds the
    size and SHA-256 of every photo of `content.media` when the caller reads and seals the photos
    itself (they are then not in the payload), and `streamed` records files the export deflated and
    hashed as it read them (member, SHA-256 of the lines, line count), listed like the others but not
    in the payload."""
    records: dict[str, tuple[int, str, int]] = {
        path: (len(data), hashlib.sha256(data).hexdigest(), count)
        for path, (data, count) in content.records.items()
    }
    records.update(
        (path, (member.size, sha, count)) for path, (member, sha, count) in (streamed or {}).items()
    )
    entries: list[dict[str, Any]] = [
        {"path": path, "size": size, "sha256": sha, "count": count}
        for path, (size, sha, count) in sorted(records.items())
    ]
    payload = {path: data for path, (data, _count) in content.records.items()}
    if media is None:
        # The bytes hashed are the bytes sealed: a photo file changed between hashing and zipping cannot
        # give an entry that disagrees with its manifest line (photos are stored, not deflated).
        read = {path: read_media_entry(path, source) for path, source in content.media.items()}
        media = {path: (member.size, sha) for path, (member, sha) in read.items()}
        payload.update((path, member.stored) for path, (member, _sha) in read.items())
    for path, (size, sha) in sorted(media.items()):
        entries.append({"path": path, "size": size, "sha256": sha, "count": 1})
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": content.schema_version,
        "app_version": content.app_version,
        "bundle_id": content.bundle_id,
        "device_id": content.device_id,
        "device_key_fpr": device_key_fpr,
        "created_at": content.created_at,
        "seq": content.seq,
        "recipients": sorted(recipient_fingerprint(r) for r in recipients),
        "entries": entries,
        "audit_from": content.audit_from,
        "audit_to": content.audit_to,
    }
    if content.audit_head is not None:
        manifest["audit_head"] = content.audit_head
    return canonical_json(manifest).encode("utf-8"), payload


def signature_members(manifest: bytes, signing_key: Ed25519PrivateKey) -> list[ZipMember]:
    """The archive's last two members: the manifest and its signature. They come last so that the
    export can stream every photo into the encryption while it still reads the store, before the
    manifest that names them all exists; the office finds the members by the central directory, in
    which their order carries no meaning (bundles of earlier versions put the manifest first)."""
    return [zip_member(MANIFEST, manifest), zip_member(SIGNATURE, signing_key.sign(manifest))]


def signed_archive(manifest: bytes, payload: dict[str, bytes], signing_key: Ed25519PrivateKey) -> bytes:
    """The whole plaintext of a bundle in memory: every entry by name, then the manifest and its
    signature (the order the export writes them in, which streams the same members)."""
    members = [zip_member(path, payload[path]) for path in sorted(payload)]
    return b"".join(zip_pieces([*members, *signature_members(manifest, signing_key)]))


def write_bundle_file(
    folder_or_file: Path, bundle_id: str, members: Iterator[ZipMember], recipients: list[str]
) -> tuple[Path, str]:
    """Stream the archive of `members`, encrypted to every recipient, into `<bundle id>.ifb` in a folder
    or into the named file; crash-safe (complete or absent). Returns the path and the file's SHA-256."""
    target = folder_or_file / f"{bundle_id}{SUFFIX}" if folder_or_file.is_dir() else folder_or_file
    return target, write_encrypted(target, ArchiveReader(zip_pieces(members)), recipients)


# ------------------------------------------------------------------------------------ opening


@dataclass
class OpenedBundle:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    entries: dict[str, bytes]
    device_id: str
    file_sha256: str = ""  # SHA-256 of exactly the encrypted bytes decrypted


def _device_verifier(device_keys: dict[str, tuple[str, bool]]) -> Callable[[bytes, bytes], str]:
    """The signer must be a registered device; a revoked one is named as such."""

    def verify(manifest_bytes: bytes, signature: bytes) -> str:
        for device_id, (public_key, revoked) in sorted(device_keys.items()):
            try:
                Ed25519PublicKey.from_public_bytes(unb64(public_key)).verify(signature, manifest_bytes)
            except (InvalidSignature, ValueError):
                continue
            if revoked:
                raise BundleRejectedError(
                    "device_revoked",
                    _("De bundel is ondertekend door een ingetrokken apparaat ({device}).", device=device_id),
                )
            return device_id
        raise BundleRejectedError(
            "unknown_device",
            _("De bundel is niet ondertekend door een geregistreerd apparaat van dit kantoor."),
        )

    return verify


def _office_acceptance(office_recipient: str) -> Callable[[dict[str, Any], str], None]:
    def accept(manifest: dict[str, Any], signer: str) -> None:
        if manifest["device_id"] != signer:
            raise BundleRejectedError(
                "bad_manifest", _("Het manifest noemt een ander apparaat dan de ondertekenaar.")
            )
        if recipient_fingerprint(office_recipient) not in manifest["recipients"]:
            raise BundleRejectedError("wrong_office", _("De bundel is bestemd voor een ander kantoor."))

    return accept


def open_bundle(
    data: bytes | BinaryIO,
    identities: list[pyrage.x25519.Identity],
    office_recipient: str,
    device_keys: dict[str, tuple[str, bool]],
    schema_version: int,
    spool_dir: Path | None = None,
) -> OpenedBundle:
    """Decrypt (streamed, spooling past memory into `spool_dir`) and verify everything;
    `device_keys` maps device_id -> (public key, revoked)."""
    spec = ManifestSpec(
        FORMAT,
        FORMAT_VERSION,
        MANIFEST_FIELDS,
        ENTRY_FIELDS,
        schema_version,
        _office_acceptance(office_recipient),
        optional_fields=OPTIONAL_FIELDS,
    )
    verified = open_signed_archive(
        data, identities, _device_verifier(device_keys), NAME_PATTERN, spec, spool_dir
    )
    return OpenedBundle(
        verified.manifest, verified.manifest_bytes, verified.entries, verified.signer, verified.file_sha256
    )
