"""The bulk steps of sync - encoding or decoding a bundle's hundred thousand rows - without the cyclic
garbage collector.

A bundle's rows are plain dicts, lists and strings: reference counting frees every one of them and
none is part of a cycle. Yet the cyclic collector runs after every 700 allocations, and the older
generations it walks grow with every row kept, so a large import spent about a quarter of its time in
collections that found nothing (the quick sync benchmark's bundle, 1,000 visits and 105,000 rows,
profiled in-process: import 4.7 s, 3.5 s with the collector paused). It is paused for the step and runs again afterwards; a nested pause leaves it off until the
outermost one ends, and a collector someone else turned off stays off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
