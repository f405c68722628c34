"""An open visit's incrementally kept outcome (only the rules an answer can change re-run) gives exactly
what a fresh evaluation gives, through the session and its storage."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.forms.model import QuestionType
from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.signals.rules import run_rules


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(1, 4), st.integers(0, 2)), min_size=1, max_size=40
    )
)
def test_incremental_outcome_equals_fresh_evaluation(
    app: AppContext, steps: list[tuple[int, int, int]]
) -> None:
    session = VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Cache"))))
    form = session.form
    top = [q for q in form.questions.values() if not q.repeat and q.type is QuestionType.YESNO]
    person = [q for q in form.questions.values() if q.repeat and q.type is QuestionType.YESNO]
    roles = [role.value for role in form.roles]
    for number in range(1, 5):
        session.answer(f"P-ROLE[{number}]", roles[number % len(roles)])
    for pick, number, choice in steps:
        value = ("yes", "no", "unknown")[choice]
        if pick % 3 == 0:
            session.answer(top[pick % len(top)].id, value)
        elif pick % 3 == 1:
            session.answer(f"{person[pick % len(person)].id}[{number}]", value)
        else:
            session.answer(f"P-ROLE[{number}]", roles[pick % len(roles)])
    fresh = run_rules(form, session.answer_set())
    assert session.outcome.indicators == fresh.indicators
    assert session.outcome.findings == fresh.findings
    assert session.outcome.acute_rules == fresh.acute_rules
    assert session.outcome.state == fresh.state
