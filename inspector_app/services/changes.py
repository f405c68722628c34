"""What a use case changed, so the UI refreshes only that and the CLI can report it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Changes:
    visit_id: str
    saved_at: str = ""
    answers: tuple[str, ...] = ()
    persons: tuple[int, ...] = ()
    indicators_added: tuple[str, ...] = ()
    indicators_removed: tuple[str, ...] = ()
    observations_changed: bool = False
    status_changed: bool = False
    referrals: tuple[str, ...] = ()

    @property
    def nothing(self) -> bool:
        return not (
            self.answers or self.persons or self.observations_changed or self.status_changed or self.referrals
        )

    def __or__(self, other: Changes) -> Changes:
        """Everything two writes of the same visit changed, so a use case that calls others reports it all.

        Tuples keep their first-seen order without repeats; the later save time wins.
        """
        if other.visit_id != self.visit_id:
            raise ValueError(f"cannot merge changes of visits {self.visit_id} and {other.visit_id}")

        def union(first: tuple[Any, ...], second: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(dict.fromkeys((*first, *second)))

        return Changes(
            self.visit_id,
            max(self.saved_at, other.saved_at),
            union(self.answers, other.answers),
            union(self.persons, other.persons),
            union(self.indicators_added, other.indicators_added),
            union(self.indicators_removed, other.indicators_removed),
            self.observations_changed or other.observations_changed,
            self.status_changed or other.status_changed,
            union(self.referrals, other.referrals),
        )
