"""The picker's search finds word forms: "slapen" finds the indicator labelled "slaapt"."""

from __future__ import annotations

import pytest

from inspector_app.domain.catalogue import load_catalogue, word_stem


@pytest.mark.parametrize(
    ("query", "slug_label"),
    [
        ("slapen", "slaapt"),  # the reproduced miss
        ("slaap", "slaapt"),
        ("wonen", "woont"),
        ("sleeping", "sleeps"),
        ("schuld", "schulden"),  # plain substrings still match
    ],
)
def test_search_finds_word_forms(query: str, slug_label: str) -> None:
    catalogue = load_catalogue()
    found = catalogue.search(query)
    assert any(slug_label in f"{i.label.nl} {i.label.en}".casefold() for i in found), query


def test_every_word_must_match() -> None:
    catalogue = load_catalogue()
    both = catalogue.search("slapen bedrijf")
    assert both and all("bedrijf" in i.label.nl.casefold() for i in both)
    assert catalogue.search("slapen xyzzy") == []


@pytest.mark.parametrize(
    ("forms", "stem"),
    [(("slapen", "slaapt", "slaap"), "slap"), (("zitten", "zit"), "zit"), (("leven", "leeft"), "lef")],
)
def test_word_forms_share_a_stem(forms: tuple[str, ...], stem: str) -> None:
    assert {word_stem(form) for form in forms} == {stem}
