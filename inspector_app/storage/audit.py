"""The append-only, hash-chained audit log of every change (who, when, old -> new).

Triggers refuse UPDATE and DELETE on the table; each row's hash covers its content and the previous
row's hash, so editing or removing a row with the triggers dropped breaks the chain, which
`verify_chain` finds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

GENESIS_HASH = "0" * 64


def now_iso() -> str:
    """UTC timestamp with milliseconds, the format of every stored time."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _row_hash(prev_hash: str, fields: list[Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def entry_hash(prev_hash: str, fields: list[Any]) -> str:
    """The hash of one entry (seq, at, actor, device_id, action, entity, entity_id, visit_id, old, new)
    after `prev_hash`: what another installation recomputes to check a chain it received."""
    return _row_hash(prev_hash, fields)


def _encode(value: Any) -> str | None:
    return None if value is None else canonical_json(value)


def last_hash(db: Database) -> tuple[int, str]:
    row = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    device_id: str
    action: str
    entity: str
    entity_id: str
    visit_id: str | None = None
    old: Any = None
    new: Any = None


def append(db: Database, entry: AuditEntry, at: str | None = None) -> str:
    """Append one entry; call inside the transaction that makes the change it records."""
    return append_many(db, [entry], at)


def append_many(db: Database, entries: list[AuditEntry], at: str | None = None) -> str:
    seq, prev = last_hash(db)
    stamp = at or now_iso()
    rows = []
    for entry in entries:
        seq += 1
        old, new = _encode(entry.old), _encode(entry.new)
        fields = [
            seq,
            stamp,
            entry.actor,
            entry.device_id,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.visit_id,
            old,
            new,
        ]
        digest = _row_hash(prev, fields)
        rows.append((*fields, prev, digest))
        prev = digest
    db.conn.executemany(
        "INSERT INTO audit_log (seq, at, actor, device_id, action, entity, entity_id, visit_id, old,"
        " new, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return prev


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify_chain(db: Database) -> ChainVerification:
    """Recompute every hash; report the first row that does not match its content or predecessor."""
    prev = GENESIS_HASH
    count = 0
    cursor = db.execute(
        "SELECT seq, at, actor, device_id, action, entity, entity_id, visit_id, old, new, prev_hash,"
        " hash FROM audit_log ORDER BY seq"
    )
    for expected_seq, row in enumerate(cursor, start=1):
        count = expected_seq
        seq = int(row[0])
        if seq != expected_seq:
            return ChainVerification(False, count, seq, f"missing entry before seq {seq}")
        if row[10] != prev:
            return ChainVerification(False, count, seq, "previous-hash link broken")
        if _row_hash(prev, list(row[:10])) != row[11]:
            return ChainVerification(False, count, seq, "content does not match its hash")
        prev = row[11]
    return ChainVerification(True, count)
