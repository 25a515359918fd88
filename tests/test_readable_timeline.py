"""Issue 14: labels on the chart (and in exports), page figure = exported figure, the story
view, the country map, no empty lanes, and the newcomer's first minutes (make store on an
empty store, the upload limit). Real store from data/samples, real Chromium for exports."""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from timeline.nlp.salience import DEFAULT_MIN_SALIENCE
from test_app import (  # noqa: F401  (fixtures)
    APP, ROOT, TIMEOUT, app, frames_of, no_exception, sample_store, shared_store, timeline_spec,
)
from timeline.charts import LABEL_NAME, timeline_figure
from timeline.export import build_export_figure, export_view
from timeline.export.figure import view_figure
from timeline.filters import EventFilter, filter_events
from timeline.labels import salience, short_title
from timeline.maps import country_counts, map_figure
from timeline.story import Card, card_html, human_date, story_cards

FILTER_SETS = {
    "everything": ({}, EventFilter()),
    "Putin, 2022": ({"actor": "Vladimir Putin", "from": "2022-01-01", "to": "2022-12-31"},
                    EventFilter(actors=("Vladimir Putin",), start=dt.date(2022, 1, 1),
                                end=dt.date(2022, 12, 31))),
    "DEU by country": ({"country": "DEU", "lanes": "country"}, EventFilter(countries=("DEU",))),
}


def _chromium() -> bool:
    return Path("/usr/bin/chromium").exists() or bool(shutil.which("chromium"))


needs_chromium = pytest.mark.skipif(not _chromium(), reason="Debian's chromium is absent")


def label_annotations(layout: dict) -> list[dict]:
    return [a for a in layout.get("annotations", []) if a.get("name") == LABEL_NAME]


def top_by_salience(events, k: int) -> list[str]:
    dated = events.loc[events["start"].notna()]
    order = np.argsort(-salience(dated), kind="stable")
    return [str(dated["id"].iloc[i]) for i in order[:k]]


# -- labels -----------------------------------------------------------------------------------
def test_most_salient_events_are_labelled_and_labels_name_them(sample_store):
    frames = frames_of(sample_store)
    fig = view_figure(frames, EventFilter())
    labelled = fig.layout.meta["labels"]
    assert len(labelled) >= 8
    for event_id in top_by_salience(frames.events, 3):  # n_sources 4, 3, 3: the phone calls
        assert event_id in labelled
    titles = dict(zip(frames.events["id"], frames.events["title"]))
    texts = [a.text for a in fig.layout.annotations if a.name == LABEL_NAME]
    assert texts == [html.escape(short_title(titles[i])) for i in labelled]


def test_a_salience_column_decides_which_events_are_labelled(sample_store):
    """With the extraction's salience column the ranking follows it, not the sources count."""
    frames = frames_of(sample_store)
    ev = frames.events.copy()
    in_view = ev.loc[ev["start"] >= "2022-01-01"]  # the focus window leaves out the 1900s
    least = top_by_salience(in_view, len(in_view))[-1]  # the least salient by the fallback
    ev["salience"] = np.where(ev["id"] == least, 0.99, np.nan)
    assert salience(ev)[list(ev["id"]).index(least)] == pytest.approx(0.99)
    fig = timeline_figure(ev, frames.actors, mentions=frames.mentions)
    assert fig.layout.meta["labels"][0] == least
    # without the column, that event is not the first one labelled
    plain = timeline_figure(frames.events, frames.actors, mentions=frames.mentions)
    assert plain.layout.meta["labels"][0] != least


def test_labels_can_be_turned_off_and_fewer_fit_a_crowded_view():
    from timeline.synthetic import synthetic_frames

    f = synthetic_frames(1200, seed=3)
    crowded = timeline_figure(f.events.iloc[:1000], f.actors, lanes="single")
    narrow = timeline_figure(f.events.iloc[:12], f.actors, lanes="single")
    off = timeline_figure(f.events.iloc[:12], f.actors, lanes="single", labels=False)
    n_crowded = len(crowded.layout.meta["labels"])
    n_narrow = len(narrow.layout.meta["labels"])
    assert n_narrow / 12 > n_crowded / 1000
    assert not [a for a in off.layout.annotations if a.name == LABEL_NAME]


