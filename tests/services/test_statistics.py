"""The office figures equal the same figures counted independently from the raw rows, for several
periods and location types, and every bar's drill-down lists exactly the visits it counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from inspector_app.domain.model import Category, LocationType, Recipient, ReferralStatus, Weight
from inspector_app.errors import InvalidInputError
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.statistics import ALL, Drill, FigureKind, Period, build_dashboard, visits_behind
from inspector_app.services.visits import VisitFilter, find_visits
from tests.services.office_store import Independent, assert_figures_equal_independent, make_office_store

TODAY = date.today()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    context = open_app(Path(tmp_path_factory.mktemp("office")) / "data")
    context.settings.profile.name = "Kantoor 1"
    make_office_store(context)
    yield context
    context.close()


PERIODS = [
    (date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31), None),
    (date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31), "PB"),
    (date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31), "AH"),
    (TODAY - timedelta(days=730), TODAY, None),
    (TODAY - timedelta(days=200), TODAY - timedelta(days=100), "CS"),
    # ~100 days: the demo dates move with today, and one month of one type was empty on some days
    (TODAY - timedelta(days=400), TODAY - timedelta(days=300), "MS"),
]


@pytest.mark.parametrize(("start", "end", "location_type"), PERIODS)
def test_every_figure_equals_the_independent_count(
    office: AppContext, start: date, end: date, location_type: str | None
) -> None:
    period = Period(start, end, LocationType(location_type) if location_type else None)
    dashboard = build_dashboard(office, period, "nl")
    raw = Independent(office, start, end, location_type)
    assert raw.visits, "the store has visits in every tested period"
    assert raw.signals(), "standing indicators in every tested period"
    assert_figures_equal_independent(dashboard, raw)

    visits = dashboard.figure(FigureKind.VISITS)
    expected_types = [location_type] if location_type else [t.value for t in LocationType]
    assert [c.code for c in visits.columns] == expected_types
    assert sum(raw.visits_per_month().values()) == len(raw.visits)
    repeated = dashboard.figure(FigureKind.REPEATED)
    flagged = [int(row.values[0] or 0) for row in repeated.rows]
    assert flagged == sorted(flagged, reverse=True)


def test_a_stronger_manual_tick_counts_the_indicator_once_at_its_strongest_weight(office: AppContext) -> None:
    doubled = office.db.execute(
        "SELECT a.visit_id, a.slug FROM indicator_observations a JOIN indicator_observations m"
        " ON m.visit_id = a.visit_id AND m.slug = a.slug AND m.source = 'manual' AND a.source = 'auto'"
        " AND a.weight != 'H' AND a.active = 1 AND a.dismissed = 0 LIMIT 1"
    ).fetchone()
    assert doubled is not None
    visit_id, slug = doubled
    started = office.db.execute("SELECT started_at FROM visits WHERE id = ?", [visit_id]).fetchone()[0]
    day = date.fromisoformat(started[:10])
    dashboard = build_dashboard(office, Period(day, day), "nl")
    raw = Independent(office, day, day)
    assert raw.standing[(visit_id, slug)] == 3
    signals = dashboard.figure(FigureKind.SIGNALS)
    total = sum(int(v or 0) for row in signals.rows for v in row.values)
    assert total == len(raw.standing)  # one per (visit, slug), not one per observation row


@pytest.mark.parametrize(("start", "end", "location_type"), PERIODS[:3])
def test_each_bar_drills_down_to_exactly_its_visits(
    office: AppContext, start: date, end: date, location_type: str | None
) -> None:
    period = Period(start, end, LocationType(location_type) if location_type else None)
    dashboard = build_dashboard(office, period, "nl")
    raw = Independent(office, start, end, location_type)
    month = next(row for row in dashboard.figure(FigureKind.VISITS).rows if any(row.values))
    for column in [*dashboard.figure(FigureKind.VISITS).columns, None]:
        code = column.code if column else ""
        expected = {
            v["id"]
            for v in raw.visits.values()
            if v["started_at"][:7] == month.code and (not code or raw.types[v["location_id"]] == code)
        }
        assert set(visits_behind(office, period, Drill(FigureKind.VISITS, month.code, code))) == expected
    for category in Category:
        for weight in [*Weight, None]:
            drill = Drill(FigureKind.SIGNALS, category.value, weight.value if weight else "")
            assert set(visits_behind(office, period, drill)) == raw.signal_visits(category.value, weight)
    for recipient in Recipient:
        for status in [*ReferralStatus, None]:
            drill = Drill(FigureKind.REFERRALS, recipient.value, status.value if status else "")
            expected = {
                r["visit_id"]
                for r in raw.referrals
                if r["recipient"] == recipient.value and (status is None or r["status"] == status.value)
            }
            assert set(visits_behind(office, period, drill)) == expected
    sent = {r["visit_id"] for r in raw.referrals if r["sent_at"]}
    assert set(visits_behind(office, period, Drill(FigureKind.MEDIAN_DAYS, ALL, ""))) == sent
    flagged = raw.flagged_visits()
    for location_id, (count, _visits) in raw.repeated().items():
        ids = visits_behind(office, period, Drill(FigureKind.REPEATED, location_id, "flagged"))
        assert len(ids) == count
        assert set(ids) == {i for i in flagged if raw.visits[i]["location_id"] == location_id}


def test_the_visit_list_shows_exactly_the_drilled_visits(office: AppContext) -> None:
    period = Period(date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31))
    ids = visits_behind(office, period, Drill(FigureKind.SIGNALS, Category.LABOUR.value, Weight.MEDIUM.value))
    assert ids
    listed = find_visits(office, VisitFilter(visit_ids=tuple(ids)))
    assert sorted(row.id for row in listed) == ids
    assert find_visits(office, VisitFilter(visit_ids=())) == []
    only_pb = find_visits(office, VisitFilter(visit_ids=tuple(ids), location_type="PB"))
    assert {row.location_type for row in only_pb} <= {"PB"}


def test_an_empty_period_gives_zeroes_and_no_rows(office: AppContext) -> None:
    dashboard = build_dashboard(office, Period(date(2001, 1, 1), date(2001, 12, 31)), "en")
    assert dashboard.visits == 0
    assert all(v == 0 for row in dashboard.figure(FigureKind.SIGNALS).rows for v in row.values)
    assert [row.code for row in dashboard.figure(FigureKind.MEDIAN_DAYS).rows] == [ALL]
    assert dashboard.figure(FigureKind.MEDIAN_DAYS).rows[0].values == (None, 0)
    assert dashboard.figure(FigureKind.REPEATED).rows == ()
    assert dashboard.figure(FigureKind.SIGNALS).rows[0].label == "General"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2025, 2, 1), date(2025, 1, 1), "einddatum"),
        (date(2020, 1, 1), date(2025, 1, 1), "drie jaar"),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(start: date, end: date, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Period(start, end)


def test_a_year_outside_the_range_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="2000 en 2100"):
        Period.year(1999)
    assert Period.year(2025).months()[0] == "2025-01" and len(Period.year(2025).months()) == 12
