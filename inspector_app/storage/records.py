"""Typed rows of the store, decoded from SQLite (JSON columns become Python values)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from inspector_app.domain.model import AnswerValue
from inspector_app.domain.records import ObservationRow as ObservationRow  # re-export: moved to domain


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass(frozen=True)
class LocationRow:
    id: str
    name: str
    location_type: str
    address: str
    postcode: str
    city: str
    kvk_number: str
    licence_number: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class VisitRow:
    id: str
    form_id: str
    form_version: int
    location_id: str
    visit_type: str | None
    started_at: str
    ended_at: str | None
    inspectors: list[str]
    partners: list[str]
    legal_ground: str | None
    status: str
    head_rev: str
    device_id: str
    created_by: str
    created_at: str
    updated_at: str
    finalized_at: str | None
    finalized_by: str | None
    count_h: int
    count_m: int
    count_l: int
    acute: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple[Any, ...]) -> VisitRow:
        values = list(row)
        values[7], values[8] = loads(values[7]), loads(values[8])
        values[21] = bool(values[21])
        return cls(*values)


VISIT_COLUMNS = (
    "id, form_id, form_version, location_id, visit_type, started_at, ended_at, inspectors,"
    " partners, legal_ground, status, head_rev, device_id, created_by, created_at,"
    " updated_at, finalized_at, finalized_by, count_h, count_m, count_l, acute"
)
LOCATION_COLUMNS = (
    "id, name, location_type, address, postcode, city, kvk_number, licence_number, created_at, updated_at"
)


@dataclass(frozen=True)
class PersonRow:
    id: str
    visit_id: str
    number: int
    code: str
    role: str | None
    age_band: str | None
    languages: str
    removed: bool


@dataclass(frozen=True)
class AnswerRow:
    """One answer, identified by visit, question and person number (0 = the visit itself)."""

    question_id: str
    person_number: int
    value: AnswerValue
    note: str
    updated_at: str


@dataclass(frozen=True)
class ReferralRow:
    id: str
    visit_id: str
    recipient: str
    urgency: str
    consent_status: str
    channel: str
    slugs: list[str]
    person_codes: list[str]
    status: str
    sent_at: str | None
    reference: str
    outcome: str
    note: str
    created_at: str
    created_by: str
    updated_at: str


@dataclass(frozen=True)
class PhotoRow:
    id: str
    visit_id: str
    question_id: str
    person_number: int
    sha256: str
    media_type: str
    width: int
    height: int
    size: int
    caption: str
    created_at: str
    created_by: str


@dataclass(frozen=True)
class RevisionRow:
    id: str
    visit_id: str
    base_rev: str | None
    kind: str
    author: str
    device_id: str
    created_at: str
    closed_at: str | None
    content_sha256: str | None
    reason: str | None
