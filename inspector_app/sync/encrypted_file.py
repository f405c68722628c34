"""An age-encrypted file written with the encryption and the disk on two cores.

pyrage encrypts while holding the GIL; writing to a file and hashing release it. `write_encrypted`
encrypts on the caller's thread (age STREAM, 64 KiB chunks, `pyrage.encrypt_io`) and hands the
ciphertext, gathered into batches of 4 MiB, to a second thread that hashes and writes it, so the disk
works while the next batch is encrypted (the quick sync benchmark's 42 MiB bundle: the file used to be
written only after the whole of it was encrypted). Batches rather than single chunks: each hand-over
costs the writer a wait for the GIL, which pyrage holds while it encrypts; per 64 KiB chunk those
waits made writing the full-size benchmark's 418 MiB bundle take 3.2 s, in batches about 2.0 s.
The file is written crash-safely (`fileio.atomic_write_with`): complete, or absent with nothing left
behind, also when the disk fills up halfway.

Where the system allows it (Linux `O_DIRECT`), whole 4 MiB blocks go to the disk past the page cache
(`_DirectSink`): the export never reads its bundle back, and copying the sync benchmark's 418 MiB
into freshly allocated cache pages cost the writer thread about 1.7 s of CPU on the development
machine (hashing included), against 0.45 s written directly. The last, partial block is written through the cache; a file system that
refuses direct writes (tmpfs, some network file systems) gets every byte through the cache instead.
"""

from __future__ import annotations

import errno
import hashlib
import io
import mmap
import os
import queue
import threading
from pathlib import Path
from typing import BinaryIO, Protocol

import pyrage

from inspector_app.fileio import atomic_write_with


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


# Batches waiting for the writer: bounded, so a slow disk holds back the encryption instead of the
# whole ciphertext piling up in memory (at most 8 batches of 4 MiB queued, one being gathered).
QUEUED_BATCHES = 8
BATCH_BYTES = 4 << 20


class _GuardedReader:
    """`plain`, keeping what its `read` raised: pyrage turns it into an EncryptError naming only its
    text, and the caller's own error (a photo that does not open, with its message) should reach the
    user instead."""

    def __init__(self, plain: Readable) -> None:
        self._plain = plain
        self.error: Exception | None = None

    def read(self, size: int = -1, /) -> bytes:
        try:
            return self._plain.read(size)
        except Exception as error:
            self.error = error
            raise


try:
    import fcntl
except ImportError:  # Windows: no O_DIRECT either
    fcntl = None  # type: ignore[assignment]

_os_write = os.write  # a name of this module's own, so tests can fill the disk under the direct path


def _set_direct(fd: int, on: bool) -> None:
    assert fcntl is not None
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    direct = getattr(os, "O_DIRECT", 0)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | direct if on else flags & ~direct)


