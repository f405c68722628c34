"""The stateful sync property (`test_stateful_sync.py`) with the office resolving conflicts too.

Same office, three laptops (one a restored older backup of another) and the same steps, plus: a
laptop and the office amending the visit meanwhile (the everyday way to concurrent versions), every
pending bundle imported in a drawn order, and the office deciding an open field, often right after
an import. After every step, besides the invariants of the base machine (nothing lost, import order
does not matter):

- a question is an open conflict exactly when two leaves changed it to different values since
  their common ancestor and the office did not decide exactly that divergence (the ancestor's
  value and the same new values; a later version that left the field alone adds none), worked out
  from the test's own record of amendments and decisions, not by the merge; nothing else is open;
- the office's automatic indicators are what the rules raise for the answers it shows;
- every resolution revision the office wrote stays in its history.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from inspector_app.services import conflicts as conflict_service
from inspector_app.sync import versions
from inspector_app.sync.derived import rules_of
from inspector_app.sync.records import load_snapshots
from inspector_app.sync.versions import conflict_status
from tests.sync.test_stateful_sync import QUESTIONS, VALUES, SyncMachine, revision_ids, template

__all__ = ["template"]  # the fixture, used by name below

Divergence = tuple[str | None, frozenset[str | None]]


class ResolvingMachine(SyncMachine):
    def __init__(self) -> None:
        super().__init__()
        self.decided: dict[str, Divergence] = {}  # question -> the divergence the office decided
        self.resolutions: set[str] = set()

    def _leaves(self) -> list[dict[str, Any]]:
        rows = self.office.db.execute(
            "SELECT DISTINCT snapshot_sha256, snapshot FROM sync_visit_versions WHERE visit_id = ? AND leaf = 1",
            [self.visit_id],
        ).fetchall()
        return list({sha: json.loads(text) for sha, text in rows}.values())

    def _divergence(self, leaves: list[dict[str, Any]], question: str) -> Divergence:
        """The ancestor's value of the question and the new values leaves changed it to."""
        common = set.intersection(*[{str(r["id"]) for r in leaf["visit_revisions"]} for leaf in leaves])
        touched = [self.amends[r] for r in common if r in self.amends and self.amends[r][1] == question]
        base = max(touched)[2] if touched else self.start[question]
        values = set()
        for leaf in leaves:
            [row] = [
                a for a in leaf["answers"] if a["question_id"] == question and a["person_number"] == 0
            ] or [{"value": None}]
            values.add(None if row["value"] is None else str(row["value"]))
        return base, frozenset(values - {base})

    @rule(
        laptop=st.integers(0, 2),
        question=st.sampled_from(QUESTIONS),
        value=st.sampled_from(VALUES),
        office_question=st.sampled_from(QUESTIONS),
        office_value=st.sampled_from(VALUES),
    )
    def amend_on_both_sides(
        self, laptop: int, question: str, value: str, office_question: str, office_value: str
    ) -> None:
        """A laptop and the office amend the visit meanwhile and the laptop exports: the everyday way
        to concurrent versions (in the base machine's separate steps they are rare)."""
        if conflict_status(self.office.db, self.visit_id) == "open":
            return  # the office cannot edit an open visit (the base machine checks the refusal)
        self._amend(self.laptops[laptop], question, value)
        self._amend(self.office, office_question, office_value)
        self.export(laptop)

    @rule(data=st.data())
    def office_imports_all(self, data: st.DataObject) -> None:
        """Every pending bundle in a drawn order, then maybe a decision."""
        while self.pending:
            SyncMachine.office_imports_one(self, data)
        if data.draw(st.booleans()):
            self.office_resolves(data)

    @rule(data=st.data())
    def office_imports_one(self, data: st.DataObject) -> None:
        """An import, and often at once a decision on a conflict it opened (else they are rare)."""
        super().office_imports_one(data)
        if data.draw(st.booleans()):
            self.office_resolves(data)

    @rule(data=st.data())
    def office_resolves(self, data: st.DataObject) -> None:
        view = versions.merged_view(
            self.office.db, self.visit_id, derive=rules_of(self.office.paths.data_dir)
        )
        if view is None or not view.result.conflicts:
            return
        field = data.draw(st.sampled_from(sorted(c.key for c in view.result.conflicts)))
        [conflict] = [c for c in view.result.conflicts if c.key == field]
        side = data.draw(st.sampled_from(sorted(conflict.values)))
        question = field.removeprefix("answer:")
        divergence = self._divergence(self._leaves(), question)
        revision = conflict_service.resolve_conflict(self.office, self.visit_id, {field: side}, "Besluit.")
        self.resolutions.add(revision)
        self.decided[question] = divergence

    @invariant()
    def same_field_divergence_is_exactly_the_open_conflicts(self) -> None:
        leaves = self._leaves()
        expected = set()
        if len(leaves) > 1:
            for question in QUESTIONS:
                divergence = self._divergence(leaves, question)
                if len(divergence[1]) > 1 and self.decided.get(question) != divergence:
                    expected.add(f"answer:{question}")
        view = versions.merged_view(
            self.office.db, self.visit_id, derive=rules_of(self.office.paths.data_dir)
        )
        open_fields = {c.key for c in view.result.conflicts} if view else set()
        # Only answers: an automatic indicator follows the merged answers (nobody dismisses one here),
        # so an answer changed and changed back on one side is no conflict on what it raised.
        assert open_fields == expected
        assert (conflict_status(self.office.db, self.visit_id) == "open") == bool(open_fields)

    @invariant()
    def automatic_indicators_are_what_the_shown_answers_raise(self) -> None:
        """Whatever merged, the office's automatic indicators are the rules' conclusion from the answers
        it shows, as an edit with those answers would leave them."""
        [shown] = list(load_snapshots(self.office.db, [self.visit_id]))
        canonical = shown.canonical()
        raised = rules_of(self.office.paths.data_dir)(canonical)
        assert raised is not None
        standing = {
            str(r["slug"]): (str(r["weight"]), json.loads(r["raised_by"]))
            for r in canonical["indicator_observations"]
            if r["source"] == "auto" and r["active"]
        }
        assert standing == {slug: (r.weight, list(r.raised_by)) for slug, r in raised.items()}

    @invariant()
    def resolutions_are_kept(self) -> None:
        assert self.resolutions <= revision_ids(self.office, self.visit_id)


def test_sync_with_resolutions_never_loses_a_revision_or_a_decision(template: tuple[Path, str]) -> None:
    ResolvingMachine.template = template
    ResolvingMachine.TestCase.settings = settings(
        settings(),  # the loaded profile (CI: derandomized, the same runs every time)
        max_examples=25,
        stateful_step_count=16,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    ResolvingMachine.TestCase().runTest()
