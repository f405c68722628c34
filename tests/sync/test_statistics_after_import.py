"""At the office, the dashboard's figures equal the independent counts after bundles are imported:
the tables migration 013's triggers keep are written by the import's own inserts and updates, a
path that knows nothing of them. A second bundle carries a dismissal made on the laptop."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.statistics import Period, build_dashboard
from inspector_app.services.visit import indicators
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from tests.services.office_store import Independent, assert_figures_equal_independent


def assert_dashboard_equals_independent_counts(office: AppContext) -> None:
    today = date.today()
    start, end = today - timedelta(days=3 * 365), today
    dashboard = build_dashboard(office, Period(start, end), "nl")
    raw = Independent(office, start, end)
    assert raw.visits and raw.standing, "the imported visits are in the period and raise indicators"
    assert_figures_equal_independent(dashboard, raw)


def test_figures_after_imports(office: AppContext, laptop: AppContext, tmp_path: Path) -> None:
    create_demo_visits(laptop, 30, seed=14)
    first = exchange_service.export(laptop, tmp_path / "out")
    assert first is not None
    [report] = exchange_service.import_files(office, [first.path])
    assert report.status == "imported", report
    assert_dashboard_equals_independent_counts(office)

    # A new draft visit with two manual ticks, one of them then dismissed: both travel in the bundle.
    visit_id = start_visit(laptop, NewVisit(form="PB", location=LocationInput("Club Telling", "Kade 14")))
    first_slug, slug = sorted(load_catalogue().indicators)[:2]
    session = VisitSession(laptop, visit_id)
    indicators.tick(session, first_slug, "gezien bij binnenkomst (test)")
    indicators.tick(session, slug, "gehoord aan de bar (test)")
    indicators.dismiss(session, slug, "niet van toepassing (test)")
    second = exchange_service.export(laptop, tmp_path / "out2")
    assert second is not None
    [again] = exchange_service.import_files(office, [second.path])
    assert again.ok, again
    assert office.db.execute(
        "SELECT dismissed FROM indicator_observations WHERE visit_id = ? AND slug = ?", [visit_id, slug]
    ).fetchone() == (1,)
    kept = office.db.execute("SELECT slug FROM standing_indicators WHERE visit_id = ?", [visit_id]).fetchall()
    assert kept == [(first_slug,)]
    assert_dashboard_equals_independent_counts(office)
