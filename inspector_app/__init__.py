"""inspector_app: offline inspection checklists and trafficking-signal recording for municipalities.

The version has one source: `version` in pyproject.toml, read from the installed distribution's
metadata (a frozen build ships that metadata too). `_FALLBACK_VERSION` is used only when the package
runs without being installed; tests/test_version.py keeps it equal to pyproject.toml.
"""

from functools import cache

DISTRIBUTION = "inspector-app"
_FALLBACK_VERSION = "0.1.0"


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return _FALLBACK_VERSION


def __getattr__(name: str) -> str:
    """`__version__`, read on first use: importing `importlib.metadata` and finding the distribution
    costs more than the rest of a CLI start, and most commands never print the version."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
