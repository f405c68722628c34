"""Use cases of a visit: answer, persons, signals, manual ticks, dismissals, finalize, addenda.

Bad input leaves the store exactly as it was: each refusal test compares a full dump before and after.
"""

from __future__ import annotations

import pytest

from inspector_app.domain.model import AnswerValue
from inspector_app.errors import AppError, ConflictStateError, InvalidInputError, NotFoundError
from inspector_app.services.app import AppContext
from inspector_app.services.visit.detail import visit_detail
from inspector_app.services.visit.finalize import FinalizeRefusedError, amend_visit, finalize_visit
from inspector_app.services.visit.indicators import dismiss, tick
from inspector_app.services.visit.persons import remove_person
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, open_visit, start_visit
from inspector_app.storage.audit import verify_chain

TABLES = (
    "locations",
    "visits",
    "visit_revisions",
    "persons",
    "answers",
    "indicator_observations",
    "referrals",
    "photos",
    "audit_log",
)


def dump(app: AppContext) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(map(tuple, app.db.execute(f"SELECT * FROM {t}").fetchall()), key=repr) for t in TABLES}


def new_pb_visit(app: AppContext) -> VisitSession:
    visit_id = start_visit(
        app,
        NewVisit(
            form="PB",
            location=LocationInput("Club Testlust", "Teststraat 1", "1234 AB", "Westerdam"),
            started_at="2026-11-20T21:30",
            visit_type="onaangekondigd",
            inspectors=("T-1001", "T-1002"),
            partners=("politie",),
            legal_ground="apv_awb",
        ),
    )
    return VisitSession(app, visit_id)


def slugs(session: VisitSession) -> dict[str, str]:
    return {row.slug: row.weight for row in session.standing_observations()}


def test_start_visit_prefills_the_header(app: AppContext) -> None:
    session = new_pb_visit(app)
    assert session.value("H-01") == "onaangekondigd"
    assert session.value("H-02a") == "2026-11-20"
    assert session.value("H-02b") == "21:30"
    assert session.value("H-04a") == 2
    assert session.value("H-05") == ["politie"]
    assert session.visit.form_version == session.form.version
    assert session.visit.status == "draft"
    assert "Club Testlust" in str(session.value("H-03"))


def test_same_location_is_reused_from_the_register(app: AppContext) -> None:
    first, second = new_pb_visit(app), new_pb_visit(app)
    assert first.location.id == second.location.id


def test_answer_raises_indicator_with_its_reason_and_clears_it(app: AppContext) -> None:
    session = new_pb_visit(app)
    changes = session.answer("PB-05", "no")
    assert "sex.no_manager_present" in changes.indicators_added
    row = session.observations[("sex.no_manager_present", "auto")]
    assert row.raised_by == ["PB-05"] and row.counts
    changes = session.answer("PB-05", "yes")
    assert changes.indicators_removed == ("sex.no_manager_present",)
    assert "sex.no_manager_present" not in slugs(session)
    assert verify_chain(app.db).ok


def test_person_answers_raise_with_person_reference(app: AppContext) -> None:
    session = new_pb_visit(app)
    session.answer("P-ROLE[1]", "sex_worker")
    session.answer("P-ROLE[2]", "sex_worker")
    session.answer("PB-20[2]", "no")
    found = session.observations[("gen.id_held_by_other", "auto")]
    assert found.raised_by == ["PB-20[2]"] and found.weight == "H"
    assert [p.code.split("-")[0] for p in session.persons.values()] == ["SW", "SW"]
    assert session.persons[2].code.endswith("-2")
    levels = [a.level.value for a in session.advice()]
    assert "escalate" in levels
    assert session.visit.count_h == 1


def test_minor_in_sex_work_is_acute(app: AppContext) -> None:
    session = new_pb_visit(app)
    session.answer("P-ROLE[1]", "sex_worker")
    session.answer("P-AGE[1]", "under_18")
    assert next(a.level.value for a in session.advice()) == "acute"
    assert session.visit.acute


def test_many_persons_in_a_repeat(app: AppContext) -> None:
    session = new_pb_visit(app)
    for number in range(1, 8):
        session.answer(f"P-ROLE[{number}]", "sex_worker")
        session.answer(f"PB-19[{number}]", "yes" if number % 2 else "no")
    assert len(session.persons) == 7
    assert session.observations[("sex.cannot_refuse", "auto")].raised_by == [
        "PB-19[2]",
        "PB-19[4]",
        "PB-19[6]",
    ]
    remove_person(session, 2)
    assert session.observations[("sex.cannot_refuse", "auto")].raised_by == ["PB-19[4]", "PB-19[6]"]
    reopened = VisitSession(app, session.visit_id)
    assert sorted(reopened.persons) == [1, 3, 4, 5, 6, 7]


def test_manual_tick_and_dismissal_are_stored_and_audited(app: AppContext) -> None:
    session = new_pb_visit(app)
    tick(session, "gen.fear", "Keek steeds naar de deur en antwoordde niet zelf.")
    assert slugs(session)["gen.fear"] == "L"
    session.answer("PB-05", "no")
    dismiss(session, "sex.no_manager_present", "Beheerder kwam tijdens het bezoek binnen.")
    assert "sex.no_manager_present" not in slugs(session)
    reopened = VisitSession(app, session.visit_id)
    dismissed = reopened.observations[("sex.no_manager_present", "auto")]
    assert dismissed.dismissed and (dismissed.dismiss_reason or "").startswith("Beheerder")
    actions = [
        r[0] for r in app.db.execute("SELECT action FROM audit_log WHERE visit_id = ?", [session.visit_id])
    ]
    assert "indicator.ticked" in actions and "indicator.dismissed" in actions
    # the dismissal survives the answer being changed back and forth
    reopened.answer("PB-05", "yes")
    reopened.answer("PB-05", "no")
    assert "sex.no_manager_present" not in slugs(reopened)


