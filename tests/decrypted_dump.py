"""Every page of an encrypted store decrypted, free pages and WAL frames included: the scan "with
the key in hand" sees what an attacker who stole the key would see, not only the live rows.

SQLCipher 4 defaults: pages of 4096 bytes, each encrypted with AES-256-CBC under the raw data key,
with a reserve of 80 bytes at its end (16-byte IV, then a 64-byte HMAC); page 1 begins with the
16-byte salt instead of the SQLite header. A WAL frame is a 24-byte header and one such page after the
32-byte WAL header.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16


def _page(key: bytes, page: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE - RESERVE]) + decryptor.finalize()


def decrypt_database(path: Path, key: bytes) -> bytes:
    data = path.read_bytes()
    return b"".join(
        _page(key, data[offset : offset + PAGE], offset == 0)
        for offset in range(0, len(data) - PAGE + 1, PAGE)
    )


def decrypt_wal(path: Path, key: bytes) -> bytes:
    data = path.read_bytes()
    frame = 24 + PAGE
    out = []
    for offset in range(32, len(data) - frame + 1, frame):
        number = int.from_bytes(data[offset : offset + 4], "big")
        out.append(_page(key, data[offset + 24 : offset + frame], number == 1))
    return b"".join(out)


def decrypted_bytes(path: Path, key: bytes) -> bytes:
    """The file's bytes as plaintext where it is part of the store (database, snapshot, WAL)."""
    if path.name.endswith(".sqlite3"):
        return decrypt_database(path, key)
    if path.name.endswith(".sqlite3-wal"):
        return decrypt_wal(path, key)
    return path.read_bytes()
