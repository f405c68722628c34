"""One time zone: what the app stores or shows as local time is in the municipal policy's zone.

The machine is set to UTC (TZ=UTC, time.tzset) and the clock frozen at 10:00 UTC on 1 July 2026:
Amsterdam (the default policy zone) says 12:00, Tokyo 19:00. Every case would read 10:00 if it took
the machine's zone, so each would fail on a laptop set to UTC.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from inspector_app.cli.main import main
from inspector_app.domain.model import Recipient, ReferralStatus, Urgency
from inspector_app.services import clock
from inspector_app.services.app import AppContext
from inspector_app.services.policy import set_policy
from inspector_app.services.visit import finalize
from inspector_app.services.visit.referrals import ReferralUpdate, add_referral, update_referral
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync.office_import import ImportReport

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


class FrozenClock(datetime):
    """datetime with `now` fixed at NOW (naive: the machine's UTC wall clock)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> FrozenClock:
        moment = NOW.astimezone(tz) if tz is not None else NOW.replace(tzinfo=None)
        return cls.fromisoformat(moment.isoformat())


@pytest.fixture(autouse=True)
def _machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(clock, "datetime", FrozenClock)
    yield
    monkeypatch.undo()
    time.tzset()


def _visit(app: AppContext, started_at: str | None = None) -> str:
    request = NewVisit(
        form="PB", location=LocationInput("Club Zon", "Kade 1", "1234 AB"), started_at=started_at
    )
    return start_visit(app, request)


@pytest.mark.parametrize(
    ("zone", "expected"), [(None, "2026-07-01T12:00"), ("Asia/Tokyo", "2026-07-01T19:00")]
)
def test_a_new_visit_starts_now_in_the_policy_zone(app: AppContext, zone: str | None, expected: str) -> None:
    if zone:
        set_policy(app, "time_zone", zone)
    session = VisitSession(app, _visit(app))
    assert session.visit.started_at == expected
    assert clock.local_minute(app.db) == expected


def test_a_referral_marked_sent_without_a_date_is_stamped_in_the_policy_zone(app: AppContext) -> None:
    session = VisitSession(app, _visit(app))
    referral_id, _changes = add_referral(session, Recipient.POLICE.value, Urgency.DAYS.value)
    updated = update_referral(app, referral_id, ReferralUpdate(status=ReferralStatus.SENT.value))
    assert updated.sent_at == "2026-07-01T12:00"


def test_the_end_time_stamped_at_finalisation_is_the_policy_zone_time(app: AppContext) -> None:
    session = VisitSession(app, _visit(app, "2026-07-01T11:00"))
    assert finalize.local_now(app.db) == datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    finalize._stamp_end_time(session)
    assert session.visit.ended_at == "2026-07-01T12:00"


def test_stored_utc_times_are_shown_in_the_policy_zone(app: AppContext) -> None:
    assert clock.shown_moment(app.db, "2026-07-01T10:00:00.000Z", "nl") == "01-07-2026 12:00"
    set_policy(app, "time_zone", "America/New_York")
    assert clock.shown_moment(app.db, "2026-07-01T10:00:00.000Z", "en") == "2026-07-01 06:00"


def test_an_import_report_names_the_earlier_bundle_time_in_the_given_zone() -> None:
    fork = {"device_id": "abcdef12", "device_name": "laptop 2", "seq": 4, "earlier_bundle": "b1"}
    report = ImportReport(file="x.bundle", forks=[fork | {"earlier_at": "2026-07-01T10:00:00.000Z"}])
    assert "01-07-2026 12:00" in report.fork_text(ZoneInfo("Europe/Amsterdam"))
    assert "01-07-2026 19:00" in report.fork_text(ZoneInfo("Asia/Tokyo"))


def test_cli_human_output_uses_the_policy_zone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "cli")
    args = ["--data-dir", data, "visits", "new", "--form", "PB", "--location-name", "Club Zon"]
    assert main([*args, "--address", "Kade 1", "--postcode", "1234 AB"]) == 0
    visit = capsys.readouterr().out.strip()
    assert main(["--data-dir", data, "visits", "show", visit]) == 0
    assert "2026-07-01 12:00" in capsys.readouterr().out


def test_retention_show_names_the_municipal_day_a_period_was_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Set at 22:30 UTC on 30 June is 1 July in Amsterdam: the UTC date would be a day early."""
    from inspector_app.services import keys
    from inspector_app.services.app import open_app

    data = str(tmp_path / "cli")
    app = open_app(Path(data))
    keys.init_office(app, "Westerdam")  # the office (its DPO) sets retention periods
    app.close()
    assert main(["--data-dir", data, "retention", "set", "import_logs", "400"]) == 0
    app = open_app(Path(data))
    with app.db.conn:
        app.db.execute("UPDATE retention_policy SET set_at = '2026-06-30T22:30:00.000Z'")
    app.close()
    capsys.readouterr()
    assert main(["--data-dir", data, "retention", "show"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("import_logs")]
    assert "vastgesteld 01-07-2026" in line
