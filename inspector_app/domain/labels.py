"""One Dutch and English label per enum value, shared by the screen, the command line and the documents.

Each decision about a word lives here once: before, the consent and referral labels were written three
times, and the screen and the signal form used different words for the same consent and status.
Labels are `LocalText` pairs rather than `_()` messages so a document can be rendered in the language
asked for (`LocalText.get(lang)`) while the screen uses the current one (`LocalText.get()`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from inspector_app.domain.model import (
    AdviceLevel,
    Category,
    ConflictKind,
    ConsentStatus,
    ExportStage,
    ImportOutcome,
    IndicatorSource,
    LocationType,
    Recipient,
    ReferralStatus,
    Urgency,
    VisitStatus,
    Weight,
)
from inspector_app.i18n import LocalText as T

WEIGHT_LABELS = {
    Weight.HIGH: T("Hoog", "High"),
    Weight.MEDIUM: T("Midden", "Medium"),
    Weight.LOW: T("Laag", "Low"),
}
CATEGORY_LABELS = {
    Category.GENERAL: T("Algemeen", "General"),
    Category.SEXUAL: T("Seksuele uitbuiting", "Sexual exploitation"),
    Category.LABOUR: T("Arbeidsuitbuiting", "Labour exploitation"),
    Category.CRIMINAL: T("Criminele uitbuiting", "Criminal exploitation"),
    Category.BEGGING: T("Gedwongen bedelarij", "Forced begging"),
}
LOCATION_TYPE_LABELS = {
    LocationType.PROSTITUTION_BUSINESS: T("Prostitutiebedrijf", "Prostitution business"),
    LocationType.MASSAGE_PARLOUR: T("Massagesalon", "Massage parlour"),
    LocationType.CONSTRUCTION_SITE: T("Bouwplaats", "Construction site"),
    LocationType.LABOUR_HOUSING: T("Huisvesting / agrarisch", "Housing / agricultural"),
}
VISIT_STATUS_LABELS = {
    VisitStatus.DRAFT: T("concept", "draft"),
    VisitStatus.FINAL: T("definitief", "final"),
}
SOURCE_LABELS = {
    IndicatorSource.AUTO: T("Afgeleid uit antwoorden", "Derived from answers"),
    IndicatorSource.MANUAL: T("Door toezichthouder aangevinkt", "Ticked by the inspector"),
}
RECIPIENT_LABELS = {
    Recipient.CONTACT_PERSON: T("Aandachtsfunctionaris mensenhandel", "Municipal trafficking contact person"),
    Recipient.POLICE: T("Politie (AVIM)", "Police (AVIM)"),
    Recipient.LABOUR_INSPECTORATE: T("Nederlandse Arbeidsinspectie", "Netherlands Labour Inspectorate"),
    Recipient.RIEC: T("RIEC", "RIEC (regional information and expertise centre)"),
    Recipient.COMENSHA: T("CoMensha", "CoMensha"),
    Recipient.CARE_COORDINATOR: T("Zorgcoördinator mensenhandel", "Care coordinator"),
    Recipient.VEILIG_THUIS: T("Veilig Thuis", "Veilig Thuis (domestic violence and child abuse)"),
}
URGENCY_LABELS = {
    Urgency.ACUTE: T("Acuut", "Acute"),
    Urgency.TODAY: T("Vandaag", "Today"),
    Urgency.DAYS: T("Binnen enkele dagen", "Within a few days"),
    Urgency.INFORMATIONAL: T("Ter informatie", "For information"),
}
# A municipal office records consent as given "in writing" after the fact, and a referral is closed
# ("afgesloten") when the partner's feedback is in: the words of the signal form, now everywhere.
CONSENT_LABELS = {
    ConsentStatus.NOT_APPLICABLE: T("Niet van toepassing", "Not applicable"),
    ConsentStatus.ASKED: T("Gevraagd", "Asked"),
    ConsentStatus.GIVEN: T("Gegeven (schriftelijk)", "Given (in writing)"),
    ConsentStatus.REFUSED: T("Geweigerd", "Refused"),
}
REFERRAL_STATUS_LABELS = {
    ReferralStatus.DRAFT: T("Concept", "Draft"),
    ReferralStatus.SENT: T("Verzonden", "Sent"),
    ReferralStatus.CLOSED: T("Afgesloten", "Closed"),
}
ADVICE_LABELS = {
    AdviceLevel.ACUTE: T("Acuut: 112 / politie", "Acute: 112 / police"),
    AdviceLevel.ESCALATE: T("Vandaag escaleren", "Escalate today"),
    AdviceLevel.REFERRAL: T("Doorverwijzen", "Refer"),
    AdviceLevel.RIEC: T("RIEC-casusoverleg", "RIEC case consultation"),
    AdviceLevel.INFORMATIONAL: T("Ter informatie", "For information"),
}
# The banner above the checklist leads with a short word before the advice text; the documents print the
# longer label above. Both are decided here, in the same words ("vandaag escaleren" in both).
ADVICE_HEADLINES = {
    AdviceLevel.ACUTE: T("ACUUT", "ACUTE"),
    AdviceLevel.ESCALATE: T("Vandaag escaleren", "Escalate today"),
    AdviceLevel.REFERRAL: T("Doorverwijzen", "Refer"),
    AdviceLevel.RIEC: T("RIEC", "RIEC"),
    AdviceLevel.INFORMATIONAL: T("Ter informatie", "For information"),
}
IMPORT_OUTCOME_LABELS = {
    ImportOutcome.IMPORTED: T("ingelezen", "imported"),
    ImportOutcome.ALREADY_PRESENT: T("al aanwezig", "already present"),
    ImportOutcome.REJECTED: T("geweigerd", "rejected"),
}
CONFLICT_KIND_LABELS = {
    ConflictKind.VISIT: T("Bezoek", "Visit"),
    ConflictKind.ANSWER: T("Antwoord", "Answer"),
    ConflictKind.NOTE: T("Notitie", "Note"),
    ConflictKind.PERSON: T("Persoon", "Person"),
    ConflictKind.INDICATOR: T("Indicator", "Indicator"),
    ConflictKind.REFERRAL: T("Doorverwijzing", "Referral"),
}
EXPORT_STAGE_LABELS = {
    ExportStage.COLLECT: T("Bezoeken verzamelen…", "Collecting visits…"),
    ExportStage.WRITE: T("Bundel samenstellen…", "Assembling bundle…"),
    ExportStage.DONE: T("Klaar", "Done"),
}

_TABLES: Mapping[type[StrEnum], Mapping[Any, T]] = {
    Weight: WEIGHT_LABELS,
    Category: CATEGORY_LABELS,
    LocationType: LOCATION_TYPE_LABELS,
    VisitStatus: VISIT_STATUS_LABELS,
    IndicatorSource: SOURCE_LABELS,
    Recipient: RECIPIENT_LABELS,
    Urgency: URGENCY_LABELS,
    ConsentStatus: CONSENT_LABELS,
    ReferralStatus: REFERRAL_STATUS_LABELS,
    AdviceLevel: ADVICE_LABELS,
    ImportOutcome: IMPORT_OUTCOME_LABELS,
    ConflictKind: CONFLICT_KIND_LABELS,
    ExportStage: EXPORT_STAGE_LABELS,
}


def label(value: StrEnum) -> T:
    """The label of one enum value; a KeyError names an enum that has no table here yet."""
    return _TABLES[type(value)][value]


def label_text(enum: type[StrEnum], raw: str, language: str | None = None) -> str:
    """The label of a stored string value (`"final"`), or the value itself when it is not one the app
    knows: a row written by a newer version is shown as it is rather than crashing the view."""
    try:
        return label(enum(raw)).get(language)
    except ValueError:
        return raw
