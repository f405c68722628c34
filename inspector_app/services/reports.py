"""Make the visit report, signal form and receipt of a visit: view models from a session, then PDF.

This is where the split of domain.md c.4 is applied: `reports.audience` says which questions are signal
material, and the visit report view simply has no place for indicators, advice or referrals. Files are
written atomically, so a failed or interrupted run never leaves half a PDF behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from inspector_app.domain.catalogue import CATEGORY_LABELS, RECIPIENT_LABELS, WEIGHT_LABELS, load_catalogue
from inspector_app.domain.model import AnswerValue, Recipient, VisitStatus, Weight
from inspector_app.errors import InvalidInputError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.forms.model import PERSON_AGE_QUESTION, YESNO_LABELS, QuestionType
from inspector_app.i18n import LANGUAGES, _, current_language, set_language
from inspector_app.reports import labels
from inspector_app.reports.audience import report_choices, report_layout
from inspector_app.reports.model import (
    AdviceView,
    AnswerView,
    DocumentMeta,
    EvidenceView,
    Field,
    IndicatorView,
    PersonView,
    PhotoView,
    ReceiptView,
    ReferralView,
    ReportKind,
    ReportView,
    SectionView,
    SignalFormView,
    ViolationView,
    VisitReportView,
)
from inspector_app.reports.render import render_document
from inspector_app.reports.values import format_date, format_moment, format_value
from inspector_app.services.app import AppContext
from inspector_app.services.photos import media_path
from inspector_app.services.refs import parse_ref
from inspector_app.services.visit_session import VisitSession
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage.photos import load_photos
from inspector_app.storage.records import ObservationRow, PhotoRow
from inspector_app.storage.visits import VisitFilter, list_visits

VIOLATION_KINDS = ("compliance", "hygiene", "fire")
Progress = Callable[[int, int, str], None]


@contextmanager
def _language(lang: str) -> Iterator[None]:
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


def _answer(session: VisitSession, question_id: str, person: int = 0) -> AnswerValue:
    row = session.answers.get((question_id, person))
    return row.value if row else None


def _label(session: VisitSession, question_id: str, lang: str) -> str:
    if question_id not in session.form.questions:
        return ""
    value = _answer(session, question_id)
    return "" if value is None else format_value(session.form.question(question_id), value, lang)


def _meta(session: VisitSession, kind: ReportKind, lang: str, document_id: str) -> DocumentMeta:
    location = session.location
    return DocumentMeta(
        kind=kind,
        document_id=document_id,
        title=f"{location.name} — {format_date(session.visit.started_at, lang)}",
        lang=lang,
        revision=session.content_hash(),
        # The receipt is handed over on site, usually before the visit is final: never marked draft.
        draft=not session.is_final and kind is not ReportKind.RECEIPT,
        municipality=session.app.settings.profile.municipality,
        created_at=session.visit.finalized_at,
        confidential=kind is ReportKind.SIGNAL,
    )


def _address(session: VisitSession) -> str:
    location = session.location
    return ", ".join(
        part for part in (location.address, f"{location.postcode} {location.city}".strip()) if part
    )


def _times(session: VisitSession) -> str:
    visit = session.visit
    start = visit.started_at[11:16]
    return f"{start} – {visit.ended_at[11:16]}" if visit.ended_at else start


# -------------------------------------------------------------------------------- visit report


def _photo_views(
    session: VisitSession, ids: list[str], photos: dict[str, PhotoRow], first: int, lang: str
) -> tuple[PhotoView, ...]:
    views = []
    for offset, photo in enumerate(photos[i] for i in ids if i in photos):
        path = media_path(session, photo.sha256, photo.media_type)
        views.append(
            PhotoView(
                first + offset,
                path if path.is_file() else None,
                photo.caption,
                format_moment(photo.created_at, lang),
            )
        )
    return tuple(views)


def _sections(session: VisitSession, lang: str) -> tuple[SectionView, ...]:
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
                else _answer(session, question.id)
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
        value = _answer(session, question.id)
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
    chosen = _answer(session, question.id) if question else None
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
    chosen = _answer(session, question.id)
    values = report_choices(question, chosen if isinstance(chosen, list) else [])
    text = "; ".join(question.value_label(value, lang) for value in values) or labels.NO_ACTIONS.get(lang)
    fields = [Field(labels.ACTIONS.get(lang), text)]
    row = session.answers.get((question.id, 0))
    if row and row.note:
        fields.append(Field(labels.ACTIONS_NOTE.get(lang), row.note))
    return tuple(fields)


def build_visit_report(session: VisitSession, lang: str = "nl") -> VisitReportView:
    """The bestuurlijke rapportage of one visit (domain.md c.2); no signal content (c.4)."""
    visit, location, form = session.visit, session.location, session.form
    number = report_number(session)
    municipality = session.app.settings.profile.municipality
    roles = {role.value: role.label.get(lang) for role in form.roles}
    status = (
        labels.STATUS_FINAL.get(lang).format(moment=format_moment(visit.finalized_at, lang))
        if session.is_final
        else labels.STATUS_DRAFT.get(lang)
    )
    place_date = (
        f"{municipality or '—'}, {format_moment(visit.finalized_at, lang)[:10]}"
        if session.is_final
        else labels.CONCEPT_DATE.get(lang)
    )
    return VisitReportView(
        meta=_meta(session, ReportKind.VISIT, lang, number),
        identification=(
            Field(labels.REPORT_NUMBER.get(lang), number),
            Field(labels.MUNICIPALITY.get(lang), municipality),
            Field(labels.LOCATION.get(lang), location.name),
            Field(labels.ADDRESS.get(lang), _address(session)),
            Field(labels.LOCATION_REFERENCE.get(lang), _label(session, "H-03", lang)),
            Field(labels.OBJECT_TYPE.get(lang), form.title.get(lang)),
            Field(labels.KVK.get(lang), location.kvk_number),
            Field(labels.LICENCE.get(lang), location.licence_number),
        ),
        visit=(
            Field(labels.DATE.get(lang), format_date(visit.started_at, lang)),
            Field(labels.TIMES.get(lang), _times(session)),
            Field(labels.VISIT_TYPE.get(lang), _label(session, "H-01", lang)),
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
            Field(labels.INSPECTOR_COUNT.get(lang), _label(session, "H-04a", lang)),
            Field(labels.PARTNERS.get(lang), _label(session, "H-05", lang)),
            Field(labels.INTERPRETER.get(lang), _label(session, "H-08", lang)),
        ),
        legal=(
            Field(labels.LEGAL_GROUND.get(lang), _label(session, "H-06a", lang)),
            Field(labels.LEGAL_EXPLANATION.get(lang), _label(session, "H-06b", lang)),
        ),
        persons=tuple(
            PersonView(number=p.number, code=p.code, role=roles.get(p.role or "", p.role or "—"))
            for p in sorted(session.persons.values(), key=lambda p: p.number)
        ),
        sections=_sections(session, lang),
        violations=_violations(session, lang),
        actions=_actions(session, lang),
        signatories=tuple(visit.inspectors),
        place_and_date=place_date,
    )


# --------------------------------------------------------------------------------- signal form


def _evidence(session: VisitSession, row: ObservationRow, lang: str) -> tuple[EvidenceView, ...]:
    found = []
    for ref in row.raised_by:
        try:
            question, person = parse_ref(session.form, ref)
        except InvalidInputError:
            found.append(EvidenceView(ref, ref, ""))
            continue
        answer = session.answers.get((question.id, person or 0))
        value = answer.value if answer else None
        if question.type is QuestionType.MULTIPLE and isinstance(value, list) and row.slug in value:
            shown = question.value_label(row.slug, lang)  # the ticked signal, not the whole list
        else:
            shown = format_value(question, value, lang)
        code = session.all_persons[person].code if person and person in session.all_persons else ""
        found.append(EvidenceView(ref, question.label.get(lang), shown, code, answer.note if answer else ""))
    return tuple(found)


def _indicator_view(session: VisitSession, row: ObservationRow, lang: str) -> IndicatorView:
    entry = load_catalogue()[row.slug]
    weight = Weight(row.weight)
    dismissal: tuple[Field, ...] = ()
    if row.dismissed:
        dismissal = (
            Field(labels.DISMISS_REASON.get(lang), row.dismiss_reason or ""),
            Field(labels.DISMISSED_BY.get(lang), row.dismissed_by or ""),
            Field(labels.DISMISSED_AT.get(lang), format_moment(row.dismissed_at, lang)),
        )
    return IndicatorView(
        slug=row.slug,
        label=entry.label.get(lang),
        category=CATEGORY_LABELS[entry.category].get(lang),
        weight=f"{weight.value} — {WEIGHT_LABELS[weight].get(lang)}",
        source=labels.SOURCE_LABELS.get(row.source, labels.SOURCE_LABELS["auto"]).get(lang),
        evidence=_evidence(session, row, lang),
        note=row.note,
        rules=tuple(row.rule_ids),
        dismissed=row.dismissed,
        dismissal=dismissal,
    )


def _recipient(value: str | None, lang: str) -> str:
    if not value:
        return ""
    try:
        return RECIPIENT_LABELS[Recipient(value)].get(lang)
    except ValueError:
        return value


def _referrals(session: VisitSession, lang: str) -> tuple[ReferralView, ...]:
    catalogue = load_catalogue()
    views = []
    for referral in referrals_repo.load_referrals(session.db, session.visit_id):
        slugs = "; ".join(catalogue[s].label.get(lang) if s in catalogue else s for s in referral.slugs)
        fields = (
            Field(labels.URGENCY.get(lang), labels.URGENCY_LABELS[referral.urgency].get(lang)),
            Field(labels.CONSENT.get(lang), labels.CONSENT_LABELS[referral.consent_status].get(lang)),
            Field(labels.STATUS.get(lang), labels.REFERRAL_STATUS_LABELS[referral.status].get(lang)),
            Field(labels.CHANNEL.get(lang), referral.channel),
            Field(
                labels.CREATED.get(lang),
                f"{format_moment(referral.created_at, lang)} ({referral.created_by})",
            ),
            Field(labels.SENT.get(lang), format_moment(referral.sent_at, lang)),
            Field(labels.REFERENCE.get(lang), referral.reference),
            Field(labels.OUTCOME.get(lang), referral.outcome),
            Field(labels.SIGNALS.get(lang), slugs),
            Field(labels.PERSONS.get(lang), "; ".join(referral.person_codes)),
            Field(labels.NOTE_FIELD.get(lang), referral.note),
        )
        views.append(ReferralView(_recipient(referral.recipient, lang), fields))
    return tuple(views)


def _signal_persons(session: VisitSession, lang: str) -> tuple[PersonView, ...]:
    roles = {role.value: role.label.get(lang) for role in session.form.roles}
    age = session.form.questions.get(PERSON_AGE_QUESTION)
    views = []
    for person in sorted(session.persons.values(), key=lambda p: p.number):
        details = []
        if person.age_band and age is not None:
            details.append(Field(labels.AGE_BAND.get(lang), age.value_label(person.age_band, lang)))
        if person.languages:
            details.append(Field(labels.LANGUAGES.get(lang), person.languages))
        views.append(
            PersonView(person.number, person.code, roles.get(person.role or "", "—"), tuple(details))
        )
    return tuple(views)


def build_signal_form(session: VisitSession, lang: str = "nl") -> SignalFormView:
    """The restricted signal form (domain.md c.3): indicators with their answers, advice, referrals."""
    visit = session.visit
    rows = sorted(
        (row for row in session.observations.values() if row.active),
        key=lambda r: (r.dismissed, -Weight(r.weight).rank, r.slug, r.source),
    )
    standing = [row for row in rows if row.counts]
    counts = {w: len({r.slug for r in standing if r.weight == w.value}) for w in Weight}
    acute_rules = session.outcome.acute_rules
    with _language(lang):
        advice = session.advice()
    context = [
        f.text_en if lang == "en" else f.text_nl
        for f in session.outcome.findings
        if f.kind not in VIOLATION_KINDS
    ]
    outcome = [
        Field(
            labels.ACUTE.get(lang),
            labels.ACUTE_YES.get(lang).format(rules=", ".join(acute_rules))
            if acute_rules
            else YESNO_LABELS["no"].get(lang),
        ),
        Field(labels.INDICATOR_COUNTS.get(lang), "  ".join(f"{w.value}: {counts[w]}" for w in Weight)),
    ]
    if context:
        outcome.append(Field(labels.CONTEXT_FINDINGS.get(lang), "\n".join(context)))
    number = report_number(session)
    return SignalFormView(
        meta=_meta(session, ReportKind.SIGNAL, lang, f"SIG-{number}"),
        header=(
            Field(labels.SIGNAL_NUMBER.get(lang), f"SIG-{number}"),
            Field(labels.DATE.get(lang), f"{format_date(visit.started_at, lang)}, {_times(session)}"),
            Field(labels.LOCATION.get(lang), f"{session.location.name}, {_address(session)}"),
            Field(labels.OBJECT_TYPE.get(lang), session.form.title.get(lang)),
            Field(labels.INSPECTORS.get(lang), "; ".join(visit.inspectors)),
            Field(labels.VISIT_ID.get(lang), visit.id),
            Field(labels.VISIT_REPORT_NUMBER.get(lang), number),
            Field(
                labels.STATUS.get(lang),
                labels.STATUS_FINAL.get(lang).format(moment=format_moment(visit.finalized_at, lang))
                if session.is_final
                else labels.STATUS_DRAFT.get(lang),
            ),
        ),
        indicators=tuple(_indicator_view(session, row, lang) for row in rows),
        outcome=tuple(outcome),
        advice=tuple(
            AdviceView(
                labels.ADVICE_LABELS[a.level.value].get(lang),
                a.text,
                _recipient(a.recipient.value if a.recipient else None, lang),
            )
            for a in advice
        ),
        persons=_signal_persons(session, lang),
        referrals=_referrals(session, lang),
    )


# ------------------------------------------------------------------------------------- receipt


def build_receipt(session: VisitSession, lang: str = "nl") -> ReceiptView:
    """Who visited, when, and where the report can be requested: nothing else."""
    visit = session.visit
    number = report_number(session)
    municipality = session.app.settings.profile.municipality
    partners = _label(session, "H-05", lang) if _answer(session, "H-05") != ["geen"] else ""
    fields = [
        Field(labels.LOCATION.get(lang), session.location.name),
        Field(labels.ADDRESS.get(lang), _address(session)),
        Field(labels.DATE.get(lang), format_date(visit.started_at, lang)),
        Field(labels.TIMES.get(lang), _times(session)),
        Field(labels.PERSON_VISIT.get(lang), "; ".join(visit.inspectors)),
    ]
    if partners:
        fields.append(Field(labels.ORGANISATIONS.get(lang), partners))
    fields.append(Field(labels.REPORT_NUMBER.get(lang), number))
    request = labels.RECEIPT_REQUEST.get(lang).format(
        municipality=municipality or labels.THE_MUNICIPALITY.get(lang), number=number
    )
    return ReceiptView(_meta(session, ReportKind.RECEIPT, lang, number), tuple(fields), request)


# ------------------------------------------------------------------------------ render and save


def build_report(session: VisitSession, kind: ReportKind | str, lang: str = "nl") -> ReportView:
    kind = ReportKind(kind)
    if lang not in LANGUAGES:
        raise InvalidInputError(_("Onbekende taal {lang}; kies nl of en", lang=lang))
    if kind is ReportKind.SIGNAL:
        return build_signal_form(session, lang)
    if kind is ReportKind.RECEIPT:
        return build_receipt(session, lang)
    return build_visit_report(session, lang)


def render_report(
    session: VisitSession, kind: ReportKind | str = ReportKind.VISIT, lang: str = "nl"
) -> bytes:
    """The PDF bytes of one document; the same visit revision always gives the same bytes."""
    return render_document(build_report(session, kind, lang))


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as error:
        raise InvalidInputError(
            _("Kan {path} niet schrijven: {error}", path=path, error=error.strerror or error)
        ) from None


def save_report(
    session: VisitSession, path: Path, kind: ReportKind | str = ReportKind.VISIT, lang: str = "nl"
) -> Path:
    """Render and write one document atomically: the file is complete or absent, never partial."""
    _write(path, render_report(session, kind, lang))
    return path


def report_file_name(session: VisitSession, kind: ReportKind | str) -> str:
    return f"{report_number(session)}-{ReportKind(kind).value}.pdf"


def render_selection(
    app: AppContext,
    visit_ids: list[str],
    out_dir: Path,
    kind: ReportKind | str = ReportKind.VISIT,
    lang: str = "nl",
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[Path]:
    """One document per visit into `out_dir`; `progress(done, total, name)`, stops when asked."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(_("{path} is geen map", path=out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInputError(
            _("Kan map {path} niet aanmaken: {error}", path=out_dir, error=error.strerror or error)
        ) from None
    written = []
    for done, visit_id in enumerate(visit_ids, 1):
        if should_stop is not None and should_stop():
            break
        session = VisitSession(app, visit_id)
        path = out_dir / report_file_name(session, kind)
        save_report(session, path, kind, lang)
        written.append(path)
        if progress is not None:
            progress(done, len(visit_ids), path.name)
    return written


def render_all_final(
    app: AppContext,
    out_dir: Path,
    kind: ReportKind | str = ReportKind.VISIT,
    lang: str = "nl",
    progress: Progress | None = None,
) -> list[Path]:
    """One document per finalised visit into `out_dir`, oldest first; `progress(done, total, name)`."""
    rows = list_visits(app.db, VisitFilter(status=VisitStatus.FINAL.value, limit=None))
    rows.sort(key=lambda row: (row.started_at, row.id))
    return render_selection(app, [row.id for row in rows], out_dir, kind, lang, progress)
