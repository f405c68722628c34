"""Escalation advice (domain.md b.5, c.1) from the indicators that stand after dismissals.

- acute situations (a rule marked acute, a minor in sex work, a minor with another H indicator,
  injuries with threats, someone locked in): call 112 / police on site, no further questioning;
- any H indicator: escalate today to the municipal contact person (aandachtsfunctionaris);
- two or more M, or one M plus two L: prompt a referral;
- a person asks for help, information or shelter (not in danger now): police (AVIM) and the care
  coordinator; shelter through CoMensha only with written consent (CoMensha D12);
- one M on its own (with at most one L): informational, so the contact person still sees it
  ("óók als het slechts een vermoeden is", Veiligheidscoalitie Den Haag, audit D18);
- the same M/H indicator at the same location in two or more visits: suggest RIEC case consultation.

Every level but RIEC names the likely follow-up partners: from the categories (sexual, criminal,
begging -> police AVIM; labour -> Labour Inspectorate), else by location type (construction and
housing -> Labour Inspectorate; sex work and massage -> police AVIM); a minor adds police and
Veilig Thuis / youth care, and the Labour Inspectorate at a work site (audit §5.3).
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
WORK_SITES = {LocationType.CONSTRUCTION_SITE, LocationType.LABOUR_HOUSING}
LOCKED_IN_SLUGS = {"sex.room_lock_outside"}
ASKS_FOR_HELP = "gen.asks_for_help"
MINOR = "gen.minor"


def _acute_reasons(
    active: Mapping[str, Weight], location_type: LocationType | None, acute_rules: Collection[str]
) -> list[str]:
    reasons = []
    if acute_rules:
        reasons.append(_("een antwoord vraagt om direct optreden"))
    if MINOR in active and location_type in SEX_WORK_LOCATIONS:
        reasons.append(_("vermoedelijk minderjarige in de seksbranche"))
    elif MINOR in active and any(w is Weight.HIGH for s, w in active.items() if s != MINOR):
        reasons.append(_("vermoedelijk minderjarige met een signaal met hoog gewicht"))
    if "gen.injuries" in active and "gen.threats" in active:
        reasons.append(_("letsel en bedreiging"))
    if LOCKED_IN_SLUGS & set(active):
        reasons.append(_("iemand is opgesloten of kan niet weg"))
    return reasons


def likely_partners(
    slugs: Iterable[str], location_type: LocationType | None, catalogue: Catalogue
) -> tuple[Recipient, ...]:
    """Who the contact person will most likely pass these signals to, most relevant first."""
    slugs = set(slugs)
    categories = {catalogue[slug].category for slug in slugs if slug in catalogue}
    partners: list[Recipient] = []
    if categories & {Category.SEXUAL, Category.CRIMINAL, Category.BEGGING}:
        partners.append(Recipient.POLICE)
    if Category.LABOUR in categories:
        partners.append(Recipient.LABOUR_INSPECTORATE)
    if not partners and location_type in WORK_SITES:
        partners.append(Recipient.LABOUR_INSPECTORATE)
    elif not partners and location_type in SEX_WORK_LOCATIONS:
        partners.append(Recipient.POLICE)
    if MINOR in slugs:
        partners += [Recipient.POLICE, Recipient.VEILIG_THUIS]
        if location_type in WORK_SITES:
            partners.append(Recipient.LABOUR_INSPECTORATE)
    return tuple(dict.fromkeys(partners))


def _partner_names() -> dict[Recipient, str]:
    return {
        Recipient.POLICE: _("politie (AVIM)"),
        Recipient.LABOUR_INSPECTORATE: _("Nederlandse Arbeidsinspectie"),
        Recipient.VEILIG_THUIS: _("Veilig Thuis / jeugdzorg"),
        Recipient.CARE_COORDINATOR: _("zorgcoördinator mensenhandel"),
        Recipient.COMENSHA: _("CoMensha (opvang; alleen met schriftelijke toestemming)"),
    }


def _with_partners(text: str, partners: tuple[Recipient, ...]) -> str:
    names = _partner_names()
    if not partners:
        return text
    return (
        text
        + " "
        + _(
            "Waarschijnlijke vervolgpartner: {partner}.",
            partner=", ".join(names[p] for p in partners if p in names),
        )
    )


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
        acute_partners = (
            (Recipient.POLICE, Recipient.VEILIG_THUIS) if MINOR in active else (Recipient.POLICE,)
        )
        advice.append(
            Advice(
                AdviceLevel.ACUTE,
                _(
                    "Acuut ({reasons}): bel 112 / de politie ter plaatse. Stel geen verdere vragen en "
                    "confronteer niemand; houd het tweepersoonsprincipe aan.",
                    reasons="; ".join(reasons),
                ),
                Recipient.POLICE,
                partners=acute_partners,
            )
        )
    high = sorted(slug for slug, weight in active.items() if weight is Weight.HIGH)
    medium = sorted(slug for slug, weight in active.items() if weight is Weight.MEDIUM)
    low = sorted(slug for slug, weight in active.items() if weight is Weight.LOW)
    everything = tuple(high + medium + low)
    partners = likely_partners(everything, location_type, catalogue)
    if high:
        text = _(
            "Signaal met hoog gewicht: escaleer vandaag naar de aandachtsfunctionaris mensenhandel "
            "en maak een doorverwijzing aan."
        )
        advice.append(
            Advice(
                AdviceLevel.ESCALATE,
                _with_partners(text, partners),
                Recipient.CONTACT_PERSON,
                tuple(high),
                partners,
            )
        )
    elif len(medium) >= 2 or (medium and len(low) >= 2):
        slugs = tuple(medium + low)
        text = _(
            "Meerdere signalen in combinatie: maak een doorverwijzing naar de "
            "aandachtsfunctionaris mensenhandel."
        )
        advice.append(
            Advice(
                AdviceLevel.REFERRAL,
                _with_partners(text, partners),
                Recipient.CONTACT_PERSON,
                slugs,
                partners,
            )
        )
    elif medium:
        slugs = tuple(medium + low)
        text = _(
            "Eén signaal: noteer feitelijk wat u zag of hoorde. Het komt in het overzicht van de "
            "aandachtsfunctionaris mensenhandel, ook als het bij een vermoeden blijft."
        )
        advice.append(
            Advice(
                AdviceLevel.INFORMATIONAL,
                _with_partners(text, partners),
                Recipient.CONTACT_PERSON,
                slugs,
                partners,
            )
        )
    if ASKS_FOR_HELP in active:
        help_partners: tuple[Recipient, ...] = (
            Recipient.POLICE,
            Recipient.CARE_COORDINATOR,
            Recipient.COMENSHA,
        )
        if MINOR in active:
            help_partners = (Recipient.POLICE, Recipient.VEILIG_THUIS)
        text = _(
            "De persoon vraagt om hulp, informatie of opvang: neem vandaag contact op met de politie "
            "(AVIM) en de zorgcoördinator mensenhandel. Opvang via CoMensha alleen met schriftelijke "
            "toestemming van de persoon."
        )
        if MINOR in active:
            text = _(
                "Een vermoedelijk minderjarige vraagt om hulp: neem vandaag contact op met de politie "
                "(AVIM) en Veilig Thuis / jeugdzorg."
            )
        advice.append(Advice(AdviceLevel.REFERRAL, text, help_partners[1], (ASKS_FOR_HELP,), help_partners))
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
