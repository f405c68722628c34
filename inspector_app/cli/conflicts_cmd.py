"""`inspector-app conflicts ...`: the office's open sync conflicts, per field, and resolving them."""

from __future__ import annotations

import argparse
from typing import Any

from inspector_app.cli.output import print_json
from inspector_app.errors import InvalidInputError
from inspector_app.forms.display import format_moment
from inspector_app.i18n import _, current_language
from inspector_app.services import conflicts as conflict_service
from inspector_app.services.app import AppContext, opened_app
from inspector_app.services.clock import policy_zone


def register(conflicts: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app conflicts ...` to its parser (made by cli.main)."""
    commands = conflicts.add_subparsers(dest="conflicts_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_("open conflicten per veld tonen"))
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    listing.set_defaults(handler=list_all)
    resolve = commands.add_parser("resolve", help=_("een conflict oplossen met een versie of waarde"))
    resolve.add_argument("conflict", help=_("bezoek-id van het conflict (de eerste 8 tekens volstaan)"))
    resolve.add_argument(
        "--take", required=True, help=_("versie-id (uit 'conflicts list') of, met --field, de gekozen waarde")
    )
    resolve.add_argument("--field", help=_("alleen dit veld (sleutel uit 'conflicts list')"))
    resolve.add_argument("--reason", required=True, help=_("reden van de keuze"))
    resolve.set_defaults(handler=resolve_one)


def _listing(app: AppContext) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for summary in conflict_service.list_conflicts(app):
        versions = {v.version_id: v for v in summary.versions}
        fields = conflict_service.conflict_fields(app, summary.conflict_id)
        found.append(
            {
                "id": summary.conflict_id,
                "visit": summary.conflict_id,
                "location": summary.location,
                "started_at": summary.started_at,
                "fields": [
                    {
                        "field": field.key,
                        "values": [
                            {
                                "version": version_id,
                                "value": field.values.get(version_id, ""),
                                "device": versions[version_id].device_id,
                                "device_name": versions[version_id].device_name,
                                "at": versions[version_id].updated_at,
                                "shown": versions[version_id].shown,
                            }
                            for version_id in versions
                        ],
                    }
                    for field in fields
                ],
            }
        )
    return found


def list_all(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        found = _listing(app)
        zone = policy_zone(app.db)
    if args.json:
        print_json(found)
        return 0
    if not found:
        print(_("Er zijn geen open conflicten."))
    for conflict in found:
        print(_("Bezoek {visit} ({location}):", visit=str(conflict["id"])[:8], location=conflict["location"]))
        for field in conflict["fields"]:
            print(f"  {field['field']}")
            for value in field["values"]:
                print(
                    f"    {value['version']}  {value['device_name']}  {format_moment(value['at'], current_language(), zone)}  {value['value']}"
                )
    return 0


def _conflict_id(app: AppContext, given: str) -> str:
    matches = [c.conflict_id for c in conflict_service.list_conflicts(app) if c.conflict_id.startswith(given)]
    if len(matches) != 1:
        raise InvalidInputError(_("Geen (eenduidig) open conflict voor bezoek {visit}", visit=given))
    return matches[0]


def resolve_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        conflict_id = _conflict_id(app, args.conflict)
        versions = [v.version_id for v in conflict_service.conflict_versions(app, conflict_id)]
        fields = conflict_service.conflict_fields(app, conflict_id)
        keys = [f.key for f in fields if args.field in (None, f.key)]
        if args.field is not None and not keys:
            raise InvalidInputError(_("Veld {field} verschilt niet in dit conflict", field=args.field))
        if args.take in versions:
            choices = dict.fromkeys(keys, args.take)
        else:
            [field] = [f for f in fields if f.key == args.field] if args.field else [None]
            holding = [v for v in versions if field is not None and field.values.get(v) == args.take]
            if not holding:
                raise InvalidInputError(
                    _("{take} is geen versie van dit conflict en geen waarde van het veld", take=args.take)
                )
            choices = {field.key: holding[0]} if field is not None else {}
        rev_id = conflict_service.resolve_conflict(app, conflict_id, choices, args.reason)
    print(_("Opgelost; nieuwe revisie {revision}", revision=rev_id))
    return 0
