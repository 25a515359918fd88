"""Session-state keys in one place, and the view state <-> URL query parameters.

The whole view (filters, lane mode, selected event) lives in ``st.query_params`` so
that a copied URL restores it. The URL is read once per session (``init``) into the
widget keys; after every run the current state is written back (``sync_url``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from timeline.charts import LANE_MODES
from timeline.filters import DATE_KEYS, LIST_KEYS, EventFilter
from timeline.nlp.salience import DEFAULT_MIN_SALIENCE

# widget keys of the sidebar filters, one per EventFilter field
FILTER_KEYS: dict[str, str] = {
    **{name: f"f_{name}" for name in LIST_KEYS},
    "start": "f_start",
    "end": "f_end",
    "text": "f_text",
    "include_undated": "f_undated",
}
LANES = "lanes"  # widget key and URL key of the lane mode
SELECTED = "selected_event"  # the event whose evidence is shown (not a widget)
EVENT_URL_KEY = "event"
LABELS = "labels"  # widget key and URL key of the chart-labels toggle ("labels=0" = off)
MINOR = "minor"  # widget key and URL key of "minor events too" ("minor=1" = on; off shows the salient ones)
INITIALISED = "_view_initialised"
DEFAULT_LANES = "actor"


def set_filter(flt: EventFilter) -> None:
    """Put a filter into the widget keys (before the widgets are drawn)."""
    for name, key in FILTER_KEYS.items():
        value = getattr(flt, name)
        st.session_state[key] = list(value) if name in LIST_KEYS else value


def current_filter() -> EventFilter:
    """The filter the sidebar widgets currently describe."""
    values: dict[str, Any] = {}
    for name, key in FILTER_KEYS.items():
        value = st.session_state.get(key)
        if name in LIST_KEYS:
            values[name] = tuple(value or ())
        elif name in DATE_KEYS:
            values[name] = value if isinstance(value, dt.date) else None
        elif name == "text":
            values[name] = value or ""
        else:
            values[name] = True if value is None else bool(value)
    return EventFilter(**values, min_salience=0.0 if minor() else DEFAULT_MIN_SALIENCE)


def minor() -> bool:
    """Show minor and undated events too (off by default: the timeline-worthy ones)."""
    return bool(st.session_state.get(MINOR, False))


def lanes() -> str:
    value = st.session_state.get(LANES, DEFAULT_LANES)
    return value if value in LANE_MODES else DEFAULT_LANES


def labels() -> bool:
    return bool(st.session_state.get(LABELS, True))


def selected_event() -> str | None:
    return st.session_state.get(SELECTED)


def select_event(event_id: str | None) -> None:
    st.session_state[SELECTED] = event_id


def init() -> None:
    """First run of a session: restore the view from the URL."""
    if st.session_state.get(INITIALISED):
        return
    params = st.query_params
    set_filter(EventFilter.from_query(params))
    lane = params.get(LANES)
    st.session_state[LANES] = lane if lane in LANE_MODES else DEFAULT_LANES
    st.session_state[SELECTED] = params.get(EVENT_URL_KEY) or None
    st.session_state[LABELS] = (params.get(LABELS) or "1").lower() not in ("0", "false", "off")
    st.session_state[MINOR] = (params.get(MINOR) or "0").lower() in ("1", "true", "on", "yes")
    st.session_state[INITIALISED] = True


def reset() -> None:
    """Back to everything, default lanes, nothing selected (a button callback)."""
    set_filter(EventFilter())
    st.session_state[LANES] = DEFAULT_LANES
    st.session_state[SELECTED] = None
    st.session_state[LABELS] = True
    st.session_state[MINOR] = False


def view_query() -> dict[str, str | list[str]]:
    """The URL query of the current view (only what differs from the defaults)."""
    query = current_filter().to_query()
    if minor():
        query[MINOR] = "1"
    if lanes() != DEFAULT_LANES:
        query[LANES] = lanes()
    if selected_event():
        query[EVENT_URL_KEY] = selected_event()
    if not labels():
        query[LABELS] = "0"
    return query


def sync_url() -> None:
    """Write the view into the URL when it changed (so a copied URL restores it)."""
    wanted = view_query()
    have = {key: st.query_params.get_all(key) for key in st.query_params}
    normal = {k: (v if isinstance(v, list) else [v]) for k, v in wanted.items()}
    if have != normal:
        st.query_params.from_dict(wanted)
