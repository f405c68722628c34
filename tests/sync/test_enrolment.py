"""Enrolment at the office: proof of the key, revoked stays revoked until reinstated, one key per device."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.errors import InvalidInputError
from inspector_app.fileio import atomic_write_bytes
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.sync.errors import KeyMaterialError
from tests.sync.conftest import enrol


def _devices(office: AppContext) -> list[tuple[object, ...]]:
    return [tuple(r) for r in office.db.execute("SELECT * FROM sync_devices ORDER BY device_id").fetchall()]


def _same_device_new_key(office: AppContext, laptop: AppContext, tmp_path: Path) -> Path:
    """A copy of a (stolen) laptop that made itself a new key under the same device id."""
    thief = open_app(tmp_path / "thief")
    try:
        with thief.db.conn:
            thief.db.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", [laptop.device_id])
        thief.device_id = laptop.device_id
        enrolment = tmp_path / "enrol-thief.json"
        atomic_write_bytes(
            enrolment, json.dumps(keys_service.keystore(office).office_public().to_json()).encode()
        )
        keys_service.enrol(thief, enrolment)
        registration = tmp_path / "reg-thief.json"
        atomic_write_bytes(registration, json.dumps(keys_service.registration(thief).to_json()).encode())
    finally:
        thief.close()
    return registration


def test_a_revoked_device_stays_revoked_until_reinstated(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    keys_service.revoke_device(office, laptop.device_id[:8], "gestolen")
    registration = _same_device_new_key(office, laptop, tmp_path)
    before = _devices(office)
    with pytest.raises(KeyMaterialError, match="ingetrokken"):
        keys_service.register_device(office, registration)
    assert _devices(office) == before
    with pytest.raises(InvalidInputError):
        keys_service.reinstate_device(office, laptop.device_id[:8], "  ")
    assert _devices(office) == before
    code = main(
        [
            "--data-dir",
            str(office.paths.data_dir),
            "keys",
            "reinstate",
            laptop.device_id[:8],
            "--reason",
            "teruggevonden",
        ]
    )
    assert code == 0
    audit = office.db.execute("SELECT new FROM audit_log WHERE action = 'key.reinstate'").fetchone()[0]
    assert "teruggevonden" in audit
    keys_service.register_device(office, registration)
    assert keys_service.list_devices(office)[0].revoked_at is None


def test_a_registration_without_proof_of_the_key_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    raw = keys_service.registration(laptop).to_json()
    raw.update(recipient="", recipient_sig="")
    target = tmp_path / "old.json"
    target.write_text(json.dumps(raw))
    before = _devices(office)
    assert main(["--data-dir", str(office.paths.data_dir), "keys", "register-device", str(target)]) == 1
    assert _devices(office) == before


def test_a_registration_replayed_for_another_device_or_office_is_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    """The possession proof signs device id, office and recipient together: a genuine file edited to
    name another device, or presented at another office under that office's fingerprint, no longer
    verifies; one with only the older proof (the recipient alone) is refused as made by an old version."""
    genuine = keys_service.registration(laptop).to_json()
    other_office = open_app(tmp_path / "office-2")
    try:
        keys_service.init_office(other_office, "Oosterdam")
        other_fpr = keys_service.keystore(other_office).office_public().fingerprint
        cases = [
            (office, {"device_id": "0b7c3c0e-1111-4222-8333-444455556666"}, "geen geldig registratiebestand"),
            (other_office, {"office_fingerprint": other_fpr}, "geen geldig registratiebestand"),
            (office, {"possession_sig": ""}, "oudere"),
        ]
        for target_office, change, message in cases:
            target = tmp_path / "replayed.json"
            target.write_text(json.dumps({**genuine, **change}))
            before = _devices(target_office)
            with pytest.raises(KeyMaterialError, match=message):
                keys_service.register_device(target_office, target)
            assert (
                main(
                    ["--data-dir", str(target_office.paths.data_dir), "keys", "register-device", str(target)]
                )
                == 1
            )
            assert _devices(target_office) == before
    finally:
        other_office.close()


def test_a_duplicate_key_is_a_clean_message(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    """A laptop whose keys folder was copied into another installation (another device id, same key)."""
    from inspector_app.sync.keys import b64, possession_message

    raw = keys_service.registration(laptop).to_json()
    raw["device_id"] = "0b7c3c0e-1111-4222-8333-444455556666"
    key = keys_service.keystore(laptop).device_signing_key(laptop.device_id)
    raw["possession_sig"] = b64(
        key.sign(possession_message(raw["device_id"], raw["office_fingerprint"], raw["recipient"]))
    )
    target = tmp_path / "dup.json"
    target.write_text(json.dumps(raw))
    before = _devices(office)
    with pytest.raises(KeyMaterialError, match="al geregistreerd"):
        keys_service.register_device(office, target)
    assert main(["--data-dir", str(office.paths.data_dir), "keys", "register-device", str(target)]) == 1
    assert _devices(office) == before


def test_visits_assign_on_the_command_line(office: AppContext, laptop: AppContext) -> None:
    visit = "6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5"  # still on its way: a full id is accepted
    base = ["--data-dir", str(office.paths.data_dir), "visits", "assign"]
    assert main([*base, visit, laptop.device_id[:8], "--reason", "gezamenlijke controle"]) == 0
    rows = office.db.execute("SELECT visit_id, device_id, reason FROM sync_visit_assignments").fetchall()
    assert [tuple(r) for r in rows] == [(visit, laptop.device_id, "gezamenlijke controle")]
    assert main([*base, visit, "ffffffff", "--reason", "x"]) == 1
    assert main([*base, "abc", laptop.device_id[:8], "--reason", "x"]) == 1
    assert main([*base, visit, laptop.device_id[:8], "--reason", " "]) == 1
    assert len(office.db.execute("SELECT * FROM sync_visit_assignments").fetchall()) == 1


def test_a_second_laptop_still_enrols(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    other = open_app(tmp_path / "second")
    try:
        enrol(office, other, tmp_path)
        assert {d.device_id for d in keys_service.list_devices(office)} == {laptop.device_id, other.device_id}
    finally:
        other.close()
