"""`inspector-app reinspections list`: the re-inspections (hercontroles) that are open, due or overdue."""

from __future__ import annotations

import argparse

from inspector_app.cli.output import print_json
from inspector_app.domain.model import LocationType
from inspector_app.i18n import _
from inspector_app.services.app import opened_app
from inspector_app.services.reinspections import DUE_SOON_DAYS, due_list


def _state_text(state: str) -> str:
    return {"overdue": _("TE LAAT"), "due": _("binnenkort"), "planned": _("gepland")}[state]


def register(reinspections: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app reinspections ...` to its parser (made by cli.main)."""
    commands = reinspections.add_subparsers(dest="reinspections_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_("open hercontroles, de eerstvolgende eerst"))
    which = listing.add_mutually_exclusive_group()
    which.add_argument(
        "--due",
        action="store_true",
        help=_("alleen te laat of binnen {days} dagen", days=DUE_SOON_DAYS),
    )
    which.add_argument("--overdue", action="store_true", help=_("alleen te laat"))
    listing.add_argument("--location-type", choices=[t.value for t in LocationType])
    listing.add_argument("--location", dest="location_id", help=_("id van een locatie uit het register"))
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    listing.set_defaults(handler=list_due)


def list_due(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        items = due_list(
            app,
            due=args.due,
            overdue=args.overdue,
            location_type=args.location_type,
            location_id=args.location_id,
        )
    if args.json:
        print_json([item.to_json() for item in items])
        return 0
    for item in items:
        row = item.row
        print(
            f"{row.due_date}  {_state_text(item.state):<10}  {row.visit_id[:8]}  {row.visit_date}  "
            f"{row.location_type}  {row.location_name}  {row.postcode}"
        )
    if not items:
        print(_("Geen open hercontroles."))
    return 0
