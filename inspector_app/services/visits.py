"""Use cases around visits: start one, finalize it, amend it, list them and describe one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from inspector_app.domain.catalogue import CATEGORY_LABELS, load_catalogue
from inspector_app.domain.model import AdviceLevel, AnswerValue, Urgency, VisitStatus
from inspector_app.errors import ConflictStateError, InvalidInputError, NotFoundError
from inspector_app.forms.loader import UnknownFormError, load_all_forms, resolve_form_id
from inspector_app.forms.model import FormDefinition, QuestionType
from inspector_app.forms.state import AnswerSet, answer_ref
from inspector_app.i18n import _, current_language
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.values import check_answer
from inspector_app.services.visit_session import VisitSession, new_revision
from inspector_app.signals.rules import run_rules
from inspector_app.storage import answers as answers_repo
from inspector_app.storage import locations as locations_repo
from inspector_app.storage import observations as observations_repo
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage import visits as visits_repo
from inspector_app.storage.audit import AuditEntry, append_many, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.records import (
    AnswerRow,
    LocationRow,
    ObservationRow,
    ReferralRow,
    VisitRow,
)
from inspector_app.storage.visits import VisitFilter as VisitFilter
from inspector_app.storage.visits import VisitListRow


@dataclass(frozen=True)
class LocationInput:
    name: str
    address: str = ""
    postcode: str = ""
    city: str = ""
    kvk_number: str = ""
    licence_number: str = ""


@dataclass(frozen=True)
class NewVisit:
    form: str
    location_id: str | None = None
    location: LocationInput | None = None
    started_at: str | None = None  # local wall time "YYYY-MM-DDTHH:MM"
    visit_type: str | None = None
    inspectors: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    legal_ground: str | None = None
    extra_answers: dict[str, AnswerValue] = field(default_factory=dict)


def resolve_form(name: str) -> FormDefinition:
    forms = load_all_forms()
    try:
        return forms[resolve_form_id(name, forms.values())]
    except UnknownFormError:
        known = ", ".join(f"{f.id} ({f.location_type.value})" for f in forms.values())
        raise NotFoundError(
            _("Onbekende checklist '{name}'; kies uit: {known}", name=name, known=known)
        ) from None


def _started_at(text: str | None) -> str:
    if not text:
        return datetime.now().strftime("%Y-%m-%dT%H:%M")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            _("Begintijd '{value}' is geen datum/tijd als JJJJ-MM-DDTUU:MM", value=text)
        ) from None
    return moment.strftime("%Y-%m-%dT%H:%M")


def _location(
    app: AppContext, request: NewVisit, form: FormDefinition, at: str, entries: list[AuditEntry]
) -> LocationRow:
    if request.location_id:
        found = locations_repo.get_location(app.db, request.location_id)
        if found is None:
            raise NotFoundError(_("Locatie {id} staat niet in het register", id=request.location_id))
        if found.location_type != form.location_type.value:
            raise InvalidInputError(
                _(
                    "Locatie '{name}' is van type {found}; checklist {form} is voor type {wanted}",
                    name=found.name,
                    found=found.location_type,
                    form=form.id,
                    wanted=form.location_type.value,
                )
            )
        return found
    given = request.location
    if given is None or not given.name.strip():
        raise InvalidInputError(_("Geef een locatie: --location ID of --location-name NAAM"))
    existing = locations_repo.find_location(
        app.db, given.name.strip(), given.postcode, form.location_type.value
    )
    if existing is not None:
        return existing
    row = LocationRow(
        str(uuid.uuid4()),
        given.name.strip(),
        form.location_type.value,
        given.address.strip(),
        given.postcode.strip().upper(),
        given.city.strip(),
        given.kvk_number.strip(),
        given.licence_number.strip(),
        at,
        at,
    )
    locations_repo.insert_location(app.db, row)
    entries.append(
        AuditEntry(
            app.actor,
            app.device_id,
            "location.created",
            "location",
            row.id,
            None,
            None,
            {"name": row.name, "type": row.location_type},
        )
    )
    return row


def _header_answers(
    form: FormDefinition, request: NewVisit, location: LocationRow, started_at: str
) -> dict[str, AnswerValue]:
    wanted: dict[str, AnswerValue] = {
        "H-01": request.visit_type,
        "H-02a": started_at[:10],
        "H-02b": started_at[11:16],
        "H-03": ", ".join(p for p in (location.name, location.address, location.postcode) if p),
        "H-04a": len(request.inspectors) or None,
        "H-05": list(request.partners) or None,
        "H-06a": request.legal_ground,
    }
    wanted.update(request.extra_answers)
    checked: dict[str, AnswerValue] = {}
    for question_id, value in wanted.items():
        if value is None or question_id not in form.questions:
            continue
        question = form.questions[question_id]
        if question.repeat:
            raise InvalidInputError(_("{question} is een persoonsvraag", question=question_id))
        checked[question_id] = check_answer(question, value)
    return checked


def start_visit(app: AppContext, request: NewVisit) -> str:
    """Create a draft visit with its location and header answers in one transaction."""
    form = resolve_form(request.form)
    started_at = _started_at(request.started_at)
    at = now_iso()
    entries: list[AuditEntry] = []
    visit_id = str(uuid.uuid4())
    rev_id = str(uuid.uuid4())
    with writing(app.db):
        location = _location(app, request, form, at, entries)
        header = _header_answers(form, request, location, started_at)
        partners = header.get("H-05")
        visit = VisitRow(
            id=visit_id,
            form_id=form.id,
            form_version=form.version,
            location_id=location.id,
            visit_type=str(header["H-01"]) if "H-01" in header else None,
            started_at=started_at,
            ended_at=None,
            inspectors=list(request.inspectors),
            partners=list(partners) if isinstance(partners, list) else [],
            legal_ground=str(header["H-06a"]) if "H-06a" in header else None,
            status=VisitStatus.DRAFT.value,
            head_rev=rev_id,
            device_id=app.device_id,
            created_by=app.actor,
            created_at=at,
            updated_at=at,
            finalized_at=None,
            finalized_by=None,
            count_h=0,
            count_m=0,
            count_l=0,
            acute=False,
        )
        visits_repo.insert_visit(app.db, visit)
        visits_repo.insert_revision(app.db, new_revision(rev_id, visit_id, None, "edit", app, at))
        for question_id, value in header.items():
            answers_repo.upsert_answer(
                app.db,
                visit_id,
                AnswerRow(question_id, 0, value, "", at),
            )
        outcome = run_rules(form, AnswerSet(top=header))
        if outcome.indicators:
            weights = [i.weight.value for i in outcome.indicators]
            visits_repo.update_visit(
                app.db,
                visit_id,
                count_h=weights.count("H"),
                count_m=weights.count("M"),
                count_l=weights.count("L"),
                acute=int(outcome.acute),
            )
        for indicator in outcome.indicators:
            observations_repo.insert_observation(
                app.db,
                visit_id,
                ObservationRow(
                    str(uuid.uuid4()),
                    indicator.slug,
                    "auto",
                    indicator.weight.value,
                    list(indicator.raised_by),
                    list(indicator.rule_ids),
                    True,
                    "",
                    False,
                    None,
                    None,
                    None,
                    at,
                    app.actor,
                ),
                at,
            )
        entries.append(
            AuditEntry(
                app.actor,
                app.device_id,
                "visit.created",
                "visit",
                visit_id,
                visit_id,
                None,
                {"form": form.id, "form_version": form.version, "location": location.id, "header": header},
            )
        )
        append_many(app.db, entries, at)
    return visit_id


def find_visits(app: AppContext, visit_filter: VisitFilter) -> list[VisitListRow]:
    """The visit list with location, status and indicator counts, newest first."""
    return visits_repo.list_visits(app.db, visit_filter)


def open_visit(app: AppContext, visit_ref: str) -> VisitSession:
    """Open a visit by full id or by its first characters (at least 4)."""
    ref = visit_ref.strip().lower()
    if visits_repo.get_visit(app.db, ref) is None:
        matches = visits_repo.find_visit_ids(app.db, ref) if len(ref) >= 4 else []
        if len(matches) != 1:
            message = (
                _("Bezoek '{ref}' is niet eenduidig; geef meer tekens", ref=visit_ref)
                if len(matches) > 1
                else _("Bezoek '{ref}' bestaat niet", ref=visit_ref)
            )
            raise NotFoundError(message)
        ref = matches[0]
    return VisitSession(app, ref)


class FinalizeRefusedError(InvalidInputError):
    """Finalize found open required questions or invalid answers; nothing was changed."""

    def __init__(self, message: str, missing: list[str], invalid: list[str]) -> None:
        super().__init__(message)
        self.missing = missing
        self.invalid = invalid


def _referral_drafts(session: VisitSession) -> dict[str, tuple[str, list[str]]]:
    """recipient -> (urgency, slugs): from the advice and from follow-up choices with a referral."""
    drafts: dict[str, tuple[str, list[str]]] = {}
    for advice in session.advice():
        if advice.recipient is None or advice.level is AdviceLevel.RIEC:
            continue
        urgency = Urgency.ACUTE if advice.level is AdviceLevel.ACUTE else Urgency.DAYS
        drafts.setdefault(advice.recipient.value, (urgency.value, list(advice.slugs)))
    standing = sorted({row.slug for row in session.standing_observations()})
    effective = session.outcome.state.top.effective
    for question in session.form.questions.values():
        if question.type not in (QuestionType.SINGLE, QuestionType.MULTIPLE) or question.repeat:
            continue
        value = effective.get(question.id)
        chosen = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for choice_value in chosen:
            choice = question.choice(choice_value)
            if choice is not None and choice.referral:
                drafts.setdefault(choice.referral, (Urgency.DAYS.value, standing))
    return drafts


def finalize_visit(session: VisitSession) -> Changes:
    """Check required questions and constraints, then lock the visit and draft its referrals."""
    session.ensure_fresh()
    if session.is_final:
        raise ConflictStateError(_("Bezoek {visit} is al definitief", visit=session.visit_id[:8]))
    missing, invalid = session.open_problems()
    if missing or invalid:
        english = current_language() == "en"
        parts = []
        if missing:
            parts.append(
                _("{count} verplichte vraag/vragen open: {refs}", count=len(missing), refs=", ".join(missing))
            )
        if invalid:
            parts.append(
                _(
                    "{count} ongeldig antwoord/ongeldige antwoorden: {items}",
                    count=len(invalid),
                    items="; ".join(
                        f"{p.ref} ({p.message_en if english else p.message_nl})" for p in invalid
                    ),
                )
            )
        raise FinalizeRefusedError(
            _("Bezoek kan nog niet definitief worden: {details}", details="; ".join(parts)),
            missing,
            [p.ref for p in invalid],
        )
    at = now_iso()
    existing = {row.recipient for row in referrals_repo.load_referrals(session.db, session.visit_id)}
    codes = [p.code for p in session.persons.values()]
    created: list[str] = []
    entries: list[AuditEntry] = []
    with session.transaction():
        for recipient, (urgency, slugs) in sorted(_referral_drafts(session).items()):
            if recipient in existing:
                continue
            row = ReferralRow(
                str(uuid.uuid4()),
                session.visit_id,
                recipient,
                urgency,
                "not_applicable",
                "",
                slugs,
                codes if slugs else [],
                "draft",
                None,
                "",
                "",
                "",
                at,
                session.app.actor,
                at,
            )
            referrals_repo.insert_referral(session.db, row)
            created.append(row.id)
            entries.append(
                session.audit_entry(
                    "referral.drafted",
                    "referral",
                    row.id,
                    None,
                    {"recipient": recipient, "urgency": urgency, "slugs": slugs},
                )
            )
        content_hash = session.content_hash()
        visits_repo.close_revision(session.db, session.visit.head_rev, at, content_hash, kind="final")
        visits_repo.update_visit(
            session.db,
            session.visit_id,
            status=VisitStatus.FINAL.value,
            finalized_at=at,
            finalized_by=session.app.actor,
            updated_at=at,
        )
        entries.append(
            session.audit_entry(
                "visit.finalized",
                "visit",
                session.visit_id,
                "draft",
                {"status": "final", "content_sha256": content_hash},
            )
        )
        append_many(session.db, entries, at)
    session.reload()
    return Changes(session.visit_id, at, status_changed=True, referrals=tuple(created))


def amend_visit(session: VisitSession, ref: str, value: AnswerValue, reason: str) -> Changes:
    """Correct a finalized visit: a new addendum revision with the reason, audited."""
    return session.answer(ref, value, reason=reason)


def visit_detail(session: VisitSession) -> dict[str, Any]:
    """Everything about one visit as plain data (the `visits show --json` contract)."""
    language = current_language()
    catalogue = load_catalogue()
    missing, invalid = session.open_problems()
    visit, location = session.visit, session.location
    indicators = []
    for row in sorted(session.observations.values(), key=lambda r: (r.slug, r.source)):
        if not row.active:
            continue
        entry = catalogue[row.slug]
        indicators.append(
            {
                "slug": row.slug,
                "label": entry.label.nl,
                "label_en": entry.label.en,
                "category": entry.category.value,
                "category_label": CATEGORY_LABELS[entry.category].get(language),
                "weight": row.weight,
                "source": row.source,
                "raised_by": row.raised_by,
                "rules": row.rule_ids,
                "note": row.note,
                "dismissed": row.dismissed,
                "dismiss_reason": row.dismiss_reason,
            }
        )
    answers: dict[str, AnswerValue] = {}
    notes: dict[str, str] = {}
    for (question_id, number), answer in sorted(
        session.answers.items(), key=lambda item: (item[0][1], item[0][0])
    ):
        if number and number not in session.persons:
            continue
        ref = answer_ref(question_id, number or None)
        if answer.value is not None:
            answers[ref] = answer.value
        if answer.note:
            notes[ref] = answer.note
    computed = {answer_ref(qid, None): value for qid, value in session.outcome.state.top.computed.items()}
    for number, scope in session.outcome.state.persons.items():
        computed.update({answer_ref(qid, number): value for qid, value in scope.computed.items()})
    return {
        "id": visit.id,
        "form": visit.form_id,
        "form_version": visit.form_version,
        "status": visit.status,
        "location": {
            "id": location.id,
            "name": location.name,
            "type": location.location_type,
            "address": location.address,
            "postcode": location.postcode,
            "city": location.city,
            "kvk_number": location.kvk_number,
            "licence_number": location.licence_number,
        },
        "visit_type": visit.visit_type,
        "started_at": visit.started_at,
        "ended_at": visit.ended_at,
        "inspectors": visit.inspectors,
        "partners": visit.partners,
        "legal_ground": visit.legal_ground,
        "finalized_at": visit.finalized_at,
        "answers": answers,
        "notes": notes,
        "computed": computed,
        "persons": [
            {
                "number": p.number,
                "code": p.code,
                "role": p.role,
                "age_band": p.age_band,
                "languages": p.languages,
            }
            for p in session.persons.values()
        ],
        "indicators": indicators,
        "findings": [
            {
                "rule": f.rule_id,
                "kind": f.kind,
                "text": f.text_en if language == "en" else f.text_nl,
                "raised_by": list(f.raised_by),
            }
            for f in session.outcome.findings
        ],
        "advice": [
            {
                "level": a.level.value,
                "text": a.text,
                "recipient": a.recipient.value if a.recipient else None,
                "slugs": list(a.slugs),
            }
            for a in session.advice()
        ],
        "missing_required": missing,
        "problems": [
            {"ref": p.ref, "message": p.message_en if language == "en" else p.message_nl} for p in invalid
        ],
        "referrals": [
            {
                "id": r.id,
                "recipient": r.recipient,
                "urgency": r.urgency,
                "consent_status": r.consent_status,
                "status": r.status,
                "sent_at": r.sent_at,
                "reference": r.reference,
                "outcome": r.outcome,
                "slugs": r.slugs,
            }
            for r in referrals_repo.load_referrals(session.db, session.visit_id)
        ],
        "revisions": [
            {
                "id": r.id,
                "kind": r.kind,
                "base": r.base_rev,
                "author": r.author,
                "created_at": r.created_at,
                "closed_at": r.closed_at,
                "content_sha256": r.content_sha256,
                "reason": r.reason,
            }
            for r in visits_repo.revisions(session.db, session.visit_id)
        ],
    }
