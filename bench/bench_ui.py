"""Desktop benchmark: cold start to first window, opening a 100-person visit, UI time per answer.

Run as `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui.py [--quick]` (or under Xvfb without
the variable). Figures are printed beside their floor and target; nothing is asserted.
- cold start: a fresh process until the main window has been shown, with a 10,000-visit database,
  beside the floor of a bare PySide6 script showing an empty QMainWindow (target <= 1.5x floor, < 1 s);
- opening the largest visit with 100 persons (target <= 150 ms), and its persons section;
- UI-thread time from a click on a yes/no answer until the page has saved and refreshed (<= 16 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FLOOR_SCRIPT = """
import time, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 820)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

APP_SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
from inspector_app.ui.app import Launch
qt = QApplication(sys.argv)
launch = Launch(sys.argv[1], on_ready=lambda: (print("ready", flush=True), qt.quit()),
                on_shown=lambda: print("shown", flush=True))
qt.exec()
"""

ANSWER_TARGET_MS = 16.0
OPEN_TARGET_MS = 150.0


def time_process(
    script: str, *args: str, runs: int, marks: tuple[str, ...] = ("shown",)
) -> dict[str, list[float]]:
    """Wall seconds from starting a Python process until it prints each of `marks`."""
    times: dict[str, list[float]] = {mark: [] for mark in marks}
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdout=subprocess.PIPE,
            text=True,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() in times:
                times[line.strip()].append(time.perf_counter() - started)
        process.wait(timeout=60)
    return times


def row(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<44}{value:>12}   {note}".rstrip())


def main() -> int:
    if not os.environ.get("INSPECTOR_APP_PASSPHRASE_FILE"):  # the encrypted store, without an OS key store
        secret = Path(tempfile.mkdtemp(prefix="bench-passphrase-")) / "passphrase"
        secret.write_text("bench-passphrase-not-secret\n", encoding="utf-8")
        os.environ["INSPECTOR_APP_PASSPHRASE_FILE"] = str(secret)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 visits and fewer runs")
    args = parser.parse_args()
    visits = 1_000 if args.quick else 10_000
    runs = 3 if args.quick else 7

    from PySide6.QtWidgets import QApplication

    from inspector_app.services.app import open_app
    from inspector_app.services.demo.generator import create_demo_visits
    from inspector_app.services.visit.session import VisitSession
    from inspector_app.services.visits import LocationInput, NewVisit, start_visit
    from inspector_app.ui.checklist_page import ChecklistPage
    from inspector_app.ui.question_widgets import YesNoEditor

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        app = open_app(data)
        app.settings.profile.name = "Toezichthouder 1001"
        app.save_settings()
        started = time.perf_counter()
        create_demo_visits(app, visits)
        print(f"database with {visits:,} demo visits made in {time.perf_counter() - started:.1f} s\n")

        print("COLD START to first window shown (median of", runs, "runs)")
        floor = statistics.median(time_process(FLOOR_SCRIPT, runs=runs)["shown"])
        marks = time_process(APP_SCRIPT, str(data), runs=runs, marks=("shown", "ready"))
        cold, ready = statistics.median(marks["shown"]), statistics.median(marks["ready"])
        row("floor: bare PySide6 empty QMainWindow", f"{floor * 1000:.0f} ms")
        row(
            f"first window shown, {visits:,} visits",
            f"{cold * 1000:.0f} ms",
            f"({cold / floor:.2f}x floor; target <= 1.5x and < 1000 ms)",
        )
        row(
            "main window with the visit list ready", f"{ready * 1000:.0f} ms", f"({ready / floor:.2f}x floor)"
        )

        qt = QApplication.instance() or QApplication(sys.argv)
        visit_id = start_visit(app, NewVisit(form="labour_migrant_housing", location=LocationInput("Bench")))
        session = VisitSession(app, visit_id)
        person_questions = [
            q.id for s in session.form.sections if s.repeat for q in s.questions if q.type.value == "yesno"
        ]
        for number in range(1, 101):
            session.answer(f"P-ROLE[{number}]", "resident")
            for question_id in person_questions:
                session.answer(f"{question_id}[{number}]", "yes")
        page = ChecklistPage(app, "A. Jansen, 0600000000")
        page.resize(1400, 900)
        page.show()
        opens, persons_section = [], []
        repeat_section = next(s.id for s in session.form.sections if s.repeat and s.id != "personen")
        for _ in range(5 if args.quick else 15):
            started = time.perf_counter()
            page.open_visit(visit_id)
            qt.processEvents()
            opens.append(time.perf_counter() - started)
            started = time.perf_counter()
            page.view(repeat_section)
            qt.processEvents()
            persons_section.append(time.perf_counter() - started)
        print("\nOPEN the largest visit with 100 persons (median)")
        row(
            "open_visit + first paint",
            f"{statistics.median(opens) * 1000:.1f} ms",
            f"(target <= {OPEN_TARGET_MS:.0f} ms)",
        )
        row(
            "open the persons interview section",
            f"{statistics.median(persons_section) * 1000:.1f} ms",
            "(one person at a time, chosen in the section)",
        )

        page.open_visit(visit_id)
        qt.processEvents()
        timings = []
        for index in range(200):
            ref = "AH-16" if index % 2 else f"{person_questions[0]}[{index % 100 + 1}]"
            page.jump_to(ref)  # the question is on screen, as when an inspector answers it
            qt.processEvents()
            widget = page.widget(ref)
            assert widget is not None and isinstance(widget.editor, YesNoEditor)
            value = "no" if (index // 2) % 2 else "yes"
            started = time.perf_counter()
            widget.editor.buttons[value].click()
            qt.processEvents()
            timings.append(time.perf_counter() - started)
        timings.sort()
        print("\nANSWER in the UI: click on yes/no until saved, re-evaluated and repainted (200 clicks;")
        print("  half of them visit-level answers that raise or clear a signal, so panel and banner repaint)")
        row("UI-thread time p50", f"{timings[100] * 1000:.2f} ms")
        row("UI-thread time p95", f"{timings[190] * 1000:.2f} ms", f"(target <= {ANSWER_TARGET_MS:.0f} ms)")
        page.close()
        page.deleteLater()
        qt.processEvents()
        app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
