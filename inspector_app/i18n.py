"""Dutch first, English available: one `_()` for core, CLI, reports and UI.

Messages are written in Dutch in the code (the msgid, gettext style) and looked up in
`resources/translations/en.json` when English is chosen. A test checks that every `_()` literal has an
English entry, so a missing translation fails the build instead of showing Dutch to an English user.
Texts from checklists and the indicator catalogue carry both languages themselves (`LocalText`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from inspector_app.paths import resources_dir

LANGUAGES = ("nl", "en")
LANG_ENV = "INSPECTOR_APP_LANG"

_state = {"language": os.environ.get(LANG_ENV, "nl") if os.environ.get(LANG_ENV) in LANGUAGES else "nl"}


def set_language(language: str) -> None:
    """Switch the language for everything that calls `_()` afterwards."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _state["language"] = language


def current_language() -> str:
    return _state["language"]


@cache
def _english_catalogue() -> dict[str, str]:
    """All English catalogues merged: `en.json` plus one `en-<part>.json` per part of the app."""
    data: dict[str, str] = {}
    for path in sorted((resources_dir() / "translations").glob("en*.json")):
        with path.open(encoding="utf-8") as handle:
            data.update(json.load(handle))
    return data


def _(msgid: str, /, **values: Any) -> str:
    """Translate a Dutch message into the current language and fill in `{name}` placeholders."""
    text = msgid
    if _state["language"] == "en":
        text = _english_catalogue().get(msgid, msgid)
    return text.format(**values) if values else text


@dataclass(frozen=True)
class LocalText:
    """A text that carries its own Dutch and English version (checklists, catalogue)."""

    nl: str
    en: str

    def get(self, language: str | None = None) -> str:
        return self.en if (language or _state["language"]) == "en" else self.nl

    def __str__(self) -> str:
        return self.get()
