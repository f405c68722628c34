"""The `inspector-app` entry point: subcommands run Qt-free; without one the desktop app starts.

Qt is imported only when the window is wanted, so scripts calling the command line start fast and
work on machines without a display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from inspector_app.cli.main import main as cli_main
from inspector_app.i18n import _


def start_desktop(data_dir: str | None) -> int:
    try:
        from inspector_app.ui.app import run_desktop
    except ImportError as error:
        print(
            _(
                "De desktopapp kan niet starten: {error}. Installeer de Qt-systeempakketten uit de README.",
                error=error,
            ),
            file=sys.stderr,
        )
        return 2
    return run_desktop(data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, start_desktop=start_desktop)
