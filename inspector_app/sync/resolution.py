"""Conflict resolution, pure logic: how each field of a sync conflict is shown to a person, and the
value a person's choice stands for.

A *field* is one thing an office employee can decide on its own (the keys of `sync.merge`): a visit
header field, one answer's value or note (by reference, `PB-19[2]`), one person (by number), one
indicator observation (by slug and source), one referral (by id) or one photo (by id). Revisions are
never a choice: the merged visit keeps the union of all, so nothing that was recorded is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from inspector_app.errors import InvalidInputError
from inspector_app.forms.state import answer_ref
from inspector_app.i18n import _
from inspector_app.sync.merge import HEADER_FIELDS, FieldConflict
from inspector_app.sync.records import Row

Canonical = dict[str, Any]
"""A visit snapshot as stored in sync_visit_versions: {"visit": row, "answers": [...], ...}."""

HEADER_LABELS = {
    "location_id": "Locatie",
    "visit_type": "Soort bezoek",
    "started_at": "Begin van het bezoek",
    "ended_at": "Einde van het bezoek",
    "inspectors": "Toezichthouders",
    "partners": "Ketenpartners",
    "legal_ground": "Grondslag",
    "status": "Status",
}
EMPTY = "—"


@dataclass(frozen=True)
class FieldDiff:
    """One field whose value differs between the kept versions; `values` per version id, for display."""

    key: str
    kind: str
    label: str
    values: dict[str, str]


def _answers(snapshot: Canonical) -> dict[str, Row]:
    return {
        answer_ref(str(r["question_id"]), int(r["person_number"]) or None): r for r in snapshot["answers"]
    }


def _persons(snapshot: Canonical) -> dict[str, Row]:
    return {str(r["number"]): r for r in snapshot["persons"]}


def _indicators(snapshot: Canonical) -> dict[str, Row]:
    return {f"{r['slug']}/{r['source']}": r for r in snapshot["indicator_observations"]}


def _referrals(snapshot: Canonical) -> dict[str, Row]:
    return {str(r["id"]): r for r in snapshot["referrals"]}


def _photos(snapshot: Canonical) -> dict[str, Row]:
    return {str(r["id"]): r for r in snapshot["photos"]}


def _json_text(text: object) -> str:
    """A stored JSON value (answer value, list column) as readable text."""
    if text is None:
        return EMPTY
    try:
        value = json.loads(str(text))
    except ValueError:
        return str(text)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or EMPTY
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return EMPTY if value in (None, "") else str(value)


def _show_person(row: Row | None) -> str:
    if row is None:
        return EMPTY
    parts = [str(row["code"]), str(row["role"] or EMPTY), str(row["age_band"] or EMPTY)]
    languages = _json_text(row["languages"])
    if languages != EMPTY:
        parts.append(languages)
    text = " · ".join(parts)
    return text + " " + _("(verwijderd)") if row["removed"] else text


def _show_indicator(row: Row | None) -> str:
    if row is None:
        return EMPTY
    if row["dismissed"]:
        state = _("afgewezen: {reason}", reason=row["dismiss_reason"] or EMPTY)
    else:
        state = _("actief") if row["active"] else _("niet actief")
    text = f"{row['slug']} ({row['weight']}), {state}"
    return f"{text}; {row['note']}" if row["note"] else text


def _show_referral(row: Row | None) -> str:
    if row is None:
        return EMPTY
    return f"{row['recipient']} · {row['urgency']} · {row['status']}" + (
        f" · {row['reference']}" if row["reference"] else ""
    )


def _show_photo(row: Row | None) -> str:
    if row is None:
        return _("(verwijderd)")
    return f"{row['question_id']} · {row['sha256'][:8]}" + (f" · {row['caption']}" if row["caption"] else "")


def _show_header(field: str, visit: Row) -> str:
    columns = HEADER_FIELDS[field]
    if field in ("inspectors", "partners"):
        return _json_text(visit[field])
    values = [str(visit[c]) for c in columns if visit[c] not in (None, "")]
    return " · ".join(values) or EMPTY


# How each kind of row-level field is found in a snapshot, compared and shown.
ROW_FIELDS: dict[str, tuple[Callable[[Canonical], dict[str, Row]], Callable[[Row | None], str]]] = {
    "person": (_persons, _show_person),
    "indicator": (_indicators, _show_indicator),
    "referral": (_referrals, _show_referral),
    "photo": (_photos, _show_photo),
}
# Columns that record when or by whom a row was written: a difference there alone is not a conflict.
STAMPS = {"created_at", "updated_at", "id"}


def _same_row(a: Row | None, b: Row | None) -> bool:
    if a is None or b is None:
        return a is b
    return {k: v for k, v in a.items() if k not in STAMPS} == {k: v for k, v in b.items() if k not in STAMPS}


def differing_fields(versions: Mapping[str, Canonical]) -> list[FieldDiff]:
    """Every field whose value is not the same in all kept versions, in a stable reading order."""
    ids = list(versions)
    found: list[FieldDiff] = []
    for field in HEADER_FIELDS:
        shown = {v: _show_header(field, versions[v]["visit"]) for v in ids}
        raw = {tuple(versions[v]["visit"][c] for c in HEADER_FIELDS[field]) for v in ids}
        if len(raw) > 1:
            found.append(FieldDiff(f"visit:{field}", "visit", _(HEADER_LABELS[field]), shown))
    answers = {v: _answers(versions[v]) for v in ids}
    for ref in sorted({ref for rows in answers.values() for ref in rows}):
        rows = {v: answers[v].get(ref) for v in ids}
        values = {v: (row["value"] if row else None) for v, row in rows.items()}
        if len(set(values.values())) > 1:
            found.append(
                FieldDiff(f"answer:{ref}", "answer", ref, {v: _json_text(x) for v, x in values.items()})
            )
        notes = {v: (row["note"] if row else "") for v, row in rows.items()}
        if len(set(notes.values())) > 1:
            found.append(
                FieldDiff(
                    f"note:{ref}",
                    "note",
                    _("Notitie bij {ref}", ref=ref),
                    {v: str(x) or EMPTY for v, x in notes.items()},
                )
            )
    for kind, (extract, show) in ROW_FIELDS.items():
        per_version = {v: extract(versions[v]) for v in ids}
        for key in sorted({k for rows in per_version.values() for k in rows}, key=_natural):
            rows_of = {v: per_version[v].get(key) for v in ids}
            first = rows_of[ids[0]]
            if all(_same_row(first, row) for row in rows_of.values()):
                continue
            label = _("Persoon {number}", number=key) if kind == "person" else _label(kind, key, rows_of)
            found.append(FieldDiff(f"{kind}:{key}", kind, label, {v: show(r) for v, r in rows_of.items()}))
    return found


def _natural(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def _label(kind: str, key: str, rows: Mapping[str, Row | None]) -> str:
    if kind == "photo":
        row = next((r for r in rows.values() if r is not None), None)
        return _("Foto bij {question}", question=row["question_id"] if row else key[:8])
    if kind == "indicator":
        return _("Indicator {slug}", slug=key.split("/")[0]) + f" ({key.split('/')[1]})"
    row = next((r for r in rows.values() if r is not None), None)
    return _("Doorverwijzing aan {recipient}", recipient=row["recipient"] if row else key[:8])


def chosen_value(conflict: FieldConflict, choice: str) -> Any:
    """The value a choice stands for: a kept version's value of the field, or for a note the text."""
    if choice in conflict.values:
        return conflict.values[choice]
    if conflict.key.startswith("note:"):
        return choice
    raise InvalidInputError(_("Onbekende versie {version}", version=choice))
