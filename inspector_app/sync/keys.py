"""Office and device keys, enrolment and registration files, fingerprints, passphrase backups.

Where keys live: `<data_dir>/keys/` (folder 0700). Private key files (`office-identity.json`,
`device-key.json`, `extra-identities.json`) are sealed under the encrypted store's data key
(storage/sealed_files.py: AES-256-GCM, a key derived for this purpose, the file name as associated
data), mode 0600, written atomically; so they open only while the store is unlocked in this process.
Files from before encryption are sealed at the next open. The office identity can leave the machine
only as a passphrase backup (scrypt + AES-256-GCM).

Office: an age X25519 identity (bundles are encrypted to it) and an Ed25519 key (signs receipts and,
later, reference bundles). Escrow: extra age recipients, whose identities a DPO holds offline; laptops
encrypt every bundle to them too. Device: an Ed25519 signing key per laptop, and an age X25519 identity
that office reference bundles are encrypted to (added on first use to laptops enrolled before it existed;
its recipient travels in the registration file, signed by the device key).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from inspector_app.fileio import atomic_write_bytes
from inspector_app.i18n import _
from inspector_app.storage.audit import canonical_json, now_iso
from inspector_app.storage.db import folder_key
from inspector_app.storage.sealed_files import file_key, is_sealed, seal, unseal
from inspector_app.sync.backup import SCRYPT_LOG_N, create_escrow, decrypt_backup, encrypt_backup
from inspector_app.sync.errors import BundleRejectedError, KeyMaterialError
from inspector_app.sync.intake import read_regular_file
from inspector_app.sync.office_key import KEYS_FOLDER, OFFICE_IDENTITY_FILE

# Re-exported: callers keep importing the backup helpers from here.
__all__ = ["SCRYPT_LOG_N", "create_escrow", "decrypt_backup", "encrypt_backup"]

ENROLMENT_FORMAT = "ifb-enrolment"
REGISTRATION_FORMAT = "ifb-registration"
FILE_VERSION = 1
OFFICE_PUBLIC_FILE = "office.json"
DEVICE_KEY_FILE = "device-key.json"
EXTRA_IDENTITIES_FILE = "extra-identities.json"
MAX_KEY_FILE = 64 * 1024


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recipient_fingerprint(recipient: str) -> str:
    """Full fingerprint of an age recipient, as listed in bundle manifests."""
    return sha256_hex(recipient.encode("ascii"))


def device_fingerprint(sign_public_key: str) -> str:
    """Full fingerprint of a device's Ed25519 public key (base64 of the raw 32 bytes)."""
    return sha256_hex(unb64(sign_public_key))


def short_fingerprint(full: str) -> str:
    """Twenty hex digits in groups of four, to read aloud or compare on screen: `3F9A 12C0 ...`."""
    head = full[:20].upper()
    return " ".join(head[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class OfficePublic:
    """What an enrolment file carries: everything a laptop needs to address and trust the office."""

    municipality: str
    recipient: str
    sign_public_key: str
    escrow_recipients: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        return sha256_hex(
            canonical_json(
                ["ifb-office", self.recipient, self.sign_public_key, sorted(self.escrow_recipients)]
            ).encode("utf-8")
        )

    @property
    def all_recipients(self) -> list[str]:
        return [self.recipient, *self.escrow_recipients]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": ENROLMENT_FORMAT,
            "version": FILE_VERSION,
            "municipality": self.municipality,
            "recipient": self.recipient,
            "sign_public_key": self.sign_public_key,
            "escrow_recipients": list(self.escrow_recipients),
            "fingerprint": self.fingerprint,
        }

    def verify_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(unb64(self.sign_public_key))


RECIPIENT_CONTEXT = b"ifb-device-recipient\n"
POSSESSION_CONTEXT = b"ifb-device-registration-v2\n"


def possession_message(device_id: str, office_fingerprint: str, recipient: str) -> bytes:
    """What the device key signs to prove possession at enrolment: the device id, the office and the
    age recipient together, so a registration file edited for another device or replayed at another
    office no longer verifies."""
    return POSSESSION_CONTEXT + "\n".join((device_id, office_fingerprint, recipient)).encode("utf-8")


@dataclass(frozen=True)
class Registration:
    device_id: str
    name: str
    sign_public_key: str
    office_fingerprint: str
    recipient: str = ""  # the laptop's age recipient (empty in registrations from older versions)
    recipient_sig: str = ""  # Ed25519(device key, RECIPIENT_CONTEXT + recipient); older offices read it
    possession_sig: str = ""  # Ed25519(device key, possession_message(device, office, recipient))

    @property
    def fingerprint(self) -> str:
        return device_fingerprint(self.sign_public_key)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REGISTRATION_FORMAT,
            "version": FILE_VERSION,
            "device_id": self.device_id,
            "name": self.name,
            "sign_public_key": self.sign_public_key,
            "fingerprint": self.fingerprint,
            "office_fingerprint": self.office_fingerprint,
            "recipient": self.recipient,
            "recipient_sig": self.recipient_sig,
            "possession_sig": self.possession_sig,
        }


