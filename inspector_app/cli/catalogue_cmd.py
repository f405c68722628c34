"""`inspector-app catalogue list|show`: the signal indicators, and which checklist rules raise each."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from inspector_app.cli.inspect_views import indicator_view, raising_rules
from inspector_app.cli.output import print_json
from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.sources import load_sources
from inspector_app.errors import NotFoundError
from inspector_app.forms.loader import load_all_forms
from inspector_app.i18n import _, current_language


def register(catalogue: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app catalogue ...` to its parser (made by cli.main)."""
    commands = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_("alle signaalindicatoren tonen"))
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    listing.set_defaults(handler=list_indicators)
    show = commands.add_parser("show", help=_("één indicator tonen, met de regels die hem kunnen afgeven"))
    show.add_argument("slug", metavar="SLUG")
    show.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    show.set_defaults(handler=show_indicator)


def list_indicators(args: argparse.Namespace) -> int:
    catalogue = load_catalogue()
    language = current_language()
    rows = [indicator_view(i, catalogue, language) for i in catalogue.indicators.values()]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['slug']:<32} {row['weight']}  {row['category']:<9} {row['label']}")
    return 0


def show_indicator(args: argparse.Namespace) -> int:
    catalogue = load_catalogue()
    if args.slug not in catalogue:
        raise NotFoundError(
            _("Onbekende indicator '{slug}'; 'catalogue list' toont alle indicatoren.", slug=args.slug)
        )
    view = indicator_view(catalogue[args.slug], catalogue, current_language())
    view["raised_by"] = raising_rules(args.slug, load_all_forms())
    sources = load_sources()
    view["sources"] = [asdict(sources[ref]) for ref in view["refs"] if ref in sources]
    if args.json:
        print_json(view)
        return 0
    print(f"{view['slug']}: {view['label']}")
    print(_("Gewicht: {weight}; categorie: {category}", weight=view["weight"], category=view["category"]))
    print(_("Bronnen: {refs}", refs=", ".join(view["refs"]) or "—"))
    for source in view["sources"]:
        seen = "" if source["seen"] == "text" else "  " + _("(alleen titel gezien)")
        print(
            f"  {source['key']}: {source['publisher']}, {source['title']} ({source['year']}); {source['where']}{seen}"
        )
    if view["ilo"]:
        print(_("ILO: {items}", items="; ".join(f"{i['number']} {i['label']}" for i in view["ilo"])))
    if not view["raised_by"]:
        print(_("Geen checklistregel geeft deze indicator af; alleen handmatig aan te vinken."))
    for found in view["raised_by"]:
        where = f" ({found['question']})" if found["question"] else ""
        print(
            _(
                "Afgegeven door: {form} regel {rule}{where}",
                form=found["form"],
                rule=found["rule"],
                where=where,
            )
        )
    return 0
