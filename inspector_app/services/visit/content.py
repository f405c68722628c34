"""A visit's content hash and revision records: what a finalized visit or an addendum is stamped with."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from inspector_app.domain.records import json_value
from inspector_app.forms.state import answer_ref
from inspector_app.storage.audit import canonical_json
from inspector_app.storage.records import AnswerRow, ObservationRow, PersonRow, RevisionRow, VisitRow

if TYPE_CHECKING:
    from inspector_app.services.app import AppContext


# The visit columns a content hash covers; the rest (status, head, counts, stamps) are not content.
VISIT_FIELDS = (
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


VISIT_JSON = VisitRow.JSON_COLUMNS


def _decoded(text: str | None) -> Any:
    """A JSON column's value as the records decode it."""
    return None if text is None else json_value(text)


def _content_hash(
    visit: Mapping[str, Any],
    answers: Iterable[tuple[str, int, Any, str]],
    persons: Iterable[list[Any]],
    observations: Iterable[list[Any]],
) -> str:
    """SHA-256 of the canonical content: `answers` as (question, person number, value, note),
    persons and observations as the lists `visit_content_hash` gives them."""
    content = {
        "visit": dict(visit),
        "answers": {answer_ref(q, n or None): [value, note] for q, n, value, note in answers},
        "persons": sorted(persons, key=lambda p: int(p[0])),
        "observations": sorted(observations, key=lambda o: (str(o[0]), str(o[1]))),
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def visit_content_hash(
    visit: VisitRow,
    answers: dict[tuple[str, int], AnswerRow],
    persons: dict[int, PersonRow],
    observations: Iterable[ObservationRow],
) -> str:
    """SHA-256 of a visit's canonical content: metadata, answers, notes, persons and signals."""
    return _content_hash(
        {k: getattr(visit, k) for k in VISIT_FIELDS},
        ((q, n, row.value, row.note) for (q, n), row in answers.items()),
        ([p.number, p.code, p.role, p.age_band, p.languages, p.removed] for p in persons.values()),
        (
            [o.slug, o.source, o.weight, o.raised_by, o.note, o.dismissed, o.dismiss_reason]
            for o in observations
        ),
    )


def stored_content_hash(visit: Mapping[str, Any], parts: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """`visit_content_hash` of a visit given as its stored rows (a bundle's decoded snapshot),
    without building its typed records: JSON columns are decoded and flags read as booleans exactly
    as the records decode them (tests/services/test_content_hash.py holds the two equal), which makes
    the import's check of every finalised visit a fraction of its cost."""
    return _content_hash(
        {k: _decoded(visit[k]) if k in VISIT_JSON else visit[k] for k in VISIT_FIELDS},
        (
            (str(a["question_id"]), int(a["person_number"]), _decoded(a["value"]), a["note"])
            for a in parts.get("answers", [])
        ),
        (
            [p["number"], p["code"], p["role"], p["age_band"], p["languages"], bool(p["removed"])]
            for p in parts.get("persons", [])
        ),
        (
            [
                o["slug"],
                o["source"],
                o["weight"],
                _decoded(o["raised_by"]),
                o["note"],
                bool(o["dismissed"]),
                o["dismiss_reason"],
            ]
            for o in parts.get("indicator_observations", [])
        ),
    )


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
