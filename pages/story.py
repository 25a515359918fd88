"""Story: the filtered events in date order as cards (date at its precision, title, actors,
modality, sources, the evidence sentence, conflicts), with HTML/PDF downloads.

Every card is an ``<article tabindex=0>``: Tab / Shift+Tab move from card to card. The
filters and the selected event (``?event=``, highlighted, its page opened) are in the URL.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import state, view
from dashboard.markup import html_block
from timeline.maps import country_name
from timeline.story import card_html, story_cards

PER_PAGE = 50
PAGE_KEY = "story_page"

frames, shown = view.frames_and_view()
if view.empty_store_hint(frames):
    st.stop()
flt = state.current_filter()
cards = story_cards(shown, country_name)
n_pages = max(1, -(-len(cards) // PER_PAGE))
selected = state.selected_event()
ids = [c.id for c in cards]
if selected in ids and PAGE_KEY not in st.session_state:
    st.session_state[PAGE_KEY] = ids.index(selected) // PER_PAGE + 1
n_dated = sum(1 for c in cards if c.date != "undated")
st.caption(f"{len(cards):,} events in date order ({n_dated:,} dated, then "
           f"{len(cards) - n_dated:,} undated). Tab moves from card to card.")
page = 1
if n_pages > 1:
    page = int(st.number_input(f"Page (of {n_pages}, {PER_PAGE} events each)", min_value=1,
                               max_value=n_pages, step=1, key=PAGE_KEY))
for card in cards[(page - 1) * PER_PAGE: page * PER_PAGE]:
    st.markdown(html_block(card_html(card, highlight=card.id == selected), ""),
                unsafe_allow_html=True)
if not cards:
    st.info("No event matches the filters.")


def _download(fmt: str):
    from timeline.export.story import story_bytes

    return lambda: story_bytes(frames, flt, f"story-{fmt}", generated=dt.date.today())


with st.expander("Export this story"):
    c1, c2 = st.columns(2)
    today = dt.date.today().isoformat()
    c1.download_button("Story HTML", _download("html"), file_name=f"story-{today}.html",
                       mime="text/html", key="story_html", on_click="ignore", width="stretch")
    c2.download_button("Story PDF", _download("pdf"), file_name=f"story-{today}.pdf",
                       mime="application/pdf", key="story_pdf", on_click="ignore",
                       width="stretch")
