"""One import entry for CLI and desktop: folder expansion and routing by the installation's role."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services import sync as sync_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo import create_demo_visits
from inspector_app.sync.import_ import ImportReport
from inspector_app.sync.reference_install import ReferenceReport


def test_bundle_files_expands_folders_once_and_keeps_given_files(tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    (folder / "sub.ifb").mkdir(parents=True)  # a folder named like a bundle is not a bundle
    for name in ("b.ifb", "A.IFB", "ref.ifr", "notes.txt"):
        (folder / name).write_bytes(b"x")
    given = tmp_path / "elsewhere.bin"
    found = sync_service.bundle_files([folder, given, folder / "b.ifb"])
    assert found == [folder / "A.IFB", folder / "b.ifb", folder / "ref.ifr", given]
    assert sync_service.bundle_files([folder], (".ifb",)) == [folder / "A.IFB", folder / "b.ifb"]
    assert sync_service.bundle_files([folder], (".ifr",)) == [folder / "ref.ifr"]


def test_cli_imports_a_folder_of_field_bundles(
    office: AppContext, laptop: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: `bundle import FOLDER` crashed with IsADirectoryError (expansion lived in the UI)."""
    create_demo_visits(laptop, 2, seed=3)
    folder = tmp_path / "usb"
    folder.mkdir()
    first = sync_service.export(laptop, folder / "1.ifb")
    create_demo_visits(laptop, 1, seed=5)
    second = sync_service.export(laptop, folder / "2.ifb")
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
    exported = sync_service.export(laptop, folder)
    reference, *_counts = sync_service.write_reference(office, folder)
    assert exported is not None
    at_office = sync_service.import_any(office, [folder])
    assert [type(r) for r in at_office] == [ImportReport] and at_office[0].file == exported.path.name
    assert at_office[0].status == "imported"
    seen: list[tuple[int, int]] = []
    on_laptop = sync_service.import_any(laptop, [folder], lambda done, total, _r: seen.append((done, total)))
    assert [type(r) for r in on_laptop] == [ReferenceReport] and on_laptop[0].file == reference.name
    assert on_laptop[0].status == "imported" and seen == [(1, 1)]
    assert sync_service.is_office(office) and not sync_service.is_office(laptop)
    assert sync_service.import_suffix(office) == ".ifb" and sync_service.import_suffix(laptop) == ".ifr"


def test_device_listing_is_one_service(
    office: AppContext, laptop: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    [device] = sync_service.list_devices(office)
    assert device.device_id == laptop.device_id and device.revoked_at is None
    sync_service.revoke_device(office, laptop.device_id, "verloren")
    assert sync_service.list_devices(office)[0].revoked_at is not None
    office.close()
    capsys.readouterr()
    assert main(["--data-dir", str(office.paths.data_dir), "keys", "fingerprint"]) == 0
    assert f"{laptop.device_id}" in capsys.readouterr().out
