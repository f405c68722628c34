"""Laptop side: write everything the office has not acknowledged (or chosen visits) into a bundle."""

from __future__ import annotations

import hashlib
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.storage.audit import GENESIS_HASH, AuditEntry, append, now_iso
from inspector_app.storage.db import reading, writing
from inspector_app.storage.environment import refuse_practice_export
from inspector_app.storage.purge import RETENTION_ACTIONS
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync.bulk import collector_paused
from inspector_app.sync.bundle import (
    BundleContent,
    PhotoFacts,
    build_manifest,
    read_media_entry,
    signature_members,
    write_bundle_file,
)
from inspector_app.sync.encoded import EncodedVisit, encoded_rows
from inspector_app.sync.encoded_cache import kept_hashes, visits_by_id
from inspector_app.sync.keys import KeyStore, device_fingerprint
from inspector_app.sync.records import FILES, Row, encode_jsonl, read_rows, rows_of_visits
from inspector_app.sync.zaak import zaak_rows_to_send
from inspector_app.sync.zip_stream import MemberWriter, ZipMember, inflate_pieces, zip_member

AUDIT_ACKED_KEY = "sync.audit_acknowledged_to"
SEQ_FLOOR_KEY = "sync.seq_floor"  # the highest seq a receipt said the office holds (sync.receipts)
SEQ_TAKEN_KEY = "sync.seq_taken"  # the highest seq an export took, logged or not (`_take_seq`)
SYNC_ACTIONS = {
    "bundle.export",
    "bundle.receipt_applied",
    "bundle.reference_applied",
    "retention.purge",
    *RETENTION_ACTIONS,
}
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    seq: int
    visits: int
    photos: int
    file_sha256: str  # of the encrypted file as written: what the office's import log names


def acknowledged(db: Database) -> dict[str, str]:
    return {str(v): str(s) for v, s in db.execute("SELECT visit_id, snapshot_sha256 FROM sync_acknowledged")}


def audit_acknowledged_to(db: Database) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [AUDIT_ACKED_KEY]).fetchone()
    return int(row[0]) if row else 0


def pending_snapshots(
    db: Database, visit_ids: list[str] | None = None, found: Callable[[EncodedVisit], None] | None = None
) -> list[EncodedVisit]:
    """The chosen visits, or every visit whose exact content the office has not acknowledged; `found`
    hears of each as soon as it is read (the export starts on its photos and records lines then)."""
    kept = kept_hashes(db)  # the visits whose lines are kept, each with its snapshot hash
    if visit_ids is not None:
        snapshots = list(_heard(visits_by_id(db, visit_ids, set(kept)), found))
        if len(snapshots) != len(set(visit_ids)):
            raise InvalidInputError(_("Een van de gekozen bezoeken bestaat niet."))
        return snapshots
    acked = acknowledged(db)
    every = [str(r[0]) for r in db.execute("SELECT id FROM visits ORDER BY id")]
    # A kept hash the office acknowledged needs no lines read; a visit with none is encoded to know.
    candidates = [v for v in every if v not in kept or acked.get(v) != kept[v]]
    chosen = visits_by_id(db, candidates, set(kept), every_visit=len(candidates) == len(every))
    found_due = (s for s in chosen if acked.get(s.visit_id) != s.sha256)
    pending = list(_heard(found_due, found))
    replanned = sorted(set(replanned_visits(db)) - {s.visit_id for s in pending})
    return sorted(
        [*pending, *_heard(visits_by_id(db, replanned, set(kept)), found)], key=lambda s: s.visit_id
    )


def _heard(
    snapshots: Iterable[EncodedVisit], found: Callable[[EncodedVisit], None] | None
) -> Iterator[EncodedVisit]:
    for snapshot in snapshots:
        if found is not None:
            found(snapshot)
        yield snapshot


def replanned_visits(db: Database) -> list[str]:
    """Visits whose re-inspection changed after the last bundle that carried them: the re-inspection is
    not part of the snapshot, so the visit travels again (the office keeps the version it has)."""
    rows = db.execute(
        "SELECT f.visit_id FROM visit_follow_ups f WHERE EXISTS (SELECT 1 FROM visits v WHERE v.id = f.visit_id)"
        " AND f.updated_at > coalesce((SELECT max(l.created_at) FROM sync_export_items i"
        " JOIN sync_export_log l ON l.bundle_id = i.bundle_id WHERE i.visit_id = f.visit_id), '')"
    ).fetchall()
    return [str(r[0]) for r in rows]


