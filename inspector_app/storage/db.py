"""The single way to open the database: pragmas, version checks, snapshot, migrations.

WAL with synchronous=FULL because an inspector closes the lid right after answering: every save that
returned must survive. A database written by a newer app is refused instead of being damaged, and a
`VACUUM INTO` snapshot is taken before an existing database is migrated.
"""

from __future__ import annotations

import sqlite3
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from inspector_app.errors import AppError
from inspector_app.fileio import make_private_dir, restrict_to_user
from inspector_app.i18n import _
from inspector_app.storage import cipher
from inspector_app.storage.place import refuse_network_folder
from inspector_app.storage.schema import SCHEMA_VERSION, migrations
from inspector_app.storage.store_key import key_file_of
from inspector_app.storage.unlock import Unlock, data_key_for

APPLICATION_ID = 0x49415050  # "IAPP"

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA journal_size_limit = 67108864",
    # 32 MB of page cache (default 2 MB): a 100-person visit's answers, observations and audit pages
    # stay decrypted in memory, so a re-evaluation does not decrypt them again (bench/bench_cipher.py)
    "PRAGMA cache_size = -32000",
)


SNAPSHOT_MARK = ".before-migration-v"
QUICK_CHECK_KEY = "store.quick_check_at"
# The data key of each open store, for the work that needs it beside the connection (snapshots,
# media, key files, passphrase change); gone with the Database object.
_KEYS: weakref.WeakKeyDictionary[Database, bytes] = weakref.WeakKeyDictionary()
# The same keys by data folder, for files beside the database that are sealed under it (sync keys).
_FOLDER_KEYS: dict[Path, bytes] = {}
QUICK_CHECK_EVERY = timedelta(days=1)


class DatabaseError(AppError):
    """The database file cannot be used as it is (newer version, other application, damaged)."""


class DamagedDatabaseError(DatabaseError):
    """`PRAGMA quick_check` (or SQLite itself) found the file damaged."""

    exit_code = 65  # EX_DATAERR


class StorageWriteError(AppError):
    """A write could not be completed (disk full, read-only, locked); it was rolled back whole."""


class DiskFullError(StorageWriteError):
    exit_code = 74


class ReadOnlyStoreError(StorageWriteError):
    exit_code = 77


class StoreBusyError(StorageWriteError):
    exit_code = 75


class StoreIOError(StorageWriteError):
    exit_code = 71


def damaged_message(path: Path | str) -> str:
    return _(
        "De database {path} is beschadigd. Werk er niet verder mee: sluit de app, maak een kopie van de "
        "hele gegevensmap voor functioneel beheer en zet de laatste back-up terug (wat al naar het kantoor "
        "is gestuurd, staat daar nog).",
        path=path,
    )


