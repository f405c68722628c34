"""The audit log is append-only and hash-chained; tampering is detected."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from inspector_app.storage.audit import AuditEntry, append, append_many, verify_chain
from inspector_app.storage.db import open_db


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
    assert result.ok and result.entries == 5
    db.close()


def test_update_and_delete_are_refused(tmp_path: Path) -> None:
    db = open_db(_filled(tmp_path))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log WHERE seq = 2")
    db.close()


@pytest.mark.parametrize(
    ("tamper", "reason", "first_bad"),
    [
        ("UPDATE audit_log SET new = '\"yes\"' WHERE seq = 3", "content does not match its hash", 3),
        ("DELETE FROM audit_log WHERE seq = 2", "missing entry", 3),
        ("DELETE FROM audit_log WHERE seq = 5", None, None),
        ("UPDATE audit_log SET prev_hash = hash WHERE seq = 4", "previous-hash link broken", 4),
    ],
)
def test_tampered_rows_are_detected(
    tmp_path: Path, tamper: str, reason: str | None, first_bad: int | None
) -> None:
    """The verification names the first row that fails, so an investigator knows where to look."""
    path = _filled(tmp_path)
    with sqlite3.connect(path) as raw:  # an attacker with file access drops the triggers first
        raw.execute("DROP TRIGGER audit_log_is_append_only_update")
        raw.execute("DROP TRIGGER audit_log_is_append_only_delete")
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
