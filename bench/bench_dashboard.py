"""Office-scale dashboard: the five figures of one year on a store of 100,000 visits, beside the floor.

Run as `.venv/bin/python bench/bench_dashboard.py [--visits N]`. The store is made in a temporary
folder with the app's own schema (open_app runs the migrations). The demo generator (`demo`) fills
every answer of every checklist and takes about 7 ms a visit, so 100,000 visits would take over ten
minutes; the dashboard reads no answers, so this script writes the rows the figures read in bulk
with executemany in one transaction: 2,000 locations, the visits spread over two years back from
today, 0 to 6 indicator observations a visit (auto and manual, some dismissed, weights from the
catalogue) and referrals for about a fifth of the visits, with a sent date for most of them. The
schema's triggers (migration 013) fill the statistics tables as the rows go in. No ANALYZE: the
app runs none, so the query plans are those of a real store.

Printed: the wall-clock and CPU time (time.process_time: the machine is shared, so the wall
figure also holds other processes' turns) of `build_dashboard` for the last full year, median of 7
runs after one warm-up, beside the floor: the issue's target of 300 ms (issue 14). Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.model import LocationType, Recipient
from inspector_app.services.app import AppContext, open_app
from inspector_app.services.statistics import Period, build_dashboard

TARGET_MS = 300.0
RUNS = 7
LOCATIONS = 2000
AT = "2026-01-01T00:00:00.000Z"


def fill_store(app: AppContext, visits: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    catalogue = load_catalogue()
    slugs = [(slug, indicator.weight.value) for slug, indicator in sorted(catalogue.indicators.items())]
    types = list(LocationType)
    locations = [
        (str(uuid.uuid4()), f"Locatie {n}", types[n % len(types)].value, f"{1000 + n % 9000} AB", AT, AT)
        for n in range(LOCATIONS)
    ]
    today = datetime.now().replace(second=0, microsecond=0)
    visit_rows, observation_rows, referral_rows = [], [], []
    recipients = [r.value for r in Recipient]
    for _n in range(visits):
        visit_id = str(uuid.uuid4())
        location = rng.choice(locations)
        started = today - timedelta(days=rng.randint(0, 730), hours=rng.randint(0, 8))
        chosen = rng.sample(slugs, rng.choice((0, 0, 1, 2, 3, 4, 6)))
        counts = {"H": 0, "M": 0, "L": 0}
        for slug, weight in chosen:
            dismissed = rng.random() < 0.1
            observation_rows.append(
                (str(uuid.uuid4()), visit_id, slug, "auto", weight, int(dismissed), AT, "bench", AT)
            )
            if rng.random() < 0.05:
                observation_rows.append(
                    (str(uuid.uuid4()), visit_id, slug, "manual", "H", 0, AT, "bench", AT)
                )
                weight, dismissed = "H", False
            if not dismissed:
                counts[weight] += 1
        visit_rows.append(
            (
                visit_id,
                "form",
                1,
                location[0],
                started.strftime("%Y-%m-%dT%H:%M"),
                "final",
                "rev",
                "bench",
                "bench",
                AT,
                AT,
                counts["H"],
                counts["M"],
                counts["L"],
            )
        )
        if chosen and rng.random() < 0.4:
            sent = started.date() + timedelta(days=rng.randint(0, 40)) if rng.random() < 0.8 else None
            referral_rows.append(
                (
                    str(uuid.uuid4()),
                    visit_id,
                    rng.choice(recipients),
                    "days",
                    "sent" if sent else "draft",
                    f"{sent}T12:00:00.000Z" if sent else None,
                    AT,
                    "bench",
                    AT,
                )
            )
    db = app.db
    with db.conn:
        db.conn.executemany(
            "INSERT INTO locations (id, name, location_type, postcode, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            locations,
        )
        db.conn.executemany(
            "INSERT INTO visits (id, form_id, form_version, location_id, started_at, status, head_rev,"
            " device_id, created_by, created_at, updated_at, count_h, count_m, count_l)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            visit_rows,
        )
        db.conn.executemany(
            "INSERT INTO indicator_observations (id, visit_id, slug, source, weight, dismissed, created_at,"
            " created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            observation_rows,
        )
        db.conn.executemany(
            "INSERT INTO referrals (id, visit_id, recipient, urgency, status, sent_at, created_at, created_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            referral_rows,
        )
    print(
        f"store: {visits:,} visits, {len(observation_rows):,} observations, {len(referral_rows):,} referrals,"
        f" {LOCATIONS:,} locations"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        app = open_app(Path(folder) / "data")
        made = time.perf_counter()
        fill_store(app, args.visits)
        print(f"bulk write: {time.perf_counter() - made:.1f} s")
        year = date.today().year - 1
        period = Period.year(year)
        build_dashboard(app, period)  # warm-up: catalogue, page cache
        times, cpu = [], []
        for _run in range(RUNS):
            started, used = time.perf_counter(), time.process_time()
            dashboard = build_dashboard(app, period)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        figure = statistics.median(times)
        print(
            f"dashboard {year} ({dashboard.visits:,} visits in the year): {figure:.0f} ms wall median of {RUNS}"
            f" (max {max(times):.0f} ms), {statistics.median(cpu):.0f} ms CPU median"
        )
        print(f"floor (issue 14 target): {TARGET_MS:.0f} ms: {'ok' if figure <= TARGET_MS else 'SLOW'}")
        app.close()


if __name__ == "__main__":
    main()