def audit_head(db: Database, seq: int) -> str:
    """The hash of this laptop's audit entry `seq` (the genesis hash for 0): the chain head the signed
    manifest names, which the office checks the next bundle's chain against."""
    row = db.execute("SELECT hash FROM audit_chain WHERE seq = ?", [seq]).fetchone()
    return str(row[0]) if row else GENESIS_HASH


# Photos read ahead of the encryption, at most this many bytes of them: a slow disk or encryption holds
# back the reading instead of every photo piling up in memory (the export used to hold them all, 400 MiB
# for the sync benchmark's 2,000 photos).
READ_AHEAD_BYTES = 32 << 20


class _ReadAhead:
    """The bytes of photos read but not yet through the encryption, bounded by `budget`: the photo
    thread waits for room before it reads the next one (a single photo larger than the budget goes
    through alone). Closed once the sealer stops, so a photo thread never waits for room that will
    not come."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._held = 0
        self._open = True
        self._changed = threading.Condition()

    def take(self, size: int) -> None:
        with self._changed:
            self._changed.wait_for(
                lambda: not self._open or self._held == 0 or self._held + size <= self._budget
            )
            self._held += size

    def give(self, size: int) -> None:
        with self._changed:
            self._held -= size
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._open = False
            self._changed.notify_all()


@dataclass
class _Photo:
    """A photo read for the archive: its member until the sealer has taken it (then None, so the bytes
    are freed as soon as they are encrypted), and what the manifest lists of it."""

    member: ZipMember | None
    held: int  # the bytes it holds of the read-ahead room until it is sealed
    facts: PhotoFacts


class _PhotoReader:
    """Reads the photos of each visit the export takes on a thread of its own, as the visit is read,
    and hands each to the sealer, which encrypts it into the bundle while the store is still read."""

    def __init__(self, worker: ThreadPoolExecutor, media_dir: Path, sealer: _Sealer) -> None:
        self.worker = worker
        self.media_dir = media_dir
        self.sealer = sealer
        self.sources: dict[str, Path] = {}
        self.entries: dict[str, Future[_Photo]] = {}

    def read(self, snapshot: EncodedVisit) -> None:
        for photo in snapshot.photos:
            suffix = "png" if photo["media_type"] == "image/png" else "jpg"
            path, source = f"media/{photo['sha256']}.{suffix}", self.media_dir / f"{photo['sha256']}.{suffix}"
            if not source.exists():
                raise InvalidInputError(
                    _("Foto {sha} ontbreekt in de map media.", sha=str(photo["sha256"])[:12])
                )
            if path not in self.entries:
                self.sources[path] = source
                self.entries[path] = entry = self.worker.submit(self._load, path, source)
                self.sealer.add_photo(entry)

    def _load(self, path: str, source: Path) -> _Photo:
        held = source.stat().st_size
        self.sealer.room.take(held)
        try:
            member, sha = read_media_entry(path, source)
        except BaseException:
            self.sealer.room.give(held)
            raise
        return _Photo(member, held, (member.size, sha))

    def facts(self) -> dict[str, PhotoFacts]:
        """Size and SHA-256 of every photo, once each is read (a photo that did not open raises here)."""
        return {path: entry.result().facts for path, entry in self.entries.items()}


_END, _ABORT = object(), object()


class _StoppedError(Exception):
    """The export stopped before its archive was complete (an error, or nothing was due)."""


class _Sealer:
    """The bundle's archive, encrypted and written on a thread of its own (`write_bundle_file`) while
    the export still reads the store: each photo enters as soon as it is read, then the records files,
    the manifest and its signature (`bundle.signature_members`), which can only be made once every
    entry has been read. Started by the first member; `abort` makes sure no file is left."""

    def __init__(
        self, target: Path, bundle_id: str, recipients: list[str], progress: Progress | None
    ) -> None:
        self.room = _ReadAhead(READ_AHEAD_BYTES)
        self._target, self._bundle_id, self._recipients = target, bundle_id, recipients
        self._progress = progress
        self._items: queue.Queue[object] = queue.Queue()
        self._pool: ThreadPoolExecutor | None = None
        self._written: Future[tuple[Path, str]] | None = None
        self._photos = 0
        self._total: int | None = None  # members in all, once the last of them is known
        self._stopping = False

    def _start(self) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-seal")
            self._written = self._pool.submit(self._write)

    def add_photo(self, entry: Future[_Photo]) -> None:
        self._start()
        self._photos += 1
        self._items.put(entry)

    def _members(self) -> Iterator[ZipMember]:
        sealed = 0
        while (item := self._items.get()) is not _END:
            if item is _ABORT or self._stopping:
                raise _StoppedError
            if isinstance(item, Future):
                photo: _Photo = item.result()
                member, photo.member = photo.member, None
                assert member is not None
                yield member
                self.room.give(photo.held)
            else:
                assert isinstance(item, ZipMember)
                yield item
            sealed += 1
            if self._progress and self._total is not None:
                self._progress("write", sealed, self._total)

    def _write(self) -> tuple[Path, str]:
        try:
            return write_bundle_file(self._target, self._bundle_id, self._members(), self._recipients)
        finally:
            self.room.close()

    def finish(self, last: list[ZipMember]) -> tuple[Path, str]:
        """Seal `last` after the photos and wait for the file: its path and SHA-256."""
        self._start()
        self._total = self._photos + len(last)
        for member in last:
            self._items.put(member)
        self._items.put(_END)
        assert self._pool is not None and self._written is not None
        try:
            return self._written.result()
        finally:
            self._pool.shutdown()

    def abort(self) -> None:
        """Stop without a file (the temporary one removed), whatever the sealer was doing; its own
        error, if it had one, is dropped: the caller raises the one that made it stop."""
        if self._pool is None:
            return
        self._stopping = True
        self._items.put(_ABORT)
        self.room.close()
        assert self._written is not None
        wait([self._written])
        self._pool.shutdown()


StreamedRecords = tuple[ZipMember, str, int]
"""A records file written as its visits were read: the archive member, the SHA-256 and the line count."""


class _RecordsFile:
    """One records file of the visit tables, deflated, CRC'd and hashed on the worker as batches of
    visits' pieces arrive; each batch first waits for the one before it, so the lines keep their order
    whichever worker thread takes a batch."""

    def __init__(self, path: str) -> None:
        self.member = MemberWriter(path)
        self.digest = hashlib.sha256()
        self.lines = 0

    def write(self, pieces: list[bytes], before: Future[None] | None) -> None:
        if before is not None:
            before.result()  # in order; and an error in an earlier batch is this one's too
        data = b"\n".join([*pieces, b""])  # each visit's lines of the table, each line ending in a newline
        self.member.write(data)
        self._count(data)

    def write_deflated(self, pieces: list[bytes], before: Future[None] | None) -> None:
        """Kept visits' lines, deflated already (`deflate_piece`, a newline after each line): spliced
        into the member as they are; inflated once, at a fraction of deflate's cost, for the hash,
        the CRC and the line count."""
        if before is not None:
            before.result()
        deflated = b"".join(pieces)
        data = inflate_pieces(deflated)
        self.member.write_deflated(deflated, data)
        self._count(data)

    def _count(self, data: bytes) -> None:
        self.digest.update(data)
        self.lines += data.count(b"\n")

    def finish(self, before: Future[None] | None) -> StreamedRecords:
        if before is not None:
            before.result()
        return self.member.finish(), self.digest.hexdigest(), self.lines


class _RecordsStream:
    """The records files of the visits' tables, written as each visit is read (in the order the visits
    are found): the visit tables of a full export hold about 175 MiB of lines, which are never joined into
    one piece of memory, and they are deflated on the worker while this thread still reads the store
    (kept visits' lines come deflated and are spliced in). The office sorts every file's rows itself, so
    the order of the lines carries no meaning."""

    BATCH_BYTES = 1 << 20  # handed to the worker per table once this much has gathered
    DEFLATED_BATCH_BYTES = 128 << 10  # kept lines, deflated: about 1.4 MiB of lines

    def __init__(self, worker: ThreadPoolExecutor) -> None:
        self.worker = worker
        self.files: dict[str, _RecordsFile] = {}
        self.gathered: dict[tuple[str, bool], list[bytes]] = {}
        self.sizes: dict[tuple[str, bool], int] = {}
        self.last: dict[str, Future[None]] = {}

    def add(self, snapshot: EncodedVisit) -> None:
        deflated = bool(snapshot.deflated)
        for table, piece in (snapshot.deflated or snapshot.pieces).items():
            if piece:
                key = (table, deflated)
                self.gathered.setdefault(key, []).append(piece)
                self.sizes[key] = self.sizes.get(key, 0) + len(piece)
                if self.sizes[key] >= (self.DEFLATED_BATCH_BYTES if deflated else self.BATCH_BYTES):
                    self._hand_over(key)

    def _hand_over(self, key: tuple[str, bool]) -> None:
        table, deflated = key
        records = self.files.setdefault(table, _RecordsFile(FILES[table]))
        pieces, self.gathered[key], self.sizes[key] = self.gathered[key], [], 0
        write = records.write_deflated if deflated else records.write
        self.last[table] = self.worker.submit(write, pieces, self.last.get(table))

    def finish(self) -> dict[str, Future[StreamedRecords]]:
        """Per records file (by archive path): its member, hash and line count, once the worker is done."""
        for key, pieces in self.gathered.items():
            if pieces:
                self._hand_over(key)
        return {
            records.member.name: self.worker.submit(records.finish, self.last.get(table))
            for table, records in self.files.items()
        }


@dataclass(frozen=True)
class _Due:
    """Everything a bundle carries from the database, read in one transaction."""

    snapshots: list[EncodedVisit]
    audit_from: int
    audit_to: int
    audit_head: str
    audit_lines: tuple[bytes, int]  # the audit records file and its row count
    locations: list[Row]
    zaken: list[Row]
    follow_ups: list[Row]


def _take_seq(db: Database) -> int:
    """The next bundle's sequence number, taken in a transaction of its own before the file is written:
    above every number this laptop logged, above what a receipt said the office holds (a restore), and
    above every number an export took, also one that wrote its file and was killed before it logged
    the export (its bundle may reach the office; a second bundle under its number would be reported
    there as a restored laptop) or one still running beside this."""
    with writing(db):
        seq = int(
            db.execute(
                "SELECT max(coalesce(max(seq), 0),"
                " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 0),"
                " coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 0)) + 1 FROM sync_export_log",
                [SEQ_FLOOR_KEY, SEQ_TAKEN_KEY],
            ).fetchone()[0]
        )
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [SEQ_TAKEN_KEY, str(seq)],
        )
    return seq


def _read_due(
    db: Database, visit_ids: list[str] | None, found: Callable[[EncodedVisit], None]
) -> _Due | None:
    """What the next bundle carries, or None when nothing is due. One read transaction: a change
    another connection commits meanwhile (the CLI amending a visit while the app exports) is wholly
    in the bundle or wholly out of it, and the hashes recorded as sent are those of what was sent."""
    with reading(db):
        snapshots = pending_snapshots(db, visit_ids, found)
        audit_from = audit_acknowledged_to(db)
        # What the checks below need of each audit entry; the records file itself comes from SQLite.
        audit_rows: list[Row] = [
            {"seq": seq, "action": action, "visit_id": visit}
            for seq, action, visit in db.execute(
                "SELECT seq, action, visit_id FROM audit_log WHERE seq > ? ORDER BY seq", [audit_from]
            )
        ]
        if not snapshots and all(row["action"] in SYNC_ACTIONS for row in audit_rows):
            return None
        audit_to = int(audit_rows[-1]["seq"]) if audit_rows else audit_from
        audit_lines = encoded_rows(
            db, "audit_log", "WHERE seq BETWEEN ? AND ?", [audit_from + 1, audit_to], "seq"
        )
        location_ids = sorted({s.location_id for s in snapshots})
        marks = ", ".join("?" for _ in location_ids)
        locations = (
            read_rows(db, "locations", f"WHERE id IN ({marks}) ORDER BY id", location_ids)
            if location_ids
            else []
        )
        chosen = [s.visit_id for s in snapshots]
        return _Due(
            snapshots=snapshots,
            audit_from=audit_from,
            audit_to=audit_to,
            audit_head=audit_head(db, audit_to),
            audit_lines=audit_lines,
            locations=locations,
            zaken=zaak_rows_to_send(db, chosen, audit_rows),
            follow_ups=rows_of_visits(db, "visit_follow_ups", chosen),
        )


@collector_paused()
def export_bundle(
    db: Database,
    data_dir: Path,
    media_dir: Path,
    device_id: str,
    actor: str,
    target: Path,
    app_version: str,
    visit_ids: list[str] | None = None,
    progress: Progress | None = None,
) -> ExportResult | None:
    """Write one bundle to `target` (a file, or a folder for `<bundle id>.ifb`); None if nothing is due."""
    refuse_practice_export(db)  # no path around it: demo visits never travel
    keys = KeyStore.of(data_dir)
    office = keys.office_public()
    signing = keys.device_signing_key(device_id)
    if progress:
        progress("collect", 0, 1)
    bundle_id = str(uuid.uuid4())
    # Four threads share the work, so that it spreads over the cores: this one reads and encodes the
    # store; one reads each visit's photos (file, AES-GCM, SHA-256, CRC-32) as soon as the visit is
    # read; one deflates and hashes the records lines; and the sealer encrypts the archive into the
    # file as its members come, photos first (while this thread still reads), the manifest last.
    photo_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-photos")
    records_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-records")
    sealer = _Sealer(target, bundle_id, office.all_recipients, progress)
    finished = False
    try:
        photo_reader, records_stream = (
            _PhotoReader(photo_worker, media_dir, sealer),
            _RecordsStream(records_worker),
        )

        def found(snapshot: EncodedVisit) -> None:
            photo_reader.read(snapshot)
            records_stream.add(snapshot)
            snapshot.release_lines()

        due = _read_due(db, visit_ids, found)
        if due is None:
            return None
        snapshots = due.snapshots
        seq = _take_seq(db)
        streamed = records_stream.finish()
        content = BundleContent(
            bundle_id=bundle_id,
            device_id=device_id,
            seq=seq,
            created_at=now_iso(),
            schema_version=SCHEMA_VERSION,
            app_version=app_version,
            audit_from=due.audit_from,
            audit_to=due.audit_to,
            audit_head=due.audit_head,
            media=photo_reader.sources,
        )
        photos = [photo for snapshot in snapshots for photo in snapshot.photos]
        for table, rows in (
            ("locations", due.locations),
            ("visit_zaak", due.zaken),
            ("visit_follow_ups", due.follow_ups),
        ):
            if rows:
                content.records[FILES[table]] = (encode_jsonl(rows), len(rows))
        if due.audit_lines[1]:
            content.records[FILES["audit_log"]] = due.audit_lines
        small = {
            path: records_worker.submit(zip_member, path, data)
            for path, (data, _n) in content.records.items()
        }
        written = {path: entry.result() for path, entry in streamed.items()}
        members = {path: entry.result() for path, entry in small.items()}
        members.update((path, member) for path, (member, _sha, _lines) in written.items())
        public_key = keys.device_public(device_id)
        manifest, _payload = build_manifest(
            content, device_fingerprint(public_key), office.all_recipients, photo_reader.facts(), written
        )
        last = [members[path] for path in sorted(members)]
        path, file_sha256 = sealer.finish([*last, *signature_members(manifest, signing)])
        finished = True
    finally:
        if not finished:  # photos not yet read are not read, and the sealer leaves no file
            photo_worker.shutdown(wait=False, cancel_futures=True)
            records_worker.shutdown(wait=False, cancel_futures=True)
            sealer.abort()
        photo_worker.shutdown()
        records_worker.shutdown()
    with writing(db):
        db.execute(
            "INSERT INTO sync_export_log (bundle_id, seq, created_at, file_name, file_sha256, visits, audit_to)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                content.bundle_id,
                content.seq,
                content.created_at,
                path.name,
                file_sha256,
                len(snapshots),
                content.audit_to,
            ],
        )
        db.conn.executemany(
            "INSERT INTO sync_export_items (bundle_id, visit_id, snapshot_sha256) VALUES (?, ?, ?)",
            [(content.bundle_id, s.visit_id, s.sha256) for s in snapshots],
        )
        append(
            db,
            AuditEntry(
                actor,
                device_id,
                "bundle.export",
                "bundle",
                content.bundle_id,
                None,
                None,
                {"seq": content.seq, "visits": len(snapshots), "photos": len(photos), "file": path.name},
            ),
        )
    if progress:
        progress("done", 1, 1)
    return ExportResult(path, content.bundle_id, content.seq, len(snapshots), len(photos), file_sha256)
