"""Re-inspections: set at finalisation on a laptop, carried to the office in the field bundle, on the
office's due list, back to the laptops in the reference bundle, and closed by a linked new visit."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.reinspections import (
    FollowUpRequest,
    due_date_for,
    due_list,
    finalize_with_follow_up,
    follow_up_detail,
    set_follow_up,
)
from inspector_app.services.visit.detail import visit_detail
from inspector_app.services.visits import LocationInput, NewVisit, open_visit, start_visit
from tests.services.test_visit_session import _any_value


def _pb_visit(app: AppContext, day: str = "2026-05-04") -> str:
    """A PB visit on `day` with every required question answered, ready to be finalised."""
    visit_id = start_visit(
        app,
        NewVisit(
            form="PB",
            location=LocationInput("Club Hercontrole", "Teststraat 1", "1234 AB", "Westerdam"),
            started_at=f"{day}T10:00",
            visit_type="gepland",
        ),
    )
    session = open_visit(app, visit_id)
    missing, _problems = session.open_problems()
    for ref in missing:
        session.answer(ref, _any_value(session.form.questions[ref.split("[")[0]]))
    return visit_id


def _first_import(office: AppContext, laptop: AppContext, tmp_path: Path, name: str) -> None:
    result = exchange_service.export(laptop, tmp_path / f"{name}.ifb")
    assert result is not None
    (report,) = exchange_service.import_files(office, [result.path])
    assert report.status == "imported", report.reason


def test_due_date_rules() -> None:
    assert due_date_for(FollowUpRequest(weeks=6), "2026-05-04T10:00") == "2026-06-15"
    assert due_date_for(FollowUpRequest(on="2026-07-01"), "2026-05-04") == "2026-07-01"
    for bad in (
        FollowUpRequest(weeks=0),
        FollowUpRequest(weeks=105),
        FollowUpRequest(on="2026-05-04"),  # not after the visit
        FollowUpRequest(on="2029-01-01"),  # more than two years later
        FollowUpRequest(on="1 juli"),
        FollowUpRequest(weeks=2, on="2026-07-01"),
    ):
        with pytest.raises(InvalidInputError):
            due_date_for(bad, "2026-05-04")


def test_refused_finalize_plans_nothing(app: AppContext) -> None:
    visit_id = start_visit(
        app,
        NewVisit(form="PB", location=LocationInput("Club Test", postcode="1234 AB"), visit_type="gepland"),
    )
    session = open_visit(app, visit_id)
    with pytest.raises(InvalidInputError):
        finalize_with_follow_up(session, FollowUpRequest(weeks=4))
    assert follow_up_detail(app, visit_id)["reinspection_due"] is None
    assert due_list(app) == []


def test_due_list_states_and_filters(app: AppContext) -> None:
    visit_id = _pb_visit(app)
    session = open_visit(app, visit_id)
    finalize_with_follow_up(session, FollowUpRequest(weeks=4))  # due 2026-06-01
    assert session.is_final
    items = due_list(app, today=date(2026, 5, 10))
    assert [(i.row.visit_id, i.row.due_date, i.state, i.days) for i in items] == [
        (visit_id, "2026-06-01", "planned", 22)
    ]
    assert due_list(app, due=True, today=date(2026, 5, 10)) == []
    assert [i.state for i in due_list(app, due=True, today=date(2026, 5, 25))] == ["due"]
    assert due_list(app, overdue=True, today=date(2026, 6, 1)) == []
    assert [i.state for i in due_list(app, overdue=True, today=date(2026, 6, 2))] == ["overdue"]
    assert due_list(app, location_type="CS") == []
    assert len(due_list(app, location_type="PB")) == 1
    # Planned again after finalisation, then cleared: audited each time.
    assert set_follow_up(app, open_visit(app, visit_id), FollowUpRequest(on="2026-07-01")) == "2026-07-01"
    assert set_follow_up(app, open_visit(app, visit_id), FollowUpRequest()) is None
    assert due_list(app) == []
    actions = [
        str(r[0]) for r in app.db.execute("SELECT action FROM audit_log WHERE action LIKE 'visit.follow%'")
    ]
    assert actions == ["visit.follow_up_set"] * 3


def test_linked_visit_closes_the_re_inspection(app: AppContext) -> None:
    earlier = _pb_visit(app)
    finalize_with_follow_up(open_visit(app, earlier), FollowUpRequest(weeks=6))
    location = open_visit(app, earlier).location.id
    with pytest.raises(NotFoundError):
        start_visit(app, NewVisit(form="PB", follows_up="ffffffff"))
    with pytest.raises(InvalidInputError, match="dezelfde locatie"):
        start_visit(
            app, NewVisit(form="PB", location=LocationInput("Elders", postcode="9999 ZZ"), follows_up=earlier)
        )
    assert due_list(app) and app.db.execute("SELECT count(*) FROM visits").fetchone()[0] == 1
    later = start_visit(app, NewVisit(form="PB", follows_up=earlier[:8]))
    detail = visit_detail(open_visit(app, later))
    assert detail["follows_up"] == earlier and detail["visit_type"] == "hercontrole"
    assert detail["location"]["id"] == location
    assert visit_detail(open_visit(app, earlier))["followed_up_by"] == [later]
    assert due_list(app) == []


def test_cli_follow_up_and_list(app: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    visit_id = _pb_visit(app, (date.today() - timedelta(days=30)).isoformat())
    folder = str(app.paths.data_dir)
    app.close()
    capsys.readouterr()
    assert main(["--data-dir", folder, "visits", "finalize", visit_id, "--follow-up-weeks", "2"]) == 0
    assert "Hercontrole gepland op" in capsys.readouterr().out
    assert main(["--data-dir", folder, "reinspections", "list", "--overdue", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["visit_id"] == visit_id and item["state"] == "overdue" and item["days"] < 0
    assert main(["--data-dir", folder, "visits", "follow-up", visit_id, "--date", "2020-01-01"]) == 1
    assert "na de bezoekdatum" in capsys.readouterr().err
    assert main(["--data-dir", folder, "visits", "follow-up", visit_id, "--clear"]) == 0
    assert main(["--data-dir", folder, "reinspections", "list"]) == 0
    assert "Geen open hercontroles" in capsys.readouterr().out
    assert main(["--data-dir", folder, "visits", "follow-up", visit_id, "--weeks", "8"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "visits", "new", "--form", "PB", "--follows-up", visit_id]) == 0
    later = capsys.readouterr().out.strip()
    assert main(["--data-dir", folder, "visits", "show", later, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["follows_up"] == visit_id


def test_re_inspection_travels_laptop_office_laptop(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    visit_id = _pb_visit(laptop)
    finalize_with_follow_up(open_visit(laptop, visit_id), FollowUpRequest(weeks=6))
    _first_import(office, laptop, tmp_path, "first")
    (item,) = due_list(office, today=date(2026, 5, 10))
    assert (item.row.visit_id, item.row.due_date, item.row.source) == (visit_id, "2026-06-15", "store")
    # Re-planned on the laptop after the visit went: the visit travels again with it.
    set_follow_up(laptop, open_visit(laptop, visit_id), FollowUpRequest(on="2026-06-20"))
    _first_import(office, laptop, tmp_path, "second")
    assert [i.row.due_date for i in due_list(office)] == ["2026-06-20"]
    receipt = exchange_service.write_receipt(office, tmp_path / "receipt.json", laptop.device_id)
    exchange_service.apply_receipt(laptop, receipt)
    assert exchange_service.export(laptop, tmp_path / "third.ifb") is None  # acknowledged, not re-planned
    # To the laptops: a second laptop (here: the first, with its own copy gone) sees it per location.
    laptop.db.execute("DELETE FROM visit_follow_ups")
    laptop.db.conn.commit()
    path, *_counts = exchange_service.write_reference(office, tmp_path)
    report = exchange_service.import_reference_file(laptop, path)
    assert report.status == "imported" and report.due == 1
    location = open_visit(office, visit_id).location.id
    (seen,) = due_list(laptop, location_id=location)
    assert (seen.row.visit_id, seen.row.due_date, seen.row.source) == (visit_id, "2026-06-20", "office")
    # Started from the list on the laptop: linked, and closed at the office once that visit arrives.
    later = start_visit(laptop, NewVisit(form="PB", follows_up=visit_id))
    assert due_list(laptop) == []
    _first_import(office, laptop, tmp_path, "fourth")
    assert follow_up_detail(office, later)["follows_up"] == visit_id
    assert due_list(office) == []


def test_office_keeps_the_later_plan_whatever_the_order(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    visit_id = _pb_visit(laptop)
    finalize_with_follow_up(open_visit(laptop, visit_id), FollowUpRequest(weeks=6))
    first = exchange_service.export(laptop, tmp_path / "a.ifb")
    set_follow_up(laptop, open_visit(laptop, visit_id), FollowUpRequest(weeks=8))
    second = exchange_service.export(laptop, tmp_path / "b.ifb")
    assert first is not None and second is not None
    exchange_service.import_files(office, [second.path, first.path])
    assert [i.row.due_date for i in due_list(office)] == ["2026-06-29"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visit_id": "0f0e0d0c-0b0a-4908-8706-050403020100"}, "visit_id"),  # a visit not in the bundle
        ({"due_date": "15-06-2026"}, "due_date"),
        ({"follows_up": "not-an-id"}, "follows_up"),
    ],
)
def test_hostile_follow_up_rows_are_refused(
    office: AppContext, laptop: AppContext, tmp_path: Path, change: dict[str, str], field: str
) -> None:
    from tests.sync.hostile import canonical_dump, forge, read_bundle

    visit_id = _pb_visit(laptop)
    finalize_with_follow_up(open_visit(laptop, visit_id), FollowUpRequest(weeks=6))
    result = exchange_service.export(laptop, tmp_path / "genuine.ifb")
    assert result is not None
    tables, media, _manifest = read_bundle(office, result.path)
    (row,) = tables["visit_follow_ups"]
    tables["visit_follow_ups"] = [{**row, **change}]
    forged = forge(laptop, office, tables, media, tmp_path / "forged.ifb")
    before = canonical_dump(office.paths.database)
    (report,) = exchange_service.import_files(office, [forged])
    assert report.status == "rejected" and report.reason_code == "invalid_record"
    assert "follow_ups.jsonl" in report.reason and field in report.reason
    assert canonical_dump(office.paths.database) == before
