"""The indicator ledger of a visit: how its observations change, and which indicators stand.

Pure functions over `ObservationRow`s, without storage. `reconcile`, `tick` and `dismiss` say how the
observations change (an `ObservationDiff` with the audit payload of every change), which the visit
session writes in one transaction. `standing` and `counts` are the one definition of "which
indicators stand, at which weight": one per slug, at its strongest weight, auto and manual merged,
dismissed ones left out. The visit list, the signal panel, the advice and the signal form all count
through them, so they cannot disagree about the same visit.

An auto observation that the rules stop raising is kept as inactive (with any dismissal), so
changing an answer back and forth never loses a dismissal reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from inspector_app.domain.model import IndicatorSource, Weight
from inspector_app.domain.records import ObservationRow
from inspector_app.signals.rules import RuleOutcome

AUTO = IndicatorSource.AUTO
MANUAL = IndicatorSource.MANUAL

ObservationKey = tuple[str, str]
"""(slug, source): a visit holds at most one observation per slug and source."""


@dataclass(frozen=True)
class LedgerEvent:
    """The audit payload of one observation change: action, observation id, before and after."""

    action: str
    observation_id: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ObservationDiff:
    """What one write changes in a visit's observations, and what the audit log records for it.

    `updated` and `cleared` hold (before, after) pairs so the writer stores only what differs.
    `raised` and `removed` are the slugs this write raises and sets aside, for the `Changes` value.
    """

    added: tuple[ObservationRow, ...] = ()
    updated: tuple[tuple[ObservationRow, ObservationRow], ...] = ()
    cleared: tuple[tuple[ObservationRow, ObservationRow], ...] = ()
    events: tuple[LedgerEvent, ...] = ()
    raised: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def applied(
        self, observations: Mapping[ObservationKey, ObservationRow]
    ) -> dict[ObservationKey, ObservationRow]:
        """The observations after this diff, keyed by (slug, source); the input is left as it was."""
        result = dict(observations)
        for row in self.added:
            result[(row.slug, row.source)] = row
        for _before, after in (*self.updated, *self.cleared):
            result[(after.slug, after.source)] = after
        return result


@dataclass(frozen=True)
class StandingIndicator:
    """An indicator that counts for the visit: raised or ticked, and not dismissed.

    `observations` are the standing rows behind it (an auto row, a manual row, or both); `weight` is
    the strongest of theirs.
    """

    slug: str
    weight: Weight
    observations: tuple[ObservationRow, ...] = ()

    @property
    def raised_by(self) -> tuple[str, ...]:
        """The answer refs behind the indicator, each once, in the order the rows give them."""
        return tuple(dict.fromkeys(ref for row in self.observations for ref in row.raised_by))


def merge(indicators: Iterable[StandingIndicator]) -> list[StandingIndicator]:
    """One indicator per slug at its strongest weight, with all rows behind it; sorted by slug."""
    merged: dict[str, StandingIndicator] = {}
    for indicator in indicators:
        current = merged.get(indicator.slug)
        if current is None:
            merged[indicator.slug] = indicator
            continue
        weight = indicator.weight if indicator.weight.rank > current.weight.rank else current.weight
        merged[indicator.slug] = StandingIndicator(
            indicator.slug, weight, current.observations + indicator.observations
        )
    return [merged[slug] for slug in sorted(merged)]


def standing(observations: Iterable[ObservationRow]) -> list[StandingIndicator]:
    """The indicators that stand, one per slug at its strongest weight; dismissed ones excluded."""
    return merge(
        StandingIndicator(row.slug, Weight(row.weight), (row,)) for row in observations if row.counts
    )


def counts(indicators: Iterable[StandingIndicator]) -> dict[Weight, int]:
    """How many indicators stand at each weight (every weight present, zero if none)."""
    result = dict.fromkeys(Weight, 0)
    for indicator in indicators:
        result[indicator.weight] += 1
    return result


def reconcile(
    observations: Iterable[ObservationRow], outcome: RuleOutcome, at: str, actor: str
) -> ObservationDiff:
    """Make the auto observations match what the rules raise now; dismissals and manual rows stay."""
    wanted = {indicator.slug: indicator for indicator in outcome.indicators}
    auto = {row.slug: row for row in observations if row.source == AUTO}
    added: list[ObservationRow] = []
    updated: list[tuple[ObservationRow, ObservationRow]] = []
    cleared: list[tuple[ObservationRow, ObservationRow]] = []
    events: list[LedgerEvent] = []
    raised: list[str] = []
    removed: list[str] = []
    for slug, row in auto.items():
        indicator = wanted.get(slug)
        if indicator is None:
            if row.active:
                cleared.append((row, replace(row, active=False)))
                removed.append(slug)
                events.append(
                    LedgerEvent("indicator.cleared", row.id, {"slug": slug, "raised_by": row.raised_by}, None)
                )
            continue
        after = replace(
            row,
            weight=indicator.weight,
            raised_by=list(indicator.raised_by),
            rule_ids=list(indicator.rule_ids),
            active=True,
        )
        if after == row:
            continue
        updated.append((row, after))
        if not row.active:
            raised.append(slug)
        events.append(
            LedgerEvent(
                "indicator.raised",
                row.id,
                {"weight": row.weight, "raised_by": row.raised_by, "active": row.active},
                {"weight": after.weight, "raised_by": after.raised_by},
            )
        )
    for slug, indicator in wanted.items():
        if slug in auto:
            continue
        new = ObservationRow.new(
            slug,
            AUTO,
            indicator.weight,
            at,
            actor,
            raised_by=indicator.raised_by,
            rule_ids=indicator.rule_ids,
        )
        added.append(new)
        raised.append(slug)
        events.append(
            LedgerEvent(
                "indicator.raised",
                new.id,
                None,
                {"slug": slug, "weight": new.weight, "raised_by": new.raised_by},
            )
        )
    return ObservationDiff(
        tuple(added),
        tuple(updated),
        tuple(cleared),
        tuple(events),
        tuple(sorted(raised)),
        tuple(sorted(removed)),
    )


def tick(
    observations: Iterable[ObservationRow], slug: str, weight: Weight, note: str, at: str, actor: str
) -> ObservationDiff:
    """Record an indicator by hand (at its catalogue weight); a dismissed tick stands again."""
    existing = next((row for row in observations if row.slug == slug and row.source == MANUAL), None)
    if existing is None:
        row = ObservationRow.new(slug, MANUAL, weight, at, actor, note=note)
        event = LedgerEvent("indicator.ticked", row.id, None, {"slug": slug, "note": note})
        return ObservationDiff(added=(row,), events=(event,), raised=(slug,))
    after = replace(
        existing, note=note, dismissed=False, dismiss_reason=None, dismissed_by=None, dismissed_at=None
    )
    event = LedgerEvent(
        "indicator.ticked",
        existing.id,
        {"note": existing.note, "dismissed": existing.dismissed},
        {"note": note, "dismissed": False},
    )
    return ObservationDiff(updated=((existing, after),), events=(event,), raised=(slug,))


def dismiss(
    observations: Iterable[ObservationRow], slug: str, reason: str, at: str, actor: str
) -> ObservationDiff:
    """Set aside every standing observation of a slug, with the reason; empty if none stands."""
    rows = [row for row in observations if row.slug == slug and row.counts]
    if not rows:
        return ObservationDiff()
    return ObservationDiff(
        updated=tuple(
            (row, replace(row, dismissed=True, dismiss_reason=reason, dismissed_by=actor, dismissed_at=at))
            for row in rows
        ),
        events=tuple(
            LedgerEvent(
                "indicator.dismissed", row.id, {"dismissed": False}, {"dismissed": True, "reason": reason}
            )
            for row in rows
        ),
        removed=(slug,),
    )


def restore(
    observations: Iterable[ObservationRow], slug: str, reason: str, at: str, actor: str
) -> ObservationDiff:
    """Undo the dismissal of a slug: its dismissed rows stand again; empty if none is dismissed.

    The dismissal reason leaves the row but stays in the audit log (the `old` of the event), beside
    why it was undone, so the record of both decisions is kept. `at` and `actor` are in the event.
    """
    rows = [row for row in observations if row.slug == slug and row.dismissed]
    if not any(row.active for row in rows):
        return ObservationDiff()
    return ObservationDiff(
        updated=tuple(
            (row, replace(row, dismissed=False, dismiss_reason=None, dismissed_by=None, dismissed_at=None))
            for row in rows
        ),
        events=tuple(
            LedgerEvent(
                "indicator.restored",
                row.id,
                {"dismissed": True, "reason": row.dismiss_reason},
                {"dismissed": False, "reason": reason, "by": actor, "at": at},
            )
            for row in rows
        ),
        raised=(slug,) if any(row.active for row in rows) else (),
    )
