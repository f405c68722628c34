"""The indicator catalogue: every slug of domain.md (a), with its fields and the ILO mapping."""

from __future__ import annotations

import re
from pathlib import Path

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import Category, Weight

DOMAIN = Path(__file__).resolve().parents[3] / "shared" / "domain.md"
# Slugs added after the domain research, each with the audit item that asked for it.
ADDED_AFTER_RESEARCH = {
    "gen.asks_for_help": "domain-audit §5.2: P-HELP split into danger now / asks for help",
    "sex.sold_or_transferred": "domain-audit §3, §9.12: OM scheme 1b, UNODC, Delphi (S7, S5, S6)",
    "gen.forced_work_when_ill": "domain-audit §3, §9.12: OM scheme 3, Goes (S7, S31)",
    "sex.ritual_oath": "domain-audit §3, §9.12: Zeeland list, Delphi (S1, S6)",
    "hou.compulsory_housing": "domain-audit §3, §9.12: UNODC, CoMensha survey, Goes (S5, S27, S31)",
}


def test_catalogue_has_every_slug_of_the_domain_research() -> None:
    catalogue = load_catalogue()
    if DOMAIN.exists():
        text = DOMAIN.read_text(encoding="utf-8")
        section = text[text.index("### a.1") : text.index("### a.9")]
        slugs = set(re.findall(r"^\| ([a-z]+\.[a-z0-9_]+) \|", section, re.MULTILINE))
        assert slugs == set(catalogue.indicators) - set(ADDED_AFTER_RESEARCH)
    assert len(catalogue.indicators) >= 100


def test_every_indicator_is_complete() -> None:
    catalogue = load_catalogue()
    for slug, indicator in catalogue.indicators.items():
        assert re.fullmatch(r"(gen|fd|sex|ms|lab|hou|crim|beg)\.[a-z0-9_]+", slug)
        assert indicator.label.nl and indicator.label.en
        assert isinstance(indicator.category, Category)
        assert isinstance(indicator.weight, Weight)
        assert indicator.where and indicator.refs
        assert all(number in catalogue.ilo for number in indicator.ilo)


def test_ilo_mapping_follows_the_research() -> None:
    catalogue = load_catalogue()
    assert catalogue["gen.id_held_by_other"].ilo == (7,)
    assert catalogue["gen.restricted_movement"].ilo == (3,)
    assert 10 in catalogue["hou.overcrowded"].ilo  # hou.* -> abusive living conditions
    assert set(catalogue.ilo) == set(range(1, 12))


def test_search_matches_dutch_and_english_words() -> None:
    catalogue = load_catalogue()
    assert "gen.fear" in {i.slug for i in catalogue.search("angstig")}
    assert "gen.fear" in {i.slug for i in catalogue.search("fearful")}


FAMILIES = {"CCV", "ILO", "EU/UN", "NLA", "other"}


def test_source_families_and_derived_marks_follow_the_research() -> None:
    """Each indicator keeps where it comes from: the source families of domain.md (a) and whether the
    item is the author's own derivation, so a report can say which signals rest on published lists."""
    catalogue = load_catalogue()
    for indicator in catalogue.indicators.values():
        assert indicator.families and set(indicator.families) <= FAMILIES
    if DOMAIN.exists():
        text = DOMAIN.read_text(encoding="utf-8")
        section = text[text.index("### a.1") : text.index("### a.9")]
        rows = re.findall(r"^\| ([a-z]+\.[a-z0-9_]+) \|(?:[^|]*\|){4}([^|]*)\|", section, re.MULTILINE)
        for slug, family in rows:
            derived = "(derived)" in family
            names = [name.strip() for name in family.replace("(derived)", "").split(",")]
            assert catalogue[slug].derived is derived, slug
            assert set(catalogue[slug].families) == set(names), slug
    assert {slug for slug, indicator in catalogue.indicators.items() if indicator.derived} >= {
        "fd.escort_handles_papers",
        "lab.opaque_chain",
    }
