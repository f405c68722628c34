"""One import entry for CLI and desktop: folder expansion and routing by the installation's role."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.domain.model import AdviceLevel
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.history import location_history, location_history_counts
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync.office_import import ImportReport
from inspector_app.sync.reference_install import ReferenceReport


def test_bundle_files_expands_folders_once_and_keeps_given_files(tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    (folder / "sub.ifb").mkdir(parents=True)  # a folder named like a bundle is not a bundle
    for name in ("b.ifb", "A.IFB", "ref.ifr", "notes.txt"):
        (folder / name).write_bytes(b"x")
    given = tmp_path / "elsewhere.bin"
    found = exchange_service.bundle_files([folder, given, folder / "b.ifb"])
    assert found == [folder / "A.IFB", folder / "b.ifb", folder / "ref.ifr", given]
    assert exchange_service.bundle_files([folder], (".ifb",)) == [folder / "A.IFB", folder / "b.ifb"]
    assert exchange_service.bundle_files([folder], (".ifr",)) == [folder / "ref.ifr"]


def test_cli_imports_a_folder_of_field_bundles(
    office: AppContext, laptop: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: `bundle import FOLDER` crashed with IsADirectoryError (expansion lived in the UI)."""
    create_demo_visits(laptop, 2, seed=3)
    folder = tmp_path / "usb"
    folder.mkdir()
    first = exchange_service.export(laptop, folder / "1.ifb")
    create_demo_visits(laptop, 1, seed=5)
    second = exchange_service.export(laptop, folder / "2.ifb")
    assert first is not None and second is not None
    (folder / "readme.txt").write_text("geen bundel")
    office.close()
    laptop.close()
    capsys.readouterr()
    assert main(["--data-dir", str(office.paths.data_dir), "bundle", "import", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "1.ifb: ingelezen: 2 nieuw" in out and "2.ifb: ingelezen: 1 nieuw" in out
    assert "readme" not in out
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert main(["--data-dir", str(office.paths.data_dir), "bundle", "import", str(empty)]) == 1
    assert ".ifb" in capsys.readouterr().err


def test_import_any_routes_by_role(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    create_demo_visits(laptop, 1, seed=6)
    create_demo_visits(office, 3, seed=7)
    folder = tmp_path / "usb"
    folder.mkdir()
    exported = exchange_service.export(laptop, folder)
    reference, *_counts = exchange_service.write_reference(office, folder)
    assert exported is not None
    at_office = exchange_service.import_any(office, [folder])
    assert [type(r) for r in at_office] == [ImportReport] and at_office[0].file == exported.path.name
    assert at_office[0].status == "imported"
    seen: list[tuple[int, int]] = []
    on_laptop = exchange_service.import_any(
        laptop, [folder], lambda done, total, _r: seen.append((done, total))
    )
    assert [type(r) for r in on_laptop] == [ReferenceReport] and on_laptop[0].file == reference.name
    assert on_laptop[0].status == "imported" and seen == [(1, 1)]
    assert keys_service.is_office(office) and not keys_service.is_office(laptop)
    assert (
        exchange_service.import_suffix(office) == ".ifb" and exchange_service.import_suffix(laptop) == ".ifr"
    )


def test_device_listing_is_one_service(
    office: AppContext, laptop: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    [device] = keys_service.list_devices(office)
    assert device.device_id == laptop.device_id and device.revoked_at is None
    keys_service.revoke_device(office, laptop.device_id, "verloren")
    assert keys_service.list_devices(office)[0].revoked_at is not None
    office.close()
    capsys.readouterr()
    assert main(["--data-dir", str(office.paths.data_dir), "keys", "fingerprint"]) == 0
    assert f"{laptop.device_id}" in capsys.readouterr().out


def _pb_visit(app: AppContext, location_id: str | None = None) -> VisitSession:
    visit = NewVisit(
        form="PB",
        location_id=location_id,
        location=None if location_id else LocationInput("Club Terugkeer", "Kade 2", "1234 AB", "Westerdam"),
        started_at="2026-11-20T21:30",
        visit_type="onaangekondigd",
        inspectors=("T-1001", "T-1002"),
        legal_ground="apv_awb",
    )
    return VisitSession(app, start_visit(app, visit))


def test_reference_history_alone_makes_the_riec_advice_appear(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    """Regression: the advice counted only this laptop's visits, so the office's history shown on
    screen (sync_reference_history) never led to the RIEC suggestion."""
    earlier = _pb_visit(office)
    earlier.answer("P-ROLE[1]", "sex_worker")
    earlier.answer("PB-20[1]", "no")  # raises gen.id_held_by_other (H) at the office
    location_id = earlier.location.id
    reference, *_counts = exchange_service.write_reference(office, tmp_path)
    assert exchange_service.import_reference_file(laptop, reference).status == "imported"

    now = _pb_visit(laptop, location_id)
    assert laptop.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 1  # nothing local before
    now.answer("P-ROLE[1]", "sex_worker")
    now.answer("PB-20[1]", "no")
    riec = [a for a in now.advice() if a.level is AdviceLevel.RIEC]
    assert riec and riec[0].slugs == ("gen.id_held_by_other",)
    counts = location_history_counts(laptop, location_id, now.visit_id)
    assert counts == {"gen.id_held_by_other": 1}
    shown = location_history(laptop, location_id, now.visit_id)
    assert [(i.visit_id, i.slug, i.source) for i in shown] == [
        (earlier.visit_id, "gen.id_held_by_other", "office")
    ]
