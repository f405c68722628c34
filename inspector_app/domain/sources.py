"""The sources behind the indicator catalogue (`resources/sources.toml`), keyed as the indicators' `refs`.

Each source says what it is, who published it, when, where, and whether its text was read or only its
title: provenance a domain owner can check, and that the app never overstates (the CCV signal cards
were not among the sources).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inspector_app.paths import resources_dir

SEEN = ("text", "title")


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    year: str
    where: str
    seen: str


def load_sources_file(path: Path) -> dict[str, Source]:
    """Every source of the file; a missing field or an unknown `seen` is an error naming the key."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    sources: dict[str, Source] = {}
    for key, entry in raw.items():
        if key == "format":
            continue
        if not isinstance(entry, dict):
            raise ValueError(f"{path.name}: source {key} must be a table")
        fields = {name: entry.get(name) for name in ("title", "publisher", "year", "where", "seen")}
        missing = [name for name, value in fields.items() if not isinstance(value, str) or not value.strip()]
        if missing:
            raise ValueError(f"{path.name}: source {key} lacks {', '.join(missing)}")
        if fields["seen"] not in SEEN:
            raise ValueError(f"{path.name}: source {key}: seen must be one of {', '.join(SEEN)}")
        sources[key] = Source(key, **{name: str(value) for name, value in fields.items()})
    return sources


@cache
def load_sources() -> dict[str, Source]:
    return load_sources_file(resources_dir() / "sources.toml")
