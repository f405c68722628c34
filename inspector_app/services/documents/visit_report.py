"""The view models of the visit report and the receipt of a visit, built from a session.

This is where the split of domain.md c.4 is applied: `reports.audience` says which questions are signal
material, and the visit report view simply has no place for indicators, advice or referrals. The
signal form is built in `signal_form.py`; `render.py` turns any of them into a PDF.
"""

from __future__ import annotations

from functools import partial

from inspector_app.forms.display import format_date, format_value
from inspector_app.forms.model import Mirror, QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.reports import labels
from inspector_app.reports.audience import report_choices, report_layout
from inspector_app.reports.model import (
    AnswerView,
    Field,
    PersonView,
    PhotoSource,
    PhotoView,
    ReceiptView,
    ReportKind,
    SectionView,
    ViolationView,
    VisitReportView,
)
from inspector_app.services.documents.common import (
    VIOLATION_KINDS,
    address_fields,
    answer_label,
    answer_of,
    document_meta,
    document_municipality,
    document_zone,
    report_moment,
    report_number,
    visit_times,
    zaak_fields,
)
from inspector_app.services.documents.corrections import corrections
from inspector_app.services.visit.photos import image_at, media_path
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.photos import load_photos
from inspector_app.storage.records import PhotoRow


def _photo_views(
    session: VisitSession, ids: list[str], photos: dict[str, PhotoRow], first: int, lang: str
) -> tuple[PhotoView, ...]:
    views = []
    for offset, photo in enumerate(photos[i] for i in ids if i in photos):
        path = media_path(session, photo.sha256, photo.media_type)
        views.append(
            PhotoView(
                first + offset,
                PhotoSource(photo.sha256, partial(image_at, path)) if path.is_file() else None,
                photo.caption,
                report_moment(photo.created_at, lang, document_zone(session)),
            )
        )
    return tuple(views)


def _sections(session: VisitSession, lang: str, corrected: dict[str, str]) -> tuple[SectionView, ...]:
    state = session.outcome.state
    photos = {photo.id: photo for photo in load_photos(session.db, session.visit_id)}
    next_photo = 1
    sections = []
    for section in report_layout(session.form).sections:
        answers = []
        for question in section.questions:
            if not state.is_visible(question.id):
                continue
            value = (
                state.top.computed.get(question.id)
                if question.type is QuestionType.COMPUTED
                else answer_of(session, question.id)
            )
            row = session.answers.get((question.id, 0))
            shown: tuple[PhotoView, ...] = ()
            if question.type is QuestionType.PHOTO and isinstance(value, list):
                shown = _photo_views(session, value, photos, next_photo, lang)
                next_photo += len(shown)
            answers.append(
                AnswerView(
                    question.id,
                    question.label.get(lang),
                    format_value(question, value, lang),
                    row.note if row else "",
                    shown,
                    corrected.get(question.id, ""),
                )
            )
        sections.append(SectionView(section.title.get(lang), tuple(answers)))
    return tuple(sections)


def _basis(session: VisitSession, refs: tuple[str, ...], lang: str) -> tuple[str, ...]:
    lines = []
    for ref in refs:
        question, person = parse_ref(session.form, ref)
        if person is not None:
            continue  # an answer of a person is signal material, never the basis in this report
        value = answer_of(session, question.id)
        lines.append(f"{question.label.get(lang)} — {format_value(question, value, lang)}")
    return tuple(lines)


def _violations(session: VisitSession, lang: str) -> tuple[ViolationView, ...]:
    violations = [
        ViolationView(
            finding.text_en if lang == "en" else finding.text_nl,
            labels.FINDING_KIND_LABELS[finding.kind].get(lang),
            _basis(session, finding.raised_by, lang),
        )
        for finding in session.outcome.findings
        if finding.kind in VIOLATION_KINDS
    ]
    question = report_layout(session.form).violation_question
    chosen = answer_of(session, question.id) if question else None
    if question is not None and isinstance(chosen, list):
        row = session.answers.get((question.id, 0))
        for value in chosen:
            choice = question.choice(value)
            if value == "geen" or choice is None:
                continue
            basis = (f"{labels.NOTE.get(lang)}: {row.note}",) if row and row.note else ()
            violations.append(ViolationView(choice.label.get(lang), question.label.get(lang), basis))
    return tuple(violations)


def _actions(session: VisitSession, lang: str) -> tuple[Field, ...]:
    question = report_layout(session.form).follow_up_question
    if question is None:
        return ()
    chosen = answer_of(session, question.id)
    values = report_choices(question, chosen if isinstance(chosen, list) else [])
    text = "; ".join(question.value_label(value, lang) for value in values) or labels.NO_ACTIONS.get(lang)
    fields = [Field(labels.ACTIONS.get(lang), text)]
    row = session.answers.get((question.id, 0))
    if row and row.note:
        fields.append(Field(labels.ACTIONS_NOTE.get(lang), row.note))
    return tuple(fields)