@dataclass
class KeyStore:
    """The keys folder of one installation."""

    folder: Path
    _cache: dict[str, Any] = field(default_factory=dict)
    data_key: bytes | None = None  # the store's key: private files are sealed under it

    @classmethod
    def of(cls, data_dir: Path) -> KeyStore:
        return cls(data_dir / KEYS_FOLDER, data_key=folder_key(data_dir))

    def _seal_key(self) -> bytes:
        if self.data_key is None:
            raise KeyMaterialError(
                _("De sleutelbestanden zijn versleuteld; open eerst de gegevensmap (ontgrendelen).")
            )
        return file_key(self.data_key, b"sync key files")

    # ------------------------------------------------------------------------------- files

    def _ensure_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            self.folder.chmod(0o700)

    def _write(self, name: str, value: dict[str, Any], private: bool) -> None:
        self._ensure_folder()
        path = self.folder / name
        data = json.dumps(value, indent=2, sort_keys=True).encode("utf-8")
        if private:
            data = seal(self._seal_key(), name, data)
        atomic_write_bytes(path, data)
        if private and os.name == "posix":
            path.chmod(0o600)

    def _read(self, name: str) -> dict[str, Any] | None:
        path = self.folder / name
        if not path.exists():
            return None
        document = read_json_file(path)
        if not is_sealed(document):
            return document
        try:
            value = json.loads(unseal(self._seal_key(), name, document))
        except ValueError as error:
            raise KeyMaterialError(_("Het sleutelbestand {path} is onleesbaar.", path=path)) from error
        if not isinstance(value, dict):
            raise KeyMaterialError(_("Het sleutelbestand {path} is onleesbaar.", path=path))
        return value

    def seal_private_files(self) -> None:
        """Seal the private key files still in plain JSON (written before the store was encrypted)."""
        for name in (OFFICE_IDENTITY_FILE, DEVICE_KEY_FILE, EXTRA_IDENTITIES_FILE):
            path = self.folder / name
            if path.exists() and not is_sealed(read_json_file(path)):
                self._write(name, read_json_file(path), private=True)

    # ------------------------------------------------------------------------------- office

    def has_office(self) -> bool:
        return (self.folder / OFFICE_IDENTITY_FILE).exists()

    def init_office(self, municipality: str, escrow_recipients: tuple[str, ...] = ()) -> OfficePublic:
        if self.has_office():
            raise KeyMaterialError(
                _("Deze installatie heeft al een kantoorsleutel; die wordt niet overschreven.")
            )
        for recipient in escrow_recipients:
            parse_recipient(recipient)
        identity = pyrage.x25519.Identity.generate()
        signing = Ed25519PrivateKey.generate()
        public = OfficePublic(
            municipality,
            str(identity.to_public()),
            b64(signing.public_key().public_bytes_raw()),
            tuple(escrow_recipients),
        )
        self._write(
            OFFICE_IDENTITY_FILE,
            {
                "format": "ifb-office-identity",
                "version": FILE_VERSION,
                "created_at": now_iso(),
                "age_identity": str(identity),
                "sign_private_key": b64(signing.private_bytes_raw()),
            },
            private=True,
        )
        self._write(OFFICE_PUBLIC_FILE, public.to_json(), private=False)
        return public

    def office_public(self) -> OfficePublic:
        """The office this installation is (office) or is enrolled with (laptop)."""
        raw = self._read(OFFICE_PUBLIC_FILE)
        if raw is None:
            raise KeyMaterialError(
                _(
                    "Er is nog geen kantoorsleutel: maak die met 'keys init-office' (kantoor) of "
                    "schrijf deze laptop in met 'keys enrol' (laptop)."
                )
            )
        return parse_enrolment(raw)

    def office_identities(self) -> list[pyrage.x25519.Identity]:
        """Identities that can decrypt bundles: the office key, then restored escrow keys."""
        raw = self._read(OFFICE_IDENTITY_FILE)
        if raw is None:
            raise KeyMaterialError(
                _("Deze installatie is geen kantoor: er is geen kantoorsleutel om bundels te openen.")
            )
        identities = [pyrage.x25519.Identity.from_str(str(raw["age_identity"]))]
        extra = self._read(EXTRA_IDENTITIES_FILE) or {}
        identities += [pyrage.x25519.Identity.from_str(str(s)) for s in extra.get("identities", [])]
        return identities

    def office_signing_key(self) -> Ed25519PrivateKey:
        raw = self._read(OFFICE_IDENTITY_FILE)
        if raw is None:
            raise KeyMaterialError(_("Deze installatie is geen kantoor: er is geen kantoorsleutel."))
        return Ed25519PrivateKey.from_private_bytes(unb64(str(raw["sign_private_key"])))

    # ------------------------------------------------------------------------------- laptop

    def enrol(self, enrolment: OfficePublic, device_id: str) -> str:
        """Store the office's public keys and create this laptop's signing key; its fingerprint."""
        if self.has_office():
            raise KeyMaterialError(_("Een kantoorinstallatie kan niet als laptop worden ingeschreven."))
        # A new enrolment (office key rotation) replaces the office's public file; the device key stays.
        self._write(OFFICE_PUBLIC_FILE, enrolment.to_json(), private=False)
        if self._read(DEVICE_KEY_FILE) is None:
            signing = Ed25519PrivateKey.generate()
            self._write(
                DEVICE_KEY_FILE,
                {
                    "format": "ifb-device-key",
                    "version": FILE_VERSION,
                    "device_id": device_id,
                    "sign_private_key": b64(signing.private_bytes_raw()),
                    "age_identity": str(pyrage.x25519.Identity.generate()),
                },
                private=True,
            )
        self.device_identity(device_id)
        return self.device_public(device_id)

    def device_identity(self, device_id: str) -> pyrage.x25519.Identity:
        """The laptop's age identity for reference bundles; created once if an older enrolment lacks it."""
        self.device_signing_key(device_id)
        raw = self._read(DEVICE_KEY_FILE) or {}
        if not raw.get("age_identity"):
            raw["age_identity"] = str(pyrage.x25519.Identity.generate())
            self._write(DEVICE_KEY_FILE, raw, private=True)
        return pyrage.x25519.Identity.from_str(str(raw["age_identity"]))

    def device_signing_key(self, device_id: str) -> Ed25519PrivateKey:
        raw = self._read(DEVICE_KEY_FILE)
        if raw is None:
            raise KeyMaterialError(
                _("Deze laptop is nog niet ingeschreven bij het kantoor; gebruik 'keys enrol'.")
            )
        if raw.get("device_id") != device_id:
            raise KeyMaterialError(
                _("De apparaatsleutel hoort bij een ander apparaat ({device}).", device=raw.get("device_id"))
            )
        return Ed25519PrivateKey.from_private_bytes(unb64(str(raw["sign_private_key"])))

    def device_public(self, device_id: str) -> str:
        return b64(self.device_signing_key(device_id).public_key().public_bytes_raw())

    def registration(self, device_id: str, name: str) -> Registration:
        recipient = str(self.device_identity(device_id).to_public())
        key = self.device_signing_key(device_id)
        office = self.office_public().fingerprint
        signature = key.sign(RECIPIENT_CONTEXT + recipient.encode("ascii"))
        possession = key.sign(possession_message(device_id, office, recipient))
        return Registration(
            device_id, name, self.device_public(device_id), office, recipient, b64(signature), b64(possession)
        )

    # ------------------------------------------------------------------------------- backup

    def backup_office(self, passphrase: str, log_n: int = SCRYPT_LOG_N) -> bytes:
        raw = self._read(OFFICE_IDENTITY_FILE)
        if raw is None:
            raise KeyMaterialError(_("Er is geen kantoorsleutel om te bewaren."))
        payload = {"kind": "office", "identity": raw, "public": self.office_public().to_json()}
        return encrypt_backup(canonical_json(payload).encode("utf-8"), passphrase, log_n)

    def restore(self, backup: bytes, passphrase: str) -> str:
        """Restore an office key backup, or add an escrow identity; returns the kind restored."""
        payload = json.loads(decrypt_backup(backup, passphrase))
        kind = payload.get("kind")
        if kind == "office":
            if self.has_office():
                raise KeyMaterialError(
                    _("Deze installatie heeft al een kantoorsleutel; die wordt niet overschreven.")
                )
            self._write(OFFICE_IDENTITY_FILE, payload["identity"], private=True)
            self._write(OFFICE_PUBLIC_FILE, payload["public"], private=False)
            return "office"
        if kind == "escrow":
            extra = self._read(EXTRA_IDENTITIES_FILE) or {"identities": []}
            if payload["identity"] not in extra["identities"]:
                extra["identities"].append(payload["identity"])
            self._write(EXTRA_IDENTITIES_FILE, extra, private=True)
            return "escrow"
        raise KeyMaterialError(_("Onbekend soort sleutelback-up."))


