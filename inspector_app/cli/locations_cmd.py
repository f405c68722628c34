"""`inspector-app locations proposals|accept|reject`: register edits from laptops, decided at the office."""

from __future__ import annotations

import argparse

from inspector_app.cli.output import print_json
from inspector_app.i18n import _
from inspector_app.services import location_proposals
from inspector_app.services.app import opened_app
from inspector_app.services.location_proposals import Proposal


def register(locations: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app locations ...` to its parser (made by cli.main)."""
    commands = locations.add_subparsers(dest="locations_command", required=True, metavar="COMMAND")
    listing = commands.add_parser(
        "proposals", help=_("voorstellen van laptops voor het locatieregister tonen")
    )
    listing.add_argument("--all", action="store_true", help=_("ook afgehandelde voorstellen tonen"))
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    listing.set_defaults(handler=show_proposals)
    accept = commands.add_parser("accept", help=_("een voorstel overnemen in het register"))
    accept.add_argument("id", metavar="ID", type=int, help=_("nummer van het voorstel"))
    accept.set_defaults(handler=accept_one)
    reject = commands.add_parser("reject", help=_("een voorstel afwijzen; het register blijft zoals het is"))
    reject.add_argument("id", metavar="ID", type=int, help=_("nummer van het voorstel"))
    reject.add_argument("--reason", required=True, help=_("waarom het voorstel is afgewezen"))
    reject.set_defaults(handler=reject_one)


def proposal_line(proposal: Proposal) -> str:
    changes = "; ".join(f"{field}: {old!r} -> {new!r}" for field, (old, new) in proposal.changes.items())
    return _(
        "{number}  {status}  locatie {location} van laptop {device}: {changes}",
        number=proposal.id,
        status=proposal.status,
        location=proposal.location_id[:8],
        device=proposal.device_name or proposal.device_id[:8],
        changes=changes or _("(gelijk aan het register)"),
    )


def show_proposals(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        found = location_proposals.proposals(app, args.all)
    if args.json:
        print_json([proposal.to_json() for proposal in found])
        return 0
    if not found:
        print(_("Geen open voorstellen voor het locatieregister."))
    for proposal in found:
        print(proposal_line(proposal))
    return 0


def accept_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        proposal = location_proposals.accept(app, args.id)
    print(_("Voorstel {number} overgenomen in het register.", number=proposal.id))
    return 0


def reject_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        proposal = location_proposals.reject(app, args.id, args.reason)
    print(_("Voorstel {number} afgewezen; het register is niet gewijzigd.", number=proposal.id))
    return 0
