"""Photo files of the data folder's media/ directory, sealed under the store's data key.

Every read and write of a photo file goes through here. A file keeps the name `<sha256>.<jpg|png>`,
the SHA-256 of the *plain* image, so the same photo is stored once, bundles address it by that hash
and the photo records stay valid; its content is `MAGIC + nonce + AES-256-GCM(ciphertext)` under a key
derived from the data key (HKDF-SHA256, its own purpose label) with the file name as associated data,
so one sealed file cannot stand in for another. Files from before encryption are plain; `read_photo`
accepts both and `seal_media` converts them (write sealed temporary file, fsync, rename: a file is
always either the old plain one or the complete sealed one, also when the process is killed).
"""

from __future__ import annotations

import re
import secrets
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from inspector_app.fileio import atomic_write_bytes, sync_folder
from inspector_app.storage.db import folder_key
from inspector_app.storage.sealed_files import file_key

MAGIC = b"ifb-sealed-media\x00\x01"
NONCE_BYTES = 12
PURPOSE = b"media files"
PHOTO_NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png)")
LEFTOVER_NAME = re.compile(r"\.[0-9a-f]{64}\.(jpg|png)\..+\.tmp")  # atomic_write_bytes' temporary files
LEFTOVER_AGE_SECONDS = 24 * 3600  # older than any write still under way in another process


class MediaKeyError(ValueError):
    """The photo is sealed and no store of its data folder is unlocked in this process, or it is damaged."""


def _key(media_dir: Path) -> bytes | None:
    data_key = folder_key(media_dir.parent)
    return None if data_key is None else file_key(data_key, PURPOSE)


def is_sealed_media(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal_photo(key: bytes, name: str, plain: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plain, name.encode("utf-8"))


def open_photo(key: bytes, name: str, sealed: bytes) -> bytes:
    body = memoryview(sealed)[len(MAGIC) :]  # no copy of a 2 MB photo before the decryption's own
    try:
        return AESGCM(key).decrypt(bytes(body[:NONCE_BYTES]), body[NONCE_BYTES:], name.encode("utf-8"))
    except (InvalidTag, ValueError) as error:
        raise MediaKeyError(f"photo {name} does not open (damaged or another store's)") from error


def write_photo(path: Path, plain: bytes, *, sync_parent: bool = True) -> None:
    """Store a photo sealed (crash-safe); refused when the data folder's store is not unlocked.
    `sync_parent=False`: the caller syncs the folder once for many photos (`PhotoWrites`)."""
    key = _key(path.parent)
    if key is None:
        raise MediaKeyError(f"no unlocked store for {path.parent}: photo not written")
    atomic_write_bytes(path, seal_photo(key, path.name, plain), sync_parent=sync_parent)


class PhotoWrites:
    """A bundle's photos, sealed and written on a thread of their own while the import applies its
    records, which leaves this thread free for the Python work (sealing, writing and fsync release
    the GIL). `settle` waits for every write and syncs the folder once, before the transaction that
    names the photos commits; `discard` removes them when the bundle does not commit."""

    def __init__(self, media_dir: Path) -> None:
        self._media_dir = media_dir
        self._pool: ThreadPoolExecutor | None = None
        self._writes: list[tuple[Path, Future[None]]] = []

    def add(self, target: Path, plain: bytes) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-photos")
        self._writes.append((target, self._pool.submit(write_photo, target, plain, sync_parent=False)))

    def _wait(self) -> list[BaseException]:
        errors = [error for _target, write in self._writes if (error := write.exception()) is not None]
        if self._pool is not None:
            self._pool.shutdown()
        return errors

    def settle(self) -> None:
        """Every photo written and its name durable; the first write's error is raised."""
        errors = self._wait()
        if errors:
            raise errors[0]
        if self._writes:
            sync_folder(self._media_dir)

    def discard(self) -> None:
        """Wait for the writes, then remove every photo written for the bundle."""
        self._wait()
        for target, _write in self._writes:
            target.unlink(missing_ok=True)


def read_photo(path: Path) -> bytes:
    """The plain image bytes of a stored photo, decrypted in memory (a plain file is returned as is).

    OSError when the file cannot be read, MediaKeyError when it is sealed and does not open here."""
    return read_stored_photo(path)[0]


def read_stored_photo(path: Path) -> tuple[bytes, bool]:
    """`read_photo`, and whether the file was sealed: a sealed photo that opens is exactly what was
    sealed under its name (AES-GCM authenticates the bytes with the name), so its name still says
    which content it holds; a plain file proves nothing."""
    data = path.read_bytes()
    if not is_sealed_media(data):
        return data, False
    key = _key(path.parent)
    if key is None:
        raise MediaKeyError(f"no unlocked store for {path.parent}: photo not readable")
    return open_photo(key, path.name, data), True


def seal_media(media_dir: Path) -> int:
    """Seal the plain photo files written before encryption; returns how many were converted.

    Only the first bytes of a sealed file are read, so an open with thousands of photos stays quick.
    Temporary files left by a killed write are removed once they are a day old."""
    key = _key(media_dir)
    if key is None or not media_dir.is_dir():
        return 0
    converted = 0
    for path in sorted(media_dir.iterdir()):
        if LEFTOVER_NAME.fullmatch(path.name):
            _remove_if_stale(path)
            continue
        if not PHOTO_NAME.fullmatch(path.name) or not path.is_file():
            continue
        with path.open("rb") as handle:
            if is_sealed_media(handle.read(len(MAGIC))):
                continue
        atomic_write_bytes(path, seal_photo(key, path.name, path.read_bytes()))
        converted += 1
    return converted


def _remove_if_stale(path: Path) -> None:
    """A temporary file of a write killed before its rename (ciphertext only): removed once a day old."""
    try:
        if time.time() - path.stat().st_mtime > LEFTOVER_AGE_SECONDS:
            path.unlink()
    except FileNotFoundError:  # the writer renamed or removed it meanwhile
        return
