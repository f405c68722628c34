"""The merge's rule for automatic indicators (`sync.merge`): they follow the merged answers.

An automatic indicator is the rules' conclusion from the answers; only what a person did with it (a
note, a dismissal) is a field of its own. These tests build small visits by hand and call the merge
directly, with and without a `derive` (the office passes `sync.derived.rules_of`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from inspector_app.forms.loader import load_all_forms
from inspector_app.sync.derived import rules_of
from inspector_app.sync.merge import Raised, merge_snapshots

VISIT_ID = "11111111-1111-4111-8111-111111111111"
BASE_REV = "00000000-0000-4000-8000-000000000001"


def _revision(rev_id: str, base: str | None, at: str, kind: str = "addendum") -> dict[str, Any]:
    return {
        "id": rev_id,
        "visit_id": VISIT_ID,
        "base_rev": base,
        "kind": kind,
        "author": "account:test",
        "device_id": "22222222-2222-4222-8222-222222222222",
        "created_at": at,
        "closed_at": at,
        "content_sha256": None,
        "reason": "Correctie.",
    }


def _observation(
    slug: str, *, active: int = 1, weight: str = "M", refs: tuple[str, ...] = ("PB-05",), **human: Any
) -> dict[str, Any]:
    return {
        "id": f"obs-{slug}-{active}-{weight}",
        "visit_id": VISIT_ID,
        "slug": slug,
        "source": "auto",
        "weight": weight,
        "raised_by": json.dumps(list(refs)),
        "rule_ids": json.dumps(["R-" + slug]),
        "active": active,
        "note": "",
        "dismissed": 0,
        "dismiss_reason": None,
        "dismissed_by": None,
        "dismissed_at": None,
        "created_at": "2030-01-01T09:00:00Z",
        "created_by": "account:test",
        "updated_at": "2030-01-01T09:00:00Z",
        **human,
    }


def _visit(
    revisions: list[str],
    answers: Mapping[str, str | None],
    observations: list[dict[str, Any]],
    at: str = "2030-01-01T09:00:00Z",
) -> dict[str, Any]:
    """A final visit with one closed revision per id (each on the one before), these answers and
    automatic indicators."""
    rows, parent = [], None
    for index, rev_id in enumerate(revisions):
        rows.append(_revision(rev_id, parent, at, "final" if index == 0 else "addendum"))
        parent = rev_id
    return {
        "visit": {
            "id": VISIT_ID,
            "form_id": "prostitution",
            "form_version": 1,
            "location_id": "33333333-3333-4333-8333-333333333333",
            "visit_type": "regulier",
            "started_at": "2030-01-01T08:00:00Z",
            "ended_at": None,
            "inspectors": "[]",
            "partners": "[]",
            "legal_ground": None,
            "status": "final",
            "finalized_at": "2030-01-01T09:00:00Z",
            "finalized_by": "account:test",
            "head_rev": revisions[-1],
            "device_id": "22222222-2222-4222-8222-222222222222",
            "created_by": "account:test",
            "created_at": "2030-01-01T08:00:00Z",
            "updated_at": at,
            "acute": 0,
            "count_h": 0,
            "count_m": sum(1 for o in observations if o["active"] and not o["dismissed"]),
            "count_l": 0,
        },
        "answers": [
            {
                "visit_id": VISIT_ID,
                "question_id": question,
                "person_number": 0,
                "value": None if value is None else json.dumps(value),
                "note": "",
                "updated_at": at,
            }
            for question, value in sorted(answers.items())
        ],
        "persons": [],
        "indicator_observations": observations,
        "photos": [],
        "referrals": [],
        "visit_revisions": rows,
    }


BASE = _visit([BASE_REV], {"PB-05": "yes", "H-03": "1111 AA"}, [])
OFFICE_REV = "00000000-0000-4000-8000-00000000000a"
LAPTOP_REV = "00000000-0000-4000-8000-00000000000b"
LAPTOP_BACK = "00000000-0000-4000-8000-00000000000c"
# The office answered PB-05 "no", which raised the indicator; the laptop did the same and changed it
# back, so its row was raised and withdrawn (kept inactive, as `signals.ledger.reconcile` keeps it).
OFFICE = _visit(
    [BASE_REV, OFFICE_REV], {"PB-05": "no", "H-03": "1111 AA"}, [_observation("sex.no_manager_present")]
)
LAPTOP = _visit(
    [BASE_REV, LAPTOP_REV, LAPTOP_BACK],
    {"PB-05": "yes", "H-03": "2222 BB"},
    [_observation("sex.no_manager_present", active=0)],
)


def _standing(snapshot: Mapping[str, Any]) -> dict[str, int]:
    return {str(r["slug"]): int(r["active"]) for r in snapshot["indicator_observations"]}


def test_a_withdrawn_row_against_a_standing_one_is_no_conflict() -> None:
    """The answers merge (PB-05 from the office, H-03 from the laptop); the rules, run on exactly
    those answers, say the indicator stands: no conflict, and it stands with the rules' reasons."""
    seen: list[dict[str, Any]] = []

    def derive(snapshot: dict[str, Any]) -> dict[str, Raised]:
        seen.append({a["question_id"]: a["value"] for a in snapshot["answers"]})
        standing = (
            json.loads(next(a["value"] for a in snapshot["answers"] if a["question_id"] == "PB-05")) == "no"
        )
        return {"sex.no_manager_present": Raised("H", ("PB-05",), ("R-7",))} if standing else {}

    for prefer in ("office", "laptop"):
        result = merge_snapshots(BASE, {"office": OFFICE, "laptop": LAPTOP}, prefer, derive=derive)
        assert result.conflicts == ()
        assert seen[-1] == {"PB-05": json.dumps("no"), "H-03": json.dumps("2222 BB")}
        [row] = result.snapshot["indicator_observations"]
        assert (row["active"], row["weight"], row["raised_by"], row["rule_ids"]) == (
            1,
            "H",
            '["PB-05"]',
            '["R-7"]',
        )
        assert result.snapshot["visit"]["count_h"] == 1 and result.snapshot["visit"]["count_m"] == 0


