"""AppTest for every page, on a real store built from data/samples (ingest + extract)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from timeline.nlp.salience import DEFAULT_MIN_SALIENCE
from timeline.frame import load_frames
from timeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "data" / "samples"
TIMEOUT = 120

from articles import MACRON_SCHOLZ_MEETING as NEW_ARTICLE  # noqa: E402


def build_sample_store(path: Path) -> Path:
    from timeline.ingest import ingest_paths
    from timeline.pipeline import extract_store

    with Store(path) as store:
        ingest_paths([SAMPLES], store)
        extract_store(store)
    return path


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    if not SAMPLES.exists():
        pytest.skip("data/samples is absent")
    return build_sample_store(tmp_path_factory.mktemp("store") / "samples.duckdb")


@pytest.fixture
def store_copy(sample_store, tmp_path, monkeypatch) -> Path:
    """A private copy for tests that write; TIMELINE_DB points at it."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(sample_store, path)
    monkeypatch.setenv("TIMELINE_DB", str(path))
    return path


@pytest.fixture
def shared_store(sample_store, monkeypatch) -> Path:
    """The read-only sample store (tests that only read)."""
    monkeypatch.setenv("TIMELINE_DB", str(sample_store))
    return sample_store


def frames_of(path: Path):
    with Store(path, read_only=True) as store:
        return load_frames(store)


def app(**query) -> AppTest:
    """The app with every event (``minor=1``) unless the test asks otherwise: most tests
    check filters and rendering against the whole store; the default view (the
    timeline-worthy events only) has tests of its own below."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"minor": "1", **query})
    return at.run()


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def timeline_spec(at: AppTest) -> dict:
    """The Timeline page's chart (the map and the density strip are plotly charts too)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if "lanes" in (s["layout"].get("meta") or {}))


def chart_event_ids(at: AppTest) -> set[str]:
    spec = timeline_spec(at)
    ids: set[str] = set()
    for trace in spec["data"]:
        if trace.get("mode") == "markers" and trace.get("customdata"):
            ids |= set(trace["customdata"])
    return ids


def matching(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if " events match" in c.value)
    return int(caption.split(" of ")[0].replace(",", ""))


