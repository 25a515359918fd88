"""Cached loaders and the one way to write to the store from the app.

* one writer, many readers: the app never keeps a connection. Each read opens the
  store read-only, reads and closes (``reading``), so a CLI ``ingest``/``extract`` can
  take the write lock between two page loads; results are cached by store version
  (file times plus a counter that every write from the app bumps), so an upload or a
  CLI write shows up at once and an unchanged store is never re-read;
* writes go through :func:`writable_store`, the same ``Store`` path as the CLI: it
  waits a bounded time for another writer, then raises ``StoreBusy`` (shown by
  ``dashboard.errors``);
* filtering happens after the cache, in the pages.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st

from timeline.frame import Frames, lazy_frames
from timeline.model import Document
from timeline.store import Store, default_db_path

#: Set to a number to explore generated frames instead of a store (benchmarks, demos).
SYNTHETIC_ENV = "TIMELINE_SYNTHETIC"

_WRITES = {"count": 0}  # bumped by every write made through the app (process-wide)


def db_path() -> str:
    return str(Path(default_db_path()).resolve())


def synthetic_size() -> int | None:
    raw = os.environ.get(SYNTHETIC_ENV, "").replace("_", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def data_version(path: str) -> tuple[int, float, float, int]:
    """Changes whenever the store changes (app writes, or the CLI rewrote the file)."""
    def mtime(p: str) -> float:
        return os.stat(p).st_mtime if os.path.exists(p) else 0.0

    return (_WRITES["count"], mtime(path), mtime(path + ".wal"), synthetic_size() or 0)


@contextmanager
def reading(path: str) -> Iterator[Store]:
    """A read-only connection for one read, closed at once (never cached)."""
    if not os.path.exists(path):
        Store(path).close()  # create an empty, migrated store
    with Store(path, read_only=True) as store:
        yield store


@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def load(path: str, version: tuple) -> Frames:
    """All frames of the store (or generated ones): cached, then filtered per view. The
    mentions stay in the store (``timeline.frame.LazyFrames``) until a view shows them.

    A resource cache, not ``st.cache_data``: cache_data hands every rerun an unpickled
    copy, which costs seconds at a million events. Sharing one object is safe here
    because ``Frames`` is frozen, ``filter_events`` is pure and no page mutates a frame
    (they build new ones); a new data version gives a new object.
    """
    size = synthetic_size()
    if size:
        from timeline.synthetic import synthetic_frames

        return synthetic_frames(size)
    with reading(path) as store:
        return lazy_frames(store, lambda ids, columns: _mentions(path, version, ids, columns))


#: reads of at most this many events' mentions are cached (an event's evidence, the compared
#: events, the claims in view): a rerun shows them even while a CLI write holds the store
SMALL_READ = 2000


def _mentions(path: str, version: tuple, event_ids: list[str] | None, columns: list[str] | None):
    """Mentions (of some events) for a view that shows them: read then, in their own
    read-only connection (the events, actors and documents are what ``load`` keeps)."""
    if event_ids is not None and len(event_ids) <= SMALL_READ:
        return _few_mentions(path, version, tuple(event_ids), None if columns is None else tuple(columns))
    with reading(path) as store:
        return store.mention_table(event_ids, columns)


@st.cache_resource(show_spinner=False, max_entries=64)
def _few_mentions(path: str, version: tuple, event_ids: tuple[str, ...], columns: tuple[str, ...] | None):
    with reading(path) as store:  # an Arrow table: immutable, safe to share
        return store.mention_table(list(event_ids), None if columns is None else list(columns))


@st.cache_data(show_spinner=False, max_entries=4)
def _events_per_document(path: str, version: tuple) -> pd.Series:
    links = load(path, version).mention_columns(["doc_id", "event_id"])
    return links.groupby("doc_id")["event_id"].nunique() if len(links) else pd.Series(dtype="int64")


def events_per_document() -> pd.Series:
    """Distinct events per stored document (the Sources table), once per store version."""
    path = db_path()
    return _events_per_document(path, data_version(path))


APP = Path(__file__).resolve().parent.parent / "app.py"


def frame_guard() -> None:
    """Run the page inside ``app.py``'s frame when Streamlit's legacy ``pages/`` discovery
    ran it directly: on the first request of a fresh server (a deep link such as
    ``/sources``) and on every AppTest run, before ``st.navigation`` has run in the
    process. The frame (navigation, sidebar filters, URL state) then runs this page
    itself, in the same script run (so a button click is not lost), and the direct run
    stops. Every page reads through this module before drawing anything."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:  # st.navigation (app.py) sets it to False
        import runpy

        runpy.run_path(str(APP), run_name="__main__")
        st.stop()


def frames() -> Frames:
    frame_guard()
    path = db_path()
    return load(path, data_version(path))


@st.cache_data(show_spinner=False, max_entries=256)
def _document(path: str, version: tuple, doc_id: str) -> Document | None:
    if synthetic_size():
        return None
    with reading(path) as store:
        return store.get_document(doc_id)


def document(doc_id: str) -> Document | None:
    """A stored document with its text (for the evidence paragraphs)."""
    path = db_path()
    return _document(path, data_version(path), doc_id)


@st.cache_data(show_spinner=False, max_entries=4)
def _table(path: str, version: tuple, name: str) -> pd.DataFrame:
    if synthetic_size():
        return pd.DataFrame()
    with reading(path) as store:
        return store.table(name)


def table(name: str) -> pd.DataFrame:
    """A raw extraction table (the Quality page reads timexes and actor mentions)."""
    frame_guard()
    path = db_path()
    return _table(path, data_version(path), name)


@contextmanager
def writable_store() -> Iterator[Store]:
    """A read-write connection for an upload or a fix; caches see the change afterwards.
    Waits (bounded) for another writer, then raises ``StoreBusy``."""
    path = db_path()
    store = Store(path, notice=None)
    try:
        yield store
    finally:
        store.close()
        _WRITES["count"] += 1
