"""inspector_app: offline inspection checklists and trafficking-signal recording for municipalities.

The version has one source: `version` in pyproject.toml, read from the installed distribution's
metadata (a frozen build ships that metadata too). `_FALLBACK_VERSION` is used only when the package
runs without being installed; tests/test_version.py keeps it equal to pyproject.toml.
"""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "inspector-app"
_FALLBACK_VERSION = "0.1.0"


def _version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return _FALLBACK_VERSION


__version__ = _version()
