"""Three-way merge of concurrent visit versions against their common ancestor, field by field; pure.

A visit is cut into *fields* that change independently (the same keys the conflict screen uses,
`sync.resolution`): each header field, each answer's value and its note (by reference `PB-19[2]`),
each person (by number), each indicator observation (slug/source: ticks and dismissals), each
referral (by id) and each photo (by id: its caption, or its removal). For every field the merge
compares each side with the ancestor:

- no side changed it: the ancestor's value stays;
- one value among the sides that changed it: that value is taken (edits to different fields merge);
- two or more different new values (the same field changed differently, or a photo removed on one
  side and captioned on the other): a `FieldConflict` with every side's value kept, never a pick.

A side that was finalised after the ancestor (it holds a `final` revision the ancestor does not)
accepts no change from another side: a field whose merged value would differ from what that side
finalised is a conflict, so a signed report's content hash stays what was signed.

Without an ancestor every field is compared against "absent": values the sides agree on (or that
only one side has) merge, every difference is a conflict. Revisions are never a choice: the result
carries the union of all sides'. The sides are a set: the result never depends on their order, and
merging a version with itself gives that version back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from inspector_app.forms.state import answer_ref
from inspector_app.signals.ledger import counts, standing
from inspector_app.sync.records import VISIT_PARTS, Row, Snapshot, row_key

Canonical = dict[str, Any]

# Header fields decided on their own; the status travels with its finalization stamp.
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "location_id": ("location_id",),
    "visit_type": ("visit_type",),
    "started_at": ("started_at",),
    "ended_at": ("ended_at",),
    "inspectors": ("inspectors",),
    "partners": ("partners",),
    "legal_ground": ("legal_ground",),
    "status": ("status", "finalized_at", "finalized_by"),
}
# Row-level fields: the kind, the snapshot table and the row's key within the visit.
ROW_KINDS: dict[str, str] = {
    "person": "persons",
    "indicator": "indicator_observations",
    "referral": "referrals",
    "photo": "photos",
}
# Columns that record when and by whom a row was written, or its local id: alone, no change.
STAMPS = frozenset({"created_at", "created_by", "updated_at", "id"})


def row_field_key(kind: str, row: Row) -> str:
    if kind == "person":
        return str(row["number"])
    if kind == "indicator":
        return f"{row['slug']}/{row['source']}"
    return str(row["id"])


def field_values(snapshot: Canonical) -> dict[str, Any]:
    """Every field of a snapshot with its value (a row, a list of columns, a note text or an answer)."""
    found: dict[str, Any] = {}
    visit = snapshot["visit"]
    for name, columns in HEADER_FIELDS.items():
        found[f"visit:{name}"] = [visit[c] for c in columns]
    for row in snapshot["answers"]:
        ref = answer_ref(str(row["question_id"]), int(row["person_number"]) or None)
        found[f"answer:{ref}"] = row["value"]
        found[f"note:{ref}"] = row["note"]
    for kind, table in ROW_KINDS.items():
        for row in snapshot[table]:
            found[f"{kind}:{row_field_key(kind, row)}"] = row
    return found


def absent(key: str) -> Any:
    """A field's value when the snapshot does not hold it: no note is "", anything else None."""
    return "" if key.startswith("note:") else None


def comparable(value: Any) -> str:
    """What decides whether two values of a field are the same: rows without their write stamps."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in STAMPS}
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class FieldConflict:
    """One field the sides changed to different values; every side's value and the ancestor's kept."""

    key: str
    base: Any
    values: dict[str, Any]

    @property
    def competing(self) -> str:
        """Names this divergence by its content, not by who sent it: the ancestor's value and the new
        values the sides changed it to. A decision on it applies to exactly these values, whatever
        versions carry them; a later version that left the field as the ancestor had it (a restored
        laptop editing another field) adds no value, so the decision still holds."""
        base = comparable(self.base)
        changed = sorted({comparable(v) for v in self.values.values()} - {base})
        return json.dumps([base, changed], separators=(",", ":"), ensure_ascii=False)

    @property
    def competing_every_value(self) -> str:
        """The name decisions were stored under before `competing` left out the ancestor's value (it
        listed every side's value): such a decision still settles exactly the values it was made on."""
        distinct = sorted({comparable(v) for v in self.values.values()})
        return json.dumps([comparable(self.base), distinct], separators=(",", ":"), ensure_ascii=False)

    def settled_by(self, competing: str) -> bool:
        return competing in (self.competing, self.competing_every_value)


@dataclass(frozen=True)
class MergeResult:
    snapshot: Canonical  # conflicting fields hold the `prefer` side's value (or a decision's)
    conflicts: tuple[FieldConflict, ...]  # open ones only: those no decision settled
    merged: tuple[str, ...]  # fields taken from a side other than `prefer`
    decided: tuple[str, ...]  # conflicting fields a decision settled


def _newly_final(base: Canonical | None, side: Canonical) -> bool:
    known = {str(r["id"]) for r in base["visit_revisions"]} if base else set()
    return any(r["kind"] == "final" and str(r["id"]) not in known for r in side["visit_revisions"])


def _field_order(key: str) -> tuple[str, int, str]:
    kind, _sep, rest = key.partition(":")
    return (kind, int(rest), "") if rest.isdigit() else (kind, 0, rest)


