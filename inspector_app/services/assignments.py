"""Office: hand a visit to a second laptop (a joint visit), so that laptop's bundles may change it."""

from __future__ import annotations

import re

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.keys import is_office
from inspector_app.storage import sync_devices
from inspector_app.storage import visits as visits_repo
from inspector_app.storage.db import writing
from inspector_app.sync.authority import Assignment, assign_visit
from inspector_app.sync.identifiers import UUID_PATTERN


def assign(app: AppContext, visit_ref: str, device: str, reason: str) -> Assignment:
    """Assign a visit (held here, or a full id of one still on its way) to a registered laptop."""
    if not is_office(app):
        raise InvalidInputError(_("Alleen een kantoorinstallatie kan bezoeken toewijzen."))
    if not reason.strip():
        raise InvalidInputError(_("Geef een reden voor de toewijzing (--reason)."))
    visit_id = _visit_id(app, visit_ref)
    matches = sync_devices.find_devices(app.db, device)
    if not matches:
        raise NotFoundError(_("Apparaat {device} is niet geregistreerd", device=device))
    if len(matches) > 1:
        raise InvalidInputError(_("Apparaat {device} is niet eenduidig; geef meer tekens", device=device))
    target = matches[0]
    if target.revoked_at:
        raise InvalidInputError(
            _("Apparaat {device} is ingetrokken; een bezoek toewijzen kan niet.", device=device)
        )
    with writing(app.db):
        return assign_visit(app.db, visit_id, target.device_id, reason.strip(), app.actor, app.device_id)


def _visit_id(app: AppContext, visit_ref: str) -> str:
    ref = visit_ref.strip().lower()
    if visits_repo.get_visit(app.db, ref) is not None:
        return ref
    matches = visits_repo.find_visit_ids(app.db, ref) if len(ref) >= 4 else []
    if len(matches) == 1:
        return str(matches[0])
    if len(matches) > 1:
        raise InvalidInputError(_("Bezoek '{ref}' is niet eenduidig; geef meer tekens", ref=visit_ref))
    if re.fullmatch(UUID_PATTERN, ref):
        return ref  # not here yet: the assignment waits for the visit's first bundle
    raise NotFoundError(_("Bezoek '{ref}' bestaat niet", ref=visit_ref))
