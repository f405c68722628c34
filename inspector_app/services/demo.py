"""Synthetic, realistic demo visits over all four checklists, fast enough for 100,000 visits.

Values are generated from the checklist definitions themselves: the rules tell which answers raise
an indicator, so each visit draws a risk profile (clean, concerns, serious) and answers accordingly.
Everything is fictitious: invented business names and streets, inspectors as service numbers,
persons only as role + pseudonymous code. Nothing here describes a real person or place.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from inspector_app.domain.model import AnswerValue, LocationType, Weight
from inspector_app.forms import expressions as ex
from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.model import PERSON_ROLE_QUESTION, FormDefinition, Question, QuestionType
from inspector_app.forms.state import (
    AnswerSet,
    ScopeContext,
    constraint_problem,
    evaluate_form,
    missing_required,
)
from inspector_app.services.app import AppContext
from inspector_app.services.visit_session import person_code, visit_content_hash
from inspector_app.signals.advice import ActiveIndicator, escalation_advice
from inspector_app.signals.rules import run_rules
from inspector_app.storage.audit import AuditEntry, append_many, now_iso
from inspector_app.storage.db import writing
from inspector_app.storage.records import AnswerRow, ObservationRow, PersonRow, VisitRow

CHUNK = 500
PROFILES = (("clean", 0.6), ("concerns", 0.3), ("serious", 0.1))
BAD_PROBABILITY = {"clean": 0.002, "concerns": 0.05, "serious": 0.25}
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
NOTES = [
    "Rondgang gemaakt samen met de aanwezige beheerder.",
    "Gesprekken gevoerd buiten gehoorsafstand van de leiding.",
    "Ruimtes gecontroleerd; waarnemingen vastgelegd per sectie.",
    "Administratie ter plaatse ingezien.",
    "Tolk telefonisch ingeschakeld voor de gesprekken.",
]
DISMISS_REASONS = [
    "Toelichting ter plaatse gecontroleerd; signaal niet van toepassing.",
    "Administratie later alsnog getoond en in orde bevonden.",
]


@dataclass(frozen=True)
class DemoReport:
    visits: int
    final: int
    with_signals: int


def _bad_values(form: FormDefinition) -> dict[str, set[Any]]:
    """Per question, the literal values that make some rule fire (`{Q} = 'no'`, `{Q} in [...]`)."""
    bad: dict[str, set[Any]] = {}
    for rule in form.rules:
        if rule.when is None:
            continue
        for node in ex.walk(rule.when.tree):
            if isinstance(node, ex.Binary) and node.op == "=":
                for ref, lit in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(ref, ex.Ref) and isinstance(lit, ex.Literal):
                        bad.setdefault(ref.question_id, set()).add(lit.value)
            if (
                isinstance(node, ex.Binary)
                and node.op == "in"
                and isinstance(node.left, ex.Ref)
                and isinstance(node.right, ex.ListLiteral)
            ):
                values = {i.value for i in node.right.items if isinstance(i, ex.Literal)}
                bad.setdefault(node.left.question_id, set()).update(values)
    return bad


def _thresholds(form: FormDefinition) -> dict[str, tuple[str, float]]:
    """Per numeric question, a rule threshold like `{Q} > 60`, so values land on either side."""
    found: dict[str, tuple[str, float]] = {}
    for rule in form.rules:
        if rule.when is None:
            continue
        for node in ex.walk(rule.when.tree):
            if (
                isinstance(node, ex.Binary)
                and node.op in ("<", "<=", ">", ">=")
                and isinstance(node.left, ex.Ref)
                and isinstance(node.right, ex.Literal)
                and isinstance(node.right.value, int | float)
                and node.right.value != 0  # `> 0` asks "any at all?", not a norm
            ):
                found.setdefault(node.left.question_id, (node.op, float(node.right.value)))
    return found


class _FormGenerator:
    def __init__(self, form: FormDefinition) -> None:
        self.form = form
        self.bad = _bad_values(form)
        self.thresholds = _thresholds(form)
        self.top_questions = [q for s in form.sections if not s.repeat for q in s.questions]
        self.person_questions = [q for s in form.sections if s.repeat for q in s.questions]

    def value(
        self, question: Question, rng: random.Random, profile: str, context: dict[str, Any]
    ) -> AnswerValue:
        bad_chance = BAD_PROBABILITY[profile]
        qtype = question.type
        if question.id in context:
            known: AnswerValue = context[question.id]
            return known
        if qtype in (QuestionType.YESNO, QuestionType.SINGLE):
            allowed = list(question.allowed_values or ())
            bad = [v for v in allowed if v in self.bad.get(question.id, set())]
            good = [v for v in allowed if v not in bad and v != "unknown"] or allowed
            if bad and rng.random() < bad_chance:
                return rng.choice(bad)
            if qtype is QuestionType.YESNO and not bad:
                return "yes" if rng.random() < 0.8 else "no"
            return rng.choice(good)
        if qtype is QuestionType.MULTIPLE:
            values = list(question.allowed_values or ())
            if any("." in v for v in values):  # observed-signal lists: choice values are slugs
                count = {"clean": 0, "concerns": rng.randint(0, 1), "serious": rng.randint(1, 3)}[profile]
                return sorted(rng.sample(values, min(count, len(values))))
            safe = [v for v in values if v not in self.bad.get(question.id, set())] or values
            return sorted(rng.sample(safe, min(len(safe), rng.randint(1, 2))))
        if qtype in (QuestionType.INTEGER, QuestionType.DECIMAL):
            number = self._number(question, rng, profile, int(context.get("_count", 4)))
            return round(number) if qtype is QuestionType.INTEGER else round(number, 1)
        if qtype is QuestionType.TEXT:
            return rng.choice(NOTES)
        if qtype is QuestionType.DATE:
            return str(context.get("_date"))
        if qtype is QuestionType.TIME:
            return str(context.get("_time"))
        if qtype is QuestionType.DATETIME:
            return f"{context.get('_date')}T{context.get('_time')}"
        return None

    def _number(self, question: Question, rng: random.Random, profile: str, count: int) -> float:
        """A plausible number; counts of one visit agree with each other unless the profile is off."""
        threshold = self.thresholds.get(question.id)
        if threshold is not None:
            op, limit = threshold
            bad = rng.random() < BAD_PROBABILITY[profile] * 2
            above = (op in (">", ">=")) == bad
            scale = limit if limit else 10.0
            return max(
                0.0,
                limit + scale * rng.uniform(0.05, 0.5) if above else limit - scale * rng.uniform(0.05, 0.6),
            )
        unit = (question.unit or "").lower()
        if "m" in unit and "²" in unit:
            return count * rng.uniform(12, 30)
        if "%" in unit:
            return rng.uniform(10, 60)
        if "€" in unit or "eur" in unit:
            return rng.uniform(50, 200)
        if "uur" in unit or "hour" in unit:
            return rng.uniform(6, 11)
        return rng.randint(1, 12) if rng.random() < BAD_PROBABILITY[profile] else count


def _fill(
    gen: _FormGenerator,
    questions: list[Question],
    rng: random.Random,
    profile: str,
    context: dict[str, Any],
    fraction: float,
) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {}
    for question in questions:
        if question.type in (QuestionType.COMPUTED, QuestionType.PHOTO):
            continue
        if not question.required and rng.random() > fraction:
            continue
        value = gen.value(question, rng, profile, context)
        if value is not None and value != []:
            answers[question.id] = value
    return answers


def _settle(
    form: FormDefinition,
    answers: AnswerSet,
    gen: _FormGenerator,
    rng: random.Random,
    profile: str,
    context: dict[str, Any],
) -> AnswerSet:
    """Drop hidden or invalid answers and fill required ones, so a final visit validates."""
    top = dict(answers.top)
    persons = {n: dict(p) for n, p in answers.persons.items()}
    for _ in range(3):
        state = evaluate_form(form, AnswerSet(top, persons))
        top = {k: v for k, v in top.items() if k in state.top.visible}
        persons = {
            n: {k: v for k, v in p.items() if k in state.persons[n].visible} for n, p in persons.items()
        }
        top_context = ScopeContext(state.top.effective, None, persons)
        for qid in list(top):
            if constraint_problem(form, form.questions[qid], top[qid], top_context) is not None:
                del top[qid]
        for n, person in persons.items():
            person_context = ScopeContext(state.top.effective, state.persons[n].effective, persons)
            for qid in list(person):
                if constraint_problem(form, form.questions[qid], person[qid], person_context) is not None:
                    del person[qid]
        for ref in missing_required(form, evaluate_form(form, AnswerSet(top, persons))):
            qid, _sep, number = ref.partition("[")
            question = form.questions[qid]
            value = gen.value(question, rng, "clean", context)
            if number:
                persons[int(number.rstrip("]"))][qid] = value
            else:
                top[qid] = value
    return AnswerSet(top, persons)


def create_demo_visits(app: AppContext, count: int, seed: int = 2026) -> DemoReport:
    """Insert `count` synthetic visits in chunks of one transaction each."""
    rng = random.Random(seed)
    forms = list(load_all_forms().values())
    generators = {form.id: _FormGenerator(form) for form in forms}
    locations: dict[str, list[tuple[str, str]]] = {form.id: [] for form in forms}
    per_form_locations = max(2, count // (3 * len(forms)))
    now = datetime.now().replace(second=0, microsecond=0)
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
    """Rows of one chunk of demo visits, written with executemany in one transaction."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.at = now_iso()
        self.rows: dict[str, list[tuple[Any, ...]]] = {
            k: []
            for k in ("locations", "visits", "revisions", "persons", "answers", "observations", "referrals")
        }
        self.audit: list[AuditEntry] = []

    def add_location(self, form: FormDefinition, rng: random.Random) -> tuple[str, str]:
        location_id = str(uuid.uuid4())
        name = f"{rng.choice(NAMES[form.location_type])} {rng.randint(1, 99)}"
        address = f"{rng.choice(STREETS)} {rng.randint(1, 240)}"
        postcode = (
            f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABEHKLNRSTX')}"
        )
        self.rows["locations"].append(
            (
                location_id,
                name,
                form.location_type.value,
                address,
                postcode,
                rng.choice(TOWNS),
                f"{rng.randint(10000000, 99999999)}",
                f"DEMO-{rng.randint(1000, 9999)}",
                self.at,
                self.at,
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
        gen: _FormGenerator,
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
            "H-03": location_label,
            "H-02c": (started + timedelta(minutes=rng.randint(30, 150))).strftime("%H:%M"),
        }
        fraction = 1.0 if is_final else rng.uniform(0.3, 0.9)
        top = _fill(gen, gen.top_questions, rng, profile, context, fraction)
        roles = [r.value for r in form.roles]
        mix = [r for r in ROLE_MIX[form.location_type] if r in roles] or roles
        people: dict[int, dict[str, AnswerValue]] = {}
        persons_present = rng.randint(1, 6)
        affected = rng.randint(1, persons_present)  # signals usually concern one person, not everyone
        for number in range(1, persons_present + 1):
            answers = _fill(
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
            if "P-HELP" in form.questions:
                answers["P-HELP"] = "yes" if profile == "serious" and rng.random() < 0.02 else "no"
            people[number] = answers
        if "H-07" in form.questions:
            top["H-07"] = len(people) + rng.randint(0, 3)
        settled = _settle(form, AnswerSet(top, people), gen, rng, profile, context)
        outcome = run_rules(form, settled)
        at = self.at
        answer_rows: dict[tuple[str, int], AnswerRow] = {}
        for number, values in [(0, settled.top), *settled.persons.items()]:
            for qid, value in values.items():
                answer_rows[(qid, number)] = AnswerRow(qid, number, value, "", at)
        person_rows: dict[int, PersonRow] = {}
        for number, values in settled.persons.items():
            role = form.role(str(values.get(PERSON_ROLE_QUESTION)))
            person_rows[number] = PersonRow(
                str(uuid.uuid4()),
                visit_id,
                number,
                person_code(role.code if role else None, started_at, visit_id, number),
                role.value if role else None,
                str(values.get("P-AGE")) if values.get("P-AGE") else None,
                str(values.get("P-LANG", "")),
                False,
            )
        observations = [
            ObservationRow(
                str(uuid.uuid4()),
                i.slug,
                "auto",
                i.weight.value,
                list(i.raised_by),
                list(i.rule_ids),
                True,
                "",
                False,
                None,
                None,
                None,
                at,
                "demo",
            )
            for i in outcome.indicators
        ]
        if observations and profile == "concerns" and rng.random() < 0.2:
            low = [o for o in observations if o.weight == "L"]
            if low:
                target = rng.choice(low)
                observations[observations.index(target)] = ObservationRow(
                    target.id,
                    target.slug,
                    target.source,
                    target.weight,
                    target.raised_by,
                    target.rule_ids,
                    True,
                    "",
                    True,
                    rng.choice(DISMISS_REASONS),
                    "demo",
                    at,
                    at,
                    "demo",
                )
        standing = [ActiveIndicator(o.slug, Weight(o.weight)) for o in observations if o.counts]
        advice = escalation_advice(standing, form.location_type, outcome.acute_rules)
        weights = [o.weight for o in observations if o.counts]
        visit = VisitRow(
            visit_id,
            form.id,
            form.version,
            location_id,
            str(settled.top.get("H-01") or "gepland"),
            started_at,
            f"{started_at[:10]}T{context['H-02c']}",
            [f"Toezichthouder {rng.randint(1000, 1999)}" for _ in range(2)],
            _partners(settled.top.get("H-05")),
            str(settled.top.get("H-06a")) if settled.top.get("H-06a") else None,
            "final" if is_final else "draft",
            rev_id,
            self.app.device_id,
            "demo",
            at,
            at,
            at if is_final else None,
            "demo" if is_final else None,
            weights.count("H"),
            weights.count("M"),
            weights.count("L"),
            any(a.level.value == "acute" for a in advice),
        )
        content_hash = visit_content_hash(visit, answer_rows, person_rows, observations) if is_final else None
        self._rows_for(visit, answer_rows, person_rows, observations, content_hash)
        if is_final:
            for item in advice:
                if item.recipient is None or item.level.value == "riec":
                    continue
                sent = rng.random() < 0.6
                self.rows["referrals"].append(
                    (
                        str(uuid.uuid4()),
                        visit_id,
                        item.recipient.value,
                        "acute" if item.level.value == "acute" else "days",
                        "not_applicable",
                        "e-mail" if sent else "",
                        _json(list(item.slugs)),
                        _json([p.code for p in person_rows.values()]),
                        "sent" if sent else "draft",
                        at if sent else None,
                        f"REF-{rng.randint(10000, 99999)}" if sent else "",
                        "",
                        "",
                        at,
                        "demo",
                        at,
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
        self.rows["visits"].append(
            (
                visit.id,
                visit.form_id,
                visit.form_version,
                visit.location_id,
                visit.visit_type,
                visit.started_at,
                visit.ended_at,
                _json(visit.inspectors),
                _json(visit.partners),
                visit.legal_ground,
                visit.status,
                visit.head_rev,
                visit.device_id,
                visit.created_by,
                at,
                at,
                visit.finalized_at,
                visit.finalized_by,
                visit.count_h,
                visit.count_m,
                visit.count_l,
                int(visit.acute),
            )
        )
        self.rows["revisions"].append(
            (
                visit.head_rev,
                visit.id,
                None,
                "final" if content_hash else "edit",
                "demo",
                visit.device_id,
                at,
                at if content_hash else None,
                content_hash,
                None,
            )
        )
        for person in persons.values():
            self.rows["persons"].append(
                (
                    person.id,
                    visit.id,
                    person.number,
                    person.code,
                    person.role,
                    person.age_band,
                    person.languages,
                    0,
                    at,
                    at,
                )
            )
        for (qid, number), row in answers.items():
            self.rows["answers"].append((visit.id, qid, number, _json(row.value), "", at))
        for o in observations:
            self.rows["observations"].append(
                (
                    o.id,
                    visit.id,
                    o.slug,
                    o.source,
                    o.weight,
                    _json(o.raised_by),
                    _json(o.rule_ids),
                    1,
                    "",
                    int(o.dismissed),
                    o.dismiss_reason,
                    o.dismissed_by,
                    o.dismissed_at,
                    at,
                    "demo",
                    at,
                )
            )

    def write(self) -> None:
        conn = self.app.db.conn
        statements = {
            "locations": "INSERT INTO locations (id, name, location_type, address, postcode, city, kvk_number,"
            " licence_number, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            "visits": "INSERT INTO visits (id, form_id, form_version, location_id, visit_type, started_at,"
            " ended_at, inspectors, partners, legal_ground, status, head_rev, device_id, created_by,"
            " created_at, updated_at, finalized_at, finalized_by, count_h, count_m, count_l, acute)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            "revisions": "INSERT INTO visit_revisions (id, visit_id, base_rev, kind, author, device_id,"
            " created_at, closed_at, content_sha256, reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
            "persons": "INSERT INTO persons (id, visit_id, number, code, role, age_band, languages, removed,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            "answers": "INSERT INTO answers (visit_id, question_id, person_number, value, note, updated_at)"
            " VALUES (?,?,?,?,?,?)",
            "observations": "INSERT INTO indicator_observations (id, visit_id, slug, source, weight,"
            " raised_by, rule_ids, active, note, dismissed, dismiss_reason, dismissed_by,"
            " dismissed_at, created_at, created_by, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            "referrals": "INSERT INTO referrals (id, visit_id, recipient, urgency, consent_status, channel,"
            " slugs, person_codes, status, sent_at, reference, outcome, note, created_at,"
            " created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        }
        with writing(self.app.db):
            for table, sql in statements.items():
                conn.executemany(sql, self.rows[table])
            append_many(self.app.db, self.audit, self.at)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _partners(value: AnswerValue) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
