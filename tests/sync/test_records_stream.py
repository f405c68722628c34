"""The export writes the visit tables' records files as the visits are read, in batches on worker
threads: whatever thread takes a batch, and however small the batches, each file holds every line
once, in the order the visits were found, with the hash, size and count its manifest line names."""

from __future__ import annotations

import hashlib
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from inspector_app.sync import export
from inspector_app.sync.encoded import EncodedVisit
from inspector_app.sync.records import FILES
from inspector_app.sync.zip_stream import STORED, MemberWriter, ZipMember, deflate_piece


def visits(count: int) -> list[EncodedVisit]:
    """Visits with one line of "visits", three lines of answers each and persons for every third."""
    found = []
    for n in range(count):
        pieces = {
            "visits": b'{"id":"v%d"}' % n,
            "answers": b"\n".join(b'{"q":"%d-%d"}' % (n, k) for k in range(3)),
            "persons": b'{"p":"%d"}' % n if n % 3 == 0 else b"",
        }
        found.append(EncodedVisit(f"v{n:03d}", "loc", pieces))
    return found


def inflated(member: ZipMember) -> bytes:
    return member.stored if member.method == STORED else zlib.decompress(member.stored, -15)


@pytest.mark.parametrize(("batch", "workers"), [(1, 4), (40, 3), (1 << 20, 1)])
def test_every_line_in_order_whoever_writes_the_batches(
    monkeypatch: pytest.MonkeyPatch, batch: int, workers: int
) -> None:
    monkeypatch.setattr(export._RecordsStream, "BATCH_BYTES", batch)
    taken = visits(60)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        stream = export._RecordsStream(pool)
        for visit in taken:
            stream.add(visit)
        written = {path: future.result() for path, future in stream.finish().items()}
    assert set(written) == {FILES["visits"], FILES["answers"], FILES["persons"]}
    for table in ("visits", "answers", "persons"):
        expected = b"".join(v.pieces[table] + b"\n" for v in taken if v.pieces[table])
        member, sha, lines = written[FILES[table]]
        assert inflated(member) == expected
        assert (member.size, sha, lines) == (
            len(expected),
            hashlib.sha256(expected).hexdigest(),
            expected.count(b"\n"),
        )


def test_a_batch_that_fails_fails_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error on the worker (memory, say) in any batch reaches the export, never a shorter file."""
    monkeypatch.setattr(export._RecordsStream, "BATCH_BYTES", 1)
    calls: list[int] = []
    original = MemberWriter.write

    def failing(self: MemberWriter, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 5:
            raise MemoryError("no room for the batch")
        original(self, data)

    monkeypatch.setattr(MemberWriter, "write", failing)
    with ThreadPoolExecutor(max_workers=2) as pool:
        stream = export._RecordsStream(pool)
        for visit in visits(10):
            stream.add(visit)
        futures = stream.finish()
        failed = []
        for future in futures.values():
            try:
                future.result()
            except MemoryError:
                failed.append(future)
    assert len(failed) == 1


@pytest.mark.parametrize("batch", [1, 1 << 20])
def test_kept_visits_deflated_lines_and_fresh_ones_make_the_same_files(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Every other visit comes from its kept lines, deflated already: each file holds the same lines
    (their order carries no meaning), with the hash, size, count and CRC of what it holds."""
    monkeypatch.setattr(export._RecordsStream, "BATCH_BYTES", batch)
    monkeypatch.setattr(export._RecordsStream, "DEFLATED_BATCH_BYTES", batch)
    taken = visits(40)
    mixed = [
        EncodedVisit(
            v.visit_id,
            v.location_id,
            {},
            deflated={t: deflate_piece(p + b"\n") if p else b"" for t, p in v.pieces.items()},
        )
        if n % 2
        else v
        for n, v in enumerate(taken)
    ]
    assert mixed[1].pieces == taken[1].pieces  # inflated when asked
    with ThreadPoolExecutor(max_workers=2) as pool:
        stream = export._RecordsStream(pool)
        for visit in mixed:
            stream.add(visit)
        written = {path: future.result() for path, future in stream.finish().items()}
    for table in ("visits", "answers", "persons"):
        member, sha, lines = written[FILES[table]]
        data = inflated(member)
        expected = b"".join(v.pieces[table] + b"\n" for v in taken if v.pieces[table])
        assert sorted(data.splitlines()) == sorted(expected.splitlines())
        assert (member.size, member.crc, sha, lines) == (
            len(data),
            zlib.crc32(data),
            hashlib.sha256(data).hexdigest(),
            expected.count(b"\n"),
        )
