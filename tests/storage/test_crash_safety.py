"""Crash safety: SIGKILL a writer at a random moment; every save that returned must be on disk.

A child process writes answers through `VisitSession.answer` and prints one line after each call has
returned. The parent kills it with SIGKILL at a random point, then reopens the database and checks
that it is intact, that every printed write is stored exactly (the one write in flight may or may not
have landed, never partly), and that the audit chain still verifies. A second test kills the bulk
demo generator in the middle of writing a chunk and checks that only whole chunks are stored.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.model import PERSON_ROLE_QUESTION, FormDefinition, QuestionType
from inspector_app.services.app import open_app
from inspector_app.services.demo.generator import CHUNK, create_demo_visits
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit
from inspector_app.storage.audit import verify_chain
from tests.kill import SIGKILL_TESTS

pytestmark = SIGKILL_TESTS

WRITES = 1000
PERSONS = 5
CHILD_TIMEOUT = 120.0

ANSWER_CHILD = """
import json, sys
from inspector_app.services.app import open_app
from inspector_app.services.visit.session import VisitSession

data_dir, visit_id, plan_file = sys.argv[1:4]
plan = json.loads(open(plan_file, encoding="utf-8").read())
app = open_app(data_dir)
session = VisitSession(app, visit_id)
print("ready", flush=True)
for index, (ref, value) in enumerate(plan):
    session.answer(ref, value)
    sys.stdout.write(json.dumps([index, ref, value]) + "\\n")
    sys.stdout.flush()
print("done", flush=True)
"""

DEMO_CHILD = """
import sys
from inspector_app.services.app import open_app
from inspector_app.services.demo.generator import create_demo_visits

data_dir, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = open_app(data_dir)
transactions = 0

def trace(statement):
    global transactions
    if statement == "BEGIN":
        transactions += 1
        print("begin", transactions, flush=True)
    elif statement == "COMMIT":
        print("commit", transactions, flush=True)

