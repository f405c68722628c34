"""The store's data key, kept wrapped in a small file beside the database (`<db>.key`).

One random 256-bit data key encrypts the database (SQLCipher), its snapshots, photos and key files.
It never sits on disk in the clear: the key file holds it wrapped (AES-256-GCM) under one or more of

- `keyring`: a random key-encryption key in the OS key store (Credential Manager, Keychain, Secret
  Service), so a start on this account unlocks by itself;
- `passphrase`: a key derived from the user's passphrase with Argon2id (memory-hard);
- `escrow`: age-encrypted to the DPO's escrow recipient(s), so a forgotten passphrase can be recovered
  at the office with the escrow identity, and by no one else;
- `practice`: the practice store's fixed, published key (it holds synthetic data only, and a
  practice folder must open anywhere without a passphrase; docs/privacy.md).

Each wrap's associated data names the file format, the store id and the wrap's kind, so a wrap cannot
be moved to another store or passed off as another kind.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from inspector_app.errors import AppError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _

if TYPE_CHECKING:
    import pyrage

KEY_FORMAT = "ifb-store-key"
KEY_VERSION = 1
KEY_FILE_SUFFIX = ".key"
MAX_KEY_FILE = 64 * 1024
MIN_PASSPHRASE = 12
# Argon2id, RFC 9106's second recommended option (64 MiB, t=3, p=4): about a quarter second here.
ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}
# Published on purpose: the practice store holds synthetic data only (docs/privacy.md).
PRACTICE_KEK = hashlib.sha256(b"inspector_app practice store: synthetic data only").digest()

KEYRING = "keyring"
PASSPHRASE = "passphrase"
ESCROW = "escrow"
PRACTICE = "practice"


class StoreKeyError(AppError):
    """The store's key file is missing, damaged or cannot be unwrapped with what was given."""


class WrongPassphraseError(StoreKeyError):
    """A passphrase that does not unwrap the key; nothing was changed."""


def key_file_of(database: Path) -> Path:
    return database.with_name(database.name + KEY_FILE_SUFFIX)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise StoreKeyError(_("Kies een wachtwoordzin van minstens {count} tekens.", count=MIN_PASSPHRASE))


def derive_passphrase_kek(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params["time_cost"],
        memory_cost=params["memory_cost"],
        parallelism=params["parallelism"],
        hash_len=32,
        type=Type.ID,
    )


def _argon2_params(wrap: dict[str, Any]) -> dict[str, int]:
    params = {name: int(wrap[name]) for name in ("time_cost", "memory_cost", "parallelism")}
    if not (
        1 <= params["time_cost"] <= 16
        and 8 * 1024 <= params["memory_cost"] <= 4 * 1024 * 1024
        and 1 <= params["parallelism"] <= 16
    ):
        raise ValueError("argon2 parameters out of range")
    return params