def merge_fields(
    base: Canonical | None, sides: Mapping[str, Canonical]
) -> tuple[dict[str, tuple[str | None, Any]], list[FieldConflict]]:
    """Per field the merged value and the side it came from (None: the ancestor), and the conflicts."""
    base_values = field_values(base) if base is not None else {}
    per_side = {name: field_values(snapshot) for name, snapshot in sides.items()}
    final_sides = [name for name, snapshot in sides.items() if _newly_final(base, snapshot)]
    names = sorted(sides)
    keys = set(base_values).union(*per_side.values())
    agreed: dict[str, tuple[str | None, Any]] = {}
    conflicts: list[FieldConflict] = []
    for key in sorted(keys, key=_field_order):
        base_value = base_values.get(key, absent(key))
        values = {name: per_side[name].get(key, absent(key)) for name in names}
        base_text = comparable(base_value)
        changed = {comparable(v) for v in values.values()} - {base_text}
        if len(changed) > 1:
            conflicts.append(FieldConflict(key, base_value, values))
            continue
        if changed:
            [text] = changed
            source: str | None = next(n for n in names if comparable(values[n]) == text)
        else:
            text, source = base_text, next((n for n in names if comparable(values[n]) == base_text), None)
        if any(comparable(values[name]) != text for name in final_sides):
            conflicts.append(FieldConflict(key, base_value, values))
            continue
        agreed[key] = (source, values[source] if source is not None else base_value)
    return agreed, conflicts


def merge_snapshots(
    base: Canonical | None,
    sides: Mapping[str, Canonical],
    prefer: str,
    decisions: Mapping[str, tuple[str, Any]] | None = None,
) -> MergeResult:
    """The merged visit of `sides` (at least one) against `base`; `prefer` names the side whose
    value an open conflict shows and whose visit row the rest comes from. `decisions` maps a field
    to (`FieldConflict.competing`, chosen value): a conflict with exactly those values takes it."""
    agreed, found = merge_fields(base, sides)
    decisions = decisions or {}
    chosen: dict[str, Any] = {key: value for key, (_source, value) in agreed.items()}
    open_conflicts, decided = [], []
    for conflict in found:
        decision = decisions.get(conflict.key)
        if decision is not None and conflict.settled_by(decision[0]):
            chosen[conflict.key] = decision[1]
            decided.append(conflict.key)
        else:
            chosen[conflict.key] = conflict.values[prefer]
            open_conflicts.append(conflict)
    prefer_values = field_values(sides[prefer])
    merged = tuple(
        key
        for key, (_source, value) in agreed.items()
        if comparable(value) != comparable(prefer_values.get(key, absent(key)))
    )
    return MergeResult(assemble(sides, prefer, chosen), tuple(open_conflicts), merged, tuple(decided))


def _sort_key(table: str, row: Row) -> tuple[str, ...]:
    return tuple(str(x) for x in row_key(table, row))


def assemble(sides: Mapping[str, Canonical], prefer: str, chosen: Mapping[str, Any]) -> Canonical:
    """A snapshot from per-field values; the visit row's other columns from `prefer`, revisions the
    union of every side's, the H/M/L counts recounted from the merged observations."""
    visit = dict(sides[prefer]["visit"])
    for name, columns in HEADER_FIELDS.items():
        visit.update(zip(columns, chosen[f"visit:{name}"], strict=True))
    answer_rows: dict[str, Row] = {}
    for snapshot in (sides[prefer], *(sides[n] for n in sorted(sides) if n != prefer)):
        for row in snapshot["answers"]:
            answer_rows.setdefault(
                answer_ref(str(row["question_id"]), int(row["person_number"]) or None), row
            )
    parts: dict[str, list[Row]] = {table: [] for table in VISIT_PARTS}
    for ref, template in answer_rows.items():
        value, note = chosen.get(f"answer:{ref}"), chosen.get(f"note:{ref}", "")
        if value is None and note == "" and ref not in _refs(sides[prefer]):
            continue
        contributing = [
            row
            for snapshot in sides.values()
            for row in snapshot["answers"]
            if answer_ref(str(row["question_id"]), int(row["person_number"]) or None) == ref
            and (row["value"] == value or row["note"] == note)
        ]
        stamp = max((str(r["updated_at"]) for r in contributing), default=str(template["updated_at"]))
        parts["answers"].append({**template, "value": value, "note": note, "updated_at": stamp})
    for key, value in chosen.items():
        kind = key.partition(":")[0]
        if kind in ROW_KINDS and value is not None:
            parts[ROW_KINDS[kind]].append(value)
    revisions: dict[str, Row] = {}
    for name in sorted(sides):
        for row in sides[name]["visit_revisions"]:
            revisions.setdefault(str(row["id"]), row)
    parts["visit_revisions"] = list(revisions.values())
    result: Canonical = {"visit": visit}
    for table in VISIT_PARTS:
        result[table] = sorted(parts[table], key=partial(_sort_key, table))
    own = sides[prefer]["indicator_observations"]
    if [comparable(r) for r in result["indicator_observations"]] != [comparable(r) for r in own]:
        # The observations changed: recount what stands; ACUUT stays if any side had it (the advice
        # is worked out again on the next edit, and is never silently dropped by a merge).
        weights = counts(standing(Snapshot.from_canonical(result).records().observations))
        visit.update({f"count_{w.value.lower()}": n for w, n in weights.items()})
        visit["acute"] = int(any(side["visit"]["acute"] for side in sides.values()))
    return result


def _refs(snapshot: Canonical) -> set[str]:
    return {answer_ref(str(r["question_id"]), int(r["person_number"]) or None) for r in snapshot["answers"]}
