"""Use cases around visits: start one, finalize it, amend it, list them and describe one."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.domain.model import AnswerValue, VisitStatus
from inspector_app.domain.policy import MunicipalPolicy
from inspector_app.errors import InvalidInputError, NotFoundError
from inspector_app.forms.loader import UnknownFormError, load_all_forms, resolve_form_id
from inspector_app.forms.model import FormDefinition, Mirror
from inspector_app.forms.store import archive_form
from inspector_app.forms.values import check_answer
from inspector_app.i18n import _
from inspector_app.logs import log_event
from inspector_app.services import reinspections
from inspector_app.services.app import AppContext
from inspector_app.services.clock import local_minute
from inspector_app.services.visit.content import new_revision
from inspector_app.services.visit.session import VisitSession
from inspector_app.signals import ledger
from inspector_app.storage import answers as answers_repo
from inspector_app.storage import locations as locations_repo
from inspector_app.storage import visits as visits_repo
from inspector_app.storage.audit import AuditEntry, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.policy import load_policy
from inspector_app.storage.records import (
    AnswerRow,
    LocationRow,
    VisitRow,
)
from inspector_app.storage.visits import VisitFilter as VisitFilter
from inspector_app.storage.visits import VisitListRow as VisitListRow


@dataclass(frozen=True)
class LocationInput:
    name: str
    address: str = ""
    postcode: str = ""
    city: str = ""
    kvk_number: str = ""
    licence_number: str = ""
    foreign: bool = False  # an address abroad: the Dutch postcode and KvK checks do not apply


REINSPECTION_TYPE = "hercontrole"  # the header's visit type of a visit started from the due list
DUTCH_POSTCODE = re.compile(r"[1-9]\d{3} ?[A-Za-z]{2}")
KVK_NUMBER = re.compile(r"\d{8}")


def check_location_input(given: LocationInput) -> None:
    """Refuse a Dutch postcode or KvK number that cannot be right, with a message saying what is expected.

    Both are optional, but a typo ("ABC", "12345") would otherwise reach the register and every
    report and be reused on the next visit. `foreign` is the explicit way out for an address abroad.
    """
    if given.foreign:
        return
    postcode = given.postcode.strip()
    if postcode and not DUTCH_POSTCODE.fullmatch(postcode):
        raise InvalidInputError(
            _(
                "Postcode '{value}' is geen Nederlandse postcode: vier cijfers en twee letters, "
                "bijv. 1234 AB. Ligt het adres in het buitenland, kies dan 'buitenlands adres'.",
                value=postcode,
            )
        )
    kvk = given.kvk_number.strip()
    if kvk and not KVK_NUMBER.fullmatch(kvk):
        raise InvalidInputError(
            _(
                "KvK-nummer '{value}' klopt niet: een KvK-nummer heeft precies 8 cijfers. "
                "Is het een buitenlands bedrijf, kies dan 'buitenlands adres'.",
                value=kvk,
            )
        )


@dataclass(frozen=True)
class NewVisit:
    form: str
    location_id: str | None = None
    location: LocationInput | None = None
    started_at: str | None = None  # local wall time "YYYY-MM-DDTHH:MM"
    visit_type: str | None = None
    inspectors: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    legal_ground: str | None = None
    extra_answers: dict[str, AnswerValue] = field(default_factory=dict)
    follows_up: str | None = (
        None  # the earlier visit this one is the re-inspection of (services.reinspections)
    )


def resolve_form(name: str, data_dir: Path | None = None) -> FormDefinition:
    forms = load_all_forms(data_dir=data_dir)
    try:
        return forms[resolve_form_id(name, forms.values())]
    except UnknownFormError:
        known = ", ".join(f"{f.id} ({f.location_type.value})" for f in forms.values())
        raise NotFoundError(
            _("Onbekende checklist '{name}'; kies uit: {known}", name=name, known=known)
        ) from None


def _started_at(db: Database, text: str | None) -> str:
    """The start as local wall time; left open, now in the municipal policy's zone (services.clock)."""
    if not text:
        return local_minute(db)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            _("Begintijd '{value}' is geen datum/tijd als JJJJ-MM-DDTUU:MM", value=text)
        ) from None
    return moment.strftime("%Y-%m-%dT%H:%M")


