"""Shared fixtures: a fresh installation in a temporary folder, never the user's own data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from inspector_app.i18n import set_language
from inspector_app.services.app import AppContext, open_app

# CI runs the same examples every time (reproducible landings); developers explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own INSPECTOR_APP_HOME and starts in Dutch."""
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "home"))
    set_language("nl")
    yield
    set_language("nl")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "data")
    context.settings.profile.name = "Toezichthouder 1001"
    yield context
    context.close()
