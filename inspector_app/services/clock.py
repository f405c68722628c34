"""The municipal clock: "now" and stored UTC times in the time zone of the municipal policy.

An inspector's laptop may be set to UTC (a fresh install, a borrowed machine) while the office's is
set to Amsterdam; every time the app shows or stores as local (a new visit's start, "Opgeslagen HH:MM",
a referral's send time, the end time stamped at finalisation, banners, import reports, CLI output)
goes through here so they all agree with the documents, which print in the policy's zone as well.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from inspector_app.forms.display import format_moment, local_zone
from inspector_app.storage.policy import load_policy


def policy_zone(db: Database) -> ZoneInfo | None:
    """The policy's zone (Europe/Amsterdam unless the office set another), None without a zone database."""
    return local_zone(load_policy(db).time_zone)


def local_now(db: Database) -> datetime:
    """The wall-clock time in the municipality, whatever the machine's own time zone says."""
    return datetime.now(UTC).astimezone(policy_zone(db) or UTC)


def local_minute(db: Database) -> str:
    """Now as a local `YYYY-MM-DDTHH:MM`, the form visits and referrals keep local times in."""
    return f"{local_now(db):%Y-%m-%dT%H:%M}"


def shown_moment(db: Database, iso: str | None, lang: str) -> str:
    """A stored UTC time as the app shows it: `dd-mm-yyyy HH:MM` in the policy's zone."""
    return format_moment(iso, lang, policy_zone(db))
