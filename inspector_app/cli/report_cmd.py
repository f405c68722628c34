"""`inspector-app report ...`: the visit report, signal form or receipt of a visit as PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import LANGUAGES, _, current_language, n_
from inspector_app.reports.model import ReportKind
from inspector_app.services.app import opened_app
from inspector_app.services.documents.dms import export_for_dms
from inspector_app.services.documents.render import render_all_final, save_report
from inspector_app.services.visits import open_visit


def register(report: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app report ...` to its parser (made by cli.main)."""
    report.add_argument("visit", nargs="?", help=_("bezoek-id (of de eerste 8 tekens)"))
    report.add_argument("-o", "--output", help=_("PDF-bestand, of map bij --all-final"))
    report.add_argument(
        "--dms-export",
        metavar="DIR",
        help=_(
            "alle documenten van een definitief bezoek als PDF/A met metadata.json in deze map (voor het DMS)"
        ),
    )
    report.add_argument(
        "--kind",
        choices=[kind.value for kind in ReportKind],
        default=ReportKind.VISIT.value,
        help=_("visit (rapportage), signal (vertrouwelijk signaalformulier) of receipt (ontvangstbewijs)"),
    )
    report.add_argument("--all-final", action="store_true", help=_("één PDF per definitief bezoek in de map"))
    # Also accepted after the subcommand, where users tend to put it; the global --lang sets the default.
    report.add_argument("--lang", dest="report_lang", choices=LANGUAGES, help=_("taal van het document"))
    report.set_defaults(handler=make_report)


def make_report(args: argparse.Namespace) -> int:
    lang = args.report_lang or current_language()
    if args.all_final == bool(args.visit):
        raise InvalidInputError(_("Geef een bezoek of --all-final (niet allebei)"))
    if args.dms_export is not None:
        if args.all_final or args.output:
            raise InvalidInputError(
                _("--dms-export schrijft zelf alle documenten; laat -o en --all-final weg")
            )
        with opened_app(args.data_dir) as app:
            print(export_for_dms(open_visit(app, args.visit), Path(args.dms_export), lang))
        return 0
    if not args.output:
        raise InvalidInputError(_("Geef met -o het PDF-bestand (of de map bij --all-final)"))
    output = Path(args.output)
    with opened_app(args.data_dir) as app:
        if args.all_final:

            def progress(done: int, total: int, name: str) -> None:
                print(
                    f"\r{done}/{total} {name}", end="" if done < total else "\n", file=sys.stderr, flush=True
                )

            written = render_all_final(
                app, output, args.kind, lang, progress if sys.stderr.isatty() else None
            )
            print(
                n_(
                    "{count} document geschreven in {path}",
                    "{count} documenten geschreven in {path}",
                    len(written),
                    path=output,
                )
            )
            return 0
        if output.is_dir():
            raise InvalidInputError(_("{path} is een map; geef een bestandsnaam voor de PDF", path=output))
        save_report(open_visit(app, args.visit), output, args.kind, lang)
    print(output)
    return 0
