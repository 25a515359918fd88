"""What every page shows: the loaded frames narrowed by the sidebar filter."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, state
from timeline.filters import EventFilter, filter_events
from timeline.frame import Frames

#: Where plotly.js finds the map's country shapes: static/topojson, which Streamlit serves
#: (server.enableStaticServing in .streamlit/config.toml) instead of plotly's CDN.
TOPOJSON_URL = "/app/static/topojson/"
T = TypeVar("T")


def frames_and_view() -> tuple[Frames, Frames]:
    """(all frames, filtered frames) for the current sidebar filter."""
    frames = data.frames()
    flt = state.current_filter()
    if flt.is_empty:
        return frames, frames
    path = data.db_path()
    events, actors = _filtered(path, data.data_version(path), repr(flt), flt)
    return frames, frames.narrowed(events, actors)


@st.cache_resource(show_spinner=False, max_entries=2)
def _filtered(path: str, version: tuple, key: str, _flt: EventFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events and actors a filter keeps (``key`` is the filter's repr): shared by every
    rerun and session showing that view (the default view above all), so clicking an event
    or opening a page does not filter a big store again. Only these two frames are kept:
    the mentions a view reads stay with that rerun's frames."""
    shown = filter_events(data.load(path, version), _flt)
    return shown.events, shown.actors


def figure(name: str, key: object, build: Callable[[], go.Figure]) -> go.Figure:
    """``build()``, cached per store version, ``name`` and ``key`` (the view's repr): the
    default view's figures are built once for every session, not on every rerun. Plotly
    figures are only read by ``st.plotly_chart``, so sharing one is safe."""
    path = data.db_path()
    return _figure(path, data.data_version(path), name, repr(key), build)


@st.cache_resource(show_spinner=False, max_entries=12)
def _figure(path: str, version: tuple, name: str, key: str, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def derived(name: str, key: object, build: Callable[[], T]) -> T:
    """``build()`` of what a page derives from a view besides figures (the event picker's
    options), cached like :func:`figure`: a rerun of an unchanged view (a click, a filter
    round trip back to a view) does not sort and label a big store's events again. The
    value must be immutable or never mutated by the page."""
    path = data.db_path()
    return _derived(path, data.data_version(path), name, repr(key), build)


@st.cache_resource(show_spinner=False, max_entries=8)
def _derived(path: str, version: tuple, name: str, key: str, _build: Callable[[], T]) -> T:
    return _build()


def empty_store_hint(frames: Frames) -> bool:
    """Say what to do when the store holds nothing; True when it is empty."""
    if len(frames.documents) or len(frames.events):
        return False
    st.info("The store is empty. Add articles on the **Sources** page, or load the sample "
            f"articles: in the project folder run `make store DB={_shown_path()}` (or `make run`, "
            "which also starts the app), then reload this page.")
    return True


def _shown_path() -> str:
    """The store's path as `make` (run in the project folder) takes it: relative when inside."""
    from pathlib import Path

    path = Path(data.db_path())
    root = Path(__file__).resolve().parent.parent
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
