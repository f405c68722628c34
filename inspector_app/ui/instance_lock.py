"""One desktop window per data folder: a second start on the same store is refused.

Two windows on one store would each show what it read last, so one could overwrite the other's answers
without anyone seeing it. QLockFile writes the owner's process id into `inspector_app.lock`; when that
process is gone (a crash, a killed process, a power cut) the lock is stale and the next start takes it
over, so a crash never locks the inspector out.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_FILENAME = "inspector_app.lock"
TRY_MS = 200  # a start right after the previous window closed may still see its lock for a moment


def acquire_lock(data_dir: Path) -> QLockFile | None:
    """The held lock of `data_dir`, or None when another running app holds it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_FILENAME))
    lock.setStaleLockTime(0)  # never stale by age (a long shift): only when its process is gone
    return lock if lock.tryLock(TRY_MS) else None