def read_json_file(path: Path) -> dict[str, Any]:
    try:
        # Only a regular file is read: a link to /dev/zero or a pipe on the stick is refused unread.
        value = json.loads(read_regular_file(path, MAX_KEY_FILE))
    except (OSError, ValueError, BundleRejectedError) as error:
        raise KeyMaterialError(_("Het sleutelbestand {path} is onleesbaar.", path=path)) from error
    if not isinstance(value, dict):
        raise KeyMaterialError(_("Het sleutelbestand {path} is onleesbaar.", path=path))
    return value


def parse_recipient(recipient: str) -> pyrage.x25519.Recipient:
    try:
        return pyrage.x25519.Recipient.from_str(recipient)
    except pyrage.RecipientError as error:
        raise KeyMaterialError(_("Ongeldige age-ontvanger: {recipient}", recipient=recipient)) from error


def _public_key_ok(text: object) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(str(text)))
    except ValueError:
        return False
    return True


def parse_enrolment(raw: dict[str, Any]) -> OfficePublic:
    bad = KeyMaterialError(_("Dit is geen geldig inschrijvingsbestand van een kantoor."))
    if raw.get("format") != ENROLMENT_FORMAT or raw.get("version") != FILE_VERSION:
        raise bad
    escrow = raw.get("escrow_recipients", [])
    if not isinstance(escrow, list) or not all(isinstance(e, str) for e in escrow):
        raise bad
    if not isinstance(raw.get("municipality"), str) or not _public_key_ok(raw.get("sign_public_key")):
        raise bad
    for recipient in [raw.get("recipient"), *escrow]:
        parse_recipient(str(recipient))
    public = OfficePublic(
        str(raw["municipality"]), str(raw["recipient"]), str(raw["sign_public_key"]), tuple(escrow)
    )
    if raw.get("fingerprint") != public.fingerprint:
        raise KeyMaterialError(_("De vingerafdruk in het inschrijvingsbestand klopt niet; het is gewijzigd."))
    return public


