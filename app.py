"""Entry point: the page frame (navigation over pages/, shared sidebar filters), nothing else.

Run: TIMELINE_DB=data/timeline.duckdb streamlit run app.py
"""
from __future__ import annotations

import streamlit as st

from dashboard import errors, sidebar, state

st.set_page_config(page_title="Event timeline", layout="wide")

# url paths are the names Streamlit's legacy pages/ discovery gives these files. That
# discovery still answers the first request of a fresh server (before st.navigation has
# run once in the process): with the same names it finds the page instead of showing
# "Page not found", and ``dashboard.data.frame_guard`` reruns the page through this frame.
PAGES = [
    st.Page("pages/timeline.py", title="Timeline", default=True, url_path="timeline"),
    st.Page("pages/story.py", title="Story", url_path="story"),
    st.Page("pages/events.py", title="Events", url_path="events"),
    st.Page("pages/sources.py", title="Sources", url_path="sources"),
    st.Page("pages/compare.py", title="Compare", url_path="compare"),
    st.Page("pages/quality.py", title="Quality", url_path="quality"),
]

page = st.navigation(PAGES)
with errors.handled():  # the one place errors become what the user sees
    state.init()
    sidebar.render()
    page.run()
    state.sync_url()
