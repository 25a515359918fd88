"""Entry point: the page frame (navigation over pages/, shared sidebar filters), nothing else.

Run: TIMELINE_DB=data/timeline.duckdb streamlit run app.py
"""
from __future__ import annotations

import streamlit as st

from dashboard import sidebar, state

st.set_page_config(page_title="Event timeline", layout="wide")

# url paths deliberately differ from the file names: Streamlit still runs its legacy
# pages/ auto-discovery once per process (and on every AppTest run) before this
# st.navigation call; a page whose hash matched a discovered file would then run
# without this frame (no sidebar). Distinct paths make it fall through to app.py.
PAGES = [
    st.Page("pages/timeline.py", title="Timeline", default=True, url_path="timeline-chart"),
    st.Page("pages/story.py", title="Story", url_path="event-story"),
    st.Page("pages/events.py", title="Events", url_path="event-table"),
    st.Page("pages/sources.py", title="Sources", url_path="source-list"),
    st.Page("pages/compare.py", title="Compare", url_path="compare-sources"),
    st.Page("pages/quality.py", title="Quality", url_path="quality-report"),
]

page = st.navigation(PAGES)
state.init()
sidebar.render()
page.run()
state.sync_url()
