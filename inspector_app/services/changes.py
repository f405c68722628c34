"""What a use case changed, so the UI refreshes only that and the CLI can report it."""

from __future__ import annotations

from dataclasses import dataclass


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
