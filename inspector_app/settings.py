"""Typed user settings in `settings.json`, with a schema_version and ordered migrations.

Written atomically (temporary file, fsync, rename) so a crash never leaves half a settings file; a
damaged file is set aside and defaults are used, with the reason kept for the UI to show.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inspector_app.fileio import atomic_write_text

SETTINGS_SCHEMA_VERSION = 1
FUNCTIONS = ("handhaver", "ggd", "kantoor")


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


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problem: str | None = None


def load_settings(path: Path) -> LoadedSettings:
    """Read settings; a missing file gives defaults, a damaged one is moved aside."""
    if not path.exists():
        return LoadedSettings(Settings())
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        if int(raw.get("schema_version", 1)) > SETTINGS_SCHEMA_VERSION:
            return LoadedSettings(Settings(), "settings file is from a newer version")
        return LoadedSettings(_from_dict(raw))
    except (ValueError, TypeError, KeyError, OSError) as error:
        damaged = path.with_suffix(".damaged.json")
        path.replace(damaged)
        return LoadedSettings(Settings(), f"settings file was damaged ({error}); kept as {damaged.name}")


def save_settings(path: Path, settings: Settings) -> None:
    atomic_write_text(path, json.dumps(asdict(settings), ensure_ascii=False, indent=2))
