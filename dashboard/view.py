"""What every page shows: the loaded frames narrowed by the sidebar filter."""
from __future__ import annotations

import streamlit as st

from dashboard import data, state
from timeline.filters import filter_events
from timeline.frame import Frames

#: Where plotly.js finds the map's country shapes: static/topojson, which Streamlit serves
#: (server.enableStaticServing in .streamlit/config.toml) instead of plotly's CDN.
TOPOJSON_URL = "/app/static/topojson/"


def frames_and_view() -> tuple[Frames, Frames]:
    """(all frames, filtered frames) for the current sidebar filter."""
    frames = data.frames()
    return frames, filter_events(frames, state.current_filter())


def empty_store_hint(frames: Frames) -> bool:
    """Say what to do when the store holds nothing; True when it is empty."""
    if len(frames.documents) or len(frames.events):
        return False
    st.info("The store is empty. Add articles on the **Sources** page, or load the sample "
            f"articles: in the project folder run `make store DB={_shown_path()}` (or `make run`, "
            "which also starts the app), then reload this page.")
    return True


def _shown_path() -> str:
    """The store's path as `make` (run in the project folder) takes it: relative when inside."""
    from pathlib import Path

    path = Path(data.db_path())
    root = Path(__file__).resolve().parent.parent
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
