"""Honest messages about the store, through the CLI: a full disk, a read-only store, a damaged file and
a closed pipe each get their own clear message and exit code, never a traceback or a crash report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.cli.main import CLOSED_PIPE_EXIT, main
from inspector_app.services.app import open_app
from inspector_app.storage import db as storage_db
from inspector_app.storage.db import QUICK_CHECK_KEY
from tests.raw_store import raw_connect

ROOT = Path(__file__).resolve().parents[2]


def _store(tmp_path: Path, visits: int = 2) -> Path:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "demo", "--visits", str(visits), "--echt"]) == 0
    open_app(data).close()  # the first open of an existing store runs (and records) the quick check
    return data


def _count(data: Path, table: str) -> int:
    app = open_app(data)
    try:
        return int(app.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        app.close()


def _no_crash_report(data: Path, err: str) -> None:
    assert "Traceback" not in err and "onverwachte fout" not in err
    assert not list(data.rglob("crash-*.txt"))


def _new_visit(data: Path) -> list[str]:
    return [
        "--data-dir",
        str(data),
        "visits",
        "new",
        "--form",
        "PB",
        "--location-name",
        "Club " + "x" * 20000,
    ]


def test_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _store(tmp_path)
    before = _count(data, "visits")
    app = open_app(data)
    pages = app.db.execute("PRAGMA page_count").fetchone()[0]
    app.close()
    # the "disk" cannot grow by a single page
    monkeypatch.setattr(storage_db, "PRAGMAS", (*storage_db.PRAGMAS, f"PRAGMA max_page_count = {pages}"))
    capsys.readouterr()
    assert main(_new_visit(data)) == 74
    err = capsys.readouterr().err
    assert err.startswith("fout: De schijf is vol; er is niets opgeslagen.") and err.count("\n") == 1
    _no_crash_report(data, err)
    monkeypatch.undo()
    assert _count(data, "visits") == before


def test_a_read_only_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As root a chmod does not stop writes, so the read-only store is SQLite's own query_only mode."""
    data = _store(tmp_path)
    before = _count(data, "visits")
    monkeypatch.setattr(storage_db, "PRAGMAS", (*storage_db.PRAGMAS, "PRAGMA query_only = ON"))
    capsys.readouterr()
    assert main(_new_visit(data)) == 77
    err = capsys.readouterr().err
    assert "alleen-lezen" in err and "niets opgeslagen" in err
    _no_crash_report(data, err)
    monkeypatch.undo()
    assert _count(data, "visits") == before


def _damage(database: Path, checked_today: bool) -> None:
    """Overwrite the pages after the first three (schema and meta stay readable) with garbage."""
    with raw_connect(database) as raw:
        if not checked_today:
            raw.execute("DELETE FROM meta WHERE key = ?", [QUICK_CHECK_KEY])
        else:
            assert raw.execute("SELECT value FROM meta WHERE key = ?", [QUICK_CHECK_KEY]).fetchone()
        page_size = int(raw.execute("PRAGMA page_size").fetchone()[0])
    with raw_connect(database) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(database.read_bytes())
    assert len(data) > 6 * page_size
    for offset in range(3 * page_size, len(data) - page_size, page_size):
        data[offset + 8 : offset + page_size] = b"\xa5" * (page_size - 8)
    database.write_bytes(bytes(data))


@pytest.mark.parametrize("checked_today", [False, True], ids=["quick-check-at-open", "met-while-reading"])
def test_a_damaged_database(tmp_path: Path, capsys: pytest.CaptureFixture[str], checked_today: bool) -> None:
    data = _store(tmp_path, visits=6)
    database = data / "inspector.sqlite3"
    _damage(database, checked_today)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "visits", "list", "--json"]) == 65
    err = capsys.readouterr().err
    assert "is beschadigd" in err and str(database) in err and "back-up" in err
    _no_crash_report(data, err)


def test_the_quick_check_runs_once_a_day(tmp_path: Path) -> None:
    data = _store(tmp_path)
    app = open_app(data)
    try:
        [stamp] = app.db.execute("SELECT value FROM meta WHERE key = ?", [QUICK_CHECK_KEY]).fetchone()
    finally:
        app.close()
    app = open_app(data)
    try:
        assert (
            app.db.execute("SELECT value FROM meta WHERE key = ?", [QUICK_CHECK_KEY]).fetchone()[0] == stamp
        )
    finally:
        app.close()


@pytest.mark.parametrize("command", [["visits", "list"], ["retention", "show"], ["visits", "list", "--json"]])
def test_a_closed_pipe(tmp_path: Path, command: list[str]) -> None:
    """`visits list | head`: the reader is gone before the first line; no traceback, exit 141."""
    data = _store(tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "INSPECTOR_APP_HOME": str(data)}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "inspector_app", *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=environment,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    err = finished.stderr.decode("utf-8")
    assert finished.returncode == CLOSED_PIPE_EXIT, err
    assert "uitvoer afgebroken" in err and "Exception ignored" not in err
    _no_crash_report(data, err)
