"""The office's first contact with a bundle: only regular files are read, only well-formed ids pass.

A bundle file comes from a USB stick anyone may have prepared. It is opened without following a
symlink and without waiting on a FIFO, and read only when `fstat` says it is a regular file of at most
the cap (folders are expanded by the service, never opened here). The manifest's ids are checked
against their exact pattern before they reach a query, media are checked to be the images they claim
to be within the pixel cap, and what the store itself refuses (a CHECK, an encoding) becomes a
rejection like any other instead of an unexpected error.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image, UnidentifiedImageError

from inspector_app.errors import AppError
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.store import load_form
from inspector_app.i18n import _
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.identifiers import is_uuid
from inspector_app.sync.limits import MAX_PHOTO_PIXELS

_CHUNK = 1024 * 1024


def _not_a_file(path: Path) -> BundleRejectedError:
    return BundleRejectedError(
        "not_a_file",
        _(
            "{name} is geen gewoon bestand (een koppeling, map, apparaat of pijp) en is niet gelezen.",
            name=path.name,
        ),
    )


def _open_regular(path: Path) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file (not followed through a link, never blocking on a pipe)."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise _not_a_file(path)
        descriptor = os.open(path, flags)
    except BundleRejectedError:
        raise
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _not_a_file(path) from error
        raise BundleRejectedError(
            "unreadable", _("Het bestand kan niet worden gelezen: {error}", error=error)
        ) from error
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise _not_a_file(path)
    return descriptor, info


def read_regular_file(path: Path, cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes; anything else is refused before reading."""
    descriptor, info = _open_regular(path)
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        if info.st_size > cap:
            raise BundleRejectedError("too_large", _("Het bundelbestand is groter dan toegestaan."))
        chunks: list[bytes] = []
        count = 0
        while chunk := handle.read(min(_CHUNK, cap + 1 - count)):
            count += len(chunk)
            if count > cap:
                raise BundleRejectedError("too_large", _("Het bundelbestand is groter dan toegestaan."))
            chunks.append(chunk)
    return b"".join(chunks)


@contextmanager
def regular_file(path: Path, cap: int) -> Iterator[BinaryIO]:
    """A regular file of at most `cap` bytes (by `fstat`), open for streaming; anything else refused unread.

    The caller reads it in chunks (hash, then decrypt): memory does not grow with the file's size.
    """
    descriptor, info = _open_regular(path)
    with os.fdopen(descriptor, "rb") as handle:
        if info.st_size > cap:
            raise BundleRejectedError("too_large", _("Het bundelbestand is groter dan toegestaan."))
        yield handle


def stream_sha256(handle: BinaryIO) -> str:
    """SHA-256 of a stream from its start, in chunks; the stream is left at its start again."""
    handle.seek(0)
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def changed_while_read(path: Path) -> BundleRejectedError:
    """The bytes decrypted are not the bytes hashed first: the file changed on the stick meanwhile."""
    return BundleRejectedError(
        "damaged", _("{name} veranderde terwijl het werd gelezen; er is niets ingelezen.", name=path.name)
    )


def header_of(path: Path, keep: int) -> tuple[int, str, bytes]:
    """(size, SHA-256, first `keep` bytes) of a regular file, hashed in chunks: memory stays `keep`."""
    descriptor, info = _open_regular(path)
    digest = hashlib.sha256()
    head = b""
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        while chunk := handle.read(_CHUNK):
            if len(head) < keep:
                head += chunk[: keep - len(head)]
            digest.update(chunk)
    return info.st_size, digest.hexdigest(), head


def check_manifest_ids(manifest: dict[str, Any]) -> None:
    """bundle_id and device_id are lower-case UUIDs and seq counts from 1, before any of them is used."""
    for name in ("bundle_id", "device_id"):
        if not is_uuid(manifest[name]):
            raise BundleRejectedError(
                "bad_identifier",
                _(
                    "Het manifest heeft een ongeldig {field}: {value}",
                    field=name,
                    value=str(manifest[name])[:40],
                ),
            )
    if manifest["seq"] < 1:
        raise BundleRejectedError(
            "bad_manifest", _("Het manifest heeft een ongeldig volgnummer: {seq}", seq=manifest["seq"])
        )


def check_images(media: dict[str, bytes]) -> None:
    """Each photo is the image type its name says, within the pixel cap (read from its header only)."""
    for name, content in sorted(media.items()):
        expected = "PNG" if name.endswith(".png") else "JPEG"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(content)) as image:  # lazy: the header, not the pixels
                    found, (width, height) = image.format, image.size
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            ValueError,
            SyntaxError,
        ) as error:
            raise BundleRejectedError(
                "bad_media", _("Foto {name} is geen leesbare afbeelding.", name=name[:16])
            ) from error
        if found != expected:
            raise BundleRejectedError(
                "bad_media", _("Foto {name} is geen {kind}-afbeelding.", name=name[:16], kind=expected)
            )
        if width * height > MAX_PHOTO_PIXELS:
            raise BundleRejectedError(
                "bad_media",
                _("Foto {name} is groter dan {cap} pixels.", name=name[:16], cap=MAX_PHOTO_PIXELS),
            )


def known_form(data_dir: Path, form_id: str, version: int) -> FormDefinition | None:
    """The checklist version a visit names, if this office has it (shipped, installed or archived)."""
    try:
        return load_form(form_id, version, data_dir)
    except (AppError, ValueError, OSError):
        return None


def rejection_of(error: Exception) -> tuple[str, str]:
    """(code, message) for a refused bundle, also when the store refused a row."""
    if isinstance(error, BundleRejectedError):
        return error.code, error.message
    return "store_refused", _(
        "De database weigerde een record uit de bundel ({error}); er is niets opgeslagen.",
        error=type(error).__name__,
    )
