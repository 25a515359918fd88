"""The real app in a real browser: `streamlit run` on 127.0.0.1 + Debian's Chromium via Playwright.

Checks what only a browser shows: the chart renders, a filter chosen in the UI changes
it, clicking a mark shows its evidence sentence, a copied URL reproduces the view, and no
request leaves the machine. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from test_app import ROOT, build_sample_store, frames_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WAIT_MS = 120_000

# the timeline is the plot whose layout names its lanes (the map and the density strip are not)
TIMELINE_JS = """Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(e => e.layout && e.layout.meta && e.layout.meta.lanes)"""
MAP_JS = """Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(e => e.data && e.data[0] && e.data[0].type === 'choropleth')"""

MARK_IDS_JS = """() => {
  const el = """ + TIMELINE_JS + """;
  if (!el || !el.data) return null;
  return el.data.filter(t => t.mode === 'markers' && t.customdata)
                .flatMap(t => Array.from(t.customdata)).sort();
}"""

MARK_POSITION_JS = """(id) => {
  const el = """ + TIMELINE_JS + """;
  const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
  const tr = el.data.find(t => t.mode === 'markers' && t.customdata
                          && Array.from(t.customdata).includes(id));
  const i = Array.from(tr.customdata).indexOf(id);
  const px = xa.d2p(tr.x[i]), py = ya.d2p(tr.y[i]);
  if (!(px >= 0 && px <= xa._length && py >= 0 && py <= ya._length)) return null;
  const r = el.getBoundingClientRect();
  return [r.left + xa._offset + px, r.top + ya._offset + py];
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium)")
    import playwright.sync_api  # noqa: F401 - a required test dependency: missing = an error, not a skip
    db = build_sample_store(tmp_path_factory.mktemp("browser") / "samples.duckdb")
    port = free_port()
    env = {**os.environ, "TIMELINE_DB": str(db)}
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    log.seek(0)
                    pytest.fail(f"streamlit did not start:\n{log.read()}")
                time.sleep(0.5)
        yield {"url": url, "db": db}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def requests_seen():
    return []


def open_page(browser, url: str, seen: list[str]):
    """The app with every event (``?minor=1``): these tests compare the page with the whole
    store; the default view (timeline-worthy events only) is tested in tests/test_app.py."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: seen.append(r.url))
    page.set_default_timeout(WAIT_MS)
    page.goto(url + ("&" if "?" in url else "?") + "minor=1")
    wait_for_chart(page)
    return page


def wait_for_chart(page, previous: list[str] | None = None) -> list[str]:
    """Mark ids once the chart is drawn (and differs from ``previous`` when given)."""
    page.wait_for_function("() => { const el = " + TIMELINE_JS + ";"
                           " return el && el.querySelector('.scatterlayer .trace'); }")
    deadline = time.time() + WAIT_MS / 1000
    while True:
        ids = page.evaluate(MARK_IDS_JS)
        if ids is not None and (previous is None or ids != previous):
            return ids
        if time.time() > deadline:
            raise AssertionError("the chart did not change")
        time.sleep(0.3)


def wait_until_idle(page) -> None:
    """Streamlit shows a running indicator while the script runs; wait until it is gone."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS)
    time.sleep(0.5)


def shot(page, artifacts_dir: Path, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"browser-{name}.png"), full_page=False,
                    timeout=WAIT_MS, animations="disabled")


def assert_local(seen: list[str]) -> None:
    remote = [u for u in seen if urlparse(u).scheme in ("http", "https", "ws", "wss")
              and urlparse(u).hostname not in LOCAL_HOSTS]
    assert not remote, f"requests left the machine: {remote}"
    assert seen, "no request recorded"


