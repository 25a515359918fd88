"""The shared sidebar: filters with counts beside every option, lane mode, reset."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, state
from timeline.charts import LANE_MODES
from timeline.filters import EventFilter, option_counts
from timeline.nlp.salience import DEFAULT_MIN_SALIENCE

# (EventFilter field, option column for option_counts, label)
LIST_WIDGETS = (
    ("actors", "actor", "Actor"),
    ("leaders", "leader", "Leader"),
    ("countries", "country", "Country"),
    ("sources", "source", "Source / outlet"),
    ("types", "type", "Event type"),
    ("modalities", "modality", "Modality"),
)
LANE_LABELS = {"actor": "by actor", "country": "by country", "type": "by type",
               "single": "single lane"}
FAR_PAST, FAR_FUTURE = dt.date(1, 1, 1), dt.date(9999, 12, 31)


@st.cache_data(show_spinner=False, max_entries=4)
def _counts(path: str, version: tuple) -> dict[str, pd.Series]:
    frames = data.load(path, version)
    return {column: option_counts(frames, column) for _, column, _ in LIST_WIDGETS}


def counts() -> dict[str, pd.Series]:
    path = data.db_path()
    return _counts(path, data.data_version(path))


def render() -> EventFilter:
    """Draw the filters in the sidebar and return the filter they describe."""
    all_counts = counts()
    sb = st.sidebar
    sb.header("Filters")
    for name, column, label in LIST_WIDGETS:
        key = state.FILTER_KEYS[name]
        series = all_counts[column]
        chosen = [v for v in st.session_state.get(key) or [] if v not in series.index]
        options = list(series.index) + chosen  # values from a URL stay selectable
        amounts = series.to_dict()
        sb.multiselect(label, options, key=key,
                       format_func=lambda v, a=amounts: f"{v} ({a.get(v, 0):,})",
                       placeholder="any")
    c1, c2 = sb.columns(2)
    c1.date_input("From", key=state.FILTER_KEYS["start"], min_value=FAR_PAST,
                  max_value=FAR_FUTURE, format="YYYY-MM-DD")
    c2.date_input("To", key=state.FILTER_KEYS["end"], min_value=FAR_PAST,
                  max_value=FAR_FUTURE, format="YYYY-MM-DD")
    sb.text_input("Text in title or evidence", key=state.FILTER_KEYS["text"])
    sb.toggle("Minor events too", key=state.MINOR,
              help="Off: the timeline-worthy events (salience at least "
                   f"{DEFAULT_MIN_SALIENCE}: main clauses, own dates, named actors, several sources). "
                   "On: every extracted event, minor and undated ones included.")
    sb.checkbox("Include undated events", key=state.FILTER_KEYS["include_undated"])
    sb.radio("Timeline lanes", LANE_MODES, key=state.LANES, horizontal=True,
             format_func=LANE_LABELS.get)
    sb.toggle("Event titles on the chart", key=state.LABELS,
              help="The most salient events in view carry their short title (also in exports).")
    sb.button("Reset view", on_click=state.reset, width="stretch")
    return state.current_filter()
