"""Pure chart builders: event frames -> ``plotly.graph_objects.Figure``.

No streamlit here, and every figure carries an explicit template (importing
streamlit silently changes plotly's default one). Glyphs carry meaning:

* day precision -> a point; a day-precision range -> a bar from start to end;
* week/month/quarter/year... precision -> a translucent span over the whole
  period with a marker at its middle (never a fake exact day);
* approximate dates (``mod == "APPROX"``) -> a dotted whisker over the period;
* open-ended dates ("weeks later" than a date: ``AFTER`` / ``ON_OR_AFTER``, and ``BEFORE`` /
  ``ON_OR_BEFORE``) -> a dashed tail from the date the way the event lies;
* modality -> marker symbol: solid = occurred, hollow = proposed/planned,
  x = refused, hollow with a dot = reported;
* conflicts -> red ring and "!", plus each source's claimed span in red when
  the mentions are given.

Above ``max_marks`` marks the figure switches to counts per lane and period
(a heatmap), so the browser never receives more than a few hundred kB.
"""
from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.compute as pc
from plotly.subplots import make_subplots

#: Explicit light template: fonts the browser already has (no CDN), quiet grid.
TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family="DejaVu Sans, Arial, Helvetica, sans-serif", size=13, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=["#1f4e79", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d"],
        xaxis=dict(showgrid=True, gridcolor="#e6e6e6", linecolor="#999", ticks="outside",
                   zeroline=False),
        yaxis=dict(showgrid=True, gridcolor="#f0f0f0", linecolor="#999", zeroline=False),
        hoverlabel=dict(bgcolor="white", font=dict(size=12), align="left"),
        legend=dict(bgcolor="rgba(255,255,255,0.85)", bordercolor="#ddd", borderwidth=1),
        margin=dict(l=10, r=10, t=60, b=40),
    )
)

LANE_MODES = ("actor", "country", "type", "single")
MARK_COLOR = "#1f4e79"
CONFLICT_COLOR = "#c0392b"
SPAN_COLOR = "rgba(31, 78, 121, 0.22)"

#: modality -> (marker symbol, legend label)
MODALITY_GLYPHS: dict[str, tuple[str, str]] = {
    "occurred": ("circle", "occurred (solid)"),
    "proposed": ("circle-open", "proposed (hollow)"),
    "planned": ("square-open", "planned (hollow square)"),
    "refused": ("x", "refused / denied (cross)"),
    "reported": ("circle-open-dot", "reported (hollow, dot)"),
}
UNKNOWN_MODALITY = ("diamond", "other modality")
COARSE_PRECISIONS = ("week", "month", "quarter", "season", "half", "year", "decade", "century")
MAX_LANES = 30
#: Above this many markers the marker traces switch to WebGL.
WEBGL_ABOVE = 1500
# aggregation periods, finest first: (name, numpy unit, step in that unit)
_PERIODS = (("day", "D", 1), ("week", "W", 1), ("month", "M", 1), ("quarter", "M", 3),
            ("year", "Y", 1), ("decade", "Y", 10), ("century", "Y", 100))
MAX_PERIODS = 400
#: Labels are placed for a figure at least this wide (px): the page's chart on a laptop.
LABEL_REFERENCE_WIDTH = 900
#: Room above the first lane (in lanes) for a conflict's "!" and labels above its marks.
TOP_PAD = 0.3
#: ``name`` of the label annotations (tests and exports find them by it).
LABEL_NAME = "event-label"