def test_without_derive_a_side_with_the_merged_answers_decides() -> None:
    """No checklist to run (no `derive`): the indicators of the side whose answers are the merged
    ones, here the office's (the laptop changed PB-05 and back, so its net change is none)."""
    laptop = _visit(
        [BASE_REV, LAPTOP_REV, LAPTOP_BACK],
        {"PB-05": "yes", "H-03": "1111 AA"},
        [_observation("sex.no_manager_present", active=0)],
    )
    for prefer in ("office", "laptop"):
        result = merge_snapshots(BASE, {"office": OFFICE, "laptop": laptop}, prefer)
        assert result.conflicts == ()
        assert _standing(result.snapshot) == {"sex.no_manager_present": 1}


def test_an_indicator_the_merged_answers_raise_but_no_side_held_is_added_the_same_everywhere() -> None:
    """Two answers that raise an indicator only together, each changed on one side: the merge adds
    it, with an id named by visit and slug, so every office holds the same row."""

    def derive(snapshot: dict[str, Any]) -> dict[str, Raised]:
        values = {a["question_id"]: json.loads(a["value"]) for a in snapshot["answers"] if a["value"]}
        return (
            {"lab.both": Raised("M", ("H-03", "PB-05"), ("R-9",))}
            if values == {"PB-05": "no", "H-03": "2222 BB"}
            else {}
        )

    office = _visit([BASE_REV, OFFICE_REV], {"PB-05": "no", "H-03": "1111 AA"}, [], "2030-01-02T10:00:00Z")
    laptop = _visit([BASE_REV, LAPTOP_REV], {"PB-05": "yes", "H-03": "2222 BB"}, [], "2030-01-03T10:00:00Z")
    one = merge_snapshots(BASE, {"office": office, "laptop": laptop}, "office", derive=derive)
    other = merge_snapshots(BASE, {"b": laptop, "a": office}, "b", derive=derive)
    assert one.conflicts == () == other.conflicts
    assert one.snapshot["indicator_observations"] == other.snapshot["indicator_observations"]
    [row] = one.snapshot["indicator_observations"]
    assert (row["slug"], row["active"], row["created_by"], row["created_at"]) == (
        "lab.both",
        1,
        "sync",
        "2030-01-03T10:00:00Z",
    )


def test_a_dismissal_survives_the_rules_and_two_different_ones_conflict() -> None:
    """What a person did with an indicator is a field: one side's dismissal merges (and is kept on the
    row the rules keep standing or withdraw), two different reasons are an open conflict."""
    dismissed: dict[str, Any] = {
        "dismissed": 1,
        "dismiss_reason": "Beheerder was telefonisch bereikbaar.",
        "dismissed_by": "account:a",
        "dismissed_at": "2030-01-02T10:00:00Z",
    }
    base = _visit([BASE_REV], {"PB-05": "no", "H-03": "1111 AA"}, [_observation("sex.no_manager_present")])
    office = _visit(
        [BASE_REV, OFFICE_REV],
        {"PB-05": "no", "H-03": "2222 BB"},
        [_observation("sex.no_manager_present", **dismissed)],
    )
    laptop = _visit(
        [BASE_REV, LAPTOP_REV], {"PB-05": "no", "H-03": "1111 AA"}, [_observation("sex.no_manager_present")]
    )
    result = merge_snapshots(
        base,
        {"office": office, "laptop": laptop},
        "laptop",
        derive=lambda _s: {"sex.no_manager_present": Raised("M", ("PB-05",), ("R-sex.no_manager_present",))},
    )
    assert result.conflicts == ()
    [row] = result.snapshot["indicator_observations"]
    assert (row["dismissed"], row["active"]) == (1, 1)
    assert result.snapshot["visit"]["count_m"] == 0  # a dismissed indicator does not count

    other = _visit(
        [BASE_REV, LAPTOP_REV],
        {"PB-05": "no", "H-03": "1111 AA"},
        [_observation("sex.no_manager_present", **{**dismissed, "dismiss_reason": "Anders."})],
    )
    clash = merge_snapshots(base, {"office": office, "laptop": other}, "laptop")
    assert [c.key for c in clash.conflicts] == ["indicator:sex.no_manager_present/auto"]


