"""The encrypted bundle file is written on two threads: what lands on disk is exactly the age
encryption of the archive, its hash is the file's, and a disk that fails halfway leaves nothing."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from pathlib import Path
from typing import BinaryIO

import pyrage
import pytest

from inspector_app import fileio
from inspector_app.errors import InvalidInputError
from inspector_app.sync import encrypted_file
from inspector_app.sync.encrypted_file import write_encrypted


def test_the_file_decrypts_to_the_plaintext_and_its_hash_is_returned(tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    plain = os.urandom(3 * 1024**2 + 17)  # many age chunks, the last one short
    target = tmp_path / "bundle.ifb"
    digest = write_encrypted(target, io.BytesIO(plain), [str(identity.to_public())])
    data = target.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest()
    assert pyrage.decrypt(data, [identity]) == plain
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.ifb"]  # no temporary file left


@pytest.mark.parametrize("batch", [65_536 + 16, 100_000, 1 << 30])
def test_batches_of_any_size_give_the_same_file_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """The ciphertext reaches the writer in batches (one age chunk, several with a partial last one,
    all in one): the file is the complete encryption every time, in order, and the hash is the file's."""
    monkeypatch.setattr(encrypted_file, "BATCH_BYTES", batch)
    identity = pyrage.x25519.Identity.generate()
    plain = os.urandom(1024**2 + 5)
    target = tmp_path / "bundle.ifb"
    digest = write_encrypted(target, io.BytesIO(plain), [str(identity.to_public())])
    data = target.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest()
    assert pyrage.decrypt(data, [identity]) == plain


class FullDisk:
    """A file that takes `room` bytes and then fails like a full disk."""

    def __init__(self, handle: BinaryIO, room: int) -> None:
        self.handle, self.room = handle, room

    def write(self, chunk: bytes) -> int:
        if self.room < len(chunk):
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(chunk)
        return self.handle.write(chunk)

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


@pytest.mark.parametrize("room", [0, 200_000, 5 * 1024**2])
def test_a_disk_that_fills_up_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    """The disk fills before the first batch, within it, or after a whole batch has been written."""
    target = tmp_path / "bundle.ifb"
    target.write_bytes(b"the earlier bundle")
    original = fileio.atomic_write_with

    def with_full_disk(path: Path, fill):  # type: ignore[no-untyped-def]
        return original(path, lambda handle: fill(FullDisk(handle, room)))

    monkeypatch.setattr(encrypted_file, "atomic_write_with", with_full_disk)
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    with pytest.raises(OSError) as caught:
        write_encrypted(target, io.BytesIO(os.urandom(10 * 1024**2)), [recipient])
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"the earlier bundle"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.ifb"]


def test_a_failing_reader_leaves_no_file_and_its_own_error_reaches_the_caller(tmp_path: Path) -> None:
    """pyrage wraps a reader's exception in its EncryptError; the export's own error (with the Dutch
    message of, say, a photo that does not open) is what the caller gets."""

    class Broken:
        def read(self, _size: int = -1, /) -> bytes:
            raise InvalidInputError("Foto 0123456789ab in de map media opent niet.")

    recipient = str(pyrage.x25519.Identity.generate().to_public())
    with pytest.raises(InvalidInputError, match="opent niet"):
        write_encrypted(tmp_path / "bundle.ifb", Broken(), [recipient])
    assert list(tmp_path.iterdir()) == []


def test_a_chunk_handed_over_as_a_view_of_a_reused_buffer_is_written_as_it_was(tmp_path: Path) -> None:
    """The writer keeps chunks until their batch is written: one that is not its own bytes object is
    copied first, so a caller that refills its buffer cannot change what lands on disk."""
    target = tmp_path / "out"
    with target.open("wb") as handle:
        writer = encrypted_file._WriterThread(handle)
        buffer = bytearray(b"a" * 10)
        writer.write(memoryview(buffer))
        buffer[:] = b"b" * 10
        writer.write(buffer)
        buffer[:] = b"c" * 10
        digest = writer.finish()
    assert target.read_bytes() == b"a" * 10 + b"b" * 10
    assert digest == hashlib.sha256(b"a" * 10 + b"b" * 10).hexdigest()


def _is_direct(fd: int) -> bool:
    import fcntl

    return bool(fcntl.fcntl(fd, fcntl.F_GETFL) & getattr(os, "O_DIRECT", 0))


needs_direct = pytest.mark.skipif(not hasattr(os, "O_DIRECT"), reason="O_DIRECT is Linux's")


def _written_with(monkeypatch: pytest.MonkeyPatch, write):  # type: ignore[no-untyped-def]
    calls: list[tuple[int, bool]] = []

    def spy(fd: int, data: memoryview) -> int:
        calls.append((len(data), _is_direct(fd)))
        return int(write(fd, data))

    monkeypatch.setattr(encrypted_file, "_os_write", spy)
    return calls


@needs_direct
def test_whole_blocks_go_past_the_page_cache_and_the_tail_through_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _written_with(monkeypatch, os.write)
    identity = pyrage.x25519.Identity.generate()
    plain = os.urandom(9 * 1024**2 + 3)
    target = tmp_path / "bundle.ifb"
    digest = write_encrypted(target, io.BytesIO(plain), [str(identity.to_public())])
    data = target.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest()
    assert pyrage.decrypt(data, [identity]) == plain
    direct = [size for size, was_direct in calls if was_direct]
    if not direct:
        pytest.skip("this file system refuses direct writes")  # e.g. tmpfs: the cache path is tested
    assert direct == [encrypted_file.BATCH_BYTES] * 2
    assert [size for size, was_direct in calls if not was_direct] == [
        len(data) - 2 * encrypted_file.BATCH_BYTES
    ]


@pytest.mark.parametrize("failure", ["refused", "short"])
def test_a_file_system_that_refuses_or_shortens_a_direct_write_gets_every_byte_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """EINVAL before anything is written (the same bytes go again through the cache), or a write that
    takes only part of a block (the rest follows through the cache): the file is whole either way."""

    def write(fd: int, data: memoryview) -> int:
        if _is_direct(fd):
            if failure == "refused":
                raise OSError(errno.EINVAL, "Invalid argument")
            return os.write(fd, data[: len(data) // 2])
        return os.write(fd, data)

    _written_with(monkeypatch, write)
    identity = pyrage.x25519.Identity.generate()
    plain = os.urandom(13 * 1024**2)
    target = tmp_path / "bundle.ifb"
    digest = write_encrypted(target, io.BytesIO(plain), [str(identity.to_public())])
    data = target.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest()
    assert pyrage.decrypt(data, [identity]) == plain


@needs_direct
@pytest.mark.parametrize("room", [0, 5 * 1024**2])
def test_a_disk_that_fills_up_under_direct_writes_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    left = [room]

    def write(fd: int, data: memoryview) -> int:
        if left[0] < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        left[0] -= len(data)
        return os.write(fd, data)

    _written_with(monkeypatch, write)
    target = tmp_path / "bundle.ifb"
    target.write_bytes(b"the earlier bundle")
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    with pytest.raises(OSError) as caught:
        write_encrypted(target, io.BytesIO(os.urandom(12 * 1024**2)), [recipient])
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"the earlier bundle"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.ifb"]
