"""Dutch first, English available: every `_()` message has an English translation."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

from inspector_app.i18n import _, n_, set_language
from inspector_app.paths import resources_dir

PACKAGE = Path(__file__).resolve().parents[1] / "inspector_app"


def _messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "n_")
                and node.args
            ):
                forms = node.args[:2] if node.func.id == "n_" else node.args[:1]
                for first in forms:
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        found.setdefault(first.value, f"{path.name}:{node.lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


def _english() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((resources_dir() / "translations").glob("en*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def test_every_message_has_an_english_translation() -> None:
    english = _english()
    missing = {message: where for message, where in _messages().items() if message not in english}
    assert not missing, f"add to resources/translations/en.json: {missing}"


def _string_constants() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_no_translation_outlives_its_message() -> None:
    """A key no source string spells any more is a message that was reworded or removed: its stale English
    would hide that the new text has none. Tables translated through a variable (`_(LABELS[key])`) still
    spell the key as a constant, so any string constant in the package counts as a use."""
    constants = _string_constants()
    stale = {
        path.name: [key for key in json.loads(path.read_text(encoding="utf-8")) if key not in constants]
        for path in sorted((resources_dir() / "translations").glob("en*.json"))
    }
    assert not {name: keys for name, keys in stale.items() if keys}


def test_translations_keep_the_placeholders() -> None:
    english = _english()
    for dutch, translated in english.items():
        assert _fields(dutch) == _fields(translated), dutch


def test_switching_language() -> None:
    set_language("en")
    assert _("Bezoek {visit} bestaat niet", visit="abc") == "Visit abc does not exist"
    set_language("nl")
    assert _("Bezoek {visit} bestaat niet", visit="abc") == "Bezoek abc bestaat niet"


def test_counts_pick_the_singular_only_for_one() -> None:
    set_language("nl")
    assert n_("{count} persoon", "{count} personen", 1) == "1 persoon"
    assert n_("{count} persoon", "{count} personen", 2) == "2 personen"
    assert n_("{count} persoon", "{count} personen", 0) == "0 personen"
    set_language("en")
    try:
        assert n_("{count} foto", "{count} foto's", 1) == "1 photo"
        assert n_("{count} foto", "{count} foto's", 3) == "3 photos"
    finally:
        set_language("nl")


def test_count_messages_have_no_bracketed_plurals() -> None:
    """'bezoek(en)' and "foto('s)" read wrong for one; `n_()` picks the form instead."""
    bracketed = {
        message: where
        for message, where in _messages().items()
        if any(mark in message for mark in ("(en)", "('s)", "(s)"))
    }
    assert not bracketed, f"use n_() for counts: {bracketed}"


def test_no_message_quotes_an_internal_value() -> None:
    """Regression: "leg eerst 'given' vast" put an enum value into a Dutch sentence."""
    import enum

    from inspector_app.domain import model

    values = {
        member.value
        for kind in vars(model).values()
        if isinstance(kind, type) and issubclass(kind, enum.Enum) and kind.__module__ == model.__name__
        for member in kind
        if isinstance(member.value, str) and len(member.value) >= 3
    }
    quoted = {
        message: where
        for message, where in _messages().items()
        if any(f"'{value}'" in message or f'"{value}"' in message for value in values)
    }
    assert not quoted, f"name the label, not the value: {quoted}"
