"""Open one installation: folders, settings, database and who is working."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from inspector_app.errors import AppError
from inspector_app.logs import log_event
from inspector_app.paths import AppPaths, app_paths, practice_requested
from inspector_app.settings import Settings, load_settings, save_settings
from inspector_app.storage.db import device_id, forget_key, open_db, writing
from inspector_app.storage.environment import is_practice, mark_practice
from inspector_app.storage.media_files import seal_media
from inspector_app.storage.place import refuse_network_folder
from inspector_app.storage.unlock_request import Unlock, process_unlock
from inspector_app.sync.encoded_cache import keep_encoded, start_keeping, stop_keeping
from inspector_app.sync.office_key import has_office_key


@dataclass
class AppContext:
    paths: AppPaths
    db: Database
    settings: Settings
    device_id: str
    settings_problem: str | None = None  # in the user's language; the main window shows it once
    settings_read_only: bool = False  # the settings file is from a newer version: never written
    practice: bool = False  # the practice environment ("oefenomgeving"): marked everywhere, never exported

    @property
    def actor(self) -> str:
        """Who is making changes: the profile name, else the operating-system account."""
        if self.settings.profile.name:
            return self.settings.profile.name
        return _account()

    def save_settings(self) -> None:
        """Write the settings; raises NewerSettingsError when the file is from a newer version."""
        save_settings(self.paths.settings_file, self.settings)

    def close(self) -> None:
        self.db.close()
        forget_key(self.db)

    def reopen(self, unlock: Unlock) -> None:
        """Open the store again after the app lock closed it (the same folder, unlocked anew)."""
        self.db = open_db(self.paths.database, unlock=replace(unlock, practice=self.practice))
        _keep_bundle_lines(self.paths, self.db)


@contextmanager
def opened_app(
    data_dir: str | os.PathLike[str] | Path | None = None, *, practice: bool | None = None
) -> Iterator[AppContext]:
    """An installation that is closed again when the block ends, also after an error."""
    app = open_app(data_dir, practice=practice)
    try:
        yield app
    finally:
        app.close()


def open_app(
    data_dir: str | os.PathLike[str] | Path | None = None,
    *,
    practice: bool | None = None,
    unlock: Unlock | None = None,
) -> AppContext:
    """Open the real store, or with `practice` (default: $INSPECTOR_APP_OEFEN) the practice store,
    which is marked as such in its database the first time it is opened (and, when new, gets the
    published practice key instead of a passphrase: docs/privacy.md)."""
    wanted = practice_requested() if practice is None else practice
    paths = app_paths(data_dir, practice=wanted)
    refuse_network_folder(paths.data_dir)  # before anything is created there
    paths.ensure()
    loaded = load_settings(paths.settings_file)
    chosen = replace(unlock or process_unlock(), practice=wanted)
    db = open_db(paths.database, unlock=chosen)
    seal_media(paths.media_dir)  # photos from before encryption: sealed now (storage/media_files.py)
    if wanted:
        mark_practice(db)
    else:
        from inspector_app.services.store import keep_escrow_current, seal_key_files

        seal_key_files(paths)
        keep_escrow_current(paths, db)
    _keep_bundle_lines(paths, db)
    return AppContext(
        paths, db, loaded.settings, device_id(db), loaded.problem, loaded.read_only, is_practice(db)
    )


def _keep_bundle_lines(paths: AppPaths, db: Database) -> None:
    """A field store keeps each visit's bundle lines as it is written (sync/encoded_cache.py), and
    encodes those not kept yet (after the upgrade that added them) now, once. The office exports no
    bundles and keeps none. A store that cannot be written here loses nothing: the export then
    encodes the visits itself."""
    keep_encoded(db)
    try:
        if has_office_key(paths.data_dir):
            stop_keeping(db)
            return
        if start_keeping(db):
            return  # the hook encoded every visit before that transaction committed
        if db.execute("SELECT 1 FROM sync_encoded_dirty LIMIT 1").fetchone() is None:
            return
        with writing(db):
            pass  # the hook encodes the dirty visits before this (otherwise empty) transaction commits
    except AppError as error:
        log_event("bundle_lines_not_kept", reason=type(error).__name__)


@cache
def _account() -> str:
    """The operating-system account, looked up once: every audited write asks for it."""
    try:
        return f"account:{getpass.getuser()}"
    except (KeyError, OSError):
        return "account:onbekend"
