"""Synthetic, realistic demo visits over all four checklists, fast enough for 100,000 visits.

Values are generated from the checklist definitions themselves: the rules tell which answers raise
an indicator, so each visit draws a risk profile (clean, concerns, serious) and answers accordingly.
Everything is fictitious: invented business names and streets, inspectors as service numbers,
persons only as role + pseudonymous code. Nothing here describes a real person or place.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from inspector_app.domain.model import (
    AdviceLevel,
    AnswerValue,
    IndicatorSource,
    LocationType,
    ReferralStatus,
    VisitStatus,
    Weight,
)
from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.model import PERSON_ROLE_QUESTION, FormDefinition
from inspector_app.forms.state import (
    AnswerSet,
)
from inspector_app.forms.store import archive_forms
from inspector_app.services.app import AppContext
from inspector_app.services.clock import local_now
from inspector_app.services.demo.answers import FormAnswerGenerator, fill_answers, settle_answers
from inspector_app.services.visit.content import visit_content_hash
from inspector_app.services.visit.finalize import ADVICE_URGENCY
from inspector_app.services.visit.mirrors import person_code
from inspector_app.signals import ledger
from inspector_app.signals.advice import escalation_advice
from inspector_app.signals.rules import run_rules
from inspector_app.storage.audit import AuditEntry, append_many, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.records import (
    AnswerRow,
    LocationRow,
    ObservationRow,
    PersonRow,
    Record,
    ReferralRow,
    RevisionRow,
    VisitRow,
)

CHUNK = 500
PROFILES = (("clean", 0.6), ("concerns", 0.3), ("serious", 0.1))
NAMES = {
    LocationType.PROSTITUTION_BUSINESS: [
        "Club Aurora",
        "Privéhuis De Linde",
        "Club Nachtegaal",
        "Raambedrijf Kade",
        "Club Saffier",
        "Privéhuis Oranjerie",
    ],
    LocationType.MASSAGE_PARLOUR: [
        "Massagesalon Lotus",
        "Thai Massage Sabai",
        "Wellness Jade",
        "Massage Bamboe",
        "Salon Orchidee",
        "Ontspanning Zen",
    ],
    LocationType.CONSTRUCTION_SITE: [
        "Bouwproject De Kade",
        "Nieuwbouw Parkzicht",
        "Renovatie Molenhof",
        "Bouwplaats Stationsplein",
        "Project Havenfront",
    ],
    LocationType.LABOUR_HOUSING: [
        "Huisvesting Polderweg",
        "Logies De Kas",
        "Woonunits Tuinbouwweg",
        "Pension Veldzicht",
        "Recreatiepark Duinrand",
    ],
}
STREETS = [
    "Dorpsstraat",
    "Kanaalweg",
    "Industrieweg",
    "Havenkade",
    "Polderweg",
    "Molenstraat",
    "Stationsweg",
    "Tuinbouwweg",
    "Nieuwe Markt",
    "Beukenlaan",
]
TOWNS = ["Westerdam", "Oosterveen", "Noordhaven", "Zuidwolde aan Zee", "Middelburcht"]
ROLE_MIX = {
    LocationType.PROSTITUTION_BUSINESS: ["operator", "sex_worker", "sex_worker", "sex_worker", "manager"],
    LocationType.MASSAGE_PARLOUR: ["operator", "masseur", "masseur", "masseur"],
    LocationType.CONSTRUCTION_SITE: ["site_manager", "worker", "worker", "worker", "worker", "coordinator"],
    LocationType.LABOUR_HOUSING: ["resident", "resident", "resident", "resident", "landlord", "coordinator"],
}
LANGUAGES = ["ro", "pl", "bg", "hu", "en", "nl", "uk", "es", "lt", "th", "zh"]
DISMISS_REASONS = [
    "Toelichting ter plaatse gecontroleerd; signaal niet van toepassing.",
    "Administratie later alsnog getoond en in orde bevonden.",
]


@dataclass(frozen=True)
class DemoReport:
    visits: int
    final: int
    with_signals: int


def create_demo_visits(app: AppContext, count: int, seed: int = 2026) -> DemoReport:
    """Insert `count` synthetic visits in chunks of one transaction each."""
    rng = random.Random(seed)
    forms = list(load_all_forms(data_dir=app.paths.data_dir).values())
    archive_forms({form.id: form for form in forms}, app.paths.data_dir)
    generators = {form.id: FormAnswerGenerator(form) for form in forms}
    locations: dict[str, list[tuple[str, str]]] = {form.id: [] for form in forms}
    per_form_locations = max(2, count // (3 * len(forms)))
    now = local_now(app.db).replace(tzinfo=None, second=0, microsecond=0)  # the municipality's clock
    final = with_signals = 0
    for start in range(0, count, CHUNK):
        batch = _Batch(app)
        for index in range(start, min(count, start + CHUNK)):
            form = forms[index % len(forms)]
            pool = locations[form.id]
            if len(pool) < per_form_locations:
                pool.append(batch.add_location(form, rng))
            location_id, location_label = rng.choice(pool)
            days_back = rng.randint(0, 730)
            # inspections happen by day and in the evening (sex businesses), not at 3 a.m.
            started = (now - timedelta(days=days_back)).replace(
                hour=rng.randint(9, 22), minute=rng.randint(0, 59)
            )
            is_final = days_back > 3 or rng.random() < 0.5
            signals = batch.add_visit(
                form, generators[form.id], rng, location_id, location_label, started, is_final
            )
            final += int(is_final)
            with_signals += int(signals)
        batch.write()
    return DemoReport(count, final, with_signals)


class _Batch:
    """Rows of one chunk of demo visits, written with executemany in one transaction.

    The rows are the typed records, encoded by `as_row()` like every other write, so the demo cannot
    drift from the store's columns; the tables are filled in this order for the foreign keys.
    """

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.at = now_iso()
        self.rows: dict[type[Record], list[dict[str, Any]]] = {
            record: []
            for record in (
                LocationRow,
                VisitRow,
                RevisionRow,
                PersonRow,
                AnswerRow,
                ObservationRow,
                ReferralRow,
            )
        }
        self.audit: list[AuditEntry] = []

    def _add(self, row: Record, **supplied: Any) -> None:
        """Queue one record, plus the columns the repositories stamp themselves."""
        self.rows[type(row)].append({**row.as_row(), **supplied})

    def add_location(self, form: FormDefinition, rng: random.Random) -> tuple[str, str]:
        location_id = str(uuid.uuid4())
        name = f"{rng.choice(NAMES[form.location_type])} {rng.randint(1, 99)}"
        address = f"{rng.choice(STREETS)} {rng.randint(1, 240)}"
        postcode = (
            f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABEHKLNRSTX')}"
        )
        self._add(
            LocationRow(
                id=location_id,
                name=name,
                location_type=form.location_type,
                address=address,
                postcode=postcode,
                city=rng.choice(TOWNS),
                kvk_number=f"{rng.randint(10000000, 99999999)}",
                licence_number=f"DEMO-{rng.randint(1000, 9999)}",
                created_at=self.at,
                updated_at=self.at,
            )
        )
        self.audit.append(
            AuditEntry(
                "demo",
                self.app.device_id,
                "location.created",
                "location",
                location_id,
                None,
                None,
                {"name": name},
            )
        )
        return location_id, f"{name}, {address}, {postcode}"

    def add_visit(
        self,
        form: FormDefinition,
        gen: FormAnswerGenerator,
        rng: random.Random,
        location_id: str,
        location_label: str,
        started: datetime,
        is_final: bool,
    ) -> bool:
        profile = rng.choices([p for p, _w in PROFILES], [w for _p, w in PROFILES])[0]
        visit_id, rev_id = str(uuid.uuid4()), str(uuid.uuid4())
        started_at = started.strftime("%Y-%m-%dT%H:%M")
        context = {
            "_date": started_at[:10],
            "_time": started_at[11:16],
            "_count": rng.randint(2, 12),
            "H-04a": 2,  # the two inspectors of the visit below
            "H-03": location_label,
            "H-02c": (started + timedelta(minutes=rng.randint(30, 150))).strftime("%H:%M"),
        }
        fraction = 1.0 if is_final else rng.uniform(0.3, 0.9)
        top = fill_answers(gen, gen.top_questions, rng, profile, context, fraction)
        roles = [r.value for r in form.roles]
        mix = [r for r in ROLE_MIX[form.location_type] if r in roles] or roles
        people: dict[int, dict[str, AnswerValue]] = {}
        persons_present = rng.randint(1, 6)
        affected = rng.randint(1, persons_present)  # signals usually concern one person, not everyone
        for number in range(1, persons_present + 1):
            answers = fill_answers(
                gen, gen.person_questions, rng, profile if number == affected else "clean", {}, fraction
            )
            answers[PERSON_ROLE_QUESTION] = rng.choice(mix)
            if "P-AGE" in form.questions:
                adult = ["21_29", "30_49", "50_plus"]
                answers["P-AGE"] = (
                    "under_18" if profile == "serious" and rng.random() < 0.03 else rng.choice(adult)
                )
            if "P-LANG" in form.questions:
                answers["P-LANG"] = ", ".join(sorted(rng.sample(LANGUAGES, rng.randint(1, 2))))
            if "P-DANGER" in form.questions:
                answers["P-DANGER"] = "yes" if profile == "serious" and rng.random() < 0.02 else "no"
            people[number] = answers
        if "H-07" in form.questions:
            top["H-07"] = len(people) + rng.randint(0, 3)
        settled = settle_answers(form, AnswerSet(top, people), gen, rng, context)
        outcome = run_rules(form, settled)
        at = self.at
        answer_rows: dict[tuple[str, int], AnswerRow] = {}
        for number, values in [(0, settled.top), *settled.persons.items()]:
            for qid, value in values.items():
                answer_rows[(qid, number)] = AnswerRow(
                    question_id=qid, person_number=number, value=value, updated_at=at
                )
        person_rows: dict[int, PersonRow] = {}
        for number, values in settled.persons.items():
            role = form.role(str(values.get(PERSON_ROLE_QUESTION)))
            person_rows[number] = PersonRow(
                id=str(uuid.uuid4()),
                visit_id=visit_id,
                number=number,
                code=person_code(role.code if role else None, started_at, visit_id, number),
                role=role.value if role else None,
                age_band=str(values.get("P-AGE")) if values.get("P-AGE") else None,
                languages=str(values.get("P-LANG", "")),
            )
        observations = [
            ObservationRow.new(
                i.slug, IndicatorSource.AUTO, i.weight, at, "demo", raised_by=i.raised_by, rule_ids=i.rule_ids
            )
            for i in outcome.indicators
        ]
        if observations and profile == "concerns" and rng.random() < 0.2:
            low = [o for o in observations if o.weight is Weight.LOW]
            if low:
                target = rng.choice(low)
                observations[observations.index(target)] = replace(
                    target,
                    active=True,
                    note="",
                    dismissed=True,
                    dismiss_reason=rng.choice(DISMISS_REASONS),
                    dismissed_by="demo",
                    dismissed_at=at,
                    created_at=at,
                    created_by="demo",
                )
        standing = ledger.standing(observations)
        advice = escalation_advice(standing, form.location_type, outcome.acute_rules)
        counts = ledger.counts(standing)
        visit = VisitRow(
            id=visit_id,
            form_id=form.id,
            form_version=form.version,
            location_id=location_id,
            visit_type=str(settled.top.get("H-01") or "gepland"),
            started_at=started_at,
            ended_at=f"{started_at[:10]}T{context['H-02c']}",
            inspectors=[f"Toezichthouder {rng.randint(1000, 1999)}" for _ in range(2)],
            partners=_partners(settled.top.get("H-05")),
            legal_ground=str(settled.top.get("H-06a")) if settled.top.get("H-06a") else None,
            status=VisitStatus.FINAL if is_final else VisitStatus.DRAFT,
            head_rev=rev_id,
            device_id=self.app.device_id,
            created_by="demo",
            created_at=at,
            updated_at=at,
            finalized_at=at if is_final else None,
            finalized_by="demo" if is_final else None,
            count_h=counts[Weight.HIGH],
            count_m=counts[Weight.MEDIUM],
            count_l=counts[Weight.LOW],
            acute=any(a.level is AdviceLevel.ACUTE for a in advice),
        )
        content_hash = visit_content_hash(visit, answer_rows, person_rows, observations) if is_final else None
        self._rows_for(visit, answer_rows, person_rows, observations, content_hash)
        if is_final:
            for item in advice:
                if item.recipient is None or item.level.value == "riec":
                    continue
                sent = rng.random() < 0.6
                self._add(
                    ReferralRow(
                        id=str(uuid.uuid4()),
                        visit_id=visit_id,
                        recipient=item.recipient,
                        urgency=ADVICE_URGENCY[item.level],
                        channel="e-mail" if sent else "",
                        slugs=list(item.slugs),
                        person_codes=_codes_behind(observations, item.slugs, person_rows),
                        status=ReferralStatus.SENT if sent else ReferralStatus.DRAFT,
                        sent_at=at if sent else None,
                        reference=f"REF-{rng.randint(10000, 99999)}" if sent else "",
                        created_at=at,
                        created_by="demo",
                        updated_at=at,
                    )
                )
        self.audit.append(
            AuditEntry(
                "demo",
                self.app.device_id,
                "visit.created",
                "visit",
                visit_id,
                visit_id,
                None,
                {"form": form.id, "demo": True, "answers": len(answer_rows)},
            )
        )
        return bool(observations)

    def _rows_for(
        self,
        visit: VisitRow,
        answers: dict[tuple[str, int], AnswerRow],
        persons: dict[int, PersonRow],
        observations: Iterable[ObservationRow],
        content_hash: str | None,
    ) -> None:
        at = self.at
        self._add(visit)
        self._add(
            RevisionRow(
                id=visit.head_rev,
                visit_id=visit.id,
                base_rev=None,
                kind="final" if content_hash else "edit",
                author="demo",
                device_id=visit.device_id,
                created_at=at,
                closed_at=at if content_hash else None,
                content_sha256=content_hash,
            )
        )
        for person in persons.values():
            self._add(person, created_at=at, updated_at=at)
        for row in answers.values():
            self._add(row, visit_id=visit.id)
        for observation in observations:
            self._add(observation, visit_id=visit.id, updated_at=at)

    def write(self) -> None:
        conn = self.app.db.conn
        with writing(self.app.db):
            for record, rows in self.rows.items():
                if not rows:
                    continue
                names = list(rows[0])
                marks = ", ".join("?" for _ in names)
                conn.executemany(
                    f"INSERT INTO {record.TABLE} ({', '.join(names)}) VALUES ({marks})",
                    [[row[name] for name in names] for row in rows],
                )
            append_many(self.app.db, self.audit, self.at)


def _partners(value: AnswerValue) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _codes_behind(
    observations: Iterable[ObservationRow], slugs: Iterable[str], persons: dict[int, PersonRow]
) -> list[str]:
    """The codes of the persons whose answers raised one of `slugs`, as a real finalize drafts them."""
    wanted = set(slugs)
    numbers = {
        int(ref[ref.index("[") + 1 : -1])
        for row in observations
        if row.slug in wanted
        for ref in row.raised_by
        if ref.endswith("]") and "[" in ref
    }
    return [persons[n].code for n in sorted(numbers) if n in persons]
