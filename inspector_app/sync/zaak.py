"""The zaak of a visit in field bundles: a zaaknummer set on the laptop reaches the office.

The zaak is filing metadata, not visit content (services/documents/zaak.py): it makes no revision and
is outside the snapshot and its hash, so it travels beside the snapshots in `records/zaken.jsonl`, one
row per visit whose zaak this bundle reports: the visits in the bundle, and visits sent earlier whose
zaak changed since (a `visit.zaak` audit entry not yet acknowledged).

At the office the municipality files, so a zaak set there wins: a laptop's row fills a visit that has
none, or replaces one that came from a laptop before (when newer), never one set at the office (its
latest zaak audit entry is a person's `visit.zaak` there). A laptop without a zaak sends no row, so it
never clears one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from inspector_app.domain.zaak import valid_zaaknummer, valid_zaaktype
from inspector_app.i18n import _
from inspector_app.storage.audit import AuditEntry, append_many
from inspector_app.sync.authority import assignments, origins
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import FILES, Row, rows_of_visits

TABLE = "visit_zaak"
IMPORTED = "sync.zaak"  # the audit action of a zaak taken from a laptop's bundle
SET_HERE = "visit.zaak"  # the audit action of a zaak typed on this installation


def zaak_rows_to_send(db: Database, visit_ids: Iterable[str], audit_rows: list[Row]) -> list[Row]:
    """The zaak rows of the bundle's visits and of visits whose zaak changed since the last receipt."""
    wanted = set(visit_ids) | {
        str(row["visit_id"]) for row in audit_rows if row["action"] == SET_HERE and row["visit_id"]
    }
    if not wanted:
        return []
    return rows_of_visits(db, TABLE, sorted(wanted))


def check_zaken(db: Database, signer: str, rows: list[Row], bundle_visits: set[str]) -> None:
    """Refuse the bundle for a malformed zaak, or one of a visit that is neither in the bundle nor the
    signer's at the office (created by it or assigned to it)."""
    outside = sorted({str(row["visit_id"]) for row in rows} - bundle_visits)
    known = origins(db, outside)
    assigned = assignments(db, signer) if outside else set()
    for row in rows:
        visit = str(row["visit_id"])
        if not valid_zaaknummer(str(row["zaaknummer"])) or not valid_zaaktype(str(row["zaaktype"])):
            raise BundleRejectedError(
                "invalid_record",
                _(
                    "Ongeldig zaaknummer of zaaktype in {file} (bezoek {visit}).",
                    file=FILES[TABLE],
                    visit=visit[:8],
                ),
            )
        if visit in bundle_visits:
            continue
        if visit not in known:
            raise BundleRejectedError(
                "bad_reference",
                _("Record in {file} hoort bij een bezoek dat niet in de bundel zit.", file=FILES[TABLE]),
            )
        if known[visit] != signer and visit not in assigned:
            raise BundleRejectedError(
                "foreign_zaak",
                _(
                    "Apparaat {device} stuurt een zaaknummer voor bezoek {visit}, dat niet van dit apparaat is.",
                    device=signer[:8],
                    visit=visit[:8],
                ),
            )


def _last_zaak_action(db: Database, visit_id: str) -> str | None:
    row = db.execute(
        "SELECT action FROM audit_log WHERE entity = 'visit' AND entity_id = ? AND action IN (?, ?)"
        " ORDER BY seq DESC LIMIT 1",
        [visit_id, SET_HERE, IMPORTED],
    ).fetchone()
    return str(row[0]) if row else None


def apply_zaken(db: Database, rows: list[Row], signer: str, actor: str, office_device: str) -> list[str]:
    """Take the laptop's zaak where the office has none of its own; inside the import's transaction.
    Returns the visits whose zaak was taken."""
    taken: list[str] = []
    entries: list[AuditEntry] = []
    for row in rows:
        visit = str(row["visit_id"])
        current = db.execute(
            "SELECT zaaknummer, zaaktype, updated_at FROM visit_zaak WHERE visit_id = ?", [visit]
        ).fetchone()
        if current is not None:
            if _last_zaak_action(db, visit) != IMPORTED:
                continue  # set at the office: the office files, its zaak stays
            if (str(current[0]), str(current[1])) == (row["zaaknummer"], row["zaaktype"]):
                continue
            if str(current[2]) >= str(row["updated_at"]):
                continue  # an older laptop row than the one the office holds
        db.execute(
            "INSERT INTO visit_zaak (visit_id, zaaknummer, zaaktype, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (visit_id) DO UPDATE SET zaaknummer = excluded.zaaknummer,"
            " zaaktype = excluded.zaaktype, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [visit, row["zaaknummer"], row["zaaktype"], row["updated_at"], row["updated_by"]],
        )
        before = None if current is None else {"zaaknummer": current[0], "zaaktype": current[1]}
        after = {"zaaknummer": row["zaaknummer"], "zaaktype": row["zaaktype"], "device": signer}
        entries.append(AuditEntry(actor, office_device, IMPORTED, "visit", visit, visit, before, after))
        taken.append(visit)
    append_many(db, entries)
    return taken
