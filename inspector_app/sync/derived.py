"""The rules of a visit, run on a merged version's answers: the `Derive` the office's merges use.

A merge (`sync.merge`) takes every answer on its own, so the merged answers can be a set no device
ever evaluated. The automatic indicators must be what the visit's checklist concludes from exactly
those answers, as an edit there would give them; this loads the checklist version the visit was
filled with (`forms.store.load_form`, the archive first) and runs its rules.
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.errors import AppError
from inspector_app.forms.definition.problems import FormDefinitionError
from inspector_app.forms.model import FormDefinition
from inspector_app.forms.store import load_form
from inspector_app.signals.answer_set import answer_set_of
from inspector_app.signals.rules import run_rules
from inspector_app.sync.merge import Canonical, Derive, Raised
from inspector_app.sync.records import Snapshot


def rules_of(data_dir: Path) -> Derive:
    """What the rules raise for a snapshot's answers, with the checklists of `data_dir`; None for a
    visit whose checklist version is not here (the merge then reads the answers' indicators off a
    side with the same answers)."""
    catalogue = load_catalogue()
    forms: dict[tuple[str, int], FormDefinition | None] = {}

    def derive(snapshot: Canonical) -> dict[str, Raised] | None:
        visit = snapshot["visit"]
        key = (str(visit["form_id"]), int(visit["form_version"]))
        if key not in forms:
            try:
                forms[key] = load_form(key[0], key[1], data_dir)
            except (AppError, FormDefinitionError, OSError):  # not here, or not readable here
                forms[key] = None
        form = forms[key]
        if form is None:
            return None
        records = Snapshot.from_canonical(snapshot).records()
        answers = {(row.question_id, row.person_number): row for row in records.answers}
        persons = {row.number: row for row in records.persons if not row.removed}
        outcome = run_rules(form, answer_set_of(answers, persons), catalogue=catalogue)
        return {
            indicator.slug: Raised(
                indicator.weight.value, tuple(indicator.raised_by), tuple(indicator.rule_ids)
            )
            for indicator in outcome.indicators
        }

    return derive