def test_chart_filter_evidence_and_shared_url(server, browser, artifacts_dir, requests_seen):
    frames = frames_of(server["db"])
    ev = frames.events
    dated = sorted(ev.loc[ev["start"].notna(), "id"])
    page = open_page(browser, server["url"], requests_seen)

    # 1. the chart renders every dated event
    ids = wait_for_chart(page)
    assert sorted(set(ids)) == dated
    wait_until_idle(page)
    shot(page, artifacts_dir, "1-timeline")

    # 2. a filter chosen in the sidebar changes it
    actor = "Olaf Scholz"
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.click()
    page.keyboard.type(actor)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    with_actor = set(frames.actors.loc[frames.actors["name"] == actor, "event_id"])
    filtered = wait_for_chart(page, previous=ids)
    assert set(filtered) == with_actor & set(dated) and len(set(filtered)) < len(dated)
    wait_until_idle(page)
    # the URL is written at the end of the script run, after the chart is sent
    page.wait_for_function("() => new URLSearchParams(location.search).has('actor')")
    assert parse_qs(urlparse(page.url).query)["actor"] == [actor]
    shot(page, artifacts_dir, "2-filtered")

    # 3. clicking a mark shows its evidence sentence
    page.evaluate("() => (" + TIMELINE_JS + ").scrollIntoView({block: 'start'})")
    visible = [p for p in (page.evaluate(MARK_POSITION_JS, t) for t in sorted(set(filtered)))
               if p is not None]
    assert visible, "no mark inside the plotted window"
    x, y = visible[0]
    page.mouse.click(x, y)
    page.wait_for_function("() => new URLSearchParams(location.search).get('event') !== null")
    selected = parse_qs(urlparse(page.url).query)["event"][0]
    sentences = set(frames.mentions.loc[frames.mentions["event_id"] == selected, "sentence"])
    mark = page.locator("mark").first
    mark.wait_for()
    assert mark.inner_text().strip() in {s.strip() for s in sentences}
    wait_until_idle(page)
    mark.scroll_into_view_if_needed()
    shot(page, artifacts_dir, "3-evidence")

    # 4. the URL reproduces the view in a second page
    second = open_page(browser, page.url, requests_seen)
    assert sorted(set(wait_for_chart(second))) == sorted(set(filtered))
    second.locator("mark").first.wait_for()
    assert second.locator("mark").first.inner_text().strip() in {s.strip() for s in sentences}
    chips = second.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    assert actor in chips.inner_text()
    wait_until_idle(second)
    shot(second, artifacts_dir, "4-shared-url")

    # 5. nothing left the machine
    assert_local(requests_seen)
    page.close()
    second.close()


def test_other_pages_render_offline(server, browser, artifacts_dir, requests_seen):
    page = open_page(browser, server["url"], requests_seen)
    for name, path in (("story", "story"), ("events", "events"), ("sources", "sources"),
                       ("compare", "compare"), ("quality", "quality")):
        page.goto(f"{server['url']}/{path}")
        page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
        wait_until_idle(page)
        assert not page.locator('[data-testid="stException"]').count(), name
        shot(page, artifacts_dir, f"page-{name}")
    assert_local(requests_seen)
    page.close()


def test_download_buttons_deliver_the_current_view(server, browser, artifacts_dir, requests_seen):
    """The Timeline page's PNG and CSV buttons hand the browser real files of the view."""
    import csv
    import io

    from PIL import Image

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.on("request", lambda r: requests_seen.append(r.url))
    page.set_default_timeout(WAIT_MS)
    page.goto(server["url"] + "/?minor=1")
    wait_for_chart(page)
    wait_until_idle(page)
    page.get_by_text("Export this view").click()  # the buttons live in an expander
    files = {}
    for label in ("PNG", "CSV"):
        button = page.locator('[data-testid="stDownloadButton"] button', has_text=label).first
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=WAIT_MS * 2) as info:
            button.click()
        path = artifacts_dir / f"browser-download.{label.lower()}"
        info.value.save_as(str(path))
        files[label] = path.read_bytes()
    png = Image.open(io.BytesIO(files["PNG"]))
    assert png.format == "PNG" and png.width >= 1000
    rgb = np.asarray(png.convert("RGB"), dtype=int)
    white = (rgb > 245).all(axis=2).mean()
    marks = (np.abs(rgb - np.array([31, 78, 121])).sum(axis=2) < 40).sum()  # the marks' blue
    assert 0.5 < white < 0.98, white  # a white page with a drawing on it, not blank, not a block
    assert marks > 1500, marks  # ~40 marks of 11 px at scale 2, the legend glyphs and bars
    header = files["CSV"].decode("utf-8-sig").splitlines()[0]
    assert "title" in header and "date" in header
    rows = list(csv.DictReader(io.StringIO(files["CSV"].decode("utf-8-sig"))))
    events = frames_of(server["db"]).events
    assert sorted(r["id"] for r in rows) == sorted(events["id"])  # no filter: every event
    assert_local(requests_seen)
    page.close()


