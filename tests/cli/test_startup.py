"""The command line starts fast: a command imports only what it uses (review item 4, issue 16 item 10).

Not a timing test (timings belong in bench/bench_cli.py): it checks, in a fresh interpreter, which
heavy libraries a start has loaded. Before, cli/main imported every command module, so `--version`
loaded reportlab, cryptography, pyrage, Pillow and sqlite-utils.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.cli.main import COMMAND_MODULES, build_parser, command_from_argv

HEAVY = {"reportlab", "cryptography", "pyrage", "PIL", "PySide6", "shiboken6", "sqlite_utils"}
PROBE = """
import json, sys
from inspector_app.launcher import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted({name.split(".")[0] for name in sys.modules})) + "\\n")
"""


def loaded_packages(tmp_path: Path, *argv: str) -> set[str]:
    """Top-level packages in `sys.modules` after `inspector-app ARGV` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(tmp_path / "data"), *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    line = next(line for line in result.stderr.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (("--version",), set()),
        (("--help",), set()),
        (("forms", "list"), set()),
        # the encrypted store: the data key is unwrapped with AES-GCM (cryptography) at every open
        (("visits", "list"), {"sqlite_utils", "cryptography"}),
    ],
    ids=["version", "help", "forms-list", "visits-list"],
)
def test_a_start_loads_only_what_the_command_uses(
    tmp_path: Path, argv: tuple[str, ...], allowed: set[str]
) -> None:
    loaded = loaded_packages(tmp_path, *argv)
    assert "inspector_app" in loaded  # the probe ran the app
    assert loaded & HEAVY == allowed


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--version"], (True, None)),
        (["forms", "list"], (True, "forms")),
        (["--data-dir", "visits", "--lang", "en", "report", "x"], (True, "report")),
        (["--data-dir=/tmp/x", "bundle", "import", "f"], (True, "bundle")),
        (["--lang", "en"], (True, None)),
        (["vists", "list"], (False, None)),  # misspelt: the full parser words the error
        (["--data", "DIR", "visits"], (False, None)),  # abbreviated option: the full parser decides
    ],
)
def test_command_from_argv(argv: list[str], expected: tuple[bool, str | None]) -> None:
    assert command_from_argv(argv) == expected


def _command_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    chosen: argparse.ArgumentParser = action.choices[name]
    return chosen


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_a_lazily_built_command_is_the_full_command(name: str) -> None:
    """Loading one command module gives the same options and help as loading them all."""
    full, lazy = build_parser(), build_parser(name, load_all=False)
    assert _command_parser(lazy, name).format_help() == _command_parser(full, name).format_help()
    assert lazy.format_help() == full.format_help()


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(None, load_all=False).parse_args(["--help"])
    out = capsys.readouterr().out
    assert all(f"    {name} " in out for name in COMMAND_MODULES)
