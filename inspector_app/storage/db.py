"""The single way to open the database: pragmas, version checks, snapshot, migrations.

WAL with synchronous=FULL because an inspector closes the lid right after answering: every save that
returned must survive. A database written by a newer app is refused instead of being damaged, and a
`VACUUM INTO` snapshot is taken before an existing database is migrated.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.errors import AppError
from inspector_app.i18n import _
from inspector_app.storage.schema import SCHEMA_VERSION, migrations

APPLICATION_ID = 0x49415050  # "IAPP"

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA journal_size_limit = 67108864",
)


class DatabaseError(AppError):
    """The database file cannot be used as it is (newer version, other application, damaged)."""


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(str(path), timeout=5.0, isolation_level="DEFERRED")
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(
            _("Het bestand {path} is geen bruikbare database ({error}).", path=path, error=error)
        ) from error
    return connection


def _check_identity(connection: sqlite3.Connection, path: Path) -> int:
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    user_version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application_id not in (0, APPLICATION_ID) or (application_id == 0 and tables and user_version):
        raise DatabaseError(_("Het bestand {path} is geen database van deze app.", path=path))
    if user_version > SCHEMA_VERSION:
        raise DatabaseError(
            _(
                "De database {path} is gemaakt door een nieuwere versie van de app (schema {found}, deze "
                "versie kent tot {known}). Installeer de nieuwste versie; de database is niet gewijzigd.",
                path=path,
                found=user_version,
                known=SCHEMA_VERSION,
            )
        )
    return int(user_version)


def _snapshot(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.before-migration-v{version}-{stamp}.sqlite3")
    connection.execute("VACUUM INTO ?", (str(target),))
    return target


def open_db(path: Path, migrate: bool = True) -> Database:
    """Open (and create or migrate) the database at `path` with the app's pragmas."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = _connect(path)
    try:
        version = _check_identity(connection, path)
        for pragma in PRAGMAS:
            connection.execute(pragma)
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise DatabaseError(
                _(
                    "De database {path} kan niet in WAL-modus worden geopend; staat "
                    "het bestand op een netwerkschijf?",
                    path=path,
                )
            )
        connection.execute("PRAGMA synchronous = FULL")
        db = Database(connection)
        if migrate and version < SCHEMA_VERSION:
            if version > 0:
                _snapshot(connection, path, version)
            migrations.apply(db)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _ensure_device_id(db)
    except BaseException:
        connection.close()
        raise
    return db


class StorageWriteError(AppError):
    """A write could not be completed (disk full, read-only, locked); it was rolled back whole."""


@contextmanager
def writing(db: Database) -> Iterator[None]:
    """One transaction whose storage failures become a clear message; nothing is half written."""
    try:
        with db.atomic():
            yield
    except sqlite3.OperationalError as error:
        text = str(error).lower()
        if "full" in text:
            message = _("De schijf is vol; er is niets opgeslagen. Maak ruimte vrij en probeer het opnieuw.")
        elif "readonly" in text or "read-only" in text:
            message = _(
                "De database is alleen-lezen; er is niets opgeslagen. Controleer de rechten op de map."
            )
        elif "locked" in text or "busy" in text:
            message = _(
                "De database is bezet door een ander programma; er is niets opgeslagen. Probeer het zo "
                "opnieuw."
            )
        elif "i/o" in text:
            message = _(
                "Schrijffout op de schijf; er is niets opgeslagen. Controleer de schijf en probeer het "
                "opnieuw."
            )
        else:
            raise
        raise StorageWriteError(message) from error


def _ensure_device_id(db: Database) -> None:
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)", [str(uuid.uuid4())])


def device_id(db: Database) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    return str(row[0]) if row else "unknown-device"


def data_version(db: Database) -> int:
    """Changes whenever another connection commits; lets a long-lived session notice stale data."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
