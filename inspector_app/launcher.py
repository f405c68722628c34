"""The `inspector-app` entry point: subcommands run Qt-free; without one the desktop app starts.

Qt is imported only when the window is wanted, so scripts calling the command line start fast and
work on machines without a display. Logging (see `inspector_app.logs`) is set up here for both, in the
log folder of the data folder the command will use.
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


def _data_dir_from_argv(argv: Sequence[str]) -> str | None:
    """The global `--data-dir DIR` (before the subcommand), so the log goes to `DIR/logs/`."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--data-dir" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--data-dir="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            return None  # the subcommand: its own options are not global
        index += 2 if arg == "--lang" else 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not {"--version", "-h", "--help"} & set(arguments):
        from inspector_app.logs import setup_logging  # not for --version/--help: they start faster
        from inspector_app.paths import app_paths

        setup_logging(app_paths(_data_dir_from_argv(arguments)).log_dir)
    return cli_main(arguments, start_desktop=start_desktop)
