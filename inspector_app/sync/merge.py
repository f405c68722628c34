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

An automatic indicator is the rules' conclusion from the answers, not an edit of its own: its field
is what a person did with it (a note, a dismissal), compared without the columns the rules set
(`DERIVED`). Those columns follow the merged answers: `derive` runs the visit's rules on them (the
office passes one that loads the checklist version), so an answer changed and changed back on one
side never opens a conflict on the indicator it raised and withdrew meanwhile. Without `derive` (or
when it cannot load the checklist) they are taken from a side whose answers are the merged ones, and
when no side has them, merged per indicator against the ancestor like any field, where two sides
that concluded differently give the one that stands at the strongest weight: a merge never drops a
signal it cannot prove withdrawn.

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
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from inspector_app.domain.model import IndicatorSource, Weight
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
# Who wrote what a merge made (its revision, an indicator its answers raise): no person, "sync".
MERGE_AUTHOR = "sync"
# The columns of an automatic indicator that the rules set from the answers (`signals.ledger.reconcile`).
DERIVED = frozenset({"weight", "raised_by", "rule_ids", "active"})
AUTO = IndicatorSource.AUTO.value
# Names the automatic indicator a merge raises that no side had: the same id on every office.
DERIVED_NAMESPACE = uuid.UUID("6f1e0c52-3d0b-4c55-9d43-2f2a8e7b1c19")


class Raised(NamedTuple):
    """One indicator the rules raise for a set of answers: its weight, the answers and rules behind it."""

    weight: str
    raised_by: tuple[str, ...]
    rule_ids: tuple[str, ...]


# The rules of a visit run on a (merged) snapshot's answers: slug -> what they raise, or None when
# the visit's checklist version cannot be loaded here.
Derive = Callable[[Canonical], Mapping[str, Raised] | None]


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


def _is_auto(row: Row) -> bool:
    return row.get("source") == AUTO and "slug" in row


