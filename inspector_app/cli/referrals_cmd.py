"""`inspector-app referrals ...`: record and follow up the referral of signals to partners."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from inspector_app.cli.output import print_json
from inspector_app.domain.model import ConsentStatus, Recipient, ReferralStatus, Urgency
from inspector_app.i18n import _
from inspector_app.services.app import opened_app
from inspector_app.services.visit.referrals import (
    ReferralUpdate,
    add_referral,
    list_referrals,
    update_referral,
)
from inspector_app.services.visits import open_visit


def register(referrals: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app referrals ...` to its parser (made by cli.main)."""
    commands = referrals.add_subparsers(dest="referrals_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_("doorverwijzingen tonen"))
    listing.add_argument("--status", choices=[s.value for s in ReferralStatus])
    listing.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    listing.set_defaults(handler=list_all)
    add = commands.add_parser("add", help=_("een doorverwijzing aanmaken; drukt het id af"))
    add.add_argument("visit")
    add.add_argument("--recipient", required=True, choices=[r.value for r in Recipient])
    add.add_argument("--urgency", required=True, choices=[u.value for u in Urgency])
    add.add_argument(
        "--consent", default=ConsentStatus.NOT_APPLICABLE.value, choices=[c.value for c in ConsentStatus]
    )
    add.add_argument("--slug", action="append", help=_("signaal (herhaalbaar; standaard alle open signalen)"))
    add.add_argument("--note", default="")
    add.set_defaults(handler=add_one)
    update = commands.add_parser("update", help=_("verzending, toestemming of uitkomst vastleggen"))
    update.add_argument("referral")
    update.add_argument("--status", choices=[s.value for s in ReferralStatus])
    update.add_argument("--sent-at", help=_("verzonden op JJJJ-MM-DD of JJJJ-MM-DDTUU:MM"))
    update.add_argument("--channel", help=_("kanaal, bijv. beveiligde e-mail, telefoon"))
    update.add_argument("--reference", help=_("kenmerk van de partner"))
    update.add_argument("--outcome", help=_("terugkoppeling / uitkomst"))
    update.add_argument("--consent", choices=[c.value for c in ConsentStatus])
    update.add_argument("--urgency", choices=[u.value for u in Urgency])
    update.set_defaults(handler=update_one)


def list_all(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        rows = list_referrals(app, args.status)
    if args.json:
        print_json([asdict(row) for row in rows])
        return 0
    for row in rows:
        print(
            f"{row.id[:8]}  {row.visit_id[:8]}  {row.recipient:<20} {row.urgency:<14} {row.status:<6} "
            f"{row.sent_at or '-':<16} {row.reference}"
        )
    if not rows:
        print(_("Geen doorverwijzingen gevonden."))
    return 0


def add_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        referral_id, _changes = add_referral(
            open_visit(app, args.visit), args.recipient, args.urgency, args.consent, args.slug, args.note
        )
    print(referral_id)
    return 0


def update_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        update_referral(
            app,
            args.referral,
            ReferralUpdate(
                status=args.status,
                sent_at=args.sent_at,
                reference=args.reference,
                outcome=args.outcome,
                consent_status=args.consent,
                channel=args.channel,
                urgency=args.urgency,
            ),
        )
    return 0
