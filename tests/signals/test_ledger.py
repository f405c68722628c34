"""The indicator ledger, table-driven: reconcile, tick, dismiss, standing and counts.

Rows are written as short specs so each table line reads as a situation: which observations a visit
holds, what the rules raise now, and what must change.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.domain.model import IndicatorSource, RaisedIndicator, Weight
from inspector_app.domain.records import ObservationRow
from inspector_app.forms.state import FormState, ScopeState
from inspector_app.signals import ledger
from inspector_app.signals.ledger import ObservationDiff, StandingIndicator
from inspector_app.signals.rules import RuleOutcome

H, M, L = Weight.HIGH, Weight.MEDIUM, Weight.LOW
AT, LATER, ACTOR = "2026-11-20T21:30:00Z", "2026-11-20T22:00:00Z", "Toezichthouder 1001"
DEBT, FEAR, MINOR = "gen.debt", "gen.fear", "gen.minor"
EMPTY_STATE = FormState(ScopeState(frozenset(), {}, {}), {})


def obs(
    slug: str,
    source: str = "auto",
    weight: Weight = L,
    refs: tuple[str, ...] = ("PB-01",),
    *,
    active: bool = True,
    dismissed: bool = False,
    note: str = "",
) -> ObservationRow:
    """An observation; the id is derived from slug and source so tables can name rows."""
    return ObservationRow(
        id=f"{slug}/{source}",
        slug=slug,
        source=IndicatorSource(source),
        weight=weight,
        raised_by=list(refs) if source == "auto" else [],
        rule_ids=[f"r-{slug}"] if source == "auto" else [],
        active=active,
        note=note,
        dismissed=dismissed,
        dismiss_reason="past reason" if dismissed else None,
        dismissed_by="Toezichthouder 1002" if dismissed else None,
        dismissed_at=AT if dismissed else None,
        created_at=AT,
        created_by="Toezichthouder 1002",
    )


def outcome(*raised: tuple[str, Weight, tuple[str, ...]]) -> RuleOutcome:
    indicators = tuple(RaisedIndicator(slug, weight, refs, (f"r-{slug}",)) for slug, weight, refs in raised)
    return RuleOutcome(indicators, (), (), EMPTY_STATE)


def keyed(rows: list[ObservationRow]) -> dict[tuple[str, str], ObservationRow]:
    return {(row.slug, row.source): row for row in rows}


def standing_of(rows: list[ObservationRow]) -> dict[str, Weight]:
    return {indicator.slug: indicator.weight for indicator in ledger.standing(rows)}


# ------------------------------------------------------------------------------------ reconcile

RECONCILE = [
    # (case, existing rows, raised now, added, updated, cleared, actions, raised, removed, standing after)
    ("nothing raised, nothing held", [], [], [], [], [], [], (), (), {}),
    ("a new raise", [], [(DEBT, M, ("PB-19",))], [DEBT], [], [], ["indicator.raised"], (DEBT,), (), {DEBT: M}),
    ("raised as before", [obs(DEBT, weight=M, refs=("PB-19",))], [(DEBT, M, ("PB-19",))], [], [], [], [], (), (),
     {DEBT: M}),
    ("weight upgrade L to H", [obs(DEBT)], [(DEBT, H, ("PB-01",))], [], [DEBT], [], ["indicator.raised"], (), (),
     {DEBT: H}),
    ("weight downgrade H to L", [obs(DEBT, weight=H)], [(DEBT, L, ("PB-01",))], [], [DEBT], [],
     ["indicator.raised"], (), (), {DEBT: L}),
    ("no longer raised", [obs(DEBT)], [], [], [], [DEBT], ["indicator.cleared"], (), (DEBT,), {}),
    ("inactive and still not raised", [obs(DEBT, active=False)], [], [], [], [], [], (), (), {}),
    ("raised again after clearing", [obs(DEBT, active=False)], [(DEBT, L, ("PB-01",))], [], [DEBT], [],
     ["indicator.raised"], (DEBT,), (), {DEBT: L}),
    ("dismissed, cleared: the dismissal stays", [obs(DEBT, dismissed=True)], [], [], [], [DEBT],
     ["indicator.cleared"], (), (DEBT,), {}),
    ("dismissed, re-raised: still dismissed", [obs(DEBT, active=False, dismissed=True)], [(DEBT, L, ("PB-01",))],
     [], [DEBT], [], ["indicator.raised"], (DEBT,), (), {}),
    ("a manual tick is not the rules' business", [obs(DEBT, "manual", M)], [], [], [], [], [], (), (), {DEBT: M}),
    ("auto and manual of one slug: one indicator, strongest weight", [obs(DEBT, "manual", M)],
     [(DEBT, L, ("PB-01",))], [DEBT], [], [], ["indicator.raised"], (DEBT,), (), {DEBT: M}),
    ("auto and manual, auto stronger", [obs(DEBT, "manual", M)], [(DEBT, H, ("PB-01",))], [DEBT], [], [],
     ["indicator.raised"], (DEBT,), (), {DEBT: H}),
    ("person-scoped: one of two persons removed", [obs(MINOR, weight=H, refs=("P-AGE[2]", "P-AGE[3]"))],
     [(MINOR, H, ("P-AGE[3]",))], [], [MINOR], [], ["indicator.raised"], (), (), {MINOR: H}),
    ("person-scoped: the last person removed", [obs(MINOR, weight=H, refs=("P-AGE[3]",))], [], [], [], [MINOR],
     ["indicator.cleared"], (), (MINOR,), {}),
    ("several at once, sorted", [obs(FEAR), obs(DEBT, active=False)],
     [(MINOR, H, ("P-AGE[1]",)), (DEBT, M, ("PB-19",))], [MINOR], [DEBT], [FEAR],
     ["indicator.cleared", "indicator.raised", "indicator.raised"], (DEBT, MINOR), (FEAR,), {DEBT: M, MINOR: H}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("existing", "raised", "added", "updated", "cleared", "actions", "raised_slugs", "removed", "after"),
    [case[1:] for case in RECONCILE],
    ids=[case[0] for case in RECONCILE],
)
def test_reconcile(
    existing: list[ObservationRow],
    raised: list[tuple[str, Weight, tuple[str, ...]]],
    added: list[str],
    updated: list[str],
    cleared: list[str],
    actions: list[str],
    raised_slugs: tuple[str, ...],
    removed: tuple[str, ...],
    after: dict[str, Weight],
) -> None:
    diff = ledger.reconcile(existing, outcome(*raised), LATER, ACTOR)
    assert [row.slug for row in diff.added] == added
    assert [before.slug for before, _after in diff.updated] == updated
    assert [before.slug for before, _after in diff.cleared] == cleared
    assert [event.action for event in diff.events] == actions
    assert (diff.raised, diff.removed) == (raised_slugs, removed)
    result = diff.applied(keyed(existing))
    assert standing_of(list(result.values())) == after
    # what the rules raise is exactly what the auto rows say now, dismissals untouched
    for slug, weight, refs in raised:
        row = result[(slug, "auto")]
        assert (row.weight, row.raised_by, row.active) == (weight.value, list(refs), True)
    for row in existing:
        assert result[(row.slug, row.source)].dismissed == row.dismissed
        if row.source == "manual":
            assert result[(row.slug, row.source)] == row


def test_reconcile_audit_payloads_and_new_rows() -> None:
    existing = [obs(DEBT), obs(FEAR)]
    diff = ledger.reconcile(existing, outcome((DEBT, M, ("PB-19",)), (MINOR, H, ("P-AGE[1]",))), LATER, ACTOR)
    updated, cleared, new = diff.events
    assert (updated.observation_id, updated.old, updated.new) == (
        "gen.debt/auto",
        {"weight": "L", "raised_by": ["PB-01"], "active": True},
        {"weight": "M", "raised_by": ["PB-19"]},
    )
    assert (cleared.observation_id, cleared.old, cleared.new) == (
        "gen.fear/auto",
        {"slug": FEAR, "raised_by": ["PB-01"]},
        None,
    )
    [row] = diff.added
    assert (new.observation_id, new.old, new.new) == (
        row.id,
        None,
        {"slug": MINOR, "weight": "H", "raised_by": ["P-AGE[1]"]},
    )
    assert (row.source, row.created_at, row.created_by, row.rule_ids, row.counts) == (
        "auto",
        LATER,
        ACTOR,
        [f"r-{MINOR}"],
        True,
    )
    assert diff.applied({}) == {
        (MINOR, "auto"): row,
        (DEBT, "auto"): diff.updated[0][1],
        (FEAR, "auto"): diff.cleared[0][1],
    }


# ------------------------------------------------------------------------------------ tick, dismiss

TICK = [
    # (case, existing rows, standing after, event old payload)
    ("first tick", [], {DEBT: M}, None),
    ("tick beside an auto L", [obs(DEBT)], {DEBT: M}, None),
    ("re-tick after dismissal stands again", [obs(DEBT, "manual", M, dismissed=True, note="old")], {DEBT: M},
     {"note": "old", "dismissed": True}),
    ("re-tick of a dismissed auto: only the manual stands", [obs(DEBT, weight=H, dismissed=True)], {DEBT: M}, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("existing", "after", "old"), [case[1:] for case in TICK], ids=[case[0] for case in TICK]
)
def test_tick(existing: list[ObservationRow], after: dict[str, Weight], old: object) -> None:
    diff = ledger.tick(existing, DEBT, M, "Zegt schuld te hebben bij de beheerder.", LATER, ACTOR)
    [event] = diff.events
    assert (event.action, event.old, diff.raised, diff.removed) == ("indicator.ticked", old, (DEBT,), ())
    result = diff.applied(keyed(existing))
    manual = result[(DEBT, "manual")]
    assert (manual.note, manual.dismissed, manual.dismiss_reason, manual.counts) == (
        "Zegt schuld te hebben bij de beheerder.",
        False,
        None,
        True,
    )
    assert standing_of(list(result.values())) == after


DISMISS = [
    # (case, existing rows, rows dismissed, standing after)
    ("nothing stands", [], [], {}),
    ("only a dismissed one", [obs(DEBT, dismissed=True)], [], {}),
    ("an inactive one", [obs(DEBT, active=False)], [], {}),
    ("auto", [obs(DEBT), obs(FEAR)], ["gen.debt/auto"], {FEAR: L}),
    ("auto and manual together", [obs(DEBT), obs(DEBT, "manual", M)], ["gen.debt/auto", "gen.debt/manual"], {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("existing", "dismissed", "after"), [case[1:] for case in DISMISS], ids=[case[0] for case in DISMISS]
)
def test_dismiss(existing: list[ObservationRow], dismissed: list[str], after: dict[str, Weight]) -> None:
    diff = ledger.dismiss(existing, DEBT, "Werkt hier één avond.", LATER, ACTOR)
    assert [event.observation_id for event in diff.events] == dismissed
    assert diff.removed == ((DEBT,) if dismissed else ())
    for _before, row in diff.updated:
        assert (row.dismissed, row.dismiss_reason, row.dismissed_by, row.dismissed_at) == (
            True,
            "Werkt hier één avond.",
            ACTOR,
            LATER,
        )
    assert all(event.new == {"dismissed": True, "reason": "Werkt hier één avond."} for event in diff.events)
    assert standing_of(list(diff.applied(keyed(existing)).values())) == after


RESTORE = [
    # (case, existing rows, rows restored, standing after)
    ("nothing dismissed", [obs(DEBT)], [], {DEBT: L}),
    ("another slug dismissed", [obs(FEAR, dismissed=True)], [], {}),
    ("dismissed but no longer raised", [obs(DEBT, active=False, dismissed=True)], [], {}),
    ("a dismissed auto", [obs(DEBT, weight=M, dismissed=True), obs(FEAR)], ["gen.debt/auto"], {DEBT: M, FEAR: L}),
    ("auto and manual dismissed together", [obs(DEBT, dismissed=True), obs(DEBT, "manual", M, dismissed=True)],
     ["gen.debt/auto", "gen.debt/manual"], {DEBT: M}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("existing", "restored", "after"), [case[1:] for case in RESTORE], ids=[case[0] for case in RESTORE]
)
def test_restore(existing: list[ObservationRow], restored: list[str], after: dict[str, Weight]) -> None:
    """Undoing a dismissal: the rows stand again, the old reason goes into the audit event's `old`."""
    diff = ledger.restore(existing, DEBT, "Toch geen studieschuld.", LATER, ACTOR)
    assert [event.observation_id for event in diff.events] == restored
    assert diff.raised == ((DEBT,) if restored else ())
    for _before, row in diff.updated:
        assert (row.dismissed, row.dismiss_reason, row.dismissed_by, row.dismissed_at) == (
            False,
            None,
            None,
            None,
        )
    for event in diff.events:
        assert event.old == {"dismissed": True, "reason": "past reason"}
        assert event.new == {
            "dismissed": False,
            "reason": "Toch geen studieschuld.",
            "by": ACTOR,
            "at": LATER,
        }
    assert standing_of(list(diff.applied(keyed(existing)).values())) == after


