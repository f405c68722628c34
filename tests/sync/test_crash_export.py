"""SIGKILL during an export: the laptop's store is intact, no half bundle is left under a bundle's name,
and whatever the kill left behind, the office ends with every visit once the laptop exports again.

A child process exports a laptop of 200 visits with photos into a folder; the parent kills it at a
random moment up to the end of a normal export (measured first): while the store is read, while the
photo, records and seal threads run; and, held there, after the file is renamed but before the export
is logged (the next export takes a new number, so the office sees two bundles, not a fork). Then
the laptop copy is checked (integrity, at most one logged export, whose file is there with its hash),
exports again in-process, and an office imports every `.ifb` the folder holds, in name order and in
reverse order: each bundle imports or is recognised, and the office holds exactly the uninterrupted
export's visits.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import open_app
from inspector_app.services.demo.generator import create_demo_visits
from tests.kill import SIGKILL_TESTS, run_child
from tests.sync.conftest import dump, enrol, photos_on_drafts

pytestmark = SIGKILL_TESTS

KILLS = 10
VISITS = 200
CHILD = """
import sys
from pathlib import Path
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import open_app
from inspector_app.sync import encrypted_file

if sys.argv[3] == "hold":  # stop after the bundle file is in place, before the export is logged
    written = encrypted_file.atomic_write_with

    def held(path, fill):
        result = written(path, fill)
        print("renamed", flush=True)
        sys.stdin.readline()  # the parent kills the process here
        return result

    encrypted_file.atomic_write_with = held
app = open_app(sys.argv[1])
print("ready", flush=True)
result = exchange_service.export(app, Path(sys.argv[2]))
print("done", result.path.name, flush=True)
"""


def _prepare(root: Path) -> tuple[Path, Path]:
    """A laptop with visits and photos, nothing exported yet, and the office that enrolled it."""
    office = open_app(root / "office-template")
    keys_service.init_office(office, "Westerdam")
    laptop = open_app(root / "laptop-template")
    try:
        enrol(office, laptop, root)
        create_demo_visits(laptop, VISITS, seed=31)
        photos_on_drafts(laptop, root, 6, 96, 30)
        for app in (office, laptop):
            app.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        office.close()
        laptop.close()
    return root / "office-template", root / "laptop-template"


def _run(laptop: Path, out: Path, kill_after: float | None, hold: bool = False) -> float:
    out.mkdir(exist_ok=True)
    args = [str(laptop), str(out), "hold" if hold else "run"]
    seconds, printed = run_child(CHILD, args, kill_after, "renamed" if hold else None)
    if kill_after is None:
        assert printed.startswith("done"), printed
    elif hold:
        assert printed.startswith("renamed"), printed
    return seconds


def _check_laptop(laptop: Path, out: Path) -> str:
    """Intact, at most one export logged and its file whole; then the laptop exports again. Returns
    what the kill left: nothing, a bundle that was not logged, or a logged one."""
    left = sorted(out.glob("*.ifb"))
    app = open_app(laptop)
    try:
        assert app.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = app.db.execute("SELECT file_name, file_sha256, visits FROM sync_export_log").fetchall()
        assert len(logged) <= 1
        for name, sha256, visits in logged:
            assert hashlib.sha256((out / str(name)).read_bytes()).hexdigest() == sha256
            assert visits == VISITS
        exchange_service.export(app, out)  # None when the logged bundle already carries everything
    finally:
        app.close()
    return "logged" if logged else "not logged" if left else "nothing"


def _import_all(office_template: Path, target: Path, bundles: list[Path]) -> dict[str, object]:
    shutil.copytree(office_template, target)
    office = open_app(target)
    try:
        reports = exchange_service.import_files(office, bundles)
        assert all(r.status in {"imported", "already_present"} for r in reports), reports
        assert not any(r.forks for r in reports), reports  # a crash is not a restored laptop
        assert len({r.seq for r in reports}) == len(reports)
        assert "imported" in {r.status for r in reports}
        visits = office.db.execute("SELECT count(*) FROM visits").fetchone()[0]
        assert visits == VISITS
        return {"visits": dump(office, ("visits", "answers", "photos"))}
    finally:
        office.close()


def test_sigkill_during_export_leaves_the_laptop_whole_and_every_visit_reaches_the_office(
    tmp_path: Path,
) -> None:
    office_template, laptop_template = _prepare(tmp_path)
    full = tmp_path / "full"
    shutil.copytree(laptop_template, full)
    duration = _run(full, tmp_path / "full-out", None)
    expected = _import_all(
        office_template, tmp_path / "office-full", sorted((tmp_path / "full-out").glob("*.ifb"))
    )
    rng = random.Random(5)
    outcomes = set()
    for index in range(KILLS):
        laptop, out = tmp_path / f"laptop-{index}", tmp_path / f"out-{index}"
        shutil.copytree(laptop_template, laptop)
        hold = index % 4 == 3  # killed between the file's rename and the export's commit
        _run(laptop, out, 0 if hold else rng.uniform(0, duration * 1.1), hold)
        outcomes.add(_check_laptop(laptop, out))
        bundles = sorted(out.glob("*.ifb"))
        assert 1 <= len(bundles) <= 2, bundles  # a file renamed before its export was logged, and the new one
        for order, listed in (("forward", bundles), ("reverse", bundles[::-1])):
            got = _import_all(office_template, tmp_path / f"office-{index}-{order}", listed)
            assert got["visits"] == expected["visits"], (index, order)
    assert {"nothing", "not logged"} <= outcomes, outcomes
