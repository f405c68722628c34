"""The versioned definition store: a visit evaluates with the checklist version it was filled with."""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.store import UnknownFormVersionError, archive_form, load_form, versions_root
from inspector_app.paths import forms_dir, installed_forms_root
from inspector_app.reports.model import ReportKind
from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.documents.render import build_report, render_report
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.signals.rules import run_rules
from inspector_app.storage.visits import VisitFilter, list_visits
from tests.reports.support import new_session
from tests.sync.conftest import enrol

FORM = "prostitution_business"


def bumped_forms(tmp_path: Path, step: int = 1, flip: bool = True) -> Path:
    """A copy of the shipped checklists where the PB version is raised by `step` and (with `flip`)
    every 'no' rule now fires on 'yes': the same answers give other findings and indicators."""
    folder = tmp_path / f"shipped-next-{step}"
    shutil.copytree(forms_dir(), folder)
    path = folder / f"{FORM}.toml"
    text = path.read_text(encoding="utf-8")
    version = load_all_forms(forms_dir())[FORM].version
    text = text.replace(f"version = {version}\n", f"version = {version + step}\n", 1)
    head, rules = text.split("[[rules]]", 1)
    rules = re.sub(r"= 'no'", "= 'yes'", rules) if flip else rules
    path.write_text(head + "[[rules]]" + rules, encoding="utf-8")
    return folder


def outcome_of(session: VisitSession) -> tuple[object, ...]:
    outcome = session.outcome
    return (
        sorted((i.slug, i.weight) for i in outcome.indicators),
        sorted(f.rule_id for f in outcome.findings),
        outcome.acute_rules,
    )


