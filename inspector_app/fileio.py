"""Crash-safe file writes: a temporary file in the same folder, fsync, then an atomic rename."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")


def atomic_write_bytes(path: Path, data: bytes, *, sync_parent: bool = True) -> None:
    """Write `data` so that `path` is either absent (or its old version) or complete, never partial.

    The temporary file is 0600 (mkstemp) and so is the result; folders it has to make are 0700.
    `sync_parent=False` leaves making the rename durable to the caller (`sync_folder`), who writes
    many files into one folder and syncs it once."""
    atomic_write_with(path, lambda handle: handle.write(data), sync_parent=sync_parent)


def atomic_write_with(path: Path, fill: Callable[[BinaryIO], T], *, sync_parent: bool = True) -> T:
    """`atomic_write_bytes` for content `fill` writes to the open temporary file itself (a stream too
    large to hold twice in memory); returns what `fill` returns. A `fill` that raises leaves `path` as
    it was and no temporary file behind."""
    create_private_dirs(path.parent)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            result = fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if sync_parent:
        sync_folder(path.parent)
    return result


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def restrict_to_user(path: Path) -> None:
    """Folders 0700, files 0600 (POSIX): no other local account may read the data. A no-op on Windows,
    where the per-user profile folder already keeps other accounts out; a missing path is skipped."""
    if os.name != "posix":
        return
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        return
    wanted = PRIVATE_DIR_MODE if stat.S_ISDIR(mode) else PRIVATE_FILE_MODE
    if stat.S_IMODE(mode) != wanted:
        path.chmod(wanted)


def create_private_dirs(path: Path) -> None:
    """Create `path` and its missing parents as 0700 (each one: `mkdir(parents=True)` gives the
    parents the default mode); folders that exist are left as they are."""
    missing = []
    current = path
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) for this user only; repair an existing folder's mode."""
    create_private_dirs(path)
    restrict_to_user(path)


def restrict_tree(root: Path) -> None:
    """Repair `root` and, for a folder, every folder and file under it: 0700 / 0600."""
    if os.name != "posix":
        return
    restrict_to_user(root)
    if not root.is_dir() or root.is_symlink():
        return
    for folder, folders, files in os.walk(root):
        for name in (*folders, *files):
            restrict_to_user(Path(folder) / name)
