"""The OS key store (through `keyring`), used only where a real backend exists.

A machine without one (a Linux desktop without Secret Service, a server, CI) has keyring's `fail`
backend or one of priority < 1; then the store is protected by its passphrase alone, and the app says
so instead of silently writing the key to a plain file ("keyrings.alt" is never used).
"""

from __future__ import annotations

import base64
import binascii
import contextlib

import keyring
import keyring.errors
from keyring.backends import fail

SERVICE = "inspector_app store key"
# Backends raise their own types besides keyring's (D-Bus, Win32, Keychain errors, a backend named in
# PYTHON_KEYRING_BACKEND that does not import): any of them means "no key store now", and the store
# falls back to its passphrase instead of failing the start.
FAILURES = (keyring.errors.KeyringError, ImportError, RuntimeError, OSError, ValueError)


def available() -> bool:
    """Whether a real OS key store can be used on this machine and account."""
    try:
        backend = keyring.get_keyring()
    except FAILURES:
        return False
    return not isinstance(backend, fail.Keyring) and float(getattr(backend, "priority", 0)) >= 1


def read_kek(store_id: str) -> bytes | None:
    """The key-encryption key kept for this store, or None (none kept, locked or no key store)."""
    if not available():
        return None
    try:
        text = keyring.get_password(SERVICE, store_id)
    except FAILURES:
        return None
    if not text:
        return None
    try:
        kek = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return kek if len(kek) == 32 else None


def write_kek(store_id: str, kek: bytes) -> bool:
    """Keep the key-encryption key; False when the key store refused (then nothing was remembered)."""
    if not available():
        return False
    try:
        keyring.set_password(SERVICE, store_id, base64.b64encode(kek).decode("ascii"))
    except FAILURES:
        return False
    return True


def forget_kek(store_id: str) -> None:
    with contextlib.suppress(*FAILURES):
        keyring.delete_password(SERVICE, store_id)