def test_a_finalised_visit_keeps_its_findings_after_a_checklist_bump(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_demo_visits(app, 8, seed=7)
    finals = [r for r in list_visits(app.db, VisitFilter(status="final", limit=None)) if r.form_id == FORM]
    assert finals
    before = {}
    for row in finals:
        session = VisitSession(app, row.id)
        before[row.id] = (
            outcome_of(session),
            build_report(session, ReportKind.VISIT),
            build_report(session, ReportKind.SIGNAL),
            render_report(session),
        )
    monkeypatch.setenv("INSPECTOR_APP_FORMS", str(bumped_forms(tmp_path)))
    bumped = load_all_forms()[FORM]
    assert bumped.version == finals[0].form_version + 1
    changed = 0
    for row in finals:
        session = VisitSession(app, row.id)
        assert session.form.version == row.form_version
        assert outcome_of(session) == before[row.id][0]
        assert build_report(session, ReportKind.VISIT) == before[row.id][1]
        assert build_report(session, ReportKind.SIGNAL) == before[row.id][2]
        assert render_report(session) == before[row.id][3]
        today = run_rules(bumped, session.answer_set())
        changed += sorted(f.rule_id for f in today.findings) != before[row.id][0][1]
    # Evaluating with today's checklist (the defect) would have changed these visits.
    assert changed > 0


def test_an_archived_version_stays_addressable_after_a_bump(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = load_all_forms(forms_dir())[FORM]
    entry = archive_form(shipped, app.paths.data_dir)
    assert entry.parent == versions_root(app.paths.data_dir)
    assert archive_form(shipped, app.paths.data_dir) == entry  # the same content is stored once
    monkeypatch.setenv("INSPECTOR_APP_FORMS", str(bumped_forms(tmp_path)))
    loaded = load_form(FORM, shipped.version, app.paths.data_dir)
    assert loaded.version == shipped.version and [r.when and r.when.source for r in loaded.rules] == [
        r.when and r.when.source for r in shipped.rules
    ]
    newer = load_form(FORM, shipped.version + 1, app.paths.data_dir)
    assert [r.when and r.when.source for r in newer.rules] != [
        r.when and r.when.source for r in shipped.rules
    ]


def test_a_damaged_archive_entry_is_not_used(app: AppContext) -> None:
    shipped = load_all_forms(forms_dir())[FORM]
    entry = archive_form(shipped, app.paths.data_dir)
    (entry / f"{FORM}.toml").write_text("format = 1\n", encoding="utf-8")
    # The live checklist with the same version takes over; the damaged copy is never parsed as truth.
    assert load_form(FORM, shipped.version, app.paths.data_dir) is shipped


def test_an_unknown_version_is_a_clear_dutch_error(app: AppContext) -> None:
    with pytest.raises(
        UnknownFormVersionError, match="Checklist prostitution_business versie 99 is niet beschikbaar"
    ):
        load_form(FORM, 99, app.paths.data_dir)
    create_demo_visits(app, 1, seed=3)
    visit_id = app.db.execute("SELECT id FROM visits").fetchone()[0]
    app.db.execute("UPDATE visits SET form_version = 99 WHERE id = ?", [visit_id])
    with pytest.raises(UnknownFormVersionError, match="versie 99"):
        VisitSession(app, visit_id)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "office")
    keys_service.init_office(context, "Westerdam")
    yield context
    context.close()


@pytest.fixture
def laptop(tmp_path: Path, office: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    context = open_app(tmp_path / "laptop")
    context.settings.profile.name = "Toezichthouder 1001"
    enrol(office, context, tmp_path)
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(context.paths.data_dir))  # its installed checklists count
    yield context
    context.close()


@pytest.mark.parametrize("archived_at_start", [True, False])
def test_a_visit_keeps_an_installed_version_after_the_next_reference_bundle(
    office: AppContext, laptop: AppContext, tmp_path: Path, archived_at_start: bool
) -> None:
    """Installed sets are replaced (the old set folder is deleted) when the next reference bundle
    arrives; the visit filled with the old set still evaluates with it. Without the archive entry
    made at the start (a visit from before the store existed), the outgoing set is archived."""
    first, *_rest = exchange_service.write_reference(
        office, tmp_path / "first.ifr", bumped_forms(tmp_path, 1)
    )
    assert exchange_service.import_reference_file(laptop, first).status == "imported"
    session = new_session(laptop)
    for ref, value in {"PB-01": "nee", "PB-12": "ja", "PB-28a": "ja"}.items():
        session.answer_text(ref, value)
    installed_version = session.form.version
    before = outcome_of(session)
    if not archived_at_start:
        shutil.rmtree(versions_root(laptop.paths.data_dir))
    second, *_rest = exchange_service.write_reference(
        office, tmp_path / "second.ifr", bumped_forms(tmp_path, 2, flip=False)
    )
    assert exchange_service.import_reference_file(laptop, second).status == "imported"
    assert load_all_forms()[FORM].version == installed_version + 1
    again = VisitSession(laptop, session.visit_id)
    assert again.form.version == installed_version and outcome_of(again) == before
    # Today's checklist (the defect) would give other findings for the same answers.
    assert run_rules(load_all_forms()[FORM], again.answer_set()).findings != again.outcome.findings


def test_the_office_evaluates_a_field_visit_with_the_version_it_sent(
    office: AppContext, laptop: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office ships a bumped checklist in a reference bundle without installing it itself; a
    visit filled with it comes back in a field bundle and must open with that version at the office."""
    bundle, *_rest = exchange_service.write_reference(office, tmp_path / "ref.ifr", bumped_forms(tmp_path, 1))
    assert exchange_service.import_reference_file(laptop, bundle).status == "imported"
    session = new_session(laptop)
    for ref, value in {"PB-01": "nee", "PB-12": "ja", "PB-28a": "ja"}.items():
        session.answer_text(ref, value)
    exported = exchange_service.export(laptop, tmp_path / "field.ifb")
    assert exported is not None
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(office.paths.data_dir))
    [report] = exchange_service.import_files(office, [exported.path])
    assert report.ok, report
    at_office = VisitSession(office, session.visit_id)
    assert at_office.form.version == session.form.version == load_all_forms()[FORM].version + 1
    assert outcome_of(at_office) == outcome_of(session)


def test_a_store_uses_the_checklists_installed_in_its_own_data_folder(app: AppContext) -> None:
    """The set an office reference bundle installed belongs to one data folder: a visit started in that
    store uses it, while the platform's default folder (INSPECTOR_APP_HOME in tests) never sees it."""
    root = installed_forms_root(app.paths.data_dir)
    folder = root / f"set-{uuid.uuid4()}"
    shutil.copytree(forms_dir(), folder)
    pb = folder / "prostitution_business.toml"
    pb.write_text(re.sub(r"(?m)^version = \d+$", "version = 7", pb.read_text(encoding="utf-8"), count=1))
    (root / "current").write_text(folder.name, encoding="utf-8")

    assert load_all_forms(data_dir=app.paths.data_dir)["prostitution_business"].version == 7
    assert load_all_forms()["prostitution_business"].version == 4
    visit_id = start_visit(
        app, NewVisit(form="PB", location=LocationInput("Club Eigen Map", postcode="1234 AB"))
    )
    assert VisitSession(app, visit_id).form.version == 7
