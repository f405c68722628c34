"""Indicators of an open visit ticked and dismissed by hand: checked here, written by the session.

Manual ticks need a factual note and dismissals a reason; both are audited. What changes is worked
out by the pure ledger (`signals.ledger.tick` / `dismiss`) and written by `VisitSession.commit`, the
one writer of a visit's observations. Keeping the auto observations in step with the rules is
`signals.ledger.reconcile`, applied by the session on every answer.
"""

from __future__ import annotations

from inspector_app.domain.model import AnswerValue, Weight
from inspector_app.domain.policy import APV_MIN_AGES, PolicyKey
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.refs import parse_ref
from inspector_app.i18n import _
from inspector_app.services.changes import Changes
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals import ledger
from inspector_app.signals.advice import MINOR
from inspector_app.storage.audit import now_iso
from inspector_app.storage.policy import load_policy

UNDER_MIN_AGE = "sex.under_min_age"


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
    refuse_adult_minimum_below_18(session, slug)
    at = now_iso()
    weight = manual_weight(session.form, slug, entry.weight)
    diff = ledger.tick(session.observations.values(), slug, weight, note, at, session.app.actor)
    return session.commit(diff, [], at)


def manual_weight(form: FormDefinition, slug: str, catalogue_weight: Weight) -> Weight:
    """What a hand-ticked indicator weighs: what the visit's checklist version gives it.

    Where every rule of that version that raises the slug sets the same weight, a tick weighs the
    same as the answer would (PB/MS version 2 onward: `sex.under_min_age` M, not the catalogue's H,
    which version-1 visits keep); otherwise the catalogue weight.
    """
    weights = {rule.weight for rule in form.rules if slug in rule.raises}
    only = next(iter(weights)) if len(weights) == 1 else None
    return only if only is not None else catalogue_weight


def visit_apv_min_age(session: VisitSession) -> int | None:
    """The APV minimum age this visit was filled under (its policy-prefilled answer), if its checklist
    asks it; version-1 checklists assumed 21 and have no such question."""
    for question in session.form.questions.values():
        if question.policy is PolicyKey.APV_MIN_AGE:
            row = session.answers.get((question.id, 0))
            value = row.value if row is not None else load_policy(session.db).apv_min_age
            return int(value) if isinstance(value, str | int) and str(value).isdigit() else None
    return None


def refuse_adult_minimum_below_18(session: VisitSession, slug: str) -> None:
    """`sex.under_min_age` is an adult below a municipal minimum of 21. Where the APV says 18 anyone
    below it is a minor: that is `gen.minor` (H, acute in the sex branch), never an M tick."""
    if slug == UNDER_MIN_AGE and visit_apv_min_age(session) == APV_MIN_AGES[0]:
        raise InvalidInputError(
            _(
                "In deze gemeente is de minimumleeftijd voor sekswerk volgens de APV 18 jaar: wie jonger"
                " is, is minderjarig. Vink '{minor}' aan (hoog gewicht, acuut).",
                minor=MINOR,
            )
        )


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
