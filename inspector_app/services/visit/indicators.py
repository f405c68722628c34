"""Indicators of an open visit ticked and dismissed by hand: checked here, written by the session.

Manual ticks need a factual note and dismissals a reason; both are audited. What changes is worked
out by the pure ledger (`signals.ledger.tick` / `dismiss`) and written by `VisitSession.commit`, the
one writer of a visit's observations. Keeping the auto observations in step with the rules is
`signals.ledger.reconcile`, applied by the session on every answer.
"""

from __future__ import annotations

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.refs import parse_ref
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals import ledger
from inspector_app.storage.audit import now_iso


def tick(session: VisitSession, slug: str, note: str) -> Changes:
    """Record an indicator by hand, with the inspector's factual note."""
    session.ensure_fresh()
    session.require_draft()
    entry = session.catalogue.indicators.get(slug)
    if entry is None:
        raise NotFoundError(_("Onbekende indicator '{slug}'; zie de signaalcatalogus", slug=slug))
    if not note.strip():
        raise InvalidInputError(
            _("Geef bij een handmatig aangevinkt signaal een feitelijke notitie (wat is gezien of gehoord)")
        )
    at = now_iso()
    diff = ledger.tick(session.observations.values(), slug, entry.weight, note, at, session.app.actor)
    return session.commit(diff, [], at)


def dismiss(session: VisitSession, slug: str, reason: str) -> Changes:
    """Set a raised or ticked indicator aside, with the reason why it does not apply."""
    session.ensure_fresh()
    session.require_draft()
    if not reason.strip():
        raise InvalidInputError(_("Geef een reden om het signaal af te wijzen"))
    at = now_iso()
    diff = ledger.dismiss(session.observations.values(), slug, reason, at, session.app.actor)
    if not diff.updated:
        raise NotFoundError(_("Signaal '{slug}' staat niet open in dit bezoek", slug=slug))
    return session.commit(diff, [], at)


def restore(session: VisitSession, slug: str, reason: str) -> Changes:
    """Undo a dismissal: the indicator stands again. Audited with the reason, like the dismissal.

    A dismissal made by mistake (wrong row in the panel) must not stay for good; the old dismissal
    reason stays readable in the audit log.
    """
    session.ensure_fresh()
    session.require_draft()
    if not reason.strip():
        raise InvalidInputError(_("Geef een reden om de afwijzing ongedaan te maken"))
    at = now_iso()
    diff = ledger.restore(session.observations.values(), slug, reason.strip(), at, session.app.actor)
    if not diff.updated:
        raise NotFoundError(_("Signaal '{slug}' is in dit bezoek niet afgewezen", slug=slug))
    return session.commit(diff, [], at)


def observation_questions(form: FormDefinition) -> frozenset[str]:
    """Questions whose ticked choices are indicators themselves (a rule's `raise_selected`)."""
    return frozenset(rule.raise_selected for rule in form.rules if rule.raise_selected)


def needs_factual_note(session: VisitSession, ref: str, value: AnswerValue) -> bool:
    """Whether this answer records a signal by hand that still lacks the factual note.

    The one rule for notes: a signal the inspector records by hand needs a factual note, whether it
    is ticked from the catalogue (`tick`) or as a box of an observation question. This says when an
    answer is the second kind: it adds a choice to such a question, and the question has no note yet.
    """
    question, person = parse_ref(session.form, ref)
    if question.id not in observation_questions(session.form) or not isinstance(value, list):
        return False
    row = session.answers.get((question.id, person or 0))
    before = set(row.value) if row is not None and isinstance(row.value, list) else set()
    has_note = row is not None and bool((row.note or "").strip())
    return bool(set(value) - before) and not has_note
