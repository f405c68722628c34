"""Office: the location register edits laptops proposed, to see and to accept or reject (CLI and desktop)."""

from __future__ import annotations

from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.keys import is_office
from inspector_app.storage.db import writing
from inspector_app.sync.proposals import Proposal as Proposal  # the view the CLI and the desktop show
from inspector_app.sync.proposals import accept_proposal, list_proposals, reject_proposal


def _office_only(app: AppContext) -> None:
    if not is_office(app):
        raise InvalidInputError(
            _("Alleen een kantoorinstallatie beheert het locatieregister en de voorstellen van laptops.")
        )


def proposals(app: AppContext, include_decided: bool = False) -> list[Proposal]:
    _office_only(app)
    return list_proposals(app.db, include_decided)


def accept(app: AppContext, number: int) -> Proposal:
    _office_only(app)
    with writing(app.db):
        return accept_proposal(app.db, number, app.actor, app.device_id)


def reject(app: AppContext, number: int, reason: str) -> Proposal:
    _office_only(app)
    with writing(app.db):
        return reject_proposal(app.db, number, reason, app.actor, app.device_id)
