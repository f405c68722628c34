"""Shared fixtures: a fresh installation in a temporary folder, never the user's own data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import settings

from inspector_app.i18n import set_language
from inspector_app.services.app import AppContext, open_app
from inspector_app.storage import store_key
from tests.fake_keyring import FILE_ENV, FileKeyring, no_backend

# CI runs the same examples every time (reproducible landings); developers explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own INSPECTOR_APP_HOME and starts in Dutch."""
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "home"))
    set_language("nl")
    yield
    set_language("nl")


# Argon2id at its floor in tests (the parameters travel in the key file, so stores made here still open).
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}


@pytest.fixture(scope="session", autouse=True)
def _test_keystore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileKeyring]:
    """How tests unlock: a fake OS key store (one file for the session), so stores open without
    prompting, also those of module-scoped fixtures. Store ids are random, so tests never share a key.

    Subprocesses find it through keyring's PYTHON_KEYRING_BACKEND; tests of the passphrase path use
    `no_keystore` and give a passphrase."""
    saved = {name: os.environ.get(name) for name in (FILE_ENV, "PYTHON_KEYRING_BACKEND")}
    os.environ[FILE_ENV] = str(tmp_path_factory.mktemp("keyring") / "test-keyring.json")
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.fake_keyring.FileKeyring"
    os.environ.pop("INSPECTOR_APP_PASSPHRASE_FILE", None)
    argon2 = store_key.ARGON2
    store_key.ARGON2 = CHEAP_ARGON2
    backend = FileKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(no_backend())
    store_key.ARGON2 = argon2
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _keystore_back(_test_keystore: FileKeyring) -> Iterator[None]:
    """A test that took the key store away (`no_keystore`, or by hand) does not take it from the next."""
    yield
    keyring.set_keyring(_test_keystore)


@pytest.fixture
def no_keystore(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without an OS key store (a server, a Linux desktop without Secret Service)."""
    keyring.set_keyring(no_backend())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("INSPECTOR_APP_PASSPHRASE_FILE", raising=False)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "data")
    context.settings.profile.name = "Toezichthouder 1001"
    yield context
    context.close()
