"""SQLCipher connections: the encrypted store's engine, its exception classes, and plaintext conversion.

sqlcipher3 is the sqlite3 module built on SQLCipher 4; sqlite-utils takes its connection unchanged. Its
exceptions are classes of their own, so every layer catches the tuples here (`ERRORS`, `OPERATIONAL`,
`DATABASE`, `INTEGRITY`) instead of sqlite3's alone. The data key is 256 random bits given as a raw
key (`PRAGMA key = "x'…'"`), so opening costs no key derivation; the passphrase (if any) only unwraps
that key (storage/store_key.py).

A plaintext store (made before encryption) is converted in place: export into `<db>.encrypting`,
fsync, then one atomic rename over the old file. Killed at any moment, the folder holds either the
old plaintext store (the leftover `.encrypting` file is discarded and the conversion runs again at the
next start) or the complete encrypted one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from inspector_app.fileio import restrict_to_user, sync_folder

ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher3.Error)
OPERATIONAL: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlcipher3.OperationalError)
DATABASE: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
INTEGRITY: tuple[type[Exception], ...] = (sqlite3.IntegrityError, sqlcipher3.IntegrityError)

PLAINTEXT_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
CONVERTING_SUFFIX = ".encrypting"


def _after_step(step: str) -> None:
    """Called after each durable step of a conversion; the crash-safety test kills the process here."""


conversion_hook: Callable[[str], None] = _after_step


def key_pragma(key: bytes) -> str:
    """The raw-key form of PRAGMA key (hex only, so nothing from outside reaches the SQL text)."""
    if len(key) != KEY_BYTES:
        raise ValueError("the data key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes, *, read_only: bool = False) -> sqlcipher3.Connection:
    """An encrypted connection; the key is checked by the first read (a wrong key: 'not a database')."""
    uri = f"{path.resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    connection = sqlcipher3.connect(uri, uri=True, timeout=5.0, isolation_level="DEFERRED")
    try:
        connection.execute(key_pragma(key))
    except BaseException:
        connection.close()
        raise
    return connection


def is_plaintext(path: Path) -> bool:
    """Whether the file is an unencrypted SQLite database (an encrypted one starts with random bytes)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(PLAINTEXT_HEADER)) == PLAINTEXT_HEADER
    except FileNotFoundError:
        return False


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Convert the plaintext database at `path` (with its WAL) into an encrypted one with `key`.

    The old file stays untouched until the encrypted copy is complete and on disk; the rename is the
    one moment of change. The plaintext WAL is checkpointed into the old file first and the old
    connection closed, so no plaintext -wal or -shm is left beside the new file."""
    target = path.with_name(path.name + CONVERTING_SUFFIX)
    target.unlink(missing_ok=True)
    plain = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        user_version = int(plain.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(plain.execute("PRAGMA application_id").fetchone()[0])
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute(f"PRAGMA encrypted.user_version = {user_version}")
        plain.execute(f"PRAGMA encrypted.application_id = {application_id}")
        plain.execute("DETACH DATABASE encrypted")
        plain.execute("PRAGMA journal_mode = DELETE")
    finally:
        plain.close()
    restrict_to_user(target)
    _fsync(target)
    conversion_hook("exported")
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    conversion_hook("plaintext_wal_removed")
    target.replace(path)
    sync_folder(path.parent)
    conversion_hook("replaced")


def discard_unfinished(path: Path) -> None:
    """Remove the half-made copy of a conversion that was killed (the old store is still whole)."""
    path.with_name(path.name + CONVERTING_SUFFIX).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
