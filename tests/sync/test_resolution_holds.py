"""A resolved field stays resolved when a version that did not touch it arrives later.

The office and the laptop amend the same field, the office resolves the conflict. Then a copy of the
laptop restored from a backup (taken before either amendment) edits another field and exports. Its
version holds the ancestor's value of the resolved field: it did not change it, so by the merge
rules ("a field no side changed keeps the ancestor's value"; "disjoint edits never conflict") the
decision still settles the field, and the restored laptop's edit merges in cleanly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from inspector_app.sync.versions import conflict_status
from tests.sync.test_no_lost_edit import kept_revisions, laptop_revisions, run, synced

__all__ = ["synced"]  # the fixture, used by name below


def test_a_decision_holds_when_a_fork_that_left_the_field_alone_arrives(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    shutil.copytree(laptop, tmp_path / "backup")
    run(capsys, office, "visits", "amend", visit_id, "H-03", "3511 AB", "--reason", "Kantoor: juiste code.")
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "9999 ZZ", "--reason", "Laptop: correctie.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    assert "1 conflict" in run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    run(capsys, office, "conflicts", "resolve", visit_id[:8], "--take", "3511 AB", "--field", "answer:H-03",
        "--reason", "Kantoor heeft gelijk.")  # fmt: skip
    resolution = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))["revisions"]
    shutil.rmtree(laptop)
    shutil.copytree(tmp_path / "backup", laptop)
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "forked.ifb"))
    [report] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "forked.ifb")))
    assert [f["seq"] for f in report["forks"]] == [2]
    assert report["conflicts"] == [] and report["merged"] == [visit_id]
    assert json.loads(run(capsys, office, "conflicts", "list", "--json")) == []
    shown = json.loads(run(capsys, office, "visits", "show", visit_id, "--json"))
    assert shown["answers"]["H-03"] == "3511 AB" and shown["answers"]["PB-05"] == "no"
    assert {r["id"] for r in resolution} | laptop_revisions(laptop, visit_id) <= kept_revisions(
        office, visit_id
    )
    app = open_app(office)
    try:
        assert conflict_status(app.db, visit_id) == "resolved"
    finally:
        app.close()
