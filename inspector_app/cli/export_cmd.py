"""`inspector-app export ...`: figures and lists for use outside the app (spreadsheets, the council).

Each export is a subcommand registered by its own module; this module only makes the group.
"""

from __future__ import annotations

import argparse

from inspector_app.cli import summary_cmd
from inspector_app.i18n import _


def register(export: argparse.ArgumentParser) -> None:
    """Add the subcommands of `inspector-app export ...` to its parser (made by cli.main)."""
    export_group = export.add_subparsers(dest="export_command", required=True, metavar="COMMAND")
    summary_cmd.register(
        export_group.add_parser(
            "summary",
            help=_("jaaroverzicht voor gemeenteraad en RIEC (xlsx of PDF/A), kleine aantallen onderdrukt"),
        )
    )
