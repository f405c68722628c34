"""The main window and a settings problem: told once; a file from a newer version is never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from inspector_app.i18n import set_language
from inspector_app.paths import app_paths
from inspector_app.services.app import AppContext, open_app
from inspector_app.ui.dialogs import ProfileForm
from inspector_app.ui.main_window import MainWindow


def test_a_newer_settings_file_survives_the_main_window(
    qtbot: QtBot, tmp_path: Path, messages: list[str]
) -> None:
    """Regression: the file was replaced by defaults on close, and the problem was never shown."""
    data_dir = tmp_path / "data"
    settings_file = app_paths(data_dir).ensure().settings_file
    settings_file.write_bytes(
        json.dumps(
            {"schema_version": 99, "language": "nl", "profile": {"name": "T 1042"}, "later": {"x": 1}}
        ).encode("utf-8")
    )
    before = settings_file.read_bytes()
    app = open_app(data_dir)
    try:
        assert app.settings_read_only and app.settings.profile.name == "T 1042"
        window = MainWindow(app)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: bool(messages), timeout=5000)
        window._build()  # as after a language switch
        qtbot.wait(50)
        window.close()
    finally:
        app.close()
    assert settings_file.read_bytes() == before
    assert len(messages) == 1 and "nieuwere versie" in messages[0]


def test_a_damaged_settings_file_is_reported_after_launch(
    qtbot: QtBot, tmp_path: Path, messages: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: Launch's early look at the language moved the damaged file aside, so the real
    open found no file and the damage was never reported."""
    from PySide6.QtWidgets import QDialog

    from inspector_app.ui.app import Launch
    from inspector_app.ui.dialogs import FirstRunDialog

    monkeypatch.setattr(FirstRunDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    data_dir = tmp_path / "data"
    settings_file = app_paths(data_dir).ensure().settings_file
    settings_file.write_text("{ half written", encoding="utf-8")
    launch = Launch(data_dir)
    qtbot.waitUntil(lambda: launch.window is not None, timeout=5000)
    assert launch.window is not None
    qtbot.addWidget(launch.window)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert len(messages) == 1 and "beschadigd" in messages[0]
    assert settings_file.with_suffix(".damaged.json").exists()
    launch.window.close()
    assert isinstance(launch.app, AppContext)
    launch.app.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_profile_label_loses_its_last_letter(qtbot: QtBot, ui_app: AppContext, language: str) -> None:
    """Regression: "Telefoon contactpersoon" was drawn cut off ("contactpersoo") because a label got
    exactly its rounded size hint. No label may have ink in its rightmost columns."""
    set_language(language)
    form = ProfileForm(ui_app)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    labels = [label for label in form.findChildren(QLabel) if label.buddy() is not None]
    assert len(labels) == 6
    for label in labels:
        image = label.grab().toImage()
        background = label.palette().color(label.backgroundRole()).lightness()
        edge = [
            abs(image.pixelColor(x, y).lightness() - background)
            for x in range(image.width() - 2, image.width())
            for y in range(image.height())
        ]
        assert max(edge) < 60, label.text()
