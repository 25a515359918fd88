"""Download buttons for the current view (files are built only when clicked)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from timeline.filters import EventFilter
from timeline.frame import Frames

MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
        "html": "text/html", "csv": "text/csv", "json": "application/json",
        "parquet": "application/vnd.apache.parquet", "timelinejs": "application/json"}


def render(frames: Frames, flt: EventFilter, lanes: str, labels: bool = True) -> None:
    from timeline.export import IMAGE_FORMATS, ExportUnavailable, browser_path, export_view

    try:
        browser_path()
        formats = list(MIME)
        missing = None
    except ExportUnavailable as exc:
        formats = [f for f in MIME if f not in IMAGE_FORMATS]
        missing = str(exc)
    today = dt.date.today()  # the UI may read the clock; the library never does

    def build(fmt: str):
        return lambda: export_view(frames, flt, fmt, lanes=lanes, labels=labels,
                                   generated=today)[0]

    cols = st.columns(len(formats))
    for col, fmt in zip(cols, formats):
        ext = "json" if fmt == "timelinejs" else fmt
        name = f"timeline-{today.isoformat()}{'-timelinejs' if fmt == 'timelinejs' else ''}.{ext}"
        col.download_button(fmt.upper() if fmt != "timelinejs" else "TimelineJS", build(fmt),
                            file_name=name, mime=MIME[fmt], key=f"export_{fmt}",
                            on_click="ignore", width="stretch")
    if missing:
        st.caption(missing)
