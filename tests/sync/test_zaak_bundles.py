"""The zaak travels: a zaaknummer set on the laptop reaches the office; the office's own zaak stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.documents.zaak import Zaak, load_zaak, set_zaak
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync import zaak as zaak_sync
from inspector_app.sync.errors import BundleRejectedError


def _visit(laptop: AppContext) -> str:
    return start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Zaak", "Kade 1", "1234 AB")))


def _send(laptop: AppContext, office: AppContext, folder: Path) -> exchange_service.BundleReport:
    result = exchange_service.export(laptop, folder)
    assert result is not None
    [report] = exchange_service.import_files(office, [result.path])
    assert report.status == "imported", report
    return report


def _receipt(laptop: AppContext, office: AppContext, tmp_path: Path) -> None:
    exchange_service.write_receipt(office, tmp_path / "receipt.json")
    exchange_service.apply_receipt(laptop, tmp_path / "receipt.json")


def test_a_zaak_set_on_the_laptop_reaches_the_office(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    visit = _visit(laptop)
    set_zaak(VisitSession(laptop, visit), "Z-2026-000123", "Toezicht prostitutie")
    _send(laptop, office, tmp_path / "out")
    assert load_zaak(VisitSession(office, visit)) == Zaak("Z-2026-000123", "Toezicht prostitutie")
    actions = office.db.execute("SELECT action FROM audit_log WHERE entity_id = ?", [visit]).fetchall()
    assert ("sync.zaak",) in actions


def test_a_zaak_set_after_the_visit_was_acknowledged_still_travels(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    visit = _visit(laptop)
    _send(laptop, office, tmp_path / "one")
    _receipt(laptop, office, tmp_path)
    set_zaak(VisitSession(laptop, visit), "2026/0456")
    _send(laptop, office, tmp_path / "two")
    assert load_zaak(VisitSession(office, visit)) == Zaak("2026/0456")
    # a later correction on the laptop replaces the laptop's earlier number
    _receipt(laptop, office, tmp_path)
    set_zaak(VisitSession(laptop, visit), "2026/0457")
    _send(laptop, office, tmp_path / "three")
    assert load_zaak(VisitSession(office, visit)) == Zaak("2026/0457")


@pytest.mark.parametrize("laptop_zaak", [None, "Z-LAPTOP-1"])
def test_a_zaak_set_at_the_office_is_never_overwritten_by_a_laptop(
    office: AppContext, laptop: AppContext, tmp_path: Path, laptop_zaak: str | None
) -> None:
    visit = _visit(laptop)
    _send(laptop, office, tmp_path / "one")
    set_zaak(VisitSession(office, visit), "Z-KANTOOR-9", "Handhaving")
    session = VisitSession(laptop, visit)
    session.answer_text("H-07", "1")  # new content: the visit travels again
    if laptop_zaak:
        set_zaak(session, laptop_zaak)
    _send(laptop, office, tmp_path / "two")
    assert load_zaak(VisitSession(office, visit)) == Zaak("Z-KANTOOR-9", "Handhaving")


def test_a_bundle_without_zaak_rows_sends_none(laptop: AppContext) -> None:
    visit = _visit(laptop)
    assert zaak_sync.zaak_rows_to_send(laptop.db, [visit], []) == []
    set_zaak(VisitSession(laptop, visit), "Z-1")
    [row] = zaak_sync.zaak_rows_to_send(laptop.db, [], [{"action": "visit.zaak", "visit_id": visit}])
    assert row["zaaknummer"] == "Z-1"


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ({"zaaknummer": "-bad start"}, "invalid_record"),
        ({"zaaktype": "x" * 81}, "invalid_record"),
        ({"visit_id": "00000000-0000-4000-8000-000000000000"}, "bad_reference"),
    ],
)
def test_a_malformed_or_dangling_zaak_row_rejects_the_bundle(
    office: AppContext, laptop: AppContext, row: dict[str, str], code: str
) -> None:
    visit = _visit(laptop)
    good = {"visit_id": visit, "zaaknummer": "Z-1", "zaaktype": "", "updated_at": "2026-07-01T10:00:00.000Z"}
    with pytest.raises(BundleRejectedError) as refused:
        zaak_sync.check_zaken(office.db, laptop.device_id, [good | row], {visit})
    assert refused.value.code == code
