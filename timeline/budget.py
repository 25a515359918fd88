"""A time budget for one unit of work (one document's extraction), in any thread.

``call_with_budget(fn, seconds, *args)`` runs ``fn(*args)`` and, if it is still running
after ``seconds``, interrupts it and raises ``OverBudget`` (an ``ExtractionFailed``
with a one-line reason). It works in the main thread, in Streamlit's script threads
and in pool workers: a watchdog thread (one per process, holding every deadline) raises
an exception asynchronously in the worker thread (``PyThreadState_SetAsyncExc``), so no
signal handler is needed. The
injected exception derives from ``BaseException``, so an ``except Exception`` inside
the budgeted code cannot swallow it.

Limit: the interruption lands at the next Python bytecode, so one long call inside a
C extension (a single regex match, a parser's C loop) finishes before it stops.

How the pipeline wires it (``timeline/pipeline.py``)::

    from timeline.budget import OverBudget, call_with_budget, document_budget

    def extract_document_within_budget(doc, gazetteer):
        try:
            return call_with_budget(extract_document, document_budget(len(doc.text)), doc, gazetteer,
                                    what=doc.id)
        except OverBudget as exc:
            # keep the document, record why it has no extraction
            return DocExtraction(doc.id, (), (), (), failed=exc.reason)

and ``extract_documents`` calls that instead of ``extract_document`` (the open extractor,
which parses several documents together, budgets each document's two halves and each
group's parse: ``pipeline.extract_together``); the summary lists the documents over budget
with ``exc.reason``.
"""
from __future__ import annotations

import ctypes
import heapq
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from timeline.errors import ExtractionFailed

T = TypeVar("T")

#: Seconds per document before it is given up: a floor plus a rate per MB of text.
DEFAULT_FLOOR_S = 30.0
DEFAULT_PER_MB_S = 60.0


class _Deadline(BaseException):
    """Raised inside the budgeted code; turned into ``OverBudget`` at the boundary."""


class OverBudget(ExtractionFailed):
    def __init__(self, what: str, budget: float, elapsed: float):
        self.budget, self.elapsed = budget, elapsed
        super().__init__(what, f"over its time budget of {budget:.1f} s (stopped after {elapsed:.1f} s); "
                               "raise TIMELINE_DOC_BUDGET to allow more")


def document_budget(n_chars: int) -> float:
    """Seconds for a document of ``n_chars``: ``TIMELINE_DOC_BUDGET`` (fixed seconds) if
    set, else 30 s + 60 s per MB, so a linear extractor never hits it on good input."""
    raw = os.environ.get("TIMELINE_DOC_BUDGET")
    if raw:
        try:
            return max(0.01, float(raw))
        except ValueError:
            pass
    return DEFAULT_FLOOR_S + DEFAULT_PER_MB_S * n_chars / 1_000_000


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc is not None else None)


class _Watchdog:
    """One daemon thread per process that interrupts the budgeted calls whose deadline
    passed (a heap of deadlines). Starting a ``threading.Timer`` per call cost ~0.1 ms of
    CPU, and an extraction makes a few budgeted calls per document."""

    def __init__(self) -> None:
        self.cv = threading.Condition()
        self.heap: list[tuple[float, int, dict]] = []
        self.seq = 0
        self.pid = -1
        self.thread: threading.Thread | None = None

    def watch(self, seconds: float, thread_id: int) -> dict:
        entry = {"thread": thread_id, "done": False, "fired": False}
        with self.cv:
            if self.pid != os.getpid() or self.thread is None or not self.thread.is_alive():
                self.heap, self.pid = [], os.getpid()  # first call, or a forked child: no watcher here yet
                self.thread = threading.Thread(target=self._run, name="timeline-budget", daemon=True)
                self.thread.start()
            self.seq += 1
            heapq.heappush(self.heap, (time.monotonic() + seconds, self.seq, entry))
            if self.heap[0][2] is entry:
                self.cv.notify()
        return entry

    def done(self, entry: dict) -> bool:
        """Mark the call finished; True if its deadline fired first (under the same lock
        as the firing, so the two cannot cross)."""
        with self.cv:
            entry["done"] = True
            return entry["fired"]

    def _run(self) -> None:
        with self.cv:
            while True:
                while self.heap and self.heap[0][2]["done"]:
                    heapq.heappop(self.heap)
                if not self.heap:
                    self.cv.wait()
                    continue
                deadline, _, entry = self.heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self.cv.wait(wait)
                    continue
                heapq.heappop(self.heap)
                entry["fired"] = True
                _set_async_exc(entry["thread"], _Deadline)


_WATCHDOG = _Watchdog()


def call_with_budget(fn: Callable[..., T], seconds: float, *args: Any, what: str = "?",
                     **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, or ``OverBudget`` once it has run ``seconds`` (``what``: the document id)."""
    thread_id = threading.get_ident()
    started = time.perf_counter()
    entry = _WATCHDOG.watch(seconds, thread_id)
    try:
        try:
            return fn(*args, **kwargs)
        finally:
            if _WATCHDOG.done(entry):
                _set_async_exc(thread_id, None)  # drop it if it has not landed yet
    except _Deadline:
        raise OverBudget(what, seconds, time.perf_counter() - started) from None
