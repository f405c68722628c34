"""Answers (one row per question and person) and the persons present of a visit."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.storage.records import AnswerRow, PersonRow, insert_record, select_records


def load_answers(db: Database, visit_id: str) -> list[AnswerRow]:
    return select_records(db, AnswerRow, "WHERE visit_id = ?", [visit_id])


def upsert_answer(db: Database, visit_id: str, row: AnswerRow) -> None:
    """Insert or replace the answer of one question for one person (0 = the visit itself)."""
    values = {"visit_id": visit_id, **row.as_row()}
    db.execute(
        f"INSERT INTO answers ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})"
        " ON CONFLICT (visit_id, question_id, person_number) DO UPDATE SET value = excluded.value,"
        " note = excluded.note, updated_at = excluded.updated_at",
        list(values.values()),
    )


def delete_answer(db: Database, visit_id: str, question_id: str, person_number: int) -> None:
    db.execute(
        "DELETE FROM answers WHERE visit_id = ? AND question_id = ? AND person_number = ?",
        [visit_id, question_id, person_number],
    )


def load_persons(db: Database, visit_id: str) -> list[PersonRow]:
    return select_records(db, PersonRow, "WHERE visit_id = ? ORDER BY number", [visit_id])


def insert_person(db: Database, row: PersonRow, at: str) -> None:
    insert_record(db, row, created_at=at, updated_at=at)


def update_person(db: Database, person_id: str, at: str, **fields: str | int | None) -> None:
    allowed = {"code", "role", "age_band", "languages", "removed"}
    if set(fields) - allowed:
        raise ValueError(f"cannot update person fields {sorted(set(fields) - allowed)}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(
        f"UPDATE persons SET {assignments}, updated_at = ? WHERE id = ?", [*fields.values(), at, person_id]
    )
