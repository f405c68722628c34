"""Each visit's bundle lines, kept in the store as the visit is written, so an export reads them.

An export has to know, for every visit, whether the office holds its exact content (the snapshot's
hash), and carries the canonical lines of those it does not. Encoding them afresh (`sync.encoded`)
cost an export of the sync benchmark's 10,000 visits about 3.3 s of CPU, and a laptop with thousands
of visits paid most of it even when one visit was due. Here each visit's lines per table and its
snapshot hash are kept in `sync_encoded_visits`, each table's lines deflated as a piece the export
splices into its records file as it is (`zip_stream.deflate_piece`): the lines compress about
elevenfold, so an export reads a fraction of the bytes from the encrypted store and deflates nothing:

- *Never stale.* Triggers on the visit's seven tables (storage/schema.py, migration 014) delete a
  visit's kept lines in the very statement that changes any of its rows, whoever writes (the app, the
  command line, an import, a purge, a raw SQL statement), and mark the visit dirty. Kept lines exist
  only for visits whose rows have not changed since they were encoded.
- *Filled before commit.* `keep_encoded` registers `refresh` to run at the end of every write
  transaction (`storage.db.before_commit`): the visits that transaction dirtied are encoded inside it,
  from the rows it is about to commit, so they commit together or not at all.
- *Fallback.* A visit with no kept lines (a store opened without the hook, the office) is encoded
  afresh by the export: slower, never different (tests/sync/test_encoded_cache.py holds the kept
  lines byte-equal to a fresh encoding after random writes).

The office does not export bundles and keeps no lines: `stop_keeping` drops the triggers there and
empties both tables (with the triggers, an office import of the sync benchmark's 10,000 visits took
about a third longer), and `start_keeping` gives a field store that lacks them its triggers back and
marks every visit dirty, so the invariant holds wherever the store has been.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator

from sqlite_utils import Database

from inspector_app.logs import log_event
from inspector_app.storage.cipher import ERRORS
from inspector_app.storage.db import before_commit, writing
from inspector_app.storage.schema import ENCODED_TABLES, ENCODED_TRIGGERS, encoded_trigger_statements
from inspector_app.sync.encoded import CHUNK, EncodedVisit, encoded_visits
from inspector_app.sync.records import chunks
from inspector_app.sync.zip_stream import deflate_piece, inflate_pieces

COLUMNS = ENCODED_TABLES  # the snapshot's tables, ("visits", *VISIT_PARTS): a test holds them equal

_INSERT = (
    f"INSERT OR REPLACE INTO sync_encoded_visits (visit_id, location_id, sha256, {', '.join(COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in range(3 + len(COLUMNS)))})"
)


def keep_encoded(db: Database) -> None:
    """Keep this store's visits' lines from now on: dirty visits are encoded before each commit. An
    office's store has no triggers (`stop_keeping`, also when it becomes the office while open), so
    nothing there is ever dirty and the hook finds nothing to do."""
    before_commit(db, refresh)


def _triggers_present(db: Database) -> set[str]:
    names = ", ".join(f"'{name}'" for name in ENCODED_TRIGGERS)
    rows = db.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})")
    return {str(row[0]) for row in rows}


def stop_keeping(db: Database) -> bool:
    """The office's store: no triggers and no kept lines from now on, in one transaction. Returns
    whether anything had to change (a store that already keeps nothing is not written)."""
    present = _triggers_present(db)
    if not present and db.execute("SELECT 1 FROM sync_encoded_visits LIMIT 1").fetchone() is None:
        return False
    with writing(db):
        for name in sorted(present):
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DELETE FROM sync_encoded_visits")
        db.execute("DELETE FROM sync_encoded_dirty")
    return True


def start_keeping(db: Database) -> bool:
    """A field store whose triggers are missing (it was set up as an office once): they are created
    again and every visit is marked dirty, so its lines are encoded before this transaction commits
    (when `keep_encoded` is registered). Returns whether anything had to change."""
    present = _triggers_present(db)
    if present == set(ENCODED_TRIGGERS):
        return False
    with writing(db):
        for name in sorted(present):
            db.execute(f"DROP TRIGGER {name}")
        for statement in encoded_trigger_statements():
            db.execute(statement)
        db.execute("DELETE FROM sync_encoded_visits")
        db.execute("INSERT OR IGNORE INTO sync_encoded_dirty (visit_id) SELECT id FROM visits")
    return True


_ENCODING_FAILURES: tuple[type[Exception], ...] = (*ERRORS, ValueError)


def refresh(db: Database) -> int:
    """Encode and keep every dirty visit's lines; the caller holds the write transaction. Returns how
    many visits were encoded (a deleted visit is only taken off the dirty list)."""
    dirty = [str(r[0]) for r in db.execute("SELECT visit_id FROM sync_encoded_dirty ORDER BY visit_id")]
    if not dirty:
        return 0
    every = len(dirty) == db.execute("SELECT count(*) FROM visits").fetchone()[0]
    try:
        rows = [
            [visit.visit_id, visit.location_id, visit.sha256, *_deflated(visit)]
            for visit in encoded_visits(db, None if every else dirty)
        ]
    except _ENCODING_FAILURES as error:
        # Reading or encoding failed (a row the encoding cannot take): the user's change commits all
        # the same, and the visits stay dirty (the export encodes them afresh, and says what fails).
        log_event("bundle_lines_not_encoded", reason=type(error).__name__)
        return 0
    db.conn.executemany(_INSERT, rows)
    db.execute("DELETE FROM sync_encoded_dirty")
    return len(rows)


def _deflated(visit: EncodedVisit) -> list[bytes]:
    """Each table's lines as they stand in a records file (a newline after each), deflated: the export
    splices them into the records files as they are, and reads a ninth of the bytes."""
    return [deflate_piece(visit.pieces[table] + b"\n") if visit.pieces[table] else b"" for table in COLUMNS]


def kept_hashes(db: Database) -> dict[str, str]:
    """The snapshot hash of every visit whose lines are kept."""
    return {str(v): str(s) for v, s in db.execute("SELECT visit_id, sha256 FROM sync_encoded_visits")}


def _kept(db: Database, visit_ids: list[str]) -> Iterator[EncodedVisit]:
    for chunk, marks in chunks(visit_ids, CHUNK):
        rows = db.execute(
            f"SELECT visit_id, location_id, sha256, {', '.join(COLUMNS)} FROM sync_encoded_visits"
            f" WHERE visit_id IN ({marks}) ORDER BY visit_id",
            chunk,
        )
        for visit_id, location_id, sha256, *pieces in rows:
            kept = dict(zip(COLUMNS, pieces, strict=True))
            photos = [json.loads(line) for line in inflate_pieces(kept["photos"]).splitlines()]
            yield EncodedVisit(visit_id, location_id, {}, photos, known_sha256=sha256, deflated=kept)


def visits_by_id(
    db: Database, visit_ids: list[str], kept: set[str], *, every_visit: bool = False
) -> Iterator[EncodedVisit]:
    """The given visits in id order: those in `kept` from their kept lines, the others encoded afresh;
    `every_visit` says `visit_ids` are all the store's visits, which are then encoded by id ranges when
    none is kept. `kept` must come from the same read transaction (a visit changed since its lines
    were kept has none), and an id that names no visit yields nothing."""
    ordered = sorted(set(visit_ids))
    from_store = [v for v in ordered if v in kept]
    fresh = [v for v in ordered if v not in kept]
    if every_visit and not from_store:
        encoded = encoded_visits(db)
    else:
        encoded = encoded_visits(db, fresh) if fresh else iter(())
    yield from heapq.merge(_kept(db, from_store), encoded, key=lambda visit: visit.visit_id)
