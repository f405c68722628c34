"""Helpers shared by the report builders: numbers, answers as text, the document header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import InvalidInputError
from inspector_app.forms.display import LOCAL_ZONE, format_date, format_moment, format_value
from inspector_app.forms.model import Mirror
from inspector_app.i18n import _, current_language, set_language
from inspector_app.reports import labels
from inspector_app.reports.model import (
    DocumentMeta,
    Field,
    ReportKind,
)
from inspector_app.services.clock import policy_zone
from inspector_app.services.documents.zaak import load_zaak
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.policy import load_policy
from inspector_app.storage.visits import revisions

VIOLATION_KINDS = ("compliance", "hygiene", "fire")
"""Finding kinds that are violations (visit report); other findings are context (signal form)."""


def report_zone() -> ZoneInfo | None:
    """The documents' time zone when no municipal policy zone is given (None: no zone database, UTC).

    Europe/Amsterdam; a document of a visit passes `document_zone(session)` (the municipal policy's
    zone) to `report_moment`, so every time on it follows the policy, whatever the machine's setting.
    """
    return LOCAL_ZONE


def report_moment(iso: str | None, lang: str, zone: ZoneInfo | None = None) -> str:
    """A stored time as printed on a document: UTC times in `zone` (else the report zone), local times
    as they are (forms.display.format_moment, with the documents' zone)."""
    return format_moment(iso, lang, zone if zone is not None else report_zone())


@contextmanager
def report_language(lang: str) -> Iterator[None]:
    """Texts made by `_()` elsewhere (escalation advice) in the document's language, then back.

    `_()` keeps the language process-wide, so this is briefly visible to other threads; the UI should
    render in its own language or from one worker at a time.
    """
    before = current_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def report_number(session: VisitSession) -> str:
    """Stable and readable: year, location type, first 8 characters of the visit id."""
    visit = session.visit
    return f"{visit.started_at[:4]}-{session.form.location_type.value}-{visit.id[:8].upper()}"


def answer_of(session: VisitSession, question_id: str, person: int = 0) -> AnswerValue:
    row = session.answers.get((question_id, person))
    return row.value if row else None


def answer_label(session: VisitSession, question_id: str, lang: str) -> str:
    if question_id not in session.form.questions:
        return ""
    value = answer_of(session, question_id)
    return "" if value is None else format_value(session.form.question(question_id), value, lang)


def sealed_content_hash(session: VisitSession) -> str:
    """The content hash a document prints; for a final visit it must be the one stamped when it was
    sealed: a visit changed in the database file afterwards is refused, never printed as if valid."""
    current = session.content_hash()
    if session.is_final:
        head = next(
            (r for r in revisions(session.db, session.visit_id) if r.id == session.visit.head_rev), None
        )
        stamped = head.content_sha256 if head is not None else None
        if stamped is not None and stamped != current:
            raise InvalidInputError(
                _(
                    "Bezoek {visit} is definitief, maar de inhoud klopt niet met de vastgelegde inhoudshash"
                    " {stamped}; er is geen document gemaakt. De database is na het afronden gewijzigd.",
                    visit=session.visit_id[:8],
                    stamped=stamped[:12],
                )
            )
    return current


def document_meta(session: VisitSession, kind: ReportKind, lang: str, document_id: str) -> DocumentMeta:
    revision = sealed_content_hash(session)
    location = session.location
    return DocumentMeta(
        kind=kind,
        document_id=document_id,
        title=f"{location.name} — {format_date(session.visit.started_at, lang)}",
        lang=lang,
        revision=revision,
        # The receipt is handed over on site, usually before the visit is final: never marked draft.
        draft=not session.is_final and kind is not ReportKind.RECEIPT,
        municipality=document_municipality(session),
        # Finalisation time (or, for a draft, when the visit was started in the app) and the time of the
        # latest saved change: the same revision always carries the same dates, never "now".
        created_at=session.visit.finalized_at or session.visit.created_at,
        modified_at=session.visit.updated_at,
        confidential=kind is ReportKind.SIGNAL,
        practice=session.app.practice,
    )


def location_address(session: VisitSession) -> str:
    location = session.location
    return ", ".join(
        part for part in (location.address, f"{location.postcode} {location.city}".strip()) if part
    )


def visit_times(session: VisitSession, lang: str) -> str:
    """Start and end time; an end time nobody recorded says so instead of silently missing."""
    visit = session.visit
    start = visit.started_at[11:16]
    end = visit.ended_at[11:16] if visit.ended_at else labels.END_NOT_RECORDED.get(lang)
    return f"{start} – {end}"


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def address_fields(session: VisitSession, lang: str) -> tuple[Field, ...]:
    """One address, labelled: the register's, and what was recorded on site only where it differs.

    The checklist's location reference is what the inspector found or looked up on site (prefilled with
    the register's name, street and postcode); when it says the same as the register, or a part of it,
    only one address is printed.
    """
    register = location_address(session)
    question = session.form.mirrored(Mirror.LOCATION_REFERENCE)
    on_site = answer_label(session, question.id, lang) if question else ""
    known = _words(f"{session.location.name} {register}")  # the prefill: name, street, postcode
    same = not on_site or (bool(_words(on_site)) and _words(on_site) <= known)
    if same:
        return (Field(labels.ADDRESS.get(lang), register),)
    return (
        Field(labels.ADDRESS_REGISTER.get(lang), register),
        Field(labels.ADDRESS_ON_SITE.get(lang), on_site),
    )


# -------------------------------------------------------------------------------- visit report


def document_municipality(session: VisitSession) -> str:
    """The municipality a document names: the profile's, else the municipal policy's."""
    return session.app.settings.profile.municipality or load_policy(session.db).municipality


def document_zone(session: VisitSession) -> ZoneInfo | None:
    """The time zone of the municipal policy (validated when set), for the times a document prints."""
    return policy_zone(session.db)


def zaak_fields(session: VisitSession, lang: str) -> tuple[Field, ...]:
    """The zaak the visit is filed under, when one is set (`visits set-zaak`)."""
    zaak = load_zaak(session)
    if zaak is None:
        return ()
    value = (
        labels.ZAAK_WITH_TYPE.get(lang).format(number=zaak.zaaknummer, kind=zaak.zaaktype)
        if zaak.zaaktype
        else zaak.zaaknummer
    )
    return (Field(labels.ZAAK.get(lang), value),)
