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


def n_(singular: str, plural: str, /, count: int, **values: Any) -> str:
    """Translate a message that holds a count: `singular` for exactly one, `plural` otherwise.

    Dutch and English share the one/other rule, so the form is picked here from `count` and then
    translated like any `_()` message ("1 persoon" / "2 personen"; "1 person" / "2 people"); both forms
    are catalogue entries. `{count}` is filled in with the count, next to any other `values`. One
    helper for every count keeps "1 personen" and "foto('s)" out of the app.
    """
    return _(singular if count == 1 else plural, count=count, **values)


@dataclass(frozen=True)
class LocalText:
    """A text that carries its own Dutch and English version (checklists, catalogue)."""

    nl: str
    en: str

    def get(self, language: str | None = None) -> str:
        return self.en if (language or _state["language"]) == "en" else self.nl

    def __str__(self) -> str:
        return self.get()
