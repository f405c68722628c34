"""The zaak a visit is filed under (zaakgericht werken): zaaknummer and optional zaaktype.

Filing metadata, not visit content: setting it makes no revision and leaves the content hash alone,
so it can be added to a final visit at the office without an addendum. Every change is audited.
"""

from __future__ import annotations

from inspector_app.domain.zaak import MAX_ZAAKTYPE, Zaak, valid_zaaknummer, valid_zaaktype
from inspector_app.errors import InvalidInputError
from inspector_app.i18n import _
from inspector_app.services.visit.session import VisitSession
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing

__all__ = ["Zaak", "load_zaak", "set_zaak"]


def load_zaak(session: VisitSession) -> Zaak | None:
    row = session.db.execute(
        "SELECT zaaknummer, zaaktype FROM visit_zaak WHERE visit_id = ?", [session.visit_id]
    ).fetchone()
    return Zaak(str(row[0]), str(row[1])) if row else None


def set_zaak(session: VisitSession, zaaknummer: str, zaaktype: str = "") -> Zaak:
    """Record (or change) the zaak; bad input changes nothing and says what a zaaknummer looks like."""
    number, kind = zaaknummer.strip(), " ".join(zaaktype.split())
    if not valid_zaaknummer(number):
        raise InvalidInputError(
            _(
                "Ongeldig zaaknummer '{number}': gebruik 1 tot 40 letters, cijfers en . _ / -, "
                "beginnend met een letter of cijfer",
                number=zaaknummer,
            )
        )
    if not valid_zaaktype(kind):
        raise InvalidInputError(_("Ongeldig zaaktype: hoogstens {count} leesbare tekens", count=MAX_ZAAKTYPE))
    before = load_zaak(session)
    after = Zaak(number, kind)
    if before == after:
        return after
    at = now_iso()
    with writing(session.db):
        session.db.execute(
            "INSERT INTO visit_zaak (visit_id, zaaknummer, zaaktype, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (visit_id) DO UPDATE SET zaaknummer = excluded.zaaknummer,"
            " zaaktype = excluded.zaaktype, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [session.visit_id, number, kind, at, session.app.actor],
        )
        entry = AuditEntry(
            session.app.actor,
            session.app.device_id,
            "visit.zaak",
            "visit",
            session.visit_id,
            session.visit_id,
            None if before is None else {"zaaknummer": before.zaaknummer, "zaaktype": before.zaaktype},
            {"zaaknummer": number, "zaaktype": kind},
        )
        append(session.db, entry, at)
    return after
