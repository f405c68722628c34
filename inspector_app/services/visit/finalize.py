"""Finalize a visit (check, lock, stamp, draft referrals) and correct a final visit by addendum."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from inspector_app.domain.model import AdviceLevel, AnswerValue, Recipient, Urgency, VisitStatus
from inspector_app.errors import ConflictStateError, InvalidInputError
from inspector_app.forms.expressions import truthy
from inspector_app.forms.model import Mirror, QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.forms.state import Problem, ScopeContext
from inspector_app.i18n import _, n_
from inspector_app.logs import log_event
from inspector_app.services import clock
from inspector_app.services.changes import Changes
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals.advice import LOCKED_IN_SLUGS
from inspector_app.signals.ledger import ObservationDiff
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage.audit import AuditEntry, now_iso
from inspector_app.storage.records import ReferralRow


class FinalizeRefusedError(InvalidInputError):
    """Finalize found open required questions or invalid answers; nothing was changed."""

    def __init__(
        self, message: str, missing: list[str], invalid: list[str], problems: Sequence[Problem] = ()
    ) -> None:
        super().__init__(message)
        self.missing = missing
        self.invalid = invalid
        self.problems = list(problems)  # the invalid answers with their messages, for the refusal dialog


def finalize_problems(session: VisitSession) -> tuple[list[str], list[Problem]]:
    """What keeps the visit from being finalized: open required refs and invalid answers.

    The one check both callers use: the UI asks it before it asks for confirmation, and
    `finalize_visit` refuses on the same answer. The session is refreshed first, so a change made
    elsewhere (another window, an import) is part of the answer.
    """
    session.ensure_fresh()
    return session.open_problems()


ACUTE_SLUGS = frozenset({"gen.minor", "gen.injuries", "gen.threats"} | LOCKED_IN_SLUGS)
"""Indicators that make a visit acute on their own or together (signals/advice.py `_acute_reasons`)."""

ADVICE_URGENCY = {
    AdviceLevel.ACUTE: Urgency.ACUTE,  # "bel 112 / de politie ter plaatse"
    AdviceLevel.ESCALATE: Urgency.TODAY,  # "escaleer vandaag"
    AdviceLevel.REFERRAL: Urgency.DAYS,
    AdviceLevel.INFORMATIONAL: Urgency.INFORMATIONAL,  # a single M signal: pass on even a suspicion
}
"""The drafted referral's urgency says what the advice that drafted it says."""


@dataclass(frozen=True)
class ReferralDraft:
    """A referral finalize drafts: to whom, how urgent, and the signals and persons that led to it."""

    urgency: Urgency
    slugs: tuple[str, ...]
    persons: tuple[int, ...]


def _persons_behind(session: VisitSession, slugs: Collection[str]) -> set[int]:
    """The persons whose answers raised one of `slugs` (a manual tick names no person)."""
    numbers: set[int] = set()
    for row in session.standing_observations():
        if row.slug not in slugs:
            continue
        for ref in row.raised_by:
            try:
                _question, person = parse_ref(session.form, ref)
            except InvalidInputError:
                continue
            if person is not None:
                numbers.add(person)
    return numbers


def _persons_acute(session: VisitSession) -> set[int]:
    """The persons for whom an acute rule holds (`P-HELP`: asks for help now); such rules raise no slug."""
    acute = [rule for rule in session.form.rules if rule.id in session.outcome.acute_rules]
    state = session.outcome.state
    answers = session.answer_set()
    numbers = set()
    for number, scope in state.persons.items():
        context = ScopeContext(state.top.effective, scope.effective, answers.persons)
        if any(rule.when is not None and truthy(rule.when.evaluate(context)) for rule in acute):
            numbers.add(number)
    return numbers


def _referral_drafts(session: VisitSession) -> dict[str, ReferralDraft]:
    """recipient -> draft: from the advice and from follow-up choices with a referral.

    Each draft lists the signals that led to it and only the persons whose answers raised those (or,
    for the acute police referral, for whom an acute rule holds); its urgency follows the advice level.
    """
    drafts: dict[str, ReferralDraft] = {}
    standing = sorted({row.slug for row in session.standing_observations()})
    for advice in session.advice():
        if advice.recipient is None or advice.level is AdviceLevel.RIEC:
            continue
        slugs = list(advice.slugs)
        persons: set[int] = set()
        if advice.level is AdviceLevel.ACUTE:
            slugs = sorted(set(slugs) | (ACUTE_SLUGS & set(standing)))
            persons = _persons_acute(session)
        persons |= _persons_behind(session, slugs)
        draft = ReferralDraft(ADVICE_URGENCY[advice.level], tuple(slugs), tuple(sorted(persons)))
        drafts.setdefault(advice.recipient.value, draft)
    effective = session.outcome.state.top.effective
    for question in session.form.questions.values():
        if question.type not in (QuestionType.SINGLE, QuestionType.MULTIPLE) or question.repeat:
            continue
        value = effective.get(question.id)
        chosen = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for choice_value in chosen:
            choice = question.choice(choice_value)
            if choice is not None and choice.referral:
                behind = tuple(sorted(_persons_behind(session, standing)))
                drafts.setdefault(choice.referral, ReferralDraft(Urgency.DAYS, tuple(standing), behind))
    return drafts


