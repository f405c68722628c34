"""Dataclasses and enums of the inspection domain (locations, visits, persons, signals, referrals).

Persons are a role plus a pseudonymous code, age band and languages: never a name, BSN or nationality
(domain.md (d)). The app speaks of signals (signaal), never of victims or offenders. The rows of the
store (locations, visits, persons, answers, observations, referrals) are the records of `domain.records`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

AnswerValue = str | int | float | bool | list[str] | None


class Weight(StrEnum):
    """Indicator weight: H escalates on its own, M is notable, L is context only."""

    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"

    @property
    def rank(self) -> int:
        return {"H": 3, "M": 2, "L": 1}[self.value]

    @classmethod
    def strongest(cls, weights: list[Weight]) -> Weight:
        return max(weights, key=lambda weight: weight.rank)


class Category(StrEnum):
    GENERAL = "general"
    SEXUAL = "sexual"
    LABOUR = "labour"
    CRIMINAL = "criminal"
    BEGGING = "begging"


class LocationType(StrEnum):
    PROSTITUTION_BUSINESS = "PB"
    MASSAGE_PARLOUR = "MS"
    CONSTRUCTION_SITE = "CS"
    LABOUR_HOUSING = "AH"


class VisitStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class IndicatorSource(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class Recipient(StrEnum):
    """Who a signal is passed to (domain.md c.1)."""

    CONTACT_PERSON = "contact_person"  # aandachtsfunctionaris mensenhandel
    POLICE = "police"
    LABOUR_INSPECTORATE = "labour_inspectorate"
    RIEC = "riec"
    COMENSHA = "comensha"
    CARE_COORDINATOR = "care_coordinator"
    VEILIG_THUIS = "veilig_thuis"


class Urgency(StrEnum):
    ACUTE = "acute"
    TODAY = "today"  # an H indicator: the advice says "escaleer vandaag"
    DAYS = "days"
    INFORMATIONAL = "informational"


class ConsentStatus(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    ASKED = "asked"
    GIVEN = "given"
    REFUSED = "refused"


class ReferralStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    CLOSED = "closed"


class ImportOutcome(StrEnum):
    """What importing one bundle file came to (the `status` of an import report and log row)."""

    IMPORTED = "imported"
    ALREADY_PRESENT = "already_present"
    REJECTED = "rejected"


class ConflictKind(StrEnum):
    """What a field of a sync conflict belongs to (`FieldDiff.kind`)."""

    VISIT = "visit"
    ANSWER = "answer"
    NOTE = "note"
    PERSON = "person"
    INDICATOR = "indicator"
    REFERRAL = "referral"


class ExportStage(StrEnum):
    """The steps a bundle export reports progress for."""

    COLLECT = "collect"
    WRITE = "write"
    DONE = "done"


class AdviceLevel(StrEnum):
    """Escalation advice of domain.md b.5, from most to least urgent."""

    ACUTE = "acute"
    ESCALATE = "escalate"
    REFERRAL = "referral"
    RIEC = "riec"
    INFORMATIONAL = "informational"
    """One notable signal on its own: note it; it reaches the contact person's overview (audit §5.3.4)."""


@dataclass(frozen=True)
class RaisedIndicator:
    """One indicator raised by the rules of a checklist, with the answers behind it."""

    slug: str
    weight: Weight
    raised_by: tuple[str, ...]
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A compliance, hygiene or fire finding for the visit report (not a trafficking signal)."""

    rule_id: str
    kind: str
    text_nl: str
    text_en: str
    raised_by: tuple[str, ...]


@dataclass(frozen=True)
class Advice:
    level: AdviceLevel
    text: str
    recipient: Recipient | None = None
    slugs: tuple[str, ...] = field(default_factory=tuple)
    partners: tuple[Recipient, ...] = field(default_factory=tuple)
    """Likely follow-up partners after the contact person (domain.md c.1), most relevant first."""
