"""The signed, encrypted archive both bundle kinds share: sealing it, and the one pipeline that opens it.

A field bundle (`.ifb`, laptop -> office) and a reference bundle (`.ifr`, office -> laptop) are the
same envelope (docs/bundle-format.md): a ZIP holding `manifest.json`, its Ed25519 signature
`manifest.sig` and the entries the manifest lists with size and SHA-256, encrypted with age.
`open_signed_archive` owns the whole hard sequence, so a check added here protects both kinds; the
callers pass only what differs (who may sign, which names and manifest fields their kind allows).

Opening streams: the file is read in the age STREAM's 64 KiB chunks through a counter capped at
MAX_BUNDLE, and decrypted chunk by chunk into a spool capped at MAX_PLAINTEXT that stays in memory up to
SPOOL_IN_MEMORY and beyond that lives in an anonymous temporary file (unlinked at creation, in the folder
the caller names, so a large bundle costs disk, not memory). Nothing is extracted: the ZIP reader reads
the spool, every member through a byte counter, and only names the format allows and the signed
manifest lists are accepted.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import pyrage

from inspector_app.i18n import _
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.limits import MAX_AGE_HEADER, check_age_header
from inspector_app.sync.records import strict_json
from inspector_app.sync.zip_stream import zip_member, zip_pieces

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

AGE_MAGIC = b"age-encryption.org/v1\n"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_BUNDLE = 1024**3
MAX_PLAINTEXT = 1024**3 + 1024**2
MAX_ENTRIES = 20_000
MAX_MANIFEST = 1024**2
MAX_SIGNATURE = 64
MAX_RECORDS_FILE = 256 * 1024**2
MAX_MEDIA = 25 * 1024**2
MAX_TOTAL = 2 * 1024**3
MAX_RATIO = 100
MAX_HEADER = 4096
SPOOL_IN_MEMORY = 16 * 1024**2  # plaintext beyond this spills to an unlinked temporary file

Verify = Callable[[bytes, bytes], str]
"""(manifest bytes, signature) -> the signer's id; raises BundleRejectedError for a signer not trusted."""


