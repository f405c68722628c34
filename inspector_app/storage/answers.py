"""Answers (one row per question and person) and the persons present of a visit."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from inspector_app.storage.records import AnswerRow, PersonRow

ANSWER_COLUMNS = "question_id, person_number, value, note, updated_at"
PERSON_COLUMNS = "id, visit_id, number, code, role, age_band, languages, removed"


def load_answers(db: Database, visit_id: str) -> list[AnswerRow]:
    rows = db.execute(f"SELECT {ANSWER_COLUMNS} FROM answers WHERE visit_id = ?", [visit_id]).fetchall()
    return [
        AnswerRow(row[0], row[1], None if row[2] is None else json.loads(row[2]), *row[3:]) for row in rows
    ]


def upsert_answer(db: Database, visit_id: str, row: AnswerRow) -> None:
    """Insert or replace the answer of one question for one person (0 = the visit itself)."""
    db.execute(
        "INSERT INTO answers (visit_id, question_id, person_number, value, note, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (visit_id, question_id, person_number) DO UPDATE SET value = excluded.value,"
        " note = excluded.note, updated_at = excluded.updated_at",
        [
            visit_id,
            row.question_id,
            row.person_number,
            None if row.value is None else json.dumps(row.value, ensure_ascii=False),
            row.note,
            row.updated_at,
        ],
    )


def delete_answer(db: Database, visit_id: str, question_id: str, person_number: int) -> None:
    db.execute(
        "DELETE FROM answers WHERE visit_id = ? AND question_id = ? AND person_number = ?",
        [visit_id, question_id, person_number],
    )


def load_persons(db: Database, visit_id: str) -> list[PersonRow]:
    rows = db.execute(
        f"SELECT {PERSON_COLUMNS} FROM persons WHERE visit_id = ? ORDER BY number", [visit_id]
    ).fetchall()
    persons = []
    for row in rows:
        values: list[Any] = list(row)
        values[7] = bool(values[7])
        persons.append(PersonRow(*values))
    return persons


def insert_person(db: Database, row: PersonRow, at: str) -> None:
    db.execute(
        f"INSERT INTO persons ({PERSON_COLUMNS}, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.id,
            row.visit_id,
            row.number,
            row.code,
            row.role,
            row.age_band,
            row.languages,
            int(row.removed),
            at,
            at,
        ],
    )


def update_person(db: Database, person_id: str, at: str, **fields: str | int | None) -> None:
    allowed = {"code", "role", "age_band", "languages", "removed"}
    if set(fields) - allowed:
        raise ValueError(f"cannot update person fields {sorted(set(fields) - allowed)}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(
        f"UPDATE persons SET {assignments}, updated_at = ? WHERE id = ?", [*fields.values(), at, person_id]
    )
