"""The audit log is append-only and hash-chained; tampering is detected, purged values are not needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from inspector_app.storage import cipher, schema
from inspector_app.storage.audit import (
    GENESIS_HASH,
    SEAL_ACTION,
    AuditEntry,
    append,
    append_many,
    canonical_json,
    legacy_row_hash,
    purge_values,
    verify_chain,
)
from inspector_app.storage.db import APPLICATION_ID, open_db
from tests.raw_store import raw_connect

TRIGGERS = (
    "audit_chain_is_append_only_update",
    "audit_chain_is_append_only_delete",
    "audit_values_are_never_changed",
)


def _filled(tmp_path: Path) -> Path:
    path = tmp_path / "audit.sqlite3"
    db = open_db(path)
    with db.atomic():
        append(db, AuditEntry("Toezichthouder 1", "dev", "answer.set", "answer", "PB-01", "v1", None, "no"))
        append_many(
            db,
            [
                AuditEntry("Toezichthouder 1", "dev", "answer.set", "answer", f"PB-0{i}", "v1", "yes", "no")
                for i in range(2, 6)
            ],
        )
    db.close()
    return path


def test_chain_verifies(tmp_path: Path) -> None:
    db = open_db(_filled(tmp_path))
    result = verify_chain(db)
    assert result.ok and result.entries == 5 and result.purged_values == 0
    db.close()


def test_the_view_shows_the_values_as_before(tmp_path: Path) -> None:
    db = open_db(_filled(tmp_path))
    assert db.execute("SELECT old, new FROM audit_log WHERE seq = 2").fetchone() == ('"yes"', '"no"')
    db.close()


def test_update_and_delete_are_refused(tmp_path: Path) -> None:
    db = open_db(_filled(tmp_path))
    with pytest.raises(cipher.INTEGRITY, match="append-only"):
        db.execute("UPDATE audit_chain SET actor = 'someone else' WHERE seq = 2")
    with pytest.raises(cipher.INTEGRITY, match="append-only"):
        db.execute("DELETE FROM audit_chain WHERE seq = 2")
    with pytest.raises(cipher.INTEGRITY, match="never changed"):
        db.execute("UPDATE audit_values SET new = '\"yes\"' WHERE seq = 2")
    with pytest.raises(cipher.OPERATIONAL):
        db.execute("DELETE FROM audit_log WHERE seq = 2")  # a view: nothing to delete through it
    db.close()


@pytest.mark.parametrize(
    ("tamper", "reason", "first_bad"),
    [
        ("UPDATE audit_values SET new = '\"yes\"' WHERE seq = 3", "content does not match its hash", 3),
        ("UPDATE audit_chain SET actor = 'iemand' WHERE seq = 3", "content does not match its hash", 3),
        ("UPDATE audit_chain SET values_sha256 = hash WHERE seq = 3", "content does not match its hash", 3),
        ("DELETE FROM audit_chain WHERE seq = 2", "missing entry", 3),
        ("DELETE FROM audit_chain WHERE seq = 5", None, None),
        ("UPDATE audit_chain SET prev_hash = hash WHERE seq = 4", "previous-hash link broken", 4),
    ],
)
def test_tampered_rows_are_detected(
    tmp_path: Path, tamper: str, reason: str | None, first_bad: int | None
) -> None:
    """The verification names the first row that fails, so an investigator knows where to look."""
    path = _filled(tmp_path)
    with raw_connect(path) as raw:  # an attacker with file access drops the triggers first
        for trigger in TRIGGERS:
            raw.execute(f"DROP TRIGGER {trigger}")
        raw.execute("DELETE FROM audit_values WHERE seq = 5" if "seq = 5" in tamper else "SELECT 1")
        raw.execute(tamper)
    db = open_db(path)
    result = verify_chain(db)
    if reason is None:
        # removing the newest row cannot be seen from the chain alone; the count shows it
        assert result.ok and result.entries == 4
    else:
        assert not result.ok and reason in result.reason
    assert result.first_bad_seq == first_bad
    db.close()


def test_purged_values_leave_a_chain_that_verifies(tmp_path: Path) -> None:
    db = open_db(_filled(tmp_path))
    with db.atomic():
        assert purge_values(db, "entity_id IN ('PB-02', 'PB-03')") == 2
    result = verify_chain(db)
    assert result.ok and result.entries == 5 and result.purged_values == 2
    assert db.execute("SELECT old, new FROM audit_log WHERE seq = 2").fetchone() == (None, None)
    db.close()


def test_the_commitment_does_not_reveal_a_yes_or_no(tmp_path: Path) -> None:
    """A bare hash of "yes"/"no" could be guessed by trying both; the salt goes with the values."""
    db = open_db(_filled(tmp_path))
    [commitment] = db.execute("SELECT values_sha256 FROM audit_chain WHERE seq = 2").fetchone()
    with db.atomic():
        purge_values(db, "seq = 2")
    import hashlib

    guesses = {
        hashlib.sha256(canonical_json([old, new]).encode()).hexdigest()
        for old in (None, '"yes"', '"no"')
        for new in (None, '"yes"', '"no"')
    }
    assert commitment not in guesses
    assert db.execute("SELECT count(*) FROM audit_values WHERE seq = 2").fetchone()[0] == 0
    db.close()


def _legacy_store(path: Path, rows: int = 4) -> None:
    """A store as version 004 left it: the audit rows' hashes cover their values."""
    db = Database(path)
    schema.migrations.apply(db, stop_before="008_purgeable_audit_values")
    assert db.execute("PRAGMA user_version").fetchone()[0] < 8  # the schema before 008
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("INSERT INTO meta (key, value) VALUES ('device_id', 'dev-legacy')")
    db.execute("INSERT INTO meta (key, value) VALUES ('sync.retention_days', '12')")
    prev = GENESIS_HASH
    for seq in range(1, rows + 1):
        fields = [
            seq,
            f"2026-01-0{seq}T10:00:00.000Z",
            "Toezichthouder 2",
            "dev-legacy",
            "answer.set",
            "answer",
        ]
        fields += [f"PB-1{seq}", "v-old", None, canonical_json(f"oude waarde {seq}")]
        digest = legacy_row_hash(prev, fields)
        db.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*fields, prev, digest]
        )
        prev = digest
    db.conn.commit()
    db.close()


