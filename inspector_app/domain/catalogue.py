"""The signal-indicator catalogue (resources/indicators.toml), keyed by stable slug.

The catalogue is domain data: checklists refer to it by slug, the signal evaluation takes its weights
and categories from it, and reports print its labels.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inspector_app.domain.model import Category, Weight
from inspector_app.i18n import LocalText
from inspector_app.paths import resources_dir


@dataclass(frozen=True)
class Indicator:
    slug: str
    label: LocalText
    category: Category
    where: tuple[str, ...]
    families: tuple[str, ...]
    refs: tuple[str, ...]
    weight: Weight
    ilo: tuple[int, ...]
    derived: bool = False


@dataclass(frozen=True)
class Catalogue:
    version: int
    indicators: dict[str, Indicator]
    ilo: dict[int, LocalText]

    def __contains__(self, slug: object) -> bool:
        return slug in self.indicators

    def __getitem__(self, slug: str) -> Indicator:
        return self.indicators[slug]

    def search(self, text: str) -> list[Indicator]:
        """Indicators that match every word of `text` (case-insensitive), in slug or label, either language.

        A word matches as a plain substring, or by its stem (`word_stem`) as the start of a label
        word's stem, so the inspector finds "slaapt" by typing "slapen" and "sleeps" by "sleeping".
        """
        words = text.casefold().split()
        found = []
        for indicator in self.indicators.values():
            haystack = f"{indicator.slug} {indicator.label.nl} {indicator.label.en}".casefold()
            stems = [word_stem(token) for token in _WORD.findall(haystack)]
            if all(
                word in haystack or any(stem.startswith(word_stem(word)) for stem in stems) for word in words
            ):
                found.append(indicator)
        return found


_WORD = re.compile(r"[^\W\d_]+")
_SUFFIXES = ("heden", "heid", "ingen", "ing", "en", "es", "'s", "s", "te", "de", "t", "e", "ed")
_VOWELS = set("aeiouy")


def word_stem(word: str) -> str:
    """A rough stem for search, Dutch first: "slapen", "slaapt" and "slaap" all become "slap".

    Not a linguistic stemmer: it drops one common ending (keeping at least three letters), an
    end-doubled consonant ("zitt" from "zitten") and doubled vowels ("slaap"), and folds a final v/z
    into f/s ("leven", "leeft"). Both sides of a search go through it, so only consistency matters.
    """
    stem = word.casefold()
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
            stem = stem[: -len(suffix)]
            break
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        stem = stem[:-1]
    stem = re.sub(r"([aeou])\1", r"\1", stem)
    return stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1]) if stem else stem


def _text(raw: dict[str, str]) -> LocalText:
    return LocalText(nl=raw["nl"], en=raw["en"])


def load_catalogue_file(path: Path) -> Catalogue:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    indicators = {}
    for raw in data["indicator"]:
        indicators[raw["slug"]] = Indicator(
            slug=raw["slug"],
            label=_text(raw["label"]),
            category=Category(raw["category"]),
            where=tuple(raw["where"]),
            families=tuple(raw["families"]),
            refs=tuple(raw["refs"]),
            weight=Weight(raw["weight"]),
            ilo=tuple(raw["ilo"]),
            derived=bool(raw.get("derived", False)),
        )
    ilo = {int(raw["number"]): _text(raw["label"]) for raw in data.get("ilo", [])}
    return Catalogue(version=int(data["version"]), indicators=indicators, ilo=ilo)


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, read once per process."""
    return load_catalogue_file(resources_dir() / "indicators.toml")
