"""A full disk or a read-only database gives a clear message and leaves everything as it was."""

from __future__ import annotations

import pytest

from inspector_app.services.app import AppContext
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.db import StorageWriteError
from tests.services.test_visit_session import dump


def test_disk_full_rolls_back_and_explains(app: AppContext) -> None:
    session = VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Vol"))))
    session.answer("PB-05", "yes")
    pages = app.db.execute("PRAGMA page_count").fetchone()[0]
    app.db.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" cannot grow any more
    before = dump(app)
    with pytest.raises(StorageWriteError, match="schijf is vol"):
        for number in range(1, 400):  # persons with long notes until a page must be added
            session.set_note(f"P-ROLE[{number}]", "Lange feitelijke notitie. " * 200)
    app.db.execute("PRAGMA max_page_count = 1073741823")
    after = dump(app)
    # every write that returned is kept; the failing one left nothing behind
    assert {k: v for k, v in after.items() if k not in ("answers", "persons", "audit_log", "visits")} == {
        k: v for k, v in before.items() if k not in ("answers", "persons", "audit_log", "visits")
    }
    assert app.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = VisitSession(app, session.visit_id)
    assert reopened.value("PB-05") == "yes"
    assert len(reopened.persons) == len(session.persons)
    session.answer("PB-05", "no")  # the session recovered and keeps working
    assert VisitSession(app, session.visit_id).value("PB-05") == "no"


def test_failed_answer_leaves_memory_and_disk_in_step(app: AppContext) -> None:
    session = VisitSession(app, start_visit(app, NewVisit(form="PB", location=LocationInput("Club Stap"))))
    pages = app.db.execute("PRAGMA page_count").fetchone()[0]
    app.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageWriteError):
        for number in range(1, 400):
            session.answer(f"P-ROLE[{number}]", "sex_worker")
            session.set_note(f"P-ROLE[{number}]", "x" * 3000)
    app.db.execute("PRAGMA max_page_count = 1073741823")
    stored = VisitSession(app, session.visit_id)
    assert sorted(stored.persons) == sorted(session.persons)
    assert {k: v.value for k, v in stored.answers.items()} == {k: v.value for k, v in session.answers.items()}
