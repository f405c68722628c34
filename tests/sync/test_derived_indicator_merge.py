"""An automatic indicator follows its answer through a merge, from the command line.

The office amends PB-05 to "nee" (which raises sex.no_manager_present); the laptop amends it to "nee"
and back to "ja", so its net change is none. The answer merges cleanly to the office's "nee" (the
laptop's value is the ancestor's). The laptop holds the row the rules raised and withdrew (`active`
0), the office a standing one: before `sync.merge` let automatic indicators follow the merged
answers, that was an open conflict nobody made, and the visit showed PB-05 "nee" with a withdrawn
signal. Now the import reports a clean merge and the signal stands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from inspector_app.sync import versions
from inspector_app.sync.derived import rules_of
from tests.sync.test_no_lost_edit import run, synced

__all__ = ["synced"]  # the fixture, used by name below


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
        view = versions.merged_view(app.db, visit_id, derive=rules_of(app.paths.data_dir))
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
