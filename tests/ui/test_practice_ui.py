"""First start, the practice environment in the window, switching, and one window per data folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from inspector_app.paths import app_paths
from inspector_app.services.app import opened_app
from inspector_app.ui.app import Launch
from inspector_app.ui.dialogs import FirstRunDialog
from inspector_app.ui.instance_lock import LOCK_FILENAME, acquire_lock
from inspector_app.ui.main_window import MainWindow


def _first_run(choose_practice: bool) -> object:
    def run(dialog: FirstRunDialog) -> QDialog.DialogCode:
        dialog.form.name.setText("Toezichthouder 3003")
        dialog.form.municipality.setText("Westerdam")
        (dialog.practice_button if choose_practice else dialog.real_button).click()
        return QDialog.DialogCode(dialog.result())

    return run


def _launched(qtbot: QtBot, data_dir: Path) -> Launch:
    launch = Launch(data_dir)
    qtbot.waitUntil(lambda: isinstance(launch.window, MainWindow), timeout=20000)
    assert launch.window is not None
    qtbot.addWidget(launch.window)
    return launch


def test_first_start_for_real_holds_no_demo_visits(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FirstRunDialog, "exec", _first_run(choose_practice=False))
    launch = _launched(qtbot, tmp_path / "data")
    assert launch.app is not None and not launch.app.practice and launch.window is not None
    assert "OEFENOMGEVING" not in launch.window.windowTitle()
    assert launch.app.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    launch._close_current()


def test_practice_from_the_first_start_and_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FirstRunDialog, "exec", _first_run(choose_practice=True))
    launch = _launched(qtbot, tmp_path / "data")
    window = launch.window
    assert isinstance(window, MainWindow) and launch.app is not None and launch.app.practice
    assert window.windowTitle().endswith("OEFENOMGEVING")
    assert window.practice_label.text().startswith("OEFENOMGEVING")
    assert launch.app.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 60
    assert launch.app.settings.profile.name == "Toezichthouder 3003"  # not asked twice
    window.switch_environment_requested.emit()
    real = launch.window
    assert isinstance(real, MainWindow) and real is not window
    qtbot.addWidget(real)
    assert launch.app is not None and not launch.app.practice
    assert "OEFENOMGEVING" not in real.windowTitle()
    assert launch.app.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert window.closed and not window.check_open_visit()  # its store is closed: no more checks
    launch._close_current()
    with opened_app(tmp_path / "data") as stored:
        assert stored.settings.profile.name == "Toezichthouder 3003"


def test_a_second_window_on_the_same_data_is_refused(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: list[str]
) -> None:
    monkeypatch.setattr(FirstRunDialog, "exec", _first_run(choose_practice=False))
    first = _launched(qtbot, tmp_path / "data")
    exits: list[int] = []
    monkeypatch.setattr("inspector_app.ui.app.QApplication.exit", lambda code=0: exits.append(code))
    second = Launch(tmp_path / "data")
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert exits == [1] and second.window is None
    assert messages and "al geopend" in messages[0]
    first._close_current()
    third = _launched(qtbot, tmp_path / "data")  # after the first closed, a new start is fine
    third._close_current()


def test_two_lock_attempts_second_fails(tmp_path: Path) -> None:
    held = acquire_lock(tmp_path)
    assert held is not None
    assert acquire_lock(tmp_path) is None
    held.unlock()
    again = acquire_lock(tmp_path)
    assert again is not None
    again.unlock()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from inspector_app.ui.instance_lock import acquire_lock\n"
        "lock = acquire_lock(Path(sys.argv[1]))\n"
        "print('locked' if lock else 'refused', flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        assert acquire_lock(tmp_path) is None  # the other process is alive: refused
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert (tmp_path / LOCK_FILENAME).exists()  # a crash leaves the file behind
    taken = acquire_lock(tmp_path)
    assert taken is not None
    taken.unlock()


def test_practice_folder_has_its_own_lock(tmp_path: Path) -> None:
    real = acquire_lock(app_paths(tmp_path, practice=False).data_dir)
    practice = acquire_lock(app_paths(tmp_path, practice=True).data_dir)
    assert real is not None and practice is not None
    real.unlock()
    practice.unlock()
