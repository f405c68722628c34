"""`inspector-app policy show|set`: the municipal policy the rules and texts read."""

from __future__ import annotations

import argparse

from inspector_app.cli.output import print_json
from inspector_app.domain.policy import PolicyKey
from inspector_app.i18n import _
from inspector_app.services.app import opened_app
from inspector_app.services.policy import set_policy, show_policy


def register(policy: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app policy ...` to its parser (made by cli.main)."""
    commands = policy.add_subparsers(dest="policy_command", required=True, metavar="COMMAND")
    show = commands.add_parser("show", help=_("het gemeentelijk beleid tonen"))
    show.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    show.set_defaults(handler=show_one)
    change = commands.add_parser(
        "set", help=_("één beleidsinstelling wijzigen (kantoor of losse installatie, niet op een laptop)")
    )
    change.add_argument("key", metavar="KEY", help=", ".join(k.value for k in PolicyKey))
    change.add_argument("value", metavar="VALUE")
    change.set_defaults(handler=set_one)


def _labels() -> dict[PolicyKey, str]:
    return {
        PolicyKey.MUNICIPALITY: _("Gemeente"),
        PolicyKey.CONTACT_PERSON: _("Aandachtsfunctionaris mensenhandel"),
        PolicyKey.APV_MIN_AGE: _("Minimumleeftijd sekswerk (APV)"),
        PolicyKey.TIME_ZONE: _("Tijdzone"),
        PolicyKey.SUPPRESSION_THRESHOLD: _("Drempel kleine aantallen (jaaroverzicht)"),
        PolicyKey.APP_LOCK_MINUTES: _("Vergrendelen na (minuten zonder gebruik)"),
    }


def show_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        view = show_policy(app)
    if args.json:
        print_json(view.to_json())
        return 0
    for key, label in _labels().items():
        value = view.policy.value(key)
        shown = str(value) if value != "" else "—"
        default = "" if key.value in view.set_keys else "  " + _("(standaard)")
        print(f"{key.value:<22} {label}: {shown}{default}")
    if not view.editable:
        print(_("Ingesteld door het kantoor; wijzigen kan alleen daar."))
    return 0


def set_one(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        policy = set_policy(app, args.key, args.value)
    key = PolicyKey(args.key)
    print(_("{label} is nu: {value}", label=_labels()[key], value=policy.value(key)))
    return 0
