"""The streamed ZIP writer gives byte for byte what zipfile gives for the same members (the format of
docs/bundle-format.md does not change with the writer), and zipfile reads it back."""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.sync.envelope import zip_bytes
from inspector_app.sync.zip_stream import (
    STORED,
    ArchiveReader,
    MemberWriter,
    ZipMember,
    deflate_piece,
    inflate_pieces,
    zip_member,
    zip_pieces,
)


def zipfile_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """What the bundles were sealed with before the streamed writer."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            small = name.startswith("media/") or len(data) < 64
            info.compress_type = zipfile.ZIP_STORED if small else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=1)
    return buffer.getvalue()


NAMES = st.sampled_from(
    [
        "manifest.json",
        "manifest.sig",
        "media/" + "a" * 64 + ".jpg",
        "records/answers.jsonl",
        "records/é.jsonl",
    ]
)


@pytest.mark.skipif(os.name != "posix", reason="zipfile marks its archives as made on Windows there")
@settings(max_examples=60, deadline=None)
@given(members=st.lists(st.tuples(NAMES, st.binary(max_size=3000)), max_size=5, unique_by=lambda m: m[0]))
def test_the_bytes_are_zipfiles(members: list[tuple[str, bytes]]) -> None:
    repeated = [(name, data * 40) for name, data in members]  # long enough to be deflated
    assert zip_bytes(members) == zipfile_bytes(members)
    assert zip_bytes(repeated) == zipfile_bytes(repeated)


def test_zipfile_reads_every_member_back() -> None:
    members = [
        ("manifest.json", b"{}"),
        ("media/" + "b" * 64 + ".png", os.urandom(5000)),
        ("records/x.jsonl", b"x" * 9000),
    ]
    with zipfile.ZipFile(io.BytesIO(zip_bytes(members))) as archive:
        assert archive.testzip() is None
        assert [(info.filename, archive.read(info)) for info in archive.infolist()] == members
        assert [info.compress_type for info in archive.infolist()] == [0, 0, 8]


@pytest.mark.parametrize("size", [1, 7, 65536, -1])
def test_the_reader_gives_the_pieces_in_order_whatever_the_read_size(size: int) -> None:
    members = [zip_member(f"records/{n}.jsonl", os.urandom(n * 1000)) for n in range(5)]
    whole = b"".join(zip_pieces(members))
    reader = ArchiveReader(zip_pieces(members))
    read = []
    while chunk := reader.read(size):
        assert size < 0 or len(chunk) <= size
        read.append(chunk)
    assert b"".join(read) == whole
    assert reader.read(size) == b""


def test_members_are_prepared_only_when_the_stream_reaches_them() -> None:
    prepared: list[str] = []

    def members() -> Iterator[ZipMember]:
        for name in ("manifest.json", "records/late.jsonl"):
            prepared.append(name)
            yield zip_member(name, b"data" * 100)

    pieces = zip_pieces(members())
    next(pieces)
    assert prepared == ["manifest.json"]
    list(pieces)
    assert prepared == ["manifest.json", "records/late.jsonl"]


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(st.binary(max_size=300), max_size=12), repeat=st.sampled_from([1, 50]))
def test_a_member_written_piece_by_piece_is_the_member_of_the_joined_data(
    pieces: list[bytes], repeat: int
) -> None:
    """Any split of the data gives the CRC, size and method of `zip_member`; a short member's bytes
    are the same, a deflated one inflates to the data, and zipfile reads either back."""
    pieces = [piece * repeat for piece in pieces]
    data = b"".join(pieces)
    writer = MemberWriter("records/answers.jsonl")
    for piece in pieces:
        writer.write(piece)
    member, whole = writer.finish(), zip_member("records/answers.jsonl", data)
    assert (member.name, member.crc, member.size, member.method) == (
        whole.name,
        whole.crc,
        whole.size,
        whole.method,
    )
    if member.method == STORED:
        assert member.stored == data
    else:
        assert zlib.decompress(member.stored, -15) == data
    with zipfile.ZipFile(io.BytesIO(b"".join(zip_pieces([member])))) as archive:
        assert archive.read("records/answers.jsonl") == data


@settings(max_examples=80, deadline=None)
@given(
    pieces=st.lists(st.tuples(st.booleans(), st.binary(max_size=300)), max_size=12),
    repeat=st.sampled_from([1, 50]),
)
def test_pieces_deflated_beforehand_splice_into_a_member_among_written_ones(
    pieces: list[tuple[bool, bytes]], repeat: int
) -> None:
    """Kept lines come deflated (`deflate_piece`) and are spliced in between data the writer deflates
    itself, in any mix and order: the member is what `zip_member` gives the joined data (CRC, size,
    method), inflates to it, and zipfile (which checks the CRC) reads it back."""
    pieces = [(kept, piece * repeat) for kept, piece in pieces]
    data = b"".join(piece for _kept, piece in pieces)
    writer = MemberWriter("records/answers.jsonl")
    for kept, piece in pieces:
        if kept:
            deflated = deflate_piece(piece)
            assert inflate_pieces(deflated) == piece
            writer.write_deflated(deflated, piece)
        else:
            writer.write(piece)
    member, whole = writer.finish(), zip_member("records/answers.jsonl", data)
    assert (member.crc, member.size, member.method) == (whole.crc, whole.size, whole.method)
    if member.method != STORED:
        assert zlib.decompress(member.stored, -15) == data
    with zipfile.ZipFile(io.BytesIO(b"".join(zip_pieces([member])))) as archive:
        assert archive.read("records/answers.jsonl") == data


def test_spliced_pieces_inflate_at_once_and_a_finished_stream_is_not_a_piece() -> None:
    pieces = [b'{"a":1}\n' * 30, b"", b'{"b":2}\n']
    assert inflate_pieces(b"".join(deflate_piece(p) for p in pieces)) == b"".join(pieces)
    with pytest.raises(zlib.error):
        inflate_pieces(zlib.compress(b"finished", 1)[2:-4])  # a raw stream with its final block
    with pytest.raises(zlib.error):
        inflate_pieces(b'{"not":"deflated"}')
