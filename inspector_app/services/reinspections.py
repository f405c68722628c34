"""Re-inspections (hercontroles): set one at finalisation, list what is due, link the visit that does it.

The inspector (or the office) sets a re-inspection as "within N weeks" of the visit or on a date; it
is stored beside the visit (`visit_follow_ups`), travels to the office with the visit in a field bundle
and back to every laptop in the reference bundle's due list. A visit started from the list names the
earlier visit (`follows_up`), which closes that re-inspection everywhere the link has arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.clock import local_now
from inspector_app.services.visit.finalize import finalize_visit
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage import follow_ups as repo
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing

MAX_WEEKS = 104
MAX_DAYS_AHEAD = 2 * 366
DUE_SOON_DAYS = 14
"""`--due` lists what is overdue and what falls due within this many days."""
SET_ACTION = "visit.follow_up_set"
LINK_ACTION = "visit.follows_up"


@dataclass(frozen=True)
class FollowUpRequest:
    """A re-inspection within `weeks` of the visit day, or on `on` (YYYY-MM-DD); neither: none."""

    weeks: int | None = None
    on: str | None = None

    @property
    def empty(self) -> bool:
        return self.weeks is None and not self.on


def due_date_for(request: FollowUpRequest, visit_day: str) -> str:
    """The due day of `request` for a visit on `visit_day`, or a clear refusal."""
    if request.weeks is not None and request.on:
        raise InvalidInputError(
            _("Geef een termijn in weken of een datum voor de hercontrole, niet allebei.")
        )
    start = date.fromisoformat(visit_day[:10])
    if request.weeks is not None:
        if not 1 <= request.weeks <= MAX_WEEKS:
            raise InvalidInputError(
                _(
                    "Een hercontrole binnen {weeks} weken kan niet; kies 1 tot {most} weken.",
                    weeks=request.weeks,
                    most=MAX_WEEKS,
                )
            )
        return (start + timedelta(weeks=request.weeks)).isoformat()
    try:
        due = date.fromisoformat(str(request.on))
    except ValueError:
        raise InvalidInputError(
            _("Datum '{value}' voor de hercontrole is geen datum als JJJJ-MM-DD.", value=request.on)
        ) from None
    if due <= start or due > start + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInputError(
            _(
                "De hercontrole op {due} moet na de bezoekdatum {day} liggen en ten hoogste twee jaar later.",
                due=due.isoformat(),
                day=start.isoformat(),
            )
        )
    return due.isoformat()


def _write_due(app: AppContext, visit_id: str, due: str | None, at: str) -> None:
    """Store the due date (keeping any `follows_up` link) with its audit entry; inside a transaction."""
    before = repo.get_follow_up(app.db, visit_id)
    old = before.due_date if before else None
    if old == due:
        return
    repo.put_follow_up(
        app.db,
        repo.FollowUpRow(visit_id, due, before.follows_up if before else None, at, app.actor, app.device_id),
    )
    append(
        app.db,
        AuditEntry(
            app.actor,
            app.device_id,
            SET_ACTION,
            "visit",
            visit_id,
            visit_id,
            {"due_date": old},
            {"due_date": due},
        ),
        at,
    )


def set_follow_up(app: AppContext, session: VisitSession, request: FollowUpRequest) -> str | None:
    """Set (or, with an empty request, clear) the re-inspection of a visit; returns the due day.

    Allowed on a draft and on a final visit: it plans the next visit and is not part of the sealed
    content; the change is audited and travels with the visit's next bundle.
    """
    due = None if request.empty else due_date_for(request, session.visit.started_at)
    with writing(app.db):
        _write_due(app, session.visit_id, due, now_iso())
    return due


def finalize_with_follow_up(session: VisitSession, request: FollowUpRequest) -> Changes:
    """Finalize and set the re-inspection in one transaction: a refused finalize plans nothing."""
    if request.empty:
        return finalize_visit(session)
    due = due_date_for(request, session.visit.started_at)
    with session.transaction():
        changes = finalize_visit(session)
        _write_due(session.app, session.visit_id, due, changes.saved_at or now_iso())
    return changes


def earlier_visit(app: AppContext, ref: str, location_id: str | None) -> tuple[str, str]:
    """(id, location id) of the visit a new visit follows up: held here or on the office's due list."""
    wanted = ref.strip().lower()
    matches = repo.visits_by_prefix(app.db, wanted)
    if len(wanted) < 4 or not matches:
        raise NotFoundError(_("Het eerdere bezoek '{ref}' voor de hercontrole is hier niet bekend.", ref=ref))
    if len(matches) > 1:
        raise InvalidInputError(_("Bezoek '{ref}' is niet eenduidig; geef meer tekens", ref=ref))
    ((visit_id, at_location),) = matches.items()
    if location_id is not None and at_location != location_id:
        raise InvalidInputError(
            _(
                "Het eerdere bezoek {visit} was op een andere locatie; een hercontrole is op dezelfde locatie.",
                visit=visit_id[:8],
            )
        )
    return visit_id, at_location


def link_follow_up(app: AppContext, visit_id: str, earlier_id: str, at: str) -> AuditEntry:
    """Record that `visit_id` is the re-inspection of `earlier_id` (inside the start_visit transaction);
    returns the audit entry for the caller to append with the visit's own."""
    repo.put_follow_up(app.db, repo.FollowUpRow(visit_id, None, earlier_id, at, app.actor, app.device_id))
    return AuditEntry(
        app.actor, app.device_id, LINK_ACTION, "visit", visit_id, visit_id, None, {"follows_up": earlier_id}
    )


@dataclass(frozen=True)
class DueItem:
    row: repo.DueRow
    state: str  # overdue | due | planned
    days: int  # until the due day; negative when overdue

    def to_json(self) -> dict[str, Any]:
        row = self.row
        return {
            "visit_id": row.visit_id,
            "visit_date": row.visit_date,
            "due_date": row.due_date,
            "state": self.state,
            "days": self.days,
            "location": {
                "id": row.location_id,
                "name": row.location_name,
                "type": row.location_type,
                "postcode": row.postcode,
            },
            "source": row.source,
        }


def due_list(
    app: AppContext,
    *,
    due: bool = False,
    overdue: bool = False,
    location_type: str | None = None,
    location_id: str | None = None,
    today: date | None = None,
) -> list[DueItem]:
    """Open re-inspections, soonest first: all, `due` (overdue or within DUE_SOON_DAYS) or `overdue`."""
    day = today or local_now(app.db).date()  # the municipal day, whatever the machine's zone
    until = None
    if overdue:
        until = (day - timedelta(days=1)).isoformat()
    elif due:
        until = (day + timedelta(days=DUE_SOON_DAYS)).isoformat()
    items = []
    for row in repo.due_rows(app.db, until, location_type, location_id):
        days = (date.fromisoformat(row.due_date) - day).days
        state = "overdue" if days < 0 else "due" if days <= DUE_SOON_DAYS else "planned"
        items.append(DueItem(row, state, days))
    return items


def follow_up_detail(app: AppContext, visit_id: str) -> dict[str, Any]:
    """The re-inspection fields of `visits show --json`."""
    row = repo.get_follow_up(app.db, visit_id)
    return {
        "reinspection_due": row.due_date if row else None,
        "follows_up": row.follows_up if row else None,
        "followed_up_by": repo.followed_up_by(app.db, visit_id),
    }
