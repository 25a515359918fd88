"""Evidence for one event: every mention's sentence highlighted in its paragraph.

All article text is HTML-escaped before it is wrapped in our own markup, so an
article containing ``<script>`` or ``<img onerror=…>`` shows as text.
"""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.markup import html_block, md_text
from timeline.frame import Frames

MARK_STYLE = "background:#fff3b0;padding:0 2px;border-radius:2px"
PARA_STYLE = ("border-left:3px solid #1f4e79;padding:4px 10px;margin:4px 0 10px 0;"
              "color:#222;line-height:1.5")


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line/paragraph of ``text`` containing [start, end)."""
    lo = text.rfind("\n", 0, max(0, start)) + 1
    hi = text.find("\n", max(end, start))
    return lo, (len(text) if hi < 0 else hi)


def highlight_html(text: str, start: int, end: int) -> str:
    """The paragraph around [start, end) with that span marked; everything escaped."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo, hi = paragraph_bounds(text, start, end)
    return (html.escape(text[lo:start]) + f'<mark style="{MARK_STYLE}">'
            + html.escape(text[start:end]) + "</mark>" + html.escape(text[end:hi]))


def _date(value: object) -> str:
    return "unknown" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _mention_html(m: pd.Series) -> str:
    doc = data.document(str(m["doc_id"]))
    if doc is not None and 0 <= int(m["sent_start"]) < int(m["sent_end"]) <= len(doc.text) \
            and doc.text[int(m["sent_start"]):int(m["sent_end"])] == m["sentence"]:
        body = highlight_html(doc.text, int(m["sent_start"]), int(m["sent_end"]))
    else:  # text not available: the sentence alone
        body = f'<mark style="{MARK_STYLE}">{html.escape(str(m["sentence"]))}</mark>'
    return html_block(body, PARA_STYLE)


def render(frames: Frames, event_id: str) -> None:
    """The evidence panel for ``event_id`` (frames: the loaded, unfiltered frames)."""
    events = frames.events
    rows = events.loc[events["id"] == event_id]
    if rows.empty:
        st.info("The selected event is not in the store any more.")
        return
    ev = rows.iloc[0]
    mentions = frames.mentions_of([event_id])
    mentions = mentions.sort_values(["published", "source"], na_position="last")
    st.markdown(f"#### {md_text(ev['title'])}")
    written = "" if pd.isna(ev["date_text"]) else f" — written “{md_text(ev['date_text'])}”"
    if pd.isna(ev["start"]):
        st.write(f"Undated{written}.")
    else:
        span = _date(ev["start"]) if ev["start"] == ev["end"] else \
            f"{_date(ev['start'])} to {_date(ev['end'])}"
        mod = "" if pd.isna(ev["mod"]) else f", {ev['mod']}"
        st.write(f"**{ev['value']}** ({ev['precision']} precision{mod}): {span}{written}")
    actors = ", ".join(ev["actors"]) if len(ev["actors"]) else "no actor found"
    st.write(f"{ev['type']} · {ev['modality']} · actors: {actors} · "
             f"{int(ev['n_sources'])} source(s), {int(ev['n_mentions'])} mention(s)")
    if bool(ev["conflict"]):
        st.error(f"Conflicting dates: {md_text(ev['conflict_note'])}")
        claims = mentions[["source", "published", "timex_text", "value", "start", "end",
                           "precision", "explanation"]].copy()
        claims["published"] = claims["published"].map(_date)
        claims["start"] = claims["start"].map(_date)
        claims["end"] = claims["end"].map(_date)
        st.dataframe(claims, hide_index=True, width="stretch")
    for _, m in mentions.iterrows():
        source = m["source"] if not pd.isna(m["source"]) else "unknown source"
        st.markdown(f"**{md_text(source)}**, published {_date(m['published'])}")
        st.markdown(_mention_html(m), unsafe_allow_html=True)
        if not pd.isna(m["explanation"]) and m["explanation"]:
            st.caption(f"Date: {md_text(m['explanation'])} ({m['date_source']})")
    others = sorted(set(mentions["source"].dropna()))
    if len(others) > 1:
        st.caption("Sources for this event: " + ", ".join(md_text(s) for s in others))
