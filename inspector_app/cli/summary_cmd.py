"""`inspector-app export summary --year YYYY --format xlsx|pdf -o FILE`: the annual overview."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import LANGUAGES, _, current_language
from inspector_app.services.app import opened_app

FORMATS = ("xlsx", "pdf")


def register(summary: argparse.ArgumentParser) -> None:
    summary.add_argument(
        "--year", type=int, required=True, metavar="YYYY", help=_("het jaar van het overzicht")
    )
    summary.add_argument(
        "--format", choices=FORMATS, required=True, help=_("xlsx (spreadsheet) of pdf (PDF/A)")
    )
    summary.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=_("het bestand dat geschreven wordt")
    )
    summary.add_argument("--lang", dest="summary_lang", choices=LANGUAGES, help=_("taal van het overzicht"))
    summary.set_defaults(handler=export_summary)


def export_summary(args: argparse.Namespace) -> int:
    # Loaded here, not at registration: `export --help` needs neither reportlab nor openpyxl.
    from inspector_app.services.summary import save_summary

    output = Path(args.output)
    if output.is_dir():
        raise InvalidInputError(_("{path} is een map; geef een bestandsnaam", path=output))
    with opened_app(args.data_dir) as app:
        save_summary(app, args.year, args.format, output, args.summary_lang or current_language())
    print(output)
    return 0
