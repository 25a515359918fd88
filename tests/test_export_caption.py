"""Title and caption: the text says what the view is, and the layout keeps it clear of the axis."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from timeline.export import caption_for, with_caption
from timeline.filters import EventFilter, filter_events
from test_export_data import make_frames

GENERATED = dt.date(2026, 11, 25)


def test_caption_names_filters_window_counts_and_generation_date():
    frames = make_frames()
    flt = EventFilter(actors=("Vladimir Putin",), start=dt.date(2022, 1, 1), end=dt.date(2024, 12, 31),
                      text="talks", include_undated=False)
    view = filter_events(frames, flt)
    lines = caption_for(flt, view.events, GENERATED).splitlines()
    assert lines[0] == 'Filters: actor: Vladimir Putin; text contains "talks"; undated events excluded'
    assert lines[1] == "Date window: 2022-01-01 to 2024-12-31"
    n = len(view.events)
    n_src = len({s for srcs in view.events["sources"] for s in srcs})
    assert lines[2] == f"{n} event{'s' if n != 1 else ''} from {n_src} source{'s' if n_src != 1 else ''}. Generated 2026-11-25."


def test_caption_without_filters_reports_the_span_and_undated_events():
    frames = make_frames()
    lines = caption_for(EventFilter(), frames.events, GENERATED).splitlines()
    assert lines[0] == "Filters: none (all events)"
    assert lines[1] == "Date window: all dates (events span 1654-01-01 to 2024-06-30)"
    assert lines[2] == "5 events (1 undated, not on the axis) from 3 sources. Generated 2026-11-25."


def test_with_caption_adds_title_and_caption_below_the_axis_without_touching_data():
    fig = go.Figure(go.Scatter(x=["2024-01-01", "2024-02-01"], y=["A", "B"], mode="markers"))
    fig.update_layout(height=500, margin=dict(b=40), legend=dict(orientation="h", y=-0.3))
    out = with_caption(fig, "line one\nline two & <three>", "My <title>")
    assert fig.layout.annotations == () and fig.layout.title.text is None  # input untouched
    assert out.data == fig.data
    (ann,) = [a for a in out.layout.annotations if a.name == "export-caption"]
    assert ann.text == "line one<br>line two &amp; &lt;three&gt;"
    assert (ann.yref, ann.y, ann.yanchor) == ("paper", 0, "top")
    below_plot = -ann.yshift
    assert below_plot >= 56, "caption starts below tick labels"
    caption_px = out.layout.margin.b - below_plot
    assert caption_px >= 2 * 19, "bottom margin holds every caption line"
    assert out.layout.height == 500 + caption_px  # plot area keeps its size
    legend = out.layout.legend
    assert (legend.orientation, legend.x) == ("v", 1.01), "a legend under the plot moves right, out of the caption's way"
    assert out.layout.title.text == "<b>My &lt;title&gt;</b>"


def test_long_captions_wrap_to_the_export_width():
    caption = "Filters: " + "; ".join(f"actor: Person {i}" for i in range(40))
    wide = with_caption(go.Figure(), caption, width=1400)
    narrow = with_caption(go.Figure(), caption, width=700)
    n_wide, n_narrow = (f.layout.annotations[0].text.count("<br>") + 1 for f in (wide, narrow))
    assert 2 <= n_wide < n_narrow
    assert narrow.layout.margin.b > wide.layout.margin.b  # the margin grows with the lines
    longest = max(len(line) for line in narrow.layout.annotations[0].text.split("<br>"))
    assert longest * 7.4 <= 700 - 200


def test_a_long_title_shrinks_to_fit_a_narrow_export():
    title = "Events: Turkey, the ministry, Kenji Mori and others · 2018-01-01 to 2020-06-30"
    wide = with_caption(go.Figure(), "c", title, width=1400)
    narrow = with_caption(go.Figure(), "c", title, width=800)
    assert wide.layout.title.font.size == 22
    assert 14 <= narrow.layout.title.font.size < 22
    assert narrow.layout.title.font.size * 0.62 * len(title) <= 800 - 40