# --------------------------------------------------------------------------------- standing, counts

STANDING = [
    # (case, rows, standing (slug, weight, row ids), counts H/M/L)
    ("empty", [], [], (0, 0, 0)),
    ("dismissed and inactive rows do not stand", [obs(DEBT, dismissed=True), obs(FEAR, active=False)], [],
     (0, 0, 0)),
    ("auto L and manual M of one slug count once, as M", [obs(DEBT), obs(DEBT, "manual", M)],
     [(DEBT, M, ["gen.debt/auto", "gen.debt/manual"])], (0, 1, 0)),
    ("manual M first, auto H second: H", [obs(DEBT, "manual", M), obs(DEBT, weight=H)],
     [(DEBT, H, ["gen.debt/manual", "gen.debt/auto"])], (1, 0, 0)),
    ("a dismissed auto beside a standing manual", [obs(DEBT, weight=H, dismissed=True), obs(DEBT, "manual", M)],
     [(DEBT, M, ["gen.debt/manual"])], (0, 1, 0)),
    ("one per slug, sorted by slug", [obs(MINOR, weight=H), obs(FEAR), obs(DEBT, weight=M)],
     [(DEBT, M, ["gen.debt/auto"]), (FEAR, L, ["gen.fear/auto"]), (MINOR, H, ["gen.minor/auto"])], (1, 1, 1)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "expected", "figures"), [case[1:] for case in STANDING], ids=[case[0] for case in STANDING]
)
def test_standing_and_counts(
    rows: list[ObservationRow], expected: list[tuple[str, Weight, list[str]]], figures: tuple[int, int, int]
) -> None:
    standing = ledger.standing(rows)
    assert [(i.slug, i.weight, [row.id for row in i.observations]) for i in standing] == expected
    counts = ledger.counts(standing)
    assert (counts[H], counts[M], counts[L]) == figures


