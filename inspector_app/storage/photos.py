"""Photo records; the image bytes live content-addressed in the data folder's media/ directory."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.storage.records import PhotoRow

PHOTO_COLUMNS = (
    "id, visit_id, question_id, person_number, sha256, media_type, width, height, size,"
    " caption, created_at, created_by"
)


def load_photos(db: Database, visit_id: str) -> list[PhotoRow]:
    rows = db.execute(
        f"SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = ? ORDER BY created_at, id", [visit_id]
    ).fetchall()
    return [PhotoRow(*row) for row in rows]


def insert_photo(db: Database, row: PhotoRow) -> None:
    db.execute(
        f"INSERT INTO photos ({PHOTO_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.id,
            row.visit_id,
            row.question_id,
            row.person_number,
            row.sha256,
            row.media_type,
            row.width,
            row.height,
            row.size,
            row.caption,
            row.created_at,
            row.created_by,
        ],
    )