def _esc(value: object) -> str:
    """HTML-escape article text before it reaches a hover label."""
    if value is None or (not isinstance(value, (list, tuple, np.ndarray)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _wrap(value: object, width: int = 70) -> str:
    """Escaped text broken into lines for a hover label (long notes overflow the chart)."""
    if not _esc(value):
        return ""
    lines = textwrap.wrap(str(value), width=width, break_long_words=False) or [str(value)]
    return "<br>".join(html.escape(line, quote=True) for line in lines)


def _iso(values: np.ndarray) -> np.ndarray:
    """datetime64 -> 'YYYY-MM-DD' strings (plotly reads them for any year 1..9999)."""
    return np.datetime_as_string(values.astype("datetime64[D]"), unit="D").astype(object)


def _lane_of_none(lanes: str) -> str:
    return {"actor": "(no actor)", "country": "(no country)", "type": "(no type)"}.get(
        lanes, "All events")


def _arrow(series: pd.Series, type_: pa.DataType | None = None) -> pa.Array:
    values = series.to_numpy(dtype=object) if series.dtype == object else series
    arr = pa.array(values, type=type_) if type_ is not None else pa.array(values)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _encode(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Strings -> (int codes, names): lanes are handled as integers until the end."""
    encoded = pc.dictionary_encode(pc.fill_null(arr.cast(pa.large_string()), ""))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, [str(v) for v in encoded.dictionary.to_pylist()]


def _unique_ints(values: np.ndarray) -> np.ndarray:
    """Sorted unique integers (hash then sort: far faster than np.unique here)."""
    return np.sort(pd.unique(values))


@dataclass(frozen=True)
class Lanes:
    """Which lane(s) each dated event sits in: parallel int arrays + the lane names.

    ``pos`` indexes rows of the events frame, ``code`` indexes ``names``; each
    (pos, code) pair is unique. ``names`` are ordered busiest lane first.
    """

    pos: np.ndarray
    code: np.ndarray
    names: list[str]

    def __len__(self) -> int:
        return len(self.pos)

    @property
    def lane(self) -> np.ndarray:
        return np.asarray(self.names, dtype=object)[self.code]


def lane_rows(events: pd.DataFrame, actors: pd.DataFrame | None, lanes: str,
              max_lanes: int | None = None) -> Lanes:
    """One row per (event, lane): an event with three participants sits in three lanes.

    Vectorised through Arrow (a million events in about a second). Lanes are
    ordered by number of distinct events; beyond ``max_lanes`` the quietest are
    folded into one "(N others)" lane.
    """
    if lanes not in LANE_MODES:
        raise ValueError(f"lanes must be one of {LANE_MODES}, not {lanes!r}")
    n = len(events)
    if lanes == "single" or n == 0:
        return Lanes(np.arange(n), np.zeros(n, dtype=np.int64), ["All events"])
    if lanes == "type":
        pos = np.arange(n)
        code, names = _encode(_arrow(events["type"], pa.large_string()))
    elif lanes == "actor":
        if actors is None or actors.empty:
            pos, code, names = np.array([], np.int64), np.array([], np.int64), []
        else:
            where = pc.index_in(_arrow(actors["event_id"], pa.large_string()),
                                value_set=_arrow(events["id"], pa.large_string()))
            pos = where.to_numpy(zero_copy_only=False)
            keep = ~np.isnan(pos) if pos.dtype.kind == "f" else np.ones(len(pos), bool)
            code, names = _encode(_arrow(actors["name"], pa.large_string()))
            pos, code = pos[keep].astype(np.int64), code[keep]
    else:  # country
        lists = _arrow(events["countries"], pa.list_(pa.string()))
        pos = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
        code, names = _encode(pc.list_flatten(lists))
    none_name = _lane_of_none(lanes)
    names = [nm if nm else none_name for nm in names]
    width = len(names) + 1
    key = _unique_ints(pos * width + code)
    pos, code = key // width, key % width
    has = np.zeros(n, dtype=bool)
    has[pos] = True
    if not has.all():  # events without any lane value get their own lane
        missing = np.flatnonzero(~has)
        if none_name in names:
            none_code = names.index(none_name)
        else:
            none_code = len(names)
            names = names + [none_name]
        pos = np.concatenate([pos, missing])
        code = np.concatenate([code, np.full(len(missing), none_code)])
    counts = np.bincount(code, minlength=len(names))
    order = np.argsort(-counts, kind="stable")
    order = order[counts[order] > 0]
    if none_name in names:  # "(no actor)" is a remainder, not a lane to read first: put it last
        none_code = names.index(none_name)
        order = np.concatenate([order[order != none_code], order[order == none_code]])
    if max_lanes is not None and len(order) > max_lanes:
        folded = len(order) - max_lanes + 1
        order = order[: max_lanes - 1]
        rank = np.full(len(names), len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        new_names = [names[i] for i in order] + [f"({folded} others)"]
    else:
        rank = np.full(len(names), -1, dtype=np.int64)
        rank[order] = np.arange(len(order))
        new_names = [names[i] for i in order]
    code = rank[code]
    if len(new_names) < len(order):  # folded lanes may now repeat an event: dedupe again
        width = len(new_names) + 1
        key = _unique_ints(pos * width + code)
        pos, code = key // width, key % width
    return Lanes(pos, code, new_names)


_LANE_COLUMNS = ("id", "type", "countries", "start", "end")


def _dated(events: pd.DataFrame, columns: Sequence[str] = _LANE_COLUMNS) -> pd.DataFrame:
    """The dated rows, restricted to ``columns`` (row selection copies every column)."""
    return events[list(columns)].loc[events["start"].notna().to_numpy()]


def _midpoints(events: pd.DataFrame) -> np.ndarray:
    start = events["start"].to_numpy().astype("datetime64[s]")
    end = events["end"].fillna(events["start"]).to_numpy().astype("datetime64[s]")
    return start + (end - start) // 2


def choose_period(start: np.datetime64, end: np.datetime64, max_periods: int = MAX_PERIODS) -> str:
    """Finest period (day, week, month, ... century) giving at most ``max_periods`` columns."""
    span_days = max(1, int((end - start) / np.timedelta64(1, "D")) + 1)
    approx_days = {"day": 1, "week": 7, "month": 30.44, "quarter": 91.3, "year": 365.25,
                   "decade": 3652.5, "century": 36525}
    for name, _unit, _step in _PERIODS:
        if span_days / approx_days[name] <= max_periods:
            return name
    return "century"


def period_start(days: np.ndarray, period: str) -> np.ndarray:
    """Floor datetime64 values to the start of their period (as datetime64[D])."""
    days = days.astype("datetime64[D]")
    if period == "day":
        return days
    if period == "week":  # ISO weeks start on Monday; 1970-01-01 was a Thursday
        offset = (days.astype("int64") - 4) % 7
        return days - offset.astype("timedelta64[D]")
    unit, step = {"month": ("M", 1), "quarter": ("M", 3), "year": ("Y", 1), "decade": ("Y", 10),
                  "century": ("Y", 100)}[period]
    coarse = days.astype(f"datetime64[{unit}]")
    ints = coarse.astype("int64")
    if unit == "Y":  # numpy years count from 1970: align decades/centuries on calendar years
        ints = ((ints + 1970) // step) * step - 1970
    else:
        ints = (ints // step) * step
    return ints.astype(f"datetime64[{unit}]").astype("datetime64[D]")


def _hover(events: pd.DataFrame) -> np.ndarray:
    """Escaped hover text per event: title, date as written and resolved, actors, sources."""
    out = []
    for row in events.itertuples(index=False):
        start = "" if pd.isna(row.start) else str(row.start.date())
        end = "" if pd.isna(row.end) else str(row.end.date())
        resolved = start if start == end or not end else f"{start} – {end}"
        precision = "" if pd.isna(row.precision) else f" ({_esc(row.precision)} precision)"
        approx = f" {_MOD_WORDS[row.mod]}" if (not pd.isna(row.mod) and row.mod in _MOD_WORDS) else ""
        actors = ", ".join(str(a) for a in (row.actors if row.actors is not None else []))
        lines = [
            f"<b>{_wrap(row.title)}</b>",
            f"written: “{_esc(row.date_text)}”" if not pd.isna(row.date_text) else "",
            f"resolved:{approx} {_esc(row.value)} → {resolved}{precision}",
            f"actors: {_wrap(actors) if actors else '—'}",
            f"{_esc(row.type)} · {_esc(row.modality)} · sources: {int(row.n_sources)}",
        ]
        if row.conflict:
            lines.append(f"<b>! conflict</b>: {_wrap(row.conflict_note)}")
        out.append("<br>".join(line for line in lines if line))
    return np.asarray(out, dtype=object)


# how a modifier reads in the hover ("resolved: after 1940-05-13 → ..."); the others are in the value's span
_MOD_WORDS = {"APPROX": "approximately", "AFTER": "after", "ON_OR_AFTER": "on or after", "BEFORE": "before",
              "ON_OR_BEFORE": "on or before"}
_LATER_MODS, _EARLIER_MODS = ["AFTER", "ON_OR_AFTER"], ["BEFORE", "ON_OR_BEFORE"]


def _segments(x0: np.ndarray, x1: np.ndarray, y: np.ndarray) -> tuple[list, list]:
    """Line segments (x0->x1 at y) as one trace: values separated by None."""
    xs: list = []
    ys: list = []
    for a, b, lane in zip(_iso(x0), _iso(x1), y):
        xs += [a, b, None]
        ys += [lane, lane, None]
    return xs, ys


def _legend_only(name: str, **marker: object) -> go.Scatter:
    return go.Scatter(x=[None], y=[None], mode="markers", name=name, marker=marker,
                      hoverinfo="skip", showlegend=True)


def timeline_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    lanes: str = "actor",
    title: str | None = None,
    max_marks: int = 3000,
    template: go.layout.Template = TEMPLATE,
    mentions: pd.DataFrame | Callable[[Sequence[str]], pd.DataFrame] | None = None,
    max_lanes: int = MAX_LANES,
    labels: bool = True,
    label_width: int = LABEL_REFERENCE_WIDTH,
) -> go.Figure:
    """The timeline: one lane per actor/country/type (or one lane), one mark per event and lane.

    Undated events are not drawn (the page lists them). ``customdata`` of every
    marker is the event id, for selection. Above ``max_marks`` marks returns
    :func:`aggregate_figure` instead. With ``labels`` the most salient events carry
    their short title (see :mod:`timeline.labels`), placed for a figure at least
    ``label_width`` px wide. Lanes whose events all lie outside the initial window
    are moved below the visible range (no empty lanes in view).
    """
    light = _dated(events)  # only the columns lanes need: a million rows copy fast
    rows = lane_rows(light, actors, lanes, max_lanes=max_lanes)
    n_events = len(light)
    if len(rows) > max_marks:
        return aggregate_figure(light, actors, lanes=lanes, title=title, template=template,
                                rows=rows, max_lanes=max_lanes, max_marks=max_marks)
    order = rows.names
    dated = events.loc[events["start"].notna().to_numpy()]  # at most max_marks rows here
    fig = go.Figure()
    fig.update_layout(template=template)
    if n_events == 0:
        fig.add_annotation(text="No dated events match the filters.", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=16))
        fig.update_layout(title=title or "Timeline", height=300,
                          xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig

    pos = rows.pos
    ev = dated.iloc[pos]
    start = ev["start"].to_numpy().astype("datetime64[s]")
    end = ev["end"].fillna(ev["start"]).to_numpy().astype("datetime64[s]")
    mid = _midpoints(ev)
    window = focus_window(start, end, mid)
    x_range = window if window is not None else _padded_range(start, end)
    rows, n_visible = _visible_lanes_first(rows, (end >= x_range[0]) & (start <= x_range[1]))
    order = rows.names
    lane = rows.lane
    precision = ev["precision"].fillna("day").astype(object).to_numpy()
    coarse = np.isin(precision, COARSE_PRECISIONS)
    is_range = ~coarse & (end > start)
    mods = ev["mod"].fillna("").astype(object).to_numpy()
    approx = (mods == "APPROX") | (precision == "approximate")
    later, earlier = np.isin(mods, _LATER_MODS), np.isin(mods, _EARLIER_MODS)
    modality = ev["modality"].fillna("").astype(object).to_numpy()
    conflict = ev["conflict"].fillna(False).to_numpy(dtype=bool)
    ids = ev["id"].astype(object).to_numpy()
    hover = _hover(dated)[pos]

    # connectors: one thin vertical line per event present in several lanes
    multi = pd.DataFrame({"pos": rows.pos, "rank": rows.code}).groupby("pos")["rank"].agg(
        ["min", "max"])
    multi = multi[multi["min"] < multi["max"]]
    if len(multi):
        xs, ys = [], []
        mids = _iso(_midpoints(dated.iloc[multi.index.to_numpy()]))
        for x, lo, hi in zip(mids, multi["min"], multi["max"]):
            xs += [x, x, None]
            ys += [order[lo], order[hi], None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="same event, several lanes",
                                 line=dict(color="#9aa5b1", width=1), hoverinfo="skip"))
    if coarse.any():
        xs, ys = _segments(start[coarse], end[coarse], lane[coarse])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="week/month/year precision (span)",
                                 line=dict(color=SPAN_COLOR, width=14), hoverinfo="skip"))
    if is_range.any():
        xs, ys = _segments(start[is_range], end[is_range], lane[is_range])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="date range (bar)",
                                 line=dict(color=MARK_COLOR, width=6), hoverinfo="skip"))
    if approx.any():
        pad = np.timedelta64(3, "D")
        xs, ys = _segments(np.where(coarse | is_range, start, start - pad)[approx],
                           np.where(coarse | is_range, end, end + pad)[approx], lane[approx])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="approximate date (dotted)",
                                 line=dict(color="#555", width=2, dash="dot"), hoverinfo="skip"))
    if later.any() or earlier.any():  # "weeks later" than a date: not on it, somewhere after it
        tail = np.timedelta64(max(3, int((x_range[1] - x_range[0]) / np.timedelta64(1, "D") / 10)), "D")
        sel = later | earlier
        xs, ys = _segments(np.where(later, end, start - tail)[sel], np.where(later, end + tail, start)[sel],
                           lane[sel])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="after / before the date (dashed tail)",
                                 line=dict(color="#555", width=2, dash="dash"), hoverinfo="skip"))
    if mentions is not None and conflict.any():
        claimed = mentions(ev.loc[conflict, "id"].unique()) if callable(mentions) else mentions
        if not claimed.empty:
            _add_claims(fig, ev[conflict], lane[conflict], claimed)

    scatter = go.Scattergl if len(rows) > WEBGL_ABOVE else go.Scatter
    for key in [*MODALITY_GLYPHS, ""]:
        sel = (modality == key) if key else ~np.isin(modality, list(MODALITY_GLYPHS))
        if not sel.any():
            continue
        symbol, label = MODALITY_GLYPHS.get(key, UNKNOWN_MODALITY)
        n_distinct = len(set(ids[sel]))
        fig.add_trace(scatter(
            x=_iso(mid[sel]), y=lane[sel], mode="markers", name=f"{label} · {n_distinct}",
            marker=dict(symbol=symbol, size=11, color=MARK_COLOR,
                        line=dict(width=2, color=MARK_COLOR)),
            customdata=ids[sel], hovertext=hover[sel],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    if conflict.any():
        fig.add_trace(go.Scatter(
            x=_iso(mid[conflict]), y=lane[conflict], mode="markers+text", text=["!"] * int(
                conflict.sum()), textposition="top center",
            textfont=dict(color=CONFLICT_COLOR, size=14, family="DejaVu Sans, Arial"),
            name=f"conflicting dates (red ring) · {len(set(ids[conflict]))}",
            marker=dict(symbol="circle-open", size=20, color=CONFLICT_COLOR,
                        line=dict(width=2, color=CONFLICT_COLOR)),
            customdata=ids[conflict], hovertext=hover[conflict],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    if not (coarse.any() or is_range.any()):
        fig.add_trace(_legend_only("day precision (point)", symbol="circle", color=MARK_COLOR,
                                   size=9))
    shared = len(set(ids)) < len(ids)
    subtitle = f"{n_events:,} dated events"
    if shared:
        subtitle += " · shared events linked across lanes"
    if window is not None:
        outside = int(((end < window[0]) | (start > window[1]))[~pd.Series(ids).duplicated()
                                                                  .to_numpy()].sum())
        subtitle += f" · {outside} far outside this window" + (
            " (lanes below)" if n_visible < len(order) else "") + ": double-click for all"
    _layout(fig, title or "Timeline", subtitle, order, lanes, n_visible=n_visible)
    fig.update_xaxes(range=list(_iso(np.asarray(x_range))))
    if labels:
        _add_labels(fig, ev, rows, start, end, mid, x_range, n_visible, label_width)
    return fig


def _padded_range(start: np.ndarray, end: np.ndarray) -> tuple[np.datetime64, np.datetime64]:
    """The span of all marks plus 4 % each side (at least 3 days): an explicit x range, so
    label placement knows where every mark lands."""
    lo = start.min().astype("datetime64[D]")
    hi = end.max().astype("datetime64[D]")
    pad = max(3, int((hi - lo) / np.timedelta64(1, "D") * 0.04))
    return lo - np.timedelta64(pad, "D"), hi + np.timedelta64(pad, "D")


def _visible_lanes_first(rows: Lanes, in_view: np.ndarray) -> tuple[Lanes, int]:
    """Lanes with a mark in the initial window first (in their order), then the others.

    Returns the reordered lanes and how many have a mark in view: the y range shows
    only those, so no lane is drawn empty.
    """
    has = np.zeros(len(rows.names), dtype=bool)
    has[rows.code[in_view]] = True
    if has.all() or not has.any():
        return rows, len(rows.names)
    order = np.concatenate([np.flatnonzero(has), np.flatnonzero(~has)])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return Lanes(rows.pos, rank[rows.code], [rows.names[i] for i in order]), int(has.sum())


def _add_labels(fig: go.Figure, ev: pd.DataFrame, rows: Lanes, start: np.ndarray,
                end: np.ndarray, mid: np.ndarray, x_range: tuple, n_lanes: int,
                width: int) -> None:
    """Short titles of the most salient events in view, as annotations with leader lines."""
    from timeline.labels import LABEL_FONT_PX, place_labels, salience, short_title

    height = fig.layout.height
    longest = max((len(n) for n in rows.names), default=4)
    plot_w = width - 20 - (14 + 7.8 * longest)  # margins and the lane names (13 px font)
    # title and subtitle, date axis, and the legend underneath (3 entries a row at 1000 px)
    legend_rows = -(-sum(1 for t in fig.data if t.showlegend is not False) // 3)
    plot_h = height - 150 - 24 * legend_rows
    if plot_w < 200 or plot_h < 60:
        return
    pitch = plot_h / (n_lanes + TOP_PAD)
    r0, r1 = (np.datetime64(v, "s").astype(np.int64) for v in x_range)

    def px(t: np.ndarray) -> np.ndarray:
        return (t.astype("datetime64[s]").astype(np.int64) - r0) / max(1, r1 - r0) * plot_w

    x_mid, x_start, x_end = px(mid), px(start), px(end)
    y = (rows.code + 0.5 + TOP_PAD) * pitch
    visible = (rows.code < n_lanes) & (end >= x_range[0]) & (start <= x_range[1])
    precision = ev["precision"].fillna("day").astype(object).to_numpy()
    coarse = np.isin(precision, COARSE_PRECISIONS)
    conflict = ev["conflict"].fillna(False).to_numpy(dtype=bool)
    # obstacles: every mark, span, bar and conflict ring (with its "!") in view
    half = np.where(conflict, 11.0, 7.0)
    obstacles = [np.column_stack([x_mid - half, y - np.where(conflict, 28.0, 7.0),
                                  x_mid + half, y + half])[visible]]
    bars = visible & (x_end > x_start)
    thick = np.where(coarse, 7.0, 3.0)  # half the line widths (14 px spans, 6 px bars)
    obstacles.append(np.column_stack([x_start, y - thick, x_end, y + thick])[bars])
    # (the thin connectors between the lanes of one event are not obstacles: a label may
    # cross one, as a leader line does)
    # candidates: each event once, most salient first, with its mark in every visible lane
    score = salience(ev)
    rows_in_view = pd.DataFrame({"i": np.arange(len(rows.pos)), "pos": rows.pos,
                                 "code": rows.code, "score": score, "x": x_mid})[visible]
    rows_in_view = rows_in_view.sort_values(["score", "x", "code"], ascending=[False, True, True],
                                            kind="stable")
    titles = ev["title"].astype(object).to_numpy()
    candidates = [(short_title(titles[group["i"].iloc[0]]),
                   [(int(i), float(x_mid[i]), float(y[i])) for i in group["i"]])
                  for _, group in rows_in_view.groupby("pos", sort=False)]
    placed = place_labels(candidates, np.vstack(obstacles), plot_w, plot_h, pitch)
    ids = ev["id"].astype(object).to_numpy()
    names = rows.lane
    x_iso = _iso(mid)
    notes = [dict(x=x_iso[p.index], y=names[p.index], xref="x", yref="y", text=_esc(p.text),
                  ax=p.dx, ay=p.dy, axref="pixel", ayref="pixel", showarrow=True, arrowhead=0,
                  arrowwidth=1, arrowcolor="#8a8a8a", standoff=6,
                  font=dict(size=LABEL_FONT_PX, color="#222"), bgcolor="rgba(255,255,255,0.9)",
                  borderpad=1, name=LABEL_NAME, captureevents=False) for p in placed]
    meta = dict(fig.layout.meta or {})
    meta["labels"] = [str(ids[p.index]) for p in placed]
    # one assignment: add_annotation re-validates every earlier annotation (quadratic)
    fig.update_layout(annotations=[*fig.layout.annotations, *notes], meta=meta)


def focus_window(start: np.ndarray, end: np.ndarray, mid: np.ndarray,
                 ) -> tuple[np.datetime64, np.datetime64] | None:
    """A window on the bulk of the events when a few outliers (a 1654 treaty, "the last
    century") would squeeze everything else into a sliver; None when all fit well.

    The bulk is the 5th-95th percentile of event middles; it is used only when the full
    span is more than ten times wider. Outliers stay in the figure (zoom out to see them).
    """
    if len(mid) < 10:
        return None
    days = mid.astype("datetime64[D]").astype(np.int64)
    lo, hi = np.percentile(days, [5, 95])
    full = int(end.astype("datetime64[D]").astype(np.int64).max()
               - start.astype("datetime64[D]").astype(np.int64).min())
    bulk = max(hi - lo, 30.0)
    if full <= 10 * bulk:
        return None
    pad = bulk * 0.08
    as_day = lambda v: np.datetime64(int(v), "D")  # noqa: E731
    return as_day(lo - pad), as_day(hi + pad)


def _add_claims(fig: go.Figure, ev: pd.DataFrame, lane: np.ndarray, mentions: pd.DataFrame) -> None:
    """Each source's claimed date for conflicting events, as red whiskers under the mark."""
    lane_of: dict[str, str] = {}
    for event_id, name in zip(ev["id"].astype(object), lane):
        lane_of.setdefault(event_id, name)  # the event's first (busiest) lane
    claims = mentions.loc[mentions["event_id"].isin(list(lane_of)) & mentions["start"].notna()]
    if claims.empty:
        return
    xs, ys, texts, ids = [], [], [], []
    for row in claims.itertuples(index=False):
        s, e = _iso(np.array([row.start, row.end if not pd.isna(row.end) else row.start],
                             dtype="datetime64[s]"))
        if s == e:  # a day claim: a short tick so it is visible
            e = str((np.datetime64(s) + np.timedelta64(1, "D")))
        xs += [s, e, None]
        ys += [lane_of[row.event_id]] * 2 + [None]
        texts += [f"{_esc(row.source)} says {_esc(row.timex_text)}"] * 2 + [None]
        ids += [row.event_id] * 2 + [None]  # a click on a claim selects its event
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="claimed dates (conflict)",
                             line=dict(color=CONFLICT_COLOR, width=3), text=texts,
                             customdata=ids, hoverinfo="skip"))
    # not hoverable: a claim's end point would take the click meant for the event's mark
    # (the event's own hover and the evidence panel list every claim)


def _layout(fig: go.Figure, title: str, subtitle: str, order: Sequence[str], lanes: str,
            n_visible: int | None = None) -> None:
    n = len(order) if n_visible is None else n_visible
    height = max(360, 34 * n + 220)
    # The legend hangs below the date tick labels: ~40 px of the plot area, whatever its height
    # (a fixed fraction let the legend cover the labels when there are only a few lanes).
    legend_y = -min(0.3, 40 / max(120, height - 200))
    fig.update_layout(
        # a subtitle line per "\n" (a long one would run past the chart's right edge)
        title=dict(text=f"{_esc(title)}<br><sup>" + "<br>".join(_esc(line) for line in subtitle.split("\n"))
                   + "</sup>", x=0.01, xanchor="left"),
        height=height,
        xaxis=dict(type="date", title=None),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(order),
                   autorange=False, title=None, automargin=True,
                   range=[n - 0.5, -0.5 - TOP_PAD]),
        legend=dict(orientation="h", yanchor="top", y=legend_y, xanchor="left", x=0,
                    font=dict(size=11), title=dict(text="")),
        hovermode="closest",
        meta={"lanes": lanes, "mode": "events"},
    )


def period_range(first: np.datetime64, last: np.datetime64, period: str) -> np.ndarray:
    """Every period start from ``first`` to ``last`` (both period starts), as datetime64[D]:
    the columns of the counts view, empty periods included."""
    first, last = np.datetime64(first, "D"), np.datetime64(last, "D")
    if period in ("day", "week"):
        return np.arange(first, last + np.timedelta64(1, "D"), 7 if period == "week" else 1)
    unit, step = {"month": ("M", 1), "quarter": ("M", 3), "year": ("Y", 1), "decade": ("Y", 10),
                  "century": ("Y", 100)}[period]
    a, b = first.astype(f"datetime64[{unit}]"), last.astype(f"datetime64[{unit}]")
    return np.arange(a, b + np.timedelta64(1, unit), step).astype("datetime64[D]")


#: plotly's ``xperiod`` of each period: every cell spans its whole period on the date axis
_XPERIOD = {"day": 86_400_000, "week": 7 * 86_400_000, "month": "M1", "quarter": "M3",
            "year": "M12", "decade": "M120", "century": "M1200"}


def aggregate_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    lanes: str = "actor",
    title: str | None = None,
    template: go.layout.Template = TEMPLATE,
    rows: Lanes | None = None,
    max_lanes: int = MAX_LANES,
    max_marks: int = 3000,
) -> go.Figure:
    """Counts per lane and period (heatmap): the level of detail for too many marks.

    No invented precision: an event whose date spans several periods (a year-precision
    event in a chart by month, a date range) counts as an equal share in each period it
    covers (within the chart's range), so coarse dates show as faint bands, never as a spike
    in their middle period; the hover gives both parts. Every period between the first and
    the last is a column (an empty month is drawn empty, not covered by its neighbours)."""
    dated = _dated(events)
    rows = lane_rows(dated, actors, lanes, max_lanes=max_lanes) if rows is None else rows
    n_marks = len(rows)
    order = rows.names
    mid = _midpoints(dated)
    period = choose_period(mid.min(), mid.max())
    columns = period_range(period_start(mid.min(), period), period_start(mid.max(), period), period)
    n_col = len(columns)

    def column(values: np.ndarray) -> np.ndarray:
        at = np.searchsorted(columns, period_start(values, period))
        return np.clip(at, 0, n_col - 1)

    first = column(dated["start"].to_numpy())[rows.pos]
    last = column(dated["end"].fillna(dated["start"]).to_numpy())[rows.pos]
    share = 1.0 / (last - first + 1)
    # spread: +share from the first column, -share after the last, summed along each lane
    diff = np.bincount(rows.code * (n_col + 1) + first, weights=share, minlength=len(order) * (n_col + 1))
    diff -= np.bincount(rows.code * (n_col + 1) + last + 1, weights=share, minlength=len(order) * (n_col + 1))
    counts = np.cumsum(diff.reshape(len(order), n_col + 1), axis=1)[:, :n_col]
    # 4 decimals: a third of the JSON of full floats; no -0.0000000001 left by the sums
    counts = np.clip(np.round(counts, 4), 0, None)
    within = first == last
    exact = np.bincount(rows.code[within] * n_col + first[within],
                        minlength=len(order) * n_col).reshape(len(order), n_col)
    spread_part = np.round(np.clip(counts - exact, 0, None), 1)  # for the hover only
    n_spread = int(len(np.unique(rows.pos[~within])))
    fig = go.Figure(go.Heatmap(
        z=counts, x=_iso(columns), y=list(order),
        customdata=np.stack([exact, spread_part], axis=-1),
        xperiod=_XPERIOD[period], xperiod0=str(columns[0]), xperiodalignment="middle",
        colorscale="Blues", colorbar=dict(title="events", thickness=12),
        hovertemplate=(f"%{{y}}<br>%{{x}}: %{{customdata[0]}} events dated within this {period}"
                       f"<br>+ %{{customdata[1]}} shared with other {period}s (dated more coarsely, "
                       "or spanning several)<extra></extra>"),
        xgap=0, ygap=1, name="events per " + period,
    ))
    fig.update_layout(template=template)
    subtitle = (f"{len(dated):,} dated events ({n_marks:,} lane marks > {max_marks:,}): counts per "
                f"{period}. Narrow the filters or the window to see single events.")
    if n_spread:
        subtitle += (f"\n{n_spread:,} dated more coarsely than a {period} or spanning several "
                     f"count as an equal share in each {period} they cover.")
    _layout(fig, title or "Timeline", subtitle, order, lanes)
    fig.update_layout(meta={"lanes": lanes, "mode": "aggregate", "period": period},
                      showlegend=False, dragmode="zoom")
    if n_spread:  # room for the second subtitle line
        fig.update_layout(margin=dict(t=80))
    return fig


