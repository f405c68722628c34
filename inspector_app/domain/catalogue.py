"""The signal-indicator catalogue (resources/indicators.toml), keyed by stable slug.

The catalogue is domain data: checklists refer to it by slug, the signal evaluation takes its weights
and categories from it, and reports print its labels.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inspector_app.domain.labels import CATEGORY_LABELS as CATEGORY_LABELS  # re-export: labels moved
from inspector_app.domain.labels import RECIPIENT_LABELS as RECIPIENT_LABELS
from inspector_app.domain.labels import WEIGHT_LABELS as WEIGHT_LABELS
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
        """Indicators whose slug or label, in either language, contains every word of `text` (case-insensitive)."""
        words = text.casefold().split()
        return [
            indicator
            for indicator in self.indicators.values()
            if all(
                word in f"{indicator.slug} {indicator.label.nl} {indicator.label.en}".casefold()
                for word in words
            )
        ]


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
