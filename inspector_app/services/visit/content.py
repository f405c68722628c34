"""A visit's content hash and revision records: what a finalized visit or an addendum is stamped with."""

from __future__ import annotations

import hashlib
import uuid
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
    app: AppContext, visit_id: str, base: str | None, at: str, reason: str | None = None
) -> RevisionRow:
    """A new open revision by this inspector on this laptop, with its own id.

    The kind follows from the reason: an addendum (a correction of a final visit) always gives one,
    the edit revision a draft is filled in never does; finalize later closes a revision as "final".
    """
    return RevisionRow(
        id=str(uuid.uuid4()),
        visit_id=visit_id,
        base_rev=base,
        kind="edit" if reason is None else "addendum",
        author=app.actor,
        device_id=app.device_id,
        created_at=at,
        reason=reason,
    )
