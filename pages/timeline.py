"""Timeline: the country map, the chart, the evidence of the selected event, undated events,
density."""
from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dashboard import evidence, exports, state, view
from timeline.charts import density_figure
from timeline.export.data import date_label, to_date
from timeline.export.figure import view_figure
from timeline.filters import filter_events, isin
from timeline.maps import map_figure

PICK_KEY = "event_pick"
MAP_KEY = "country_map"
LAST_SELECTION = "_last_chart_selection"
#: the picker lists at most this many events: every option is sent and drawn on every rerun
#: (2,000 options cost the browser ~0.4 CPU s per rerun, 500 ~0.2 s more than 100;
#: bench/README.md, app_scale and app_ab)
MAX_PICK = 100

frames, shown = view.frames_and_view()
if view.empty_store_hint(frames):
    st.stop()
flt = state.current_filter()
events = shown.events
n_dated = int(events["start"].notna().sum())
st.caption(f"{len(events):,} of {len(frames.events):,} events match "
           f"({n_dated:,} dated, {len(events) - n_dated:,} undated).")

map_slot = st.container()  # filled after the chart: the chart's marks reach the browser first
fig = view.figure("timeline", (flt, state.lanes(), state.labels()),
                  lambda: view_figure(shown, flt, lanes=state.lanes(), labels=state.labels()))
chart = st.plotly_chart(fig, key="chart", on_select="rerun", selection_mode=("points", "box"),
                        theme=None, width="stretch",
                        config={"displaylogo": False, "scrollZoom": False})

# a new click / box selection on the chart selects its first event
points = chart.selection.points if chart and chart.selection else []
picked = []
for p in points:
    cd = p.get("customdata")
    cd = cd[0] if isinstance(cd, list) and cd else cd
    if isinstance(cd, str) and cd not in picked:
        picked.append(cd)
if tuple(picked) != st.session_state.get(LAST_SELECTION, ()):
    st.session_state[LAST_SELECTION] = tuple(picked)
    if picked:
        state.select_event(picked[0])
if len(picked) > 1:
    st.caption(f"{len(picked)} events selected; showing the first. Pick another below.")

# fallback picker (keyboard users, and events the chart aggregates)
PICK_COLUMNS = ["id", "title", "start", "end", "precision", "value"]


def _labelled(rows: pd.DataFrame) -> dict[str, str]:
    """id -> "when · title", the date at the event's own precision (2024-06, not 2024-06-01)."""
    def when(s, e, p, v) -> str:
        return date_label(to_date(s), to_date(e), None if pd.isna(p) else str(p),
                          None if pd.isna(v) else str(v)) or "undated"

    return {str(i): f"{when(s, e, p, v)} · {t}"
            for i, t, s, e, p, v in zip(rows["id"], rows["title"].astype(str), rows["start"],
                                        rows["end"], rows["precision"], rows["value"])}


def _pick_options() -> tuple[tuple[str, ...], dict[str, str]]:
    """The view's first MAX_PICK events in date order and their labels (once per view: at
    a big store's 2,000 options this sorts and labels on every rerun otherwise)."""
    ordered = events[["id", "start"]].sort_values("start", na_position="last")
    first = tuple(ordered["id"].astype(str)[:MAX_PICK])
    return first, _labelled(events.loc[isin(events["id"], list(first)), PICK_COLUMNS])


first_ids, pick_labels = view.derived("event picker", flt, _pick_options)
ids = list(first_ids)
selected = state.selected_event()
if selected and selected not in pick_labels:  # picked outside this view (a URL, a page before)
    ids.insert(0, selected)
    chosen = frames.events.loc[frames.events["id"] == selected, PICK_COLUMNS]
    pick_labels = {**pick_labels, **_labelled(chosen)}
st.session_state[PICK_KEY] = selected if selected in ids else None


def _label(event_id: str | None) -> str:
    if event_id is None:
        return "—"
    return pick_labels.get(event_id) or f"undated · {event_id}"


st.selectbox("Event", [None, *ids], key=PICK_KEY, format_func=_label,
             on_change=lambda: state.select_event(st.session_state[PICK_KEY]),
             help="Click a mark or draw a box on the chart, or pick an event here.")
if len(events) > MAX_PICK:
    st.caption(f"The picker lists the first {MAX_PICK:,} of these {len(events):,} events by date: "
               "narrow the filters or the dates to pick another.")
if state.selected_event():
    with st.container(border=True):
        evidence.render(frames, state.selected_event())

undated = events.loc[events["start"].isna()]
if flt.include_undated and len(undated):
    st.subheader(f"Undated events ({len(undated):,})")
    table = undated[["title", "type", "modality", "actors", "sources", "n_sources"]].head(5000)
    st.dataframe(table.assign(actors=table["actors"].map(", ".join),
                              sources=table["sources"].map(", ".join)),
                 hide_index=True, width="stretch")

st.plotly_chart(view.figure("density", flt, lambda: density_figure(events, frames.documents)),
                theme=None, width="stretch",
                key="density", config={"displaylogo": False})

with st.expander("Export this view"):
    exports.render(frames, flt, state.lanes(), state.labels())


def _pick_country() -> None:
    """A click on the map sets the country filter (a callback: runs before the sidebar)."""
    points = (st.session_state.get(MAP_KEY) or {}).get("selection", {}).get("points", [])
    codes = [p.get("location") for p in points if p.get("location")]
    if codes:
        st.session_state[state.FILTER_KEYS["countries"]] = [codes[0]]


with map_slot:
    # counts ignore the country filter, so the other countries stay visible and clickable
    def _map():
        everywhere = shown if not flt.countries else filter_events(frames, dataclasses.replace(flt, countries=()))
        return map_figure(everywhere.events, flt.countries)

    st.plotly_chart(view.figure("map", flt, _map), key=MAP_KEY, theme=None,
                    width="stretch", on_select=_pick_country, selection_mode="points",
                    config={"displaylogo": False, "scrollZoom": False,
                            "topojsonURL": view.TOPOJSON_URL})
