"""Helpers shared by the report builders: numbers, answers as text, the document header."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import InvalidInputError
from inspector_app.forms.display import format_date, format_value
from inspector_app.i18n import _, current_language, set_language
from inspector_app.reports.model import (
    DocumentMeta,
    ReportKind,
)
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.visits import revisions

VIOLATION_KINDS = ("compliance", "hygiene", "fire")
"""Finding kinds that are violations (visit report); other findings are context (signal form)."""


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
        municipality=session.app.settings.profile.municipality,
        created_at=session.visit.finalized_at,
        confidential=kind is ReportKind.SIGNAL,
        practice=session.app.practice,
    )


def location_address(session: VisitSession) -> str:
    location = session.location
    return ", ".join(
        part for part in (location.address, f"{location.postcode} {location.city}".strip()) if part
    )


def visit_times(session: VisitSession) -> str:
    visit = session.visit
    start = visit.started_at[11:16]
    return f"{start} – {visit.ended_at[11:16]}" if visit.ended_at else start


# -------------------------------------------------------------------------------- visit report
