"""Property: a bundle from any device but a visit's origin that touches the visit is refused, state unchanged."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.services import exchange as exchange_service
from inspector_app.services import keys as keys_service
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.sync.authority import check_authority
from inspector_app.sync.errors import BundleRejectedError
from inspector_app.sync.records import VISIT_PARTS, Snapshot, load_snapshots, read_rows
from tests.sync.conftest import enrol
from tests.sync.hostile import Tables, canonical_dump, forge, refusal_rows

FORMS = ("PB", "MS", "CS", "AH")


@dataclass
class Offices:
    office: AppContext
    laptops: list[AppContext]
    origins: dict[str, str]  # visit id -> device that created it
    folder: Path


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Offices]:
    root = tmp_path_factory.mktemp("authority")
    office = open_app(root / "office")
    keys_service.init_office(office, "Westerdam")
    laptops = [open_app(root / f"laptop-{n}") for n in range(3)]
    origins: dict[str, str] = {}
    try:
        for number, laptop in enumerate(laptops):
            enrol(office, laptop, root)
            for index in range(2):
                form = FORMS[(number + index) % len(FORMS)]
                visit = start_visit(laptop, NewVisit(form, location=LocationInput(f"Pand {number}-{index}")))
                origins[visit] = laptop.device_id
            result = exchange_service.export(laptop, root / f"laptop-{number}.ifb")
            assert result is not None
            [report] = exchange_service.import_files(office, [result.path])
            assert report.status == "imported", report.reason
        own = start_visit(office, NewVisit("PB", location=LocationInput("Kantoorpand")))
        origins[own] = office.device_id
        yield Offices(office, laptops, origins, root)
    finally:
        for app in [office, *laptops]:
            app.close()


def _tables(office: AppContext, visit_id: str) -> Tables:
    [snapshot] = list(load_snapshots(office.db, [visit_id]))
    tables: Tables = {t: [dict(r) for r in rows] for t, rows in snapshot.parts.items()}
    tables["visits"] = [dict(snapshot.visit)]
    tables["locations"] = read_rows(office.db, "locations", "WHERE id = ?", [snapshot.visit["location_id"]])
    return tables


def _mutate(tables: Tables, how: str, signer: str) -> None:
    visit = tables["visits"][0]
    if how == "note" and tables["answers"]:
        tables["answers"][0]["note"] = "gewijzigd door een ander apparaat"
    elif how == "claim":
        visit["device_id"] = signer
    elif how == "revision":
        revision = {**tables["visit_revisions"][0], "id": str(uuid.uuid4()), "base_rev": visit["head_rev"]}
        revision["device_id"] = signer
        tables["visit_revisions"].append(revision)
        visit["head_rev"] = revision["id"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), how=st.sampled_from(["as-is", "note", "claim", "revision"]))
def test_only_the_origin_touches_a_visit(offices: Offices, data: st.DataObject, how: str) -> None:
    visit = data.draw(st.sampled_from(sorted(offices.origins)))
    signers = [lap for lap in offices.laptops if lap.device_id != offices.origins[visit]]
    signer = data.draw(st.sampled_from(signers))
    tables = _tables(offices.office, visit)
    _mutate(tables, how, signer.device_id)
    path = forge(signer, offices.office, tables, {}, offices.folder / f"{uuid.uuid4()}.ifb")
    database = offices.office.paths.database
    before, (reports, audits) = canonical_dump(database), refusal_rows(database)
    [report] = exchange_service.import_files(offices.office, [path])
    assert report.status == "rejected"
    assert report.reason_code in ("not_your_visit", "origin_changed"), report.reason
    assert signer.device_id[:8] in report.reason
    assert canonical_dump(database) == before
    assert refusal_rows(database) == (reports + 1, audits + 1)
    # The control: the same change from the origin passes the authority check (the refusal above is
    # about who signed, not about the change); checked without importing, so the state stays as drawn.
    origin = offices.origins[visit]
    tables = _tables(offices.office, visit)
    _mutate(tables, how, origin)
    snapshot = Snapshot(tables["visits"][0], {t: tables.get(t, []) for t in VISIT_PARTS})
    check_authority(offices.office.db, origin, [snapshot])
    with pytest.raises(BundleRejectedError):
        check_authority(offices.office.db, signer.device_id, [snapshot])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), form=st.sampled_from(FORMS))
def test_a_visit_the_office_has_not_seen_comes_only_from_its_origin(
    offices: Offices, data: st.DataObject, form: str
) -> None:
    """A new visit made on a random laptop, sent first by another laptop: refused, office unchanged."""
    origin = data.draw(st.sampled_from(offices.laptops))
    signer = data.draw(st.sampled_from([lap for lap in offices.laptops if lap is not origin]))
    visit = start_visit(origin, NewVisit(form, location=LocationInput(f"Nieuw pand {uuid.uuid4().hex[:6]}")))
    [snapshot] = list(load_snapshots(origin.db, [visit]))
    tables: Tables = {t: [dict(r) for r in rows] for t, rows in snapshot.parts.items()}
    tables["visits"] = [dict(snapshot.visit)]
    tables["locations"] = read_rows(origin.db, "locations", "WHERE id = ?", [snapshot.visit["location_id"]])
    path = forge(signer, offices.office, tables, {}, offices.folder / f"{uuid.uuid4()}.ifb")
    database = offices.office.paths.database
    before = canonical_dump(database)
    [report] = exchange_service.import_files(offices.office, [path])
    assert (report.status, report.reason_code) == ("rejected", "foreign_new_visit"), report.reason
    assert signer.device_id[:8] in report.reason
    assert canonical_dump(database) == before