def _translate(transform: str | None) -> tuple[float, float]:
    x = y = 0.0
    for tx, ty in re.findall(r"translate\(\s*([-\d.e]+)[ ,]*([-\d.e]*)\s*\)", transform or ""):
        x, y = x + float(tx), y + (float(ty) if ty else 0.0)
    return x, y


def svg_label_boxes(svg: bytes, n_labels: int) -> list[tuple[float, float, float, float]]:
    """Absolute boxes (x0, y0, x1, y1) of the backgrounds of the first ``n_labels``
    annotations in a plotly SVG (translate transforms summed down the tree)."""
    found: dict[int, tuple[float, float, float, float]] = {}

    def walk(node, ox: float, oy: float, index: int | None) -> None:
        dx, dy = _translate(node.get("transform"))
        ox, oy = ox + dx, oy + dy
        if (node.get("class") or "").split() == ["annotation"]:
            index = int(node.get("data-index"))
        if index is not None and (node.get("class") or "") == "bg" and index not in found:
            x, y = ox + float(node.get("x", 0)), oy + float(node.get("y", 0))
            found[index] = (x, y, x + float(node.get("width")), y + float(node.get("height")))
        for child in node:
            walk(child, ox, oy, index)

    walk(ET.fromstring(svg), 0.0, 0.0, None)
    return [found[i] for i in sorted(found) if i < n_labels]


@needs_chromium
def test_exported_svg_labels_do_not_overlap_and_png_pdf_carry_them(sample_store, artifacts_dir):
    from PIL import Image
    from pypdf import PdfReader

    frames = frames_of(sample_store)
    flt = EventFilter()
    fig, _ = build_export_figure(frames, flt, generated=dt.date(2026, 12, 7), width=1400)
    labels = [a for a in fig.layout.annotations if a.name == LABEL_NAME]
    assert fig.layout.annotations[: len(labels)] == tuple(labels)  # labels first, caption after
    svg, _ = export_view(frames, flt, "svg", generated=dt.date(2026, 12, 7))
    (artifacts_dir / "labelled-export.svg").write_bytes(svg)
    boxes = svg_label_boxes(svg, len(labels))
    assert len(boxes) == len(labels) >= 8
    for i, a in enumerate(boxes):
        assert a[2] - a[0] > 20 and a[3] - a[1] > 8, a
        for b in boxes[i + 1:]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)
    text = html.unescape(svg.decode("utf-8"))
    for a in labels:
        assert html.unescape(a.text) in text

    png_on, _ = export_view(frames, flt, "png", generated=dt.date(2026, 12, 7), scale=1)
    png_off, _ = export_view(frames, flt, "png", labels=False, generated=dt.date(2026, 12, 7),
                             scale=1)
    (artifacts_dir / "labelled-export.png").write_bytes(png_on)
    on = np.asarray(Image.open(io.BytesIO(png_on)).convert("L"), dtype=int)
    off = np.asarray(Image.open(io.BytesIO(png_off)).convert("L"), dtype=int)
    assert on.shape == off.shape
    assert int((np.abs(on - off) > 60).sum()) > 2000  # the labels' text and leader lines
    pdf, _ = export_view(frames, flt, "pdf", generated=dt.date(2026, 12, 7))
    (artifacts_dir / "labelled-export.pdf").write_bytes(pdf)
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    heads = [" ".join(html.unescape(a.text).rstrip("…").split()[:2]) for a in labels]
    assert sum(h in words for h in heads) >= 0.8 * len(heads), (heads, words[:500])


