"""The restricted signal form (VERTROUWELIJK): every indicator with the answers behind it (c.3)."""

from __future__ import annotations

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.labels import (
    ADVICE_LABELS,
    CATEGORY_LABELS,
    RECIPIENT_LABELS,
    WEIGHT_LABELS,
    label_text,
)
from inspector_app.domain.model import (
    ConsentStatus,
    IndicatorSource,
    Recipient,
    ReferralStatus,
    Urgency,
    Weight,
)
from inspector_app.errors import InvalidInputError
from inspector_app.forms.display import format_date, format_value
from inspector_app.forms.model import PERSON_AGE_QUESTION, YESNO_LABELS, QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.reports import labels
from inspector_app.reports.model import (
    AdviceView,
    EvidenceView,
    Field,
    IndicatorView,
    PersonView,
    ReferralView,
    ReportKind,
    SignalFormView,
)
from inspector_app.services.documents.common import (
    VIOLATION_KINDS,
    document_meta,
    document_zone,
    location_address,
    report_language,
    report_moment,
    report_number,
    visit_times,
    zaak_fields,
)
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals import ledger
from inspector_app.signals.dependencies import rule_reads
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage.records import ObservationRow


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
            Field(
                labels.DISMISSED_AT.get(lang), report_moment(row.dismissed_at, lang, document_zone(session))
            ),
        )
    return IndicatorView(
        slug=row.slug,
        label=entry.label.get(lang),
        category=CATEGORY_LABELS[entry.category].get(lang),
        weight=f"{weight.value} — {WEIGHT_LABELS[weight].get(lang)}",
        source=label_text(IndicatorSource, row.source, lang),
        evidence=_evidence(session, row, lang),
        note=row.note,
        dismissed=row.dismissed,
        dismissal=dismissal,
    )


def _acute_questions(session: VisitSession, rule_ids: tuple[str, ...], lang: str) -> list[str]:
    """The questions whose answers made the visit acute, by their labels (never the rules' ids)."""
    wanted = set(rule_ids)
    found: dict[str, None] = {}
    for rule in session.form.rules:
        if rule.id in wanted:
            found.update(dict.fromkeys(sorted(rule_reads(rule))))
    return [session.form.question(q).label.get(lang) for q in found if q in session.form.questions]


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
            Field(labels.URGENCY.get(lang), label_text(Urgency, referral.urgency, lang)),
            Field(labels.CONSENT.get(lang), label_text(ConsentStatus, referral.consent_status, lang)),
            Field(labels.STATUS.get(lang), label_text(ReferralStatus, referral.status, lang)),
            Field(labels.CHANNEL.get(lang), referral.channel),
            Field(
                labels.CREATED.get(lang),
                f"{report_moment(referral.created_at, lang, document_zone(session))} ({referral.created_by})",
            ),
            Field(labels.SENT.get(lang), report_moment(referral.sent_at, lang, document_zone(session))),
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
    counts = ledger.counts(session.standing_indicators())
    acute_rules = session.outcome.acute_rules
    with report_language(lang):
        advice = session.advice()
    context = [
        f.text_en if lang == "en" else f.text_nl
        for f in session.outcome.findings
        if f.kind not in VIOLATION_KINDS
    ]
    outcome = [
        Field(
            labels.ACUTE.get(lang),
            labels.ACUTE_YES.get(lang).format(
                questions="; ".join(_acute_questions(session, acute_rules, lang))
            )
            if acute_rules
            else YESNO_LABELS["no"].get(lang),
        ),
        Field(labels.INDICATOR_COUNTS.get(lang), "  ".join(f"{w.value}: {counts[w]}" for w in Weight)),
    ]
    if context:
        outcome.append(Field(labels.CONTEXT_FINDINGS.get(lang), "\n".join(context)))
    number = report_number(session)
    return SignalFormView(
        meta=document_meta(session, ReportKind.SIGNAL, lang, f"SIG-{number}"),
        header=(
            Field(labels.SIGNAL_NUMBER.get(lang), f"SIG-{number}"),
            Field(
                labels.DATE.get(lang), f"{format_date(visit.started_at, lang)}, {visit_times(session, lang)}"
            ),
            Field(labels.LOCATION.get(lang), f"{session.location.name}, {location_address(session)}"),
            Field(labels.OBJECT_TYPE.get(lang), session.form.title.get(lang)),
            Field(labels.INSPECTORS.get(lang), "; ".join(visit.inspectors)),
            Field(labels.VISIT_ID.get(lang), visit.id),
            Field(labels.VISIT_REPORT_NUMBER.get(lang), number),
            *zaak_fields(session, lang),
            Field(
                labels.STATUS.get(lang),
                labels.STATUS_FINAL.get(lang).format(
                    moment=report_moment(visit.finalized_at, lang, document_zone(session))
                )
                if session.is_final
                else labels.STATUS_DRAFT.get(lang),
            ),
        ),
        indicators=tuple(_indicator_view(session, row, lang) for row in rows),
        outcome=tuple(outcome),
        advice=tuple(
            AdviceView(
                ADVICE_LABELS[a.level].get(lang),
                a.text,
                _recipient(a.recipient.value if a.recipient else None, lang),
            )
            for a in advice
        ),
        persons=_signal_persons(session, lang),
        referrals=_referrals(session, lang),
    )


# ------------------------------------------------------------------------------------- receipt
