"""Passphrase backups of key material (scrypt + AES-256-GCM) and escrow identities for the DPO."""

from __future__ import annotations

import base64
import json
import secrets

import pyrage
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json
from inspector_app.sync.errors import KeyMaterialError

BACKUP_FORMAT = "ifb-key-backup"
FILE_VERSION = 1
# scrypt N=2^17, r=8, p=1 is the OWASP floor for scrypt; backups are opened rarely, so go one step up.
SCRYPT_LOG_N = 18


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def create_escrow(passphrase: str, log_n: int = SCRYPT_LOG_N) -> tuple[str, bytes]:
    """A new escrow identity: its recipient (for `init-office`) and its passphrase-protected backup."""
    identity = pyrage.x25519.Identity.generate()
    payload = {"kind": "escrow", "identity": str(identity)}
    return str(identity.to_public()), encrypt_backup(
        canonical_json(payload).encode("utf-8"), passphrase, log_n
    )


def _kek(passphrase: str, salt: bytes, log_n: int) -> bytes:
    if not passphrase or len(passphrase) < 12:
        raise KeyMaterialError(_("Kies een wachtwoordzin van minstens 12 tekens."))
    return Scrypt(salt=salt, length=32, n=2**log_n, r=8, p=1).derive(passphrase.encode("utf-8"))


def encrypt_backup(plaintext: bytes, passphrase: str, log_n: int = SCRYPT_LOG_N) -> bytes:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = {
        "format": BACKUP_FORMAT,
        "version": FILE_VERSION,
        "kdf": "scrypt",
        "log_n": log_n,
        "r": 8,
        "p": 1,
    }
    aad = canonical_json(header).encode("utf-8")
    ciphertext = AESGCM(_kek(passphrase, salt, log_n)).encrypt(nonce, plaintext, aad)
    document = {**header, "salt": b64(salt), "nonce": b64(nonce), "ciphertext": b64(ciphertext)}
    return json.dumps(document, indent=2, sort_keys=True).encode("utf-8")


def decrypt_backup(data: bytes, passphrase: str) -> bytes:
    try:
        document = json.loads(data)
        header = {k: document[k] for k in ("format", "version", "kdf", "log_n", "r", "p")}
        if header["format"] != BACKUP_FORMAT or header["kdf"] != "scrypt" or header["r"] != 8:
            raise ValueError("format")
        log_n = int(header["log_n"])
        if not 14 <= log_n <= 22:
            raise ValueError("log_n")
        salt, nonce, ciphertext = (unb64(document[k]) for k in ("salt", "nonce", "ciphertext"))
    except (ValueError, KeyError, TypeError) as error:
        raise KeyMaterialError(_("Dit is geen geldige sleutelback-up.")) from error
    try:
        aad = canonical_json(header).encode("utf-8")
        return AESGCM(_kek(passphrase, salt, log_n)).decrypt(nonce, ciphertext, aad)
    except InvalidTag as error:
        raise KeyMaterialError(_("Verkeerde wachtwoordzin of beschadigde sleutelback-up.")) from error
