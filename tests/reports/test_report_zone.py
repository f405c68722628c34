"""Document times come from one zone (Europe/Amsterdam until the policy names one), not the machine's."""

from __future__ import annotations

import time

import pytest

from inspector_app.services.documents import common
from inspector_app.services.documents.common import report_moment, report_zone


@pytest.mark.parametrize("machine", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_times_print_in_the_report_zone_whatever_the_machine_says(
    monkeypatch: pytest.MonkeyPatch, machine: str
) -> None:
    monkeypatch.setenv("TZ", machine)
    time.tzset()
    try:
        assert str(report_zone()) == "Europe/Amsterdam"
        assert report_moment("2026-03-14T20:05:00Z", "nl") == "14-03-2026 21:05"  # CET, UTC+1
        assert report_moment("2026-07-01T20:05:00.123Z", "en") == "2026-07-01 22:05"  # CEST, UTC+2
        assert report_moment("2026-03-14T21:05", "nl") == "14-03-2026 21:05"  # already local: as it is
    finally:
        monkeypatch.undo()
        time.tzset()


def test_without_a_zone_database_times_say_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "report_zone", lambda: None)
    monkeypatch.setattr("inspector_app.forms.display.LOCAL_ZONE", None)  # no zone database at all
    assert report_moment("2026-03-14T20:05:00Z", "nl") == "14-03-2026 20:05 UTC"
    assert report_moment("not a time", "nl") == "not a time" and report_moment(None, "nl") == ""
