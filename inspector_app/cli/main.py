"""Entry point of `inspector-app` and `python -m inspector_app`.

With no arguments the desktop app starts. Subcommands are a stable contract for office scripts: keep
commands, options and JSON fields as they are (see README). Errors print one clear line, never a
traceback, and exit non-zero.

Office scripts call the command line many times, so it starts fast: only the module of the command
that was asked for is imported (`forms list` does not load reportlab, the crypto libraries or Qt), and
`--version` and `--help` load none. `bench/bench_cli.py` prints the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from inspector_app.errors import AppError
from inspector_app.i18n import LANGUAGES, _, set_language
from inspector_app.paths import HOME_ENV, PRACTICE_ENV

# Each command: the module whose `register(parser)` adds its options and handlers.
COMMAND_MODULES = {
    "forms": "inspector_app.cli.forms_cmd",
    "visits": "inspector_app.cli.visits_cmd",
    "referrals": "inspector_app.cli.referrals_cmd",
    "demo": "inspector_app.cli.demo_cmd",
    "keys": "inspector_app.cli.keys_cmd",
    "bundle": "inspector_app.cli.bundle_cmd",
    "report": "inspector_app.cli.report_cmd",
    "conflicts": "inspector_app.cli.conflicts_cmd",
    "policy": "inspector_app.cli.policy_cmd",
    "catalogue": "inspector_app.cli.catalogue_cmd",
    "retention": "inspector_app.cli.retention_cmd",
    "audit": "inspector_app.cli.audit_cmd",
    "export": "inspector_app.cli.export_cmd",
    "reinspections": "inspector_app.cli.reinspections_cmd",
    "locations": "inspector_app.cli.locations_cmd",
    "store": "inspector_app.cli.store_cmd",
}
GLOBAL_OPTIONS_WITH_VALUE = ("--data-dir", "--lang", "--passphrase-file")


def _command_help() -> dict[str, str]:
    """The one-line help of each command, for `inspector-app --help` (no command module needed)."""
    return {
        "forms": _("checklists tonen en controleren"),
        "visits": _("bezoeken beheren"),
        "referrals": _("doorverwijzingen van signalen vastleggen"),
        "demo": _("synthetische demobezoeken aanmaken"),
        "keys": _("sleutels, inschrijving en registratie van laptops"),
        "bundle": _("bundels uitwisselen tussen laptop en kantoor"),
        "report": _("rapport, signaalformulier of ontvangstbewijs van een bezoek als PDF"),
        "conflicts": _("open synchronisatieconflicten tonen en oplossen (kantoor)"),
        "policy": _("gemeentelijk beleid tonen en instellen (minimumleeftijd, tijdzone, contactpersoon)"),
        "catalogue": _("de signaalindicatoren tonen, met de regels die ze afgeven"),
        "retention": _("bewaartermijnen tonen, vaststellen en toepassen"),
        "audit": _("het auditlog controleren"),
        "export": _("bezoeken, (kantoor) signalen of het jaaroverzicht exporteren (CSV, XLSX, PDF)"),
        "reinspections": _("hercontroles tonen die eraan komen of te laat zijn"),
        "locations": _("voorstellen van laptops voor het locatieregister beoordelen (kantoor)"),
        "store": _("de versleutelde gegevensmap: status, wachtwoordzin, herstel door de FG"),
    }


class _VersionAction(argparse.Action):
    """`--version`, reading the version only when asked: the metadata lookup (importlib.metadata,
    finding the distribution, parsing its METADATA) is work no other start needs."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> None:
        from inspector_app import __version__

        print(f"inspector-app {__version__}")  # stdout, as argparse's own version action
        parser.exit()


