"""The Timeline page's figure (``view_figure``) and the exported one (the same, plus caption).

The page, the CLI and the app's download buttons all draw the chart through
``view_figure``: an exported file shows exactly the marks, claim spans and labels
the Timeline page shows for the same filter.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go

from timeline.export.caption import caption_for, with_caption


def default_title(flt: Any) -> str:
    """A short title naming what the view is about ("Vladimir Putin · 2022-01-01 to 2024-12-31")."""
    who = [*getattr(flt, "actors", ()), *getattr(flt, "leaders", ()), *getattr(flt, "countries", ())]
    head = ", ".join(str(w) for w in who[:3]) + (" and others" if len(who) > 3 else "")
    start, end = getattr(flt, "start", None), getattr(flt, "end", None)
    span = ""
    if start or end:
        span = f"{start.isoformat() if start else '…'} to {end.isoformat() if end else '…'}"
    return " · ".join(p for p in (f"Events: {head}" if head else "Event timeline", span) if p)


def view_figure(
    view: Any,
    flt: Any,
    *,
    lanes: str = "actor",
    labels: bool = True,
    title: str | None = None,
    max_marks: int = 3000,
) -> go.Figure:
    """The timeline of already filtered frames ``view``: what the page shows and exports carry
    (marks, each source's claimed dates for conflicts, labels, the title naming the filter)."""
    from timeline.charts import TEMPLATE, timeline_figure

    return timeline_figure(view.events, view.actors, lanes=lanes, title=title or default_title(flt),
                           max_marks=max_marks, template=TEMPLATE, mentions=view.mentions_of,
                           labels=labels)


def build_export_figure(
    frames: Any,
    flt: Any,
    *,
    lanes: str = "actor",
    labels: bool = True,
    title: str | None = None,
    max_marks: int = 3000,
    generated: dt.date | None = None,
    width: int | None = None,
) -> tuple[go.Figure, Any]:
    """(captioned figure, filtered frames) for ``flt`` applied to ``frames``.

    ``generated`` is the date printed in the caption (passed in: the library
    never reads the clock); ``None`` leaves the caption out.
    """
    from timeline.filters import filter_events

    view = filter_events(frames, flt)
    title = title or default_title(flt)
    fig = view_figure(view, flt, lanes=lanes, labels=labels, title=title, max_marks=max_marks)
    if generated is not None:
        # the chart already carries the title (and its own subtitle, e.g. the level of detail)
        fig = with_caption(fig, caption_for(flt, view.events, generated),
                           None if fig.layout.title.text else title, width=width)
    return fig, view


def export_view(
    frames: Any,
    flt: Any,
    fmt: str,
    *,
    lanes: str = "actor",
    labels: bool = True,
    width: int = 1400,
    height: int | None = None,
    scale: float = 2.0,
    title: str | None = None,
    max_marks: int = 3000,
    generated: dt.date | None = None,
) -> tuple[bytes, Any]:
    """(file bytes, filtered frames) for any export format: the one path CLI and app share."""
    from timeline.export.data import DATA_FORMATS, data_bytes
    from timeline.export.images import IMAGE_FORMATS, html_bytes, image_bytes

    from timeline.export.story import STORY_FORMATS, story_bytes

    fmt = fmt.lower()
    if fmt in STORY_FORMATS:
        from timeline.filters import filter_events

        return story_bytes(frames, flt, fmt, generated=generated, title=title), \
            filter_events(frames, flt)
    if fmt in DATA_FORMATS:
        from timeline.filters import filter_events

        view = filter_events(frames, flt)
        return data_bytes(view, fmt, title=title or default_title(flt)), view
    fig, view = build_export_figure(frames, flt, lanes=lanes, labels=labels, title=title,
                                    max_marks=max_marks,
                                    generated=generated, width=width)
    if fmt == "html":
        return html_bytes(fig), view
    if fmt in IMAGE_FORMATS:
        return image_bytes(fig, fmt, width=width, height=height, scale=scale), view
    from timeline.errors import UserError

    raise UserError(f"unknown export format {fmt!r}: use png, svg, pdf, html, csv, json, parquet, timelinejs, story-html or story-pdf")
