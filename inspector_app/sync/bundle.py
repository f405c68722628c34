"""The `.ifb` bundle: a ZIP with a signed manifest, encrypted with age; writing and safe opening.

See docs/bundle-format.md. Opening never extracts to disk: the decrypted ZIP is held in memory
(bounded by the caps below), every member is read through a byte counter, and only names the format
allows and the signed manifest lists are accepted.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.keys import recipient_fingerprint, unb64
from inspector_app.sync.records import strict_json

FORMAT = "ifb"
FORMAT_VERSION = 1
SUFFIX = ".ifb"
MAX_BUNDLE = 1024**3
MAX_PLAINTEXT = 1024**3 + 1024**2
MAX_ENTRIES = 20_000
MAX_MANIFEST = 1024**2
MAX_RECORDS_FILE = 256 * 1024**2
MAX_MEDIA = 25 * 1024**2
MAX_TOTAL = 2 * 1024**3
MAX_RATIO = 100
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
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


def reject(code: str, message: str) -> BundleRejectedError:
    return BundleRejectedError(code, message)


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


def build_manifest(
    content: BundleContent, device_key_fpr: str, recipients: list[str]
) -> tuple[bytes, dict[str, bytes | Path]]:
    entries: list[dict[str, Any]] = []
    payload: dict[str, bytes | Path] = {}
    for path, (data, count) in sorted(content.records.items()):
        entries.append(
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "count": count}
        )
        payload[path] = data
    for path, source in sorted(content.media.items()):
        data = source.read_bytes()
        entries.append(
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "count": 1}
        )
        payload[path] = source
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
    return canonical_json(manifest).encode("utf-8"), payload


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            compress = (
                zipfile.ZIP_STORED if name.startswith("media/") or len(data) < 64 else zipfile.ZIP_DEFLATED
            )
            info.compress_type = compress
            archive.writestr(info, data)
    return buffer.getvalue()


def seal(
    manifest: bytes,
    payload: dict[str, bytes | Path],
    signing_key: Ed25519PrivateKey,
    recipients: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Sign the manifest, zip everything and encrypt it to every recipient (age, X25519)."""
    members = [(MANIFEST, manifest), (SIGNATURE, signing_key.sign(manifest))]
    total = len(payload)
    for index, (path, item) in enumerate(sorted(payload.items()), start=1):
        members.append((path, item if isinstance(item, bytes) else item.read_bytes()))
        if progress:
            progress(index, total)
    plain = zip_bytes(members)
    return encrypt(plain, recipients)


def encrypt(plain: bytes, recipients: list[str]) -> bytes:
    sealed: bytes = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(r) for r in recipients])
    return sealed


def write_bundle_file(folder_or_file: Path, bundle_id: str, data: bytes) -> Path:
    """Crash-safe: temp file in the target folder, fsync, atomic rename, fsync of the folder."""
    target = folder_or_file / f"{bundle_id}{SUFFIX}" if folder_or_file.is_dir() else folder_or_file
    atomic_write_bytes(target, data)
    return target


# ------------------------------------------------------------------------------------ opening


class _CappedWriter:
    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.buffer = io.BytesIO()
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        if self.count > self.cap:
            raise OverflowError("plaintext too large")
        return self.buffer.write(data)

    def flush(self) -> None:
        return None


def decrypt(data: bytes, identities: list[pyrage.x25519.Identity]) -> bytes:
    writer = _CappedWriter(MAX_PLAINTEXT)
    try:
        pyrage.decrypt_io(io.BytesIO(data), writer, identities)
    except OverflowError as error:
        raise reject("too_large", _("De bundel is na ontsleutelen te groot.")) from error
    except Exception as error:
        if "No matching keys" in str(error):
            raise reject(
                "not_for_this_office",
                _("De bundel is niet voor dit kantoor versleuteld (of de kop is beschadigd)."),
            ) from error
        raise reject(
            "damaged",
            _("De bundel is beschadigd of onvolledig (ontsleutelen mislukt: {error}).", error=error),
        ) from error
    return writer.buffer.getvalue()


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    chunks: list[bytes] = []
    count = 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(min(65536, cap + 1 - count))
            if not chunk:
                break
            count += len(chunk)
            if count > cap:
                raise reject("too_large", _("Onderdeel {name} is groter dan toegestaan.", name=info.filename))
            chunks.append(chunk)
    return b"".join(chunks)