def test_migration_008_keeps_old_rows_verifiable_with_and_without_values(tmp_path: Path) -> None:
    path = tmp_path / "legacy.sqlite3"
    _legacy_store(path)
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM audit_chain WHERE scheme = 1").fetchone()[0] == 4
    [(action, new)] = db.execute("SELECT action, new FROM audit_log WHERE seq = 5").fetchall()
    assert action == SEAL_ACTION and '"legacy_entries":4' in new and '"legacy_hashes_matched":true' in new
    assert db.execute("SELECT new FROM audit_log WHERE seq = 2").fetchone()[0] == '"oude waarde 2"'
    assert verify_chain(db).ok
    assert db.execute(
        "SELECT days FROM retention_policy WHERE record_class = 'finalised_visits'"
    ).fetchone() == (12,)
    with db.atomic():
        purge_values(db, "scheme = 1")
        append(db, AuditEntry("Toezichthouder 2", "dev-legacy", "answer.set", "answer", "PB-20", "v-new"))
    result = verify_chain(db)
    assert result.ok and result.entries == 6 and result.purged_values == 4
    db.close()


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("UPDATE audit_chain SET actor = 'iemand' WHERE seq = 2", "do not match their seal"),
        ("UPDATE audit_chain SET entity_id = 'PB-99' WHERE seq = 1", "do not match their seal"),
        ("UPDATE audit_chain SET values_sha256 = hash WHERE seq = 3", "do not match their seal"),
        ("DELETE FROM audit_chain WHERE seq = 5", "legacy entries without a seal"),
    ],
)
def test_a_purged_legacy_row_is_still_held_by_the_seal(tmp_path: Path, tamper: str, reason: str) -> None:
    path = tmp_path / "legacy.sqlite3"
    _legacy_store(path)
    db = open_db(path)
    with db.atomic():
        purge_values(db, "scheme = 1")
    db.close()
    with raw_connect(path) as raw:
        for trigger in TRIGGERS:
            raw.execute(f"DROP TRIGGER {trigger}")
        raw.execute(tamper)
    db = open_db(path)
    result = verify_chain(db)
    assert not result.ok and reason in result.reason
    db.close()


def test_a_legacy_value_changed_before_the_purge_is_found(tmp_path: Path) -> None:
    path = tmp_path / "legacy.sqlite3"
    _legacy_store(path)
    db = open_db(path)
    db.close()
    with raw_connect(path) as raw:
        raw.execute("DROP TRIGGER audit_values_are_never_changed")
        [salt] = raw.execute("SELECT salt FROM audit_values WHERE seq = 2").fetchone()
        # a forger who also fixes the commitment still fails the original hash
        from inspector_app.storage.audit import values_commitment

        forged = canonical_json("vervalst")
        raw.execute("UPDATE audit_values SET new = ? WHERE seq = 2", [forged])
        raw.execute("DROP TRIGGER audit_chain_is_append_only_update")
        raw.execute(
            "UPDATE audit_chain SET values_sha256 = ? WHERE seq = 2", [values_commitment(salt, None, forged)]
        )
    db = open_db(path)
    result = verify_chain(db)
    assert not result.ok and result.first_bad_seq == 2
    db.close()
