"""Typed user settings in `settings.json`, with a schema_version and ordered migrations.

Written atomically (temporary file, fsync, rename) so a crash never leaves half a settings file; a
damaged file is set aside and defaults are used, with the reason kept for the UI to show. A file
written by a newer version of the app is read as far as this version understands it and never
written: it may hold settings this version cannot represent, and the user may go back to that version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inspector_app.errors import ConflictStateError
from inspector_app.fileio import atomic_write_text
from inspector_app.i18n import _

SETTINGS_SCHEMA_VERSION = 1


@dataclass
class Profile:
    name: str = ""
    function: str = ""  # handhaver | ggd | kantoor
    municipality: str = ""


@dataclass
class ContactPerson:
    """The municipal contact person for trafficking (aandachtsfunctionaris mensenhandel)."""

    name: str = ""
    phone: str = ""


@dataclass
class Settings:
    schema_version: int = SETTINGS_SCHEMA_VERSION
    language: str = "nl"
    profile: Profile = field(default_factory=Profile)
    contact_person: ContactPerson = field(default_factory=ContactPerson)
    ui: dict[str, Any] = field(default_factory=dict)

    @property
    def is_first_run(self) -> bool:
        return not self.profile.name


# Ordered migrations: MIGRATIONS[n] turns a version-n dict into version n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _from_dict(raw: dict[str, Any]) -> Settings:
    version = int(raw.get("schema_version", 1))
    while version < SETTINGS_SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
    profile = raw.get("profile") or {}
    contact = raw.get("contact_person") or {}
    language = raw.get("language", "nl")
    return Settings(
        schema_version=SETTINGS_SCHEMA_VERSION,
        language=language if language in ("nl", "en") else "nl",
        profile=Profile(**{k: str(v) for k, v in profile.items() if k in Profile.__dataclass_fields__}),
        contact_person=ContactPerson(
            **{k: str(v) for k, v in contact.items() if k in ContactPerson.__dataclass_fields__}
        ),
        ui=dict(raw.get("ui") or {}),
    )


class NewerSettingsError(ConflictStateError):
    """The settings file was written by a newer version of the app; this version does not overwrite it."""


@dataclass(frozen=True)
class LoadedSettings:
    """The settings to use, what went wrong reading them (in the user's language), and whether saving is off."""

    settings: Settings
    problem: str | None = None
    read_only: bool = False


def _newer_problem(version: int) -> str:
    return _(
        "Het instellingenbestand is van een nieuwere versie van de app (versie {version}; deze versie "
        "kent {known}). De instellingen worden gebruikt voor zover deze versie ze begrijpt, maar niet "
        "opgeslagen. Installeer de nieuwste versie om ze te wijzigen.",
        version=version,
        known=SETTINGS_SCHEMA_VERSION,
    )


def _newer_version(raw: object) -> int | None:
    """The schema_version of a parsed settings file when it is newer than this app knows, else None."""
    if not isinstance(raw, dict):
        return None
    try:
        version = int(raw.get("schema_version", 1))
    except (ValueError, TypeError):
        return None
    return version if version > SETTINGS_SCHEMA_VERSION else None


def load_settings(path: Path, *, set_aside: bool = True) -> LoadedSettings:
    """Read settings; a missing file gives defaults, a damaged one is moved aside, a newer one is read-only.

    `set_aside=False` leaves a damaged file where it is: for a quick look (the desktop app reads the
    language before it opens the installation), so the real open still finds and reports the damage.
    """
    if not path.exists():
        return LoadedSettings(Settings())
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        newer = _newer_version(raw)
        if newer is not None:
            try:
                settings = _from_dict(raw)  # no migration runs for a newer file: only known fields are read
            except (ValueError, TypeError, KeyError, AttributeError):
                settings = Settings()  # a newer shape we cannot read: still never moved aside or written
            return LoadedSettings(settings, _newer_problem(newer), read_only=True)
        return LoadedSettings(_from_dict(raw))
    except (ValueError, TypeError, KeyError, OSError) as error:
        damaged = path.with_suffix(".damaged.json")
        if set_aside:
            path.replace(damaged)
        return LoadedSettings(
            Settings(),
            _(
                "Het instellingenbestand was beschadigd ({error}); het is bewaard als {name} en de "
                "standaardinstellingen worden gebruikt.",
                error=error,
                name=damaged.name,
            ),
        )


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically; refuse (NewerSettingsError) when the file on disk is from a newer version.

    The check reads the file itself rather than trusting a flag, so no caller can overwrite a newer file.
    """
    try:
        on_disk: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        on_disk = None  # missing or damaged: nothing a newer version would miss
    newer = _newer_version(on_disk)
    if newer is not None:
        raise NewerSettingsError(_newer_problem(newer))
    atomic_write_text(path, json.dumps(asdict(settings), ensure_ascii=False, indent=2))