LABEL_BOXES_JS = """() => {
  const el = """ + TIMELINE_JS + """;
  const names = (el.layout.annotations || []).map(a => a.name);
  return Array.from(el.querySelectorAll('g.annotation')).filter(
      g => names[+g.getAttribute('data-index')] === 'event-label').map(g => {
    const r = g.querySelector('rect.bg').getBoundingClientRect();
    return {text: g.textContent, box: [r.left, r.top, r.right, r.bottom]};
  });
}"""

COUNTRY_POINT_JS = """(code) => {
  const el = """ + MAP_JS + """;
  if (!el) return null;
  const path = Array.from(el.querySelectorAll('path.choroplethlocation'))
      .find(p => p.__data__ && p.__data__.loc === code);
  if (!path) return null;
  const r = path.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}"""


def test_labelled_chart_and_map_render_offline(server, browser, artifacts_dir, requests_seen):
    """Labels on the page's chart: none overlap (boxes from the page's SVG), the most salient
    events carry one; the map draws its countries from the local shapes."""
    from timeline.labels import salience

    frames = frames_of(server["db"])
    page = open_page(browser, server["url"], requests_seen)
    wait_until_idle(page)
    page.wait_for_function("() => { const el = " + MAP_JS + "; return el &&"
                           " el.querySelectorAll('path.choroplethlocation').length > 5; }")
    shot(page, artifacts_dir, "map-and-timeline")
    labels = page.evaluate(LABEL_BOXES_JS)
    assert len(labels) >= 8
    boxes = [lb["box"] for lb in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    labelled = page.evaluate("() => (" + TIMELINE_JS + ").layout.meta.labels")
    ev = frames.events.loc[frames.events["start"].notna()]
    top = ev["id"].to_numpy()[np.argsort(-salience(ev), kind="stable")[:3]]
    assert set(top) <= set(labelled)
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)  # map, timeline, density
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(artifacts_dir / "browser-labelled-timeline.png"), timeout=WAIT_MS)
    shapes = [u for u in requests_seen if "world_110m.json" in u]
    assert shapes and all(urlparse(u).path == "/app/static/topojson/world_110m.json" for u in shapes)
    assert_local(requests_seen)
    page.close()


def test_clicking_a_country_on_the_map_filters_by_it(server, browser, artifacts_dir,
                                                     requests_seen):
    frames = frames_of(server["db"])
    page = open_page(browser, server["url"], requests_seen)
    before = wait_for_chart(page)
    wait_until_idle(page)
    page.wait_for_function("(c) => (" + COUNTRY_POINT_JS + ")(c) !== null", arg="DEU")
    x, y = page.evaluate(COUNTRY_POINT_JS, "DEU")
    page.mouse.click(x, y)
    page.wait_for_function("() => new URLSearchParams(location.search).get('country') === 'DEU'")
    after = wait_for_chart(page, previous=before)
    ev = frames.events
    german = set(ev.loc[ev["countries"].map(lambda c: "DEU" in c) & ev["start"].notna(), "id"])
    assert set(after) == german and german
    chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(2)
    assert "DEU" in chips.inner_text()
    wait_until_idle(page)
    shot(page, artifacts_dir, "map-click-DEU")
    assert_local(requests_seen)
    page.close()


def test_story_view_is_keyboard_navigable_and_deep_linked(server, browser, artifacts_dir,
                                                          requests_seen):
    frames = frames_of(server["db"])
    conflict = str(frames.events.loc[frames.events["conflict"], "id"].iloc[0])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: requests_seen.append(r.url))
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{server['url']}/story?actor=Olaf+Scholz&event={conflict}&minor=1")
    page.locator("article").first.wait_for()
    wait_until_idle(page)
    with_scholz = set(frames.actors.loc[frames.actors["name"] == "Olaf Scholz", "event_id"])
    assert page.locator("article").count() == len(with_scholz)
    linked = page.locator(f"article#event-{conflict}")
    assert "Sources disagree" in linked.inner_text()
    # keyboard: focus the first card, Tab reaches the next one
    page.locator("article").first.focus()
    first = page.evaluate("() => document.activeElement.id")
    page.keyboard.press("Tab")
    second = page.evaluate("() => document.activeElement.id")
    assert first.startswith("event-") and second.startswith("event-") and first != second
    shot(page, artifacts_dir, "story")
    assert parse_qs(urlparse(page.url).query)["event"] == [conflict]
    assert_local(requests_seen)
    page.close()
