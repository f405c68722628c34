"""The deterministic ZIP both bundle kinds are sealed in, written as a stream of byte pieces.

`zipfile` writes a member's header, then its data, then seeks back to fill in the CRC and sizes, so
an archive has to sit whole in a seekable buffer before it can be encrypted. Here each member comes
with its CRC-32 and stored (deflated) bytes already worked out - on another thread, where the export
prepares photos and records - so every header is written once, in order, and the encryption reads
the archive while it is being put together (`ArchiveReader`). The bytes are exactly those of
`zipfile.ZipFile.writestr` for the same members with a fixed date and mode, as made on POSIX
(tests/sync/test_zip_stream.py holds them equal); `create_system` is Unix on every platform, so the
same content gives the same archive everywhere. No ZIP64: the bundle caps (sync.envelope) stay far
below 4 GiB and 65,535 entries.
"""

from __future__ import annotations

import stat
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

STORED, DEFLATED = 0, 8
VERSION = 20  # zipfile's DEFAULT_VERSION: what a reader needs for stored and deflated members
UNIX = 3
DOS_DATE = (2020 - 1980) << 9 | 1 << 5 | 1  # 2020-01-01, the fixed time of every member
DOS_TIME = 0
EXTERNAL_ATTR = (stat.S_IFREG | 0o600) << 16
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
SMALLEST_DEFLATED = 64  # shorter members are stored: deflate would only add its overhead


@dataclass(frozen=True)
class ZipMember:
    name: str
    stored: bytes  # as it sits in the archive (deflated for DEFLATED)
    crc: int
    size: int  # uncompressed
    method: int


def zip_member(name: str, data: bytes) -> ZipMember:
    """A member as the bundles store it: photos (`media/`) and tiny entries stored, the rest deflated at
    level 1 (records are mostly random ids, so higher levels cost time for a few per cent). CRC-32 and
    deflate release the GIL, so this runs well on another thread."""
    if name.startswith("media/") or len(data) < SMALLEST_DEFLATED:
        return ZipMember(name, data, zlib.crc32(data), len(data), STORED)
    writer = MemberWriter(name)
    writer.write(data)
    return writer.finish()


SYNC_MARK = b"\x00\x00\xff\xff"  # the empty stored block a sync flush ends with


def deflate_piece(data: bytes) -> bytes:
    """`data` as a raw deflate stream of its own that ends on a byte boundary without a final block
    (level 1, sync flush): such pieces may be spliced into a member (`MemberWriter.write_deflated`)
    one after another, since none refers back past its own start."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def inflate_pieces(deflated: bytes) -> bytes:
    """What one `deflate_piece`, or several spliced one after another, hold. zlib.error when it is not
    such a stream."""
    if deflated and not deflated.endswith(SYNC_MARK):
        raise zlib.error("not a deflated piece")
    inflater = zlib.decompressobj(-15)
    data = inflater.decompress(deflated)
    if inflater.eof:  # a final block: not a piece
        raise zlib.error("not a deflated piece")
    return data


class MemberWriter:
    """`zip_member` for data that arrives piece by piece: each piece is deflated (level 1), CRC'd and
    counted when it is written, so the whole data is never held, joined or read twice. Pieces are
    written by one thread at a time, in order. The member gets the CRC, size and method `zip_member`
    gives the joined data (for data written at once, it is `zip_member`'s deflated member); its
    deflated bytes may be split into blocks differently, and inflate to the same data. As in
    `zip_member`, data shorter than `SMALLEST_DEFLATED` is stored."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
        self._deflated: list[bytes] = []
        self._short = bytearray()  # the data itself while it may yet be stored (< SMALLEST_DEFLATED)
        self._crc = 0
        self._size = 0
        self._pending = False  # data written since the last flush

    def write(self, data: bytes) -> None:
        self._deflated.append(self._compressor.compress(data))
        self._pending = True
        self._count(data)

    def write_deflated(self, deflated: bytes, data: bytes) -> None:
        """Append `data` that is already deflated as `deflated` (pieces of `deflate_piece`): spliced in
        as it is, not deflated again. What was written before is fully flushed first (the compressor
        then refers to nothing before the splice)."""
        if self._pending:
            self._deflated.append(self._compressor.flush(zlib.Z_FULL_FLUSH))
            self._pending = False
        self._deflated.append(deflated)
        self._count(data)

    def _count(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        if self._size < SMALLEST_DEFLATED:
            self._short += data

    def finish(self) -> ZipMember:
        if self._size < SMALLEST_DEFLATED:
            return ZipMember(self.name, bytes(self._short), self._crc, self._size, STORED)
        self._deflated.append(self._compressor.flush())
        return ZipMember(self.name, b"".join(self._deflated), self._crc, self._size, DEFLATED)


def _name(member: ZipMember) -> tuple[bytes, int]:
    """The name's bytes and the general-purpose flags: UTF-8 names are flagged (bit 11), as zipfile does."""
    try:
        return member.name.encode("ascii"), 0
    except UnicodeEncodeError:
        return member.name.encode("utf-8"), 0x800


def zip_pieces(members: Iterable[ZipMember]) -> Iterator[bytes]:
    """The archive of `members`, in their order, as consecutive pieces (a member's data is yielded as
    it is, never copied). `members` is consumed lazily: a member still being prepared elsewhere is
    waited for only when the stream reaches it."""
    central: list[bytes] = []
    offset = 0
    for member in members:
        name, flags = _name(member)
        header = LOCAL_HEADER.pack(
            b"PK\x03\x04", VERSION, 0, flags, member.method, DOS_TIME, DOS_DATE,
            member.crc, len(member.stored), member.size, len(name), 0,
        )  # fmt: skip
        entry = CENTRAL_HEADER.pack(
            b"PK\x01\x02", VERSION, UNIX, VERSION, 0, flags, member.method, DOS_TIME, DOS_DATE,
            member.crc, len(member.stored), member.size, len(name), 0, 0, 0, 0, EXTERNAL_ATTR, offset,
        )  # fmt: skip
        central.append(entry + name)
        yield header + name
        yield member.stored
        offset += len(header) + len(name) + len(member.stored)
    directory = b"".join(central)
    yield directory
    yield END_RECORD.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)


class ArchiveReader:
    """The pieces of `zip_pieces` as a readable file (`read(n)`), for `pyrage.encrypt_io`."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._current = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self._current:
            piece = next(self._pieces, None)
            if piece is None:
                return b""
            self._current = memoryview(piece)
        if size < 0:
            size = len(self._current)
        chunk, self._current = self._current[:size], self._current[size:]
        return bytes(chunk)
