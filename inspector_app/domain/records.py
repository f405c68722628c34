"""Records shared by the pure core and the store: an indicator observation of a visit.

They live in `domain` rather than `storage` so the pure indicator ledger (`signals.ledger`) can work
on them without importing the store; `storage.records` re-exports them for its callers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ObservationRow:
    id: str
    slug: str
    source: str
    weight: str
    raised_by: list[str]
    rule_ids: list[str]
    active: bool
    note: str
    dismissed: bool
    dismiss_reason: str | None
    dismissed_by: str | None
    dismissed_at: str | None
    created_at: str
    created_by: str

    @property
    def counts(self) -> bool:
        """Whether this observation stands: raised or ticked, and not dismissed."""
        return self.active and not self.dismissed

    @classmethod
    def new(
        cls,
        slug: str,
        source: str,
        weight: str,
        at: str,
        actor: str,
        *,
        raised_by: Sequence[str] = (),
        rule_ids: Sequence[str] = (),
        note: str = "",
    ) -> ObservationRow:
        """A fresh, standing observation with its own UUID."""
        return cls(
            str(uuid.uuid4()),
            slug,
            source,
            weight,
            list(raised_by),
            list(rule_ids),
            True,
            note,
            False,
            None,
            None,
            None,
            at,
            actor,
        )
