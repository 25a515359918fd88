"""Events: a sortable table with the same filters as the chart."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state, view
from dashboard.markup import md_text

MAX_ROWS = 10_000

frames, shown = view.frames_and_view()
if view.empty_store_hint(frames):
    st.stop()
events = shown.events
first = events["start"].reset_index(drop=True).sort_values(na_position="last").index[:MAX_ROWS]
st.caption(f"{len(events):,} of {len(frames.events):,} events match the filters."
           + (f" Showing the first {MAX_ROWS:,}; narrow the filters to see the rest."
              if len(events) > MAX_ROWS else ""))
table = events.iloc[first]  # sort only the date column, then copy just the shown rows
table = pd.DataFrame({
    "date": table["value"],
    "start": table["start"].dt.date,
    "end": table["end"].dt.date,
    "precision": table["precision"],
    "title": table["title"],
    "type": table["type"],
    "modality": table["modality"],
    "actors": table["actors"].map(", ".join),
    "countries": table["countries"].map(", ".join),
    "sources": table["n_sources"],
    "conflict": table["conflict"],
    "id": table["id"],
})
picked = st.dataframe(table, hide_index=True, width="stretch", height=640, key="events_table",
                      on_select="rerun", selection_mode="single-row",
                      column_config={"id": None})
rows = picked.selection.rows if picked and picked.selection else []
if rows:
    event_id = str(table["id"].iloc[rows[0]])
    if event_id != state.selected_event():
        state.select_event(event_id)
if state.selected_event():
    # the id may come from the URL (?event=...): shown as literal text
    st.caption(f"Selected event: {md_text(state.selected_event())} (its evidence is on the Timeline page)")
