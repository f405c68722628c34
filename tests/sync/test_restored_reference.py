"""What a laptop restored from an older backup sees after installing the office's reference bundle.

The laptop exported bundle 2 (an amendment and a new visit), then its disk died and it came back
from a backup taken before that export. The office holds bundle 2.

- Its numbering: the reference bundle tells it the highest bundle the office holds, so its next
  bundle is 3, not a second 2 (issue item 2; also `test_office_revisions.py` and, for receipts,
  `test_no_lost_edit.py`).
- A visit the office amended after bundle 2 comes back with the office's version, which holds the
  lost copy's revisions too: the laptop builds on all of it.
- A visit the office did not change itself does not come back: the laptop keeps its older version
  (its next edit is merged at the office against bundle 2's, field by field, or is a conflict), and
  a visit the lost copy created is not brought back at all (xfail below: the known leftover).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspector_app.services.app import open_app
from tests.sync.test_no_lost_edit import laptop_revisions, run, synced
from tests.sync.test_office_revisions import answer, send_back

__all__ = ["synced"]  # the fixture, used by name below


def visit_ids(data_dir: Path) -> set[str]:
    app = open_app(data_dir)
    try:
        return {str(r[0]) for r in app.db.execute("SELECT id FROM visits")}
    finally:
        app.close()


def lose_bundle_two(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[set[str], str]:
    """Bundle 2 (an amendment, a new draft visit) reaches the office; then the laptop is restored
    from a backup taken before it. Returns the lost copy's revisions of the visit and the new visit."""
    office, laptop, visit_id = synced
    shutil.copytree(laptop, tmp_path / "backup")
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "1111 AA", "--reason", "Voor de crash.")
    created = run(
        capsys, laptop, "visits", "new", "--form", "PB", "--location-name", "Club Nieuw",
        "--address", "Nieuwstraat 2", "--postcode", "1234 AB", "--started-at", "2026-11-21T21:00",
    ).strip()  # fmt: skip
    lost = laptop_revisions(laptop, visit_id)
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "second.ifb"))
    assert "1 nieuw" in run(capsys, office, "bundle", "import", str(tmp_path / "second.ifb"))
    shutil.rmtree(laptop)
    shutil.copytree(tmp_path / "backup", laptop)
    return lost, created


def test_the_restored_laptop_numbers_above_and_builds_on_an_office_amendment(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    lost, _created = lose_bundle_two(synced, tmp_path, capsys)
    run(capsys, office, "visits", "amend", visit_id, "PB-05", "nee", "--reason", "Kantoor.")
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    assert report["visits_updated"] == [visit_id]
    # The office's version carries the lost copy's amendment along: nothing of bundle 2 is missing here.
    assert lost <= laptop_revisions(laptop, visit_id)
    assert answer(laptop, visit_id, "H-03") == "1111 AA" and answer(laptop, visit_id, "PB-05") == "no"
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "2222 BB", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "third.ifb"))
    [imported] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "third.ifb")))
    # Bundle 3, no fork; built on the office's version, so an update, not a merge or a conflict.
    assert imported["seq"] == 3 and imported["forks"] == []
    assert imported["updated"] == [visit_id] and imported["conflicts"] == [] and imported["merged"] == []
    assert answer(office, visit_id, "H-03") == "2222 BB"


def test_without_an_office_amendment_the_restored_laptop_keeps_its_older_version(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    lost, created = lose_bundle_two(synced, tmp_path, capsys)
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    assert report["visits_updated"] == [] and report["visits_kept"] == []
    assert not lost <= laptop_revisions(laptop, visit_id)  # bundle 2's amendment is not here
    assert answer(laptop, visit_id, "H-03") != "1111 AA" and created not in visit_ids(laptop)
    # Its next edit of the same field is concurrent with bundle 2's: a conflict, both kept, no fork.
    run(capsys, laptop, "visits", "amend", visit_id, "H-03", "2222 BB", "--reason", "Na het terugzetten.")
    run(capsys, laptop, "bundle", "export", "-o", str(tmp_path / "third.ifb"))
    [imported] = json.loads(run(capsys, office, "bundle", "import", "--json", str(tmp_path / "third.ifb")))
    assert imported["seq"] == 3 and imported["forks"] == [] and imported["conflicts"] == [visit_id]


@pytest.mark.xfail(
    strict=True,
    reason="known leftover: sync/office_revisions.visits_to_send sends a laptop only visits the office"
    " changed itself (shown head not a bundle head), so a restored laptop gets back neither its lost"
    " copy's versions nor the visits that copy created",
)
def test_the_restored_laptop_gets_back_what_its_lost_copy_sent(
    synced: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop, visit_id = synced
    lost, created = lose_bundle_two(synced, tmp_path, capsys)
    report = send_back(capsys, office, laptop, tmp_path / "ref")
    assert report["visits_updated"] == [visit_id]
    assert lost <= laptop_revisions(laptop, visit_id) and created in visit_ids(laptop)
