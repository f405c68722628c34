"""Entry point of `inspector-app` and `python -m inspector_app`.

With no arguments the desktop app starts. Subcommands are a stable contract for office scripts: keep
commands, options and JSON fields as they are (see README). Errors print one clear line, never a
traceback, and exit non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from inspector_app import __version__
from inspector_app.errors import AppError
from inspector_app.i18n import LANGUAGES, _, set_language
from inspector_app.paths import HOME_ENV


def build_parser() -> argparse.ArgumentParser:
    from inspector_app.cli import (
        bundle_cmd,
        demo_cmd,
        forms_cmd,
        keys_cmd,
        referrals_cmd,
        report_cmd,
        visits_cmd,
    )

    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description=_("Inspecties en signalen mensenhandel, offline."),
    )
    parser.add_argument("--version", action="version", version=f"inspector-app {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("map voor gegevens en instellingen (ook via ${env})", env=HOME_ENV),
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=_("taal van de uitvoer (nl of en)"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    forms_cmd.register(subparsers)
    visits_cmd.register(subparsers)
    referrals_cmd.register(subparsers)
    demo_cmd.register(subparsers)
    keys_cmd.register(subparsers)
    bundle_cmd.register(subparsers)
    report_cmd.register(subparsers)
    return parser


def _language_from_argv(argv: Sequence[str]) -> None:
    """Pick the language before the parser is built, so help texts are translated too."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            set_language(argv[index + 1])
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            set_language(arg.split("=", 1)[1])


def desktop_unavailable(data_dir: str | None) -> int:
    print(
        _(
            "De desktopapp is nog niet beschikbaar in deze versie. Gebruik de subopdrachten; zie 'inspector-app --help'."
        ),
        file=sys.stderr,
    )
    return 2


def main(
    argv: Sequence[str] | None = None, start_desktop: Callable[[str | None], int] = desktop_unavailable
) -> int:
    """Run a subcommand, or `start_desktop` when none is given (the launcher passes the Qt app)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _language_from_argv(arguments)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.lang:
        set_language(args.lang)
    if args.data_dir:
        os.environ[HOME_ENV] = args.data_dir
    if args.command is None:
        return start_desktop(args.data_dir)
    try:
        result: int = args.handler(args)
        return result
    except AppError as error:
        print(_("fout: {message}", message=error.message), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_("afgebroken"), file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("INSPECTOR_APP_DEBUG"):
            raise
        from inspector_app.logs import write_crash_report

        try:
            report: str = str(write_crash_report(type(error), error, error.__traceback__))
        except OSError:
            report = "-"
        print(
            _(
                "onverwachte fout ({kind}). Er is niets half opgeslagen; stuur het foutrapport {report} "
                "(zonder persoonsgegevens) naar functioneel beheer.",
                kind=type(error).__name__,
                report=report,
            ),
            file=sys.stderr,
        )
        return 70