@pytest.mark.parametrize(
    ("action", "error"),
    [
        (lambda s: s.answer_text("PB-99", "ja"), NotFoundError),
        (lambda s: s.answer_text("PB-05", "misschien"), InvalidInputError),
        (lambda s: s.answer_text("H-04a", "twee"), InvalidInputError),
        (lambda s: s.answer_text("H-04a", "0"), InvalidInputError),  # constraint: at least 1
        (lambda s: s.answer_text("PB-19", "ja"), InvalidInputError),  # person question without [n]
        (lambda s: s.answer_text("PB-19[5]", "ja"), NotFoundError),  # person 5 does not exist
        (lambda s: s.answer_text("PB-05[1]", "ja"), InvalidInputError),
        (lambda s: s.answer_text("H-01", "soms"), InvalidInputError),
        (lambda s: s.answer_text("H-02a", "2026-13-40"), InvalidInputError),
        (lambda s: tick(s, "gen.unknown", "note"), NotFoundError),
        (lambda s: tick(s, "gen.fear", "  "), InvalidInputError),
        (lambda s: dismiss(s, "gen.fear", "reden"), NotFoundError),
        (lambda s: dismiss(s, "gen.fear", ""), InvalidInputError),
    ],
)
def test_bad_input_changes_nothing(app: AppContext, action: object, error: type[AppError]) -> None:
    session = new_pb_visit(app)
    before = dump(app)
    with pytest.raises(error):
        action(session)  # type: ignore[operator]
    assert dump(app) == before


def test_finalize_refuses_with_open_required_then_locks(app: AppContext) -> None:
    session = new_pb_visit(app)
    before = dump(app)
    with pytest.raises(FinalizeRefusedError) as refused:
        finalize_visit(session)
    assert "PB-01" in refused.value.missing
    assert dump(app) == before
    for ref in refused.value.missing:
        session.answer(ref, _any_value(session.form.questions[ref.split("[")[0]]))
    changes = finalize_visit(session)
    assert changes.status_changed and session.is_final
    with pytest.raises(ConflictStateError):
        session.answer("PB-05", "no")
    with pytest.raises(ConflictStateError):
        finalize_visit(session)
    revision = app.db.execute(
        "SELECT kind, content_sha256 FROM visit_revisions WHERE id = ?", [session.visit.head_rev]
    ).fetchone()
    assert revision[0] == "final" and len(revision[1]) == 64 and revision[1] == session.content_hash()


def test_addendum_on_final_visit_keeps_history(app: AppContext) -> None:
    session = new_pb_visit(app)
    missing, _problems = session.open_problems()
    for ref in missing:
        question = session.form.questions[ref.split("[")[0]]
        session.answer(ref, _any_value(question))
    finalize_visit(session)
    final_rev = session.visit.head_rev
    with pytest.raises(InvalidInputError):
        amend_visit(session, "PB-05", "no", "  ")
    amend_visit(session, "PB-05", "no", "Beheerder bleek niet aanwezig; verkeerd aangeklikt.")
    revisions = visit_detail(session)["revisions"]
    assert [r["kind"] for r in revisions] == ["final", "addendum"]
    assert revisions[1]["base"] == final_rev and revisions[1]["reason"].startswith("Beheerder")
    assert revisions[1]["content_sha256"] != revisions[0]["content_sha256"]
    assert session.is_final and "sex.no_manager_present" in slugs(session)


def test_finalize_drafts_referrals_from_advice_and_followup(app: AppContext) -> None:
    session = new_pb_visit(app)
    session.answer("P-ROLE[1]", "sex_worker")
    session.answer("PB-20[1]", "no")
    for ref in session.open_problems()[0]:
        session.answer(ref, _any_value(session.form.questions[ref.split("[")[0]]))
    changes = finalize_visit(session)
    referrals = visit_detail(session)["referrals"]
    assert changes.referrals
    contact = [r for r in referrals if r["recipient"] == "contact_person"]
    assert contact and "gen.id_held_by_other" in contact[0]["slugs"] and contact[0]["status"] == "draft"


def test_reopening_shows_exactly_the_saved_state(app: AppContext) -> None:
    session = new_pb_visit(app)
    session.answer("PB-05", "no")
    session.answer("P-ROLE[1]", "sex_worker")
    session.set_note("PB-05", "Alleen een schoonmaker aanwezig.")
    detail = visit_detail(session)
    assert visit_detail(open_visit(app, session.visit_id[:8])) == detail
    assert detail["notes"] == {"PB-05": "Alleen een schoonmaker aanwezig."}


def test_session_notices_changes_made_by_another_process(app: AppContext) -> None:
    from inspector_app.services.app import open_app

    session = new_pb_visit(app)
    other = open_app(app.paths.data_dir)
    VisitSession(other, session.visit_id).answer("PB-05", "no")
    other.close()
    session.answer("PB-01", "yes")  # must see the other write, not overwrite it with stale state
    assert session.value("PB-05") == "no"
    assert "sex.no_manager_present" in slugs(session)


def _any_value(question: object) -> AnswerValue:
    from inspector_app.forms.model import Question, QuestionType

    assert isinstance(question, Question)
    if question.type in (QuestionType.YESNO, QuestionType.SINGLE):
        return "yes" if question.type is QuestionType.YESNO else question.choices[0].value
    if question.type is QuestionType.MULTIPLE:
        return [question.choices[0].value]
    if question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
        return 1
    if question.type is QuestionType.TIME:
        return "23:00"
    if question.type is QuestionType.DATE:
        return "2026-11-20"
    return "Feitelijke notitie."
