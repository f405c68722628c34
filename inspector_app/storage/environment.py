"""Which environment a store is: real work, or the practice environment ("oefenomgeving").

The mark lives in the database's own `meta` table, so a practice store stays a practice store when its
folder is copied, renamed or pointed at with `--data-dir`: the folder name is only where the app looks
first. Export refuses a store with this mark, so demo visits can never travel in a bundle.
"""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.errors import ConflictStateError
from inspector_app.i18n import _
from inspector_app.storage.db import writing

ENVIRONMENT_KEY = "environment"
PRACTICE = "practice"


def is_practice(db: Database) -> bool:
    """Whether the store is marked as the practice environment."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [ENVIRONMENT_KEY]).fetchone()
    return bool(row) and str(row[0]) == PRACTICE


def mark_practice(db: Database) -> None:
    """Mark the store as the practice environment; a mark is never taken away again."""
    if is_practice(db):
        return
    with writing(db):
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [ENVIRONMENT_KEY, PRACTICE])


def refuse_practice_export(db: Database) -> None:
    """Stop an export from a practice store, before anything is read or written."""
    if is_practice(db):
        raise ConflictStateError(
            _(
                "Dit is de oefenomgeving: oefengegevens worden nooit geëxporteerd. Open de echte "
                "omgeving (menu Bestand, of zonder --oefen) om bezoeken uit te wisselen."
            )
        )


def refuse_practice_import(db: Database) -> None:
    """Stop a bundle import into a practice store: practice and real visits are never mixed."""
    if is_practice(db):
        raise ConflictStateError(
            _(
                "Dit is de oefenomgeving: bundels worden hier niet ingelezen, zodat echte en "
                "oefenbezoeken nooit door elkaar raken. Open de echte omgeving om te importeren."
            )
        )
