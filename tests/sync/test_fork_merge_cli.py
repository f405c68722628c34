"""Issue 9's second "Why", the other half: a laptop restored from a backup edits a *different* field
than its lost copy did. From the command line the office imports both bundles under the same seq,
reports the fork, and merges the two edits cleanly (no conflict), in either order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from tests.sync.test_no_lost_edit import kept_revisions, laptop_revisions, run, synced

__all__ = ["synced"]  # the fixture, used by name below


def _answers(office: Path, visit_id: str) -> dict[str, object]:
    app = open_app(office)
    try:
        rows = app.db.execute(
            "SELECT question_id, value FROM answers WHERE visit_id = ? AND person_number = 0"
            " AND question_id IN ('H-03', 'PB-05')",
            [visit_id],
        ).fetchall()
    finally:
        app.close()
    return {str(q): json.loads(v) for q, v in rows}


@pytest.mark.parametrize("forked_first", [False, True])
def test_a_restored_laptop_editing_another_field_merges_cleanly(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], forked_first: bool
) -> None:
    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Voor de crash.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "lost.ifb"))
    lost_copy = laptop_revisions(laptop, visit_id)
    shutil.rmtree(laptop)  # the disk died; the laptop comes back from the backup
    shutil.copytree(backup, laptop)
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "forked.ifb"))
    restored = laptop_revisions(laptop, visit_id)
    order = ["forked.ifb", "lost.ifb"] if forked_first else ["lost.ifb", "forked.ifb"]
    first = run(capsys, office, "bundle", "import", str(tmp_path / order[0]))
    second = run(capsys, office, "bundle", "import", "--json", str(tmp_path / order[1]))
    [report] = json.loads(second)
    # The second bundle under seq 2 is the fork: imported, both edits merged, and said so.
    assert "0 conflicten" in first
    assert report["status"] == "imported" and report["merged"] == [visit_id] and report["conflicts"] == []
    assert [f["seq"] for f in report["forks"]] == [2]
    text = run(capsys, office, "bundle", "import", str(tmp_path / order[1]))
    assert "al ingelezen" in text  # the same file again changes nothing
    assert _answers(office, visit_id) == {"H-03": "1111 AA", "PB-05": "no"}
    assert lost_copy | restored <= kept_revisions(office, visit_id)
    assert json.loads(run(capsys, office, "conflicts", "list", "--json")) == []


def test_the_text_report_of_a_merged_fork_says_both(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    backup = tmp_path / "backup"
    shutil.copytree(laptop, backup)
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Voor de crash.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "lost.ifb"))
    run(capsys, office, "bundle", "import", str(tmp_path / "lost.ifb"))
    shutil.rmtree(laptop)
    shutil.copytree(backup, laptop)
    run(capsys, laptop, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "forked.ifb"))
    out = run(capsys, office, "bundle", "import", str(tmp_path / "forked.ifb"))
    assert "1 samengevoegd" in out and "0 conflicten" in out
    assert "tweede, andere bundel 2" in out and "teruggezet" in out
