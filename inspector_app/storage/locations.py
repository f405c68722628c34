"""The location register: name, address, postcode, KvK number, type and licence number."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.storage.records import LocationRow, insert_record, select_records


def insert_location(db: Database, row: LocationRow) -> None:
    insert_record(db, row)


def get_location(db: Database, location_id: str) -> LocationRow | None:
    found = select_records(db, LocationRow, "WHERE id = ?", [location_id])
    return found[0] if found else None


def find_location(db: Database, name: str, postcode: str, location_type: str) -> LocationRow | None:
    """An existing register entry with the same name, postcode and type (case-insensitive)."""
    found = select_records(
        db,
        LocationRow,
        "WHERE name = ? COLLATE NOCASE"
        " AND replace(upper(postcode), ' ', '') = replace(upper(?), ' ', '') AND location_type = ?"
        " ORDER BY created_at LIMIT 1",
        [name, postcode, location_type],
    )
    return found[0] if found else None


def list_locations(
    db: Database, search: str = "", location_type: str | None = None, limit: int = 500
) -> list[LocationRow]:
    clauses, params = [], []
    if search:
        clauses.append("(name LIKE ? OR address LIKE ? OR postcode LIKE ? OR kvk_number LIKE ?)")
        params += [f"%{search}%"] * 4
    if location_type:
        clauses.append("location_type = ?")
        params.append(location_type)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return select_records(db, LocationRow, f"{where} ORDER BY name COLLATE NOCASE LIMIT ?", [*params, limit])
