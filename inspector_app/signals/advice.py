"""Escalation advice (domain.md b.5) from the indicators that stand after dismissals.

- acute situations (a rule marked acute, a minor in sex work, injuries with threats, someone locked
  in): call 112 / police on site, no further questioning;
- any H indicator: escalate today to the municipal contact person (aandachtsfunctionaris);
- two or more M, or one M plus two L: prompt a referral;
- the same M/H indicator at the same location in two or more visits: suggest RIEC case consultation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.model import (
    Advice,
    AdviceLevel,
    Category,
    LocationType,
    Recipient,
    Weight,
)
from inspector_app.i18n import _
from inspector_app.signals.ledger import StandingIndicator, merge

SEX_WORK_LOCATIONS = {LocationType.PROSTITUTION_BUSINESS, LocationType.MASSAGE_PARLOUR}
LOCKED_IN_SLUGS = {"sex.room_lock_outside"}


def _acute_reasons(
    active: Mapping[str, Weight], location_type: LocationType | None, acute_rules: Collection[str]
) -> list[str]:
    reasons = []
    if acute_rules:
        reasons.append(_("een antwoord vraagt om direct optreden"))
    if "gen.minor" in active and location_type in SEX_WORK_LOCATIONS:
        reasons.append(_("vermoedelijk minderjarige in de seksbranche"))
    if "gen.injuries" in active and "gen.threats" in active:
        reasons.append(_("letsel en bedreiging"))
    if LOCKED_IN_SLUGS & set(active):
        reasons.append(_("iemand is opgesloten of kan niet weg"))
    return reasons


def _partner_hint(slugs: Iterable[str], catalogue: Catalogue) -> str:
    categories = {catalogue[slug].category for slug in slugs if slug in catalogue}
    hints = []
    if categories & {Category.SEXUAL, Category.CRIMINAL, Category.BEGGING}:
        hints.append(_("politie (AVIM)"))
    if Category.LABOUR in categories:
        hints.append(_("Nederlandse Arbeidsinspectie"))
    return ", ".join(hints)


def escalation_advice(
    indicators: Iterable[StandingIndicator],
    location_type: LocationType | None = None,
    acute_rules: Collection[str] = (),
    location_history: Mapping[str, int] | None = None,
    catalogue: Catalogue | None = None,
) -> list[Advice]:
    """Advice for one visit, most urgent first.

    `location_history` counts, per slug, the earlier visits at the same location where that indicator
    stood; it feeds the RIEC suggestion.
    """
    catalogue = catalogue or load_catalogue()
    active = {indicator.slug: indicator.weight for indicator in merge(indicators)}
    advice: list[Advice] = []
    reasons = _acute_reasons(active, location_type, acute_rules)
    if reasons:
        advice.append(
            Advice(
                AdviceLevel.ACUTE,
                _(
                    "Acuut ({reasons}): bel 112 / de politie ter plaatse. Stel geen verdere vragen en "
                    "confronteer niemand; houd het tweepersoonsprincipe aan.",
                    reasons="; ".join(reasons),
                ),
                Recipient.POLICE,
            )
        )
    high = sorted(slug for slug, weight in active.items() if weight is Weight.HIGH)
    medium = sorted(slug for slug, weight in active.items() if weight is Weight.MEDIUM)
    low = sorted(slug for slug, weight in active.items() if weight is Weight.LOW)
    if high:
        advice.append(
            Advice(
                AdviceLevel.ESCALATE,
                _(
                    "Signaal met hoog gewicht: escaleer vandaag naar de aandachtsfunctionaris mensenhandel "
                    "en maak een doorverwijzing aan."
                ),
                Recipient.CONTACT_PERSON,
                tuple(high),
            )
        )
    elif len(medium) >= 2 or (medium and len(low) >= 2):
        slugs = tuple(medium + low)
        hint = _partner_hint(slugs, catalogue)
        text = _(
            "Meerdere signalen in combinatie: maak een doorverwijzing naar de "
            "aandachtsfunctionaris mensenhandel."
        )
        if hint:
            text += " " + _("Waarschijnlijke vervolgpartner: {partner}.", partner=hint)
        advice.append(Advice(AdviceLevel.REFERRAL, text, Recipient.CONTACT_PERSON, slugs))
    history = location_history or {}
    repeated = sorted(slug for slug in high + medium if history.get(slug, 0) >= 1)
    if repeated:
        advice.append(
            Advice(
                AdviceLevel.RIEC,
                _("Dezelfde signalen keren terug op deze locatie: stel een casusoverleg met het RIEC voor."),
                Recipient.RIEC,
                tuple(repeated),
            )
        )
    return advice