def _location(
    app: AppContext, request: NewVisit, form: FormDefinition, at: str, entries: list[AuditEntry]
) -> LocationRow:
    if request.location_id:
        found = locations_repo.get_location(app.db, request.location_id)
        if found is None:
            raise NotFoundError(_("Locatie {id} staat niet in het register", id=request.location_id))
        if found.location_type != form.location_type.value:
            raise InvalidInputError(
                _(
                    "Locatie '{name}' is van type {found}; checklist {form} is voor type {wanted}",
                    name=found.name,
                    found=found.location_type,
                    form=form.id,
                    wanted=form.location_type.value,
                )
            )
        return found
    given = request.location
    if given is None or not given.name.strip():
        raise InvalidInputError(_("Geef een locatie: --location ID of --location-name NAAM"))
    check_location_input(given)
    existing = locations_repo.find_location(
        app.db, given.name.strip(), given.postcode, form.location_type.value
    )
    if existing is not None:
        return existing
    row = LocationRow(
        id=str(uuid.uuid4()),
        name=given.name.strip(),
        location_type=form.location_type,
        address=given.address.strip(),
        postcode=given.postcode.strip().upper(),
        city=given.city.strip(),
        kvk_number=given.kvk_number.strip(),
        licence_number=given.licence_number.strip(),
        created_at=at,
        updated_at=at,
    )
    locations_repo.insert_location(app.db, row)
    entries.append(
        AuditEntry(
            app.actor,
            app.device_id,
            "location.created",
            "location",
            row.id,
            None,
            None,
            {"name": row.name, "type": row.location_type},
        )
    )
    return row


def _header_answers(
    form: FormDefinition,
    request: NewVisit,
    location: LocationRow,
    started_at: str,
    policy: MunicipalPolicy,
) -> dict[str, AnswerValue]:
    by_mirror: dict[Mirror, AnswerValue] = {
        Mirror.VISIT_TYPE: request.visit_type,
        Mirror.VISIT_DATE: started_at[:10],
        Mirror.START_TIME: started_at[11:16],
        Mirror.LOCATION_REFERENCE: ", ".join(
            p for p in (location.name, location.address, location.postcode) if p
        ),
        Mirror.INSPECTOR_COUNT: len(request.inspectors) or None,
        Mirror.PARTNERS: list(request.partners) or None,
        Mirror.LEGAL_GROUND: request.legal_ground,
    }
    wanted: dict[str, AnswerValue] = {
        question.id: value for mirror, value in by_mirror.items() if (question := form.mirrored(mirror))
    }
    # The municipal policy a rule reads is copied into the visit, which keeps it: a later change of
    # the policy never changes what an earlier visit raised.
    wanted.update(
        {q.id: str(policy.value(q.policy)) for q in form.questions.values() if q.policy and not q.repeat}
    )
    wanted.update(request.extra_answers)
    checked: dict[str, AnswerValue] = {}
    for question_id, value in wanted.items():
        if value is None or question_id not in form.questions:
            continue
        question = form.questions[question_id]
        if question.repeat:
            raise InvalidInputError(_("{question} is een persoonsvraag", question=question_id))
        checked[question_id] = check_answer(question, value)
    return checked


def _mirrored(form: FormDefinition, header: dict[str, AnswerValue], mirror: Mirror) -> AnswerValue:
    question = form.mirrored(mirror)
    return header.get(question.id) if question else None


