"""Photo records; the image bytes live content-addressed, sealed, in media/ (storage/media_files.py)."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.storage.records import PhotoRow, insert_record, select_records


def load_photos(db: Database, visit_id: str) -> list[PhotoRow]:
    return select_records(db, PhotoRow, "WHERE visit_id = ? ORDER BY created_at, id", [visit_id])


def insert_photo(db: Database, row: PhotoRow) -> None:
    insert_record(db, row)
