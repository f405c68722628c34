"""The core never imports Qt: each core module is imported in a fresh interpreter and checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "inspector_app"
CORE_PACKAGES = ("domain", "forms", "signals", "storage", "sync", "reports", "services", "cli")


def _core_modules() -> list[str]:
    modules = [
        "inspector_app.paths",
        "inspector_app.settings",
        "inspector_app.i18n",
        "inspector_app.errors",
        "inspector_app.fileio",
    ]
    for package in CORE_PACKAGES:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_core_modules_do_not_load_pyside6() -> None:
    modules = _core_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"core imported Qt: {result.stdout}"


@pytest.mark.parametrize("module", _core_modules())
def test_no_qt_import_statement_in_core(module: str) -> None:
    path = PACKAGE.parent / Path(*module.split("."))
    source = (
        path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"
    ).read_text()
    assert "PySide6" not in source and "shiboken6" not in source
