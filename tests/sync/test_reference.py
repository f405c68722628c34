"""Office -> laptop reference bundles: round trip, installed checklists, tampering, forgery, bad checklists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.forms.loader import load_all_forms
from inspector_app.paths import forms_dir, installed_forms_dir
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.history import location_history
from inspector_app.storage.schema import SCHEMA_VERSION
from inspector_app.sync.errors import KeyMaterialError
from inspector_app.sync.keys import KeyStore, parse_registration
from inspector_app.sync.reference import build_reference, form_files, history_rows
from tests.sync.conftest import laptop_state as state


def test_reference_round_trip(
    office: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_visits(office, 20, seed=4)
    path, laptops, forms, locations, history, _visits = exchange_service.write_reference(office, tmp_path)
    assert path.suffix == ".ifr" and laptops == 1 and forms == len(form_files(forms_dir()))
    report = exchange_service.import_reference_file(laptop, path)
    assert report.status == "imported", report
    assert (report.locations, report.history) == (locations, history) and history > 0
    office_locations = office.db.execute("SELECT * FROM locations ORDER BY id").fetchall()
    assert laptop.db.execute("SELECT * FROM locations ORDER BY id").fetchall() == office_locations
    stored = laptop.db.execute(
        "SELECT visit_id, slug, location_id, visit_date, weight FROM sync_reference_history ORDER BY 1, 2"
    ).fetchall()
    assert [tuple(r.values()) for r in history_rows(office.db)] == [tuple(r) for r in stored]
    installed = installed_forms_dir(laptop.paths.data_dir)
    assert installed is not None
    assert {p.name for p in installed.glob("*.toml")} == {p.name for p in forms_dir().glob("*.toml")}
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(laptop.paths.data_dir))
    assert load_all_forms().keys() == load_all_forms(forms_dir()).keys()
    # The history of a location, offline on the laptop, newest first.
    location_id, visit_id = stored[0][2], stored[0][0]
    items = location_history(laptop, location_id)
    assert items and all(i.source == "office" for i in items)
    assert (visit_id, stored[0][1]) in {(i.visit_id, i.slug) for i in items}
    assert [i.visit_date for i in items] == sorted((i.visit_date for i in items), reverse=True)
    assert all(i.visit_id != visit_id for i in location_history(laptop, location_id, visit_id))
    before = state(laptop)
    again = exchange_service.import_reference_file(laptop, path)
    assert again.status == "already_present" and state(laptop) == before


@pytest.mark.usefixtures("office")
def test_local_visits_join_the_history(laptop: AppContext) -> None:
    create_demo_visits(laptop, 6, seed=2)
    row = laptop.db.execute(
        "SELECT v.location_id, o.visit_id, o.slug FROM indicator_observations o JOIN visits v ON v.id = o.visit_id"
        " WHERE o.active = 1 AND o.dismissed = 0 LIMIT 1"
    ).fetchone()
    assert row is not None
    items = location_history(laptop, row[0])
    assert (row[1], row[2], "local") in {(i.visit_id, i.slug, i.source) for i in items}


def test_newer_installed_checklist_wins_and_stale_bundle_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "forms"
    shutil.copytree(forms_dir(), folder)
    target = folder / "massage_parlour.toml"
    text = target.read_text(encoding="utf-8")
    form_id = next(f.id for f in load_all_forms(forms_dir()).values() if f.location_type.value == "MS")
    version = load_all_forms(forms_dir())[form_id].version
    target.write_text(
        text.replace(f"version = {version}\n", f"version = {version + 1}\n", 1), encoding="utf-8"
    )
    old, *_rest = exchange_service.write_reference(office, tmp_path / "old.ifr")
    new, *_rest = exchange_service.write_reference(office, tmp_path / "new.ifr", folder)
    assert exchange_service.import_reference_file(laptop, new).status == "imported"
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(laptop.paths.data_dir))
    assert load_all_forms()[form_id].version == version + 1
    before = state(laptop)
    stale = exchange_service.import_reference_file(laptop, old)
    assert stale.reason_code == "stale" and state(laptop) == before


def test_tampered_or_forged_reference_is_rejected(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    create_demo_visits(office, 4, seed=8)
    path, *_rest = exchange_service.write_reference(office, tmp_path / "ref.ifr")
    before = state(laptop)
    data = bytearray(path.read_bytes())
    for index, code in ((len(data) // 2, "damaged"), (len(data) - 1, "damaged"), (30, "not_for_this_device")):
        broken = tmp_path / f"broken-{index}.ifr"
        changed = bytearray(data)
        changed[index] ^= 0x01
        broken.write_bytes(bytes(changed))
        report = exchange_service.import_reference_file(laptop, broken)
        assert report.status == "rejected" and report.reason_code in (code, "damaged"), report
    # A forger knows the laptop's public recipient but not the office signing key.
    forger = open_app(tmp_path / "forger")
    try:
        keys_service.init_office(forger, "Westerdam")
        create_demo_visits(forger, 2, seed=1)
        recipient = str(KeyStore.of(laptop.paths.data_dir).device_identity(laptop.device_id).to_public())
        content = build_reference(
            forger.db, forger.paths.data_dir, form_files(forms_dir()), [recipient], 99, SCHEMA_VERSION, "x"
        )
    finally:
        forger.close()
    forged = tmp_path / "forged.ifr"
    forged.write_bytes(content.data)
    report = exchange_service.import_reference_file(laptop, forged)
    assert report.reason_code == "not_from_office", report
    assert state(laptop) == before
    rejected = laptop.db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'bundle.reference.rejected'"
    ).fetchone()[0]
    assert rejected == 4


def test_malformed_checklist_is_rejected_and_nothing_changes(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    good, *_rest = exchange_service.write_reference(office, tmp_path / "good.ifr")
    assert exchange_service.import_reference_file(laptop, good).ok
    before = state(laptop)
    forms = form_files(forms_dir())
    forms["forms/massage_parlour.toml"] = forms["forms/massage_parlour.toml"].replace(b"[[", b"[[[", 1)
    recipient = str(KeyStore.of(laptop.paths.data_dir).device_identity(laptop.device_id).to_public())
    content = build_reference(office.db, office.paths.data_dir, forms, [recipient], 50, SCHEMA_VERSION, "x")
    bad = tmp_path / "bad.ifr"
    bad.write_bytes(content.data)
    report = exchange_service.import_reference_file(laptop, bad)
    assert report.reason_code == "bad_checklist" and "massage_parlour.toml" in report.reason, report
    assert state(laptop) == before
    assert not list((laptop.paths.data_dir / "forms").glob(".staging-*"))
    # The office refuses to send a malformed checklist in the first place.
    folder = tmp_path / "office-forms"
    shutil.copytree(forms_dir(), folder)
    (folder / "massage_parlour.toml").write_bytes(forms["forms/massage_parlour.toml"])
    with pytest.raises(ValueError, match="massage_parlour"):
        exchange_service.write_reference(office, tmp_path / "x.ifr", folder)


def test_older_enrolment_gets_an_identity_and_the_recipient_is_signed(
    office: AppContext, laptop: AppContext
) -> None:
    keys = KeyStore.of(laptop.paths.data_dir)
    raw = keys._read("device-key.json")
    assert raw is not None
    del raw["age_identity"]
    keys._write("device-key.json", raw, private=True)
    registration = keys_service.registration(laptop).to_json()
    assert registration["recipient"].startswith("age1")
    assert "age_identity" in (KeyStore.of(laptop.paths.data_dir)._read("device-key.json") or {})
    assert parse_registration(registration).recipient == registration["recipient"]
    other = str(KeyStore.of(office.paths.data_dir).office_public().recipient)
    with pytest.raises(KeyMaterialError):
        parse_registration({**registration, "recipient": other})
    old_style = {k: v for k, v in registration.items() if k not in ("recipient", "recipient_sig")}
    assert parse_registration(old_style).recipient == ""


def test_no_laptop_key_means_no_reference(office: AppContext, tmp_path: Path) -> None:
    with pytest.raises(KeyMaterialError):
        exchange_service.write_reference(office, tmp_path / "ref.ifr")


def test_reference_cli(
    office: AppContext, laptop: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office.close()
    laptop.close()
    ref = tmp_path / "ref.ifr"
    assert main(["--data-dir", str(office.paths.data_dir), "bundle", "reference", "-o", str(ref)]) == 0
    assert main(["--data-dir", str(laptop.paths.data_dir), "bundle", "import", str(ref)]) == 0
    assert "referentiebundel 1 ingelezen" in capsys.readouterr().out
    assert main(["--data-dir", str(laptop.paths.data_dir), "bundle", "import", str(ref)]) == 0
    assert "al ingelezen" in capsys.readouterr().out


def test_a_reference_bundle_that_changes_while_read_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streamed like a field bundle: hashed, then decrypted in a second reading that hashes again; a
    file replaced between the two is refused and nothing is installed."""
    from inspector_app.sync import reference_install

    path, *_counts = exchange_service.write_reference(office, tmp_path)
    monkeypatch.setattr(reference_install, "stream_sha256", lambda _handle: "0" * 64)
    before = state(laptop)
    report = exchange_service.import_reference_file(laptop, path)
    assert (report.status, report.reason_code) == ("rejected", "damaged"), report
    assert state(laptop) == before