def command_from_argv(argv: Sequence[str]) -> tuple[bool, str | None]:
    """The command named in `argv` after the global options: `(True, name)`, `(True, None)` when
    there is none, `(False, None)` when it cannot be told without the full parser (a misspelt command,
    an abbreviated option such as `--data DIR`)."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in GLOBAL_OPTIONS_WITH_VALUE:
            index += 2
        elif arg.startswith("-"):
            index += 1
        else:
            return (True, arg) if arg in COMMAND_MODULES else (False, None)
    return True, None


def build_parser(command: str | None = None, *, load_all: bool = True) -> argparse.ArgumentParser:
    """The parser with every command listed; only `command`'s module (or, with `load_all` and no
    command, every module) is imported to fill in its options."""
    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description=_("Inspecties en signalen mensenhandel, offline."),
    )
    parser.add_argument("--version", action=_VersionAction, help=_("versie tonen en stoppen"))
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("map voor gegevens en instellingen (ook via ${env})", env=HOME_ENV),
    )
    parser.add_argument(
        "--oefen",
        "--practice",
        dest="practice",
        action="store_true",
        help=_("de oefenomgeving gebruiken (ook via ${env}=1)", env=PRACTICE_ENV),
    )
    parser.add_argument("--lang", choices=LANGUAGES, help=_("taal van de uitvoer (nl of en)"))
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=_(
            "wachtwoordzin van de gegevensmap uit dit bestand (ook via ${env}; nooit op de opdrachtregel)",
            env="INSPECTOR_APP_PASSPHRASE_FILE",
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in _command_help().items():
        command_parser = subparsers.add_parser(name, help=text)
        if name == command or (command is None and load_all):
            importlib.import_module(COMMAND_MODULES[name]).register(command_parser)
    return parser


def _parse(arguments: list[str]) -> argparse.Namespace:
    """Parse with only the asked command's module loaded; with no command, `--version`, `--help` and
    the desktop start need none. An argv this cannot read is parsed with every command loaded, so
    argparse decides (and words its errors) as before."""
    known, command = command_from_argv(arguments)
    if not known:
        return build_parser().parse_args(arguments)
    return build_parser(command, load_all=False).parse_args(arguments)


def _language_from_argv(argv: Sequence[str]) -> None:
    """Pick the language before the parser is built, so help texts are translated too."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            set_language(argv[index + 1])
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            set_language(arg.split("=", 1)[1])


def main(argv: Sequence[str] | None = None, start_desktop: Callable[[str | None], int] | None = None) -> int:
    """Run a subcommand, or `start_desktop` when none is given (the launcher passes the Qt app; a caller
    without a desktop gets the usage and exit 2)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _language_from_argv(arguments)
    args = _parse(arguments)
    if args.lang:
        set_language(args.lang)
    if args.data_dir:
        os.environ[HOME_ENV] = args.data_dir
    if not args.practice:
        return _run(args, start_desktop)
    # `--oefen` holds for this call only (main runs many times in one process in office scripts and tests).
    before = os.environ.get(PRACTICE_ENV)
    os.environ[PRACTICE_ENV] = "1"
    try:
        return _run(args, start_desktop)
    finally:
        if before is None:
            os.environ.pop(PRACTICE_ENV, None)
        else:
            os.environ[PRACTICE_ENV] = before


def _run(args: argparse.Namespace, start_desktop: Callable[[str | None], int] | None) -> int:
    """The desktop, or the asked command with its errors turned into one line and an exit code."""
    if args.command is None:
        if start_desktop is None:
            build_parser().print_usage(sys.stderr)
            return 2
        return start_desktop(args.data_dir)
    try:
        from inspector_app.cli.unlock_prompt import command_unlock
        from inspector_app.storage.unlock_request import unlocking_with

        with unlocking_with(command_unlock(args.passphrase_file)):
            result: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return result
    except AppError as error:
        print(_("fout: {message}", message=error.message), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_("afgebroken"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()
    except Exception as error:
        known = _storage_problem(error)
        if known is not None:
            print(_("fout: {message}", message=known.message), file=sys.stderr)
            return known.exit_code
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


CLOSED_PIPE_EXIT = 141  # 128 + SIGPIPE, what a shell reports for a reader that went away


def _closed_pipe() -> int:
    """The reader of the output went away (`visits list | head`): stop quietly, say so on stderr.

    Whatever is still buffered for stdout is dropped (the reader is gone); stdout is pointed at the null
    device so the interpreter's own final flush does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    with contextlib.suppress(OSError):
        print(_("uitvoer afgebroken: het programma dat de uitvoer las, is gestopt"), file=sys.stderr)
    return CLOSED_PIPE_EXIT


def _storage_problem(error: Exception) -> AppError | None:
    """A sqlite3 or sqlcipher3 error that escaped a service (a damaged page met while reading, a full
    disk outside a write transaction) as its clear message; only modules already loaded are asked."""
    loaded = [sys.modules.get(name) for name in ("sqlite3", "sqlcipher3")]
    if not any(module is not None and isinstance(error, module.Error) for module in loaded):
        return None
    from inspector_app.paths import app_paths
    from inspector_app.storage.db import storage_error

    known: AppError | None = storage_error(error, app_paths().database)
    return known