# -- Timeline -----------------------------------------------------------------------------
def test_default_view_shows_the_timeline_worthy_events_and_the_toggle_shows_the_rest(shared_store):
    frames = frames_of(shared_store)
    ev = frames.events
    salient = set(ev.loc[ev["start"].notna() & (ev["salience"] >= DEFAULT_MIN_SALIENCE), "id"])
    at = no_exception(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    assert chart_event_ids(at) == salient and 0 < len(salient) < int(ev["start"].notna().sum())
    assert "minor" not in at.query_params
    at.sidebar.toggle(key="minor").set_value(True).run()
    no_exception(at)
    assert chart_event_ids(at) == set(ev.loc[ev["start"].notna(), "id"])
    assert at.query_params["minor"] == "1"


def test_timeline_renders_every_dated_event(shared_store):
    at = no_exception(app())
    frames = frames_of(shared_store)
    dated = set(frames.events.loc[frames.events["start"].notna(), "id"])
    assert chart_event_ids(at) == dated
    assert matching(at) == len(frames.events)


def test_actor_filter_changes_the_events_shown(shared_store):
    at = no_exception(app())
    before = chart_event_ids(at)
    at.sidebar.multiselect(key="f_actors").select("Olaf Scholz").run()
    no_exception(at)
    after = chart_event_ids(at)
    frames = frames_of(shared_store)
    with_scholz = set(frames.actors.loc[frames.actors["name"] == "Olaf Scholz", "event_id"])
    dated = set(frames.events.loc[frames.events["start"].notna(), "id"])
    assert after == with_scholz & dated and after < before
    assert at.query_params["actor"] == "Olaf Scholz"


def test_options_show_counts(shared_store):
    at = no_exception(app())
    box = at.sidebar.multiselect(key="f_countries")
    frames = frames_of(shared_store)
    n_deu = int(frames.events["countries"].map(lambda c: "DEU" in c).sum())
    assert f"DEU ({n_deu})" in box.options


def test_query_params_restore_the_view(shared_store):
    at = no_exception(app(country="DEU", lanes="country", **{"from": "2022-01-01"},
                          to="2022-12-31", undated="0"))
    assert at.sidebar.multiselect(key="f_countries").value == ["DEU"]
    assert at.sidebar.radio(key="lanes").value == "country"
    assert at.sidebar.date_input(key="f_start").value == dt.date(2022, 1, 1)
    frames = frames_of(shared_store)
    ev = frames.events
    expected = set(ev.loc[ev["countries"].map(lambda c: "DEU" in c) & ev["start"].notna()
                          & (ev["start"] <= "2022-12-31") & (ev["end"] >= "2022-01-01"), "id"])
    assert chart_event_ids(at) == expected and expected
    spec = timeline_spec(at)
    assert spec["layout"]["meta"]["lanes"] == "country"
    # the URL written back is the same view
    assert at.query_params["country"] == "DEU" and at.query_params["lanes"] == "country"


def test_reset_button_clears_the_view(shared_store):
    at = no_exception(app(country="DEU", lanes="type"))
    at.sidebar.button[0].click().run()
    no_exception(at)
    assert at.sidebar.multiselect(key="f_countries").value == []
    assert at.sidebar.radio(key="lanes").value == "actor"
    assert "country" not in at.query_params


def test_selected_event_shows_its_evidence_escaped(shared_store):
    frames = frames_of(shared_store)
    conflicted = frames.events.loc[frames.events["conflict"], "id"]
    event_id = str(conflicted.iloc[0]) if len(conflicted) else str(frames.events["id"].iloc[0])
    at = no_exception(app(event=event_id))
    sentences = frames.mentions.loc[frames.mentions["event_id"] == event_id, "sentence"]
    html_blocks = " ".join(m.value for m in at.markdown)
    import html

    for sentence in sentences:
        assert f">{html.escape(sentence)}</mark>" in html_blocks
    if len(conflicted):
        assert any("Conflicting dates" in e.value for e in at.error)
    assert at.selectbox(key="event_pick").value == event_id
    assert at.query_params["event"] == event_id


def test_event_picker_shows_dates_at_their_own_precision(shared_store):
    """A month-precision event reads 2022-09 in the picker, never an invented 2022-09-01."""
    at = no_exception(app())
    labels = set(at.selectbox(key="event_pick").options)  # AppTest holds the formatted labels
    ev = frames_of(shared_store).events
    plain = ev.loc[ev["precision"].isin(["day", "month", "year"])]
    assert set(plain["precision"]) >= {"day", "month"}
    for row in plain.itertuples():
        assert f"{row.value} · {row.title}" in labels, (row.value, row.title)
    for row in ev.loc[ev["start"].isna()].itertuples():
        assert f"undated · {row.title}" in labels


def test_undated_events_listed_and_follow_the_filter(shared_store):
    at = no_exception(app())
    frames = frames_of(shared_store)
    n_undated = int(frames.events["start"].isna().sum())
    assert any(s.value == f"Undated events ({n_undated})" for s in at.subheader)
    at = no_exception(app(undated="0"))
    assert not any(s.value.startswith("Undated events") for s in at.subheader)


# -- other pages ----------------------------------------------------------------------------
def test_event_id_from_the_url_is_shown_as_text(shared_store):
    """A crafted link (?event=![x](http://…)) must not make the page load an outside image."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["event"] = "![x](http://tracker.example/p.png)"
    at.run()
    at.switch_page("pages/events.py").run()
    no_exception(at)
    shown = [c.value for c in at.caption if c.value.startswith("Selected event:")]
    assert shown and "](" not in shown[0] and r"\!\[x\]\(http\:" in shown[0]


def test_events_page_table_in_sync_with_filters(shared_store):
    at = app()
    at.switch_page("pages/events.py").run()
    no_exception(at)
    frames = frames_of(shared_store)
    assert len(at.dataframe[0].value) == len(frames.events)
    at.sidebar.multiselect(key="f_modalities").select("proposed").run()
    no_exception(at)
    table = at.dataframe[0].value
    assert len(table) == int((frames.events["modality"] == "proposed").sum())
    assert set(table["modality"]) == {"proposed"}


def test_compare_page_lists_conflicts_first(shared_store):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/compare.py").run()
    no_exception(at)
    from timeline.filters import EventFilter, filter_events

    # the page lists the default view (timeline-worthy events), as every page does
    ev = filter_events(frames_of(shared_store), EventFilter(min_salience=DEFAULT_MIN_SALIENCE)).events
    assert ev["conflict"].any(), "data/samples is written to hold a date conflict between sources"
    # the page shows the view: the sidebar's filters, by default the timeline-worthy events
    listed = ev.loc[((ev["n_sources"] > 1) | ev["conflict"]) & (ev["salience"] >= DEFAULT_MIN_SALIENCE)]
    flags = [e.label.startswith("⚠ conflict") for e in at.expander]
    assert len(flags) == len(listed) and sum(flags) == int(listed["conflict"].sum())
    assert flags == sorted(flags, reverse=True)  # every conflict before any agreement
    # the first table is the conflict reported by the most sources, one row per mention
    assert at.dataframe[0].value["source"].nunique() == int(listed.loc[listed["conflict"], "n_sources"].max())


def test_quality_page_counts(shared_store):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/quality.py").run()
    no_exception(at)
    frames = frames_of(shared_store)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Events"] == f"{len(frames.events):,}"
    assert metrics["Conflicts"] == str(int(frames.events["conflict"].sum()))


def test_quality_page_evaluates_a_gold_file(shared_store, seed_gold, shared_dir):
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.switch_page("pages/quality.py").run()
    at.text_input(key="gold_path").input(str(shared_dir / "gold" / "seed_events.yaml")).run()
    at.button(key="evaluate").click().run()
    no_exception(at)
    from timeline.evaluation.events import evaluate

    shown = {m.label: m.value for m in at.metric}
    result = evaluate(shared_dir / "gold" / "seed_events.yaml")  # the same scoring, run directly
    assert shown["Required events found"] == f"{result['required_found']}/{result['required_total']}"
    assert shown["Date F1"] == f"{result['date_f1']['f1']:.2f}"
    assert shown["Events extracted"] == str(result["n_events"]) and result["n_events"] > 0


# -- Sources: uploads -------------------------------------------------------------------------
def sources_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    return no_exception(at.switch_page("pages/sources.py").run())


def test_upload_adds_a_document_and_its_events(store_copy):
    before = frames_of(store_copy)
    at = sources_page()
    at.file_uploader(key="upload_files").upload("macron-scholz.md", NEW_ARTICLE.encode(),
                                                "text/markdown")
    at.form_submit_button[0].click().run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    after = frames_of(store_copy)
    assert len(after.documents) == len(before.documents) + 1
    new_doc = after.documents.loc[after.documents["title"] == "Macron and Scholz meet in Berlin"]
    assert len(new_doc) == 1 and str(new_doc["published"].iloc[0].date()) == "2024-03-10"
    new_mentions = after.mentions.loc[after.mentions["doc_id"] == new_doc["id"].iloc[0]]
    assert len(new_mentions) >= 1
    assert "2024-03-08" in set(new_mentions["start"].dropna().dt.date.astype(str))
    # the page shows it at once (cache bumped by the write)
    titles = at.dataframe[0].value["title"].tolist()
    assert "Macron and Scholz meet in Berlin" in titles


@pytest.mark.parametrize("name,data", [
    ("broken.txt", b"\x00\x01\x02\xff\xfe" * 50),
    ("empty.md", b""),
    ("table.csv", b"foo,bar\n1,2\n"),
])
def test_bad_upload_shows_an_error_and_leaves_the_store_unchanged(store_copy, name, data):
    with Store(store_copy, read_only=True) as store:
        before = (store.count("documents"), store.count("events"), store.count("event_mentions"))
    at = sources_page()
    at.file_uploader(key="upload_files").upload(name, data)
    at.form_submit_button[0].click().run()
    no_exception(at)
    assert any(e.value.startswith(f"{name} was not added:") for e in at.error)
    with Store(store_copy, read_only=True) as store:
        after = (store.count("documents"), store.count("events"), store.count("event_mentions"))
    assert after == before


def test_pasted_text_is_added(store_copy):
    at = sources_page()
    at.text_area(key="paste_text").input(NEW_ARTICLE.split("---\n")[-1])
    at.text_input(key="paste_title").input("Pasted meeting")
    at.text_input(key="paste_source").input("Clipboard Post")
    at.date_input(key="paste_published").set_value(dt.date(2024, 3, 10))
    at.form_submit_button[1].click().run()
    no_exception(at)
    docs = frames_of(store_copy).documents
    row = docs.loc[docs["title"] == "Pasted meeting"]
    assert len(row) == 1 and row["source"].iloc[0] == "Clipboard Post"


def test_setting_a_missing_publication_date_re_resolves_relative_dates(store_copy):
    at = sources_page()
    # add an undated copy of the article: "on Friday" cannot be resolved
    at.text_area(key="paste_text").input(NEW_ARTICLE.split("---\n")[-1])
    at.text_input(key="paste_title").input("Undated meeting")
    at.form_submit_button[1].click().run()
    no_exception(at)
    frames = frames_of(store_copy)
    doc_id = frames.documents.loc[frames.documents["title"] == "Undated meeting", "id"].iloc[0]
    dated_before = frames.mentions.loc[frames.mentions["doc_id"] == doc_id, "start"].notna().sum()
    assert dated_before == 0
    at.selectbox(key="fix_doc").set_value(doc_id)
    at.date_input(key="fix_date_value").set_value(dt.date(2024, 3, 10))
    at.form_submit_button[-1].click().run()
    no_exception(at)
    frames = frames_of(store_copy)
    mentions = frames.mentions.loc[frames.mentions["doc_id"] == doc_id]
    assert "2024-03-08" in set(mentions["start"].dropna().dt.date.astype(str))


HOSTILE = """---
title: Hostile <script>alert(1)</script> headline
source: Test Gazette
published: 2024-03-10
---
French President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Friday \
<img src=x onerror="alert(2)"> to discuss support for Ukraine.
"""


def test_article_markup_is_shown_as_text_in_the_evidence(store_copy):
    at = sources_page()
    at.file_uploader(key="upload_files").upload("hostile.md", HOSTILE.encode(), "text/markdown")
    at.form_submit_button[0].click().run()
    no_exception(at)
    frames = frames_of(store_copy)
    doc_id = frames.documents.loc[frames.documents["title"].str.startswith("Hostile"), "id"]
    mention = frames.mentions.loc[frames.mentions["doc_id"] == doc_id.iloc[0]].iloc[0]
    at = no_exception(app(event=str(mention["event_id"])))
    blocks = [m.value for m in at.markdown if "<mark" in m.value]
    assert blocks and all("<img" not in b and "<script" not in b for b in blocks)
    assert any("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in b for b in blocks)


def test_seed_articles_call_sits_in_both_leaders_lanes(seeds_dir, tmp_path, monkeypatch):
    """On the two real seed articles: the Putin-Scholz call is drawn in each leader's lane."""
    from timeline.ingest import ingest_paths
    from timeline.pipeline import extract_store

    db = tmp_path / "seeds.duckdb"
    with Store(db) as store:
        ingest_paths([seeds_dir], store)
        extract_store(store)
    monkeypatch.setenv("TIMELINE_DB", str(db))
    frames = frames_of(db)
    both = frames.events.loc[frames.events["actors"].map(
        lambda a: {"Vladimir Putin", "Olaf Scholz"} <= set(a)) & frames.events["start"].notna()]
    assert len(both), "no dated event with both leaders was extracted"
    at = no_exception(app(leader=["Olaf Scholz", "Vladimir Putin"]))
    spec = timeline_spec(at)
    lanes_of: dict[str, set[str]] = {}
    for trace in spec["data"]:
        if trace.get("mode") == "markers" and trace.get("customdata"):
            for event_id, lane in zip(trace["customdata"], trace["y"]):
                lanes_of.setdefault(event_id, set()).add(lane)
    for event_id in both["id"]:
        assert {"Vladimir Putin", "Olaf Scholz"} <= lanes_of[event_id]
    # a connector runs from an event's top lane to its bottom one: both leaders' lanes lie on it
    order = list(spec["layout"]["yaxis"]["categoryarray"])
    connector = next(t for t in spec["data"] if t.get("name") == "same event, several lanes")
    ys = connector["y"]
    spans = [sorted((order.index(ys[i]), order.index(ys[i + 1]))) for i in range(0, len(ys) - 1, 3)]
    leaders = sorted(order.index(n) for n in ("Vladimir Putin", "Olaf Scholz"))
    assert any(lo <= leaders[0] and leaders[1] <= hi for lo, hi in spans), (order, ys)


@pytest.mark.parametrize("page", [None, "pages/events.py", "pages/sources.py",
                                  "pages/compare.py", "pages/quality.py"])
def test_empty_store_says_what_to_do(tmp_path, monkeypatch, page):
    monkeypatch.setenv("TIMELINE_DB", str(tmp_path / "new" / "empty.duckdb"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page:
        at.switch_page(page).run()
    no_exception(at)
    assert any("The store is empty" in i.value for i in at.info)
