"""The visit-list filters as command-line options, one definition for every command that takes them.

`visits list` and `export visits|signals` select visits the same way, so an office script can swap one
for the other; defining the options once keeps their names, choices and help texts from drifting.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from inspector_app.domain.model import LocationType, ReferralStatus, VisitStatus
from inspector_app.i18n import _

if TYPE_CHECKING:
    from inspector_app.services.visits import VisitFilter


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """--status, --form, --location-type, --has-high, --search, --since, --until, --slug,
    --referral-status."""
    parser.add_argument("--status", choices=[s.value for s in VisitStatus])
    parser.add_argument("--form")
    parser.add_argument("--location-type", choices=[t.value for t in LocationType])
    parser.add_argument("--has-high", action="store_true", help=_("alleen met een signaal van hoog gewicht"))
    parser.add_argument("--search", default="", help=_("zoek op naam, adres of postcode"))
    parser.add_argument("--since", help=_("vanaf datum JJJJ-MM-DD"))
    parser.add_argument("--until", help=_("tot datum JJJJ-MM-DD"))
    parser.add_argument("--slug", help=_("alleen met dit openstaande signaal, bijv. gen.debt"))
    parser.add_argument(
        "--referral-status",
        choices=["none", *(s.value for s in ReferralStatus)],
        help=_("alleen bezoeken met een doorverwijzing in deze status (none: zonder)"),
    )


def visit_filter(args: argparse.Namespace, limit: int | None = None) -> VisitFilter:
    """The filter the options of `add_filter_options` describe."""
    # Loaded here, not at registration: `--help` of these commands needs no store code.
    from inspector_app.services.visits import VisitFilter

    return VisitFilter(
        status=args.status,
        form_id=args.form,
        location_type=args.location_type,
        has_high=args.has_high,
        search=args.search,
        since=args.since,
        until=args.until,
        limit=limit,
        slug=args.slug,
        referral_status=args.referral_status,
    )