def parse_registration(raw: dict[str, Any]) -> Registration:
    bad = KeyMaterialError(_("Dit is geen geldig registratiebestand van een laptop."))
    if raw.get("format") != REGISTRATION_FORMAT or raw.get("version") != FILE_VERSION:
        raise bad
    fields = ("device_id", "name", "sign_public_key", "office_fingerprint")
    if not all(isinstance(raw.get(k), str) for k in fields) or not _public_key_ok(raw["sign_public_key"]):
        raise bad
    recipient, signature = raw.get("recipient", ""), raw.get("recipient_sig", "")
    possession = raw.get("possession_sig", "")
    if not all(isinstance(value, str) for value in (recipient, signature, possession)):
        raise bad
    device_id, name, public_key, office_fpr = (str(raw[k]) for k in fields)
    if recipient:
        parse_recipient(recipient)
        try:
            key = Ed25519PublicKey.from_public_bytes(unb64(public_key))
            key.verify(unb64(signature), RECIPIENT_CONTEXT + recipient.encode("ascii"))
            if possession:  # files of older versions lack it; the office then refuses them
                key.verify(unb64(possession), possession_message(device_id, office_fpr, recipient))
        except (ValueError, InvalidSignature) as error:
            raise bad from error
    registration = Registration(
        device_id,
        name,
        public_key,
        office_fpr,
        recipient,
        signature if recipient else "",
        possession if recipient else "",
    )
    if raw.get("fingerprint") != registration.fingerprint:
        raise KeyMaterialError(_("De vingerafdruk in het registratiebestand klopt niet; het is gewijzigd."))
    return registration
