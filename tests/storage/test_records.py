"""The typed records are the tables: same columns in the same order, and a write reads back equal.

The sync codec is derived from `dataclasses.fields()` of these records (`sync/codec.py`, checked in
`tests/sync/test_codec.py`), so a column added to a table but not to its record (or the other way
round) must fail here, not in a bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from inspector_app.domain.model import (
    ConsentStatus,
    IndicatorSource,
    LocationType,
    Recipient,
    ReferralStatus,
    Urgency,
    VisitStatus,
    Weight,
)
from inspector_app.domain.records import (
    RECORD_TYPES,
    AnswerRow,
    LocationRow,
    ObservationRow,
    PersonRow,
    PhotoRow,
    Record,
    ReferralRow,
    RevisionRow,
    VisitRow,
)
from inspector_app.storage import answers, locations, observations, photos, referrals, visits
from inspector_app.storage.db import open_db

AT = "2026-03-04T10:11:12+01:00"
LATER = "2026-03-05T08:00:00+01:00"
VISIT_ID = "0b7c6a52-9d1e-4c59-8e0f-7d3b2f1a6c01"

LOCATION = LocationRow(
    id="4f1c2d3e-0000-4000-8000-000000000001",
    name="Salon Zoë",
    location_type=LocationType.MASSAGE_PARLOUR,
    address="Kerkstraat 1",
    postcode="1234AB",
    city="Utrecht",
    kvk_number="12345678",
    licence_number="V-2026-01",
    created_at=AT,
    updated_at=LATER,
)
VISIT = VisitRow(
    id=VISIT_ID,
    form_id="MS",
    form_version=3,
    location_id=LOCATION.id,
    visit_type="gepland",
    started_at=AT,
    ended_at=LATER,
    inspectors=["Toezichthouder 1001", "Inspecteur Çelik"],
    partners=["police"],
    legal_ground="apv",
    status=VisitStatus.FINAL,
    head_rev="rev-2",
    device_id="device-1",
    created_by="Toezichthouder 1001",
    created_at=AT,
    updated_at=LATER,
    finalized_at=LATER,
    finalized_by="Toezichthouder 1001",
    count_h=1,
    count_m=2,
    count_l=3,
    acute=True,
)
REVISION = RevisionRow(
    id="rev-2",
    visit_id=VISIT_ID,
    base_rev="rev-1",
    kind="addendum",
    author="Toezichthouder 1001",
    device_id="device-1",
    created_at=AT,
    closed_at=LATER,
    content_sha256="ab" * 32,
    reason="typfout",
)
PERSON = PersonRow(
    id="person-1",
    visit_id=VISIT_ID,
    number=1,
    code="MS-260304-01",
    role="worker",
    age_band="18-23",
    languages="ro, en",
    removed=True,
)
ANSWER = AnswerRow(
    question_id="MS-03",
    person_number=1,
    value=["geen paspoort", "schuld €"],
    note="ziet er moe uit",
    updated_at=AT,
)
OBSERVATION = ObservationRow(
    id="obs-1",
    slug="debt-bondage",
    source=IndicatorSource.MANUAL,
    weight=Weight.HIGH,
    raised_by=["MS-03#1"],
    rule_ids=["r-debt"],
    active=False,
    note="zelf gezien",
    dismissed=True,
    dismiss_reason="niet van toepassing",
    dismissed_by="Toezichthouder 1002",
    dismissed_at=LATER,
    created_at=AT,
    created_by="Toezichthouder 1001",
)
REFERRAL = ReferralRow(
    id="referral-1",
    visit_id=VISIT_ID,
    recipient=Recipient.COMENSHA,
    urgency=Urgency.ACUTE,
    consent_status=ConsentStatus.GIVEN,
    channel="telefoon",
    slugs=["debt-bondage"],
    person_codes=["MS-260304-01"],
    status=ReferralStatus.SENT,
    sent_at=LATER,
    reference="CM-1",
    outcome="opgevangen",
    note="",
    created_at=AT,
    created_by="Toezichthouder 1001",
    updated_at=LATER,
)
PHOTO = PhotoRow(
    id="photo-1",
    visit_id=VISIT_ID,
    question_id="MS-10",
    person_number=0,
    sha256="cd" * 32,
    media_type="image/jpeg",
    width=640,
    height=480,
    size=12345,
    caption="ingang",
    created_at=AT,
    created_by="Toezichthouder 1001",
)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """A freshly migrated store holding one row of every record type (parents first, for the FKs)."""
    store = open_db(tmp_path / "records.sqlite3")
    locations.insert_location(store, LOCATION)
    visits.insert_visit(store, VISIT)
    visits.insert_revision(store, REVISION)
    answers.insert_person(store, PERSON, AT)
    answers.upsert_answer(store, VISIT_ID, ANSWER)
    observations.insert_observation(store, VISIT_ID, OBSERVATION, AT)
    referrals.insert_referral(store, REFERRAL)
    photos.insert_photo(store, PHOTO)
    return store


def table_columns(db: Database, table: str) -> list[str]:
    return [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


@pytest.mark.parametrize("record", RECORD_TYPES, ids=lambda record: record.__name__)
def test_record_fields_are_the_table_columns_in_order(db: Database, record: type[Record]) -> None:
    columns = table_columns(db, record.TABLE)
    assert set(record.SUPPLIED_COLUMNS) <= set(columns)
    assert [name for name in columns if name not in record.SUPPLIED_COLUMNS] == [
        field.name for field in fields(record)
    ]


def test_every_record_table_is_covered() -> None:
    """One record type per table, so a new row type cannot skip the column check above."""
    assert len({record.TABLE for record in RECORD_TYPES}) == len(RECORD_TYPES) == 8


READERS: list[tuple[Record, Callable[[Database], Any]]] = [
    (LOCATION, lambda db: locations.get_location(db, LOCATION.id)),
    (VISIT, lambda db: visits.get_visit(db, VISIT_ID)),
    (REVISION, lambda db: visits.revisions(db, VISIT_ID)[0]),
    (PERSON, lambda db: answers.load_persons(db, VISIT_ID)[0]),
    (ANSWER, lambda db: answers.load_answers(db, VISIT_ID)[0]),
    (OBSERVATION, lambda db: observations.load_observations(db, VISIT_ID)[0]),
    (REFERRAL, lambda db: referrals.get_referral(db, REFERRAL.id)),
    (PHOTO, lambda db: photos.load_photos(db, VISIT_ID)[0]),
]


@pytest.mark.parametrize(("written", "read"), READERS, ids=lambda item: type(item).__name__)
def test_write_then_read_returns_an_equal_record(
    db: Database, written: Record, read: Callable[[Database], Any]
) -> None:
    back = read(db)
    assert back == written
    for field in fields(written):
        value = getattr(written, field.name)
        if isinstance(value, StrEnum):
            assert type(getattr(back, field.name)) is type(value), field.name


def test_rows_are_decoded_by_column_name_not_position() -> None:
    """A mapping in another column order (a later ALTER TABLE appends) decodes to the same record."""
    row = dict(reversed(list(VISIT.as_row().items())))
    assert VisitRow.from_row(row) == VISIT


def test_as_row_stores_enum_values_and_flags_as_sqlite_does() -> None:
    row = OBSERVATION.as_row()
    assert (row["source"], row["weight"], row["active"], row["dismissed"]) == ("manual", "H", 0, 1)
    assert type(row["source"]) is str
    assert row["raised_by"] == '["MS-03#1"]'
    assert ANSWER.as_row()["value"] == '["geen paspoort", "schuld €"]'


def test_an_answer_without_value_stays_null(db: Database) -> None:
    empty = AnswerRow(question_id="MS-04", person_number=0, value=None, note="later", updated_at=AT)
    answers.upsert_answer(db, VISIT_ID, empty)
    assert db.execute("SELECT value FROM answers WHERE question_id = 'MS-04'").fetchone()[0] is None
    assert {row.question_id: row for row in answers.load_answers(db, VISIT_ID)}["MS-04"] == empty


def test_records_are_frozen_and_keyword_only() -> None:
    with pytest.raises(TypeError):
        RevisionRow("rev-3", VISIT_ID, None, "edit", "a", "d", AT)  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        VISIT.status = VisitStatus.DRAFT  # type: ignore[misc]


def test_visit_list_rows_are_decoded_by_their_query_names(db: Database) -> None:
    """The list query's join is matched by alias (location_name, location_id), not by position."""
    (listed,) = visits.list_visits(db, visits.VisitFilter())
    assert (listed.id, listed.location_id, listed.location_name) == (VISIT_ID, LOCATION.id, LOCATION.name)
    assert listed.status is VisitStatus.FINAL
    assert listed.location_type is LocationType.MASSAGE_PARLOUR
    assert (listed.count_h, listed.count_m, listed.count_l, listed.acute) == (1, 2, 3, True)
    assert listed.device_id == VISIT.device_id
