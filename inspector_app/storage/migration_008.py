"""Migration 008: the audit log's values move to a purgeable table; retention periods get their table.

Every existing audit row keeps its seq, time, actor, action and original hash (scheme 1, whose hash
covers the values). Its values move to `audit_values` with a fresh salt, and the row gets the salted
commitment of those values. A seal row (scheme 2) then fixes every scheme-1 row's chain fields,
commitment and hashes, so once retention deletes their values the old rows still verify through the
seal (storage.audit explains the verification; docs/privacy.md the reasoning).
"""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.storage.audit import (
    SCHEME_LEGACY,
    SEAL_ACTION,
    SEAL_ENTITY,
    AuditEntry,
    append,
    legacy_row_hash,
    legacy_seal,
    new_salt,
    values_commitment,
)

AUDIT_TABLES = [
    """CREATE TABLE audit_chain (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        device_id TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        visit_id TEXT,
        values_sha256 TEXT NOT NULL,
        scheme INTEGER NOT NULL CHECK (scheme IN (1, 2)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX audit_chain_by_visit ON audit_chain (visit_id)",
    # The purgeable part: no triggers, deleted by retention (storage.purge) and never updated.
    """CREATE TABLE audit_values (
        seq INTEGER PRIMARY KEY REFERENCES audit_chain (seq),
        visit_id TEXT,
        salt TEXT NOT NULL,
        old TEXT,
        new TEXT
    )""",
    "CREATE INDEX audit_values_by_visit ON audit_values (visit_id)",
]
AUDIT_VIEW_AND_TRIGGERS = [
    """CREATE VIEW audit_log AS
       SELECT c.seq, c.at, c.actor, c.device_id, c.action, c.entity, c.entity_id, c.visit_id, v.old, v.new,
              c.prev_hash, c.hash, c.scheme, c.values_sha256, v.salt
       FROM audit_chain c LEFT JOIN audit_values v ON v.seq = c.seq""",
    # The office keeps each laptop's chain (sync_remote_audit) with what it needs to recompute a
    # scheme-2 hash (the commitment) and to check the values against it (the salt) — sync/chain.py.
    "ALTER TABLE sync_remote_audit ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1",  # rows before: scheme 1
    "ALTER TABLE sync_remote_audit ADD COLUMN values_sha256 TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sync_remote_audit ADD COLUMN salt TEXT",
    """CREATE TRIGGER audit_chain_is_append_only_update BEFORE UPDATE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_chain_is_append_only_delete BEFORE DELETE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_values_are_never_changed BEFORE UPDATE ON audit_values
       BEGIN SELECT RAISE(ABORT, 'audit values are never changed, only purged'); END""",
]
RETENTION_TABLE = [
    # The office's (DPO's) retention periods per record class; a class without a row has its default.
    """CREATE TABLE retention_policy (
        record_class TEXT PRIMARY KEY,
        days INTEGER CHECK (days IS NULL OR days >= 0),
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL
    )""",
]
_OLD_RETENTION_KEY = "sync.retention_days"  # the laptop's purge period before 008 (sync.receipts)


def separate_audit_values(db: Database) -> None:
    for statement in [*AUDIT_TABLES, *RETENTION_TABLE]:
        db.execute(statement)
    sealed = []
    prev_ok = True
    rows = db.execute(
        "SELECT seq, at, actor, device_id, action, entity, entity_id, visit_id, old, new, prev_hash, hash"
        " FROM audit_log ORDER BY seq"
    ).fetchall()
    for row in rows:
        fields, old, new, prev_hash, stored = list(row[:8]), row[8], row[9], row[10], row[11]
        prev_ok = prev_ok and legacy_row_hash(prev_hash, [*fields, old, new]) == stored
        salt = new_salt()
        commitment = values_commitment(salt, old, new)
        db.execute(
            "INSERT INTO audit_chain VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*fields, commitment, SCHEME_LEGACY, prev_hash, stored],
        )
        db.execute(
            "INSERT INTO audit_values (seq, visit_id, salt, old, new) VALUES (?, ?, ?, ?, ?)",
            [fields[0], fields[7], salt, old, new],
        )
        sealed.append((*fields, commitment, prev_hash, stored))
    db.execute("DROP TABLE audit_log")
    for statement in AUDIT_VIEW_AND_TRIGGERS:
        db.execute(statement)
    if sealed:
        device = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        append(
            db,
            AuditEntry(
                "system:migratie-008",
                str(device[0]) if device else "unknown-device",
                SEAL_ACTION,
                SEAL_ENTITY,
                legacy_seal(sealed),
                None,
                None,
                {
                    "legacy_entries": len(sealed),
                    "legacy_head": sealed[-1][-1],
                    "legacy_hashes_matched": prev_ok,
                },
            ),
        )
    old_days = db.execute("SELECT value FROM meta WHERE key = ?", [_OLD_RETENTION_KEY]).fetchone()
    if old_days is not None and str(old_days[0]).isdigit():
        db.execute(
            "INSERT INTO retention_policy (record_class, days, set_at, set_by) VALUES"
            " ('finalised_visits', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system:migratie-008')",
            [int(old_days[0])],
        )
