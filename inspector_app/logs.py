"""Logs and crash reports, without personal data (Qt-free; the launcher sets it up for CLI and desktop).

Where: `app_paths().log_dir` (the platform's log folder; `INSPECTOR_APP_HOME` or `--data-dir DIR` move it
to `DIR/logs/`). The log file `inspector_app.log` rotates at 1 MB and keeps 5 old files, so it never
grows past about 6 MB. Crash reports are `crash-<UTC time>.txt` in the same folder.

The rule, for every log call and every crash report: **log events and ids, never data.**

- Allowed: what happened ("visit finalized", "bundle imported"), ids (visit ids, question refs such as
  `PB-12[2]`, form ids, indicator slugs, bundle ids), counts, durations, exception *types* and code
  locations (file, line, function).
- Never: answer values, notes, reasons, names, addresses, phone numbers, photo captions, file contents,
  exception *messages* (they often quote the value that failed) and local variables of a traceback.

The formatter enforces what it can: a `%s` argument is written only when it looks like an id (a short
token without spaces) or is a number; anything else becomes `<…>`. Exceptions are written as type plus
stack frames (file, line, function and, from a source checkout, the code line: code, not values),
without their message. So `log.info("answer saved %s %s", ref, value)` writes the ref and
hides the value; still, never pass a value in the first place.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import re
import sys
import tempfile
import traceback
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from inspector_app.fileio import atomic_write_text, make_private_dir, restrict_to_user

LOGGER_NAME = "inspector_app"
LOG_FILENAME = "inspector_app.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
REDACTED = "<…>"
_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:/\\\[\]@+#-]{1,80}")

log = logging.getLogger(LOGGER_NAME)


def _safe_argument(value: object) -> object:
    """An argument as it may appear in the log: numbers, ids and enum members; everything else hidden."""
    if isinstance(value, bool | int | float | uuid.UUID):
        return value
    if isinstance(value, Path):
        return value.name if _ID_PATTERN.fullmatch(value.name) else REDACTED
    text = getattr(value, "value", value)  # enum members log their value
    if isinstance(text, str) and _ID_PATTERN.fullmatch(text):
        return text
    return REDACTED


def safe_traceback(
    kind: type[BaseException], error: BaseException | None, trace: TracebackType | None
) -> str:
    """A traceback with exception types and code locations only: no messages, no local variables.

    Chained exceptions (`raise ... from ...` and errors raised while handling another) are included,
    the same way: type and frames.
    """
    blocks: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    current_kind: type[BaseException] = kind
    current_trace = trace
    while True:
        lines = ["Traceback (most recent call last):\n"]
        for frame in traceback.extract_tb(current_trace):
            lines.append(f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:
                lines.append(f"    {frame.line.strip()}\n")
        lines.append(f"{current_kind.__module__}.{current_kind.__qualname__} (message not logged)\n")
        blocks.append("".join(lines))
        if current is None:
            break
        seen.add(id(current))
        cause = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if cause is None or id(cause) in seen:
            break
        current, current_kind, current_trace = cause, type(cause), cause.__traceback__
    # oldest first, as Python prints them
    return "\nThe above exception led to the following one:\n\n".join(reversed(blocks))


def _short_path(filename: str) -> str:
    """Code paths relative to the package or site-packages: no user name from a home folder."""
    parts = Path(filename).parts
    for anchor in ("inspector_app", "site-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index:])
    return Path(filename).name


class SafeFormatter(logging.Formatter):
    """Writes the message template with only id-like arguments, and exceptions without messages."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(record.__dict__)
        if isinstance(record.args, Mapping):
            safe.args = {key: _safe_argument(value) for key, value in record.args.items()}
        elif record.args:
            safe.args = tuple(_safe_argument(value) for value in record.args)
        if not isinstance(record.msg, str):
            safe.msg, safe.args = REDACTED, ()
        safe.exc_text = None
        return super().format(safe)

    def formatException(self, ei: object) -> str:  # noqa: N802 (logging's name)
        if isinstance(ei, tuple) and len(ei) == 3 and isinstance(ei[0], type):
            return safe_traceback(ei[0], ei[1], ei[2])
        return REDACTED


def log_event(event: str, /, **facts: str | int | None) -> None:
    """One log line for an event the README names (visit started, finalised, exported, imported,
    report made, purge): `event visit_finalized visit=<id> ...`, ids and counts only.

    The event name and the keys are code, so they are part of the template; every value goes through
    the formatter as an argument and is hidden unless it looks like an id or is a number. Facts
    that are None (no reason for an accepted bundle) are left out.
    """
    known = {key: value for key, value in facts.items() if value is not None}
    template = "event " + event + "".join(f" {key}=%s" for key in known)
    log.info(template, *known.values())


_HANDLER_MARK = "_inspector_app_handler"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log and each rotated file readable by this user only (ids only, still nobody else's)."""

    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        restrict_to_user(Path(self.baseFilename))
        return stream


def setup_logging(log_dir: Path, level: int = logging.INFO, max_bytes: int = MAX_BYTES) -> Path | None:
    """Log to `log_dir/inspector_app.log` with rotation; returns the file, or None if the folder is
    not writable (the app then runs without a log rather than not at all). Calling it again replaces
    the handler, so the folder can follow `--data-dir`."""
    for handler in list(log.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            log.removeHandler(handler)
            handler.close()
    path = log_dir / LOG_FILENAME
    try:
        make_private_dir(log_dir)
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(SafeFormatter())
    setattr(handler, _HANDLER_MARK, True)
    log.addHandler(handler)
    log.setLevel(level)
    log.info("start version=%s python=%s frozen=%s", app_version(), platform.python_version(), is_frozen())
    return path


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def app_version() -> str:
    from inspector_app import __version__

    return __version__


def write_crash_report(
    kind: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
    log_dir: Path | None = None,
    extra: Mapping[str, str] | None = None,
) -> Path:
    """Write `crash-<UTC time>.txt` (versions, OS, a traceback without messages or local variables)
    and return its path. Falls back to the temporary folder when the log folder is not writable."""
    from inspector_app.paths import app_paths

    now = datetime.now(UTC)
    lines = [
        "inspector_app crash report (contains no personal data: no answers, notes, names or messages)",
        f"time (UTC): {now.isoformat(timespec='seconds')}",
        f"app version: {app_version()}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"os: {platform.platform()}",
        f"frozen build: {'yes' if is_frozen() else 'no'}",
    ]
    lines += [f"{key}: {value}" for key, value in (extra or {}).items()]
    text = "\n".join(lines) + "\n\n" + safe_traceback(kind, error, trace)
    log.error("unexpected error %s", kind.__qualname__, exc_info=(kind, error, trace))
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    folders = [log_dir or app_paths().log_dir, Path(tempfile.gettempdir())]
    for folder in folders:
        for attempt in range(100):
            path = folder / (f"crash-{stamp}.txt" if attempt == 0 else f"crash-{stamp}-{attempt}.txt")
            if path.exists():
                continue
            try:
                atomic_write_text(path, text)
            except OSError:
                break
            return path
    raise OSError(f"no folder to write a crash report in ({os.pathsep.join(map(str, folders))})")