class _DirectSink:
    """Writes what it is given in whole `BATCH_BYTES` blocks from one page-aligned buffer straight to
    the disk (`O_DIRECT`: aligned buffer, length and file offset), the tail through the page cache.
    A direct write the file system refuses (EINVAL) or a short one ends the direct path: from then on
    every byte goes through the cache, nothing is lost or written twice."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._direct = True
        self._block = mmap.mmap(-1, BATCH_BYTES)  # anonymous memory is page-aligned
        self._filled = 0

    def write(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            taken = min(len(view), BATCH_BYTES - self._filled)
            self._block[self._filled : self._filled + taken] = view[:taken]
            self._filled += taken
            view = view[taken:]
            if self._filled == BATCH_BYTES:
                self._write_block()

    def _write_block(self) -> None:
        pending = memoryview(self._block)[: self._filled]
        try:
            while pending:
                if self._direct and len(pending) % BATCH_BYTES:
                    self._stop_direct()  # the tail: not a whole block
                try:
                    written = _os_write(self._fd, pending)
                except OSError as error:
                    if not self._direct or error.errno != errno.EINVAL:
                        raise
                    self._stop_direct()  # refused before anything was written: the same bytes again
                    continue
                if self._direct and written != len(pending):
                    self._stop_direct()  # the file offset is no longer aligned
                pending = pending[written:]
        finally:
            pending.release()
        self._filled = 0

    def _stop_direct(self) -> None:
        _set_direct(self._fd, False)
        self._direct = False

    def close(self, write_tail: bool) -> None:
        """Write the last, partial block (through the cache) unless the file is given up, and let
        the buffer go."""
        try:
            if self._filled and write_tail:
                self._write_block()
        finally:
            if self._direct:
                self._stop_direct()
            self._block.close()


def _direct_sink(handle: BinaryIO) -> _DirectSink | None:
    """A direct sink for a plain file at an aligned offset where the system has `O_DIRECT`, else None
    (the handle is written as it is: another kind of file, or a system without it)."""
    if fcntl is None or not hasattr(os, "O_DIRECT") or type(handle) is not io.BufferedWriter:
        return None
    handle.flush()
    fd = handle.fileno()
    if os.lseek(fd, 0, os.SEEK_CUR) % BATCH_BYTES:
        return None
    try:
        _set_direct(fd, True)
    except OSError:
        return None
    return _DirectSink(fd)


class _WriterThread:
    """The file side of `write_encrypted`: a file-like `write` that gathers chunks into batches and
    queues them, a thread that hashes and writes each batch. A write error (a full disk) is kept and
    raised to the encrypting thread at its next write or at `finish`; the thread keeps taking batches
    after it, so the encryption never blocks on it."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._direct = _direct_sink(handle)
        self._batches: queue.Queue[list[bytes] | None] = queue.Queue(maxsize=QUEUED_BATCHES)
        self._digest = hashlib.sha256()
        self._error: OSError | None = None
        # pyrage's chunks as they come, never joined: a batch grown in one buffer and copied out cost
        # the 418 MiB benchmark bundle about 100,000 page faults (fresh pages for every large buffer).
        self._batch: list[bytes] = []
        self._gathered = 0
        self._thread = threading.Thread(target=self._drain, name="write-encrypted", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        write = self._handle.write if self._direct is None else self._direct.write
        while (batch := self._batches.get()) is not None:
            if self._error is None:
                try:
                    for chunk in batch:
                        write(chunk)
                        self._digest.update(chunk)
                except OSError as error:
                    self._error = error
        if self._direct is not None:
            try:
                self._direct.close(write_tail=self._error is None)
            except OSError as error:
                self._error = self._error or error

    def write(self, chunk: bytes | memoryview | bytearray) -> int:
        if self._error is not None:
            raise self._error
        # pyrage hands each chunk over as a bytes object of its own; anything else is copied, since
        # it is kept until written and a view of a reused buffer would change meanwhile.
        kept = chunk if isinstance(chunk, bytes) else bytes(chunk)
        self._batch.append(kept)
        self._gathered += len(kept)
        if self._gathered >= BATCH_BYTES:
            self._hand_over()
        return len(kept)

    def _hand_over(self) -> None:
        self._batches.put(self._batch)
        self._batch, self._gathered = [], 0

    def flush(self) -> None:
        """pyrage may flush its writer; the batches reach the file in order without it."""

    def finish(self) -> str:
        """Queue the last, partial batch and wait for every queued one; the SHA-256 of everything written."""
        if self._batch:
            self._hand_over()
        self._batches.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._digest.hexdigest()


def write_encrypted(path: Path, plain: Readable, recipients: list[str]) -> str:
    """Write what `plain` reads, age-encrypted to every X25519 recipient, at `path` (crash-safe);
    returns the SHA-256 of the file."""
    parsed = [pyrage.x25519.Recipient.from_str(recipient) for recipient in recipients]

    def fill(handle: BinaryIO) -> str:
        reader, writer = _GuardedReader(plain), _WriterThread(handle)
        try:
            pyrage.encrypt_io(reader, writer, parsed)
        except pyrage.EncryptError:
            if reader.error is not None:  # pyrage wraps what the reader raised: the original says more
                raise reader.error from None
            raise
        finally:
            digest = writer.finish()  # the thread always ends; its write error (a full disk) wins
        return digest

    return atomic_write_with(path, fill)