def start_visit(app: AppContext, request: NewVisit) -> str:
    """Create a draft visit with its location and header answers in one transaction."""
    form = resolve_form(request.form, app.paths.data_dir)
    # Keep the sources of this definition version before the visit refers to it (forms/store.py).
    archive_form(form, app.paths.data_dir)
    started_at = _started_at(app.db, request.started_at)
    at = now_iso()
    earlier, earlier_location = None, None
    if request.follows_up:
        earlier, earlier_location = reinspections.earlier_visit(app, request.follows_up, request.location_id)
        if request.location_id is None and request.location is None:
            request = replace(request, location_id=earlier_location)
        if request.visit_type is None:
            request = replace(request, visit_type=REINSPECTION_TYPE)
    entries: list[AuditEntry] = []
    visit_id = str(uuid.uuid4())
    revision = new_revision(app, visit_id, None, at)
    with writing(app.db):
        location = _location(app, request, form, at, entries)
        header = _header_answers(form, request, location, started_at, load_policy(app.db))
        partners = _mirrored(form, header, Mirror.PARTNERS)
        visit_type, legal_ground = (
            _mirrored(form, header, m) for m in (Mirror.VISIT_TYPE, Mirror.LEGAL_GROUND)
        )
        visit = VisitRow(
            id=visit_id,
            form_id=form.id,
            form_version=form.version,
            location_id=location.id,
            visit_type=str(visit_type) if visit_type is not None else None,
            started_at=started_at,
            ended_at=None,
            inspectors=list(request.inspectors),
            partners=list(partners) if isinstance(partners, list) else [],
            legal_ground=str(legal_ground) if legal_ground is not None else None,
            status=VisitStatus.DRAFT,
            head_rev=revision.id,
            device_id=app.device_id,
            created_by=app.actor,
            created_at=at,
            updated_at=at,
            finalized_at=None,
            finalized_by=None,
            count_h=0,
            count_m=0,
            count_l=0,
            acute=False,
        )
        visits_repo.insert_visit(app.db, visit)
        visits_repo.insert_revision(app.db, revision)
        for question_id, value in header.items():
            answers_repo.upsert_answer(
                app.db,
                visit_id,
                AnswerRow(question_id=question_id, person_number=0, value=value, updated_at=at),
            )
        entries.append(
            AuditEntry(
                app.actor,
                app.device_id,
                "visit.created",
                "visit",
                visit_id,
                visit_id,
                None,
                {"form": form.id, "form_version": form.version, "location": location.id, "header": header},
            )
        )
        if earlier is not None:
            if location.id != earlier_location:
                raise InvalidInputError(_("Een hercontrole is op dezelfde locatie als het eerdere bezoek."))
            entries.append(reinspections.link_follow_up(app, visit_id, earlier, at))
        # What the header answers raise is written by the session's one writer, so a new visit's
        # observations, counts, acute flag and `indicator.raised` entries follow the same rules as
        # every later answer.
        session = VisitSession(app, visit_id)
        session.commit(ledger.reconcile((), session.outcome, at, app.actor), entries, at)
    log_event("visit_started", visit=visit_id, form=form.id)
    return visit_id


def register_locations(
    app: AppContext, location_type: str | None = None, search: str = ""
) -> list[LocationRow]:
    """Locations from the register, for picking the place of a new visit."""
    return locations_repo.list_locations(app.db, search, location_type)


def count_visits(app: AppContext, visit_filter: VisitFilter) -> int:
    return visits_repo.count_visits(app.db, visit_filter)


def find_visits(app: AppContext, visit_filter: VisitFilter) -> list[VisitListRow]:
    """The visit list with location, status and indicator counts, newest first."""
    return visits_repo.list_visits(app.db, visit_filter)


def open_visit(app: AppContext, visit_ref: str) -> VisitSession:
    """Open a visit by full id or by its first characters (at least 4)."""
    ref = visit_ref.strip().lower()
    if visits_repo.get_visit(app.db, ref) is None:
        matches = visits_repo.find_visit_ids(app.db, ref) if len(ref) >= 4 else []
        if len(matches) != 1:
            message = (
                _("Bezoek '{ref}' is niet eenduidig; geef meer tekens", ref=visit_ref)
                if len(matches) > 1
                else _("Bezoek '{ref}' bestaat niet", ref=visit_ref)
            )
            raise NotFoundError(message)
        ref = matches[0]
    return VisitSession(app, ref)
