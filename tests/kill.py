"""What the SIGKILL crash harnesses share: they are slow, and they need a POSIX system."""

from __future__ import annotations

import os
import signal

import pytest

SIGKILL_TESTS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.name != "posix" or not hasattr(signal, "SIGKILL"), reason="SIGKILL needs a POSIX system"
    ),
]
