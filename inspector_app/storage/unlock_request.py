"""What a caller can offer to unlock a store, and this process's default (light: no crypto imports).

The CLI sets its passphrase file and terminal prompt for one command with `unlocking_with`; the
desktop passes what its dialog asked for to `open_app`. Kept apart from storage/unlock.py so that a
command that opens no store (`forms list`) loads no cryptography.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Asks the user for the passphrase; `new` is True when one is chosen for a new store. None: cancelled.
Ask = Callable[[bool], str | None]


@dataclass(frozen=True)
class Unlock:
    """What the caller can offer to unlock (or protect) the store."""

    passphrase: str | None = None
    passphrase_file: Path | None = None
    ask: Ask | None = None
    practice: bool = False
    remember: bool = False  # after a passphrase unlock, keep the key in the OS key store too
    passphrase_only: bool = False  # the app lock: the OS key store alone does not unlock


_process_unlock: list[Unlock] = [Unlock()]


def process_unlock() -> Unlock:
    """What stores opened without an explicit `Unlock` use now."""
    return _process_unlock[-1]


@contextmanager
def unlocking_with(unlock: Unlock) -> Iterator[None]:
    """Use `unlock` for every store opened in this block (one CLI command)."""
    _process_unlock.append(unlock)
    try:
        yield
    finally:
        _process_unlock.pop()