app.db.conn.set_trace_callback(trace)
create_demo_visits(app, count, seed=seed)
print("done 0", flush=True)
"""


def _form() -> FormDefinition:
    forms = load_all_forms()
    assert forms, "the shipped checklist definitions in forms/ were not found"
    return forms[sorted(forms)[0]]


def _plan(form: FormDefinition, initial: dict[str, Any], seed: int) -> list[tuple[str, Any]]:
    """1,000 writes, each one changing the stored value: persons, yes/no flips, growing texts."""
    rng = random.Random(seed)

    def pick(repeat: bool, qtype: QuestionType, limit: int) -> list[str]:
        return [
            q.id
            for q in form.questions.values()
            if q.repeat is repeat
            and q.type is qtype
            and q.constraint is None
            and q.id != PERSON_ROLE_QUESTION
        ][:limit]

    top_flags = pick(False, QuestionType.YESNO, 8)
    top_texts = pick(False, QuestionType.TEXT, 2)
    person_flags = pick(True, QuestionType.YESNO, 4)
    person_texts = pick(True, QuestionType.TEXT, 1)
    assert top_flags and top_texts, "the test needs yes/no and text questions without constraint"
    role = form.roles[0].value
    plan: list[tuple[str, Any]] = [(f"{PERSON_ROLE_QUESTION}[{n}]", role) for n in range(1, PERSONS + 1)]
    refs = [*top_flags, *top_texts]
    for n in range(1, PERSONS + 1):
        refs += [f"{q}[{n}]" for q in (*person_flags, *person_texts)]
    text_refs = set(top_texts) | {r for r in refs if r.split("[")[0] in person_texts}
    current = dict(initial)
    while len(plan) < WRITES:
        ref = rng.choice(refs)
        if ref in text_refs:
            value: Any = f"waarneming {len(plan)}"
        else:
            value = "no" if current.get(ref) == "yes" else "yes"
        current[ref] = value
        plan.append((ref, value))
    return plan


def _state(initial: dict[str, Any], plan: list[tuple[str, Any]], writes: int) -> dict[str, Any]:
    state = dict(initial)
    for ref, value in plan[:writes]:
        state[ref] = value
    return state


def _kill(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _read_line(process: subprocess.Popen[str], stderr: Path, deadline: float) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=30)
        pytest.fail(f"child ended early (exit {process.returncode}):\n{stderr.read_text()}")
    if time.monotonic() > deadline:
        _kill(process)
        pytest.fail("child took too long")
    return line.strip()


def _check_database(data_dir: Path) -> Any:
    app = open_app(data_dir)
    assert app.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert app.db.execute("PRAGMA foreign_key_check").fetchall() == []
    chain = verify_chain(app.db)
    assert chain.ok, chain
    return app


@pytest.mark.parametrize("seed", [11, 2026, 90210])
def test_sigkill_during_answers_keeps_every_returned_write(tmp_path: Path, seed: int) -> None:
    data_dir = tmp_path / "data"
    form = _form()
    app = open_app(data_dir)
    visit_id = start_visit(app, NewVisit(form=form.id, location=LocationInput(name="Club Crashtest")))
    session = VisitSession(app, visit_id)
    initial = {q.id: session.value(q.id) for q in form.questions.values() if not q.repeat}
    app.close()
    plan = _plan(form, initial, seed)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")

    rng = random.Random(seed)
    kill_after = rng.randint(50, 900)
    extra_delay = rng.uniform(0, 0.004)
    stderr = tmp_path / "child.err"
    with stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", ANSWER_CHILD, str(data_dir), visit_id, str(plan_file)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    deadline = time.monotonic() + CHILD_TIMEOUT
    try:
        assert _read_line(process, stderr, deadline) == "ready"
        printed: list[tuple[str, Any]] = []
        while len(printed) < kill_after:
            index, ref, value = json.loads(_read_line(process, stderr, deadline))
            assert index == len(printed) and [ref, value] == list(plan[index])
            printed.append((ref, value))
        time.sleep(extra_delay)
        os.kill(process.pid, signal.SIGKILL)
        assert process.stdout is not None
        for line in process.stdout:  # lines already in the pipe: those writes returned too
            if line.strip() == "done":
                break
            index, ref, value = json.loads(line)
            assert index == len(printed) and [ref, value] == list(plan[index])
            printed.append((ref, value))
    finally:
        _kill(process)
    assert process.returncode == -signal.SIGKILL, stderr.read_text()
    returned = len(printed)
    assert returned < WRITES, "the child finished before it was killed"

    app = _check_database(data_dir)
    try:
        committed = app.db.execute(
            "SELECT count(*) FROM audit_log WHERE visit_id = ? AND action = 'answer.set'", [visit_id]
        ).fetchone()[0]
        # Every returned write is committed; at most the one write in flight landed as well.
        assert committed in (returned, returned + 1), (committed, returned)
        expected = _state(initial, plan, committed)
        stored_session = VisitSession(app, visit_id)
        stored = {ref: stored_session.value(ref) for ref in expected}
        assert stored == expected
        # The last value printed per ref is stored exactly (or the in-flight write replaced it).
        last_printed = _state(initial, plan, returned)
        for ref, value in last_printed.items():
            if committed == returned or ref != plan[returned][0]:
                assert stored[ref] == value, ref
        persons_added = sum(1 for ref, _value in plan[:committed] if ref.startswith(PERSON_ROLE_QUESTION))
        assert len(stored_session.persons) == persons_added
        audit_persons = app.db.execute(
            "SELECT count(*) FROM audit_log WHERE visit_id = ? AND action = 'person.added'", [visit_id]
        ).fetchone()[0]
        assert audit_persons == persons_added
        # The session still works on the recovered database.
        ref, value = plan[committed] if committed < WRITES else plan[-1]
        stored_session.answer(ref, value)
        assert verify_chain(app.db).ok
    finally:
        app.close()


DEMO_COUNT = 5 * CHUNK


@pytest.mark.parametrize("seed", [5, 77])
def test_sigkill_during_demo_generation_keeps_whole_chunks(tmp_path: Path, seed: int) -> None:
    _form()
    data_dir = tmp_path / "data"
    open_app(data_dir).close()
    rng = random.Random(seed)
    kill_in_transaction = rng.randint(2, DEMO_COUNT // CHUNK - 1)
    fraction = rng.random()
    stderr = tmp_path / "child.err"
    with stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", DEMO_CHILD, str(data_dir), str(DEMO_COUNT), str(seed)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    deadline = time.monotonic() + CHILD_TIMEOUT
    write_seconds: list[float] = []
    try:
        began = 0.0
        while True:
            word, number = _read_line(process, stderr, deadline).split()
            assert word != "done", "the demo finished before it was killed"
            if word == "begin" and int(number) == kill_in_transaction:
                # Kill somewhere inside this transaction, judged by how long the earlier ones took.
                time.sleep(fraction * max(write_seconds))
                os.kill(process.pid, signal.SIGKILL)
                break
            if word == "begin":
                began = time.monotonic()
            else:
                write_seconds.append(time.monotonic() - began)
    finally:
        _kill(process)
    assert process.returncode == -signal.SIGKILL, stderr.read_text()

    app = _check_database(data_dir)
    try:
        db = app.db
        visits = db.execute("SELECT count(*) FROM visits").fetchone()[0]
        assert visits % CHUNK == 0 and CHUNK <= visits < DEMO_COUNT, visits
        orphans = {
            "visits without answers": "SELECT count(*) FROM visits v WHERE NOT EXISTS"
            " (SELECT 1 FROM answers a WHERE a.visit_id = v.id)",
            "visits without revision": "SELECT count(*) FROM visits v WHERE NOT EXISTS"
            " (SELECT 1 FROM visit_revisions r WHERE r.id = v.head_rev AND r.visit_id = v.id)",
            "visits without audit row": "SELECT count(*) FROM visits v WHERE (SELECT count(*) FROM audit_log l"
            " WHERE l.visit_id = v.id AND l.action = 'visit.created') != 1",
            "audit rows without visit": "SELECT count(*) FROM audit_log l WHERE l.action = 'visit.created'"
            " AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.id = l.visit_id)",
            "answers without visit": "SELECT count(*) FROM answers a WHERE NOT EXISTS"
            " (SELECT 1 FROM visits v WHERE v.id = a.visit_id)",
            "persons without visit": "SELECT count(*) FROM persons p WHERE NOT EXISTS"
            " (SELECT 1 FROM visits v WHERE v.id = p.visit_id)",
            "locations without audit row": "SELECT count(*) FROM locations o WHERE NOT EXISTS"
            " (SELECT 1 FROM audit_log l WHERE l.entity_id = o.id AND l.action = 'location.created')",
        }
        found = {name: db.execute(sql).fetchone()[0] for name, sql in orphans.items()}
        assert found == dict.fromkeys(orphans, 0)

        # A rerun on the recovered database works and adds whole chunks again.
        create_demo_visits(app, CHUNK, seed=seed + 1)
        assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == visits + CHUNK
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert verify_chain(db).ok
    finally:
        app.close()