# -- no empty lanes -----------------------------------------------------------------------------
def test_no_lane_in_view_is_empty(sample_store):
    """Lanes whose events all fall outside the focus window go below the visible range
    instead of showing empty."""
    frames = frames_of(sample_store)
    # one actor's events all moved to 1900, far outside the focus window
    lanes = [lane for lane in view_figure(frames, EventFilter()).layout.yaxis.categoryarray if "others" not in lane]
    far = str(lanes[-1])  # a lane of its own
    moved = set(frames.actors.loc[frames.actors["name"] == far, "event_id"])
    events = frames.events.copy()
    hit = events["id"].isin(moved)
    events.loc[hit, ["start", "end"]] = np.datetime64("1900-01-01", "s")
    events.loc[hit, "precision"] = "day"
    frames = dataclasses.replace(frames, events=events)
    fig = view_figure(frames, EventFilter())
    lo, hi = (np.datetime64(v) for v in fig.layout.xaxis.range)
    n_visible = int(round(fig.layout.yaxis.range[0] + 0.5))
    visible = list(fig.layout.yaxis.categoryarray)[:n_visible]
    seen: set[str] = set()
    for tr in fig.data:
        if tr.mode == "markers" and tr.customdata is not None:
            for x, y in zip(tr.x, tr.y):
                if x is not None and lo <= np.datetime64(x) <= hi:
                    seen.add(y)
    assert set(visible) == seen
    assert far in fig.layout.yaxis.categoryarray and far not in visible


# -- export = page --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(FILTER_SETS))
def test_page_figure_is_the_exported_figure(shared_store, name):
    query, flt = FILTER_SETS[name]
    at = no_exception(app(**query))
    spec = timeline_spec(at)
    frames = frames_of(shared_store)
    fig, _ = build_export_figure(frames, flt, lanes=query.get("lanes", "actor"),
                                 generated=dt.date(2026, 12, 7))
    exported = json.loads(fig.to_json())
    assert spec["data"] == exported["data"]
    assert label_annotations(spec["layout"]) == label_annotations(exported["layout"])
    assert spec["layout"]["meta"]["labels"] == exported["layout"]["meta"]["labels"]
    claims = [t for t in spec["data"] if t.get("name") == "claimed dates (conflict)"]
    has_conflict = bool(filter_events(frames, flt).events["conflict"].any())
    assert bool(claims) == has_conflict
    if name == "everything":
        assert claims and exported["layout"]["meta"]["labels"]


def test_labels_toggle_travels_in_the_url(shared_store):
    at = no_exception(app(labels="0"))
    spec = timeline_spec(at)
    assert not label_annotations(spec["layout"])
    assert at.query_params["labels"] == "0"
    at.sidebar.toggle(key="labels").set_value(True).run()
    no_exception(at)
    spec = timeline_spec(at)
    assert label_annotations(spec["layout"]) and "labels" not in at.query_params


