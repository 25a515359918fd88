"""Garbage collection around big batch jobs: what a job has built and keeps is not rescanned.

CPython's cycle collector rescans every live container object at each full collection
(one per ~25% growth of the long-lived objects), so a job that builds a large result
(the extractions of thousands of articles) pays for scanning that result again and again,
and none of it is garbage (timexes, actor and event mentions are trees of frozen
dataclasses, freed by reference counting). Extracting 2,000 generated articles took 48.3
and 49.2 CPU s without this, 43.5 and 43.7 with it (alternating runs, same output).
``kept_results()`` moves the objects alive so far to the permanent
generation (``gc.freeze``) whenever the job calls the function it yields, and puts them
back at the end (``gc.unfreeze``), so any cyclic garbage among them is collected as usual
afterwards. Reference counting is untouched: what the job drops is freed at once.
A process that froze objects itself (``gc.get_freeze_count()``) or turned the collector
off is left alone.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def kept_results() -> Iterator[Callable[[], None]]:
    """Yields ``keep()``: call it when the job's results so far are long-lived."""
    if gc.get_freeze_count() or not gc.isenabled():
        yield lambda: None
        return
    try:
        gc.freeze()
        yield gc.freeze
    finally:
        gc.unfreeze()