def _member_cap(name: str) -> int:
    if name == MANIFEST:
        return MAX_MANIFEST
    if name == SIGNATURE:
        return 64
    return MAX_MEDIA if name.startswith("media/") else MAX_RECORDS_FILE


def check_zip(
    archive: zipfile.ZipFile, pattern: re.Pattern[str] = NAME_PATTERN
) -> dict[str, zipfile.ZipInfo]:
    """Structure checks on the central directory; nothing is decompressed yet."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise reject("too_many_entries", _("De bundel heeft te veel onderdelen."))
    members: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    offsets: list[tuple[int, int]] = []
    total = 0
    for info in infos:
        name = info.filename
        if (
            "\\" in name
            or "\x00" in name
            or ":" in name
            or name.startswith("/")
            or ".." in name.split("/")
            or len(name.encode("utf-8")) > 128
        ):
            raise reject("unsafe_name", _("Onveilige naam in de bundel: {name}", name=name[:80]))
        kind = (info.external_attr >> 16) & 0o170000
        if info.is_dir() or kind not in (0, stat.S_IFREG):
            raise reject(
                "not_a_file", _("Onderdeel {name} is geen gewoon bestand (map of link).", name=name[:80])
            )
        if info.flag_bits & 0x1:
            raise reject("encrypted_member", _("Onderdeel {name} is apart versleuteld.", name=name[:80]))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise reject(
                "compression", _("Onderdeel {name} gebruikt een onbekende compressie.", name=name[:80])
            )
        if name not in (MANIFEST, SIGNATURE) and not pattern.fullmatch(name):
            raise reject("unexpected_name", _("Onverwachte naam in de bundel: {name}", name=name[:80]))
        key = unicodedata.normalize("NFC", name).casefold()
        if key in folded:
            raise reject("duplicate_entry", _("Onderdeel {name} staat dubbel in de bundel.", name=name[:80]))
        folded.add(key)
        if info.file_size > _member_cap(name):
            raise reject("too_large", _("Onderdeel {name} is groter dan toegestaan.", name=name[:80]))
        if info.file_size > 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise reject("zip_bomb", _("Onderdeel {name} is verdacht sterk gecomprimeerd.", name=name[:80]))
        total += info.file_size
        offsets.append((info.header_offset, info.compress_size))
        members[name] = info
    if total > MAX_TOTAL:
        raise reject("too_large", _("De bundel is uitgepakt groter dan toegestaan."))
    offsets.sort()
    for (first, size), (second, _size) in itertools.pairwise(offsets):
        if second < first + size:
            raise reject("zip_bomb", _("Onderdelen van de bundel overlappen (mogelijke zipbom)."))
    return members


@dataclass
class OpenedBundle:
    manifest: dict[str, Any]
    manifest_bytes: bytes
    entries: dict[str, bytes]
    device_id: str


def check_manifest_shape(
    manifest: Any,
    kind: str = FORMAT,
    known_version: int = FORMAT_VERSION,
    fields: dict[str, type] | None = None,
    entry_fields: dict[str, type] | None = None,
) -> dict[str, Any]:
    """Strict shape of a manifest (field bundle or reference bundle); a newer format says so."""
    fields = MANIFEST_FIELDS if fields is None else fields
    entry_fields = ENTRY_FIELDS if entry_fields is None else entry_fields
    bad = reject("bad_manifest", _("Het manifest van de bundel is ongeldig."))
    if not isinstance(manifest, dict) or manifest.get("format") != kind:
        raise bad
    version = manifest.get("format_version")
    if isinstance(version, int) and version > known_version:
        raise reject(
            "format_too_new",
            _(
                "De bundel heeft formaatversie {found}; deze app kent tot {known}. Werk de app bij.",
                found=version,
                known=known_version,
            ),
        )
    if set(manifest) != set(fields) or version != known_version:
        raise bad
    for name, expected in fields.items():
        if not isinstance(manifest[name], expected) or isinstance(manifest[name], bool):
            raise bad
    for entry in manifest["entries"]:
        if not isinstance(entry, dict) or set(entry) != set(entry_fields):
            raise bad
        if not all(
            isinstance(entry[k], t) and not isinstance(entry[k], bool) for k, t in entry_fields.items()
        ):
            raise bad
    if not all(isinstance(r, str) for r in manifest["recipients"]):
        raise bad
    return manifest


def open_bundle(
    data: bytes,
    identities: list[pyrage.x25519.Identity],
    office_recipient: str,
    device_keys: dict[str, tuple[str, bool]],
    schema_version: int,
) -> OpenedBundle:
    """Decrypt and verify everything; `device_keys` maps device_id -> (public key, revoked)."""
    if len(data) > MAX_BUNDLE:
        raise reject("too_large", _("Het bundelbestand is groter dan toegestaan."))
    plain = decrypt(data, identities)
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
        members = check_zip(archive)
        if MANIFEST not in members or SIGNATURE not in members:
            raise reject("missing_entry", _("Het manifest of de handtekening ontbreekt in de bundel."))
        manifest_bytes = _read_member(archive, members[MANIFEST], MAX_MANIFEST)
        signature = _read_member(archive, members[SIGNATURE], 64)
        signer = None
        for device_id, (public_key, revoked) in sorted(device_keys.items()):
            try:
                Ed25519PublicKey.from_public_bytes(unb64(public_key)).verify(signature, manifest_bytes)
            except (InvalidSignature, ValueError):
                continue
            if revoked:
                raise reject(
                    "device_revoked",
                    _("De bundel is ondertekend door een ingetrokken apparaat ({device}).", device=device_id),
                )
            signer = device_id
            break
        if signer is None:
            raise reject(
                "unknown_device",
                _("De bundel is niet ondertekend door een geregistreerd apparaat van dit kantoor."),
            )
        try:
            manifest = check_manifest_shape(strict_json(manifest_bytes))
        except ValueError as error:
            raise reject("bad_manifest", _("Het manifest van de bundel is ongeldig.")) from error
        if manifest["device_id"] != signer:
            raise reject("bad_manifest", _("Het manifest noemt een ander apparaat dan de ondertekenaar."))
        if recipient_fingerprint(office_recipient) not in manifest["recipients"]:
            raise reject("wrong_office", _("De bundel is bestemd voor een ander kantoor."))
        if manifest["schema_version"] > schema_version:
            raise reject(
                "schema_too_new",
                _(
                    "De bundel komt van een nieuwere app-versie (schema {found}). Werk de app bij.",
                    found=manifest["schema_version"],
                ),
            )
        listed = {entry["path"]: entry for entry in manifest["entries"]}
        if len(listed) != len(manifest["entries"]):
            raise reject("duplicate_entry", _("Het manifest noemt een onderdeel dubbel."))
        present = set(members) - {MANIFEST, SIGNATURE}
        extra = sorted(present - set(listed))
        if extra:
            raise reject(
                "extra_entry",
                _("De bundel bevat een onderdeel dat niet in het manifest staat: {name}", name=extra[0][:80]),
            )
        missing = sorted(set(listed) - present)
        if missing:
            raise reject(
                "missing_entry",
                _("Onderdeel {name} uit het manifest ontbreekt in de bundel.", name=missing[0][:80]),
            )
        entries: dict[str, bytes] = {}
        for path, entry in sorted(listed.items()):
            if entry["size"] != members[path].file_size:
                raise reject(
                    "hash_mismatch", _("Onderdeel {name} heeft niet de grootte uit het manifest.", name=path)
                )
            content = _read_member(archive, members[path], min(entry["size"], _member_cap(path)))
            if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise reject("hash_mismatch", _("Onderdeel {name} klopt niet met het manifest.", name=path))
            entries[path] = content
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        raise reject(
            "damaged", _("De inhoud van de bundel is geen geldig archief ({error}).", error=error)
        ) from error
    return OpenedBundle(manifest, manifest_bytes, entries, signer)
