"""The key file: wraps bound to their store and kind, damage refused, passphrase files, the OS key store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest

from inspector_app.storage import os_keystore
from inspector_app.storage.db import data_key, open_db
from inspector_app.storage.store_key import (
    KEYRING,
    PASSPHRASE,
    StoreKeyError,
    StoreKeyFile,
    WrongPassphraseError,
    key_file_of,
)
from inspector_app.storage.unlock import StoreLockedError, Unlock, data_key_for, read_passphrase_file
from tests.fake_keyring import no_backend

PASSPHRASE_TEXT = "paard-batterij-nietje-7"


def _store(tmp_path: Path, unlock: Unlock | None = None) -> tuple[Path, bytes]:
    path = tmp_path / "s.sqlite3"
    db = open_db(path, unlock=unlock)
    key = data_key(db)
    db.close()
    return path, key


def test_a_wrap_cannot_be_moved_to_another_store(tmp_path: Path) -> None:
    first, _key = _store(tmp_path / "a", Unlock(passphrase=PASSPHRASE_TEXT))
    second, _other = _store(tmp_path / "b", Unlock(passphrase=PASSPHRASE_TEXT))
    stolen = json.loads(key_file_of(first).read_text(encoding="utf-8"))
    target = json.loads(key_file_of(second).read_text(encoding="utf-8"))
    target["wraps"] = stolen["wraps"]  # the other store's wraps under this store's id
    key_file_of(second).write_text(json.dumps(target), encoding="utf-8")
    keyring.set_keyring(no_backend())
    with pytest.raises(WrongPassphraseError):
        data_key_for(second, Unlock(passphrase=PASSPHRASE_TEXT))


@pytest.mark.parametrize(
    "damage",
    [
        lambda _doc: "{not json",
        lambda doc: json.dumps({**doc, "format": "other"}),
        lambda doc: json.dumps({**doc, "store_id": "not-a-uuid"}),
        lambda doc: json.dumps({k: v for k, v in doc.items() if k != "wraps"}),
        lambda _doc: "x" * 70_000,
    ],
    ids=["not-json", "format", "store-id", "no-wraps", "too-large"],
)
def test_a_damaged_key_file_is_refused_and_the_database_kept(
    tmp_path: Path, damage: Callable[[dict[str, object]], str]
) -> None:
    path, _key = _store(tmp_path)
    document = json.loads(key_file_of(path).read_text(encoding="utf-8"))
    key_file_of(path).write_text(damage(document), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreKeyError, match="beschadigd"):
        open_db(path)
    assert path.read_bytes() == before


def test_out_of_range_argon2_parameters_are_refused(tmp_path: Path) -> None:
    path, _key = _store(tmp_path, Unlock(passphrase=PASSPHRASE_TEXT))
    document = json.loads(key_file_of(path).read_text(encoding="utf-8"))
    for wrap in document["wraps"]:
        if wrap["kind"] == PASSPHRASE:
            wrap["memory_cost"] = 1  # a hostile file asking for a trivially cheap derivation
    key_file_of(path).write_text(json.dumps(document), encoding="utf-8")
    keyring.set_keyring(no_backend())
    with pytest.raises(StoreKeyError, match="beschadigd"):
        data_key_for(path, Unlock(passphrase=PASSPHRASE_TEXT))


def test_a_short_new_passphrase_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    keyring.set_keyring(no_backend())
    path = tmp_path / "s.sqlite3"
    with pytest.raises(StoreKeyError, match="minstens 12"):
        open_db(path, unlock=Unlock(passphrase="kort"))
    assert not key_file_of(path).exists() and not path.exists()


def test_without_anything_to_offer_the_store_stays_locked(tmp_path: Path) -> None:
    path, _key = _store(tmp_path, Unlock(passphrase=PASSPHRASE_TEXT))
    keyring.set_keyring(no_backend())
    with pytest.raises(StoreLockedError) as locked:
        open_db(path)
    assert not locked.value.new_store
    asked: list[bool] = []

    def ask(new: bool) -> str | None:
        asked.append(new)
        return PASSPHRASE_TEXT

    open_db(path, unlock=Unlock(ask=ask)).close()
    assert asked == [False]


def test_remember_puts_the_key_in_the_os_key_store(tmp_path: Path) -> None:
    backend = keyring.get_keyring()
    keyring.set_keyring(no_backend())
    path, key = _store(tmp_path, Unlock(passphrase=PASSPHRASE_TEXT))
    assert StoreKeyFile.load(key_file_of(path)).kinds() == [PASSPHRASE]
    keyring.set_keyring(backend)
    assert os_keystore.available()
    data_key_for(path, Unlock(passphrase=PASSPHRASE_TEXT, remember=True))
    assert StoreKeyFile.load(key_file_of(path)).kinds() == [KEYRING, PASSPHRASE]
    assert data_key_for(path, Unlock()) == key  # no passphrase needed any more
    # the app lock: the key store alone does not unlock
    with pytest.raises(StoreLockedError):
        data_key_for(path, Unlock(passphrase_only=True))


def test_a_stale_os_key_store_entry_falls_back_to_the_passphrase(tmp_path: Path) -> None:
    path, key = _store(tmp_path, Unlock(passphrase=PASSPHRASE_TEXT))
    store_id = StoreKeyFile.load(key_file_of(path)).store_id
    assert os_keystore.write_kek(store_id, b"\x00" * 32)  # not the key this store was wrapped with
    assert data_key_for(path, Unlock(passphrase=PASSPHRASE_TEXT)) == key
    keyring.set_password(os_keystore.SERVICE, store_id, "not base64 !")
    assert os_keystore.read_kek(store_id) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "leeg"), (b"\n\n", "leeg"), (b"\xff\xfe", "kan niet"), (b"x" * 5000, "kan niet")],
)
def test_an_unusable_passphrase_file_says_so(tmp_path: Path, content: bytes, message: str) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_bytes(content)
    with pytest.raises(StoreKeyError, match=message):
        read_passphrase_file(secret)
    with pytest.raises(StoreKeyError, match="kan niet"):
        read_passphrase_file(tmp_path / "absent.txt")


def test_a_passphrase_file_gives_its_first_line(tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_bytes(b"  met spaties  \r\ntweede regel\n")
    assert read_passphrase_file(secret) == "  met spaties  "
