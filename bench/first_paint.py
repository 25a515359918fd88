"""First paint in a real browser: `streamlit run app.py` on the sample store + Debian's Chromium.

    .venv/bin/python bench/first_paint.py [--runs 5] [--out bench/out/first_paint.json]

What is timed (wall clock in Python around Playwright, medians of ``--runs`` page loads,
each in a fresh browser context so nothing is cached in the page; the first load after the
server starts is reported apart as "cold": it also loads the frames from the store):
  shell        goto -> Streamlit's sidebar is visible: the fixed cost of any Streamlit page,
               the baseline the chart is measured against, in the same run
  chart marks  goto -> the timeline's first marker paths are in the DOM
  labels       goto -> the chart's event labels are drawn
  map          goto -> the country map's shapes are drawn (fetched from /app/static)
  filter       an actor chosen in the sidebar (Enter pressed) -> the chart shows that actor's
               marks only (a new script run, filter, figure, labels, JSON, redraw)
  no labels    chart marks with ?labels=0, to show what labelling costs
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-quic"]
TIMELINE = """Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(e => e.layout && e.layout.meta && e.layout.meta.lanes)"""
MARKS = "() => { const el = " + TIMELINE + "; return !!(el && el.querySelector('.scatterlayer .point')); }"
LABELS = "() => { const el = " + TIMELINE + "; return !!(el && el.querySelector('g.annotation rect.bg')); }"
MAP = """() => { const el = Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(e => e.data && e.data[0] && e.data[0].type === 'choropleth');
  return !!(el && el.querySelectorAll('path.choroplethlocation').length > 5); }"""
IDS = "() => { const el = " + TIMELINE + """; if (!el) return null;
  return el.data.filter(t => t.mode === 'markers' && t.customdata)
                .flatMap(t => Array.from(t.customdata)).length; }"""
WAIT_MS = 120_000


def build_store(path: Path) -> None:
    from timeline.ingest import ingest_paths
    from timeline.pipeline import extract_store
    from timeline.store import Store

    with Store(path) as store:
        ingest_paths([ROOT / "data" / "samples"], store)
        extract_store(store)


def start_server(db: Path, log, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` (a path from the project folder) on a free port of 127.0.0.1,
    on the store ``db``: (process, url) once it answers its health check."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "TIMELINE_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit("streamlit did not start")
            time.sleep(0.3)


def open_page(browser, url: str, wait_ms: int = WAIT_MS):
    """A fresh browser context on ``url``: (context, page, goto's clock, seconds to the shell)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(wait_ms)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stSidebar"]')
    return ctx, page, t0, time.perf_counter() - t0


def load(browser, url: str) -> dict[str, float]:
    """Times (s) from goto to each milestone, and the filter round trip, in a fresh context."""
    ctx, page, t0, shell = open_page(browser, url)
    out: dict[str, float] = {"shell": shell}
    page.wait_for_function(MARKS, polling="raf")
    out["chart marks"] = time.perf_counter() - t0
    if "labels=0" not in url:
        page.wait_for_function(LABELS, polling="raf")
        out["labels"] = time.perf_counter() - t0
        page.wait_for_function(MAP, polling="raf")
        out["map"] = time.perf_counter() - t0
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        before = page.evaluate(IDS)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        box.click()
        page.keyboard.type("Olaf Scholz")
        t1 = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function("(n) => { const k = (" + IDS + ")(); return k !== null && k !== n; }",
                               arg=before, polling="raf")
        out["filter"] = time.perf_counter() - t1
    ctx.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "first_paint.json"))
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="first-paint-") as tmp:
        db = Path(tmp) / "samples.duckdb"
        build_store(db)
        with open(Path(tmp) / "streamlit.log", "w+") as log:
            proc, url = start_server(db, log)
            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                    cold = load(browser, url)
                    warm, plain = [], []
                    for _ in range(args.runs):  # interleaved: both see the same machine load
                        warm.append(load(browser, url))
                        plain.append(load(browser, url + "/?labels=0"))
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(timeout=20)
    rows = []
    for key in ("shell", "chart marks", "labels", "map", "filter"):
        rows.append((key, cold.get(key), statistics.median(r[key] for r in warm)))
    rows.append(("chart marks, ?labels=0", None, statistics.median(r["chart marks"] for r in plain)))
    print(f"First paint on the sample store (median of {args.runs} warm loads; cold = first load "
          "after the server started)\n")
    print("| milestone | cold s | warm s |\n|---|---:|---:|")
    for key, c, w in rows:
        print(f"| {key} | {'' if c is None else f'{c:.2f}'} | {w:.2f} |")
    print(f"\ncommand: .venv/bin/python bench/first_paint.py --runs {args.runs}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({
        "machine": platform.platform(), "runs": args.runs, "cold": cold, "warm": warm,
        "no_labels": plain}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
