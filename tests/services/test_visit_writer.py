"""One writer of a visit: use cases report everything they changed, and only the session writes it.

`VisitSession.commit` is the only place that writes a visit's observations and summary columns; the
use cases build a ledger diff and hand it over. `add_person` reports what its inner answers changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import inspector_app
from inspector_app.domain.model import AdviceLevel
from inspector_app.services.app import AppContext
from inspector_app.services.changes import Changes
from inspector_app.services.visit.persons import add_person, remove_person
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.visits import get_visit
from tests.services.test_visit_session import new_pb_visit

PACKAGE = Path(inspector_app.__file__).parent
OBSERVATION_WRITES = re.compile(
    r"\b(insert_observation|update_observation|set_dismissal)\(|\bobservations(_repo)?\.set_note\(|"
    r"from inspector_app\.storage\.observations import"
)
SESSION_INTERNALS = re.compile(r"\bsession\.(_\w+|observations\s*\[.*\]\s*=|observations\s*=|finish_write)")
OBSERVATION_WRITERS = {"services/visit/session.py", "storage/observations.py"}


def pb_session(app: AppContext) -> VisitSession:
    return new_pb_visit(app)


def test_add_person_reports_what_its_answers_raised(app: AppContext) -> None:
    """Regression: add_person returned only `persons=(1,)`, so the UI missed the raised gen.minor."""
    session = pb_session(app)
    number, changes = add_person(session, "sex_worker", age_band="under_18", languages="ro")
    assert number == 1
    assert changes.persons == (1,)
    assert changes.answers == ("P-ROLE[1]", "P-AGE[1]", "P-LANG[1]")
    assert "gen.minor" in changes.indicators_added
    assert changes.observations_changed
    assert changes.saved_at


def test_add_and_remove_a_person_without_answers(app: AppContext) -> None:
    session = pb_session(app)
    number, changes = add_person(session)
    assert (number, changes.persons, changes.answers) == (1, (1,), ())
    assert session.persons[1].code.startswith("P-2026-")
    assert VisitSession(app, session.visit_id).persons.keys() == {1}
    removed = remove_person(session, 1)
    assert removed.persons == (1,)
    assert VisitSession(app, session.visit_id).persons == {}


def test_changes_merge_keeps_order_without_repeats_and_the_later_time() -> None:
    first = Changes("v", "2026-11-20T21:30:00Z", answers=("A",), persons=(1,), indicators_added=("x",))
    second = Changes(
        "v",
        "2026-11-20T21:31:00Z",
        answers=("B", "A"),
        indicators_removed=("y",),
        status_changed=True,
        referrals=("r",),
    )
    merged = first | second
    assert merged == Changes(
        "v",
        "2026-11-20T21:31:00Z",
        answers=("A", "B"),
        persons=(1,),
        indicators_added=("x",),
        indicators_removed=("y",),
        status_changed=True,
        referrals=("r",),
    )
    with pytest.raises(ValueError, match="cannot merge"):
        first | Changes("w")


def test_a_new_visit_stores_what_its_header_raises_as_a_later_answer_would(app: AppContext) -> None:
    """MS-14 (a locked-in person) raises an H indicator whose advice is ACUTE although no rule is acute:
    the visit list's acute flag and the audit trail of a new visit follow the session's rules."""
    visit_id = start_visit(
        app,
        NewVisit(
            form="MS",
            location=LocationInput("Salon Test", "Teststraat 2", "1234 AB", "Westerdam"),
            extra_answers={"MS-14b": "yes"},
        ),
    )
    visit = get_visit(app.db, visit_id)
    assert visit is not None
    session = VisitSession(app, visit_id)
    assert any(advice.level is AdviceLevel.ACUTE for advice in session.advice())
    assert visit.acute and visit.count_h == 1
    raised = [
        str(row[0])
        for row in app.db.execute(
            "SELECT entity_id FROM audit_log WHERE visit_id = ? AND action = 'indicator.raised'", [visit_id]
        )
    ]
    assert sorted(raised) == sorted(row.id for row in session.observations.values())


def test_only_the_session_writes_observations_and_no_one_reaches_into_it() -> None:
    writers, reachers = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        if OBSERVATION_WRITES.search(text) and name not in OBSERVATION_WRITERS:
            writers.append(name)
        if SESSION_INTERNALS.search(text) and name != "services/visit/session.py":
            reachers.append(name)
    assert writers == []
    assert reachers == []
