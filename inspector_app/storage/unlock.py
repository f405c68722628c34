"""How a store's data key is obtained at open: practice key, OS key store, then the passphrase.

The caller says what it can offer in an `Unlock`: a passphrase already typed (the desktop's dialog), a
passphrase file (`--passphrase-file`, or $INSPECTOR_APP_PASSPHRASE_FILE for scripts), and a way to ask
(the CLI's terminal prompt). Nothing is written before the key is unwrapped, so a wrong passphrase
changes nothing. A new store gets a fresh data key wrapped for the OS key store where one exists, and
under the passphrase when one is given (required where no key store exists).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from inspector_app.i18n import _
from inspector_app.storage import os_keystore
from inspector_app.storage.cipher import is_plaintext
from inspector_app.storage.store_key import (
    KEYRING,
    PASSPHRASE,
    PRACTICE,
    StoreKeyError,
    StoreKeyFile,
    key_file_of,
)
from inspector_app.storage.unlock_request import Unlock

__all__ = ["Unlock", "data_key_for", "remember"]

PASSPHRASE_FILE_ENV = "INSPECTOR_APP_PASSPHRASE_FILE"
MAX_PASSPHRASE_FILE = 4096


class StoreLockedError(StoreKeyError):
    """The store needs its passphrase and none was given (the desktop then shows its unlock dialog)."""

    def __init__(self, message: str, new_store: bool = False) -> None:
        super().__init__(message)
        self.new_store = new_store  # a passphrase is to be chosen, not typed


def read_passphrase_file(path: Path) -> str:
    """The first line of the file (its line ending dropped); a clear message when it cannot be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PASSPHRASE_FILE + 1)
        if len(raw) > MAX_PASSPHRASE_FILE:
            raise ValueError("too large")
        text = raw.decode("utf-8").splitlines()[0] if raw.strip() else ""
    except (OSError, ValueError) as error:
        raise StoreKeyError(_("Het wachtwoordbestand {path} kan niet worden gelezen.", path=path)) from error
    if not text:
        raise StoreKeyError(_("Het wachtwoordbestand {path} is leeg.", path=path))
    return text


def given_passphrase(unlock: Unlock) -> str | None:
    """A passphrase the caller handed over without asking: typed, from a file or from the environment."""
    if unlock.passphrase is not None:
        return unlock.passphrase
    if unlock.passphrase_file is not None:
        return read_passphrase_file(unlock.passphrase_file)
    from_env = os.environ.get(PASSPHRASE_FILE_ENV)
    if from_env:
        return read_passphrase_file(Path(from_env))
    return None


def _passphrase(unlock: Unlock, new: bool) -> str | None:
    given = given_passphrase(unlock)
    if given is not None or unlock.ask is None:
        return given
    return unlock.ask(new)


def data_key_for(database: Path, unlock: Unlock) -> bytes:
    """The data key of the store at `database`, made (and its key file written) for a new store."""
    path = key_file_of(database)
    try:
        key_file = StoreKeyFile.load(path)
    except FileNotFoundError:
        if database.exists() and database.stat().st_size and not is_plaintext(database):
            raise StoreKeyError(
                _(
                    "Het sleutelbestand {path} ontbreekt; zonder dat bestand is de versleutelde database "
                    "niet te openen. Zet het terug uit de back-up van de gegevensmap.",
                    path=path,
                )
            ) from None
        return _create(path, unlock)
    return unwrap(key_file, unlock)


def unwrap(key_file: StoreKeyFile, unlock: Unlock) -> bytes:
    if PRACTICE in key_file.wraps:
        return key_file.unwrap_practice()
    if KEYRING in key_file.wraps and not (unlock.passphrase_only and PASSPHRASE in key_file.wraps):
        kek = os_keystore.read_kek(key_file.store_id)
        key = key_file.unwrap_keyring(kek) if kek else None
        if key is not None:
            return key
    if PASSPHRASE not in key_file.wraps:
        raise StoreKeyError(
            _(
                "De sleutel van deze gegevensmap staat in de sleutelbewaarplaats van het systeem, maar "
                "die is hier niet bereikbaar en er is geen wachtwoordzin ingesteld. De FG kan de toegang "
                "herstellen met de reservesleutel ('store recover')."
            )
        )
    passphrase = _passphrase(unlock, new=False)
    if passphrase is None:
        raise StoreLockedError(
            _(
                "De gegevens zijn versleuteld: geef de wachtwoordzin (op een terminal wordt erom "
                "gevraagd; in scripts met --passphrase-file BESTAND of {env}).",
                env=PASSPHRASE_FILE_ENV,
            )
        )
    key = key_file.unwrap_passphrase(passphrase)
    if unlock.remember:
        remember(key_file, key)
    return key


def remember(key_file: StoreKeyFile, key: bytes) -> bool:
    """Keep the data key wrapped for the OS key store; False where there is none (nothing changed)."""
    kek = os_keystore.read_kek(key_file.store_id) or secrets.token_bytes(32)
    if not os_keystore.write_kek(key_file.store_id, kek):
        return False
    key_file.wrap_keyring(key, kek)
    key_file.save()
    return True


def _create(path: Path, unlock: Unlock) -> bytes:
    key_file, key = StoreKeyFile.create(path)
    if unlock.practice:
        key_file.wrap_practice(key)
        key_file.save()
        return key
    kek = secrets.token_bytes(32)
    in_keystore = os_keystore.write_kek(key_file.store_id, kek)
    passphrase = given_passphrase(unlock) if in_keystore else _passphrase(unlock, new=True)
    if passphrase is None and not in_keystore:
        raise StoreLockedError(
            _(
                "Deze computer heeft geen sleutelbewaarplaats: kies een wachtwoordzin voor de nieuwe "
                "gegevensmap (op een terminal wordt erom gevraagd; in scripts met --passphrase-file "
                "BESTAND of {env}).",
                env=PASSPHRASE_FILE_ENV,
            ),
            new_store=True,
        )
    if passphrase is not None:
        key_file.wrap_passphrase(key, passphrase)
    if in_keystore:
        key_file.wrap_keyring(key, kek)
    key_file.save()
    return key