def test_raised_by_merges_the_refs_of_all_rows_once() -> None:
    auto = obs(MINOR, weight=H, refs=("P-AGE[2]", "P-AGE[3]"))
    other = replace(obs(MINOR, "manual", M), raised_by=["P-AGE[3]", "PB-19[3]"])
    [indicator] = ledger.standing([auto, other])
    assert indicator.raised_by == ("P-AGE[2]", "P-AGE[3]", "PB-19[3]")


def test_merge_of_plain_indicators_keeps_the_strongest_and_counts_every_weight() -> None:
    merged = ledger.merge(
        [StandingIndicator(DEBT, L), StandingIndicator(DEBT, H), StandingIndicator(DEBT, M)]
    )
    assert merged == [StandingIndicator(DEBT, H)]
    assert ledger.counts(merged) == {H: 1, M: 0, L: 0}


# ------------------------------------------------------------------------------------- properties

SLUGS = (DEBT, FEAR, MINOR)
held_rows = st.lists(
    st.builds(
        obs,
        st.sampled_from(SLUGS),
        st.sampled_from(("auto", "manual")),
        st.sampled_from(tuple(Weight)),
        st.lists(st.sampled_from(("PB-01", "PB-19[1]", "P-AGE[2]")), min_size=1, max_size=2, unique=True).map(
            tuple
        ),
        active=st.booleans(),
        dismissed=st.booleans(),
    ),
    max_size=6,
    unique_by=lambda row: (row.slug, row.source),
).map(lambda rows: [replace(row, active=True) if row.source == "manual" else row for row in rows])
"""Observations a visit can hold: a manual tick is always active (only the rules clear auto rows)."""
raised_now = st.lists(
    st.tuples(
        st.sampled_from(SLUGS),
        st.sampled_from(tuple(Weight)),
        st.lists(st.sampled_from(("PB-01", "PB-19[1]", "P-AGE[2]")), min_size=1, max_size=2, unique=True).map(
            tuple
        ),
    ),
    max_size=3,
    unique_by=lambda item: item[0],
)


@given(held_rows, raised_now)
def test_reconcile_is_idempotent_and_the_auto_rows_follow_the_rules(
    existing: list[ObservationRow], raised: list[tuple[str, Weight, tuple[str, ...]]]
) -> None:
    rules = outcome(*raised)
    after = ledger.reconcile(existing, rules, LATER, ACTOR).applied(keyed(existing))
    assert ledger.reconcile(after.values(), rules, LATER, ACTOR) == ObservationDiff()
    active_auto = {slug for (slug, source), row in after.items() if source == "auto" and row.active}
    assert active_auto == {slug for slug, _weight, _refs in raised}
    # one standing indicator per slug, at the strongest weight of its standing rows
    for indicator in ledger.standing(after.values()):
        rows = [row for row in after.values() if row.slug == indicator.slug and row.counts]
        assert indicator.weight is Weight.strongest([Weight(row.weight) for row in rows])
