"""A time budget for one unit of work (one document's extraction), in any thread.

``call_with_budget(fn, seconds, *args)`` runs ``fn(*args)`` and, if it is still running
after ``seconds``, interrupts it and raises ``OverBudget`` (an ``ExtractionFailed``
with a one-line reason). It works in the main thread, in Streamlit's script threads
and in pool workers: a timer thread raises an exception asynchronously in the
worker thread (``PyThreadState_SetAsyncExc``), so no signal handler is needed. The
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

and ``extract_documents`` calls that instead of ``extract_document``; the summary
lists the documents over budget with ``exc.reason``.
"""
from __future__ import annotations

import ctypes
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


def call_with_budget(fn: Callable[..., T], seconds: float, *args: Any, what: str = "?",
                     **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, or ``OverBudget`` once it has run ``seconds`` (``what``: the document id)."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(thread_id, _Deadline)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    started = time.perf_counter()
    try:
        try:
            timer.start()
            return fn(*args, **kwargs)
        finally:
            with lock:
                state["done"] = True
            timer.cancel()
            if state["fired"]:
                _set_async_exc(thread_id, None)  # drop it if it has not landed yet
    except _Deadline:
        raise OverBudget(what, seconds, time.perf_counter() - started) from None
