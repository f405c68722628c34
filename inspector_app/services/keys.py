"""Keys of one installation: the office key, enrolment of laptops, registration and revocation of devices."""

from __future__ import annotations

from pathlib import Path

from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.store import keep_escrow_current
from inspector_app.storage import sync_devices
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing
from inspector_app.sync.encoded_cache import stop_keeping
from inspector_app.sync.errors import KeyMaterialError
from inspector_app.sync.keys import (
    KeyStore,
    OfficePublic,
    Registration,
    parse_enrolment,
    parse_registration,
    read_json_file,
)
from inspector_app.sync.keys import short_fingerprint as short_fingerprint


def keystore(app: AppContext) -> KeyStore:
    return KeyStore.of(app.paths.data_dir)


def _audit(app: AppContext, action: str, entity: str, entity_id: str, new: object) -> None:
    with writing(app.db):
        append(app.db, AuditEntry(app.actor, app.device_id, action, entity, entity_id, None, None, new))


def init_office(app: AppContext, municipality: str, escrow: tuple[str, ...] = ()) -> OfficePublic:
    public = keystore(app).init_office(municipality, escrow)
    stop_keeping(app.db)  # the office exports no bundles: its imports do not pay for their lines
    keep_escrow_current(app.paths, app.db)  # the DPO can recover this store from now on
    _audit(app, "key.office_created", "office", public.fingerprint, {"municipality": municipality})
    return public


def read_enrolment(enrolment_file: Path) -> OfficePublic:
    """The office key in an enrolment file, to show its fingerprint before anyone trusts it."""
    return parse_enrolment(read_json_file(enrolment_file))


def read_registration(registration_file: Path) -> Registration:
    """A laptop's registration file, to show its name and fingerprint before the office trusts it."""
    return parse_registration(read_json_file(registration_file))


def enrol(app: AppContext, enrolment_file: Path) -> tuple[OfficePublic, str]:
    public = read_enrolment(enrolment_file)
    device_key = keystore(app).enrol(public, app.device_id)
    if not app.practice:
        keep_escrow_current(app.paths, app.db)  # the office's DPO can recover this laptop's store
    _audit(app, "key.enrol", "office", public.fingerprint, {"municipality": public.municipality})
    return public, device_key


def registration(app: AppContext) -> Registration:
    return keystore(app).registration(app.device_id, app.actor)


def register_device(app: AppContext, registration_file: Path) -> Registration:
    found = parse_registration(read_json_file(registration_file))
    office = keystore(app).office_public()
    if not keystore(app).has_office():
        raise KeyMaterialError(_("Alleen een kantoorinstallatie kan laptops registreren."))
    if found.office_fingerprint != office.fingerprint:
        raise KeyMaterialError(
            _("Deze laptop is ingeschreven bij een ander kantoor (of een oude kantoorsleutel).")
        )
    if not found.possession_sig:
        # The possession signature (checked by parse_registration) is the proof that whoever made the
        # file holds the device's private key, for this device id and this office; a file without it
        # (or with only the older recipient signature, which covers neither) proves nothing.
        raise KeyMaterialError(
            _(
                "Dit registratiebestand bewijst niet dat de laptop zijn sleutel bezit (gemaakt met een oudere"
                " versie). Maak op de laptop een nieuw bestand met 'keys export-registration'."
            )
        )
    current = sync_devices.get_device(app.db, found.device_id)
    if current is not None and current.revoked_at:
        raise KeyMaterialError(
            _(
                "Apparaat {device} is ingetrokken ({reason}) en blijft dat tot het kantoor het heractiveert"
                " met 'keys reinstate {device} --reason ...'.",
                device=found.device_id[:8],
                reason=current.revoke_reason or "-",
            )
        )
    holder = sync_devices.find_by_fingerprint(app.db, found.fingerprint)
    if holder is not None and holder.device_id != found.device_id:
        raise KeyMaterialError(
            _(
                "Deze sleutel is al geregistreerd voor apparaat {device}; elke laptop heeft een eigen sleutel.",
                device=holder.device_id[:8],
            )
        )
    with writing(app.db):
        sync_devices.upsert_device(
            app.db,
            sync_devices.DeviceRow(
                found.device_id,
                found.name,
                found.sign_public_key,
                found.fingerprint,
                now_iso(),
                None,
                None,
                0,
                found.recipient or None,
            ),
        )
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "key.register_device",
                "device",
                found.device_id,
                None,
                None,
                {"fingerprint": found.fingerprint, "name": found.name},
            ),
        )
    return found


def revoke_device(app: AppContext, device: str, reason: str) -> sync_devices.DeviceRow:
    matches = sync_devices.find_devices(app.db, device)
    if not matches:
        raise NotFoundError(_("Apparaat {device} is niet geregistreerd", device=device))
    if len(matches) > 1:
        raise InvalidInputError(_("Apparaat {device} is niet eenduidig; geef meer tekens", device=device))
    row = matches[0]
    with writing(app.db):
        sync_devices.revoke_device(app.db, row.device_id, now_iso(), reason)
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "key.revoke",
                "device",
                row.device_id,
                None,
                None,
                {"reason": reason},
            ),
        )
    return row


def reinstate_device(app: AppContext, device: str, reason: str) -> sync_devices.DeviceRow:
    """Office: lift a revocation explicitly, with a reason in the audit log; the device then re-registers."""
    if not reason.strip():
        raise InvalidInputError(_("Geef een reden voor het heractiveren (--reason)."))
    matches = sync_devices.find_devices(app.db, device)
    if not matches:
        raise NotFoundError(_("Apparaat {device} is niet geregistreerd", device=device))
    if len(matches) > 1:
        raise InvalidInputError(_("Apparaat {device} is niet eenduidig; geef meer tekens", device=device))
    row = matches[0]
    if not row.revoked_at:
        raise InvalidInputError(_("Apparaat {device} is niet ingetrokken.", device=device))
    with writing(app.db):
        sync_devices.reinstate_device(app.db, row.device_id)
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "key.reinstate",
                "device",
                row.device_id,
                None,
                {"revoked_at": row.revoked_at, "revoke_reason": row.revoke_reason},
                {"reason": reason.strip()},
            ),
        )
    return row


def list_devices(app: AppContext) -> list[sync_devices.DeviceRow]:
    """Office: the registered laptops, revoked ones included (keys screen and `keys fingerprints`)."""
    return sync_devices.list_devices(app.db)


def is_office(app: AppContext) -> bool:
    return keystore(app).has_office()
