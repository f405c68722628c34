"""`inspector-app keys ...`: office key, enrolment of laptops, registration, revocation, backups."""

from __future__ import annotations

import argparse
import getpass
import json
import os
from pathlib import Path

from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _
from inspector_app.services import keys as keys_service
from inspector_app.services.app import opened_app
from inspector_app.sync.keys import create_escrow, short_fingerprint


def register(keys: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app keys ...` to its parser (made by cli.main)."""
    commands = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    init = commands.add_parser("init-office", help=_("kantoorsleutels maken (eenmalig, op kantoor)"))
    init.add_argument("--municipality", default="", help=_("naam van de gemeente"))
    init.add_argument(
        "--escrow-recipient", action="append", default=[], help=_("age-ontvanger voor de reservesleutel")
    )
    init.set_defaults(handler=init_office)
    enrolment = commands.add_parser("export-enrolment", help=_("inschrijvingsbestand voor laptops schrijven"))
    enrolment.add_argument("-o", "--output", required=True, type=Path)
    enrolment.set_defaults(handler=export_enrolment)
    enrol = commands.add_parser("enrol", help=_("deze laptop inschrijven bij het kantoor"))
    enrol.add_argument("file", type=Path)
    enrol.set_defaults(handler=enrol_laptop)
    registration = commands.add_parser(
        "export-registration", help=_("registratiebestand voor het kantoor schrijven")
    )
    registration.add_argument("-o", "--output", required=True, type=Path)
    registration.set_defaults(handler=export_registration)
    device = commands.add_parser("register-device", help=_("een laptop vertrouwen (op kantoor)"))
    device.add_argument("file", type=Path)
    device.set_defaults(handler=register_device)
    revoke = commands.add_parser("revoke", help=_("een laptop intrekken"))
    revoke.add_argument("device")
    revoke.add_argument("--reason", default="", help=_("reden van intrekking"))
    revoke.set_defaults(handler=revoke_device)

    reinstate = commands.add_parser("reinstate", help=_("een ingetrokken laptop heractiveren (kantoor)"))
    reinstate.add_argument("device")
    reinstate.add_argument("--reason", required=True, help=_("reden van heractiveren"))
    reinstate.set_defaults(handler=reinstate_device)
    fingerprint = commands.add_parser("fingerprint", help=_("vingerafdrukken tonen om te vergelijken"))
    fingerprint.set_defaults(handler=show_fingerprints)
    backup = commands.add_parser("backup", help=_("kantoorsleutel bewaren onder een wachtwoordzin"))
    backup.add_argument("-o", "--output", required=True, type=Path)
    backup.add_argument(
        "--passphrase-env", metavar="VAR", help=_("wachtwoordzin uit deze omgevingsvariabele")
    )
    backup.set_defaults(handler=backup_office)
    restore = commands.add_parser("restore", help=_("kantoor- of reservesleutel terugzetten"))
    restore.add_argument("file", type=Path)
    restore.add_argument(
        "--passphrase-env", metavar="VAR", help=_("wachtwoordzin uit deze omgevingsvariabele")
    )
    restore.set_defaults(handler=restore_key)
    escrow = commands.add_parser(
        "create-escrow", help=_("een reservesleutel maken voor de FG (offline bewaren)")
    )
    escrow.add_argument("-o", "--output", required=True, type=Path)
    escrow.add_argument(
        "--passphrase-env", metavar="VAR", help=_("wachtwoordzin uit deze omgevingsvariabele")
    )
    escrow.set_defaults(handler=create_escrow_key)


def _passphrase(args: argparse.Namespace) -> str:
    if args.passphrase_env:
        return os.environ.get(args.passphrase_env, "")
    return getpass.getpass(_("Wachtwoordzin: "))


def init_office(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        public = keys_service.init_office(app, args.municipality, tuple(args.escrow_recipient))
    print(
        _(
            "Kantoorsleutel gemaakt. Vingerafdruk: {fingerprint}",
            fingerprint=short_fingerprint(public.fingerprint),
        )
    )
    return 0


def export_enrolment(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        public = keys_service.keystore(app).office_public()
    atomic_write_bytes(args.output, json.dumps(public.to_json(), indent=2).encode("utf-8"))
    print(_("Vingerafdruk: {fingerprint}", fingerprint=short_fingerprint(public.fingerprint)))
    return 0


def enrol_laptop(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        public, _device_key = keys_service.enrol(app, args.file)
        device = keys_service.registration(app)
    print(
        _(
            "Ingeschreven bij {municipality}. Vergelijk de vingerafdruk van het kantoor: {fingerprint}",
            municipality=public.municipality,
            fingerprint=short_fingerprint(public.fingerprint),
        )
    )
    print(_("Vingerafdruk van deze laptop: {fingerprint}", fingerprint=short_fingerprint(device.fingerprint)))
    return 0


def export_registration(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        found = keys_service.registration(app)
    atomic_write_bytes(args.output, json.dumps(found.to_json(), indent=2).encode("utf-8"))
    print(_("Vingerafdruk van deze laptop: {fingerprint}", fingerprint=short_fingerprint(found.fingerprint)))
    return 0


def register_device(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        found = keys_service.register_device(app, args.file)
    print(
        _(
            "Apparaat {device} geregistreerd. Vingerafdruk: {fingerprint}",
            device=found.device_id,
            fingerprint=short_fingerprint(found.fingerprint),
        )
    )
    return 0


def revoke_device(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        row = keys_service.revoke_device(app, args.device, args.reason)
    print(_("Apparaat {device} ingetrokken.", device=row.device_id))
    return 0


def reinstate_device(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        row = keys_service.reinstate_device(app, args.device, args.reason)
    print(_("Apparaat {device} is weer actief; het kan zich opnieuw registreren.", device=row.device_id))
    return 0


def show_fingerprints(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        store = keys_service.keystore(app)
        public = store.office_public()
        print(
            _(
                "Kantoor ({municipality}): {fingerprint}",
                municipality=public.municipality,
                fingerprint=short_fingerprint(public.fingerprint),
            )
        )
        if store.has_office():
            for row in keys_service.list_devices(app):
                state = _("ingetrokken") if row.revoked_at else _("actief")
                print(f"{row.device_id}  {short_fingerprint(row.fingerprint)}  {state}  {row.name}")
        else:
            device = keys_service.registration(app)
            print(
                _(
                    "Vingerafdruk van deze laptop: {fingerprint}",
                    fingerprint=short_fingerprint(device.fingerprint),
                )
            )
    return 0


def backup_office(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        data = keys_service.keystore(app).backup_office(_passphrase(args))
    atomic_write_bytes(args.output, data)
    print(_("Back-up van de kantoorsleutel geschreven naar {path}", path=args.output))
    return 0


def restore_key(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        kind = keys_service.keystore(app).restore(args.file.read_bytes(), _passphrase(args))
    print(_("Sleutel teruggezet ({kind}).", kind=kind))
    return 0


def create_escrow_key(args: argparse.Namespace) -> int:
    recipient, backup = create_escrow(_passphrase(args))
    atomic_write_bytes(args.output, backup)
    print(
        _(
            "Reservesleutel geschreven naar {path}. Ontvanger voor init-office: {recipient}",
            path=args.output,
            recipient=recipient,
        )
    )
    return 0
