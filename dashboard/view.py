"""What every page shows: the loaded frames narrowed by the sidebar filter."""
from __future__ import annotations

import streamlit as st

from dashboard import data, state
from timeline.filters import filter_events
from timeline.frame import Frames


def frames_and_view() -> tuple[Frames, Frames]:
    """(all frames, filtered frames) for the current sidebar filter."""
    frames = data.frames()
    return frames, filter_events(frames, state.current_filter())


def empty_store_hint(frames: Frames) -> bool:
    """Say what to do when the store holds nothing; True when it is empty."""
    if len(frames.documents) or len(frames.events):
        return False
    st.info("The store is empty. Add articles on the **Sources** page, or run "
            "`make store` to load the sample articles.")
    return True
