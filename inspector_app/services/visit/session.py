"""An open visit: answer, note, persons, manual ticks, dismissals, finalize and addenda.

The session keeps the visit in memory so each answer costs one small transaction plus a re-run of the
rules, which keeps the answer path within a few milliseconds even with a hundred persons. Every
change, its audit entries and the resulting indicator observations are written in one transaction;
if anything fails the session reloads from disk, so memory never runs ahead of what is stored.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from inspector_app.domain.catalogue import Catalogue, load_catalogue
from inspector_app.domain.model import Advice, AdviceLevel, AnswerValue, VisitStatus, Weight
from inspector_app.errors import ConflictStateError, InvalidInputError, NotFoundError
from inspector_app.forms.model import FormDefinition, QuestionType
from inspector_app.forms.refs import parse_ref
from inspector_app.forms.state import AnswerSet, Problem, answer_ref, missing_required, problems
from inspector_app.forms.store import load_form
from inspector_app.forms.values import MAX_TEXT_LENGTH, check_answer, parse_answer_text
from inspector_app.i18n import _
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.visit.answering import (
    check_addendum,
    check_constraint,
    check_photos,
    evaluated_answers,
    person_to_add,
    reevaluated,
)
from inspector_app.services.visit.content import new_revision, visit_content_hash
from inspector_app.services.visit.history import location_history_counts
from inspector_app.services.visit.mirrors import PERSON_MIRRORS, header_fields, person_fields
from inspector_app.signals.advice import escalation_advice
from inspector_app.signals.answer_set import answer_set_of
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
from inspector_app.sync.derived import rules_of
from inspector_app.sync.versions import record_local_version, refuse_open_conflict


class VisitSession:
    """One visit held open for editing or viewing."""

    def __init__(self, app: AppContext, visit_id: str) -> None:
        self.app = app
        self.db = app.db
        self.visit_id = visit_id
        self._catalogue = load_catalogue()
        self._history: dict[str, int] | None = None
        self.reloaded_elsewhere = 0  # reloads because of another connection's change: the screen is stale
        self._writing = False
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

    def changed_elsewhere(self) -> bool:
        """Whether another connection (the command line, another process) committed since this session
        last read or wrote; `PRAGMA data_version` moves for other connections' commits only."""
        return data_version(self.db) != self._data_version

    def ensure_fresh(self) -> bool:
        """Reload when the store changed elsewhere, so a write starts from what is stored; True if so."""
        if not self.changed_elsewhere():
            return False
        self.reload()
        self.reloaded_elsewhere += 1
        return True

    def _ensure_fresh_for(self, ref: str) -> None:
        """Reload before answering `ref`; refuse when that very answer was changed elsewhere meanwhile,
        so a stale screen never overwrites the other change silently (the screen reloads and says so)."""
        question, person = parse_ref(self.form, ref)
        key = (question.id, person or 0)
        before = self.answers.get(key)
        if self.ensure_fresh() and self.answers.get(key) != before:
            raise ConflictStateError(
                _(
                    "Het antwoord op {ref} is intussen buiten dit scherm gewijzigd (bijvoorbeeld via de "
                    "opdrachtregel). Het opgeslagen antwoord is niet overschreven; bekijk het en pas het "
                    "zo nodig opnieuw aan.",
                    ref=ref,
                )
            )

    @property
    def persons(self) -> dict[int, PersonRow]:
        return {n: p for n, p in self.all_persons.items() if not p.removed}

    @property
    def is_final(self) -> bool:
        return self.visit.status is VisitStatus.FINAL

    def answer_set(
        self,
        answers: dict[tuple[str, int], AnswerRow] | None = None,
        persons: dict[int, PersonRow] | None = None,
    ) -> AnswerSet:
        return answer_set_of(
            self.answers if answers is None else answers, self.persons if persons is None else persons
        )

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
        return escalation_advice(
            self.standing_indicators(),
            self.form.location_type,
            self.outcome.acute_rules,
            self._history,
            self._catalogue,
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
        """One write; the outermost records the result as a version of this device (office side)."""
        outermost = not self._writing
        self._writing = True
        try:
            with writing(self.db):
                yield
                if outermost:
                    record_local_version(
                        self.db, self.visit_id, self.app.device_id, derive=rules_of(self.app.paths.data_dir)
                    )
        except BaseException:
            self.reload()
            raise
        finally:
            if outermost:
                self._writing = False
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
        self._ensure_fresh_for(ref)
        if reason is None:
            self.require_draft()
        else:
            check_addendum(self.is_final, reason)
        question, person = parse_ref(self.form, ref)
        value = check_answer(question, value)
        if question.type is QuestionType.PHOTO:  # one query, only where a photo can be named
            check_photos(question, value, self._photo_ids())
        number = person or 0
        new_person = self.check_person(person)
        current_set = evaluated_answers(self.outcome, self.persons) or self.answer_set()
        check_constraint(question, person, value, self.outcome.state, current_set.persons)
        current = self.answers.get((question.id, number))
        if current is not None and current.value == value and new_person is None:
            refuse_open_conflict(self.db, self.visit_id)  # "nothing to do" must not hide the conflict
            return Changes(self.visit_id)
        at = now_iso()
        answers = dict(self.answers)
        persons = dict(self.all_persons)
        entries: list[AuditEntry] = []
        with self.transaction():
            rev_id = self._revision_for_write(reason, at, entries)
            if new_person is not None:
                self._add_person(new_person, persons, at, entries)
            note = current.note if current else ""
            row = AnswerRow(
                question_id=question.id, person_number=number, value=value, note=note, updated_at=at
            )
            self._store_answer(row, answers)
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
            if person is None and (fields := header_fields(self.form, self.visit, question.id, answers)):
                visits_repo.update_visit(self.db, self.visit_id, **fields)
            outcome = reevaluated(
                self.form, self.outcome, answers, persons, (question.id, number), self._catalogue
            )
            diff = reconcile(self.observations.values(), outcome, at, self.app.actor)
            committed = self.commit(diff, entries, at, outcome=outcome)
            self.visit = visits_repo.get_visit(self.db, self.visit_id) or self.visit
            if reason is not None:
                visits_repo.close_revision(self.db, rev_id, at, self.content_hash(answers, persons))
        self.answers, self.all_persons, self.outcome = answers, persons, outcome
        answered = (answer_ref(question.id, person),)
        return committed | Changes(self.visit_id, at, answers=answered, persons=(person,) if person else ())

    def _add_person(
        self, person: PersonRow, persons: dict[int, PersonRow], at: str, entries: list[AuditEntry]
    ) -> None:
        """Store a person that an answer or a note to the next person number creates, audited alike."""
        answers_repo.insert_person(self.db, person, at)
        persons[person.number] = person
        details = {"number": person.number, "code": person.code}
        entries.append(self.audit_entry("person.added", "person", person.id, None, details))

    def _store_answer(self, row: AnswerRow, answers: dict[tuple[str, int], AnswerRow]) -> None:
        """Write one answer row into the store and `answers`; a row with neither value nor note is deleted."""
        key = (row.question_id, row.person_number)
        if row.value is None and not row.note:
            answers_repo.delete_answer(self.db, self.visit_id, *key)
            answers.pop(key, None)
        else:
            answers_repo.upsert_answer(self.db, self.visit_id, row)
            answers[key] = row

    def _photo_ids(self) -> set[str]:
        rows = self.db.execute("SELECT id FROM photos WHERE visit_id = ?", [self.visit_id]).fetchall()
        return {str(row[0]) for row in rows}

    def check_person(self, person: int | None) -> PersonRow | None:
        """None if the person exists (or no person is meant); a new PersonRow for the next number."""
        return person_to_add(self.visit, self.all_persons, len(self.persons), person)

    def _mirror_person(
        self, row: PersonRow, question_id: str, value: AnswerValue, at: str, entries: list[AuditEntry]
    ) -> PersonRow:
        updates = person_fields(self.form, self.visit, row, question_id, value)
        answers_repo.update_person(self.db, row.id, at, **updates)
        updated = replace(row, **updates)
        if updated.code != row.code:
            entries.append(self.audit_entry("person.code", "person", row.id, row.code, updated.code))
        return updated

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

    def answer_with_note(self, ref: str, value: AnswerValue, note: str) -> Changes:
        """An answer and its note as one change: if the note is refused (too long, the disk full), the
        answer is not stored either, so a ticked observation box never stands without its note."""
        with self.transaction():
            changes = self.answer(ref, value)
            return changes | self.set_note(ref, note)

    def set_note(self, ref: str, note: str) -> Changes:
        """The inspector's note on one question (factual; no names of third persons)."""
        self.ensure_fresh()
        self.require_draft()
        question, person = parse_ref(self.form, ref)
        if len(note) > MAX_TEXT_LENGTH:
            raise InvalidInputError(_("De notitie is te lang"))
        number = person or 0
        new_person = self.check_person(person)
        current = self.answers.get((question.id, number))
        if current is not None and current.note == note:
            refuse_open_conflict(self.db, self.visit_id)
            return Changes(self.visit_id)
        at = now_iso()
        entries: list[AuditEntry] = []
        with self.transaction():
            if new_person is not None:
                self._add_person(new_person, self.all_persons, at, entries)
            value = current.value if current else None
            row = AnswerRow(
                question_id=question.id, person_number=number, value=value, note=note, updated_at=at
            )
            self._store_answer(row, self.answers)
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
        return Changes(
            self.visit_id,
            at,
            answers=(answer_ref(question.id, person),),
            persons=(new_person.number,) if new_person else (),
        )

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
