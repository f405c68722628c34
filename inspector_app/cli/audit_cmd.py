"""`inspector-app audit verify`: recompute the audit log's hash chain."""

from __future__ import annotations

import argparse

from inspector_app.cli.output import print_json
from inspector_app.i18n import _
from inspector_app.services.app import opened_app
from inspector_app.storage.audit import verify_chain


def register(audit: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app audit ...` to its parser (made by cli.main)."""
    commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    verify = commands.add_parser("verify", help=_("de hashketen van het auditlog controleren"))
    verify.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    verify.set_defaults(handler=verify_log)


def verify_log(args: argparse.Namespace) -> int:
    """Exit 0 when the chain verifies, 1 (with the first bad entry) when it does not."""
    with opened_app(args.data_dir) as app:
        result = verify_chain(app.db)
    if args.json:
        print_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "purged_values": result.purged_values,
                "first_bad_seq": result.first_bad_seq,
                "reason": result.reason,
            }
        )
    elif result.ok:
        print(
            _(
                "Auditlog in orde: {entries} regels, waarvan {purged} zonder waarden (bewaartermijn).",
                entries=result.entries,
                purged=result.purged_values,
            )
        )
    else:
        print(
            _(
                "Auditlog NIET in orde vanaf regel {seq} ({reason}). Meld dit bij de FG; wijzig niets.",
                seq=result.first_bad_seq,
                reason=result.reason,
            )
        )
    return 0 if result.ok else 1
