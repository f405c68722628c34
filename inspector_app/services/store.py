"""Use cases of the encrypted store's key: status, passphrase change, OS key store, DPO escrow recovery.

The escrow recipients are the DPO's age recipients that the office's enrolment file carries
(`keys init-office --escrow-recipient`); every open of a real store keeps the key file's escrow wrap
in step with them, so a laptop enrolled at the office can always be recovered there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from inspector_app.i18n import _
from inspector_app.paths import AppPaths, app_paths
from inspector_app.storage import cipher, os_keystore
from inspector_app.storage.db import data_key
from inspector_app.storage.store_key import (
    ESCROW,
    KEYRING,
    PASSPHRASE,
    PRACTICE,
    StoreKeyError,
    StoreKeyFile,
    key_file_of,
)
from inspector_app.storage.store_key import WrongPassphraseError as WrongPassphraseError
from inspector_app.storage.unlock import StoreLockedError as StoreLockedError
from inspector_app.storage.unlock import remember
from inspector_app.storage.unlock_request import Unlock as Unlock

OFFICE_PUBLIC_FILE = "office.json"  # sync.keys.OFFICE_PUBLIC_FILE, looked for without loading sync


@dataclass(frozen=True)
class StoreStatus:
    key_file: Path
    protections: list[str]  # keyring, passphrase, escrow, practice
    os_keystore: bool  # a real OS key store exists on this machine
    escrow_recipients: list[str]

    def to_json(self) -> dict[str, object]:
        return {
            "encrypted": True,
            "key_file": str(self.key_file),
            "protections": self.protections,
            "os_keystore_available": self.os_keystore,
            "escrow_recipients": self.escrow_recipients,
        }


def keystore_available() -> bool:
    """Whether this machine has a real OS key store to remember the key in."""
    return os_keystore.available()


def status(paths: AppPaths) -> StoreStatus:
    key_file = StoreKeyFile.load(key_file_of(paths.database))
    return StoreStatus(key_file.path, key_file.kinds(), os_keystore.available(), key_file.escrow_recipients())


def seal_key_files(paths: AppPaths) -> None:
    """Seal private key files written before the store was encrypted (once; sealed ones are left)."""
    if not (paths.data_dir / "keys").is_dir():
        return
    from inspector_app.sync.keys import KeyStore

    KeyStore.of(paths.data_dir).seal_private_files()


def keep_escrow_current(paths: AppPaths, db: Database) -> None:
    """Wrap the data key for the office's escrow recipients when they changed (enrolment, rotation)."""
    if not (paths.data_dir / "keys" / OFFICE_PUBLIC_FILE).exists():
        return
    from inspector_app.sync.keys import KeyStore

    recipients = sorted(KeyStore.of(paths.data_dir).office_public().escrow_recipients)
    key_file = StoreKeyFile.load(key_file_of(paths.database))
    if not recipients or recipients == key_file.escrow_recipients() or PRACTICE in key_file.wraps:
        return
    key_file.wrap_escrow(data_key(db), recipients)
    key_file.save()


def change_passphrase(paths: AppPaths, db: Database, current: str | None, new: str) -> None:
    """Set a new passphrase; the current one must be given when there is one (nothing changes else)."""
    key_file = StoreKeyFile.load(key_file_of(paths.database))
    if PRACTICE in key_file.wraps:
        raise StoreKeyError(_("De oefenomgeving heeft een vaste sleutel en geen wachtwoordzin."))
    if PASSPHRASE in key_file.wraps:
        if current is None:
            raise StoreKeyError(_("Geef eerst de huidige wachtwoordzin."))
        key_file.unwrap_passphrase(current)
    key_file.wrap_passphrase(data_key(db), new)
    key_file.save()


def remember_in_keystore(paths: AppPaths, db: Database) -> bool:
    """Keep the key in the OS key store so starts unlock by themselves; False where there is none."""
    return remember(StoreKeyFile.load(key_file_of(paths.database)), data_key(db))


def forget_keystore(paths: AppPaths) -> None:
    """Stop unlocking by the OS key store (then the passphrase is asked at every start)."""
    key_file = StoreKeyFile.load(key_file_of(paths.database))
    if PASSPHRASE not in key_file.wraps:
        raise StoreKeyError(
            _("Stel eerst een wachtwoordzin in; anders is de gegevensmap daarna niet meer te openen.")
        )
    os_keystore.forget_kek(key_file.store_id)
    key_file.wraps.pop(KEYRING, None)
    key_file.save()


def recover_with_escrow(
    data_dir: Path | None, escrow_backup: bytes, escrow_passphrase: str, new_passphrase: str
) -> None:
    """The DPO's recovery: the escrow identity (its passphrase backup from `keys create-escrow`)
    unwraps the data key, which is checked against the database and then wrapped under a new
    passphrase. Nothing is written unless every step succeeded."""
    import pyrage

    from inspector_app.sync.backup import decrypt_backup
    from inspector_app.sync.errors import KeyMaterialError

    paths = app_paths(data_dir)
    key_file = StoreKeyFile.load(key_file_of(paths.database))
    if ESCROW not in key_file.wraps:
        raise StoreKeyError(
            _("Deze gegevensmap heeft geen reservesleutel van de FG; herstel is niet mogelijk.")
        )
    try:
        payload = json.loads(decrypt_backup(escrow_backup, escrow_passphrase))
        if payload.get("kind") != "escrow":
            raise StoreKeyError(_("Dit bestand is geen reservesleutel van de FG ('keys create-escrow')."))
        identity = pyrage.x25519.Identity.from_str(str(payload["identity"]))
    except KeyMaterialError as error:
        raise StoreKeyError(error.message) from error
    except (ValueError, KeyError, pyrage.IdentityError) as error:
        raise StoreKeyError(
            _("Dit bestand is geen reservesleutel van de FG ('keys create-escrow').")
        ) from error
    key = key_file.unwrap_escrow([identity])
    _check_key(paths.database, key)
    key_file.wrap_passphrase(key, new_passphrase)
    key_file.save()


def _check_key(database: Path, key: bytes) -> None:
    """The key opens this database (a key file copied from another store would not)."""
    try:
        connection = cipher.connect(database, key, read_only=True)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except cipher.ERRORS as error:
        raise StoreKeyError(
            _("De herstelde sleutel opent de database {path} niet; er is niets gewijzigd.", path=database)
        ) from error
