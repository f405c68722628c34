"""Qt tests run headless; each gets its own installation folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from inspector_app.services.app import AppContext, open_app

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from inspector_app.ui.tasks import Task


@pytest.fixture
def ui_app(tmp_path: Path) -> Iterator[AppContext]:
    """An installation with a profile, so no first-run dialog appears."""
    context = open_app(tmp_path / "ui-data")
    context.settings.profile.name = "Toezichthouder 1001"
    context.settings.profile.municipality = "Westerdam"
    context.settings.contact_person.name = "A. Jansen"
    context.settings.contact_person.phone = "0600000000"
    context.save_settings()
    yield context
    context.close()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes are modal; record their texts instead of showing them."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(
        _parent: object, _title: str, text: str, *_args: object, **_kwargs: object
    ) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return shown


@pytest.fixture
def wait_task(qtbot: QtBot) -> Callable[[Task[Any] | None], None]:
    """Background tasks return at once; wait (event loop running) until the task's callback has run."""

    def wait(task: Task[Any] | None) -> None:
        assert task is not None, "no task was started"
        if not task.done:
            with qtbot.waitSignal(task.settled, timeout=30000):
                pass
        assert task.done

    return wait


_UI_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Qt warnings fail every UI test; kept here so the core suite needs no pytest-qt (headless run)."""
    for item in items:
        if _UI_TESTS in item.path.resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # the offscreen platform says this for every top-level window: harmless
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
