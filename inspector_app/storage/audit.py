"""The append-only, hash-chained audit log of every change (who, when, old -> new), with purgeable values.

The log is two tables behind one view (migration 008, docs/privacy.md):

- `audit_chain` holds who, when, what and a *commitment* to the values: `values_sha256` is the SHA-256
  of a random salt with the old and new value. Triggers refuse UPDATE and DELETE; each row's hash
  covers its chain fields (the commitment, not the values) and the previous row's hash.
- `audit_values` holds the salt and the old and new values. Retention deletes these rows: the chain
  still verifies, and with the salt gone the commitment does not reveal even a yes/no answer.
- the view `audit_log` joins the two with the columns the log always had (old/new are NULL once
  purged), so readers and the bundle format did not change.

Rows written before 008 (scheme 1) keep their original hash, which covers the values themselves. The
migration checked that chain, gave each row a commitment and appended a *seal* (a scheme-2 row whose
entity_id is the SHA-256 of every scheme-1 row's chain fields, commitment and hashes). A scheme-1 row
is verified by its link, by its original hash while its values exist, and by the seal always.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

GENESIS_HASH = "0" * 64
SCHEME_LEGACY = 1
SCHEME_DIGEST = 2
SEAL_ACTION = "audit.values_separated"
SEAL_ENTITY = "audit_chain"
CHAIN_FIELDS = "seq, at, actor, device_id, action, entity, entity_id, visit_id"


def now_iso() -> str:
    """UTC timestamp with milliseconds, the format of every stored time."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def legacy_row_hash(prev_hash: str, fields: list[Any]) -> str:
    """The scheme-1 hash: the chain fields followed by the old and new values themselves."""
    return _sha256(prev_hash + canonical_json(fields))


def chain_hash(prev_hash: str, fields: list[Any], values_sha256: str) -> str:
    """The scheme-2 hash: the chain fields and the commitment, never the values."""
    return _sha256(prev_hash + canonical_json([SCHEME_DIGEST, *fields, values_sha256]))


def values_commitment(salt: str, old: str | None, new: str | None) -> str:
    return _sha256(canonical_json([salt, old, new]))


def new_salt() -> str:
    return secrets.token_hex(16)


def entry_hash(prev_hash: str, fields: list[Any], scheme: int | None, values_sha256: str | None) -> str:
    """The hash of one entry (seq, at, actor, device_id, action, entity, entity_id, visit_id, old, new)
    after `prev_hash`, by its scheme: what another installation recomputes to check a chain it received."""
    if scheme == SCHEME_DIGEST and values_sha256 is not None:
        return chain_hash(prev_hash, fields[:8], values_sha256)
    return legacy_row_hash(prev_hash, fields)


def _encode(value: Any) -> str | None:
    return None if value is None else canonical_json(value)


def last_hash(db: Database) -> tuple[int, str]:
    row = db.execute("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1").fetchone()
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
    chain_rows = []
    value_rows = []
    for entry in entries:
        seq += 1
        old, new = _encode(entry.old), _encode(entry.new)
        salt = new_salt()
        commitment = values_commitment(salt, old, new)
        fields = [seq, stamp, entry.actor, entry.device_id, entry.action, entry.entity, entry.entity_id]
        fields.append(entry.visit_id)
        digest = chain_hash(prev, fields, commitment)
        chain_rows.append((*fields, commitment, SCHEME_DIGEST, prev, digest))
        value_rows.append((seq, entry.visit_id, salt, old, new))
        prev = digest
    db.conn.executemany(
        f"INSERT INTO audit_chain ({CHAIN_FIELDS}, values_sha256, scheme, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        chain_rows,
    )
    db.conn.executemany(
        "INSERT INTO audit_values (seq, visit_id, salt, old, new) VALUES (?, ?, ?, ?, ?)", value_rows
    )
    return prev


def purge_values(db: Database, where: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
    """Delete the values of the audit rows `where` selects (an SQL condition on audit_chain).

    Call inside the transaction of the purge it belongs to; the chain rows stay and keep verifying.
    """
    cursor = db.execute(
        f"DELETE FROM audit_values WHERE seq IN (SELECT seq FROM audit_chain WHERE {where})",
        params if isinstance(params, dict) else list(params),
    )
    return int(cursor.rowcount)


def legacy_seal(rows: Iterable[Iterable[Any]]) -> str:
    """The SHA-256 over every scheme-1 row: chain fields, commitment, prev_hash and hash, in seq order."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(canonical_json(list(row)).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""
    purged_values: int = 0  # rows whose values were removed by retention (their chain still verified)


def verify_chain(db: Database) -> ChainVerification:
    """Recompute every hash; report the first row that does not match its content or predecessor."""
    prev = GENESIS_HASH
    count = purged = 0
    legacy: list[tuple[Any, ...]] = []
    legacy_purged: list[int] = []
    seal: tuple[int, str] | None = None
    cursor = db.execute(
        "SELECT c.seq, c.at, c.actor, c.device_id, c.action, c.entity, c.entity_id, c.visit_id,"
        " c.values_sha256, c.scheme, c.prev_hash, c.hash, v.seq IS NOT NULL, v.salt, v.old, v.new"
        " FROM audit_chain c LEFT JOIN audit_values v ON v.seq = c.seq ORDER BY c.seq"
    )
    for expected_seq, row in enumerate(cursor, start=1):
        count = expected_seq
        seq = int(row[0])
        fields, commitment, scheme, prev_hash, stored = list(row[:8]), row[8], row[9], row[10], row[11]
        has_values, salt, old, new = bool(row[12]), row[13], row[14], row[15]
        if seq != expected_seq:
            return ChainVerification(False, count, seq, f"missing entry before seq {seq}")
        if prev_hash != prev:
            return ChainVerification(False, count, seq, "previous-hash link broken")
        if has_values and values_commitment(str(salt), old, new) != commitment:
            return ChainVerification(False, count, seq, "content does not match its hash")
        purged += 0 if has_values else 1
        if scheme == SCHEME_LEGACY:
            if seal is not None:
                return ChainVerification(False, count, seq, "legacy entry after the seal")
            if has_values and legacy_row_hash(prev, [*fields, old, new]) != stored:
                return ChainVerification(False, count, seq, "content does not match its hash")
            legacy.append((*fields, commitment, prev_hash, stored))
            if not has_values:
                legacy_purged.append(seq)
        else:
            if chain_hash(prev, fields, str(commitment)) != stored:
                return ChainVerification(False, count, seq, "content does not match its hash")
            if row[4] == SEAL_ACTION and row[5] == SEAL_ENTITY and seal is None:
                seal = (seq, str(row[6]))
                if legacy and legacy_seal(legacy) != seal[1]:
                    return ChainVerification(False, count, seq, "legacy entries do not match their seal")
        prev = stored
    if legacy_purged and seal is None:
        # without its values and without the seal nothing vouches for a scheme-1 row
        return ChainVerification(False, count, legacy_purged[0], "legacy entries without a seal")
    return ChainVerification(True, count, purged_values=purged)