# -- story --------------------------------------------------------------------------------------
@pytest.mark.parametrize("args,expected", [
    ((dt.date(2024, 6, 1), dt.date(2024, 6, 30), "month", "2024-06"), "June 2024"),
    ((dt.date(2024, 11, 4), dt.date(2024, 11, 10), "week", "2024-W45"), "week of 4 Nov 2024"),
    ((dt.date(2024, 6, 15), dt.date(2024, 6, 16), "week", "2024-W24-WE"), "weekend of 15 Jun 2024"),
    ((dt.date(2022, 3, 29), dt.date(2022, 3, 29), "day", "2022-03-29"), "29 March 2022"),
    ((dt.date(2022, 9, 23), dt.date(2022, 9, 27), "day", "2022-09-23/2022-09-27"),
     "23–27 September 2022"),
    ((dt.date(2024, 4, 1), dt.date(2024, 6, 30), "quarter", "2024-Q2"), "Q2 2024"),
    ((dt.date(2022, 1, 1), dt.date(2022, 12, 31), "year", "2022"), "2022"),
    ((dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade", "199"), "the 1990s"),
    ((dt.date(1900, 1, 1), dt.date(1999, 12, 31), "century", "19"), "the 20th century"),
    ((dt.date(2000, 1, 1), dt.date(2099, 12, 31), "century", "20"), "the 21st century"),
    ((None, None, None, None), "undated"),
])
def test_story_dates_keep_their_precision(args, expected):
    assert human_date(*args) == expected


def test_story_date_modifiers():
    assert human_date(dt.date(2022, 3, 1), dt.date(2022, 3, 31), "month", "2022-03", "END") == \
        "late March 2022"
    assert human_date(dt.date(2022, 1, 1), dt.date(2022, 12, 31), "year", "2022", "APPROX") == \
        "about 2022"


def test_story_cards_in_date_order_with_actors_countries_and_conflict(sample_store):
    frames = frames_of(sample_store)
    from timeline.maps import country_name

    cards = story_cards(frames, country_name)
    assert len(cards) == len(frames.events)
    ev = frames.events.set_index("id")
    starts = [ev.loc[c.id, "start"] for c in cards]
    dated = [s for s in starts if not pd.isna(s)]
    assert dated == sorted(dated) and all(c.date == "undated" for c in cards[len(dated):])
    call = next(c for c in cards if c.conflict_note)
    assert call.date == "2 December 2022"
    assert {("Olaf Scholz", "Germany"), ("Vladimir Putin", "Russia")} <= set(call.actors)
    assert {"Rhine Courier", "Eurasia Wire"} <= set(call.sources) and call.n_sources == len(set(call.sources))
    assert call.evidence
    # "Last week's call drew sharp criticism" (week 46) is the call of 15 November the
    # article told before, one card with it, not a week-long card of its own
    # (human_date's "week of 4 Nov 2024" is pinned by test_story_dates_keep_their_precision)
    mentions = frames.mentions
    last_weeks = mentions[mentions["sentence"].str.startswith("Last week's call")]
    assert len(last_weeks) == 1 and ev.loc[last_weeks["event_id"].iloc[0], "value"] == "2024-11-15"
    card = next(c for c in cards if c.id == last_weeks["event_id"].iloc[0])
    assert card.date == "15 November 2024" and {"Olaf Scholz", "Vladimir Putin"} <= {a for a, _ in card.actors}
    assert not [c for c in cards if c.date.startswith("week of")]


def test_story_card_is_inert_html():
    card = Card(id="e_1", date="June 2024", title="<script>alert(1)</script>",
                actors=(("<img src=x onerror=alert(1)>", None),), modality="occurred",
                n_sources=2, sources=("A&B",), evidence="He said \"<b>no</b>\".",
                evidence_source="<i>x</i>", conflict_note="<a href='http://x'>y</a>")
    out = card_html(card)
    assert "<script" not in out and "<img" not in out and "<b>no" not in out and "<a " not in out
    assert "&lt;script&gt;" in out and "tabindex='0'" in out
    assert out.count("Sources disagree") == 1


def test_story_page_lists_cards_and_highlights_the_linked_event(shared_store):
    frames = frames_of(shared_store)
    conflict = str(frames.events.loc[frames.events["conflict"], "id"].iloc[0])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["event"] = conflict
    at.query_params["actor"] = "Olaf Scholz"
    at.run()
    at.switch_page("pages/story.py").run()
    no_exception(at)
    cards = [m.value for m in at.markdown if "<article id='event-" in m.value]
    with_scholz = set(frames.actors.loc[frames.actors["name"] == "Olaf Scholz", "event_id"])
    salient = set(frames.events.loc[frames.events["salience"] >= DEFAULT_MIN_SALIENCE, "id"])
    assert len(cards) == len(with_scholz & salient) > 0  # the story follows the timeline's default view
    linked = next(c for c in cards if f"id='event-{conflict}'" in c)
    assert "border-left:6px solid #d35400" in linked and "Sources disagree" in linked
    assert at.query_params["event"] == conflict and at.query_params["actor"] == "Olaf Scholz"


@needs_chromium
def test_story_exports_html_and_pdf(sample_store, artifacts_dir):
    from pypdf import PdfReader

    from timeline.export.story import html_to_pdf, story_document

    frames = frames_of(sample_store)
    flt = EventFilter(actors=("Olaf Scholz",))
    doc = story_document(frames, flt, generated=dt.date(2026, 12, 7))
    assert "<script" not in doc and "http" not in doc.split("</head>")[1]
    assert doc.count("<article ") == len(filter_events(frames, flt).events)
    (artifacts_dir / "story.html").write_text(doc, encoding="utf-8")
    pdf = html_to_pdf(doc)
    (artifacts_dir / "story.pdf").write_bytes(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "2 December 2022" in text and "Olaf Scholz" in text


# -- map ----------------------------------------------------------------------------------------
def test_map_counts_events_per_country(sample_store):
    frames = frames_of(sample_store)
    counts = country_counts(frames.events).set_index("country")["n"]
    expected = frames.events["countries"].map(lambda c: "RUS" in c).sum()
    assert counts["RUS"] == expected and counts.index[0] == "RUS"
    fig = map_figure(frames.events, ["DEU"])
    trace = fig.data[0]
    assert trace.locationmode == "ISO-3" and list(trace.customdata) == list(counts.index)
    widths = dict(zip(trace.locations, trace.marker.line.width))
    assert widths["DEU"] > widths["RUS"]


def test_timeline_page_map_uses_local_shapes(shared_store):
    at = no_exception(app())
    charts = at.get("plotly_chart")
    geo = [c for c in charts if json.loads(c.proto.spec)["data"][:1]
           and json.loads(c.proto.spec)["data"][0].get("type") == "choropleth"]
    assert len(geo) == 1
    config = json.loads(geo[0].proto.config)
    assert config["topojsonURL"] == "/app/static/topojson/"
    shapes = json.loads((ROOT / "static" / "topojson" / "world_110m.json").read_text())
    ids = {g.get("id") for g in shapes["objects"]["countries"]["geometries"]}
    assert {"RUS", "DEU", "UKR", "USA", "FRA", "POL"} <= ids
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["enableStaticServing"] is True


# -- newcomer's first minutes --------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["empty store", "zero-byte file"])
def test_make_store_fills_an_empty_store(tmp_path, kind):
    from timeline.store import Store, holds_documents

    db = tmp_path / "data" / "timeline.duckdb"
    db.parent.mkdir()
    if kind == "empty store":
        Store(db).close()  # what an earlier `streamlit run app.py` leaves behind
    else:
        db.write_bytes(b"")
    assert not holds_documents(db)
    # the running interpreter stands in for .venv/bin/python; the venv stamp is taken as made
    cmd = ["make", "--no-print-directory", "-o", ".venv/.stamp-runtime", "store", f"DB={db}",
           f"PY={sys.executable}"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert holds_documents(db)
    frames = frames_of(db)
    assert len(frames.documents) == 14 and frames.events["conflict"].any()
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "already holds articles" in again.stdout


def test_empty_store_hint_names_a_command_for_this_store(tmp_path, monkeypatch):
    db = tmp_path / "new" / "empty.duckdb"
    monkeypatch.setenv("TIMELINE_DB", str(db))
    at = no_exception(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    hint = next(i.value for i in at.info if "The store is empty" in i.value)
    assert f"make store DB={db}" in hint


def test_upload_limit_shown_is_the_limit_enforced(shared_store):
    from timeline.ingest import DEFAULT_MAX_BYTES, upload_limit_mb

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/sources.py").run()
    no_exception(at)
    uploader = at.get("file_uploader")[0].proto
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert uploader.max_upload_size_mb == upload_limit_mb(DEFAULT_MAX_BYTES) == \
        server["maxUploadSize"]
    assert "5.0 MB" in uploader.help
    assert any("5.0 MB per article" in c.value and f"{server['maxUploadSize']} MB" in c.value
               for c in at.caption)


def test_cli_exports_the_story_as_html(sample_store, tmp_path):
    out = tmp_path / "story.html"
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "export", "--db", str(sample_store), "--format",
         "story-html", "--actor", "Olaf Scholz", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    frames = frames_of(sample_store)
    with_scholz = set(frames.actors.loc[frames.actors["name"] == "Olaf Scholz", "event_id"])
    salient = set(frames.events.loc[frames.events["salience"] >= DEFAULT_MIN_SALIENCE, "id"])
    doc = out.read_text(encoding="utf-8")
    assert doc.count("<article ") == len(with_scholz & salient) > 0  # as the app shows it, unless --all
    assert "<title>Events: Olaf Scholz</title>" in doc and "2 December 2022" in doc