@dataclass
class StoreKeyFile:
    """The parsed key file: the store's id and its wraps, by kind."""

    path: Path
    store_id: str
    wraps: dict[str, dict[str, Any]] = field(default_factory=dict)

    # ----------------------------------------------------------------------------- reading

    @classmethod
    def load(cls, path: Path) -> StoreKeyFile:
        try:
            raw = path.read_bytes()
            if len(raw) > MAX_KEY_FILE:
                raise ValueError("too large")
            document = json.loads(raw)
            if document["format"] != KEY_FORMAT or document["version"] != KEY_VERSION:
                raise ValueError("format")
            store_id = str(uuid.UUID(str(document["store_id"])))
            wraps = {str(w["kind"]): dict(w) for w in document["wraps"]}
        except FileNotFoundError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StoreKeyError(
                _(
                    "Het sleutelbestand {path} is beschadigd. Zet het terug uit de back-up van de "
                    "gegevensmap; de database is niet gewijzigd.",
                    path=path,
                )
            ) from error
        return cls(path, store_id, wraps)

    @classmethod
    def create(cls, path: Path) -> tuple[StoreKeyFile, bytes]:
        """A new store id and data key (not yet written: add wraps, then `save`)."""
        return cls(path, str(uuid.uuid4())), secrets.token_bytes(32)

    def save(self) -> None:
        document = {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "store_id": self.store_id,
            "wraps": [self.wraps[kind] for kind in sorted(self.wraps)],
        }
        atomic_write_bytes(self.path, json.dumps(document, indent=2, sort_keys=True).encode("utf-8"))

    def kinds(self) -> list[str]:
        return sorted(self.wraps)

    # ----------------------------------------------------------------------------- AEAD wraps

    def _aad(self, kind: str) -> bytes:
        return json.dumps([KEY_FORMAT, KEY_VERSION, self.store_id, kind]).encode("utf-8")

    def _seal(self, kind: str, kek: bytes, data_key: bytes, extra: dict[str, Any]) -> None:
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(kek).encrypt(nonce, data_key, self._aad(kind))
        self.wraps[kind] = {"kind": kind, **extra, "nonce": _b64(nonce), "ciphertext": _b64(sealed)}

    def _open(self, kind: str, kek: bytes) -> bytes:
        wrap = self.wraps[kind]
        try:
            nonce, sealed = _unb64(wrap["nonce"]), _unb64(wrap["ciphertext"])
        except (KeyError, ValueError) as error:
            raise StoreKeyError(_("Het sleutelbestand {path} is beschadigd.", path=self.path)) from error
        return AESGCM(kek).decrypt(nonce, sealed, self._aad(kind))

    # ----------------------------------------------------------------------------- kinds

    def wrap_keyring(self, data_key: bytes, kek: bytes) -> None:
        self._seal(KEYRING, kek, data_key, {})

    def unwrap_keyring(self, kek: bytes) -> bytes | None:
        """The data key, or None when the OS key store holds another store's key (or a stale one)."""
        try:
            return self._open(KEYRING, kek)
        except (InvalidTag, ValueError):
            return None

    def wrap_passphrase(self, data_key: bytes, passphrase: str) -> None:
        check_new_passphrase(passphrase)
        salt = secrets.token_bytes(16)
        params = dict(ARGON2)
        kek = derive_passphrase_kek(passphrase, salt, params)
        self._seal(PASSPHRASE, kek, data_key, {"kdf": "argon2id", "salt": _b64(salt), **params})

    def unwrap_passphrase(self, passphrase: str) -> bytes:
        wrap = self.wraps[PASSPHRASE]
        try:
            params = _argon2_params(wrap)
            salt = _unb64(wrap["salt"])
            if wrap.get("kdf") != "argon2id":
                raise ValueError("kdf")
        except (KeyError, ValueError, TypeError) as error:
            raise StoreKeyError(_("Het sleutelbestand {path} is beschadigd.", path=self.path)) from error
        try:
            return self._open(PASSPHRASE, derive_passphrase_kek(passphrase, salt, params))
        except InvalidTag as error:
            raise WrongPassphraseError(
                _("Verkeerde wachtwoordzin; er is niets geopend of gewijzigd.")
            ) from error

    def wrap_practice(self, data_key: bytes) -> None:
        self._seal(PRACTICE, PRACTICE_KEK, data_key, {})

    def unwrap_practice(self) -> bytes:
        try:
            return self._open(PRACTICE, PRACTICE_KEK)
        except InvalidTag as error:
            raise StoreKeyError(_("Het sleutelbestand {path} is beschadigd.", path=self.path)) from error

    def wrap_escrow(self, data_key: bytes, recipients: list[str]) -> None:
        """Encrypt the data key to the DPO's escrow recipient(s) (age X25519), bound to this store."""
        import pyrage  # only here: a start that only unlocks does not load age

        parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
        payload = json.dumps({"store_id": self.store_id, "key": _b64(data_key)}).encode("utf-8")
        sealed = pyrage.encrypt(payload, parsed)
        self.wraps[ESCROW] = {"kind": ESCROW, "recipients": sorted(recipients), "age": _b64(sealed)}

    def escrow_recipients(self) -> list[str]:
        wrap = self.wraps.get(ESCROW)
        return [str(r) for r in wrap.get("recipients", [])] if wrap else []

    def unwrap_escrow(self, identities: list[pyrage.x25519.Identity]) -> bytes:
        wrap = self.wraps.get(ESCROW)
        if wrap is None:
            raise StoreKeyError(
                _("Deze gegevensmap heeft geen reservesleutel van de FG; herstel is niet mogelijk.")
            )
        import pyrage

        try:
            payload = json.loads(pyrage.decrypt(_unb64(wrap["age"]), identities))
            if payload["store_id"] != self.store_id:
                raise ValueError("other store")
            data_key = _unb64(payload["key"])
        except (pyrage.DecryptError, KeyError, ValueError, TypeError) as error:
            raise StoreKeyError(
                _("Deze reservesleutel past niet bij deze gegevensmap; er is niets gewijzigd.")
            ) from error
        return data_key
