"""What the SIGKILL crash harnesses share: they are slow, they need a POSIX system, and each runs a
child script that prints "ready" once set up and is killed at a chosen moment after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

SIGKILL_TESTS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.name != "posix" or not hasattr(signal, "SIGKILL"), reason="SIGKILL needs a POSIX system"
    ),
]


def run_child(
    script: str, args: list[str], kill_after: float | None, until: str | None = None
) -> tuple[float, str]:
    """Run `script` with `args` in a fresh interpreter. With `kill_after` None it runs to its end;
    otherwise it is killed `kill_after` seconds after "ready", or after the first line it prints that
    starts with `until` (a child may hold there, reading its stdin, which stays open until the kill).
    Returns the seconds from "ready" to the end or the kill, and what it printed after "ready" (all of
    it, or up to and including the `until` line)."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    printed = ""
    try:
        line = child.stdout.readline()
        assert line.startswith("ready"), line
        ready = time.monotonic()
        if kill_after is None:
            return time.monotonic() - ready, child.stdout.read()
        if until is not None:
            line = child.stdout.readline()
            printed += line
            while line and not line.startswith(until):
                line = child.stdout.readline()
                printed += line
        time.sleep(kill_after)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
        child.stdin.close()
    return time.monotonic() - ready, printed
