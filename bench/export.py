"""Export timings: PNG/SVG/PDF, cold and warm, at 100 and 10k events and the 1M level-of-detail view.

    .venv/bin/python bench/export.py [--sizes 100,10000,1000000] [--runs 5] [--out bench/out/export.json]

For each size, synthetic frames (timeline.synthetic) go through the app's figure
path (timeline.export.build_export_figure = filter_events + timeline_figure +
caption; above max_marks the chart draws its level-of-detail aggregate). Then:

* cold: a fresh Python process loads the figure (JSON, untimed) and times its
  FIRST export, which includes starting the shared kaleido server and Chromium;
* warm: in this process, after one warm-up export, the median of ``--runs``
  exports through the already running server.

Figure build time (filter + chart + caption) is reported apart. Width 1400,
scale 2 for PNG (print), default height. Nothing is downloaded; the machine has
no network and Chromium is Debian's.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("png", "svg", "pdf")
WIDTH, SCALE = 1400, 2.0

COLD_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import plotly.io as pio
from timeline.export import image_bytes
fig = pio.read_json(sys.argv[2])
t = time.perf_counter()
data = image_bytes(fig, sys.argv[3], width=int(sys.argv[4]), scale=float(sys.argv[5]))
print(json.dumps({"seconds": time.perf_counter() - t, "bytes": len(data)}))
"""


def _marks(trace) -> int:
    """Drawn marks: non-empty cells of an aggregate heatmap, else points of a trace."""
    if trace.type == "heatmap":
        return int(sum(1 for row in trace.z for v in row if v))
    return len(trace.x) if trace.x is not None else 0


def baseline(fig, fmt: str, runs: int) -> float:
    """plotly's own ``to_image``: kaleido starts a fresh Chromium for every call."""
    import plotly.io as pio

    from timeline.export.images import without_webgl
    from timeline.export.theme import apply_export_theme

    themed = without_webgl(apply_export_theme(fig))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        pio.to_image(themed, format=fmt, width=WIDTH, height=int(themed.layout.height), scale=SCALE)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def build(n: int):
    from timeline.export import build_export_figure
    from timeline.filters import EventFilter
    from timeline.synthetic import synthetic_frames

    t0 = time.perf_counter()
    frames = synthetic_frames(n, seed=0)
    t1 = time.perf_counter()
    fig, view = build_export_figure(frames, EventFilter(), title=f"Synthetic timeline, {n:,} events",
                                    generated=dt.date(2026, 1, 1))
    t2 = time.perf_counter()
    marks = sum(_marks(t) for t in fig.data)
    return fig, {"events": n, "frames_s": t1 - t0, "figure_s": t2 - t1, "traces": len(fig.data),
                 "marks": marks}


def cold(fig_json: Path, fmt: str) -> dict:
    out = subprocess.run([sys.executable, "-c", COLD_CHILD, str(ROOT), str(fig_json), fmt, str(WIDTH), str(SCALE)],
                         capture_output=True, text=True, timeout=900, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def warm(fig, fmt: str, runs: int) -> dict:
    from timeline.export import image_bytes

    image_bytes(fig, fmt, width=WIDTH, scale=SCALE)  # warm-up
    times, size = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        size = len(image_bytes(fig, fmt, width=WIDTH, scale=SCALE))
        times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "bytes": size}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,10000,1000000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline-runs", type=int, default=3,
                    help="plotly.io.to_image runs per format at the smallest size (0 to skip)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "export.json"))
    args = ap.parse_args()
    from timeline.export import browser_path, shutdown

    browser = browser_path()
    results, baselines = [], {}
    load_before = os.getloadavg()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            fig, info = build(n)
            fig_json = Path(tmp) / f"fig_{n}.json"
            fig_json.write_text(fig.to_json(), encoding="utf-8")
            info["figure_json_bytes"] = fig_json.stat().st_size
            for fmt in FORMATS:
                c = cold(fig_json, fmt)
                w = warm(fig, fmt, args.runs)
                results.append({**info, "format": fmt, "cold_s": c["seconds"], "warm_median_s": w["median_s"],
                                "warm_min_s": w["min_s"], "warm_max_s": w["max_s"], "bytes": w["bytes"]})
                print(f"  {n:>9,} {fmt}: cold {c['seconds']:.2f}s warm {w['median_s']:.2f}s", flush=True)
                if n == min(sizes) and args.baseline_runs:
                    baselines[fmt] = baseline(fig, fmt, args.baseline_runs)
                    print(f"  {n:>9,} {fmt}: plotly.io.to_image {baselines[fmt]:.2f}s", flush=True)
            del fig
    shutdown()

    load_after = os.getloadavg()
    cmd = "  .venv/bin/python bench/export.py " + " ".join(sys.argv[1:])
    print(f"\nExport timings ({platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.1f} -> {load_after[0]:.1f}; chromium {browser}; width {WIDTH}, "
          f"PNG scale {SCALE:g}; warm = median of {args.runs})")
    print(f"{'events':>10} {'marks':>6} {'figure s':>9} {'format':>6} {'cold s':>7} {'warm s':>7} {'size KB':>8}")
    for r in results:
        print(f"{r['events']:>10,} {r['marks']:>6,} {r['figure_s']:>9.2f} {r['format']:>6} "
              f"{r['cold_s']:>7.2f} {r['warm_median_s']:>7.2f} {r['bytes'] / 1024:>8.0f}")
    for fmt, secs in baselines.items():
        warm_s = next(r["warm_median_s"] for r in results if r["events"] == min(sizes) and r["format"] == fmt)
        print(f"baseline {fmt} at {min(sizes):,} events: plotly.io.to_image {secs:.2f}s per export "
              f"(new browser each call) = {secs / warm_s:.1f}x the warm shared server")
    print(f"\ncommand:\n{cmd.rstrip()}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"command": cmd.strip(), "load_average": [load_before, load_after],
                                "baseline_plotly_to_image_s": baselines, "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
