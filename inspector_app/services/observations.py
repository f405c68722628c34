"""Indicator observations of an open visit: kept in step with the rules, ticked and dismissed by hand.

Auto observations mirror what the rules raise now; an indicator that stops being raised is kept as
inactive (with any dismissal), so changing an answer back and forth never loses a dismissal reason.
Manual ticks need a factual note and dismissals a reason; both are audited.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.signals.rules import RuleOutcome
from inspector_app.storage import observations as observations_repo
from inspector_app.storage.audit import AuditEntry, now_iso
from inspector_app.storage.records import ObservationRow

if TYPE_CHECKING:
    from inspector_app.services.visit_session import VisitSession


def sync_auto_observations(
    session: VisitSession, outcome: RuleOutcome, at: str, entries: list[AuditEntry]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Make the stored auto observations match what the rules raise now; keep dismissals."""
    wanted = {indicator.slug: indicator for indicator in outcome.indicators}
    added: list[str] = []
    removed: list[str] = []
    for (slug, source), row in list(session.observations.items()):
        if source != "auto":
            continue
        indicator = wanted.get(slug)
        if indicator is None:
            if row.active:
                observations_repo.update_observation(
                    session.db,
                    row.id,
                    at,
                    weight=row.weight,
                    raised_by=row.raised_by,
                    rule_ids=row.rule_ids,
                    active=False,
                )
                session.observations[(slug, source)] = replace(row, active=False)
                removed.append(slug)
                entries.append(
                    session.audit_entry(
                        "indicator.cleared",
                        "indicator",
                        row.id,
                        {"slug": slug, "raised_by": row.raised_by},
                        None,
                    )
                )
            continue
        new = (indicator.weight.value, list(indicator.raised_by), list(indicator.rule_ids), True)
        if (row.weight, row.raised_by, row.rule_ids, row.active) != new:
            observations_repo.update_observation(
                session.db, row.id, at, weight=new[0], raised_by=new[1], rule_ids=new[2], active=True
            )
            session.observations[(slug, source)] = replace(
                row, weight=new[0], raised_by=new[1], rule_ids=new[2], active=True
            )
            if not row.active:
                added.append(slug)
            entries.append(
                session.audit_entry(
                    "indicator.raised",
                    "indicator",
                    row.id,
                    {"weight": row.weight, "raised_by": row.raised_by, "active": row.active},
                    {"weight": new[0], "raised_by": new[1]},
                )
            )
    for slug, indicator in wanted.items():
        if (slug, "auto") in session.observations:
            continue
        row = ObservationRow.new(
            slug,
            "auto",
            indicator.weight.value,
            at,
            session.app.actor,
            raised_by=indicator.raised_by,
            rule_ids=indicator.rule_ids,
        )
        observations_repo.insert_observation(session.db, session.visit_id, row, at)
        session.observations[(slug, "auto")] = row
        added.append(slug)
        entries.append(
            session.audit_entry(
                "indicator.raised",
                "indicator",
                row.id,
                None,
                {"slug": slug, "weight": row.weight, "raised_by": row.raised_by},
            )
        )
    return tuple(sorted(added)), tuple(sorted(removed))


def tick(session: VisitSession, slug: str, note: str) -> Changes:
    """Record an indicator by hand, with the inspector's factual note."""
    session.ensure_fresh()
    session.require_draft()
    if slug not in session._catalogue:
        raise NotFoundError(_("Onbekende indicator '{slug}'; zie de signaalcatalogus", slug=slug))
    if not note.strip():
        raise InvalidInputError(
            _("Geef bij een handmatig aangevinkt signaal een feitelijke notitie (wat is gezien of gehoord)")
        )
    at = now_iso()
    existing = session.observations.get((slug, "manual"))
    entries: list[AuditEntry] = []
    with session.transaction():
        if existing is None:
            row = ObservationRow.new(
                slug, "manual", session._catalogue[slug].weight.value, at, session.app.actor, note=note
            )
            observations_repo.insert_observation(session.db, session.visit_id, row, at)
            entries.append(
                session.audit_entry(
                    "indicator.ticked", "indicator", row.id, None, {"slug": slug, "note": note}
                )
            )
        else:
            row = replace(
                existing,
                note=note,
                dismissed=False,
                dismiss_reason=None,
                dismissed_by=None,
                dismissed_at=None,
            )
            observations_repo.set_note(session.db, row.id, at, note, True)
            observations_repo.set_dismissal(session.db, row.id, at, dismissed=False, reason=None, by=None)
            entries.append(
                session.audit_entry(
                    "indicator.ticked",
                    "indicator",
                    row.id,
                    {"note": existing.note, "dismissed": existing.dismissed},
                    {"note": note, "dismissed": False},
                )
            )
        session.observations[(slug, "manual")] = row
        session.finish_write(at, session.outcome, entries)
    return Changes(session.visit_id, at, indicators_added=(slug,), observations_changed=True)


def dismiss(session: VisitSession, slug: str, reason: str) -> Changes:
    """Set a raised or ticked indicator aside, with the reason why it does not apply."""
    session.ensure_fresh()
    session.require_draft()
    if not reason.strip():
        raise InvalidInputError(_("Geef een reden om het signaal af te wijzen"))
    rows = [row for (s, _source), row in session.observations.items() if s == slug and row.counts]
    if not rows:
        raise NotFoundError(_("Signaal '{slug}' staat niet open in dit bezoek", slug=slug))
    at = now_iso()
    entries = []
    with session.transaction():
        for row in rows:
            observations_repo.set_dismissal(
                session.db, row.id, at, dismissed=True, reason=reason, by=session.app.actor
            )
            session.observations[(row.slug, row.source)] = replace(
                row, dismissed=True, dismiss_reason=reason, dismissed_by=session.app.actor, dismissed_at=at
            )
            entries.append(
                session.audit_entry(
                    "indicator.dismissed",
                    "indicator",
                    row.id,
                    {"dismissed": False},
                    {"dismissed": True, "reason": reason},
                )
            )
        session.finish_write(at, session.outcome, entries)
    return Changes(session.visit_id, at, indicators_removed=(slug,), observations_changed=True)