# ------------------------------------------------------------------------------------ sealing


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A deterministic ZIP (fixed times and modes): the same content gives the same bytes."""
    return b"".join(zip_pieces(zip_member(name, data) for name, data in members))


def encrypt(plain: bytes, recipients: list[str]) -> bytes:
    """age v1 to every X25519 recipient."""
    sealed: bytes = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(r) for r in recipients])
    return sealed


# ------------------------------------------------------------------------------------ outer facts


@dataclass(frozen=True)
class EnvelopeFacts:
    """What anyone can see of a bundle without a key: the age version line and the recipient stanzas."""

    envelope: str
    recipient_stanzas: list[str]


def envelope_facts(data: bytes) -> EnvelopeFacts:
    """Read the plaintext age header (first line, one `-> TYPE ...` line per recipient); nothing is decrypted."""
    header = data[:MAX_HEADER].split(b"\n---", 1)[0].decode("ascii", "replace").splitlines()
    stanzas = [line.split()[1] for line in header if line.startswith("-> ") and len(line.split()) > 1]
    return EnvelopeFacts(header[0] if header else "", stanzas)


# ------------------------------------------------------------------------------------ opening


class _CappedSpool(tempfile.SpooledTemporaryFile[bytes]):
    """The plaintext, refusing to grow past `cap`: in memory while small, then an unlinked temporary file.

    A whole file object rather than one with only `write`: pyrage 1.4 calls nothing else, but any
    file method a later version calls then exists instead of failing as an AttributeError.
    """

    def __init__(self, cap: int, folder: Path | None) -> None:
        super().__init__(max_size=SPOOL_IN_MEMORY, dir=None if folder is None else str(folder))
        self.cap = cap
        self.count = 0

    def write(self, data: ReadableBuffer, /) -> int:
        self.count += memoryview(data).nbytes
        if self.count > self.cap:
            raise OverflowError("plaintext too large")
        return super().write(data)


class _CountedReader(io.RawIOBase):
    """The ciphertext as pyrage reads it: counted against `cap` and hashed, so the caller learns the
    SHA-256 of exactly the bytes decrypted. Past the cap (a file that grew after its size was checked)
    it ends the stream and sets `over`: pyrage turns an exception of a reader into its own errors."""

    def __init__(self, source: BinaryIO, cap: int) -> None:
        super().__init__()
        self.source = source
        self.cap = cap
        self.count = 0
        self.over = False
        self.digest = hashlib.sha256()

    def readinto(self, buffer: ReadableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        chunk = self.source.read(min(len(view), self.cap + 1 - self.count))
        self.count += len(chunk)
        if self.count > self.cap:
            self.over = True
            return 0
        view[: len(chunk)] = chunk
        self.digest.update(chunk)
        return len(chunk)


def _not_for_this_office() -> BundleRejectedError:
    return BundleRejectedError(
        "not_for_this_office", _("De bundel is niet voor dit kantoor versleuteld (of de kop is beschadigd).")
    )


def decrypt(
    source: BinaryIO,
    identities: list[pyrage.x25519.Identity],
    not_for_us: Callable[[], BundleRejectedError] = _not_for_this_office,
    spool_dir: Path | None = None,
) -> tuple[IO[bytes], str]:
    """Decrypt a seekable stream chunk by chunk: (the plaintext spool at its start, SHA-256 of the file).

    The header is judged on its first bytes before any key is tried. pyrage raises its own
    `DecryptError` while it reads the header (no stanza opens with our identities, or the header or
    its MAC is damaged): `not_for_us`. A damaged or cut-off payload fails later, as an I/O error of
    the stream: `damaged`. Input that is not age at all is `damaged`.
    """
    head = source.read(MAX_AGE_HEADER + 1)
    if not head.startswith(AGE_MAGIC):
        raise BundleRejectedError("damaged", _("Dit bestand is geen versleutelde bundel (geen age-kop)."))
    check_age_header(head)  # bounded work before any key is tried
    source.seek(0)
    reader = _CountedReader(source, MAX_BUNDLE)
    spool = _CappedSpool(MAX_PLAINTEXT, spool_dir)
    failure: Exception | None = None
    try:
        pyrage.decrypt_io(reader, spool, identities)
    except (OverflowError, pyrage.DecryptError, OSError) as error:
        failure = error
    if failure is not None or reader.over:
        spool.close()
        raise _refusal(failure, reader.over, not_for_us) from failure
    spool.seek(0)
    return spool, reader.digest.hexdigest()


def _refusal(
    failure: Exception | None, over: bool, not_for_us: Callable[[], BundleRejectedError]
) -> BundleRejectedError:
    if over:
        return BundleRejectedError("too_large", _("Het bundelbestand is groter dan toegestaan."))
    if isinstance(failure, OverflowError):
        return BundleRejectedError("too_large", _("De bundel is na ontsleutelen te groot."))
    if isinstance(failure, pyrage.DecryptError):
        return not_for_us()
    return BundleRejectedError(
        "damaged",
        _("De bundel is beschadigd of onvolledig (ontsleutelen mislukt: {error}).", error=failure),
    )


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
                raise BundleRejectedError(
                    "too_large", _("Onderdeel {name} is groter dan toegestaan.", name=info.filename)
                )
            chunks.append(chunk)
    return b"".join(chunks)


def member_cap(name: str) -> int:
    """The largest a member of this name may be once uncompressed (either bundle kind)."""
    if name == MANIFEST:
        return MAX_MANIFEST
    if name == SIGNATURE:
        return MAX_SIGNATURE
    return MAX_MEDIA if name.startswith("media/") else MAX_RECORDS_FILE


def _unsafe(name: str) -> bool:
    return (
        "\\" in name
        or "\x00" in name
        or ":" in name
        or name.startswith("/")
        or ".." in name.split("/")
        or len(name.encode("utf-8")) > 128
    )


def check_zip(archive: zipfile.ZipFile, names: re.Pattern[str]) -> dict[str, zipfile.ZipInfo]:
    """Structure checks on the central directory; nothing is decompressed yet."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BundleRejectedError("too_many_entries", _("De bundel heeft te veel onderdelen."))
    members: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    offsets: list[tuple[int, int]] = []
    total = 0
    for info in infos:
        name = info.filename
        shown = name[:80]
        if _unsafe(name):
            raise BundleRejectedError("unsafe_name", _("Onveilige naam in de bundel: {name}", name=shown))
        kind = (info.external_attr >> 16) & 0o170000
        if info.is_dir() or kind not in (0, stat.S_IFREG):
            raise BundleRejectedError(
                "not_a_file", _("Onderdeel {name} is geen gewoon bestand (map of link).", name=shown)
            )
        if info.flag_bits & 0x1:
            raise BundleRejectedError(
                "encrypted_member", _("Onderdeel {name} is apart versleuteld.", name=shown)
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleRejectedError(
                "compression", _("Onderdeel {name} gebruikt een onbekende compressie.", name=shown)
            )
        if name not in (MANIFEST, SIGNATURE) and not names.fullmatch(name):
            raise BundleRejectedError(
                "unexpected_name", _("Onverwachte naam in de bundel: {name}", name=shown)
            )
        key = unicodedata.normalize("NFC", name).casefold()
        if key in folded:
            raise BundleRejectedError(
                "duplicate_entry", _("Onderdeel {name} staat dubbel in de bundel.", name=shown)
            )
        folded.add(key)
        if info.file_size > member_cap(name):
            raise BundleRejectedError(
                "too_large", _("Onderdeel {name} is groter dan toegestaan.", name=shown)
            )
        if info.file_size > 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BundleRejectedError(
                "zip_bomb", _("Onderdeel {name} is verdacht sterk gecomprimeerd.", name=shown)
            )
        total += info.file_size
        offsets.append((info.header_offset, info.compress_size))
        members[name] = info
    if total > MAX_TOTAL:
        raise BundleRejectedError("too_large", _("De bundel is uitgepakt groter dan toegestaan."))
    offsets.sort()
    _no_padding(archive, offsets)
    for (first, size), (second, _size) in itertools.pairwise(offsets):
        if second < first + size:
            raise BundleRejectedError(
                "zip_bomb", _("Onderdelen van de bundel overlappen (mogelijke zipbom).")
            )
    return members


# A member's local header (30 bytes), its name (at most 128), a zip64 extra field and a data descriptor.
MEMBER_OVERHEAD = 256


def _no_padding(archive: zipfile.ZipFile, offsets: list[tuple[int, int]]) -> None:
    """Every byte of the archive belongs to a member or to the central directory: no data before the
    first member, none between members beyond their headers, no archive comment. Padding is work
    (disk, decryption) that no signature covers."""
    first = offsets[0][0] if offsets else 0
    members = sum(size for _offset, size in offsets)
    if first != 0 or archive.comment or archive.start_dir > members + MEMBER_OVERHEAD * len(offsets):
        raise BundleRejectedError(
            "unexpected_data", _("De bundel bevat gegevens buiten zijn onderdelen (opvulling).")
        )


def _bad_manifest() -> BundleRejectedError:
    return BundleRejectedError("bad_manifest", _("Het manifest van de bundel is ongeldig."))


def check_manifest_shape(
    manifest: Any,
    kind: str,
    known_version: int,
    fields: Mapping[str, type],
    entry_fields: Mapping[str, type],
    optional: Mapping[str, type] | None = None,
) -> dict[str, Any]:
    """Strict shape of a manifest (exactly these fields, plus any of `optional`, and their types);
    a newer format says so. An optional field is one a newer app adds within the same format version."""
    if not isinstance(manifest, dict) or manifest.get("format") != kind:
        raise _bad_manifest()
    version = manifest.get("format_version")
    if isinstance(version, int) and version > known_version:
        raise BundleRejectedError(
            "format_too_new",
            _(
                "De bundel heeft formaatversie {found}; deze app kent tot {known}. Werk de app bij.",
                found=version,
                known=known_version,
            ),
        )
    allowed = {**fields, **(optional or {})}
    if not set(fields) <= set(manifest) <= set(allowed) or version != known_version:
        raise _bad_manifest()
    for name, value in manifest.items():
        if not isinstance(value, allowed[name]) or isinstance(value, bool):
            raise _bad_manifest()
    for entry in manifest["entries"]:
        if not isinstance(entry, dict) or set(entry) != set(entry_fields):
            raise _bad_manifest()
        if not all(
            isinstance(entry[k], t) and not isinstance(entry[k], bool) for k, t in entry_fields.items()
        ):
            raise _bad_manifest()
    if not all(isinstance(r, str) for r in manifest["recipients"]):
        raise _bad_manifest()
    return manifest


@dataclass(frozen=True)
class ManifestSpec:
    """What one bundle kind's manifest must be; `open_signed_archive` checks the rest alike for both."""

    kind: str  # the manifest's "format"
    version: int  # the newest format_version this app reads
    fields: Mapping[str, type]
    entry_fields: Mapping[str, type]
    schema_version: int  # the newest database schema this app reads
    accept: Callable[[dict[str, Any], str], None]  # the kind's own checks: signer, recipients, counts
    entry_cap: Callable[[str], int] = member_cap
    not_for_us: Callable[[], BundleRejectedError] = _not_for_this_office
    optional_fields: Mapping[str, type] | None = None  # fields a manifest may carry besides `fields`


@dataclass(frozen=True)
class VerifiedArchive:
    """An archive whose signature, manifest and every entry's size and hash were checked."""

    manifest: dict[str, Any]
    manifest_bytes: bytes
    entries: dict[str, bytes]  # path -> content, exactly the manifest's entries
    signer: str  # what `verify` returned
    file_sha256: str  # SHA-256 of exactly the encrypted bytes that were decrypted


def open_signed_archive(
    data: bytes | BinaryIO,
    identities: list[pyrage.x25519.Identity],
    verify: Verify,
    names: re.Pattern[str],
    manifest_spec: ManifestSpec,
    spool_dir: Path | None = None,
) -> VerifiedArchive:
    """Size cap, decrypt, ZIP structure, signature, manifest shape and the kind's checks, schema, entries.

    `data` is the file's bytes or a seekable binary stream of it (read in chunks, never whole).
    Raises BundleRejectedError with a stable code at the first failure; nothing is written anywhere
    but the anonymous spool, which is gone when this returns.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BUNDLE:
            raise BundleRejectedError("too_large", _("Het bundelbestand is groter dan toegestaan."))
        data = io.BytesIO(data)
    plain, file_sha256 = decrypt(data, identities, manifest_spec.not_for_us, spool_dir)
    with plain:
        verified = _open_plain(plain, verify, names, manifest_spec)
    return VerifiedArchive(*verified, file_sha256)


def _open_plain(
    plain: IO[bytes], verify: Verify, names: re.Pattern[str], manifest_spec: ManifestSpec
) -> tuple[dict[str, Any], bytes, dict[str, bytes], str]:
    try:
        archive = zipfile.ZipFile(plain)
        members = check_zip(archive, names)
        if MANIFEST not in members or SIGNATURE not in members:
            raise BundleRejectedError(
                "missing_entry", _("Het manifest of de handtekening ontbreekt in de bundel.")
            )
        manifest_bytes = _read_member(archive, members[MANIFEST], MAX_MANIFEST)
        signature = _read_member(archive, members[SIGNATURE], MAX_SIGNATURE)
        signer = verify(manifest_bytes, signature)
        try:
            parsed = strict_json(manifest_bytes)
        except ValueError as error:
            raise _bad_manifest() from error
        spec = manifest_spec
        manifest = check_manifest_shape(
            parsed, spec.kind, spec.version, spec.fields, spec.entry_fields, spec.optional_fields
        )
        spec.accept(manifest, signer)
        if manifest["schema_version"] > spec.schema_version:
            raise BundleRejectedError(
                "schema_too_new",
                _(
                    "De bundel komt van een nieuwere app-versie (schema {found}). Werk de app bij.",
                    found=manifest["schema_version"],
                ),
            )
        entries = _verified_entries(archive, members, manifest, spec.entry_cap)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        raise BundleRejectedError(
            "damaged", _("De inhoud van de bundel is geen geldig archief ({error}).", error=error)
        ) from error
    return manifest, manifest_bytes, entries, signer


def _verified_entries(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    manifest: dict[str, Any],
    entry_cap: Callable[[str], int],
) -> dict[str, bytes]:
    """Exactly the listed entries are present, each of the listed size and SHA-256 (the one hash check)."""
    listed = {entry["path"]: entry for entry in manifest["entries"]}
    if len(listed) != len(manifest["entries"]):
        raise BundleRejectedError("duplicate_entry", _("Het manifest noemt een onderdeel dubbel."))
    present = set(members) - {MANIFEST, SIGNATURE}
    extra, missing = sorted(present - set(listed)), sorted(set(listed) - present)
    if extra:
        raise BundleRejectedError(
            "extra_entry",
            _("De bundel bevat een onderdeel dat niet in het manifest staat: {name}", name=extra[0][:80]),
        )
    if missing:
        raise BundleRejectedError(
            "missing_entry",
            _("Onderdeel {name} uit het manifest ontbreekt in de bundel.", name=missing[0][:80]),
        )
    entries: dict[str, bytes] = {}
    for path, entry in sorted(listed.items()):
        if entry["size"] != members[path].file_size or entry["size"] > entry_cap(path):
            raise BundleRejectedError(
                "hash_mismatch", _("Onderdeel {name} heeft niet de grootte uit het manifest.", name=path)
            )
        content = _read_member(archive, members[path], entry["size"])
        if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise BundleRejectedError(
                "hash_mismatch", _("Onderdeel {name} klopt niet met het manifest.", name=path)
            )
        entries[path] = content
    return entries
