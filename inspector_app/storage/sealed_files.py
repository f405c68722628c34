"""Small files of the data folder sealed under the store's data key (AES-256-GCM, a derived key).

The sync key files hold the office's and the device's private keys; beside an encrypted database they
must not be plain JSON. Each file gets a key derived from the data key (HKDF-SHA256, one purpose per
derivation) and its own file name as associated data, so a sealed file cannot be swapped for another.
"""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED_FORMAT = "ifb-sealed-file"
SEALED_VERSION = 1


def file_key(data_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"inspector_app " + purpose).derive(
        data_key
    )


def is_sealed(document: dict[str, Any]) -> bool:
    return document.get("format") == SEALED_FORMAT


def seal(key: bytes, name: str, plaintext: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, name.encode("utf-8"))
    document = {
        "format": SEALED_FORMAT,
        "version": SEALED_VERSION,
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(sealed).decode("ascii"),
    }
    return json.dumps(document, indent=2, sort_keys=True).encode("utf-8")


def unseal(key: bytes, name: str, document: dict[str, Any]) -> bytes:
    """The plaintext; ValueError when the file is damaged or sealed under another key or name."""
    try:
        nonce = base64.b64decode(str(document["nonce"]), validate=True)
        sealed = base64.b64decode(str(document["ciphertext"]), validate=True)
        return AESGCM(key).decrypt(nonce, sealed, name.encode("utf-8"))
    except (KeyError, ValueError, InvalidTag) as error:
        raise ValueError("sealed file does not open") from error
