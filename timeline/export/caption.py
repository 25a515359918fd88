"""Title and caption block, so an exported chart carries its own context in a report.

The caption says which filters produced the view, the date window, how many
events and sources it shows and when it was generated. It sits below the plot
area (and its axis labels) in a bottom margin grown to fit, so it never covers
data or ticks; a legend placed under the plot moves to a column on the right.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from timeline.export.images import DEFAULT_HEIGHT, DEFAULT_WIDTH

CAPTION_FONT_PX = 13
TITLE_FONT_PX = 22
LEGEND_FONT_PX = 12
_LINE_PX = 19
_CHAR_PX = 7.4  # average advance of a 13 px DejaVu Sans character
_SIDE_PX = 220  # lane labels on the left, a little air on the right


def _fmt_date(value: Any) -> str | None:
    if value is None or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _names(values: Iterable[str] | None) -> list[str]:
    return [str(v) for v in (values or ()) if str(v)]


def describe_filter(flt: Any) -> str:
    """The active filters in plain words ("none" when the view is unfiltered)."""
    parts = []
    for attr, label in (
        ("actors", "actor"), ("leaders", "leader"), ("countries", "country"),
        ("sources", "source"), ("types", "type"), ("modalities", "modality"),
    ):
        names = _names(getattr(flt, attr, ()))
        if names:
            parts.append(f"{label}: {', '.join(names)}")
    text = (getattr(flt, "text", "") or "").strip()
    if text:
        parts.append(f'text contains "{text}"')
    if not getattr(flt, "include_undated", True):
        parts.append("undated events excluded")
    return "; ".join(parts) if parts else "none (all events)"


def describe_window(flt: Any, events_df: pd.DataFrame | None = None) -> str:
    """The date window asked for, or the span the events cover when it is open."""
    start, end = _fmt_date(getattr(flt, "start", None)), _fmt_date(getattr(flt, "end", None))
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    if events_df is not None and len(events_df) and "start" in events_df:
        lo, hi = events_df["start"].min(), events_df["end"].max()
        if _fmt_date(lo) and _fmt_date(hi):
            return f"all dates (events span {_fmt_date(lo)} to {_fmt_date(hi)})"
    return "all dates"


def count_sources(events_df: pd.DataFrame) -> int:
    """Distinct outlets over the events' ``sources`` lists (vectorised: 1M events in about a second)."""
    if "sources" not in events_df or not len(events_df):
        return 0
    return int(events_df["sources"].explode().dropna().nunique())


def caption_for(flt: Any, events_df: pd.DataFrame, generated: dt.date) -> str:
    """Caption text (one fact per line) for the view ``flt`` selected from ``events_df``."""
    n = len(events_df)
    undated = int(events_df["start"].isna().sum()) if n and "start" in events_df else 0
    n_src = count_sources(events_df)
    counts = f"{n:,} event{'s' if n != 1 else ''}"
    if undated:
        counts += f" ({undated:,} undated, not on the axis)"
    counts += f" from {n_src:,} source{'s' if n_src != 1 else ''}"
    return "\n".join([
        f"Filters: {describe_filter(flt)}",
        f"Date window: {describe_window(flt, events_df)}",
        f"{counts}. Generated {generated.isoformat()}.",
    ])


def _wrap(caption: str, width_px: int) -> list[str]:
    chars = max(40, int((width_px - _SIDE_PX) / _CHAR_PX))
    lines: list[str] = []
    for line in caption.splitlines() or [""]:
        lines.extend(textwrap.wrap(line, chars) or [""])
    return lines


def _fit_px(title_html: str, width_px: int) -> int:
    """Largest title font (px, at least 14) whose first line fits ``width_px`` (bold ~0.62 em/char)."""
    first = re.sub(r"<[^>]+>", "", re.split(r"<br\s*/?>", title_html)[0])
    if not first:
        return TITLE_FONT_PX
    return max(14, int((width_px - 40) / (0.62 * len(first))))


def with_caption(fig: go.Figure, caption: str, title: str | None = None, *,
                 width: int | None = None) -> go.Figure:
    """A copy of ``fig`` with ``title`` on top and ``caption`` below the plot area.

    ``width`` is the export width in pixels (default: the figure's, else 1400);
    the caption wraps to fit it.
    """
    out = go.Figure(fig)
    width_px = int(width or out.layout.width or DEFAULT_WIDTH)
    lines = _wrap(caption, width_px)
    caption_px = len(lines) * _LINE_PX + 14

    legend = out.layout.legend
    if legend.orientation == "h" and legend.y is not None and legend.y < 0:
        # a legend under the plot would sit where the caption goes: a column on the right
        # never collides with title, axis or caption (plotly widens the margin for it)
        out.update_layout(legend=dict(orientation="v", x=1.01, xanchor="left", y=1, yanchor="top"))
    has_xtitle = bool(out.layout.xaxis.title.text)
    axis_px = 80 if has_xtitle else 56
    margin = out.layout.margin
    bottom = max(margin.b if margin.b is not None else 0, axis_px)
    top = max(margin.t if margin.t is not None else 0, 90 if title else 60)
    out.update_layout(
        margin=dict(b=bottom + caption_px, t=top),
        height=int((out.layout.height or DEFAULT_HEIGHT) + caption_px),
    )
    out.add_annotation(
        text="<br>".join(html.escape(line, quote=False) for line in lines),
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-bottom, align="left", showarrow=False,
        font=dict(size=CAPTION_FONT_PX, color="#444"),
        name="export-caption",
    )
    # print sizes: a report is read at arm's length, not zoomed on a screen; the title
    # shrinks (not below 14 px) when its first line would not fit the width
    title_px = min(TITLE_FONT_PX, _fit_px(title or out.layout.title.text or "", width_px))
    out.update_layout(title_font_size=title_px)
    if (out.layout.legend.font.size or 0) < LEGEND_FONT_PX:
        out.update_layout(legend_font_size=LEGEND_FONT_PX)
    if title:
        out.update_layout(title=dict(
            text=f"<b>{html.escape(title, quote=False)}</b>", x=0.01, xanchor="left", xref="container",
            y=1, yref="container", yanchor="top", pad=dict(t=18),
            font=dict(size=title_px),
        ))
    return out
