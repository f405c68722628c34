"""`inspector-app bundle ...`: export, import, receipts and inspection of sync bundles."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from inspector_app.cli.output import print_json
from inspector_app.i18n import _, n_
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import opened_app
from inspector_app.services.clock import policy_zone


def register(bundle: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app bundle ...` to its parser (made by cli.main)."""
    commands = bundle.add_subparsers(dest="bundle_command", required=True, metavar="COMMAND")
    export = commands.add_parser(
        "export", help=_("alles wat het kantoor nog niet bevestigde in een bundel zetten")
    )
    export.add_argument("-o", "--output", required=True, type=Path, help=_("bestand of map"))
    export.add_argument("--visit", action="append", help=_("alleen dit bezoek (herhaalbaar)"))
    export.set_defaults(handler=export_bundle)
    imported = commands.add_parser(
        "import",
        help=_("bundels inlezen (op kantoor), of een referentiebundel van het kantoor (op de laptop)"),
    )
    imported.add_argument("files", nargs="+", type=Path)
    imported.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    imported.set_defaults(handler=import_bundles)
    reference = commands.add_parser(
        "reference",
        help=_("referentiebundel voor de laptops schrijven: checklists, locaties, eerdere signalen"),
    )
    reference.add_argument("-o", "--output", required=True, type=Path, help=_("bestand of map"))
    reference.add_argument(
        "--forms", type=Path, help=_("map met checklists (standaard: de checklists in gebruik)")
    )
    reference.set_defaults(handler=write_reference)
    receipt = commands.add_parser("receipt", help=_("ontvangstbewijs voor de laptops schrijven"))
    receipt.add_argument("-o", "--output", required=True, type=Path)
    receipt.add_argument("--device", help=_("alleen voor dit apparaat"))
    receipt.set_defaults(handler=write_receipt)
    apply = commands.add_parser("apply-receipt", help=_("ontvangstbewijs verwerken (op de laptop)"))
    apply.add_argument("file", type=Path)
    apply.add_argument(
        "--purge", action="store_true", help=_("daarna bevestigde definitieve bezoeken opruimen")
    )
    apply.add_argument("--retention-days", type=int, help=_("bewaartermijn in dagen na afronden"))
    apply.set_defaults(handler=apply_receipt)
    inspect = commands.add_parser("inspect", help=_("uiterlijke kenmerken van een bundel tonen"))
    inspect.add_argument("file", type=Path)
    inspect.set_defaults(handler=inspect_bundle)


def export_bundle(args: argparse.Namespace) -> int:
    def progress(stage: str, done: int, total: int) -> None:
        if stage == "write" and total and sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr)

    with opened_app(args.data_dir) as app:
        result = exchange_service.export(app, args.output, args.visit, progress)
    if result is None:
        print(_("Niets te exporteren: het kantoor heeft alles al bevestigd."))
        return 0
    print(
        _(
            "Bundel {path}: {visits}, {photos}, volgnummer {seq}.",
            path=result.path,
            visits=n_("{count} bezoek", "{count} bezoeken", result.visits),
            photos=n_("{count} foto", "{count} foto's", result.photos),
            seq=result.seq,
        )
    )
    return 0


def print_reports(as_json: bool, reports: Sequence[Any], imported: Callable[[Any], str]) -> int:
    """One line per file (or JSON); exit 0 only if every file was imported or already present."""
    if as_json:
        print_json([r.to_json() for r in reports])
    for report in reports if not as_json else []:
        if report.status == "rejected":
            print(
                _(
                    "{file}: GEWEIGERD ({code}): {reason}",
                    file=report.file,
                    code=report.reason_code,
                    reason=report.reason,
                )
            )
        elif report.status == "already_present":
            print(_("{file}: al ingelezen, niets gewijzigd", file=report.file))
        else:
            print(imported(report))
    return 0 if all(r.ok for r in reports) else 1


