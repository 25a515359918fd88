"""timeline_figure / density_figure: lanes, glyphs, spans, escaping, level of detail."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from timeline.charts import (
    MODALITY_GLYPHS,
    TEMPLATE,
    choose_period,
    density_figure,
    lane_rows,
    period_start,
    timeline_figure,
)
from timeline.synthetic import frames_from_records, synthetic_frames

D = dt.date
XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def small():
    events = [
        dict(id="call", title="Leaders hold a call", type="call_meeting", modality="occurred",
             start=D(2024, 11, 15), end=D(2024, 11, 15), precision="day", value="2024-11-15",
             date_text="on Friday", actors=["Olaf Scholz", "Vladimir Putin"],
             countries=["DEU", "RUS"], n_sources=2),
        dict(id="june", title="Talks " + XSS, type="negotiation", modality="planned",
             start=D(2024, 6, 1), end=D(2024, 6, 30), precision="month", value="2024-06",
             date_text="in June of last year", actors=["Ukraine"], countries=["UKR"],
             n_sources=1),
        dict(id="visit", title="State visit", type="call_meeting", modality="occurred",
             start=D(2024, 3, 4), end=D(2024, 3, 7), precision="day", value="2024-03-04/07",
             actors=["Ukraine"], countries=["UKR"], n_sources=1),
        dict(id="refusal", title="Offer refused", type="refusal", modality="refused",
             start=D(2024, 9, 2), end=D(2024, 9, 2), precision="day", mod="APPROX",
             actors=["Vladimir Putin"], countries=["RUS"], n_sources=1),
        dict(id="proposal", title="Peace plan proposed", type="proposal", modality="proposed",
             start=D(2023, 1, 1), end=D(2023, 12, 31), precision="year", value="2023",
             actors=["Olaf Scholz"], countries=["DEU"], n_sources=3, conflict=True,
             conflict_note="one source says 2022"),
        dict(id="undated", title="No date", type="statement", modality="reported",
             actors=["Olaf Scholz"], countries=["DEU"], n_sources=1),
        dict(id="treaty", title="Old treaty", type="agreement", modality="occurred",
             start=D(1654, 1, 18), end=D(1654, 1, 18), precision="day", actors=[],
             countries=[], n_sources=1),
    ]
    actors = [
        dict(event_id="call", name="Olaf Scholz", country="DEU", is_leader=True),
        dict(event_id="call", name="Vladimir Putin", country="RUS", is_leader=True),
        dict(event_id="june", name="Ukraine", country="UKR"),
        dict(event_id="visit", name="Ukraine", country="UKR"),
        dict(event_id="refusal", name="Vladimir Putin", country="RUS", is_leader=True),
        dict(event_id="proposal", name="Olaf Scholz", country="DEU", is_leader=True),
        dict(event_id="undated", name="Olaf Scholz", country="DEU", is_leader=True),
    ]
    mentions = [
        dict(id="m1", event_id="proposal", source="A", start=D(2023, 1, 1), end=D(2023, 12, 31),
             timex_text="in 2023"),
        dict(id="m2", event_id="proposal", source="B", start=D(2022, 1, 1), end=D(2022, 12, 31),
             timex_text="last year"),
    ]
    return frames_from_records(events, actors, mentions)


def marker_traces(fig):
    return [t for t in fig.data if t.mode == "markers" and t.customdata is not None]


def points(fig):
    """(event id, lane, x) of every marker, conflict rings excluded."""
    out = []
    for trace in marker_traces(fig):
        out += list(zip(trace.customdata, trace.y, trace.x))
    return out


def test_explicit_template_survives_streamlit_import():
    import streamlit  # noqa: F401  (changes plotly's default template on import)

    f = synthetic_frames(50)
    fig = timeline_figure(f.events, f.actors)
    assert fig.layout.template.layout.paper_bgcolor == TEMPLATE.layout.paper_bgcolor
    assert fig.layout.template.layout.font.family == TEMPLATE.layout.font.family


def test_multi_participant_event_in_each_lane_linked_and_counted_once(small):
    fig = timeline_figure(small.events, small.actors, lanes="actor")
    call_lanes = sorted(lane for eid, lane, _ in points(fig) if eid == "call")
    assert call_lanes == ["Olaf Scholz", "Vladimir Putin"]
    connector = next(t for t in fig.data if t.name == "same event, several lanes")
    assert set(connector.y) - {None} == {"Olaf Scholz", "Vladimir Putin"}
    occurred = next(t for t in fig.data if t.name and t.name.startswith("occurred"))
    # call (2 lanes) + visit + treaty = 3 distinct events although 4 marks
    assert occurred.name.endswith("· 3") and len(occurred.x) == 4
    # undated events are not drawn; an event without actors gets its own lane
    assert "undated" not in {p[0] for p in points(fig)}
    assert "(no actor)" in fig.layout.yaxis.categoryarray


def test_events_without_actors_are_the_last_lane_whatever_their_count():
    f = synthetic_frames(2000, seed=3)
    orphan = f.events["id"].iloc[:1500]  # most events lose their actors
    actors = f.actors[~f.actors["event_id"].isin(orphan)]
    names = lane_rows(f.events, actors, "actor").names
    assert names[-1] == "(no actor)" and names.count("(no actor)") == 1


@pytest.mark.parametrize("lanes,expected", [
    ("country", {"DEU", "RUS", "UKR", "(no country)"}),
    ("type", {"call_meeting", "negotiation", "refusal", "proposal", "agreement"}),
    ("single", {"All events"}),
])
def test_lane_modes(small, lanes, expected):
    fig = timeline_figure(small.events, small.actors, lanes=lanes)
    assert set(fig.layout.yaxis.categoryarray) == expected
    assert {lane for _, lane, _ in points(fig)} == expected


def test_glyph_symbol_per_modality(small):
    fig = timeline_figure(small.events, small.actors, lanes="single")
    symbols = {t.name.split(" · ")[0]: t.marker.symbol for t in marker_traces(fig)
               if "conflict" not in t.name}
    assert symbols[MODALITY_GLYPHS["occurred"][1]] == "circle"
    assert symbols[MODALITY_GLYPHS["planned"][1]].endswith("-open")
    assert symbols[MODALITY_GLYPHS["proposed"][1]].endswith("-open")
    assert symbols[MODALITY_GLYPHS["refused"][1]] == "x"


def test_month_precision_is_a_span_with_marker_in_the_middle(small):
    fig = timeline_figure(small.events, small.actors, lanes="single")
    span = next(t for t in fig.data if t.name.startswith("week/month/year"))
    segments = [tuple(span.x[i:i + 2]) for i in range(0, len(span.x), 3)]
    assert ("2024-06-01", "2024-06-30") in segments and ("2023-01-01", "2023-12-31") in segments
    june_x = next(x for eid, _, x in points(fig) if eid == "june")
    assert june_x == "2024-06-15"  # middle of the month, a marker not a claimed exact day
    bar = next(t for t in fig.data if t.name == "date range (bar)")
    assert list(bar.x[:2]) == ["2024-03-04", "2024-03-07"]
    dotted = next(t for t in fig.data if t.name.startswith("approximate"))
    assert dotted.line.dash == "dot" and "2024-09-02" > dotted.x[0]


def test_a_date_known_only_as_after_or_before_another_gets_a_tail_that_way():
    """'Weeks later' than 13 May 1940 is not 13 May: a dashed tail points where the event lies."""
    events = [
        dict(id="later", title="Armistice signed", type="agreement", modality="occurred", start=D(1940, 5, 13),
             end=D(1940, 5, 13), precision="day", value="1940-05-13", mod="AFTER", date_text="Weeks later",
             actors=["France"], countries=["FRA"], n_sources=1),
        dict(id="earlier", title="Talks nearly fail", type="negotiation", modality="occurred", start=D(1940, 6, 1),
             end=D(1940, 6, 30), precision="month", value="1940-06", mod="BEFORE", date_text="Days earlier",
             actors=["France"], countries=["FRA"], n_sources=1),
        dict(id="plain", title="Paris visited", type="visit", modality="occurred", start=D(1940, 6, 22),
             end=D(1940, 6, 22), precision="day", value="1940-06-22", actors=["France"], countries=["FRA"],
             n_sources=1),
    ]
    frames = frames_from_records(events, [dict(event_id=e["id"], name="France", country="FRA") for e in events], [])
    fig = timeline_figure(frames.events, frames.actors, lanes="single")
    tail = next(t for t in fig.data if t.name.startswith("after / before"))
    segments = [tuple(tail.x[i:i + 2]) for i in range(0, len(tail.x), 3)]
    assert tail.line.dash == "dash" and len(segments) == 2
    after, before = sorted(segments, key=lambda s: s[0])[0], sorted(segments, key=lambda s: s[0])[1]
    assert after[0] == "1940-05-13" and after[1] > "1940-05-15"  # rightwards from the day
    assert before[1] == "1940-06-01" and before[0] < "1940-05-30"  # leftwards from the month's start
    hover = {eid: h for t in marker_traces(fig) for eid, h in zip(t.customdata, t.hovertext)}
    assert "resolved: after 1940-05-13" in hover["later"] and "resolved: before 1940-06" in hover["earlier"]
    assert "after" not in hover["plain"].split("resolved:")[1].split("<br>")[0]


def test_day_points_and_years_before_1678(small):
    fig = timeline_figure(small.events, small.actors, lanes="single")
    xs = {eid: x for eid, _, x in points(fig)}
    assert xs["call"] == "2024-11-15" and xs["treaty"] == "1654-01-18"
    assert json.loads(fig.to_json())  # serialisable


def test_conflict_stands_out_with_each_claim(small):
    fig = timeline_figure(small.events, small.actors, lanes="actor", mentions=small.mentions)
    ring = next(t for t in fig.data if t.name.startswith("conflicting dates"))
    assert list(ring.customdata) == ["proposal"] and ring.marker.color == "#c0392b"
    assert list(ring.text) == ["!"]
    claims = next(t for t in fig.data if t.name == "claimed dates (conflict)")
    assert {"2022-01-01", "2023-01-01"} <= set(claims.x)


def test_hover_has_date_as_written_and_resolved_and_is_escaped(small):
    fig = timeline_figure(small.events, small.actors, lanes="single")
    texts = [h for t in marker_traces(fig) for h in t.hovertext]
    june = next(h for h in texts if "Talks" in h)
    assert "in June of last year" in june and "2024-06-01 – 2024-06-30" in june
    assert "month precision" in june
    assert "<script>" not in june and "&lt;script&gt;" in june and "<img" not in june
    call = next(h for h in texts if "Leaders" in h)
    assert "Olaf Scholz, Vladimir Putin" in call and "sources: 2" in call
    assert "<script" not in fig.to_json()


def test_customdata_carries_event_id(small):
    fig = timeline_figure(small.events, small.actors)
    assert {eid for eid, _, _ in points(fig)} == {"call", "june", "visit", "refusal", "proposal",
                                                  "treaty"}


def test_level_of_detail_switches_to_counts_above_max_marks():
    f = synthetic_frames(3000, seed=5)
    fig = timeline_figure(f.events, f.actors, lanes="actor", max_marks=1000)
    assert fig.layout.meta["mode"] == "aggregate" and fig.data[0].type == "heatmap"
    z = np.asarray(fig.data[0].z)
    lanes = lane_rows(f.events[f.events["start"].notna()], f.actors, "actor", max_lanes=30)
    # every lane mark counted once per lane; cells are rounded to 4 decimals (a coarse date's
    # share), so the sum may be off by 0.00005 a cell: less than one mark here
    assert 5e-5 * z.size < 1 and abs(z.sum() - len(lanes)) <= 5e-5 * z.size
    narrow = timeline_figure(f.events.iloc[:100], f.actors, max_marks=1000)
    assert narrow.layout.meta["mode"] == "events"


def test_counts_view_spreads_a_coarse_date_over_its_periods():
    """A year-precision event in a chart by month is a twelfth in each month of its year, never
    a spike in July; a month with nothing is a column of its own; the subtitle says how coarse
    dates count."""
    days = [D(2015, 1, 10)] * 10 + [D(2020, 3, 5)] * 10 + [D(2024, 12, 10)] * 10
    rows = [dict(id=f"d{i}", title=f"day {i}", type="statement", modality="occurred", start=day,
                 end=day, precision="day", n_sources=1) for i, day in enumerate(days)]
    rows.append(dict(id="y", title="some time in 2020", type="statement", modality="occurred",
                     start=D(2020, 1, 1), end=D(2020, 12, 31), precision="year", n_sources=1))
    f = frames_from_records(rows)
    fig = timeline_figure(f.events, f.actors, lanes="single", max_marks=10)
    (heat,) = fig.data
    assert fig.layout.meta["period"] == "month" and heat.xperiod == "M1"
    x = list(heat.x)
    assert x[0] == "2015-01-01" and x[-1] == "2024-12-01" and len(x) == 120  # empty months too
    z = np.asarray(heat.z)[0]
    assert z.sum() == pytest.approx(31, abs=0.01)
    assert z[x.index("2020-02-01")] == pytest.approx(1 / 12, abs=1e-4)
    assert z[x.index("2020-03-01")] == pytest.approx(10 + 1 / 12, abs=1e-4)
    assert z[x.index("2021-01-01")] == 0 and z[x.index("2016-05-01")] == 0
    exact = np.asarray(heat.customdata)[0, :, 0]
    assert exact.sum() == 30 and exact[x.index("2020-03-01")] == 10
    assert "<br>1 dated more coarsely than a month or spanning several count as an equal share" in (
        fig.layout.title.text)


def test_lanes_are_capped_with_an_others_lane():
    f = synthetic_frames(500, seed=1)
    fig = timeline_figure(f.events, f.actors, lanes="actor", max_marks=10_000, max_lanes=5)
    lanes = list(fig.layout.yaxis.categoryarray)
    assert len(lanes) == 5 and lanes[-1].endswith("others)")


def test_webgl_only_when_many_points():
    f = synthetic_frames(2500, seed=2)
    few = timeline_figure(f.events.iloc[:50], f.actors, lanes="single")
    many = timeline_figure(f.events, f.actors, lanes="single", max_marks=10_000)
    assert all(t.type == "scatter" for t in few.data)
    assert any(t.type == "scattergl" for t in many.data)


def test_periods():
    assert choose_period(np.datetime64("2024-01-01"), np.datetime64("2024-03-01")) == "day"
    assert choose_period(np.datetime64("1995-01-01"), np.datetime64("2025-01-01")) == "month"
    days = np.array(["2024-11-15", "1654-05-20"], dtype="datetime64[D]")
    assert [str(d) for d in period_start(days, "quarter")] == ["2024-10-01", "1654-04-01"]
    assert [str(d) for d in period_start(days, "week")] == ["2024-11-11", "1654-05-18"]
    assert [str(d) for d in period_start(days, "decade")] == ["2020-01-01", "1650-01-01"]


def test_density_strip_compares_references_and_publication(small):
    docs = frames_from_records([], documents=[
        dict(id="d1", published=D(2024, 11, 15)), dict(id="d2", published=D(2024, 11, 16))
    ]).documents
    fig = density_figure(small.events, docs)
    events_bar, docs_bar = fig.data
    assert sum(events_bar.y) == 6 and sum(docs_bar.y) == 2



def _twenty_days_and_a_century():
    """Twenty day events in January 2024 plus one event spanning the whole 20th century."""
    rows = [dict(id=f"e{i}", title=f"event {i}", type="statement", modality="occurred",
                 start=D(2024, 1, 1 + i), end=D(2024, 1, 1 + i), precision="day", n_sources=1)
            for i in range(20)]
    rows.append(dict(id="old", title="last century", type="statement", modality="occurred",
                     start=D(1900, 1, 1), end=D(1999, 12, 31), precision="century", n_sources=1))
    return frames_from_records(rows)

def test_density_counts_an_event_only_in_a_period_that_holds_its_whole_span():
    f = _twenty_days_and_a_century()
    fig = density_figure(f.events, None)
    period = fig.layout.meta["period"]
    assert period in ("year", "quarter", "month")  # 1950..2024 in at most 200 columns
    (bars,) = fig.data
    assert sum(bars.y) == 20 and all(x.startswith("2024") for x in bars.x)  # nothing placed in 1950
    assert f"1 spanning more than a {period} not counted" in fig.layout.annotations[0].text


@pytest.mark.slow
def test_one_million_events_stay_small_in_the_browser():
    f = synthetic_frames(1_000_000, seed=0)
    fig = timeline_figure(f.events, f.actors, lanes="actor")
    assert fig.layout.meta["mode"] == "aggregate"
    assert len(fig.to_json()) < 3_000_000
    dens = density_figure(f.events, f.documents)
    assert len(dens.to_json()) < 1_000_000


def test_outliers_do_not_squeeze_the_bulk():
    f = _twenty_days_and_a_century()
    fig = timeline_figure(f.events, f.actors, lanes="single")
    lo, hi = fig.layout.xaxis.range
    assert "2023-12" <= lo <= "2024-01-01" and "2024-01-20" <= hi <= "2024-02-01"
    assert "1 far outside this window" in fig.layout.title.text
    assert "old" in {eid for eid, _, _ in points(fig)}  # still drawn, just off-screen
    compact = timeline_figure(f.events.iloc[:20], f.actors, lanes="single")
    lo, hi = compact.layout.xaxis.range  # explicit (labels are placed on it): every mark, padded
    first, last = f.events["start"].iloc[:20].min(), f.events["end"].iloc[:20].max()
    assert lo < str(first.date()) and hi > str(last.date())
    assert "outside this window" not in compact.layout.title.text


def test_every_clickable_trace_carries_event_ids(small):
    fig = timeline_figure(small.events, small.actors, lanes="actor", mentions=small.mentions)
    for trace in fig.data:
        if trace.hoverinfo != "skip":
            assert trace.customdata is not None, trace.name
            assert set(trace.customdata) - {None} <= set(small.events["id"])
