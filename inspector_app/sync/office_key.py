"""Whether a data folder is the office's: asked at every open (the office keeps no bundle lines,
sync/encoded_cache.py) without loading the key machinery of `sync.keys` (pyrage, Pillow through the
intake checks), which a command that only reads the store does not need."""

from __future__ import annotations

from pathlib import Path

KEYS_FOLDER = "keys"
OFFICE_IDENTITY_FILE = "office-identity.json"


def has_office_key(data_dir: Path) -> bool:
    return (data_dir / KEYS_FOLDER / OFFICE_IDENTITY_FILE).exists()