@pytest.mark.parametrize("derive", [None, lambda _snapshot: None])
def test_without_the_rules_or_a_side_with_the_merged_answers_no_signal_is_dropped(derive: Any) -> None:
    """No checklist here and no side with the merged answers: each indicator is merged against the
    ancestor. One side withdrawing what the ancestor raised is taken; two sides that concluded
    differently give the standing one at the strongest weight."""
    result = merge_snapshots(BASE, {"office": OFFICE, "laptop": LAPTOP}, "laptop", derive=derive)
    assert result.conflicts == ()
    assert _standing(result.snapshot) == {"sex.no_manager_present": 1}

    raised = _visit([BASE_REV], {"PB-05": "no", "H-03": "1111 AA"}, [_observation("sex.no_manager_present")])
    withdrawn = _visit(
        [BASE_REV, OFFICE_REV],
        {"PB-05": "yes", "H-03": "1111 AA"},
        [_observation("sex.no_manager_present", active=0)],
    )
    untouched = _visit(
        [BASE_REV, LAPTOP_REV], {"PB-05": "no", "H-03": "2222 BB"}, [_observation("sex.no_manager_present")]
    )
    one = merge_snapshots(raised, {"office": withdrawn, "laptop": untouched}, "laptop", derive=derive)
    assert _standing(one.snapshot) == {"sex.no_manager_present": 0}

    stronger = _visit(
        [BASE_REV, LAPTOP_REV],
        {"PB-05": "no", "H-03": "2222 BB"},
        [_observation("sex.no_manager_present", weight="H", refs=("PB-05", "H-03"))],
    )
    both = merge_snapshots(raised, {"office": withdrawn, "laptop": stronger}, "office", derive=derive)
    [row] = both.snapshot["indicator_observations"]
    assert (row["active"], row["weight"]) == (1, "H")


def test_a_withdrawn_indicator_keeps_what_the_finalised_side_signed() -> None:
    """An inactive row's weight and reasons are part of a finalised visit's content hash: when the
    merge withdraws or keeps an indicator withdrawn, they come from the side finalised after the
    ancestor, whichever side the row's field was read from, so the signed content stays intact."""
    base = _visit(
        [BASE_REV], {"PB-05": "yes", "H-03": "1111 AA"}, [_observation("sex.no_manager_present", active=0)]
    )
    signed = _visit(
        [BASE_REV, OFFICE_REV],
        {"PB-05": "yes", "H-03": "1111 AA"},
        [_observation("sex.no_manager_present", active=0, weight="M", refs=("PB-05",))],
    )
    signed["visit_revisions"][-1]["kind"] = "final"  # finalised after the ancestor
    other = _visit(
        [BASE_REV, LAPTOP_REV],
        {"PB-05": "yes", "H-03": "1111 AA"},
        [_observation("sex.no_manager_present", active=0, weight="H", refs=("PB-05", "H-03"))],
    )
    for prefer in ("a", "b"):
        result = merge_snapshots(base, {"a": other, "b": signed}, prefer, derive=lambda _s: {})
        assert result.conflicts == ()
        [row] = result.snapshot["indicator_observations"]
        assert (row["active"], row["weight"], row["raised_by"]) == (0, "M", '["PB-05"]')


def test_the_rules_of_a_checklist_version_not_here_are_none(tmp_path: Path) -> None:
    """`rules_of` says None for a visit whose checklist version this office lacks (the merge then
    falls back as above); a shipped checklist's rules run on the snapshot's answers."""
    unknown = json.loads(json.dumps(OFFICE))
    unknown["visit"]["form_version"] = 999
    assert rules_of(tmp_path)(unknown) is None
    known = json.loads(json.dumps(OFFICE))
    form = load_all_forms(data_dir=tmp_path)["prostitution_business"]
    known["visit"]["form_id"], known["visit"]["form_version"] = form.id, form.version
    raised = rules_of(tmp_path)(known)
    assert raised is not None  # PB-05 "no": no manager present, as the checklist's rules say
    assert "sex.no_manager_present" in raised
