"""Dashboard timings: first render and filter round trip at 10k and 1M synthetic events.

    .venv/bin/python bench/dashboard.py [--sizes 10000,1000000] [--runs 5] [--apptest 10000]
                                        [--out bench/out/dashboard.json]

What is timed (medians of ``--runs``; frames are generated once per size, untimed):
  first render   filter_events(no filter) + timeline_figure(lanes="actor") + density_figure
                 + fig.to_json() for both: what the Timeline page computes and ships on load
  filter         filter_events(country DEU + 2010..2015 window) + the same figures + JSON:
                 the round trip after the user changes a filter
  baseline       pandas' own ``isin`` on the Arrow-backed event-id column for the same
                 filter's companion-table step, to show why filters.isin goes through Arrow
JSON sizes are what the browser receives for the chart (must stay a few MB at 1M: the
chart switches to counts per lane and period above 3,000 marks).
  apptest        streamlit.testing.v1.AppTest of app.py on TIMELINE_SYNTHETIC=N: first run
                 (generate + cache + page) and a rerun after choosing a country (filter after
                 the cache), for the sizes in ``--apptest``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILTER = dict(countries=("DEU",), start=dt.date(2010, 1, 1), end=dt.date(2015, 12, 31))


def _median_time(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def render(frames, flt):
    from timeline.charts import TEMPLATE, density_figure, timeline_figure
    from timeline.filters import filter_events

    view = filter_events(frames, flt)
    fig = timeline_figure(view.events, view.actors, lanes="actor", mentions=view.mentions,
                          template=TEMPLATE)
    dens = density_figure(view.events, frames.documents)
    return len(fig.to_json()), len(dens.to_json()), fig.layout.meta["mode"], len(view.events)


def bench_size(n: int, runs: int) -> dict:
    from timeline.filters import EventFilter, filter_events
    from timeline.synthetic import synthetic_frames

    t = time.perf_counter()
    frames = synthetic_frames(n, seed=0)
    generated = time.perf_counter() - t
    first, (chart_bytes, density_bytes, mode, _) = _median_time(
        lambda: render(frames, EventFilter()), runs)
    flt = EventFilter(**FILTER)
    filtered, (f_chart, _, f_mode, kept) = _median_time(lambda: render(frames, flt), runs)
    filter_only, _ = _median_time(lambda: filter_events(frames, flt), runs)
    kept_ids = frames.events["id"].iloc[: max(1, len(frames.events) // 10)]
    baseline, _ = _median_time(lambda: frames.mentions["event_id"].isin(kept_ids), runs)
    from timeline.filters import isin

    ours, _ = _median_time(lambda: isin(frames.mentions["event_id"], kept_ids), runs)
    return {"events": n, "generate_s": generated, "first_render_s": first,
            "chart_json_bytes": chart_bytes, "density_json_bytes": density_bytes,
            "first_mode": mode, "filter_round_trip_s": filtered, "filter_only_s": filter_only,
            "filtered_events": kept, "filtered_mode": f_mode, "filtered_chart_bytes": f_chart,
            "isin_pandas_s": baseline, "isin_arrow_s": ours}


def bench_apptest(n: int) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["TIMELINE_SYNTHETIC"] = str(n)
    os.environ.setdefault("TIMELINE_DB", str(ROOT / "bench" / "out" / "unused.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1200)
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    assert not at.exception, [e.message for e in at.exception]
    t = time.perf_counter()
    at.sidebar.multiselect(key="f_countries").select("DEU").run()
    rerun = time.perf_counter() - t
    assert not at.exception, [e.message for e in at.exception]
    del os.environ["TIMELINE_SYNTHETIC"]
    return {"events": n, "apptest_first_run_s": first, "apptest_filter_rerun_s": rerun}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--apptest", default="10000", help="sizes for the AppTest timing ('' = none)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "dashboard.json"))
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        rows.append(bench_size(n, args.runs if n <= 100_000 else max(1, min(args.runs, 3))))
    apps = [bench_apptest(int(s)) for s in args.apptest.split(",") if s]

    print(f"command: .venv/bin/python bench/dashboard.py --sizes {args.sizes} --runs {args.runs}"
          f" --apptest '{args.apptest}'")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpu(s), python "
          f"{platform.python_version()}; medians")
    print(f"{'events':>10} {'first render':>13} {'JSON':>7} {'mode':>9} | {'filter trip':>11}"
          f" {'kept':>7} {'JSON':>7} {'mode':>9} {'filter only':>11} | {'isin arrow':>10}"
          f" {'isin pandas':>11}")
    for r in rows:
        print(f"{r['events']:>10,} {r['first_render_s']:>12.3f}s {r['chart_json_bytes']/1e3:>5.0f}kB"
              f" {r['first_mode']:>9} | {r['filter_round_trip_s']:>10.3f}s"
              f" {r['filtered_events']:>7,} {r['filtered_chart_bytes']/1e3:>5.0f}kB"
              f" {r['filtered_mode']:>9} {r['filter_only_s']:>10.3f}s |"
              f" {r['isin_arrow_s']:>9.3f}s {r['isin_pandas_s']:>10.3f}s")
    for a in apps:
        print(f"AppTest {a['events']:,} events: first run {a['apptest_first_run_s']:.2f}s, "
              f"filter rerun {a['apptest_filter_rerun_s']:.2f}s")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"sizes": rows, "apptest": apps}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