def comparable(value: Any) -> str:
    """What decides whether two values of a field are the same: rows without their write stamps, an
    automatic indicator also without the columns its answers decide."""
    if isinstance(value, dict):
        ignored = STAMPS | DERIVED if _is_auto(value) else STAMPS
        value = {k: v for k, v in value.items() if k not in ignored}
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _row_text(row: Row) -> str:
    """A row without its write stamps, every other column included."""
    return json.dumps(
        {k: v for k, v in row.items() if k not in STAMPS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


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
    derive: Derive | None = None,
) -> MergeResult:
    """The merged visit of `sides` (at least one) against `base`; `prefer` names the side whose
    value an open conflict shows and whose visit row the rest comes from. `decisions` maps a field
    to (`FieldConflict.competing`, chosen value): a conflict with exactly those values takes it.
    `derive` runs the visit's rules on the merged answers (see the module docstring)."""
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
    snapshot = assemble(sides, prefer, chosen, derive, base)
    return MergeResult(snapshot, tuple(open_conflicts), merged, tuple(decided))


def _sort_key(table: str, row: Row) -> tuple[str, ...]:
    return tuple(str(x) for x in row_key(table, row))


def assemble(
    sides: Mapping[str, Canonical],
    prefer: str,
    chosen: Mapping[str, Any],
    derive: Derive | None = None,
    base: Canonical | None = None,
) -> Canonical:
    """A snapshot from per-field values; the visit row's other columns from `prefer`, revisions the
    union of every side's, the automatic indicators as the merged answers raise them, the H/M/L
    counts recounted from the merged observations."""
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
    raised = derive(result) if derive is not None else None
    if raised is None:
        raised = _raised_by_a_side(result, sides)
    if raised is None:
        raised = _raised_three_way(base, sides)
    finalised = [name for name in sorted(sides) if _newly_final(base, sides[name])]
    first = list(dict.fromkeys([*finalised, prefer, *sorted(sides)]))
    observations = _follow_answers(result, raised, sides, first)
    result["indicator_observations"] = sorted(observations, key=partial(_sort_key, "indicator_observations"))
    own = sides[prefer]["indicator_observations"]
    if [_row_text(r) for r in result["indicator_observations"]] != [_row_text(r) for r in own]:
        # The observations changed: recount what stands; ACUUT stays if any side had it (the advice
        # is worked out again on the next edit, and is never silently dropped by a merge).
        weights = counts(standing(Snapshot.from_canonical(result).records().observations))
        visit.update({f"count_{w.value.lower()}": n for w, n in weights.items()})
        visit["acute"] = int(any(side["visit"]["acute"] for side in sides.values()))
    return result


def _rules_input(snapshot: Canonical) -> tuple[object, ...]:
    """What the rules read of a snapshot: the answer values and which persons are present."""
    present = sorted(int(p["number"]) for p in snapshot["persons"] if not p["removed"])
    values = sorted(
        (str(a["question_id"]), int(a["person_number"]), comparable(a["value"]))
        for a in snapshot["answers"]
        if a["value"] is not None
    )
    return (present, values)


def _raised_by_a_side(result: Canonical, sides: Mapping[str, Canonical]) -> dict[str, Raised] | None:
    """What the rules raise for the merged answers, read off a side with the same answers (the rules
    gave that side's standing automatic indicators for them); None when every side's differ."""
    wanted = _rules_input(result)
    for name in sorted(sides):
        if _rules_input(sides[name]) == wanted:
            return _raised_of(sides[name])
    return None


def _raised_of(snapshot: Canonical) -> dict[str, Raised]:
    """The automatic indicators that stand raised in a snapshot (dismissed or not)."""
    return {
        str(r["slug"]): Raised(
            str(r["weight"]), tuple(json.loads(r["raised_by"])), tuple(json.loads(r["rule_ids"]))
        )
        for r in snapshot["indicator_observations"]
        if r["source"] == AUTO and r["active"]
    }


def _raised_three_way(base: Canonical | None, sides: Mapping[str, Canonical]) -> dict[str, Raised]:
    """Per indicator, what the sides concluded merged against the ancestor: unchanged stays, one
    change is taken, different conclusions give the strongest standing one (never a dropped signal)."""
    before = _raised_of(base) if base is not None else {}
    per_side = [_raised_of(sides[name]) for name in sorted(sides)]
    result: dict[str, Raised] = {}
    for slug in sorted(set(before).union(*per_side)):
        changed = {side.get(slug) for side in per_side} - {before.get(slug)}
        if not changed:
            found = before.get(slug)
        elif len(changed) == 1:
            [found] = changed
        else:
            found = max(
                (r for r in changed if r is not None),
                key=lambda r: (Weight(r.weight).rank, r.raised_by, r.rule_ids),
            )
        if found is not None:
            result[slug] = found
    return result


def _follow_answers(
    result: Canonical, raised: Mapping[str, Raised], sides: Mapping[str, Canonical], first: list[str]
) -> list[Row]:
    """The merged observations with every automatic one set as `raised` says, as the visit session's
    `reconcile` does: raised ones stand with the rules' weight and reasons, others are kept inactive
    (with any note or dismissal), and one the merged answers raise but no side held is added.

    An inactive row keeps the weight and reasons it last stood with; these are part of a finalised
    visit's content hash, so they come from the first side in `first` (finalised sides first) that
    holds the row, never from whichever side the row's field happened to be read from."""
    withdrawn: dict[str, Row] = {}
    for name in first:
        for row in sides[name]["indicator_observations"]:
            if row["source"] == AUTO:
                withdrawn.setdefault(str(row["slug"]), row)
    rows: list[Row] = []
    held: set[str] = set()
    for row in result["indicator_observations"]:
        if row["source"] != AUTO:
            rows.append(row)
            continue
        slug = str(row["slug"])
        held.add(slug)
        now = raised.get(slug)
        if now is None:
            last = withdrawn.get(slug, row)
            rows.append({**row, **{c: last[c] for c in ("weight", "raised_by", "rule_ids")}, "active": 0})
        else:
            rows.append({**row, **_derived_columns(now), "active": 1})
    visit = result["visit"]
    at = max(str(side["visit"]["updated_at"]) for side in sides.values())
    for slug in sorted(set(raised) - held):
        rows.append(
            {
                "id": str(uuid.uuid5(DERIVED_NAMESPACE, f"{visit['id']}/{slug}/{AUTO}")),
                "visit_id": visit["id"],
                "slug": slug,
                "source": AUTO,
                **_derived_columns(raised[slug]),
                "active": 1,
                "note": "",
                "dismissed": 0,
                "dismiss_reason": None,
                "dismissed_by": None,
                "dismissed_at": None,
                "created_at": at,
                "created_by": MERGE_AUTHOR,
                "updated_at": at,
            }
        )
    return rows


def _derived_columns(raised: Raised) -> dict[str, Any]:
    """The columns as the store writes them (`Record.as_row`: JSON text, ASCII)."""
    return {
        "weight": raised.weight,
        "raised_by": json.dumps(list(raised.raised_by)),
        "rule_ids": json.dumps(list(raised.rule_ids)),
    }


def _refs(snapshot: Canonical) -> set[str]:
    return {answer_ref(str(r["question_id"]), int(r["person_number"]) or None) for r in snapshot["answers"]}
