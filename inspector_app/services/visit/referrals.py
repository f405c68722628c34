"""Referrals of signals to partners: recipient, urgency, consent, sent date, reference, outcome.

Referral handling goes on after a visit is final (the office and the contact person do it), so it is
not part of the visit's locked content; every change is audited. CoMensha and care referrals by a
municipality need the person's written consent (domain.md c.1.4): they cannot be marked sent without it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from inspector_app.domain.labels import CONSENT_LABELS
from inspector_app.domain.model import ConsentStatus, Recipient, ReferralStatus, Urgency
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.clock import local_minute
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals.ledger import ObservationDiff
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.records import ReferralRow

Choice = TypeVar("Choice", bound=StrEnum)

CONSENT_REQUIRED = {Recipient.COMENSHA, Recipient.CARE_COORDINATOR}


def _choice(value: str, allowed: type[Choice], what: str) -> Choice:
    values = [member.value for member in allowed]
    if value not in values:
        raise InvalidInputError(
            _(
                "Onbekende {what} '{value}'; kies uit: {values}",
                what=what,
                value=value,
                values=", ".join(values),
            )
        )
    return allowed(value)


def add_referral(
    session: VisitSession,
    recipient: str,
    urgency: str,
    consent_status: str = ConsentStatus.NOT_APPLICABLE.value,
    slugs: list[str] | None = None,
    note: str = "",
) -> tuple[str, Changes]:
    """Create a draft referral for a visit; returns its id and what changed.

    The session writes it (`VisitSession.commit`), as it writes every change of a visit, so the
    visit's `updated_at` follows and the Changes name the new referral for the views to refresh.
    """
    session.ensure_fresh()
    at = now_iso()
    standing = sorted({row.slug for row in session.standing_observations()})
    chosen = standing if slugs is None else slugs
    unknown = [slug for slug in chosen if slug not in standing]
    if unknown:
        raise InvalidInputError(
            _("Signaal/signalen staan niet open in dit bezoek: {slugs}", slugs=", ".join(unknown))
        )
    row = ReferralRow(
        id=str(uuid.uuid4()),
        visit_id=session.visit_id,
        recipient=_choice(recipient, Recipient, _("ontvanger")),
        urgency=_choice(urgency, Urgency, _("urgentie")),
        consent_status=_choice(consent_status, ConsentStatus, _("toestemmingsstatus")),
        slugs=chosen,
        person_codes=[p.code for p in session.persons.values()] if chosen else [],
        note=note,
        created_at=at,
        created_by=session.app.actor,
        updated_at=at,
    )
    entry = session.audit_entry(
        "referral.created",
        "referral",
        row.id,
        None,
        {"recipient": recipient, "urgency": urgency, "slugs": chosen},
    )
    return row.id, session.commit(ObservationDiff(), [entry], at, referrals=[row])


@dataclass(frozen=True, kw_only=True)
class ReferralUpdate:
    """What happened to a referral, as typed by the user; None leaves that field as it is.

    The CLI and the referral dialog fill the same value, so both go through one set of checks.
    """

    status: str | None = None
    sent_at: str | None = None
    reference: str | None = None
    outcome: str | None = None
    consent_status: str | None = None
    channel: str | None = None
    urgency: str | None = None
    note: str | None = None


def update_referral(app: AppContext, referral_id: str, update: ReferralUpdate) -> ReferralRow:
    """Record what happened to a referral: sent (when, how, reference), consent, outcome."""
    current = referrals_repo.get_referral(app.db, referral_id)
    if current is None:
        raise NotFoundError(_("Doorverwijzing {id} bestaat niet", id=referral_id))
    updated = replace(
        current,
        status=_choice(update.status, ReferralStatus, _("status")) if update.status else current.status,
        consent_status=(
            _choice(update.consent_status, ConsentStatus, _("toestemmingsstatus"))
            if update.consent_status
            else current.consent_status
        ),
        urgency=_choice(update.urgency, Urgency, _("urgentie")) if update.urgency else current.urgency,
        reference=update.reference if update.reference is not None else current.reference,
        outcome=update.outcome if update.outcome is not None else current.outcome,
        channel=update.channel if update.channel is not None else current.channel,
        note=update.note if update.note is not None else current.note,
        sent_at=update.sent_at if update.sent_at is not None else current.sent_at,
    )
    if updated.sent_at:
        try:
            datetime.fromisoformat(updated.sent_at)
        except ValueError:
            raise InvalidInputError(
                _("Verzenddatum '{value}' is geen datum als JJJJ-MM-DD", value=updated.sent_at)
            ) from None
    if updated.status is ReferralStatus.SENT and not updated.sent_at:
        updated = replace(updated, sent_at=local_minute(app.db))
    if (
        updated.status is ReferralStatus.SENT
        and updated.recipient in CONSENT_REQUIRED
        and updated.consent_status is not ConsentStatus.GIVEN
    ):
        raise InvalidInputError(
            _(
                "Een doorverwijzing naar CoMensha of de zorgcoördinator vraagt schriftelijke "
                "toestemming van de persoon; leg de toestemming eerst vast als '{given}'",
                given=CONSENT_LABELS[ConsentStatus.GIVEN].get(),
            )
        )
    changed = {
        name: getattr(updated, name)
        for name in (
            "status",
            "consent_status",
            "urgency",
            "reference",
            "outcome",
            "channel",
            "note",
            "sent_at",
        )
        if getattr(updated, name) != getattr(current, name)
    }
    if not changed:
        return current
    at = now_iso()
    with writing(app.db):
        referrals_repo.update_referral(app.db, referral_id, updated_at=at, **changed)
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "referral.updated",
                "referral",
                referral_id,
                current.visit_id,
                {k: getattr(current, k) for k in changed},
                changed,
            ),
            at,
        )
    return replace(updated, updated_at=at)


def list_referrals(app: AppContext, status: str | None = None) -> list[ReferralRow]:
    return referrals_repo.all_referrals(app.db, status)


def visit_referrals(session: VisitSession) -> list[ReferralRow]:
    return referrals_repo.load_referrals(session.db, session.visit_id)
