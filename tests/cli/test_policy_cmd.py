"""`policy show|set`: the municipal policy as data, who may set it, and how it reaches the laptops.

Minimum-age rows cite their source key (domain-audit D29: most APVs keep 18, about 37 municipalities
21, upheld by ABRvS 5 June 2019; D4 CCV licence conditions; domain.md S16 S20 S42).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.services import exchange as exchange_service
from inspector_app.services.app import AppContext
from inspector_app.services.policy import current_policy, set_policy
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import open_visit
from tests.raw_store import raw_connect


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _policy_rows(data_dir: Path) -> list[tuple[str, str]]:
    with raw_connect(data_dir / "inspector.sqlite3") as raw:
        rows: list[tuple[str, str]] = raw.execute("SELECT key, value FROM policy ORDER BY key").fetchall()
        return rows


def test_show_gives_the_defaults_of_a_fresh_install(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _err = run(capsys, tmp_path, "policy", "show", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["policy"] == {
        "municipality": "",
        "contact_person": "",
        "apv_min_age": 18,
        "time_zone": "Europe/Amsterdam",
        "suppression_threshold": 5,
        "app_lock_minutes": 5,
    }
    assert shown["defaults"] == [
        "app_lock_minutes",
        "apv_min_age",
        "contact_person",
        "municipality",
        "suppression_threshold",
        "time_zone",
    ]
    assert shown["role"] == "standalone" and shown["editable"] is True
    code, out, _err = run(capsys, tmp_path, "policy", "show")
    assert code == 0 and "apv_min_age" in out and "(standaard)" in out


def test_set_stores_one_key_and_audits_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for key, value in {
        "apv_min_age": "21",
        "municipality": "Westerdam",
        "contact_person": "Aandachtsfunctionaris AF-3",
        "time_zone": "Europe/Brussels",
        "suppression_threshold": "10",
        "app_lock_minutes": "10",
    }.items():
        code, _out, err = run(capsys, tmp_path, "policy", "set", key, value)
        assert code == 0, err
    shown = json.loads(run(capsys, tmp_path, "policy", "show", "--json")[1])
    assert shown["policy"]["apv_min_age"] == 21 and shown["defaults"] == []
    with raw_connect(tmp_path / "inspector.sqlite3") as raw:
        actions = [r[0] for r in raw.execute("SELECT action FROM audit_log WHERE entity = 'policy'")]
    assert actions == ["policy.set"] * 6
    assert shown["policy"]["suppression_threshold"] == 10
    assert shown["policy"]["app_lock_minutes"] == 10


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("apv_min_age", "19", "18 of 21"),
        ("apv_min_age", "17", "18 of 21"),
        ("apv_min_age", "", "18 of 21"),
        ("apv_min_age", "21.0", "18 of 21"),
        ("suppression_threshold", "1", "drempel"),
        ("suppression_threshold", "21", "drempel"),
        ("suppression_threshold", "5.0", "drempel"),
        ("suppression_threshold", "٥", "drempel"),
        ("time_zone", "Mars/Olympus", "tijdzone"),
        ("time_zone", "../../etc/passwd", "tijdzone"),
        ("app_lock_minutes", "0", "vergrendeltijd"),
        ("app_lock_minutes", "61", "vergrendeltijd"),
        ("app_lock_minutes", "5.5", "vergrendeltijd"),
        ("minimum_age", "21", "Onbekende beleidsinstelling"),
        ("municipality", "x" * 201, "te lang"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str, value: str, message: str
) -> None:
    assert run(capsys, tmp_path, "policy", "set", "apv_min_age", "21")[0] == 0
    before = _policy_rows(tmp_path)
    code, out, err = run(capsys, tmp_path, "policy", "set", key, value)
    assert code == 1 and out == ""
    assert err.startswith("fout: ") and message in err and len(err.strip().splitlines()) == 1
    assert _policy_rows(tmp_path) == before


def test_bad_input_in_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(capsys, tmp_path, "--lang", "en", "policy", "set", "apv_min_age", "19")
    assert code == 1 and err.startswith("error: ") and "18 or 21" in err


def test_the_office_may_set_the_policy(capsys: pytest.CaptureFixture[str], office: AppContext) -> None:
    code, _out, err = run(capsys, office.paths.data_dir, "policy", "set", "apv_min_age", "21")
    assert code == 0, err
    assert json.loads(run(capsys, office.paths.data_dir, "policy", "show", "--json")[1])["role"] == "office"


def test_an_enrolled_laptop_is_refused_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], laptop: AppContext
) -> None:
    before = _policy_rows(laptop.paths.data_dir)
    code, _out, err = run(capsys, laptop.paths.data_dir, "policy", "set", "apv_min_age", "21")
    assert code == 1 and "ingeschreven bij een kantoor" in err and "referentiebundel" in err
    assert _policy_rows(laptop.paths.data_dir) == before
    shown = json.loads(run(capsys, laptop.paths.data_dir, "policy", "show", "--json")[1])
    assert shown["role"] == "laptop" and shown["editable"] is False


def test_the_reference_bundle_carries_the_policy_to_the_laptop(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    set_policy(office, "apv_min_age", "21")
    set_policy(office, "municipality", "Westerdam")
    first = exchange_service.write_reference(office, tmp_path / "first.ifr")[0]
    report = exchange_service.import_reference_file(laptop, first)
    assert report.status == "imported" and report.policy == ["apv_min_age", "municipality"]
    assert current_policy(laptop).apv_min_age == 21 and current_policy(laptop).municipality == "Westerdam"
    # a laptop visit started now keeps 21 ...
    visit = _pb_visit(laptop)
    # ... and when the office goes back to 18, the next bundle moves the laptop, not that visit
    set_policy(office, "apv_min_age", "18")
    second = exchange_service.write_reference(office, tmp_path / "second.ifr")[0]
    assert exchange_service.import_reference_file(laptop, second).status == "imported"
    assert current_policy(laptop).apv_min_age == 18
    assert VisitSession(laptop, visit).value("PB-12a") == "21"
    assert _pb_visit_value(laptop, _pb_visit(laptop)) == "18"


def _pb_visit(app: AppContext) -> str:
    from inspector_app.services.visits import LocationInput, NewVisit, start_visit

    return start_visit(app, NewVisit(form="PB", location=LocationInput("Club Noord")))


def _pb_visit_value(app: AppContext, visit_id: str) -> object:
    return open_visit(app, visit_id).value("PB-12a")


@pytest.mark.parametrize(
    ("apv_min_age", "age_band", "expected", "acute", "source"),
    [
        # below 18: never lawful, a minor in sex work -> H + acute (domain.md b.5; OM priority D9)
        ("18", "under_18", {"gen.minor": "H"}, True, "D9"),
        ("21", "under_18", {"gen.minor": "H"}, True, "D9"),
        # 18-20 where the APV sets 21: licence breach + M (D29: ABRvS 5-6-2019 upheld 21 in Alkmaar)
        ("21", "18_20", {"sex.under_min_age": "M"}, False, "D29"),
        # 18-20 where the APV sets 18 (most municipalities, NOS 2019 in D29): nothing
        ("18", "18_20", {}, False, "D29"),
        # at or above the minimum: nothing (D4 CCV licence conditions)
        ("21", "21_29", {}, False, "D4"),
        ("18", "21_29", {}, False, "D4"),
    ],
)
def test_minimum_age_cases_through_the_cli(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    apv_min_age: str,
    age_band: str,
    expected: dict[str, str],
    acute: bool,
    source: str,
) -> None:
    assert source in {"D4", "D9", "D29"}
    assert run(capsys, tmp_path, "policy", "set", "apv_min_age", apv_min_age)[0] == 0
    code, out, err = run(capsys, tmp_path, "visits", "new", "--form", "PB", "--location-name", "Club X")
    assert code == 0, err
    visit = out.strip()
    for ref, value in {"P-ROLE[1]": "sex_worker", "P-AGE[1]": age_band}.items():
        assert run(capsys, tmp_path, "visits", "answer", visit, ref, value)[0] == 0
    shown = json.loads(run(capsys, tmp_path, "visits", "show", visit, "--json")[1])
    assert shown["answers"]["PB-12a"] == apv_min_age
    assert {i["slug"]: i["weight"] for i in shown["indicators"]} == expected
    assert any(a["level"] == "acute" for a in shown["advice"]) is acute
    findings = {f["rule"] for f in shown["findings"]}
    assert ("P-AGE.sex_worker_below_apv" in findings) is (expected == {"sex.under_min_age": "M"})


def test_documents_read_the_policy_time_zone_and_municipality(app: AppContext) -> None:
    from zoneinfo import ZoneInfo

    from inspector_app.forms.display import format_moment
    from inspector_app.services.documents.common import document_municipality, document_zone

    stamp = "2026-07-01T12:00:00Z"
    assert format_moment(stamp, "nl") == "01-07-2026 14:00"  # Europe/Amsterdam, summer time
    assert format_moment(stamp, "nl", ZoneInfo("America/Kralendijk")) == "01-07-2026 08:00"
    session = VisitSession(app, _pb_visit(app))
    app.settings.profile.municipality = ""
    assert document_zone(session) == ZoneInfo("Europe/Amsterdam") and document_municipality(session) == ""
    set_policy(app, "time_zone", "America/Kralendijk")  # Bonaire (Caribbean Netherlands)
    set_policy(app, "municipality", "Westerdam")
    assert document_zone(session) == ZoneInfo("America/Kralendijk")
    assert document_municipality(session) == "Westerdam"
    app.settings.profile.municipality = "Oosterdam"  # a profile that names one still wins
    assert document_municipality(session) == "Oosterdam"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("apv_min_age", "16"),
        ("time_zone", "Nowhere/Land"),
        ("minimum_age", "21"),
        ("municipality", "x" * 201),
    ],
)
def test_a_reference_bundle_with_a_bad_policy_row_changes_nothing_on_the_laptop(
    office: AppContext, laptop: AppContext, tmp_path: Path, key: str, value: str
) -> None:
    """A policy row the office could never have set through `policy set` (a damaged or forged office
    store) rejects the whole bundle on the laptop: no policy, forms or locations are applied."""
    set_policy(office, "apv_min_age", "21")
    first = exchange_service.write_reference(office, tmp_path / "first.ifr")[0]
    assert exchange_service.import_reference_file(laptop, first).status == "imported"
    office.db.execute(
        "INSERT OR REPLACE INTO policy (key, value, updated_at) VALUES (?, ?, '2026-01-01T00:00:00Z')",
        [key, value],
    )
    office.db.conn.commit()
    second = exchange_service.write_reference(office, tmp_path / "second.ifr")[0]
    before = _policy_rows(laptop.paths.data_dir)
    report = exchange_service.import_reference_file(laptop, second)
    assert report.status == "rejected" and report.reason_code == "bad_record"
    assert "records/policy.jsonl" in report.reason
    assert _policy_rows(laptop.paths.data_dir) == before == [("apv_min_age", "21")]


def test_an_office_without_policy_rows_sends_the_defaults(
    office: AppContext, laptop: AppContext, tmp_path: Path
) -> None:
    """The office's policy is the policy: keys it never set are defaults on the laptop too."""
    laptop.db.execute("INSERT INTO policy (key, value, updated_at) VALUES ('apv_min_age', '21', 'x')")
    laptop.db.conn.commit()
    bundle = exchange_service.write_reference(office, tmp_path / "ref.ifr")[0]
    report = exchange_service.import_reference_file(laptop, bundle)
    assert report.status == "imported" and report.policy == [] and report.policy_applied
    assert current_policy(laptop).apv_min_age == 18
