"""One source of the version: pyproject.toml, read through the installed metadata."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import inspector_app
from inspector_app.cli.main import main

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _pyproject_version() -> str:
    with PYPROJECT.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_fallback_equals_pyproject() -> None:
    assert _pyproject_version() == inspector_app._FALLBACK_VERSION


def test_installed_metadata_equals_pyproject() -> None:
    # if this fails after a version bump, reinstall: `.venv/bin/pip install -e '.[dev]'` (make does it)
    assert metadata.version(inspector_app.DISTRIBUTION) == _pyproject_version()
    assert inspector_app.__version__ == _pyproject_version()


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"inspector-app {_pyproject_version()}"
