"""Checklist definitions from outside (a reference bundle, `forms check`) are reported, never crash."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.cli.main import main
from inspector_app.paths import install_root

SOURCE = "prostitution_business.toml"
CONDITION = "visible_when = \"{PB-05} = 'yes'\""


def _condition(expression: str) -> Callable[[str], str]:
    return lambda text: text.replace(CONDITION, f'visible_when = "{expression}"', 1)


def _version(digits: int) -> Callable[[str], str]:
    return lambda text: re.sub(r"^version\s*=.*$", "version = " + "9" * digits, text, count=1, flags=re.M)


CASES: dict[str, tuple[Callable[[str], str], str]] = {
    "200-parentheses": (_condition("(" * 200 + "1" + ")" * 200), "nested too deeply"),
    "1300-term-sum": (_condition("+".join(["1"] * 1300) + " > 1"), "nested deeper than"),
    "1900-minus": (_condition("-" * 1900 + "1 > 1"), "nested too deeply"),
    "1000-not": (_condition("not " * 1000 + "true"), "longer than"),
    "3000-digit-literal": (_condition("9" * 3000 + " > 1"), "more than 30 digits"),
    "5000-digit-version": (_version(5000), "out of range"),
    "3000-digit-version": (_version(3000), "below 2^31"),
    "deep-toml": (lambda _text: "a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_forms_check_reports_hostile_definitions(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, expected = CASES[case]
    for fragment in (install_root() / "forms").glob("_*.toml"):
        (tmp_path / fragment.name).write_bytes(fragment.read_bytes())
    target = tmp_path / SOURCE
    original = ((install_root() / "forms") / SOURCE).read_text(encoding="utf-8")
    changed = change(original)
    assert changed != original
    target.write_text(changed, encoding="utf-8")
    assert main(["forms", "check", str(target)]) == 1
    out = capsys.readouterr()
    assert expected in out.out + out.err


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero as on Linux and macOS")
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_forms_check_refuses_special_files(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Path("/dev/zero")
    if kind == "fifo":
        path = tmp_path / "pipe.toml"
        os.mkfifo(path)
    assert main(["forms", "check", str(path)]) == 1
    assert "not a regular file" in capsys.readouterr().out
