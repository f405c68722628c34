"""An open visit: answer, note, persons, manual ticks, dismissals, finalize and addenda.

The session keeps the visit in memory so each answer costs one small transaction plus a re-run of the
rules, which keeps the answer path within a few milliseconds even with a hundred persons. Every
change, its audit entries and the resulting indicator observations are written in one transaction;
if anything fails the session reloads from disk, so memory never runs ahead of what is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.model import Advice, AdviceLevel, AnswerValue, VisitStatus, Weight
from inspector_app.errors import ConflictStateError, InvalidInputError, NotFoundError
from inspector_app.forms.model import (
    PERSON_AGE_QUESTION,
    PERSON_LANGUAGES_QUESTION,
    PERSON_ROLE_QUESTION,
    FormDefinition,
    Mirror,
    Question,
    QuestionType,
)
from inspector_app.forms.refs import parse_ref
from inspector_app.forms.state import (
    AnswerSet,
    Problem,
    ScopeContext,
    answer_ref,
    constraint_problem,
    missing_required,
    problems,
)
from inspector_app.forms.store import load_form
from inspector_app.forms.values import check_answer, parse_answer_text
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.visit.content import new_revision, visit_content_hash
from inspector_app.services.visit.history import location_history_counts
from inspector_app.signals.advice import ActiveIndicator, escalation_advice
from inspector_app.signals.ledger import ObservationDiff, StandingIndicator, counts, reconcile, standing
from inspector_app.signals.rules import RuleOutcome, run_rules
from inspector_app.storage import answers as answers_repo
from inspector_app.storage import observations as observations_repo
from inspector_app.storage import referrals as referrals_repo
from inspector_app.storage import visits as visits_repo
from inspector_app.storage.audit import AuditEntry, append_many, now_iso
from inspector_app.storage.db import data_version, writing
from inspector_app.storage.locations import get_location
from inspector_app.storage.records import (
    AnswerRow,
    LocationRow,
    ObservationRow,
    PersonRow,
    ReferralRow,
    VisitRow,
)

VISIT_COLUMNS = {
    Mirror.VISIT_TYPE: "visit_type",
    Mirror.PARTNERS: "partners",
    Mirror.LEGAL_GROUND: "legal_ground",
}
PERSON_MIRRORS = {
    PERSON_ROLE_QUESTION: "role",
    PERSON_AGE_QUESTION: "age_band",
    PERSON_LANGUAGES_QUESTION: "languages",
}
MAX_PERSONS = 500


def person_code(role_code: str | None, started_at: str, visit_id: str, number: int) -> str:
    """Pseudonymous code such as SW-2026-3F9A-2: role, year, visit, person number. No names."""
    return f"{role_code or 'P'}-{started_at[:4]}-{visit_id[:4].upper()}-{number}"


class VisitSession:
    """One visit held open for editing or viewing."""

    def __init__(self, app: AppContext, visit_id: str) -> None:
        self.app = app
        self.db = app.db
        self.visit_id = visit_id
        self._catalogue = load_catalogue()
        self._history: dict[str, int] | None = None
        self.reload()

    # ------------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        visit = visits_repo.get_visit(self.db, self.visit_id)
        if visit is None:
            raise NotFoundError(_("Bezoek {visit} bestaat niet", visit=self.visit_id))
        self.visit: VisitRow = visit
        # Always the definition version the visit was filled with, never today's checklist: a
        # finalised visit's findings and documents must not change when a checklist is bumped.
        self.form: FormDefinition = load_form(visit.form_id, visit.form_version, self.app.paths.data_dir)
        location = get_location(self.db, visit.location_id)
        if location is None:
            raise NotFoundError(_("Locatie van bezoek {visit} ontbreekt", visit=self.visit_id))
        self.location: LocationRow = location
        self.answers: dict[tuple[str, int], AnswerRow] = {
            (row.question_id, row.person_number): row
            for row in answers_repo.load_answers(self.db, self.visit_id)
        }
        self.all_persons: dict[int, PersonRow] = {
            row.number: row for row in answers_repo.load_persons(self.db, self.visit_id)
        }
        self.observations: dict[tuple[str, str], ObservationRow] = {
            (row.slug, row.source): row for row in observations_repo.load_observations(self.db, self.visit_id)
        }
        self.outcome: RuleOutcome = run_rules(self.form, self.answer_set(), catalogue=self._catalogue)
        self._data_version = data_version(self.db)

    def ensure_fresh(self) -> None:
        if data_version(self.db) != self._data_version:
            self.reload()

    @property
    def persons(self) -> dict[int, PersonRow]:
        return {n: p for n, p in self.all_persons.items() if not p.removed}

    @property
    def is_final(self) -> bool:
        return self.visit.status == VisitStatus.FINAL.value

    def answer_set(
        self,
        answers: dict[tuple[str, int], AnswerRow] | None = None,
        persons: dict[int, PersonRow] | None = None,
    ) -> AnswerSet:
        source = self.answers if answers is None else answers
        people = self.persons if persons is None else persons
        top: dict[str, AnswerValue] = {}
        per_person: dict[int, dict[str, AnswerValue]] = {number: {} for number in people}
        for (question_id, number), row in source.items():
            if row.value is None:
                continue
            if number == 0:
                top[question_id] = row.value
            elif number in per_person:
                per_person[number][question_id] = row.value
        return AnswerSet(top=top, persons=per_person)

    def value(self, ref: str) -> AnswerValue:
        question, person = parse_ref(self.form, ref)
        row = self.answers.get((question.id, person or 0))
        return row.value if row else None

    # ------------------------------------------------------------------------------------ reading

    def standing_observations(self) -> list[ObservationRow]:
        return [row for row in self.observations.values() if row.counts]

    def standing_indicators(self) -> list[StandingIndicator]:
        """The indicators that stand, one per slug at its strongest weight (see `signals.ledger`)."""
        return standing(self.observations.values())

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def evaluate(self, persons: dict[int, PersonRow] | None = None) -> RuleOutcome:
        """The rules' outcome for the current answers with these present persons; nothing is stored."""
        return run_rules(
            self.form, self.answer_set(persons=persons), catalogue=self._catalogue, previous=self.outcome
        )

    def advice(self) -> list[Advice]:
        if self._history is None:
            self._history = location_history_counts(self.app, self.location.id, self.visit_id)
        active = [ActiveIndicator(row.slug, Weight(row.weight)) for row in self.standing_observations()]
        return escalation_advice(
            active, self.form.location_type, self.outcome.acute_rules, self._history, self._catalogue
        )

    def open_problems(self) -> tuple[list[str], list[Problem]]:
        """Refs of required questions still open, and constraint violations."""
        answer_set = self.answer_set()
        state = self.outcome.state
        return missing_required(self.form, state), problems(self.form, answer_set, state)

    # ---------------------------------------------------------------------------------- writing

    def require_draft(self) -> None:
        if self.is_final:
            raise ConflictStateError(
                _(
                    "Bezoek {visit} is definitief en kan niet meer worden gewijzigd; "
                    "leg een correctie vast als aanvulling met reden.",
                    visit=self.visit_id[:8],
                )
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            with writing(self.db):
                yield
        except BaseException:
            self.reload()
            raise
        self._data_version = data_version(self.db)

    def audit_entry(
        self, action: str, entity: str, entity_id: str, old: Any = None, new: Any = None
    ) -> AuditEntry:
        return AuditEntry(
            self.app.actor, self.app.device_id, action, entity, entity_id, self.visit_id, old, new
        )

    def answer_text(self, ref: str, text: str) -> Changes:
        """Answer from command-line text (`ja`, `12,5`, `club,raam`; empty clears)."""
        question, _person = parse_ref(self.form, ref)
        return self.answer(ref, parse_answer_text(question, text))

    def answer(self, ref: str, value: AnswerValue, *, reason: str | None = None) -> Changes:
        """Store one answer (None clears it), re-run the rules and record what they raise."""
        self.ensure_fresh()
        if reason is None:
            self.require_draft()
        elif not self.is_final:
            raise ConflictStateError(
                _("Een aanvulling kan alleen op een definitief bezoek; wijzig het antwoord gewoon")
            )
        elif not reason.strip():
            raise InvalidInputError(_("Geef een reden voor de aanvulling"))
        question, person = parse_ref(self.form, ref)
        value = check_answer(question, value)
        if question.type is QuestionType.PHOTO and value is not None:
            known = set(value) if isinstance(value, list) else set()
            if not known <= self._photo_ids():
                raise InvalidInputError(_("{question}: onbekende foto", question=question.id))
        number = person or 0
        new_person = self.check_person(person)
        self._check_constraint(question, person, value)
        current = self.answers.get((question.id, number))
        if current is not None and current.value == value and new_person is None:
            return Changes(self.visit_id)
        at = now_iso()
        answers = dict(self.answers)
        persons = dict(self.all_persons)
        entries: list[AuditEntry] = []
        with self.transaction():
            rev_id = self._revision_for_write(reason, at, entries)
            if new_person is not None:
                answers_repo.insert_person(self.db, new_person, at)
                persons[new_person.number] = new_person
                entries.append(
                    self.audit_entry(
                        "person.added",
                        "person",
                        new_person.id,
                        None,
                        {"number": new_person.number, "code": new_person.code},
                    )
                )
            row = AnswerRow(
                question_id=question.id,
                person_number=number,
                value=value,
                note=current.note if current else "",
                updated_at=at,
            )
            if value is None and not row.note:
                answers_repo.delete_answer(self.db, self.visit_id, question.id, number)
                answers.pop((question.id, number), None)
            else:
                answers_repo.upsert_answer(self.db, self.visit_id, row)
                answers[(question.id, number)] = row
            entries.append(
                self.audit_entry(
                    "answer.set",
                    "answer",
                    answer_ref(question.id, person),
                    current.value if current else None,
                    value,
                )
            )
            if person is not None and question.id in PERSON_MIRRORS:
                persons[person] = self._mirror_person(persons[person], question.id, value, at, entries)
            if person is None:
                self._mirror_header(question.id, answers)
            outcome = self.reevaluate(answers, persons, (question.id, number))
            diff = reconcile(self.observations.values(), outcome, at, self.app.actor)
            added, removed = diff.raised, diff.removed
            self.commit(diff, entries, at, outcome=outcome)
            self.visit = visits_repo.get_visit(self.db, self.visit_id) or self.visit
            if reason is not None:
                visits_repo.close_revision(self.db, rev_id, at, self.content_hash(answers, persons))
        self.answers, self.all_persons, self.outcome = answers, persons, outcome
        return Changes(
            self.visit_id,
            at,
            answers=(answer_ref(question.id, person),),
            persons=(person,) if person else (),
            indicators_added=added,
            indicators_removed=removed,
            observations_changed=bool(added or removed),
        )

    def reevaluate(
        self,
        answers: dict[tuple[str, int], AnswerRow],
        persons: dict[int, PersonRow],
        changed: tuple[str, int] | None = None,
    ) -> RuleOutcome:
        """The rules' outcome after a change, re-running only the scopes and rules it touches.

        The current outcome carries its per-rule working; `run_rules` compares the answers and gives
        exactly what a full evaluation would. `changed` (question id, person number or 0) names the
        one answer that differs from that working, so the answer set is patched, not rebuilt.
        """
        live = {number: person for number, person in persons.items() if not person.removed}
        before = self._evaluated_answers(live)
        if changed is None or before is None:
            answer_set = self.answer_set(answers, live)
        else:
            row = answers.get(changed)
            question_id, number = changed
            value = row.value if row is not None else None
            if number == 0:
                answer_set = AnswerSet(_with_value(before.top, question_id, value), before.persons)
            else:
                patched = dict(before.persons)
                patched[number] = _with_value(before.persons[number], question_id, value)
                answer_set = AnswerSet(before.top, patched)
        return run_rules(self.form, answer_set, catalogue=self._catalogue, previous=self.outcome)

    def _evaluated_answers(self, live: Mapping[int, PersonRow]) -> AnswerSet | None:
        """The answer set behind the current outcome, if it covers exactly the `live` persons.

        Every change of an answer value goes through `answer` and a re-evaluation, so that set is the
        current one; a person created without an answer (`add_person` without a role) is not in it.
        """
        working = self.outcome.working
        if working is None or working.answers.persons.keys() != live.keys():
            return None
        return working.answers

    def _evaluated_answer_set(self) -> AnswerSet:
        """The current answers as the rules see them, without rebuilding them from every row."""
        return self._evaluated_answers(self.persons) or self.answer_set()

    def _photo_ids(self) -> set[str]:
        rows = self.db.execute("SELECT id FROM photos WHERE visit_id = ?", [self.visit_id]).fetchall()
        return {str(row[0]) for row in rows}

    def check_person(self, person: int | None) -> PersonRow | None:
        """None if the person exists (or no person is meant); a new PersonRow for the next number."""
        if person is None:
            return None
        existing = self.all_persons.get(person)
        if existing is not None:
            if existing.removed:
                raise NotFoundError(_("Persoon {number} is verwijderd uit dit bezoek", number=person))
            return None
        next_number = max(self.all_persons, default=0) + 1
        if person != next_number:
            raise NotFoundError(
                _(
                    "Persoon {number} bestaat niet; een nieuwe persoon krijgt nummer {next}",
                    number=person,
                    next=next_number,
                )
            )
        if len(self.persons) >= MAX_PERSONS:
            raise InvalidInputError(
                _("Meer dan {limit} personen per bezoek is niet mogelijk", limit=MAX_PERSONS)
            )
        return PersonRow(
            id=str(uuid.uuid4()),
            visit_id=self.visit_id,
            number=person,
            code=person_code(None, self.visit.started_at, self.visit_id, person),
        )

    def _check_constraint(self, question: Question, person: int | None, value: AnswerValue) -> None:
        state = self.outcome.state
        person_scope = state.persons.get(person) if person is not None else None
        context = ScopeContext(
            state.top.effective,
            person_scope.effective if person_scope else ({} if person else None),
            self._evaluated_answer_set().persons,
        )
        problem = constraint_problem(question, value, context)
        if problem is not None:
            raise InvalidInputError(f"{question.id}: {problem.message.get()}")

    def _mirror_person(
        self, row: PersonRow, question_id: str, value: AnswerValue, at: str, entries: list[AuditEntry]
    ) -> PersonRow:
        field = PERSON_MIRRORS[question_id]
        updates: dict[str, Any] = {field: value if value is not None or field != "languages" else ""}
        if field == "role":
            role = self.form.role(str(value)) if value is not None else None
            updates["code"] = person_code(
                role.code if role else None, self.visit.started_at, self.visit_id, row.number
            )
        answers_repo.update_person(self.db, row.id, at, **updates)
        updated = replace(row, **updates)
        if updated.code != row.code:
            entries.append(self.audit_entry("person.code", "person", row.id, row.code, updated.code))
        return updated

    def _mirror_header(self, question_id: str, answers: dict[tuple[str, int], AnswerRow]) -> None:
        """Keep the visit's columns (type, partners, legal ground, times) in step with the header."""

        def value(mirror: Mirror) -> AnswerValue:
            question = self.form.mirrored(mirror)
            row = answers.get((question.id, 0)) if question else None
            return row.value if row else None

        mirror = self.form.question(question_id).mirror
        fields: dict[str, Any] = {}
        if mirror in VISIT_COLUMNS:
            mirrored = value(mirror)
            fields[VISIT_COLUMNS[mirror]] = (mirrored or []) if mirror is Mirror.PARTNERS else mirrored
        date, start, end = (value(m) for m in (Mirror.VISIT_DATE, Mirror.START_TIME, Mirror.END_TIME))
        if mirror in (Mirror.VISIT_DATE, Mirror.START_TIME) and date and start:
            fields["started_at"] = f"{date}T{start}"
        if mirror in (Mirror.VISIT_DATE, Mirror.END_TIME):
            fields["ended_at"] = f"{date or self.visit.started_at[:10]}T{end}" if end else None
        if fields:
            visits_repo.update_visit(self.db, self.visit_id, **fields)

    def _revision_for_write(self, reason: str | None, at: str, entries: list[AuditEntry]) -> str:
        """The open edit revision, or a new addendum revision (with reason) for a final visit."""
        if reason is None:
            return self.visit.head_rev
        revision = new_revision(self.app, self.visit_id, self.visit.head_rev, at, reason)
        rev_id = revision.id
        visits_repo.insert_revision(self.db, revision)
        visits_repo.update_visit(self.db, self.visit_id, head_rev=rev_id)
        self.visit = replace(self.visit, head_rev=rev_id)
        entries.append(
            self.audit_entry(
                "visit.addendum", "visit", self.visit_id, None, {"revision": rev_id, "reason": reason}
            )
        )
        return rev_id

    def commit(
        self,
        diff: ObservationDiff,
        entries: list[AuditEntry],
        at: str,
        *,
        outcome: RuleOutcome | None = None,
        persons: Sequence[tuple[PersonRow | None, PersonRow]] = (),
        referrals: Sequence[ReferralRow] = (),
        visit_fields: Mapping[str, Any] | None = None,
        seal: str | None = None,
    ) -> Changes:
        """Write one change of the visit: persons, observations, summary columns and audit entries.

        This is the only writer of a visit's observations, of its H/M/L counts and acute flag, and
        of the revision a finalize closes, so memory and store cannot drift apart: everything is
        written in one transaction (nested in the caller's, if one is open) and memory follows only
        what was written.

        `persons` are (before, after) pairs, before None for a new person; `outcome` is the rule
        outcome the diff was reconciled with (the current one if None); `referrals` are new referral
        rows; `visit_fields` are further visit columns (status, finalized_at ...); `seal` closes the
        head revision with that kind, stamped with the content hash after this write. The Changes
        say which persons, indicators and referrals changed.
        """
        with self.transaction():
            all_persons = dict(self.all_persons)
            for before, after in persons:
                self._write_person(before, after, at)
                all_persons[after.number] = after
            for row in diff.added:
                observations_repo.insert_observation(self.db, self.visit_id, row, at)
            for before_row, after_row in (*diff.updated, *diff.cleared):
                observations_repo.store_change(self.db, before_row, after_row, at)
            self.all_persons = all_persons
            self.observations = diff.applied(self.observations)
            if outcome is not None:
                self.outcome = outcome
            for referral in referrals:
                referrals_repo.insert_referral(self.db, referral)
            acute = any(advice.level is AdviceLevel.ACUTE for advice in self.advice())
            standing_counts = counts(standing(self.observations.values()))
            visits_repo.update_visit(
                self.db,
                self.visit_id,
                updated_at=at,
                count_h=standing_counts[Weight.HIGH],
                count_m=standing_counts[Weight.MEDIUM],
                count_l=standing_counts[Weight.LOW],
                acute=int(acute),
                **(visit_fields or {}),
            )
            if visit_fields:
                self.visit = visits_repo.get_visit(self.db, self.visit_id) or self.visit
            if seal is not None:
                visits_repo.close_revision(self.db, self.visit.head_rev, at, self.content_hash(), kind=seal)
            events = [
                self.audit_entry(event.action, "indicator", event.observation_id, event.old, event.new)
                for event in diff.events
            ]
            append_many(self.db, [*entries, *events], at)
        return Changes(
            self.visit_id,
            at,
            persons=tuple(after.number for _before, after in persons),
            indicators_added=diff.raised,
            indicators_removed=diff.removed,
            observations_changed=bool(diff.raised or diff.removed),
            referrals=tuple(referral.id for referral in referrals),
        )

    def _write_person(self, before: PersonRow | None, after: PersonRow, at: str) -> None:
        if before is None:
            answers_repo.insert_person(self.db, after, at)
            return
        fields = ("code", "role", "age_band", "languages", "removed")
        changed = {
            name: getattr(after, name) for name in fields if getattr(before, name) != getattr(after, name)
        }
        if changed:
            answers_repo.update_person(self.db, after.id, at, **changed)

    # ------------------------------------------------------------------------- notes and persons

    def set_note(self, ref: str, note: str) -> Changes:
        """The inspector's note on one question (factual; no names of third persons)."""
        self.ensure_fresh()
        self.require_draft()
        question, person = parse_ref(self.form, ref)
        if len(note) > 20_000:
            raise InvalidInputError(_("De notitie is te lang"))
        number = person or 0
        new_person = self.check_person(person)
        current = self.answers.get((question.id, number))
        if current is not None and current.note == note:
            return Changes(self.visit_id)
        at = now_iso()
        entries: list[AuditEntry] = []
        with self.transaction():
            if new_person is not None:
                answers_repo.insert_person(self.db, new_person, at)
                self.all_persons[new_person.number] = new_person
            row = AnswerRow(
                question_id=question.id,
                person_number=number,
                value=current.value if current else None,
                note=note,
                updated_at=at,
            )
            if row.value is None and not note:
                answers_repo.delete_answer(self.db, self.visit_id, question.id, number)
                self.answers.pop((question.id, number), None)
            else:
                answers_repo.upsert_answer(self.db, self.visit_id, row)
                self.answers[(question.id, number)] = row
            entries.append(
                self.audit_entry(
                    "answer.note",
                    "answer",
                    answer_ref(question.id, person),
                    current.note if current else "",
                    note,
                )
            )
            visits_repo.update_visit(self.db, self.visit_id, updated_at=at)
            append_many(self.db, entries, at)
        return Changes(self.visit_id, at, answers=(answer_ref(question.id, person),))

    # ------------------------------------------------------------------- manual signal handling

    # ------------------------------------------------------------------------ content hashing

    def content_hash(
        self,
        answers: dict[tuple[str, int], AnswerRow] | None = None,
        persons: dict[int, PersonRow] | None = None,
    ) -> str:
        """SHA-256 of the visit's canonical content, stamped on revisions and printed on reports."""
        return visit_content_hash(
            self.visit,
            self.answers if answers is None else answers,
            self.all_persons if persons is None else persons,
            self.observations.values(),
        )


def _with_value(
    answers: Mapping[str, AnswerValue], question_id: str, value: AnswerValue
) -> dict[str, AnswerValue]:
    """A copy of one scope's raw answers with one value set (None leaves it out, as answer_set does)."""
    patched = dict(answers)
    if value is None:
        patched.pop(question_id, None)
    else:
        patched[question_id] = value
    return patched
