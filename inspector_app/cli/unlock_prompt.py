"""How a command unlocks the store: `--passphrase-file`, $INSPECTOR_APP_PASSPHRASE_FILE, or a prompt
on a terminal (never a passphrase on the command line, where other accounts and the shell history
would see it)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from inspector_app.i18n import _
from inspector_app.storage.unlock_request import Unlock


def ask_on_terminal(new: bool) -> str | None:
    """The passphrase typed without echo; a new one twice. None without a terminal (scripts)."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    if not new:
        return getpass.getpass(_("Wachtwoordzin van de gegevensmap: "))
    first = getpass.getpass(_("Kies een wachtwoordzin voor de gegevensmap (minstens 12 tekens): "))
    if getpass.getpass(_("Nog een keer: ")) != first:
        from inspector_app.errors import InvalidInputError

        raise InvalidInputError(_("De twee wachtwoordzinnen verschillen; er is niets gewijzigd."))
    return first


def command_unlock(passphrase_file: str | None) -> Unlock:
    return Unlock(passphrase_file=Path(passphrase_file) if passphrase_file else None, ask=ask_on_terminal)