def density_figure(events: pd.DataFrame, documents: pd.DataFrame,
                   template: go.layout.Template = TEMPLATE) -> go.Figure:
    """How often the corpus refers to each period, beside when the articles were published."""
    dated = _dated(events, ("start", "end"))
    mid = _midpoints(dated) if len(dated) else np.array([], dtype="datetime64[s]")
    published = documents["published"].dropna().to_numpy().astype("datetime64[s]") if (
        documents is not None and "published" in documents) else np.array([], "datetime64[s]")
    both = np.concatenate([mid, published])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("events refer to", "articles published"))
    fig.update_layout(template=template)
    if len(both) == 0:
        fig.add_annotation(text="Nothing dated yet.", showarrow=False, xref="paper",
                           yref="paper", x=0.5, y=0.5)
        fig.update_layout(height=220)
        return fig
    period = choose_period(both.min(), both.max(), max_periods=200)
    # an event counts in a column only when its whole span lies in that period: a
    # "20th century" reference is not a 1950 one (no invented precision)
    fits = period_start(dated["start"].to_numpy(), period) == period_start(
        dated["end"].fillna(dated["start"]).to_numpy(), period) if len(dated) else np.array([], bool)
    coarse = int((~fits).sum())
    mid = mid[fits]
    for row, values, color, name in ((1, mid, MARK_COLOR, "events"),
                                     (2, published, "#7f8c8d", "articles")):
        if len(values) == 0:
            continue
        counts = pd.Series(period_start(values, period)).value_counts().sort_index()
        fig.add_trace(go.Bar(x=_iso(counts.index.to_numpy()), y=counts.to_numpy(), name=name,
                             marker_color=color,
                             hovertemplate="%{x}: %{y} " + name + "<extra></extra>"),
                      row=row, col=1)
    fig.update_layout(height=280, showlegend=False, bargap=0.05,
                      title=dict(text=f"How often each {period} is referred to, and when the "
                                 "articles were published", x=0.01, font=dict(size=14)),
                      margin=dict(l=50, r=10, t=70, b=30), meta={"period": period})
    if coarse:
        fig.layout.annotations[0].text += f" ({coarse:,} spanning more than a {period} not counted)"
    fig.update_annotations(font=dict(size=12), x=0, xanchor="left")
    fig.update_yaxes(automargin=True, nticks=3)
    fig.update_xaxes(type="date")
    return fig
