"""A visit's content hash and revision records: what a finalized visit or an addendum is stamped with."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from inspector_app.forms.state import answer_ref
from inspector_app.storage.audit import canonical_json
from inspector_app.storage.records import AnswerRow, ObservationRow, PersonRow, RevisionRow, VisitRow

if TYPE_CHECKING:
    from inspector_app.services.app import AppContext


def visit_content_hash(
    visit: VisitRow,
    answers: dict[tuple[str, int], AnswerRow],
    persons: dict[int, PersonRow],
    observations: Iterable[ObservationRow],
) -> str:
    """SHA-256 of a visit's canonical content: metadata, answers, notes, persons and signals."""
    content = {
        "visit": {
            k: getattr(visit, k)
            for k in (
                "id",
                "form_id",
                "form_version",
                "location_id",
                "visit_type",
                "started_at",
                "ended_at",
                "inspectors",
                "partners",
                "legal_ground",
            )
        },
        "answers": {
            answer_ref(q, n or None): [row.value, row.note] for (q, n), row in sorted(answers.items())
        },
        "persons": [
            [p.number, p.code, p.role, p.age_band, p.languages, p.removed]
            for p in sorted(persons.values(), key=lambda p: p.number)
        ],
        "observations": [
            [o.slug, o.source, o.weight, o.raised_by, o.note, o.dismissed, o.dismiss_reason]
            for o in sorted(observations, key=lambda o: (o.slug, o.source))
        ],
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def new_revision(
    rev_id: str,
    visit_id: str,
    base: str | None,
    kind: str,
    app: AppContext,
    at: str,
    reason: str | None = None,
) -> RevisionRow:
    return RevisionRow(
        id=rev_id,
        visit_id=visit_id,
        base_rev=base,
        kind=kind,
        author=app.actor,
        device_id=app.device_id,
        created_at=at,
        reason=reason,
    )