def storage_error(error: Exception, path: Path | str | None = None) -> AppError | None:
    """The clear message and exit code for a storage failure, or None when it is no storage problem.

    Every layer that meets sqlite3's or sqlcipher3's exceptions (`cipher.ERRORS`) goes through here,
    so a full disk or a damaged file reads the same everywhere."""
    text = str(error).lower()
    where = path if path is not None else "-"
    if "malformed" in text or "corrupt" in text:
        return DamagedDatabaseError(damaged_message(where))
    if "full" in text:
        return DiskFullError(
            _("De schijf is vol; er is niets opgeslagen. Maak ruimte vrij en probeer het opnieuw.")
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return ReadOnlyStoreError(
            _("De database is alleen-lezen; er is niets opgeslagen. Controleer de rechten op de map.")
        )
    if "locked" in text or "busy" in text:
        return StoreBusyError(
            _(
                "De database is bezet door een ander programma; er is niets opgeslagen. Probeer het zo "
                "opnieuw."
            )
        )
    if "i/o" in text:
        return StoreIOError(
            _(
                "Schrijffout op de schijf; er is niets opgeslagen. Controleer de schijf en probeer het "
                "opnieuw."
            )
        )
    return None


def _connect(path: Path, key: bytes) -> sqlite3.Connection:
    try:
        connection = cipher.connect(path, key)
    except cipher.OPERATIONAL as error:
        raise storage_error(error, path) or DatabaseError(str(error)) from error
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except cipher.OPERATIONAL as error:
        connection.close()
        known = storage_error(error, path)
        if isinstance(known, ReadOnlyStoreError):
            raise ReadOnlyStoreError(
                _(
                    "De database {path} kan niet worden geopend: de map is alleen-lezen of niet van deze "
                    "gebruiker. Controleer de rechten op de map (alleen u moet er kunnen schrijven).",
                    path=path,
                )
            ) from error
        raise known or DatabaseError(str(error)) from error
    except cipher.DATABASE as error:
        connection.close()
        if isinstance(storage_error(error, path), DamagedDatabaseError):
            raise DamagedDatabaseError(damaged_message(path)) from error
        raise DatabaseError(
            _(
                "Het bestand {path} is geen bruikbare database, of het sleutelbestand {key} hoort er "
                "niet bij ({error}).",
                path=path,
                key=key_file_of(path),
                error=error,
            )
        ) from error
    return connection  # type: ignore[no-any-return]


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
    target = path.with_name(f"{path.stem}{SNAPSHOT_MARK}{version}-{stamp}.sqlite3")
    connection.execute("VACUUM INTO ?", (str(target),))  # encrypted with the same key (SQLCipher)
    return target


def snapshots_of(database: Path) -> list[Path]:
    """The pre-migration snapshots beside the database."""
    return sorted(database.parent.glob(f"{database.stem}{SNAPSHOT_MARK}*.sqlite3"))


def open_db(path: Path, migrate: bool = True, unlock: Unlock | None = None) -> Database:
    """Open (and create or migrate) the encrypted database at `path` with the app's pragmas.

    The one entry point: a folder on a network drive is refused, the files are made this user's only,
    the data key is unwrapped (`unlock`: what the caller can offer; by default the OS key store and
    $INSPECTOR_APP_PASSPHRASE_FILE), a plaintext store and its snapshots are converted in place, and
    once a day `PRAGMA quick_check` looks for damage (a damaged file is refused with what to do).
    """
    refuse_network_folder(path.parent)
    make_private_dir(path.parent)
    key = data_key_for(path, unlock or Unlock())
    try:
        _encrypt_plaintext(path, key)
        db = _open(path, migrate, key)
    except cipher.ERRORS as error:
        known = storage_error(error, path)
        if known is None:
            raise  # not a problem of the disk or the file: a bug, reported as one
        raise known from error
    _KEYS[db] = key
    _FOLDER_KEYS[path.parent.resolve()] = key
    return db


def data_key(db: Database) -> bytes:
    """The data key of a store opened with `open_db`."""
    return _KEYS[db]


def folder_key(data_dir: Path) -> bytes | None:
    """The data key of the store open in `data_dir` in this process, if one is."""
    return _FOLDER_KEYS.get(data_dir.resolve())


def forget_key(db: Database) -> None:
    """Drop the key of a closed store from this process's tables (the app lock, the end)."""
    key = _KEYS.pop(db, None)
    if key is None or key in _KEYS.values():  # another connection to the same store is still open
        return
    for folder in [f for f, k in _FOLDER_KEYS.items() if k == key]:
        del _FOLDER_KEYS[folder]


def _encrypt_plaintext(path: Path, key: bytes) -> None:
    """Convert a store (and snapshots) made before encryption; resume a conversion that was killed."""
    for database in (path, *snapshots_of(path)):
        cipher.discard_unfinished(database)
        if cipher.is_plaintext(database):
            cipher.encrypt_in_place(database, key)


def _open(path: Path, migrate: bool, key: bytes) -> Database:
    connection = _connect(path, key)
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
        for suffix in ("", "-wal", "-shm"):
            restrict_to_user(path.with_name(path.name + suffix))
        db = Database(connection)
        if version > 0:
            _scheduled_quick_check(db, path)
        if migrate and version < SCHEMA_VERSION:
            if version > 0:
                restrict_to_user(_snapshot(connection, path, version))
            migrations.apply(db)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _ensure_device_id(db)
    except BaseException:
        connection.close()
        raise
    return db


def _scheduled_quick_check(db: Database, path: Path, now: datetime | None = None) -> None:
    """`PRAGMA quick_check` when the last one is a day old (kept in meta), so most starts skip it."""
    moment = now or datetime.now(UTC)
    has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
    if has_meta:
        row = db.execute("SELECT value FROM meta WHERE key = ?", [QUICK_CHECK_KEY]).fetchone()
        try:
            if row and moment - datetime.fromisoformat(str(row[0])) < QUICK_CHECK_EVERY:
                return
        except ValueError:
            pass
    try:
        results = [str(r[0]) for r in db.execute("PRAGMA quick_check")]
    except cipher.DATABASE as error:
        raise DamagedDatabaseError(damaged_message(path)) from error
    if results != ["ok"]:
        raise DamagedDatabaseError(damaged_message(path))
    if has_meta:
        try:
            with db.atomic():
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [QUICK_CHECK_KEY, moment.isoformat()],
                )
        except cipher.OPERATIONAL:
            pass  # a read-only or full store is reported by the first real write, with its own message


_BEFORE_COMMIT: weakref.WeakKeyDictionary[Database, list[Callable[[Database], object]]] = (
    weakref.WeakKeyDictionary()
)


def before_commit(db: Database, hook: Callable[[Database], object]) -> None:
    """Run `hook` at the end of every outermost `writing` transaction on `db`, inside it: what the hook
    writes commits with the change that caused it, or neither does (sync/encoded_cache.py keeps each
    changed visit's bundle lines this way)."""
    _BEFORE_COMMIT.setdefault(db, []).append(hook)


@contextmanager
def writing(db: Database) -> Iterator[None]:
    """One transaction whose storage failures become a clear message; nothing is half written."""
    outermost = not db.conn.in_transaction
    try:
        with db.atomic():
            yield
            if outermost:
                for hook in _BEFORE_COMMIT.get(db, ()):
                    hook(db)
    except cipher.OPERATIONAL as error:
        known = storage_error(error)
        if known is None:
            raise
        raise known from error


@contextmanager
def reading(db: Database) -> Iterator[None]:
    """One read transaction: every query inside sees the same committed state, whatever another
    connection (the CLI beside the app) commits meanwhile; in WAL mode that state stays readable
    for as long as the transaction lasts, and writers are not held up."""
    with db.atomic():
        yield


def _ensure_device_id(db: Database) -> None:
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)", [str(uuid.uuid4())])


def device_id(db: Database) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    return str(row[0]) if row else "unknown-device"


def data_version(db: Database) -> int:
    """Changes whenever another connection commits; lets a long-lived session notice stale data."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
