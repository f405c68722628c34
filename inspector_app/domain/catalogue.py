"""The signal-indicator catalogue (resources/indicators.toml), keyed by stable slug.

The catalogue is domain data: checklists refer to it by slug, the signal evaluation takes its weights
and categories from it, and reports print its labels.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from inspector_app.domain.model import Category, Recipient, Weight
from inspector_app.i18n import LocalText
from inspector_app.paths import resources_dir

CATEGORY_LABELS = {
    Category.GENERAL: LocalText("Algemeen", "General"),
    Category.SEXUAL: LocalText("Seksuele uitbuiting", "Sexual exploitation"),
    Category.LABOUR: LocalText("Arbeidsuitbuiting", "Labour exploitation"),
    Category.CRIMINAL: LocalText("Criminele uitbuiting", "Criminal exploitation"),
    Category.BEGGING: LocalText("Gedwongen bedelarij", "Forced begging"),
}

RECIPIENT_LABELS = {
    Recipient.CONTACT_PERSON: LocalText(
        "Aandachtsfunctionaris mensenhandel", "Municipal trafficking contact person"
    ),
    Recipient.POLICE: LocalText("Politie (AVIM)", "Police (AVIM)"),
    Recipient.LABOUR_INSPECTORATE: LocalText(
        "Nederlandse Arbeidsinspectie", "Netherlands Labour Inspectorate"
    ),
    Recipient.RIEC: LocalText("RIEC", "RIEC (regional information and expertise centre)"),
    Recipient.COMENSHA: LocalText("CoMensha", "CoMensha"),
    Recipient.CARE_COORDINATOR: LocalText("Zorgcoördinator mensenhandel", "Care coordinator"),
    Recipient.VEILIG_THUIS: LocalText("Veilig Thuis", "Veilig Thuis (domestic violence and child abuse)"),
}

WEIGHT_LABELS = {
    Weight.HIGH: LocalText("Hoog", "High"),
    Weight.MEDIUM: LocalText("Midden", "Medium"),
    Weight.LOW: LocalText("Laag", "Low"),
}


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
