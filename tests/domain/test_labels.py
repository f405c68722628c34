"""One label per enum value: every value of every domain enum has a Dutch and an English label, and no
other module keeps its own table of labels for an enum (the copies drifted apart before)."""

from __future__ import annotations

import ast
import inspect
import json
from enum import StrEnum
from pathlib import Path

import pytest

from inspector_app.domain import labels, model
from inspector_app.domain.labels import label, label_text
from inspector_app.domain.model import ConsentStatus, ReferralStatus, VisitStatus
from inspector_app.i18n import LANGUAGES
from inspector_app.paths import resources_dir

PACKAGE = Path(labels.__file__).resolve().parents[1]
ENUMS = [
    member
    for _name, member in inspect.getmembers(model, inspect.isclass)
    if issubclass(member, StrEnum) and member is not StrEnum and member.__module__ == model.__name__
]


def test_the_walk_sees_the_enums_of_the_review() -> None:
    names = {enum.__name__ for enum in ENUMS}
    assert {
        "VisitStatus",
        "LocationType",
        "Urgency",
        "ConsentStatus",
        "ReferralStatus",
        "IndicatorSource",
        "Weight",
        "Recipient",
        "ImportOutcome",
        "ConflictKind",
    } <= names


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_every_value_has_a_label_in_both_languages(enum: type[StrEnum]) -> None:
    for value in enum:
        text = label(value)
        assert text.get("nl").strip() and text.get("en").strip(), f"{enum.__name__}.{value.name}"


def test_the_words_an_office_uses() -> None:
    assert label(ConsentStatus.GIVEN).get("nl") == "Gegeven (schriftelijk)"
    assert label(ReferralStatus.CLOSED).get("nl") == "Afgesloten"
    assert label(ReferralStatus.CLOSED).get("en") == "Closed"


def test_a_stored_value_is_labelled_and_an_unknown_one_shown_as_it_is() -> None:
    assert label_text(VisitStatus, "final", "nl") == "definitief"
    assert label_text(VisitStatus, "final", "en") == "final"
    assert label_text(VisitStatus, "archived", "nl") == "archived"  # written by a newer version


def _enum_value_sets() -> dict[frozenset[str], str]:
    return {frozenset(value.value for value in enum): enum.__name__ for enum in ENUMS}


def _key_text(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr  # Enum.MEMBER: compared by member name below
    return None


def _known_texts() -> set[str]:
    """Words the app shows: the Dutch msgids of the English catalogues and every label in both languages."""
    texts = {
        text.get(lang) for enum in ENUMS for value in enum for text in [label(value)] for lang in LANGUAGES
    }
    for path in (resources_dir() / "translations").glob("en*.json"):
        texts |= set(json.loads(path.read_text(encoding="utf-8")))
    return texts


def _is_text(node: ast.expr, known: set[str]) -> bool:
    """A user-facing text: a `LocalText` pair, a `_()` message, or a string the app translates or shows as a label
    (not, say, a style sheet keyed by the same enum)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in known
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("T", "LocalText", "_")
    )


def test_no_other_module_keeps_a_label_table_for_an_enum() -> None:
    """A dict literal mapping every value of one enum to a text is a copy of `domain/labels.py`."""
    value_sets = _enum_value_sets()
    member_sets = {frozenset(value.name for value in enum): enum.__name__ for enum in ENUMS}
    known = _known_texts()
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == Path(labels.__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                not isinstance(node, ast.Dict)
                or not node.values
                or not all(_is_text(value, known) for value in node.values)
            ):
                continue
            keys = frozenset(key for key in map(_key_text, node.keys) if key is not None)
            enum = value_sets.get(keys) or member_sets.get(keys)
            if enum:
                copies.append(f"{path.relative_to(PACKAGE)}:{node.lineno} ({enum})")
    assert not copies, f"use inspector_app.domain.labels instead: {copies}"
