"""Known gap (xfail, for the merge's owner): an automatic indicator follows its answer through a merge.

The office amends PB-05 to "nee" (which raises sex.no_manager_present); the laptop amends it to "nee"
and back to "ja", so its net change is none. The answer merges cleanly to the office's "nee" (the
laptop's value is the ancestor's). The indicator, though, is merged as a field of its own: the
laptop holds the row the rules raised and withdrew (`active` 0), the office a standing one, the
ancestor none, so two "new values" and an open conflict on `indicator:sex.no_manager_present/auto`
while the visit shows PB-05 "nee" with the prefer side's withdrawn indicator: a signal that should
stand does not, until someone resolves a conflict nobody made.

The stateful property can meet this (`test_stateful_sync.py` asserts the visit's conflict is open
exactly when an answer diverged, so a random run that toggles PB-05 back on one side fails it; the
CI profile's fixed examples happen not to). A fix in `sync/merge.py` must keep the finalised-side
rule and the content hash (which covers withdrawn observations too) intact, so it is left to its owner.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from inspector_app.sync import versions
from tests.sync.test_no_lost_edit import run, synced

__all__ = ["synced"]  # the fixture, used by name below


@pytest.mark.xfail(
    strict=True,
    reason="sync/merge.py merges an automatic indicator as its own field: a raised-and-withdrawn row"
    " against a standing one is an open conflict though the answer that raises it merged cleanly",
)
def test_an_answer_changed_and_changed_back_leaves_no_indicator_conflict(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    run(capsys, office, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Kantoor: geen beheerder.")
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Laptop: toch niet.")
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "ja", "--reason", "Laptop: toch wel.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    [report] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "second.ifb")))
    app = open_app(office)
    try:
        view = versions.merged_view(app.db, visit_id)
        open_fields = [c.key for c in view.result.conflicts] if view else []
        standing = app.db.execute(
            "SELECT active FROM indicator_observations WHERE visit_id = ? AND slug = 'sex.no_manager_present'",
            [visit_id],
        ).fetchone()
    finally:
        app.close()
    shown = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))
    assert shown["answers"]["PB-05"] == "no"  # holds today: the answer merged to the office's value
    assert open_fields == [] and report["conflicts"] == [] and report["merged"] == [visit_id]
    assert standing is not None and standing[0] == 1  # the signal PB-05 "nee" raises stands
