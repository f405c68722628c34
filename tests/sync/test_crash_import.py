"""SIGKILL during an import: the office database is either unchanged or fully imported, and a rerun completes.

A child process imports a real bundle (200 visits with photos) into a copy of a prepared office. The
parent kills it at a random moment between start-up and the end of a normal import (measured first),
some kills aimed right after the import transaction's BEGIN. Then it checks integrity, all-or-nothing
(`sync_import_log` row <=> every visit present), and that importing again ends in the same state as
an uninterrupted import.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from tests.kill import SIGKILL_TESTS, run_child
from tests.sync.conftest import dump, enrol, photos_on_drafts

pytestmark = SIGKILL_TESTS

KILLS = 16
VISITS = 200
CHILD = """
import sys
from pathlib import Path
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import open_app

app = open_app(sys.argv[1])
def trace(statement):
    if statement.startswith("BEGIN"):
        print("begin", flush=True)
app.db.conn.set_trace_callback(trace)
print("ready", flush=True)
[report] = exchange_service.import_files(app, [Path(sys.argv[2])])
print("done", report.status, flush=True)
"""


def _prepare(root: Path) -> tuple[Path, Path]:
    office = open_app(root / "template")
    keys_service.init_office(office, "Westerdam")
    laptop = open_app(root / "laptop")
    try:
        enrol(office, laptop, root)
        create_demo_visits(laptop, VISITS, seed=21)
        photos_on_drafts(laptop, root, 5, 64, 40)
        result = exchange_service.export(laptop, root / "bundle.ifb")
        assert result is not None
        office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        office.close()
        laptop.close()
    return root / "template", result.path


def _copy(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


def _run(target: Path, bundle: Path, kill_after: float | None, at_begin: bool) -> float:
    seconds, printed = run_child(CHILD, [str(target), str(bundle)], kill_after, "begin" if at_begin else None)
    if kill_after is None:
        assert "done imported" in printed, printed
    return seconds


def _check(target: Path, expected: dict[str, list[tuple[object, ...]]], bundle: Path) -> str:
    app: AppContext = open_app(target)
    try:
        assert app.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = app.db.execute("SELECT count(*) FROM sync_import_log").fetchone()[0]
        visits = app.db.execute("SELECT count(*) FROM visits").fetchone()[0]
        items = app.db.execute("SELECT count(*) FROM sync_import_items").fetchone()[0]
        if logged:
            outcome = "imported"
            assert dump(app) == expected and items == VISITS
        else:
            outcome = "unchanged"
            assert visits == 0 and items == 0
            assert app.db.execute("SELECT count(*) FROM sync_visit_versions").fetchone()[0] == 0
        [report] = exchange_service.import_files(app, [bundle])
        assert report.status == ("already_present" if logged else "imported"), report
        assert dump(app) == expected
        return outcome
    finally:
        app.close()


def test_sigkill_during_import_is_all_or_nothing(tmp_path: Path) -> None:
    template, bundle = _prepare(tmp_path)
    full = _copy(template, tmp_path / "full")
    duration = _run(full, bundle, None, False)
    app = open_app(full)
    try:
        expected = dump(app)
    finally:
        app.close()
    assert len(expected["visits"]) == VISITS
    rng = random.Random(4)
    outcomes = []
    for index in range(KILLS):
        target = _copy(template, tmp_path / f"kill-{index}")
        at_begin = index % 2 == 1
        _run(target, bundle, rng.uniform(0, duration * (0.3 if at_begin else 1.2)), at_begin)
        outcomes.append(_check(target, expected, bundle))
    assert "unchanged" in outcomes, outcomes
