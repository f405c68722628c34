"""The municipal policy rows (`policy` table): read them whole, set one key, replace them all."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.domain.policy import MunicipalPolicy


def stored_policy_texts(db: Database) -> dict[str, str]:
    """The keys the office (or this install) has set, as stored; defaults are not rows."""
    return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM policy ORDER BY key").fetchall()}


def load_policy(db: Database) -> MunicipalPolicy:
    return MunicipalPolicy.from_texts(stored_policy_texts(db))


def policy_rows(db: Database) -> list[dict[str, str]]:
    """Every stored row, for a reference bundle."""
    rows = db.execute("SELECT key, value, updated_at FROM policy ORDER BY key").fetchall()
    return [{"key": k, "value": v, "updated_at": at} for k, v, at in rows]


def set_policy_value(db: Database, key: str, value: str, at: str) -> None:
    """Set one key (the caller checked it and holds the write transaction)."""
    db.execute(
        "INSERT INTO policy (key, value, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [key, value, at],
    )


def replace_policy(db: Database, rows: list[dict[str, str]]) -> None:
    """The office's rows in place of this laptop's (inside the reference import's transaction)."""
    db.execute("DELETE FROM policy")
    for row in rows:
        set_policy_value(db, row["key"], row["value"], row["updated_at"])
