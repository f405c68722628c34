"""Everything about one visit as plain data: the `visits show --json` contract and the UI's view."""

from __future__ import annotations

from typing import Any

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.labels import CATEGORY_LABELS
from inspector_app.domain.model import AnswerValue
from inspector_app.forms.state import answer_ref
from inspector_app.i18n import current_language
from inspector_app.services.documents.zaak import load_zaak
from inspector_app.services.reinspections import follow_up_detail
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage import visits as visits_repo
from inspector_app.storage.photos import load_photos


def visit_detail(session: VisitSession) -> dict[str, Any]:
    """Everything about one visit as plain data (the `visits show --json` contract)."""
    language = current_language()
    catalogue = load_catalogue()
    missing, invalid = session.open_problems()
    visit, location = session.visit, session.location
    parents = visits_repo.revision_parents(session.db, session.visit_id)
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
        **follow_up_detail(session.app, session.visit_id),
        "inspectors": visit.inspectors,
        "partners": visit.partners,
        "legal_ground": visit.legal_ground,
        "finalized_at": visit.finalized_at,
        "zaak": _zaak(session),
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
                "partners": [p.value for p in a.partners],
            }
            for a in session.advice()
        ],
        "missing_required": missing,
        "problems": [{"ref": p.ref, "message": p.message.get(language)} for p in invalid],
        "photos": [
            {
                "id": p.id,
                "question": answer_ref(p.question_id, p.person_number or None),
                "sha256": p.sha256,
                "media_type": p.media_type,
                "width": p.width,
                "height": p.height,
                "caption": p.caption,
            }
            for p in load_photos(session.db, session.visit_id)
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
                # The version DAG (visit_revision_parents): a merge or resolution has two or more.
                "parents": parents.get(r.id, []),
                "device": r.device_id,
                "author": r.author,
                "at": r.created_at,
                "created_at": r.created_at,
                "closed_at": r.closed_at,
                "content_sha256": r.content_sha256,
                "reason": r.reason,
            }
            for r in visits_repo.revisions(session.db, session.visit_id)
        ],
    }


def _zaak(session: VisitSession) -> dict[str, str] | None:
    """The zaak the visit is filed under (`visits set-zaak`), or None."""
    zaak = load_zaak(session)
    return None if zaak is None else {"zaaknummer": zaak.zaaknummer, "zaaktype": zaak.zaaktype}
