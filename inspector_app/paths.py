"""Where things live: the only module that asks platformdirs.

`INSPECTOR_APP_HOME` or the global `--data-dir DIR` option move every user location (data, settings,
logs, media) under one folder, which tests and office scripts use. The shipped `forms/` and
`resources/` folders are found both in a source checkout and in a frozen build.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from inspector_app.fileio import atomic_write_text, make_private_dir, restrict_tree

APP_NAME = "inspector_app"
APP_AUTHOR = "inspector_app"
HOME_ENV = "INSPECTOR_APP_HOME"
PRACTICE_ENV = "INSPECTOR_APP_OEFEN"  # "1": every command and the desktop use the practice environment
PRACTICE_FOLDER = "oefenomgeving"
DATABASE_FILENAME = "inspector.sqlite3"
# What the app keeps in a data folder: the database with its WAL, SHM and pre-migration snapshots
# (all "inspector."), photos, installed checklists, keys, and (with --data-dir) settings and logs.
APP_FILE_PREFIX = "inspector."
APP_ENTRIES = frozenset({"media", "forms", "keys", "config", "logs", PRACTICE_FOLDER})


@dataclass(frozen=True)
class AppPaths:
    """The user folders of one installation."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILENAME

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    def ensure(self) -> AppPaths:
        """Create the folders for this user only and repair what the app keeps in them (docs/privacy.md).

        In the data folder only the app's own entries are repaired (a folder chosen in the settings
        may hold other files of the user, which keep their modes); the settings and log folders are
        the app's alone."""
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.media_dir):
            make_private_dir(folder)
        for entry in self.data_dir.iterdir():
            if entry.name in APP_ENTRIES or entry.name.startswith(APP_FILE_PREFIX):
                restrict_tree(entry)
        for folder in (self.config_dir, self.log_dir):
            restrict_tree(folder)
        return self


DATA_LOCATION_FILE = "data-location.json"


def data_dir_is_overridden() -> bool:
    """Whether $INSPECTOR_APP_HOME decides the folders (then the settings cannot move them)."""
    return bool(os.environ.get(HOME_ENV))


def _platform_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def chosen_data_dir() -> Path | None:
    """The data folder chosen in the settings (kept next to the platform's settings), if any."""
    pointer = _platform_config_dir() / DATA_LOCATION_FILE
    try:
        value = json.loads(pointer.read_text(encoding="utf-8")).get("data_dir")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value) if isinstance(value, str) and value else None


def choose_data_dir(folder: Path | None) -> None:
    """Use `folder` for the data from the next start on (None: back to the platform's folder)."""
    pointer = _platform_config_dir() / DATA_LOCATION_FILE
    if folder is None:
        pointer.unlink(missing_ok=True)
        return
    atomic_write_text(pointer, json.dumps({"data_dir": str(folder.expanduser().resolve())}))


def practice_requested() -> bool:
    """Whether $INSPECTOR_APP_OEFEN (or the global `--oefen` option, which sets it) asks for practice."""
    return os.environ.get(PRACTICE_ENV, "").strip().lower() in {"1", "true", "ja", "yes"}


def app_paths(data_dir: str | os.PathLike[str] | None = None, *, practice: bool | None = None) -> AppPaths:
    """The folders to use: an explicit folder, then $INSPECTOR_APP_HOME, then the folder chosen in the
    settings, then the platform's.

    The practice environment (`practice`, default from $INSPECTOR_APP_OEFEN) is the subfolder
    `oefenomgeving/` of the real data folder, with its own database, settings, keys and logs, so demo
    visits never sit in the real store.
    """
    real = _real_paths(data_dir)
    if not (practice_requested() if practice is None else practice):
        return real
    base = real.data_dir / PRACTICE_FOLDER
    return AppPaths(data_dir=base, config_dir=base / "config", log_dir=base / "logs")


def _real_paths(data_dir: str | os.PathLike[str] | None) -> AppPaths:
    override = data_dir if data_dir is not None else os.environ.get(HOME_ENV) or None
    if override is not None:
        base = Path(override).expanduser().resolve()
        return AppPaths(data_dir=base, config_dir=base / "config", log_dir=base / "logs")
    return AppPaths(
        data_dir=chosen_data_dir() or Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        config_dir=_platform_config_dir(),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
    )


def install_root() -> Path:
    """The folder holding the shipped `forms/` and `resources/` (source checkout or frozen build)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return Path(os.environ.get("INSPECTOR_APP_FORMS", install_root() / "forms"))


INSTALLED_FORMS_FOLDER = "forms"
INSTALLED_FORMS_POINTER = "current"
INSTALLED_SET_PATTERN = re.compile(r"set-[0-9a-f-]{36}")


def installed_forms_root(data_dir: Path | None = None) -> Path:
    """`<data dir>/forms/`: checklist sets installed from office reference bundles."""
    return (data_dir or app_paths().data_dir) / INSTALLED_FORMS_FOLDER


def installed_forms_dir(data_dir: Path | None = None) -> Path | None:
    """The installed checklist set the pointer file names, if there is one (never with INSPECTOR_APP_FORMS).

    Each reference bundle installs into its own folder `set-<bundle id>`; the small pointer file
    `current` is replaced atomically, so a reader sees the old set or the new one, never a mix.
    """
    if os.environ.get("INSPECTOR_APP_FORMS"):
        return None
    root = installed_forms_root(data_dir)
    try:
        name = (root / INSTALLED_FORMS_POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = root / name
    return folder if INSTALLED_SET_PATTERN.fullmatch(name) and folder.is_dir() else None


def resources_dir() -> Path:
    return install_root() / "resources"