def local_now(db: Database) -> datetime:
    """The wall-clock time in the municipality's zone, for stamping an end time (tests replace it)."""
    return clock.local_now(db)


def _stamp_end_time(session: VisitSession) -> None:
    """Answer the end time with the finalisation time when the inspector left it open.

    Only on the visit's own day and after its start: a visit finalised the next morning keeps no end
    time rather than a wrong one. It is an ordinary answer (audited, mirrored into `ended_at`), so it
    is part of the content the final revision is sealed with.
    """
    question = session.form.mirrored(Mirror.END_TIME)
    if question is None or session.answers.get((question.id, 0)) is not None:
        return
    now = local_now(session.db)
    if now.date().isoformat() != session.visit.started_at[:10]:
        return
    try:
        session.answer(question.id, f"{now:%H:%M}")
    except InvalidInputError:
        return  # before the start time (a clock set wrong): leave it to the inspector


def finalize_visit(session: VisitSession) -> Changes:
    """Check required questions and constraints, then lock the visit and draft its referrals.

    An end time left open is stamped with the finalisation time first (`_stamp_end_time`).
    """
    session.ensure_fresh()
    if session.is_final:
        raise ConflictStateError(_("Bezoek {visit} is al definitief", visit=session.visit_id[:8]))
    missing, invalid = finalize_problems(session)
    if missing or invalid:
        parts = []
        if missing:
            parts.append(
                n_(
                    "{count} verplichte vraag open: {refs}",
                    "{count} verplichte vragen open: {refs}",
                    len(missing),
                    refs=", ".join(missing),
                )
            )
        if invalid:
            parts.append(
                n_(
                    "{count} ongeldig antwoord: {items}",
                    "{count} ongeldige antwoorden: {items}",
                    len(invalid),
                    items="; ".join(f"{p.ref} ({p.message.get()})" for p in invalid),
                )
            )
        raise FinalizeRefusedError(
            _("Bezoek kan nog niet definitief worden: {details}", details="; ".join(parts)),
            missing,
            [p.ref for p in invalid],
            invalid,
        )
    _stamp_end_time(session)  # only now: a refused finalize changes nothing
    at = now_iso()
    existing = {row.recipient for row in referrals_repo.load_referrals(session.db, session.visit_id)}
    codes = {number: p.code for number, p in session.persons.items()}
    referrals: list[ReferralRow] = []
    entries: list[AuditEntry] = []
    for recipient, draft in sorted(_referral_drafts(session).items()):
        if recipient in existing:
            continue
        urgency, slugs = draft.urgency.value, list(draft.slugs)
        row = ReferralRow(
            id=str(uuid.uuid4()),
            visit_id=session.visit_id,
            recipient=Recipient(recipient),
            urgency=draft.urgency,
            slugs=slugs,
            person_codes=[codes[n] for n in draft.persons if n in codes],
            created_at=at,
            created_by=session.app.actor,
            updated_at=at,
        )
        referrals.append(row)
        entries.append(
            session.audit_entry(
                "referral.drafted",
                "referral",
                row.id,
                None,
                {"recipient": recipient, "urgency": urgency, "slugs": slugs},
            )
        )
    # Drafting referrals changes no answer or observation, so this is the hash the revision is sealed with.
    content_hash = session.content_hash()
    entries.append(
        session.audit_entry(
            "visit.finalized",
            "visit",
            session.visit_id,
            "draft",
            {"status": "final", "content_sha256": content_hash},
        )
    )
    changes = session.commit(
        ObservationDiff(),
        entries,
        at,
        referrals=referrals,
        visit_fields={
            "status": VisitStatus.FINAL.value,
            "finalized_at": at,
            "finalized_by": session.app.actor,
        },
        seal="final",
    )
    log_event("visit_finalized", visit=session.visit_id, form=session.form.id)
    return changes | Changes(session.visit_id, at, status_changed=True)


def amend_visit(session: VisitSession, ref: str, value: AnswerValue, reason: str) -> Changes:
    """Correct a finalized visit: a new addendum revision with the reason, audited."""
    return session.answer(ref, value, reason=reason)