def _header(session: VisitSession, mirror: Mirror, lang: str) -> str:
    """The answer to the header question the checklist declares as `mirror`, as printed."""
    question = session.form.mirrored(mirror)
    return answer_label(session, question.id, lang) if question else ""


def build_visit_report(session: VisitSession, lang: str = "nl") -> VisitReportView:
    """The bestuurlijke rapportage of one visit (domain.md c.2); no signal content (c.4)."""
    visit, location, form = session.visit, session.location, session.form
    number = report_number(session)
    municipality = document_municipality(session)
    changes = corrections(session, lang) if session.is_final else ()
    corrected = {change.ref: change.at for change in changes}  # the latest correction of each answer
    roles = {role.value: role.label.get(lang) for role in form.roles}
    status = (
        labels.STATUS_FINAL.get(lang).format(
            moment=report_moment(visit.finalized_at, lang, document_zone(session))
        )
        if session.is_final
        else labels.STATUS_DRAFT.get(lang)
    )
    place_date = (
        f"{municipality or '—'}, {report_moment(visit.finalized_at, lang, document_zone(session))[:10]}"
        if session.is_final
        else labels.CONCEPT_DATE.get(lang)
    )
    return VisitReportView(
        meta=document_meta(session, ReportKind.VISIT, lang, number),
        identification=(
            Field(labels.REPORT_NUMBER.get(lang), number),
            *zaak_fields(session, lang),
            Field(labels.MUNICIPALITY.get(lang), municipality),
            Field(labels.LOCATION.get(lang), location.name),
            *address_fields(session, lang),
            Field(labels.OBJECT_TYPE.get(lang), form.title.get(lang)),
            Field(labels.KVK.get(lang), location.kvk_number),
            Field(labels.LICENCE.get(lang), location.licence_number),
        ),
        visit=(
            Field(labels.DATE.get(lang), format_date(visit.started_at, lang)),
            Field(labels.TIMES.get(lang), visit_times(session, lang)),
            Field(labels.VISIT_TYPE.get(lang), _header(session, Mirror.VISIT_TYPE, lang)),
            Field(labels.STATUS.get(lang), status),
            Field(
                labels.CHECKLIST.get(lang),
                labels.CHECKLIST_VERSION.get(lang).format(
                    title=form.title.get(lang), version=visit.form_version
                ),
            ),
        ),
        team=(
            Field(labels.INSPECTORS.get(lang), "; ".join(visit.inspectors)),
            Field(labels.INSPECTOR_COUNT.get(lang), _header(session, Mirror.INSPECTOR_COUNT, lang)),
            Field(labels.PARTNERS.get(lang), _header(session, Mirror.PARTNERS, lang)),
            Field(labels.INTERPRETER.get(lang), _header(session, Mirror.INTERPRETER, lang)),
        ),
        legal=(
            Field(labels.LEGAL_GROUND.get(lang), _header(session, Mirror.LEGAL_GROUND, lang)),
            Field(labels.LEGAL_EXPLANATION.get(lang), _header(session, Mirror.LEGAL_EXPLANATION, lang)),
        ),
        persons=tuple(
            PersonView(number=p.number, code=p.code, role=roles.get(p.role or "", p.role or "—"))
            for p in sorted(session.persons.values(), key=lambda p: p.number)
        ),
        sections=_sections(session, lang, corrected),
        violations=_violations(session, lang),
        actions=_actions(session, lang),
        signatories=tuple(visit.inspectors),
        place_and_date=place_date,
        corrections=changes,
    )


# --------------------------------------------------------------------------------- signal form


def build_receipt(session: VisitSession, lang: str = "nl") -> ReceiptView:
    """Who visited, when, and where the report can be requested: nothing else."""
    visit = session.visit
    number = report_number(session)
    municipality = document_municipality(session)
    question = session.form.mirrored(Mirror.PARTNERS)
    chosen = answer_of(session, question.id) if question else None
    partners = _header(session, Mirror.PARTNERS, lang) if chosen != ["geen"] else ""
    fields = [
        Field(labels.LOCATION.get(lang), session.location.name),
        *address_fields(session, lang),
        Field(labels.DATE.get(lang), format_date(visit.started_at, lang)),
        Field(labels.TIMES.get(lang), visit_times(session, lang)),
        Field(labels.PERSON_VISIT.get(lang), "; ".join(visit.inspectors)),
    ]
    if partners:
        fields.append(Field(labels.ORGANISATIONS.get(lang), partners))
    fields.append(Field(labels.REPORT_NUMBER.get(lang), number))
    fields += zaak_fields(session, lang)
    request = labels.RECEIPT_REQUEST.get(lang).format(
        municipality=municipality or labels.THE_MUNICIPALITY.get(lang), number=number
    )
    return ReceiptView(document_meta(session, ReportKind.RECEIPT, lang, number), tuple(fields), request)
