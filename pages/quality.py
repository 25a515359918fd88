"""Quality: what extraction could not resolve, conflicts, and evaluation against a gold file."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data, view
from timeline.errors import UserError

frames, shown = view.frames_and_view()
if view.empty_store_hint(frames):
    st.stop()
ev, actors = frames.events, frames.actors
timexes = data.table("timexes")
c = st.columns(5)
c[0].metric("Events", f"{len(ev):,}")
c[1].metric("Undated events", f"{int(ev['start'].isna().sum()):,}")
c[2].metric("Conflicts", f"{int(ev['conflict'].sum()):,}")
unresolved_actors = actors.loc[~actors["resolved"].astype(bool)] if len(actors) else actors
c[3].metric("Unresolved actor mentions", f"{len(unresolved_actors):,}")
unresolved_dates = timexes.loc[~timexes["resolved"].fillna(False).astype(bool)] \
    if len(timexes) else timexes
c[4].metric("Unresolved date expressions", f"{len(unresolved_dates):,}")

st.subheader("Unresolved dates")
if len(unresolved_dates):
    titles = dict(zip(frames.documents["id"], frames.documents["title"]))
    shown_dates = unresolved_dates[["doc_id", "text", "type", "reason"]].copy()
    shown_dates.insert(0, "document", shown_dates.pop("doc_id").map(titles))
    st.dataframe(shown_dates, hide_index=True, width="stretch")
else:
    st.caption("Every date expression was resolved.")
st.subheader("Unresolved actors")
if len(unresolved_actors):
    st.dataframe(unresolved_actors.groupby("name").size().rename("events").sort_values(
        ascending=False).reset_index(), hide_index=True, width="stretch")
else:
    st.caption("Every actor was found in the gazetteer.")
st.subheader("Conflicts")
conflicts = ev.loc[ev["conflict"], ["title", "value", "conflict_note", "n_sources"]]
if len(conflicts):
    st.dataframe(conflicts, hide_index=True, width="stretch")
else:
    st.caption("No source disagrees with another.")

st.subheader("Evaluation against a gold file")
gold = st.text_input("Gold file (YAML, e.g. ../shared/gold/seed_events.yaml)", key="gold_path")
if gold and st.button("Evaluate", key="evaluate"):
    from timeline.evaluation.events import evaluate, report_lines

    try:
        with st.spinner("Extracting the gold documents and scoring…"):
            result = evaluate(Path(gold).expanduser())
    except UserError as exc:
        st.error(str(exc))
    else:
        c = st.columns(3)
        c[0].metric("Required events found", f"{result['required_found']}/{result['required_total']}")
        c[1].metric("Date F1", f"{result['date_f1']['f1']:.2f}")
        c[2].metric("Events extracted", result["n_events"])
        st.code("\n".join(report_lines(result)), language=None)
        st.dataframe(pd.DataFrame(result["conflicts"]), hide_index=True)