def write_reference(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        written = exchange_service.write_reference(app, args.output, args.forms)
    for sentence in exchange_service.written_reference_sentences(*written):
        print(sentence)
    return 0


def reference_visits_text(report: exchange_service.ReferenceReport) -> str:
    """What the office's revisions did to this laptop's visits (nothing said when none came)."""
    text = ""
    if report.visits_updated:
        text += "; " + n_(
            "{count} bezoek bijgewerkt met revisies van het kantoor",
            "{count} bezoeken bijgewerkt met revisies van het kantoor",
            len(report.visits_updated),
        )
    if report.visits_kept:
        text += "; " + n_(
            "{count} bezoek hier intussen gewijzigd: eigen versie bewaard, het kantoor voegt ze samen",
            "{count} bezoeken hier intussen gewijzigd: eigen versie bewaard, het kantoor voegt ze samen",
            len(report.visits_kept),
        )
    return text


def imported_line(report: exchange_service.BundleReport, zone: ZoneInfo | None = None) -> str:
    """The line for one imported file: a field bundle (office) or a reference bundle (laptop)."""
    if isinstance(report, exchange_service.ReferenceReport):
        return _(
            "{file}: referentiebundel {seq} ingelezen: {forms} checklistbestanden, {locations} locaties,"
            " {history} eerdere signalen",
            file=report.file,
            seq=report.seq,
            forms=len(report.forms),
            locations=report.locations,
            history=report.history,
        ) + reference_visits_text(report)
    line = _(
        "{file}: ingelezen: {new} nieuw, {updated} bijgewerkt, {merged} samengevoegd, {present} al aanwezig,"
        " {conflicts}",
        file=report.file,
        new=len(report.new),
        updated=len(report.updated),
        merged=len(report.merged),
        present=len(report.already_present),
        conflicts=n_("{count} conflict", "{count} conflicten", len(report.conflicts)),
    )
    if report.locations_ignored:
        line += "\n" + n_(
            "Let op: {count} locatie uit de bundel wijkt af van het register; het register is niet"
            " gewijzigd ({locations}).",
            "Let op: {count} locaties uit de bundel wijken af van het register; het register is niet"
            " gewijzigd ({locations}).",
            len(report.locations_ignored),
            locations=", ".join(location[:8] for location in report.locations_ignored),
        )
        line += " " + _("Beoordeel de voorstellen met 'locations proposals'.")
    if report.audit_breaks:
        line += "\n" + report.audit_break_text()
    return f"{line}\n{report.fork_text(zone)}" if report.forks else line


def import_bundles(args: argparse.Namespace) -> int:
    """Office: field bundles; laptop: reference bundles. Folders are read for their bundle files."""
    with opened_app(args.data_dir) as app:
        reports = exchange_service.import_any(app, list(args.files))
        suffix = exchange_service.import_suffix(app)
        zone = policy_zone(app.db)
    if not reports:
        print(_("Geen bundelbestanden ({suffix}) gevonden.", suffix=suffix), file=sys.stderr)
        return 1
    return print_reports(args.json, reports, lambda report: imported_line(report, zone))


def write_receipt(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        exchange_service.write_receipt(app, args.output, args.device)
    print(_("Ontvangstbewijs geschreven naar {path}", path=args.output))
    return 0


def apply_receipt(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        result = exchange_service.apply_receipt(app, args.file)
        print(
            _(
                "Bevestigd: {bundles}, {visits} ({ignored} genegeerd).",
                bundles=n_("{count} bundel", "{count} bundels", result.bundles),
                visits=n_("{count} bezoek", "{count} bezoeken", result.visits),
                ignored=n_("{count} onbekende bundel", "{count} onbekende bundels", result.ignored_bundles),
            )
        )
        if args.purge:
            purged = exchange_service.purge(app, args.retention_days)
            print(
                n_(
                    "Opgeruimd: {count} bevestigd definitief bezoek.",
                    "Opgeruimd: {count} bevestigde definitieve bezoeken.",
                    len(purged),
                )
            )
    return 0


def inspect_bundle(args: argparse.Namespace) -> int:
    size, sha256, header = exchange_service.bundle_header(args.file)
    facts = exchange_service.envelope_facts(header)
    print_json(
        {
            "file": args.file.name,
            "size": size,
            "sha256": sha256,
            "envelope": facts.envelope,
            "recipient_stanzas": facts.recipient_stanzas,
        }
    )
    return 0
