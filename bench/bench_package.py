"""Packaging benchmark: the frozen build's size and cold-start times, beside the source run.

Run after `make package` as `.venv/bin/python bench/bench_package.py [--quick] [--runs N]`. Prints:
- size of dist/inspector_app/ (MB), beside the runtime packages a source run loads from the venv;
- `--version`: a fresh process until it exits (first run, then the median of N);
- window shown: a fresh process started without a subcommand, offscreen, with a profile and 20 demo
  visits, until the main window has been shown and closed (`INSPECTOR_APP_SMOKE_EXIT_MS=0`).
Nothing is asserted. "First" is as cold as a benchmark can make it without dropping the OS page cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FROZEN = ROOT / "dist" / "inspector_app" / ("inspector_app.exe" if os.name == "nt" else "inspector_app")
SOURCE = [sys.executable, "-m", "inspector_app"]
RUNTIME_PACKAGES = ("PySide6", "shiboken6", "reportlab", "sqlite_utils", "PIL", "cryptography", "pyrage")


def folder_mb(path: Path) -> float:
    return (
        sum(file.stat().st_size for file in path.rglob("*") if file.is_file() and not file.is_symlink()) / 1e6
    )


def source_mb() -> float:
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    total = sum(folder_mb(site / name) for name in RUNTIME_PACKAGES if (site / name).exists())
    return total + sum(folder_mb(ROOT / name) for name in ("inspector_app", "forms", "resources"))


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def series(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    first = timed(command, env)
    rest = [timed(command, env) for _ in range(runs)]
    return first, statistics.median(rest)


def prepare(data: Path) -> None:
    env = {**os.environ, "INSPECTOR_APP_HOME": str(data)}
    subprocess.run([*SOURCE, "demo", "--visits", "20", "--echt"], env=env, check=True, capture_output=True)
    config = data / "config" / "settings.json"
    settings = json.loads(config.read_text(encoding="utf-8")) if config.exists() else {"schema_version": 1}
    settings["profile"] = {"name": "Bench", "function": "handhaver", "municipality": "Westerdam"}
    settings["contact_person"] = {"name": "A. Jansen", "phone": "0600000000"}
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps(settings), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 runs instead of 10")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    if not FROZEN.exists():
        print(f"no build at {FROZEN}: run `make package` first", file=sys.stderr)
        return 1
    data = Path(tempfile.mkdtemp(prefix="bench-package-"))
    try:
        prepare(data)
        env = {
            **os.environ,
            "INSPECTOR_APP_HOME": str(data),
            "QT_QPA_PLATFORM": "offscreen",
            "INSPECTOR_APP_SMOKE_EXIT_MS": "0",
        }
        print(
            f"size: frozen {folder_mb(FROZEN.parent):.0f} MB (dist/inspector_app/), "
            f"source {source_mb():.0f} MB (runtime packages in the venv + app, without Python)"
        )
        print(f"{'':26}{'frozen first':>14}{'median':>10}{'source first':>14}{'median':>10}")
        for label, extra in (("--version", ["--version"]), ("window shown (offscreen)", [])):
            frozen = series([str(FROZEN), *extra], env, runs)
            source = series([*SOURCE, *extra], env, runs)
            print(f"{label:26}{frozen[0]:>13.2f}s{frozen[1]:>9.2f}s{source[0]:>13.2f}s{source[1]:>9.2f}s")
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
