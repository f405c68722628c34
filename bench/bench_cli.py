"""CLI start-up benchmark: `inspector-app --version` and `forms list`, beside their floor.

Run as `.venv/bin/python bench/bench_cli.py [--runs N | --quick]`. For each command it prints the median wall
time of N fresh starts, the bare-interpreter floor (`python -c pass`), and the floor plus importing
the modules the command loads that are not the app's own (stdlib and third-party, found with a probe
run of the command); for `forms list` that floor also parses the same TOML files with bare `tomllib`,
the work the command cannot skip. The target (issue 16 item 10) is a wall time within 2x of that
floor. The runs of a command and its floors alternate, so a busy machine slows them alike. It also
prints the app's own import time from `python -X importtime`. Everything runs in a temporary data
folder; nothing is asserted.
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

COMMANDS = (("--version",), ("forms", "list"))
TARGET_FACTOR = 2.0
PROBE = """
import json, sys
before = set(sys.modules)
from inspector_app.launcher import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(set(sys.modules) - before)) + "\\n")
"""
IMPORT_ALL = """
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except Exception:
        pass
import tomllib
for path in json.loads(sys.argv[2]):
    with open(path, "rb") as handle:
        tomllib.load(handle)
"""


def entry_point() -> list[str]:
    """The installed `inspector-app` script beside this interpreter, else `python -m inspector_app`."""
    script = Path(sys.executable).with_name("inspector-app")
    return [str(script)] if script.exists() else [sys.executable, "-m", "inspector_app"]


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def median_walls(commands: list[list[str]], runs: int, env: dict[str, str]) -> list[float]:
    """Median seconds of `runs` fresh processes of each command, run in turn round by round (after one
    warm-up round, so the disk cache is warm)."""
    times: list[list[float]] = [[] for _ in commands]
    for round_number in range(runs + 1):
        for index, argv in enumerate(commands):
            seconds = wall(argv, env)
            if round_number:
                times[index].append(seconds)
    return [statistics.median(values) for values in times]


def form_files() -> list[str]:
    """The TOML files `forms list` reads: the shipped checklists (with includes) and the catalogue."""
    from inspector_app.paths import forms_dir, resources_dir

    return [str(path) for path in sorted(forms_dir().glob("*.toml"))] + [
        str(resources_dir() / "indicators.toml")
    ]


def outside_modules(command: tuple[str, ...], data_dir: Path, env: dict[str, str]) -> list[str]:
    """Modules the command imports that are not the app's own (what the floor must import too)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(data_dir), *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    line = next(line for line in result.stderr.splitlines() if line.startswith("MODULES "))
    names: list[str] = json.loads(line.removeprefix("MODULES "))
    return [name for name in names if not name.startswith(("inspector_app", "__main__"))]


def own_import_ms(command: tuple[str, ...], data_dir: Path, env: dict[str, str]) -> float:
    """Self import time of the app's modules, summed from `-X importtime` (microseconds → ms)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE, "--data-dir", str(data_dir), *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    total = 0
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "inspector_app" in line:
            fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
            if fields[0].isdigit():
                total += int(fields[0])
    return total / 1000


def main() -> int:
    if not os.environ.get("INSPECTOR_APP_PASSPHRASE_FILE"):  # the encrypted store, without an OS key store
        secret = Path(tempfile.mkdtemp(prefix="bench-passphrase-")) / "passphrase"
        secret.write_text("bench-passphrase-not-secret\n", encoding="utf-8")
        os.environ["INSPECTOR_APP_PASSPHRASE_FILE"] = str(secret)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh starts per figure (median)")
    parser.add_argument("--quick", action="store_true", help="5 runs per figure")
    args = parser.parse_args()
    if args.quick:
        args.runs = 5
    home = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    try:
        env = {**os.environ, "INSPECTOR_APP_HOME": str(home / "home")}
        data_dir = home / "data"
        print(f"python {sys.version.split()[0]}, {args.runs} runs per figure, median wall time")
        for command in COMMANDS:
            modules = outside_modules(command, data_dir, env)
            toml_files = form_files() if command == ("forms", "list") else []
            measured, floor, needed = median_walls(
                [
                    [*entry_point(), "--data-dir", str(data_dir), *command],
                    [sys.executable, "-c", "pass"],
                    [sys.executable, "-c", IMPORT_ALL, json.dumps(modules), json.dumps(toml_files)],
                ],
                args.runs,
                env,
            )
            target = TARGET_FACTOR * needed
            verdict = "ok" if measured <= target else "OVER"
            floor_name = f"floor + its {len(modules)} outside modules" + (
                f" + tomllib x{len(toml_files)}" if toml_files else ""
            )
            print(f"\ninspector-app {' '.join(command)}")
            print(
                f"  {'wall':<44} {measured * 1000:8.1f} ms   {measured / needed:4.2f}x the floor with its"
                f" modules ({verdict}), {measured / floor:4.2f}x python -c pass"
            )
            print(f"  {'floor: python -c pass':<44} {floor * 1000:8.1f} ms")
            print(f"  {floor_name:<44} {needed * 1000:8.1f} ms")
            print(f"  {f'target: {TARGET_FACTOR:g}x the floor above':<44} {target * 1000:8.1f} ms")
            print(f"  {'own modules, self import time':<44} {own_import_ms(command, data_dir, env):8.1f} ms")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
