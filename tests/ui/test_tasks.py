"""Background tasks: every outcome of a job reaches exactly one callback on the UI thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from inspector_app.errors import InvalidInputError
from inspector_app.paths import app_paths
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.ui.sync_dialogs import ExportDialog
from inspector_app.ui.tasks import Progress, Task, run_task, stop_all_tasks


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _wait(qtbot: QtBot, task: Task[Any]) -> Task[Any]:
    with qtbot.waitSignal(task.settled, timeout=20000):
        pass
    return task


def test_the_result_arrives_on_the_ui_thread(qtbot: QtBot, parent: QWidget, ui_app: AppContext) -> None:
    seen: list[tuple[object, bool]] = []
    worker_threads: list[threading.Thread] = []

    def job(app: AppContext, progress: Progress) -> str:
        worker_threads.append(threading.current_thread())
        progress(1, 2, "half")
        return app.settings.profile.name

    def done(result: str) -> None:
        seen.append((result, threading.current_thread() is threading.main_thread()))

    _wait(qtbot, run_task(parent, ui_app, "Bezig…", job, on_done=done))
    assert seen == [("Toezichthouder 1001", True)]
    assert worker_threads and worker_threads[0] is not threading.main_thread()


def test_an_app_error_is_its_dutch_message(
    qtbot: QtBot, parent: QWidget, ui_app: AppContext, messages: list[str]
) -> None:
    def job(_app: AppContext, _progress: Progress) -> None:
        raise InvalidInputError("De map bestaat niet")

    done: list[object] = []
    _wait(qtbot, run_task(parent, ui_app, "Bezig…", job, on_done=done.append))
    assert messages == ["De map bestaat niet"] and done == []


def test_an_unexpected_error_shows_the_crash_dialog_with_a_report(
    qtbot: QtBot, parent: QWidget, ui_app: AppContext, messages: list[str]
) -> None:
    def job(_app: AppContext, _progress: Progress) -> None:
        raise ValueError("kapot")

    done: list[object] = []
    _wait(qtbot, run_task(parent, ui_app, "Bezig…", job, on_done=done.append))
    reports = list(app_paths().log_dir.glob("crash-*.txt"))
    assert done == [] and len(messages) == 1 and len(reports) == 1
    assert "ValueError" in messages[0] and str(reports[0]) in messages[0]


def test_cancel_stops_at_the_next_report(qtbot: QtBot, parent: QWidget, ui_app: AppContext) -> None:
    started = threading.Event()
    release = threading.Event()
    outcome: list[str] = []

    def job(_app: AppContext, progress: Progress) -> str:
        started.set()
        release.wait(10)
        progress(1, 1, "")  # raises: Cancel was pressed meanwhile
        return "finished"

    task = run_task(
        parent,
        ui_app,
        "Bezig…",
        job,
        on_done=outcome.append,
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    assert started.wait(10)
    task.requestInterruption()
    release.set()
    _wait(qtbot, task)
    assert outcome == ["cancelled"]


class _Stop(BaseException):
    """Stands for KeyboardInterrupt/SystemExit without ending the test run."""


def test_a_base_exception_is_raised_again_on_the_ui_thread(
    qtbot: QtBot, parent: QWidget, ui_app: AppContext
) -> None:
    handled: list[object] = []

    def job(_app: AppContext, _progress: Progress) -> None:
        raise _Stop

    with qtbot.captureExceptions() as raised:
        _wait(qtbot, run_task(parent, ui_app, "Bezig…", job, on_done=handled.append, on_error=handled.append))
    assert handled == [] and [type(e[1]) for e in raised] == [_Stop]


def test_export_that_fails_unexpectedly_shows_the_error_not_a_type_error(
    qtbot: QtBot,
    ui_app: AppContext,
    tmp_path: Path,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression: the old SyncWorker caught only AppError/OSError, so `worker.result[0]` raised TypeError."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("unexpected")

    monkeypatch.setattr(exchange_service, "export", broken)
    dialog = ExportDialog(ui_app, [])
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    with qtbot.captureExceptions() as raised:
        _wait(qtbot, dialog.export())
    assert raised == []
    assert dialog.exported is None
    assert len(messages) == 1 and "ValueError" in messages[0]


def test_quitting_stops_and_waits_for_running_tasks(
    qtbot: QtBot, parent: QWidget, ui_app: AppContext
) -> None:
    started = threading.Event()
    outcome: list[str] = []

    def job(_app: AppContext, progress: Progress) -> str:
        started.set()
        while True:  # a long job: it only ends because Cancel (here: quitting) was asked
            progress(0, 1, "")
            time.sleep(0.01)

    task = run_task(
        parent,
        ui_app,
        "Bezig…",
        job,
        on_done=outcome.append,
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    assert started.wait(10)
    stop_all_tasks()
    assert task.isFinished()
    _wait(qtbot, task)
    assert outcome == ["cancelled"]
