"""An OS key store for tests: a JSON file under the test's temporary folder (never the real one).

conftest.py installs it in-process and names it in PYTHON_KEYRING_BACKEND (keyring's own switch) so
that app subprocesses started by a test find the same keys; INSPECTOR_APP_TEST_KEYRING is the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "INSPECTOR_APP_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = Path(os.environ[FILE_ENV])  # fixed at start: a test may undo its environment

    def _path(self) -> Path:
        return self.path

    def _load(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}\n{username}"] = password
        self._path().write_text(json.dumps(entries), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path().write_text(json.dumps(entries), encoding="utf-8")


def no_backend() -> KeyringBackend:
    """keyring's own "no key store here" backend, as on a machine without one."""
    from keyring.backends import fail

    backend: KeyringBackend = fail.Keyring()  # type: ignore[no-untyped-call]
    return backend
