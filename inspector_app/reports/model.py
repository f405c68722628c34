"""View models of the three documents: plain, already-translated text, no database rows.

The services layer decides what each document may contain (see `audience.py`) and fills these in; the
renderers only lay them out. Keeping them frozen and free of sessions makes a document a pure function
of its view model, which is what makes rendering the same visit twice give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class ReportKind(StrEnum):
    VISIT = "visit"  # bestuurlijke rapportage, for the licence holder's file
    SIGNAL = "signal"  # vertrouwelijk signaalformulier, restricted (domain.md c.3, c.4)
    RECEIPT = "receipt"  # ontvangstbewijs for the inspected party


@dataclass(frozen=True)
class DocumentMeta:
    """What every page shows and what the PDF's metadata says."""

    kind: ReportKind | str  # "summary" for the annual summary (services/summary.py), not a visit document
    document_id: str
    title: str
    lang: str
    revision: str
    draft: bool
    municipality: str
    created_at: str | None = None  # ISO time the visit was finalized; the PDF creation date
    modified_at: str | None = (
        None  # ISO time of the revision printed (a correction's); the PDF modification date
    )
    confidential: bool = False
    practice: bool = False  # from the practice environment: "OEFENOMGEVING" on every page


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class PhotoSource:
    """A stored photo, read only when drawn: `read` decrypts it in memory (None: missing, does not open).

    Equal and hashed by content hash alone, so the downscaled image is cached per photo."""

    sha256: str
    read: Callable[[], bytes | None] = field(compare=False, repr=False)


@dataclass(frozen=True)
class PhotoView:
    number: int
    source: PhotoSource | None  # None when the stored file is missing: the report says so, not fails
    caption: str
    taken: str


@dataclass(frozen=True)
class AnswerView:
    ref: str
    label: str
    value: str
    note: str = ""
    photos: tuple[PhotoView, ...] = ()
    corrected: str = ""  # when the answer was last corrected after finalisation (printed as a mark)


@dataclass(frozen=True)
class SectionView:
    title: str
    answers: tuple[AnswerView, ...]


@dataclass(frozen=True)
class PersonView:
    number: int
    code: str
    role: str
    details: tuple[Field, ...] = ()  # age band, languages: signal form only


@dataclass(frozen=True)
class ViolationView:
    text: str
    kind: str
    basis: tuple[str, ...] = ()  # "question: answer" lines that constitute the violation


@dataclass(frozen=True)
class CorrectionView:
    """One answer corrected after finalisation (an addendum): what it was, what it became, why, who, when."""

    ref: str
    question: str
    before: str
    after: str
    reason: str
    author: str
    at: str


@dataclass(frozen=True)
class VisitReportView:
    meta: DocumentMeta
    identification: tuple[Field, ...]
    visit: tuple[Field, ...]
    team: tuple[Field, ...]
    legal: tuple[Field, ...]
    persons: tuple[PersonView, ...]
    sections: tuple[SectionView, ...]
    violations: tuple[ViolationView, ...]
    actions: tuple[Field, ...]
    signatories: tuple[str, ...]
    place_and_date: str
    corrections: tuple[CorrectionView, ...] = ()


@dataclass(frozen=True)
class EvidenceView:
    """One answer behind an indicator: which question, whose (person code), what was answered."""

    ref: str
    question: str
    answer: str
    person: str = ""
    note: str = ""


@dataclass(frozen=True)
class IndicatorView:
    slug: str
    label: str
    category: str
    weight: str
    source: str
    evidence: tuple[EvidenceView, ...]
    note: str = ""
    dismissed: bool = False
    dismissal: tuple[Field, ...] = ()


@dataclass(frozen=True)
class AdviceView:
    level: str
    text: str
    recipient: str = ""


@dataclass(frozen=True)
class ReferralView:
    recipient: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class SignalFormView:
    meta: DocumentMeta
    header: tuple[Field, ...]
    indicators: tuple[IndicatorView, ...]
    outcome: tuple[Field, ...]
    advice: tuple[AdviceView, ...]
    persons: tuple[PersonView, ...]
    referrals: tuple[ReferralView, ...]


@dataclass(frozen=True)
class ReceiptView:
    meta: DocumentMeta
    fields: tuple[Field, ...]
    request: str


ReportView = VisitReportView | SignalFormView | ReceiptView
