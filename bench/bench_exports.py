"""Office-scale export benchmark (issue 14): `export visits` to CSV and XLSX, and `visits list` first pages.

Run as `.venv/bin/python bench/bench_exports.py [--visits N] [--store DIR] [--runs N]`. It fills a
practice store with `demo --visits N` synthetic visits (default 100,000; `--store DIR` keeps the store
for the next run, as generating it takes minutes), then prints, each as the median of `--runs` runs:

- the visits export to CSV beside its floor: the csv module writing the same rows from one bare SELECT
  of the same columns (no labels, no temporary file, no rename); target at most 3x the floor;
- the visits export to XLSX beside openpyxl's write-only mode writing those bare rows; target 3x;
- the first page (50 rows) of `visits list` with several filters; target at most 200 ms each.

Nothing is asserted; the figures are printed beside their floors and targets.
"""

from __future__ import annotations

import argparse
import csv
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from inspector_app.services import exports
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.demo.generator import create_demo_visits
from inspector_app.services.visits import VisitFilter, find_visits
from inspector_app.storage.exports import VISIT_EXPORT_SQL

EXPORT_FACTOR = 3.0
LIST_TARGET_MS = 200.0
PAGE = 50
LIST_FILTERS = {
    "geen filter": VisitFilter(limit=PAGE),
    "--location-type PB": VisitFilter(location_type="PB", limit=PAGE),
    "--status draft": VisitFilter(status="draft", limit=PAGE),
    "--has-high": VisitFilter(has_high=True, limit=PAGE),
    "--since/--until (kwartaal)": VisitFilter(since="2026-04-01", until="2026-07-01", limit=PAGE),
    "--referral-status sent": VisitFilter(referral_status="sent", limit=PAGE),
    "--search 'Club'": VisitFilter(search="Club", limit=PAGE),
}


def paired_medians(ours: Callable[[], object], floor: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of each, run in turn (after one warm-up round), so a busy machine slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for round_number in range(runs + 1):
        for index, work in enumerate((ours, floor)):
            start = time.perf_counter()
            work()
            if round_number:
                times[index].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def csv_floor(app: AppContext, target: Path) -> None:
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(app.db.execute(VISIT_EXPORT_SQL.format(where="")))


def xlsx_floor(app: AppContext, target: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("floor")
    for row in app.db.execute(VISIT_EXPORT_SQL.format(where="")):
        sheet.append(list(row))
    workbook.save(str(target))


def prepared_store(visits: int, store: Path | None) -> AppContext:
    folder = store or Path(tempfile.mkdtemp(prefix="bench-exports-"))
    app = open_app(folder, practice=True)
    have = int(app.db.execute("SELECT count(*) FROM visits").fetchone()[0])
    if have < visits:
        started = time.perf_counter()
        create_demo_visits(app, visits - have, seed=14 + have)
        print(
            f"demo --visits {visits - have}: {time.perf_counter() - started:.0f} s (not part of the figures)"
        )
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="keep (and reuse) the practice store in this folder")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = prepared_store(args.visits, args.store)
    total = int(app.db.execute("SELECT count(*) FROM visits").fetchone()[0])
    print(f"store: {total} visits")
    out = Path(tempfile.mkdtemp(prefix="bench-exports-out-"))
    everything = VisitFilter()
    for fmt, floor, floor_name in (
        (exports.ExportFormat.CSV, csv_floor, "csv.writer from one bare SELECT"),
        (exports.ExportFormat.XLSX, xlsx_floor, "openpyxl write-only from one bare SELECT"),
    ):
        target = out / f"visits.{fmt.value}"
        ours = median_seconds(
            functools.partial(exports.export_visits, app, everything, fmt, target), args.runs
        )
        bare = median_seconds(functools.partial(floor, app, out / f"floor.{fmt.value}"), args.runs)
        ratio = ours / bare
        verdict = "ok" if ratio <= EXPORT_FACTOR else "TOO SLOW"
        print(
            f"export visits --format {fmt.value} ({total} rows): {ours * 1000:.0f} ms;"
            f" floor ({floor_name}) {bare * 1000:.0f} ms; {ratio:.2f}x (target <= {EXPORT_FACTOR:.0f}x) {verdict}"
        )
    for name, visit_filter in LIST_FILTERS.items():
        seconds = median_seconds(functools.partial(find_visits, app, visit_filter), args.runs)
        verdict = "ok" if seconds * 1000 <= LIST_TARGET_MS else "TOO SLOW"
        print(
            f"visits list {name}, first page of {PAGE}: {seconds * 1000:.1f} ms (target <= {LIST_TARGET_MS:.0f} ms) {verdict}"
        )
    app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
