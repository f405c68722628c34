"""Raw access to an encrypted test store, as an attacker who holds the key (or the app's own code) has."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from inspector_app.storage import cipher
from inspector_app.storage.unlock import Unlock, data_key_for


def raw_connect(path: Path, read_only: bool = False) -> sqlcipher3.Connection:
    """A bare SQLCipher connection to a store made by `open_db` in this test (the fake key store)."""
    return cipher.connect(path, data_key_for(path, Unlock()), read_only=read_only)
