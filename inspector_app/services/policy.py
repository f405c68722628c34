"""Use cases of the municipal policy: show it, and set one key where this installation may.

Who may set it: the office, and a stand-alone install (no keys at all: a municipality working on one
computer). An enrolled laptop takes the office's policy from reference bundles and never sets its own,
so two laptops of one municipality cannot drift apart on the minimum age a rule reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.domain.policy import MunicipalPolicy, PolicyKey, PolicyValueError, parse_policy_value
from inspector_app.errors import ConflictStateError, InvalidInputError
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.storage import policy as policy_repo
from inspector_app.storage.audit import AuditEntry, append, now_iso
from inspector_app.storage.db import writing
from inspector_app.sync.keys import OFFICE_PUBLIC_FILE, KeyStore


class InstallationRole:
    OFFICE = "office"
    LAPTOP = "laptop"
    STANDALONE = "standalone"


def installation_role(app: AppContext) -> str:
    """office (has the office key), laptop (enrolled with an office) or standalone (neither)."""
    keys = KeyStore.of(app.paths.data_dir)
    if keys.has_office():
        return InstallationRole.OFFICE
    if (keys.folder / OFFICE_PUBLIC_FILE).exists():
        return InstallationRole.LAPTOP
    return InstallationRole.STANDALONE


@dataclass(frozen=True)
class PolicyView:
    policy: MunicipalPolicy
    set_keys: frozenset[str]  # the keys stored; the others show their default
    role: str

    @property
    def editable(self) -> bool:
        return self.role != InstallationRole.LAPTOP

    def to_json(self) -> dict[str, object]:
        return {
            "policy": {key.value: self.policy.value(key) for key in PolicyKey},
            "defaults": sorted(key.value for key in PolicyKey if key.value not in self.set_keys),
            "role": self.role,
            "editable": self.editable,
        }


def current_policy(app: AppContext) -> MunicipalPolicy:
    return policy_repo.load_policy(app.db)


def show_policy(app: AppContext) -> PolicyView:
    return PolicyView(
        current_policy(app), frozenset(policy_repo.stored_policy_texts(app.db)), installation_role(app)
    )


def set_policy(app: AppContext, key: str, text: str) -> MunicipalPolicy:
    """Set one key (checked), audited; refused on an enrolled laptop and for a value not allowed."""
    if installation_role(app) == InstallationRole.LAPTOP:
        raise ConflictStateError(
            _(
                "Deze laptop is ingeschreven bij een kantoor: het gemeentelijk beleid wordt op het kantoor "
                "ingesteld en komt met de referentiebundel mee. Er is niets gewijzigd."
            )
        )
    try:
        policy_key, value = parse_policy_value(key, text)
    except PolicyValueError as error:
        raise InvalidInputError(str(error)) from None
    before = policy_repo.stored_policy_texts(app.db).get(policy_key.value)
    at = now_iso()
    with writing(app.db):
        policy_repo.set_policy_value(app.db, policy_key.value, str(value), at)
        append(
            app.db,
            AuditEntry(
                app.actor,
                app.device_id,
                "policy.set",
                "policy",
                policy_key.value,
                None,
                None if before is None else {"value": before},
                {"value": str(value)},
            ),
        )
    return current_policy(app)
