"""Municipal policy as data: the few facts that differ per municipality and that rules and texts read.

The APV minimum age for sex work is 18 in most municipalities and 21 in some (domain-audit §5.2, D29:
NOS 2019, ABRvS 5 June 2019 on Alkmaar), so it is a setting, never a constant in a rule. The office
sets the policy; reference bundles carry it to the laptops, which cannot change it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inspector_app.i18n import _

APV_MIN_AGES = (18, 21)
APP_LOCK_RANGE = (1, 60)
MAX_POLICY_TEXT = 200
# Small-number suppression in published figures (the annual summary): counts from 1 up to the threshold
# are shown as "< threshold". 5 is the usual CBS/RIEC practice; below 2 nothing would be suppressed,
# above 20 the figures of a small municipality would say nothing.
SUPPRESSION_THRESHOLDS = range(2, 21)


class PolicyKey(StrEnum):
    MUNICIPALITY = "municipality"
    CONTACT_PERSON = "contact_person"
    APV_MIN_AGE = "apv_min_age"
    TIME_ZONE = "time_zone"
    SUPPRESSION_THRESHOLD = "suppression_threshold"
    APP_LOCK_MINUTES = "app_lock_minutes"


@dataclass(frozen=True)
class MunicipalPolicy:
    """The policy in force; every field has the default a municipality gets until the office sets it."""

    municipality: str = ""
    contact_person: str = ""
    apv_min_age: int = 18
    time_zone: str = "Europe/Amsterdam"
    suppression_threshold: int = 5
    app_lock_minutes: int = 5  # idle time after which the desktop locks (issue 12 item 3)

    def value(self, key: PolicyKey) -> str | int:
        found: str | int = getattr(self, key.value)
        return found

    @classmethod
    def from_texts(cls, texts: dict[str, str]) -> MunicipalPolicy:
        """The policy from stored texts; an unknown key or a value that no longer parses keeps the default."""
        values: dict[str, str | int] = {}
        for key in PolicyKey:
            if key.value in texts:
                try:
                    values[key.value] = parse_policy_value(key.value, texts[key.value])[1]
                except PolicyValueError:
                    continue
        return cls(**values)  # type: ignore[arg-type]


class PolicyValueError(ValueError):
    """A policy key or value that is not allowed; the message says what is expected, in the user's language."""


def parse_policy_value(key: str, text: str) -> tuple[PolicyKey, str | int]:
    """The typed value of `text` for `key`, or PolicyValueError saying what is expected."""
    try:
        policy_key = PolicyKey(key)
    except ValueError:
        raise PolicyValueError(
            _(
                "Onbekende beleidsinstelling '{key}'; kies uit: {known}",
                key=key,
                known=", ".join(k.value for k in PolicyKey),
            )
        ) from None
    value = text.strip()
    if len(value) > MAX_POLICY_TEXT:
        raise PolicyValueError(_("De waarde is te lang (hoogstens {limit} tekens).", limit=MAX_POLICY_TEXT))
    if policy_key is PolicyKey.APV_MIN_AGE:
        if value not in {str(age) for age in APV_MIN_AGES}:
            raise PolicyValueError(
                _(
                    "De minimumleeftijd voor sekswerk uit de APV is 18 of 21, niet '{value}'.",
                    value=value,
                )
            )
        return policy_key, int(value)
    if policy_key is PolicyKey.SUPPRESSION_THRESHOLD:
        if not value.isascii() or not value.isdigit() or int(value) not in SUPPRESSION_THRESHOLDS:
            raise PolicyValueError(
                _(
                    "De drempel voor kleine aantallen is een geheel getal van {low} tot en met {high},"
                    " niet '{value}'.",
                    low=SUPPRESSION_THRESHOLDS.start,
                    high=SUPPRESSION_THRESHOLDS.stop - 1,
                    value=value,
                )
            )
        return policy_key, int(value)
    if policy_key is PolicyKey.APP_LOCK_MINUTES:
        low, high = APP_LOCK_RANGE
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            raise PolicyValueError(
                _(
                    "De vergrendeltijd is een aantal minuten van {low} tot {high}, niet '{value}'.",
                    low=low,
                    high=high,
                    value=value,
                )
            )
        return policy_key, int(value)
    if policy_key is PolicyKey.TIME_ZONE:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PolicyValueError(
                _("Onbekende tijdzone '{value}'; bijvoorbeeld Europe/Amsterdam.", value=value)
            ) from None
        return policy_key, value
    return policy_key, value
