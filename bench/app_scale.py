"""Big stores stay usable (issue 13): the app and the data commands on a large store, against
the sample store in the same run.

    .venv/bin/python bench/app_scale.py --db /work/stores/s16000.duckdb [--runs 5]
        [--no-app] [--no-cli] [--out bench/out/app_scale.json]

``--db`` is an extracted store (e.g. 16,000 generated articles: bench/scale.py, or
``python -m timeline ingest`` + ``extract`` of ``bench/generate.py`` output); the baseline is
the sample store (data/samples, ingested and extracted into a temporary folder first).
For each store:

app   ``streamlit run app.py`` on 127.0.0.1 with TIMELINE_DB, Debian's Chromium through
      Playwright, each load in a fresh browser context (nothing cached in the page):
        shell     goto -> Streamlit's sidebar is drawn (what any Streamlit page costs)
        chart     goto -> the timeline's first marks are drawn (marker points, or the cells of
                  the counts view a big store gets)
        idle      goto -> the script run is over (no running indicator)
        filter    an actor chosen in the sidebar (Enter) -> the timeline redrawn for it
      "cold" is the first load after the server started (it also reads the store); "warm"
      the median of ``--runs`` further loads. Beside the chart's wall seconds, the CPU
      seconds spent from goto to the chart by the browser (every Chromium process) and by
      the server: on 2 shared cores wall time is mostly other people's load, CPU time
      mostly ours. Server peak RSS is the streamlit process's VmHWM after all loads (its
      CPU seconds beside it).
floor the same loads of ``bench/floor_app.py`` (a sidebar multiselect and a three-point
      plotly chart, no store), first, in the same run: what Streamlit and plotly.js cost
      by themselves, the part of the app's figures no change to the app can remove.
cli   each command in its own process, output to /dev/null or a temporary file: wall
      seconds, CPU seconds (user + system) and peak RSS (GNU time's %M, see run_cli):
        events --format json (every event), export --format json|csv|parquet (the export's
        default view: the timeline-worthy events, as the app shows them).
No timed asserts: the numbers are printed and written to ``--out``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from first_paint import ARGS, CHROMIUM, build_store, open_page, start_server  # noqa: E402

TIMELINE = """Array.from(document.querySelectorAll('.js-plotly-plot'))
  .find(e => e.layout && e.layout.meta && e.layout.meta.lanes)"""
# first marks of either view: marker points (events) or heatmap cells (counts per period)
CHART = "() => { const el = " + TIMELINE + """; return !!(el && (el.querySelector('.scatterlayer .point')
  || el.querySelector('.heatmaplayer image, .hm image'))); }"""
# what the chart shows: its title (with the subtitle's count) and its traces' sizes
SIGNATURE = "() => { const el = " + TIMELINE + """; if (!el) return null;
  const t = el.layout.title; return JSON.stringify([t && (t.text || t), el.data.map(d =>
  (d.customdata || d.z || d.x || []).length)]); }"""
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
WAIT_MS = 180_000
ACTOR = "Olaf Scholz"
FLOOR, FLOOR_SCRIPT = "floor", "bench/floor_app.py"


def load(browser, url: str, server_pid: int) -> dict[str, float]:
    """Seconds from goto to each milestone, then the filter round trip, in a fresh context;
    CPU seconds of the browser and the server from goto to the chart."""
    browser_cpu, server_cpu = tree_cpu(os.getpid(), "chrom"), proc_status(server_pid)["cpu"]
    ctx, page, t0, shell = open_page(browser, url, WAIT_MS)
    out: dict[str, float] = {"shell": shell}
    page.wait_for_function(CHART, polling="raf")
    out["chart"] = time.perf_counter() - t0
    out["chart_cpu_browser"] = sum(v - browser_cpu.get(pid, 0.0) for pid, v in tree_cpu(os.getpid(), "chrom").items())
    out["chart_cpu_server"] = proc_status(server_pid)["cpu"] - server_cpu
    page.wait_for_function(IDLE, polling=100)
    out["idle"] = time.perf_counter() - t0
    before = page.evaluate(SIGNATURE)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.click()
    page.keyboard.type(ACTOR)
    page.wait_for_selector(f'[role="option"]:has-text("{ACTOR}")')
    t1 = time.perf_counter()
    page.keyboard.press("Enter")
    page.wait_for_function("(s) => { const k = (" + SIGNATURE + ")(); return k !== null && k !== s; }",
                           arg=before, polling="raf")
    page.wait_for_function(CHART, polling="raf")
    out["filter"] = time.perf_counter() - t1
    ctx.close()
    return out


def tree_cpu(root: int, name_part: str) -> dict[int, float]:
    """CPU seconds (user + system) of each live descendant of ``root`` whose command name
    contains ``name_part`` (Chromium's browser, renderer, GPU and utility processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                head, rest = fh.read().rsplit(")", 1)
        except OSError:  # gone meanwhile
            continue
        parts = rest.split()
        parent[int(entry)] = int(parts[1])
        if name_part in head.split("(", 1)[1]:
            cpu[int(entry)] = (int(parts[11]) + int(parts[12])) / tick
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = {}, [root]
    while todo:
        for kid in children.get(todo.pop(), []):
            todo.append(kid)
            if kid in cpu:
                out[kid] = cpu[kid]
    return out


def proc_status(pid: int) -> dict[str, float]:
    """Peak and current RSS (MB) and CPU seconds of a running process."""
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(rest.split()[0]) / 1024
    with open(f"/proc/{pid}/stat") as fh:
        parts = fh.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    fields["cpu"] = (int(parts[11]) + int(parts[12])) / tick
    return fields


def bench_app(db: Path, runs: int, log_path: Path, script: str = "app.py") -> dict:
    from playwright.sync_api import sync_playwright

    with open(log_path, "w+") as log:
        started = time.perf_counter()
        proc, url = start_server(db, log, script)
        up = time.perf_counter() - started
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                cold = load(browser, url, proc.pid)
                after_cold = proc_status(proc.pid)
                warm = [load(browser, url, proc.pid) for _ in range(runs)]
                browser.close()
            status = proc_status(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"server_start": up, "cold": cold, "warm": warm, "rss_after_cold_mb": after_cold["VmRSS"],
            "peak_rss_mb": status["VmHWM"], "rss_end_mb": status["VmRSS"], "server_cpu": status["cpu"],
            "server_cpu_cold": after_cold["cpu"]}


def run_cli(args: list[str], stdout, tmp: Path) -> dict:
    """``python -m timeline ARGS`` in its own process under ``/usr/bin/time``: wall, CPU and
    peak RSS. Not ru_maxrss from wait4 on our own child: Linux carries the RSS a process had
    before exec into its peak, so a child forked from this bench (browser driver, sample
    store built) would report at least the bench's size."""
    stats = tmp / "time.txt"
    t = time.perf_counter()
    proc = subprocess.run([TIME, "-f", "%M %U %S", "-o", str(stats), sys.executable, "-m", "timeline", *args],
                          cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    kb, user, system = stats.read_text().split()[-3:]
    return {"wall": wall, "cpu": float(user) + float(system), "peak_rss_mb": int(kb) / 1024}


TIME = shutil.which("time") or "/usr/bin/time"  # GNU time (the shell keyword has no -f)
CLI_STEPS = {
    "events --format json": lambda db, out: (["events", "--db", db, "--format", "json"], None),
    "export --format json": lambda db, out: (["export", "--db", db, "--format", "json", "--out", f"{out}.json"], f"{out}.json"),
    "export --format csv": lambda db, out: (["export", "--db", db, "--format", "csv", "--out", f"{out}.csv"], f"{out}.csv"),
    "export --format parquet": lambda db, out: (["export", "--db", db, "--format", "parquet", "--out", f"{out}.parquet"],
                                                f"{out}.parquet"),
}


def bench_cli(db: Path, tmp: Path) -> dict:
    res = {}
    for name, make in CLI_STEPS.items():
        args, written = make(str(db), str(tmp / "export"))
        with open(os.devnull, "wb") as sink:
            r = run_cli(args, sink, tmp)
        if written:
            r["bytes"] = Path(written).stat().st_size
            Path(written).unlink()
        res[name] = r
        print(f"  {name}: {r['wall']:.1f} s (CPU {r['cpu']:.1f} s), peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
    return res


def store_facts(db: Path) -> dict:
    from timeline.store import Store

    with Store(db, read_only=True) as store:
        n = {t: store.count(t) for t in ("documents", "event_mentions", "events", "event_actors")}
    return {**n, "file_mb": db.stat().st_size / 1e6}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="the big store (extracted)")
    ap.add_argument("--runs", type=int, default=5, help="warm page loads per store")
    ap.add_argument("--no-app", action="store_true")
    ap.add_argument("--no-cli", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "app_scale.json"))
    args = ap.parse_args(argv)
    result: dict = {"machine": platform.platform(), "cpus": os.cpu_count(), "load_at_start": os.getloadavg(),
                    "runs": args.runs, "stores": {}}
    with tempfile.TemporaryDirectory(prefix="app-scale-") as tmpdir:
        tmp = Path(tmpdir)
        sample = tmp / "samples.duckdb"
        build_store(sample)
        stores = {"sample": sample, "big": Path(args.db).resolve()}
        if not args.no_app:
            stores = {FLOOR: sample, **stores}
        for name, db in stores.items():
            if name == FLOOR:
                row = result["stores"][name] = {"path": FLOOR_SCRIPT, "events": 0}
                print(f"{name}: {FLOOR_SCRIPT} (no store)", flush=True)
            else:
                row = result["stores"][name] = {"path": str(db), **store_facts(db)}
                print(f"{name}: {db} ({row['documents']:,} documents, {row['events']:,} events, "
                      f"{row['event_mentions']:,} mentions, {row['file_mb']:.1f} MB)", flush=True)
            if not args.no_app:
                row["app"] = bench_app(db, args.runs, tmp / f"streamlit-{name}.log",
                                       FLOOR_SCRIPT if name == FLOOR else "app.py")
                a = row["app"]
                print(f"  app: cold chart {a['cold']['chart']:.2f} s, warm chart "
                      f"{statistics.median(r['chart'] for r in a['warm']):.2f} s (CPU browser "
                      f"{statistics.median(r['chart_cpu_browser'] for r in a['warm']):.2f} s, server "
                      f"{statistics.median(r['chart_cpu_server'] for r in a['warm']):.2f} s), filter "
                      f"{statistics.median(r['filter'] for r in a['warm']):.2f} s, server peak RSS "
                      f"{a['peak_rss_mb']:.0f} MB", flush=True)
            if name == FLOOR:
                continue
            if not args.no_cli:
                row["cli"] = bench_cli(db, tmp)
            result["load_at_end"] = os.getloadavg()
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            Path(args.out).write_text(json.dumps(result, indent=1))
    report(result, args)
    return 0


def report(result: dict, args: argparse.Namespace) -> None:
    names = list(result["stores"])
    heads = " | ".join(f"{n} ({result['stores'][n]['events']:,} events)" if n != FLOOR else
                       f"{n} ({FLOOR_SCRIPT})" for n in names)
    print(f"\n| measure | {heads} |\n|---|" + "---:|" * len(names))
    if not args.no_app:
        for key in ("shell", "chart", "chart_cpu_browser", "chart_cpu_server", "idle", "filter"):
            for kind in ("cold", "warm"):
                cells = []
                for n in names:
                    a = result["stores"][n]["app"]
                    if kind == "cold":
                        cells.append(f"{a['cold'][key]:.2f} s")
                    else:
                        vals = [r[key] for r in a["warm"]]
                        cells.append(f"{statistics.median(vals):.2f} s ({min(vals):.2f}–{max(vals):.2f})")
                print(f"| app {key}, {kind} | " + " | ".join(cells) + " |")
        print("| app server peak RSS (CPU s of the server) | " + " | ".join(
            f"{result['stores'][n]['app']['peak_rss_mb']:.0f} MB ({result['stores'][n]['app']['server_cpu']:.1f})"
            for n in names) + " |")
    if not args.no_cli:
        for step in CLI_STEPS:
            print(f"| `{step}`: wall s (CPU s), peak RSS | " + " | ".join(
                f"{c['wall']:.1f} ({c['cpu']:.1f}), {c['peak_rss_mb']:.0f} MB" if c else "—"
                for c in (result["stores"][n].get("cli", {}).get(step) for n in names)) + " |")
    print(f"\nload average {result['load_at_start']} -> {result.get('load_at_end')}; command: "
          f".venv/bin/python bench/app_scale.py --db {args.db} --runs {args.runs}")


if __name__ == "__main__":
    raise SystemExit(main())
