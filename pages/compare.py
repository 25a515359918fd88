"""Compare: per event, which sources mention it and what each says; conflicts first."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import view
from dashboard.markup import md_text

MAX_EVENTS = 200

frames, shown = view.frames_and_view()
if view.empty_store_hint(frames):
    st.stop()
events = shown.events
keys = events[["conflict", "n_sources", "start"]].reset_index(drop=True)
keys = keys.loc[(keys["n_sources"] > 1) | keys["conflict"]]
keys = keys.sort_values(["conflict", "n_sources", "start"], ascending=[False, False, True])
st.caption(f"{len(keys):,} events reported by several sources "
           f"({int(keys['conflict'].sum()):,} with conflicting dates), conflicts first.")
top = events.iloc[keys.index[:MAX_EVENTS]]
mentions = shown.mentions_of(top["id"])
by_event = {k: g for k, g in mentions.groupby("event_id", sort=False)}


def _day(v) -> str:
    return "—" if v is None or pd.isna(v) else str(pd.Timestamp(v).date())


for ev in top.itertuples(index=False):
    flag = "⚠ conflict · " if ev.conflict else ""
    with st.expander(f"{flag}{md_text(ev.title)} — {ev.n_sources} sources", expanded=bool(ev.conflict)):
        if ev.conflict:
            st.error(md_text(ev.conflict_note))
        st.caption("Actors: " + (", ".join(ev.actors) or "none found"))
        rows = by_event.get(ev.id, pd.DataFrame())
        if rows.empty:
            continue
        said = pd.DataFrame({
            "source": rows["source"],
            "published": rows["published"].map(_day),
            "date as written": rows["timex_text"],
            "resolved": rows["value"],
            "from": rows["start"].map(_day),
            "to": rows["end"].map(_day),
            "modality": rows["modality"],
            "what it says": rows["sentence"],
        })
        st.dataframe(said, hide_index=True, width="stretch")
if len(keys) > MAX_EVENTS:
    st.caption(f"Showing the first {MAX_EVENTS}; narrow the filters to see others.")
