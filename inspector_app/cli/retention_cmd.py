"""`inspector-app retention ...`: the retention periods, and removing what they say is due."""

from __future__ import annotations

import argparse
from zoneinfo import ZoneInfo

from inspector_app.cli.output import print_json
from inspector_app.forms.display import format_moment
from inspector_app.i18n import _, current_language
from inspector_app.services import retention as retention_service
from inspector_app.services.app import opened_app
from inspector_app.services.clock import policy_zone
from inspector_app.storage.retention import RetentionRule, class_description


def register(retention: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app retention ...` to its parser (made by cli.main)."""
    commands = retention.add_subparsers(dest="retention_command", required=True, metavar="COMMAND")
    show = commands.add_parser("show", help=_("bewaartermijnen per soort gegevens tonen"))
    show.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    show.set_defaults(handler=show_policy)
    run = commands.add_parser("run", help=_("verwijderen wat over de bewaartermijn is"))
    run.add_argument("--dry-run", action="store_true", help=_("alleen tonen wat verwijderd zou worden"))
    run.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    run.set_defaults(handler=run_retention)
    change = commands.add_parser("set", help=_("een bewaartermijn vaststellen (kantoor, FG)"))
    change.add_argument("record_class", metavar="CLASS", help=_("soort gegevens (zie 'retention show')"))
    change.add_argument("days", metavar="DAYS", help=_("aantal dagen, of 'nooit'"))
    change.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    change.set_defaults(handler=set_policy)


def _rule_json(rule: RetentionRule) -> dict[str, object]:
    return {
        "class": rule.record_class.value,
        "days": rule.days,
        "default": rule.is_default,
        "set_at": rule.set_at,
        "set_by": rule.set_by,
        "description": class_description(rule.record_class),
    }


def _rule_line(rule: RetentionRule, zone: ZoneInfo | None) -> str:
    days = _("nooit verwijderen") if rule.days is None else _("{days} dagen", days=rule.days)
    # the day it was set in the municipality (policy zone), not the UTC date of the stored time
    set_on = format_moment(rule.set_at, current_language(), zone).split(" ")[0]
    origin = _("standaard") if rule.is_default else _("vastgesteld {at}", at=set_on)
    return f"{rule.record_class.value:<26} {days:<18} {origin:<22} {class_description(rule.record_class)}"


def show_policy(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        rules = retention_service.show(app)
        zone = policy_zone(app.db)
    if args.json:
        print_json([_rule_json(rule) for rule in rules])
        return 0
    for rule in rules:
        print(_rule_line(rule, zone))
    return 0


def set_policy(args: argparse.Namespace) -> int:
    record_class = retention_service.parse_class(args.record_class)
    days = retention_service.parse_days(args.days)
    with opened_app(args.data_dir) as app:
        rule = retention_service.set_period(app, record_class, days)
        zone = policy_zone(app.db)
    if args.json:
        print_json(_rule_json(rule))
    else:
        print(_rule_line(rule, zone))
    return 0


def run_retention(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        outcome = retention_service.plan(app) if args.dry_run else retention_service.run(app)
    if args.json:
        print_json(outcome.to_json())
        return 0
    print(
        _("Proefdraai: er is niets verwijderd.")
        if outcome.dry_run
        else _("Verwijderd volgens de bewaartermijnen.")
    )
    for rule in outcome.rules:
        if rule.days is None:
            print(_("  {name}: nooit verwijderen", name=rule.record_class.value))
            continue
        print(
            _(
                "  {name} ({days} dagen): {visits} bezoeken, {rows} regels, {files} bestanden",
                name=rule.record_class.value,
                days=rule.days,
                visits=len(rule.visits),
                rows=rule.rows,
                files=len(rule.files),
            )
        )
        for visit in rule.visits:
            print(f"    {visit}")
    if outcome.locations_removed:
        print(_("  locaties zonder bezoeken verwijderd: {count}", count=len(outcome.locations_removed)))
    if not outcome.dry_run and not outcome.compacted:
        print(
            _(
                "Let op: de database kon niet helemaal worden opgeschoond omdat een ander programma haar "
                "open heeft (de app?). Sluit dat en voer 'retention run' opnieuw uit."
            )
        )
    print(_("Auditketen: in orde.") if outcome.chain_ok else _("Auditketen: NIET in orde."))
    return 0
