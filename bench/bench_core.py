"""Core benchmark: answer write latency (10 and 100 persons), visit load and bulk demo, beside their floor.

Run as `.venv/bin/python bench/bench_core.py [--quick]`. Everything happens in a temporary data
folder that is removed afterwards. Figures are printed next to their target and next to what bare
`sqlite3` achieves with the same pragmas (WAL, synchronous=FULL); nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from inspector_app.errors import AppError
from inspector_app.forms.loader import load_all_forms
from inspector_app.forms.model import PERSON_ROLE_QUESTION, FormDefinition, Question, QuestionType
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visit.detail import visit_detail
from inspector_app.services.visit.session import VisitSession
from inspector_app.services.visits import LocationInput, NewVisit, start_visit

ANSWER_FORM = "labour_migrant_housing"
PERSONS = 100
SMALL_PERSONS = 10
SCALING_TARGET = 1.5
TIMED_ANSWERS = 500
LOADS = 20
COMMITS = 500
ANSWER_P95_TARGET_MS = 5.0
LOAD_TARGET_MS = 50.0
COUNTED_TABLES = ("answers", "visits", "persons", "indicator_observations", "audit_log")

ROW_SQL = (
    "CREATE TABLE rows (visit_id TEXT NOT NULL, question_id TEXT NOT NULL, person_number INTEGER NOT NULL,"
    " value TEXT, note TEXT NOT NULL, updated_at TEXT NOT NULL)"
)
INSERT_SQL = "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)"


# ---------------------------------------------------------------------------------------- helpers


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def line(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<34} {value:>14}   {note}".rstrip())


def bare_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute(ROW_SQL)
    return connection


def similar_rows(count: int) -> Iterator[tuple[Any, ...]]:
    """Rows as wide as an answer row: a visit uuid, a question id, a JSON value, a timestamp."""
    for index in range(count):
        yield (
            f"{index // 70:08x}-0b1c-4d2e-9f3a-{index // 70:012x}",
            f"PB-{index % 40:02d}",
            index % 7,
            '"no"' if index % 3 else '"waarneming ter plaatse"',
            "",
            "2026-03-01T10:15:00.000Z",
        )


def bulk_insert_floor(folder: Path, count: int) -> float:
    """Seconds to insert `count` rows with executemany in one transaction (WAL, FULL)."""
    path = folder / f"floor-{uuid.uuid4().hex}.sqlite3"
    connection = bare_connection(path)
    start = time.perf_counter()
    connection.execute("BEGIN")
    connection.executemany(INSERT_SQL, similar_rows(count))
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    path.unlink()
    return elapsed


def single_commit_floor(folder: Path, commits: int) -> list[float]:
    """Latency of one-row transactions (WAL, FULL): the floor of one answer write."""
    rows = list(similar_rows(commits))
    connection = bare_connection(folder / "commit-floor.sqlite3")
    timings = []
    for row in rows:
        start = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute(INSERT_SQL, row)
        connection.execute("COMMIT")
        timings.append(time.perf_counter() - start)
    connection.close()
    return timings


def timed(function: Callable[[], Any], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return timings


def database_megabytes(app: AppContext) -> tuple[float, float]:
    """Size of the database file after a checkpoint, and of the WAL before it."""
    database = app.paths.database
    wal = database.with_name(database.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    app.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return database.stat().st_size / 1e6, wal_size / 1e6


# -------------------------------------------------------------------------------- answer session


def flippable(question: Question) -> bool:
    return question.type is QuestionType.YESNO and question.constraint is None


def build_visit(
    app: AppContext, form: FormDefinition, rng: random.Random, persons: int = PERSONS
) -> tuple[str, int, float]:
    """A visit with `persons` persons: persons by P-ROLE[n], then every yes/no person question for each."""
    visit_id = start_visit(
        app, NewVisit(form=form.id, location=LocationInput(name="Bench Locatie", postcode="1234 AB"))
    )
    session = VisitSession(app, visit_id)
    role = form.roles[0].value
    person_questions = [q for q in form.questions.values() if q.repeat and flippable(q)]
    top_questions = [q for q in form.questions.values() if not q.repeat and flippable(q)]
    writes = 0
    start = time.perf_counter()
    for question in top_questions:
        session.answer(question.id, "yes" if rng.random() < 0.8 else "no")
        writes += 1
    for number in range(1, persons + 1):
        session.answer(f"{PERSON_ROLE_QUESTION}[{number}]", role)
        writes += 1
        for question in person_questions:
            try:
                session.answer(f"{question.id}[{number}]", "yes" if rng.random() < 0.15 else "no")
            except AppError:
                continue
            writes += 1
    return visit_id, writes, time.perf_counter() - start


def time_answers(
    app: AppContext, form: FormDefinition, visit_id: str, rng: random.Random
) -> tuple[list[float], list[float]]:
    """~500 answers alternating visit-level and person questions, each flipping the stored value.

    Returns wall-clock and CPU (process) seconds per answer: on a shared machine the wall-clock tail
    is mostly waiting for the disk and for other processes, the CPU time is the app's own work.
    """
    session = VisitSession(app, visit_id)
    top = [q.id for q in form.questions.values() if not q.repeat and flippable(q)]
    person = [q.id for q in form.questions.values() if q.repeat and flippable(q)]
    numbers = sorted(session.persons)
    timings: list[float] = []
    cpu: list[float] = []
    for index in range(TIMED_ANSWERS):
        if index % 2 == 0 or not person:
            ref = rng.choice(top)
        else:
            ref = f"{rng.choice(person)}[{rng.choice(numbers)}]"
        value = "no" if session.value(ref) == "yes" else "yes"
        start, start_cpu = time.perf_counter(), time.process_time()
        changes = session.answer(ref, value)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if changes.nothing:
            raise RuntimeError(f"answer {ref}={value} did not write")
    return timings, cpu


# ------------------------------------------------------------------------------------------ main


def count_rows(app: AppContext) -> dict[str, int]:
    return {
        table: int(app.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in COUNTED_TABLES
    }


def main() -> int:
    if not os.environ.get("INSPECTOR_APP_PASSPHRASE_FILE"):  # the encrypted store, without an OS key store
        secret = Path(tempfile.mkdtemp(prefix="bench-passphrase-")) / "passphrase"
        secret.write_text("bench-passphrase-not-secret\n", encoding="utf-8")
        os.environ["INSPECTOR_APP_PASSPHRASE_FILE"] = str(secret)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller demo (5,000 visits) and floors")
    args = parser.parse_args()
    demo_count = 5_000 if args.quick else 100_000
    floor_rows = 20_000 if args.quick else 200_000
    rng = random.Random(2026)

    forms = load_all_forms()
    if not forms:
        print("No checklist definitions found in forms/; nothing to measure.")
        return 1
    form = max(forms.values(), key=lambda f: (len(f.questions), f.id))
    summary: list[tuple[str, str, str]] = []

    print(f"inspector_app core benchmark ({'quick' if args.quick else 'full'} mode)")
    print(f"  python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cpu(s)")
    print(f"  forms: {', '.join(f'{f.id} ({len(f.questions)} q)' for f in forms.values())}")
    print(f"  largest checklist: {form.id} with {len(form.questions)} questions")

    with tempfile.TemporaryDirectory(prefix="inspector-bench-") as tmp:
        folder = Path(tmp)

        print("\nFLOOR: bare sqlite3, WAL + synchronous=FULL, answer-wide rows, table without indexes")
        seconds = bulk_insert_floor(folder, floor_rows)
        line(f"insert {floor_rows:,} rows, 1 tx", f"{floor_rows / seconds:,.0f} rows/s", f"({seconds:.2f} s)")
        commits = single_commit_floor(folder, COMMITS)
        commit_p50, commit_p95 = percentile(commits, 0.5), percentile(commits, 0.95)
        line(f"single-row commit ({COMMITS}x) p50", ms(commit_p50))
        line("single-row commit p95", ms(commit_p95))

        answer_form = forms.get(ANSWER_FORM, form)
        app = open_app(folder / "session")
        try:
            p95_by_persons: dict[int, float] = {}
            cpu_p95_by_persons: dict[int, float] = {}
            for persons in (SMALL_PERSONS, PERSONS):
                print(f"\nANSWER WRITE: {answer_form.id}, {persons} persons")
                visit_id, writes, setup_seconds = build_visit(app, answer_form, rng, persons)
                line(
                    "setup answers (persons + yes/no)",
                    f"{writes:,} writes",
                    f"({setup_seconds:.1f} s, {setup_seconds / writes * 1000:.2f} ms each)",
                )
                stored = app.db.execute(
                    "SELECT count(*) FROM answers WHERE visit_id = ?", [visit_id]
                ).fetchone()[0]
                line("answers stored in the visit", f"{stored:,}")
                timings, cpu = time_answers(app, answer_form, visit_id, rng)
                cpu_p50, cpu_p95 = percentile(cpu, 0.5), percentile(cpu, 0.95)
                cpu_p95_by_persons[persons] = cpu_p95
                p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
                p95_by_persons[persons] = p95
                line(
                    f"answer + re-evaluate ({len(timings)}x) p50",
                    ms(p50),
                    f"(floor single commit {ms(commit_p50)})",
                )
                line(
                    "answer + re-evaluate p95",
                    ms(p95),
                    f"(target <= {ANSWER_P95_TARGET_MS:g} ms; floor {ms(commit_p95)})",
                )
                line("answer + re-evaluate max", ms(max(timings)))
                line("answer CPU time p50 / p95", f"{ms(cpu_p50)} / {ms(cpu_p95)}", "(the app's own work)")
                summary.append(
                    (
                        f"answer write p95, {persons} persons",
                        ms(p95),
                        f"(target <= {ANSWER_P95_TARGET_MS:g} ms; floor single commit p95 {ms(commit_p95)})",
                    )
                )
                summary.append(
                    (
                        f"answer write p50, {persons} persons",
                        ms(p50),
                        f"(floor single commit p50 {ms(commit_p50)})",
                    )
                )
            ratio = p95_by_persons[PERSONS] / p95_by_persons[SMALL_PERSONS]
            cpu_ratio = cpu_p95_by_persons[PERSONS] / cpu_p95_by_persons[SMALL_PERSONS]
            summary.append(
                (
                    f"answer p95 {PERSONS} / {SMALL_PERSONS} persons",
                    f"{ratio:.2f}x",
                    f"(target <= {SCALING_TARGET:g}x: an answer costs what it touches; CPU p95 {cpu_ratio:.2f}x)",
                )
            )

            print(f"\nVISIT LOAD: {PERSONS}-person visit, median of {LOADS}")
            loads = timed(lambda: VisitSession(app, visit_id), LOADS)
            session = VisitSession(app, visit_id)
            details = timed(lambda: visit_detail(session), LOADS)
            load = statistics.median(loads)
            detail = statistics.median(details)
            line("VisitSession(app, id) median", ms(load), f"(target <= {LOAD_TARGET_MS:g} ms)")
            line("VisitSession(app, id) max", ms(max(loads)))
            line("visit_detail(session) median", ms(detail))
            line("load + detail median", ms(load + detail))
            summary.append(("visit load median", ms(load), f"(target <= {LOAD_TARGET_MS:g} ms)"))
            summary.append(("visit_detail median", ms(detail), ""))
        finally:
            app.close()

        print(f"\nDEMO: create_demo_visits(app, {demo_count:,})")
        app = open_app(folder / "demo")
        try:
            start = time.perf_counter()
            report = create_demo_visits(app, demo_count)
            demo_seconds = time.perf_counter() - start
            rows = count_rows(app)
            total_rows = sum(rows.values())
            database_mb, wal_mb = database_megabytes(app)
        finally:
            app.close()
        line("time", f"{demo_seconds:.1f} s", f"({report.visits / demo_seconds:,.0f} visits/s)")
        line("final / with signals", f"{report.final:,} / {report.with_signals:,}")
        line("rows written", f"{total_rows:,}", ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        line("rows/s through the app", f"{total_rows / demo_seconds:,.0f} rows/s")
        line("database size", f"{database_mb:.1f} MB", f"(WAL before checkpoint {wal_mb:.1f} MB)")
        floor_seconds = bulk_insert_floor(folder, total_rows)
        line(
            f"floor: {total_rows:,} bare rows, 1 tx",
            f"{floor_seconds:.2f} s",
            f"({total_rows / floor_seconds:,.0f} rows/s)",
        )
        summary.append(
            (
                f"demo {demo_count:,} visits",
                f"{demo_seconds:.1f} s",
                f"({report.visits / demo_seconds:,.0f} visits/s, {database_mb:.1f} MB;"
                f" floor {total_rows:,} bare rows {floor_seconds:.2f} s)",
            )
        )

    print("\nSUMMARY")
    for label, value, note in summary:
        line(label, value, note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
