"""`inspector-app export visits|signals|summary`: exports for the office (CSV, XLSX; the summary PDF/A).

`export_group` makes the one group; the annual `summary` keeps its options and handler in its own
module (cli.summary_cmd), so the command stays one group with one help text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspector_app.cli import summary_cmd
from inspector_app.cli.visit_filters import add_filter_options, visit_filter
from inspector_app.i18n import _, n_

Subcommands = argparse._SubParsersAction  # the type argparse gives `add_subparsers()`


def register(export: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app export ...` to its parser (made by cli.main)."""
    export_group(export)


def export_group(export: argparse.ArgumentParser) -> Subcommands[argparse.ArgumentParser]:
    """The `export` group with `visits` and `signals`; returns its subparsers so another module (the
    annual summary) adds its command to the same group."""
    commands = export.add_subparsers(dest="export_command", required=True, metavar="COMMAND")
    visits = commands.add_parser(
        "visits", help=_("bezoeken als CSV of XLSX: een regel per bezoek, zonder personen of signalen")
    )
    _common(visits)
    visits.set_defaults(handler=export_visits_cmd)
    signals = commands.add_parser(
        "signals", help=_("kantoor: openstaande signalen als CSV of XLSX (met persoonscodes; vastgelegd)")
    )
    _common(signals)
    signals.set_defaults(handler=export_signals_cmd)
    summary_cmd.register(
        commands.add_parser(
            "summary",
            help=_("jaaroverzicht voor gemeenteraad en RIEC (xlsx of PDF/A), kleine aantallen onderdrukt"),
        )
    )
    return commands


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help=_("bestandsformaat"))
    parser.add_argument(
        "-o", "--output", required=True, help=_("doelbestand; - schrijft CSV naar de standaarduitvoer")
    )
    add_filter_options(parser)


def _run(args: argparse.Namespace, signals: bool) -> int:
    from inspector_app.services import exports
    from inspector_app.services.app import opened_app

    fmt = exports.ExportFormat(args.format)
    to_stdout = args.output == "-"
    target = None if to_stdout else Path(args.output)
    with opened_app(args.data_dir) as app:
        write = exports.export_signals if signals else exports.export_visits
        result = write(app, visit_filter(args), fmt, target, sys.stdout if to_stdout else None)
    if not to_stdout:
        print(
            n_(
                "{count} regel geschreven naar {path}",
                "{count} regels geschreven naar {path}",
                result.rows,
                path=str(target),
            )
        )
    return 0


def export_visits_cmd(args: argparse.Namespace) -> int:
    return _run(args, signals=False)


def export_signals_cmd(args: argparse.Namespace) -> int:
    return _run(args, signals=True)
