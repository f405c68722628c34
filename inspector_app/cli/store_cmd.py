"""`inspector-app store ...`: the encrypted store's key (status, passphrase, OS key store, DPO recovery).

Passphrases come from files (`--new-passphrase-file`, `--escrow-passphrase-file`) or a prompt on a
terminal, never from the command line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.cli.output import print_json
from inspector_app.cli.unlock_prompt import ask_on_terminal
from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.paths import app_paths
from inspector_app.services import store as store_service
from inspector_app.services.app import opened_app
from inspector_app.storage.store_key import PASSPHRASE, StoreKeyFile, key_file_of
from inspector_app.storage.unlock import given_passphrase, read_passphrase_file
from inspector_app.storage.unlock_request import process_unlock


def register(store: argparse.ArgumentParser) -> None:
    """Add the options and handlers of `inspector-app store ...` to its parser (made by cli.main)."""
    commands = store.add_subparsers(dest="store_command", required=True, metavar="COMMAND")
    status = commands.add_parser("status", help=_("hoe de gegevensmap is beveiligd"))
    status.add_argument("--json", action="store_true", help=_("uitvoer als JSON"))
    status.set_defaults(handler=show_status)
    passphrase = commands.add_parser("passphrase", help=_("de wachtwoordzin van de gegevensmap"))
    passphrase_commands = passphrase.add_subparsers(dest="passphrase_command", required=True)
    change = passphrase_commands.add_parser("change", help=_("een nieuwe wachtwoordzin instellen"))
    _new_passphrase_option(change)
    change.set_defaults(handler=change_passphrase)
    remember = commands.add_parser(
        "remember", help=_("de sleutel in de sleutelbewaarplaats van het systeem bewaren")
    )
    remember.set_defaults(handler=remember_key)
    forget = commands.add_parser(
        "forget", help=_("de sleutel uit de sleutelbewaarplaats halen (dan bij elke start vragen)")
    )
    forget.set_defaults(handler=forget_key)
    recover = commands.add_parser(
        "recover", help=_("toegang herstellen met de reservesleutel van de FG (op kantoor)")
    )
    recover.add_argument(
        "--escrow-key", required=True, type=Path, metavar="FILE", help=_("reservesleutel van de FG")
    )
    recover.add_argument(
        "--escrow-passphrase-file",
        type=Path,
        metavar="FILE",
        help=_("wachtwoordzin van de reservesleutel uit dit bestand"),
    )
    _new_passphrase_option(recover)
    recover.set_defaults(handler=recover_store)


def _new_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="FILE",
        help=_("de nieuwe wachtwoordzin uit dit bestand (anders wordt erom gevraagd)"),
    )


def _new_passphrase(args: argparse.Namespace) -> str:
    if args.new_passphrase_file is not None:
        return read_passphrase_file(args.new_passphrase_file)
    typed = ask_on_terminal(True)
    if typed is None:
        raise InvalidInputError(_("Geef de nieuwe wachtwoordzin met --new-passphrase-file BESTAND."))
    return typed


def show_status(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        status = store_service.status(app.paths)
    if args.json:
        print_json(status.to_json())
        return 0
    names = {
        "keyring": _("sleutelbewaarplaats van het systeem"),
        "passphrase": _("wachtwoordzin"),
        "escrow": _("reservesleutel van de FG"),
        "practice": _("vaste oefensleutel"),
    }
    print(_("Versleuteld (SQLCipher); sleutelbestand {path}", path=status.key_file))
    print(_("Ontgrendelen met: {kinds}", kinds=", ".join(names[k] for k in status.protections)))
    if not status.os_keystore:
        print(_("Deze computer heeft geen sleutelbewaarplaats van het systeem."))
    return 0


def change_passphrase(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        key_file = StoreKeyFile.load(key_file_of(app.paths.database))
        current = None
        if PASSPHRASE in key_file.wraps:
            current = given_passphrase(process_unlock()) or ask_on_terminal(False)
        store_service.change_passphrase(app.paths, app.db, current, _new_passphrase(args))
    print(_("De wachtwoordzin is gewijzigd."))
    return 0


def remember_key(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        if not store_service.remember_in_keystore(app.paths, app.db):
            raise InvalidInputError(
                _("Deze computer heeft geen sleutelbewaarplaats van het systeem; er is niets gewijzigd.")
            )
    print(_("De sleutel staat in de sleutelbewaarplaats van het systeem."))
    return 0


def forget_key(args: argparse.Namespace) -> int:
    with opened_app(args.data_dir) as app:
        store_service.forget_keystore(app.paths)
    print(
        _("De sleutel is uit de sleutelbewaarplaats gehaald; de wachtwoordzin wordt bij elke start gevraagd.")
    )
    return 0


def recover_store(args: argparse.Namespace) -> int:
    try:
        backup = args.escrow_key.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            _("De reservesleutel {path} kan niet worden gelezen.", path=args.escrow_key)
        ) from error
    if args.escrow_passphrase_file is not None:
        escrow_passphrase = read_passphrase_file(args.escrow_passphrase_file)
    else:
        typed = ask_on_terminal(False)
        if typed is None:
            raise InvalidInputError(
                _("Geef de wachtwoordzin van de reservesleutel met --escrow-passphrase-file BESTAND.")
            )
        escrow_passphrase = typed
    store_service.recover_with_escrow(
        app_paths(args.data_dir).data_dir, backup, escrow_passphrase, _new_passphrase(args)
    )
    print(_("De toegang is hersteld: de gegevensmap opent met de nieuwe wachtwoordzin."))
    return 0
