"""Scale bench (issue 13): ingest and extract generated corpora of growing size.

    .venv/bin/python bench/scale.py --n 1000,4000,16000 [--workers-n 1000] [--incremental 10]
        [--extractor gazetteer] [--no-events-json] [--no-workers]

For each size N (articles i < N of bench/generate.py, seed 0, as one JSONL file) in a
fresh store, each step in its own process (peak RSS = that process's ru_maxrss):
  ingest        python -m timeline ingest FILE.jsonl
  extract       python -m timeline extract (full; per-document stage and reconcile timed
                separately by timeline.orchestrate.run_extraction)
Then, in the same run:
  workers       at ``--workers-n`` articles: extract --full with --workers 1 (in-process)
                and --workers 2 (Dask LocalCluster, 2 processes), interleaved 1,2,1,2:
                per-document stage ratio, and CPU seconds of this process and of each worker
  incremental   on the largest store: ingest ``--incremental`` new articles, extract
                (reads only those, re-reconciles only the regions they touch, replaying
                their last runs where they hold: timeline/region_replay.py), against
                that store's full extract (CPU seconds of both stages, and child wall)
``--extractor``: the per-document extractor of every step (default: TIMELINE_EXTRACTOR or
"open"); "gazetteer" is ~5x faster per document, so reconciliation weighs more.
Reported: seconds per stage, MB/s per core (MB of article text / stage seconds / cores
used), peak RSS, the growth exponent of each stage between the two largest sizes
(log(t2/t1)/log(N2/N1)) and the 100,000-article time extrapolated from it.
No timed asserts: numbers are printed and written to ``--out``.
"""
from __future__ import annotations

import argparse
import json
import math
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
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_articles, write_jsonl  # noqa: E402


def run_child(args: list[str]) -> dict:
    """Run ``python bench/scale.py --child ...``; its JSON result plus wall time and peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"child {args} failed with status {status}")
    res = json.loads(out.decode().strip().splitlines()[-1])
    res["wall"] = time.perf_counter() - started
    res["peak_rss_mb"] = usage.ru_maxrss / 1024
    return res


def child(argv: list[str]) -> int:
    """One step in this process: ``ingest DB FILE`` or ``extract DB WORKERS FULL``."""
    step, db = argv[0], argv[1]
    if step == "ingest":
        from timeline.ingest import ingest_paths
        from timeline.store import Store

        t = time.perf_counter()
        with Store(db) as store:
            report = ingest_paths([Path(argv[2])], store)
            n = store.count("documents")
        print(json.dumps({"seconds": time.perf_counter() - t, "documents": n,
                          "stored": sum(1 for r in report.lines if r.doc_id)}))
        return 0
    if step == "events":  # events --format json to /dev/null: streamed (the command) or whole-frame (before)
        return events_child(db, argv[2])
    from timeline.orchestrate import run_extraction
    from timeline.pipeline import extract_document, load_resources
    from timeline.store import Store

    workers, full = int(argv[2]), argv[3] == "full"
    batch = int(argv[4]) if len(argv) > 4 else 200
    import resource

    stage_rss: list[float] = []  # peak RSS when the per-document stage ended (MB)

    def progress(done: int, total: int) -> None:
        if done == total:
            stage_rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    with Store(db) as store:
        mb = store.con.execute("SELECT coalesce(sum(strlen(text)), 0) FROM documents").fetchall()[0][0] / 1e6
        stats = run_extraction(store, extract_document, load_resources, full=full, workers=workers,
                               batch_size=batch, progress=progress)
        mentions = store.count("event_mentions")
    size = Path(db).stat().st_size
    print(json.dumps({"per_document": stats.extract_seconds, "reconcile": stats.reconcile_seconds,
                      "per_document_cpu": stats.extract_cpu, "reconcile_cpu": stats.reconcile_cpu,
                      "read": stats.read, "events": stats.events, "conflicts": stats.conflicts,
                      "mentions": mentions, "mb": mb, "store_mb": size / 1e6,
                      "regions": stats.regions, "dirty_regions": stats.dirty_regions,
                      "reconciled_mentions": stats.reconciled_mentions,
                      "plan": stats.plan, "replayed": getattr(stats, "replayed", None),
                      "worker_cpu": [list(c) for c in getattr(stats, "worker_cpu", ())],
                      "per_document_peak_rss_mb": stage_rss[-1] if stage_rss else None}))
    return 0


def events_child(db: str, mode: str) -> int:
    import contextlib

    from timeline.__main__ import main as cli
    from timeline.commands.events import events_table, json_records
    from timeline.filters import EventFilter, filter_events
    from timeline.frame import load_frames
    from timeline.store import Store

    t = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        if mode == "stream":
            cli(["events", "--db", db, "--format", "json"])
        else:  # the pre-streaming command: every event with its evidence in frames, then one dump
            with Store(db) as store:
                ev = events_table(filter_events(load_frames(store), EventFilter()))
            json.dump(json_records(ev), sink, ensure_ascii=False, indent=1, default=str)
    print(json.dumps({"seconds": time.perf_counter() - t}))
    return 0


def exponent(a: float, b: float, n1: int, n2: int) -> float | None:
    return math.log(b / a) / math.log(n2 / n1) if a > 0 and b > 0 and n2 != n1 else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="1000,4000,16000", help="comma-separated corpus sizes")
    ap.add_argument("--workers-n", type=int, default=None, help="size for the 1-vs-2 workers run (default: smallest)")
    ap.add_argument("--workers-batch", type=int, default=100, help="documents per partition in the workers run")
    ap.add_argument("--incremental", type=int, default=10, help="articles added to the largest store")
    ap.add_argument("--extractor", choices=("open", "gazetteer"), default=None,
                    help="per-document extractor (default: TIMELINE_EXTRACTOR or open)")
    ap.add_argument("--no-events-json", action="store_true", help="skip events --format json on the largest store")
    ap.add_argument("--no-workers", action="store_true", help="skip the 1-vs-2 workers run")
    ap.add_argument("--no-re-extract", action="store_true", help="skip the second full extract at the smallest size")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "scale.json"))
    ap.add_argument("--resume", metavar="DIR", help="the stores folder of an interrupted run: sizes already in "
                    "--out are not measured again")
    args = ap.parse_args(argv)
    if args.extractor:
        os.environ["TIMELINE_EXTRACTOR"] = args.extractor  # the children read it
    sizes = sorted(int(x) for x in args.n.split(","))
    workers_n = args.workers_n or sizes[0]
    tmp = Path(args.resume) if args.resume else Path(tempfile.mkdtemp(prefix="scale-"))
    total = max(sizes) + args.incremental
    articles = generate_articles(total)
    result: dict = {"sizes": {}, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                             "load_at_start": os.getloadavg()},
                    "extractor": os.environ.get("TIMELINE_EXTRACTOR", "open")}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.resume and out.exists():
        result["sizes"] = {int(k): v for k, v in json.loads(out.read_text())["sizes"].items()}

    def save() -> None:
        out.write_text(json.dumps(result, indent=1))

    for n in sizes:
        if n in result["sizes"]:
            continue
        src = tmp / f"a{n}.jsonl"
        write_jsonl(articles[:n], src)
        db = tmp / f"s{n}.duckdb"
        ing = run_child(["ingest", str(db), str(src)])
        ext = run_child(["extract", str(db), "1", "full"])
        row = {"ingest": ing, "extract": ext, "load": os.getloadavg()}
        if n == sizes[0] and not args.no_re_extract:  # a re-extract: does the file grow? (smallest size only: time)
            row["re_extract_store_mb"] = run_child(["extract", str(db), "1", "full"])["store_mb"]
        result["sizes"][n] = row
        print(f"N={n}: ingest {ing['wall']:.1f}s, per-document {ext['per_document']:.1f}s, reconcile "
              f"{ext['reconcile']:.1f}s, extract peak RSS {ext['peak_rss_mb']:.0f} MB, store {ext['store_mb']:.1f} -> "
              f"{row.get('re_extract_store_mb', float('nan')):.1f} MB after a re-extract", flush=True)
        save()
    if workers_n in result["sizes"] and not args.no_workers:
        db = tmp / f"s{workers_n}.duckdb"
        runs, cpu, loads = {}, {}, []
        for w in (1, 2, 1, 2):  # interleaved, each twice: medians of 2 on a shared machine
            r = run_child(["extract", str(db), str(w), "full", str(args.workers_batch)])
            runs.setdefault(w, []).append(r["per_document"])
            cpu.setdefault(w, []).append({"parent": r["per_document_cpu"], "workers": r.get("worker_cpu", [])})
            loads.append(os.getloadavg()[0])
        result["workers"] = {"n": workers_n, "runs": runs, "cpu": cpu, "load_after_each": loads}
        print(f"workers at N={workers_n}: per-document stage 1 worker {runs[1]} s, 2 workers {runs[2]} s", flush=True)
        save()
    big = sizes[-1]
    db = tmp / f"s{big}.duckdb"
    if not args.no_events_json:
        result["events_json"] = {m: run_child(["events", str(db), m]) for m in ("stream", "whole")}
        save()
    if args.incremental:
        db = tmp / f"s{big}.duckdb"
        src = tmp / "new.jsonl"
        write_jsonl(articles[big:big + args.incremental], src)
        ing = run_child(["ingest", str(db), str(src)])
        inc = run_child(["extract", str(db), "1", "incremental"])
        result["incremental"] = {"n": big, "added": args.incremental, "ingest": ing, "extract": inc}
        save()
    report(result, sizes)
    save()
    print(f"\nwritten {out}; stores in {tmp}")
    return 0


def report(result: dict, sizes: list[int]) -> None:
    print("\n| articles | MB | ingest s | per-document s (CPU) | reconcile s (CPU) | extract wall s | "
          "per-doc MB/s per CPU-s | extract peak RSS MB | mentions | events | store MB (after re-extract) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = result["sizes"][n]
        e = r["extract"]
        print(f"| {n:,} | {e['mb']:.1f} | {r['ingest']['wall']:.1f} | {e['per_document']:.1f} "
              f"({e['per_document_cpu']:.1f}) | {e['reconcile']:.1f} ({e['reconcile_cpu']:.1f}) | "
              f"{e['wall']:.1f} | {e['mb'] / e['per_document_cpu']:.3f} | {e['peak_rss_mb']:.0f} | {e['mentions']:,} | "
              f"{e['events']:,} | {e['store_mb']:.1f} ({r.get('re_extract_store_mb', float('nan')):.1f}) |")
    for n in sizes:
        e = result["sizes"][n]["extract"]
        if e.get("per_document_peak_rss_mb"):
            print(f"N={n:,}: peak RSS {e['per_document_peak_rss_mb']:.0f} MB at the end of the per-document stage, "
                  f"{e['peak_rss_mb']:.0f} MB at the end of reconciliation")
    if len(sizes) >= 2:
        n1, n2 = sizes[-2], sizes[-1]
        a, b = result["sizes"][n1], result["sizes"][n2]
        exps = {
            "ingest": exponent(a["ingest"]["wall"], b["ingest"]["wall"], n1, n2),
            "per_document": exponent(a["extract"]["per_document"], b["extract"]["per_document"], n1, n2),
            "reconcile": exponent(a["extract"]["reconcile"], b["extract"]["reconcile"], n1, n2),
            "per_document_cpu": exponent(a["extract"]["per_document_cpu"], b["extract"]["per_document_cpu"], n1, n2),
            "reconcile_cpu": exponent(a["extract"]["reconcile_cpu"], b["extract"]["reconcile_cpu"], n1, n2),
            "extract_rss": exponent(a["extract"]["peak_rss_mb"], b["extract"]["peak_rss_mb"], n1, n2),
        }
        result["exponents"] = {"between": [n1, n2], **exps}
        print(f"\ngrowth exponents {n1:,} -> {n2:,}: " + ", ".join(
            f"{k} N^{v:.2f}" for k, v in exps.items() if v is not None))
        extra = {}
        for k in ("ingest", "per_document", "reconcile", "per_document_cpu", "reconcile_cpu"):
            base = b["ingest"]["wall"] if k == "ingest" else b["extract"][k]
            if exps[k] is not None:
                extra[k] = base * (100_000 / n2) ** exps[k]
        result["extrapolated_100000_s"] = extra
        print("extrapolated to 100,000 articles: " + ", ".join(f"{k} {v / 60:.0f} min" for k, v in extra.items()))
    if "workers" in result:
        w = result["workers"]
        med1, med2 = statistics.median(w["runs"][1]), statistics.median(w["runs"][2])
        w["speedup"] = med1 / med2
        print(f"per-document stage at {w['n']:,} articles: 1 worker {med1:.1f} s, 2 Dask workers {med2:.1f} s: "
              f"{w['speedup']:.2f}x (median of {len(w['runs'][1])} interleaved runs each)")
        for n_workers, runs in w.get("cpu", {}).items():
            for c in runs:  # CPU seconds of each process: this one (reads, writes, the scheduler), each worker
                ws = "; ".join(f"worker {i + 1} {a:.1f} loading + {b:.1f} extracting" for i, (a, b) in enumerate(c["workers"]))
                print(f"  --workers {n_workers}: parent {c['parent']:.1f} CPU s" + (f"; {ws}" if ws else ""))
        if w.get("load_after_each"):
            print("  1-minute load average after each run: " + ", ".join(f"{x:.2f}" for x in w["load_after_each"]))
    if "events_json" in result:
        ej = result["events_json"]
        print(f"events --format json on the {sizes[-1]:,}-article store: streamed {ej['stream']['wall']:.1f} s, "
              f"peak RSS {ej['stream']['peak_rss_mb']:.0f} MB; whole-frame (before) {ej['whole']['wall']:.1f} s, "
              f"{ej['whole']['peak_rss_mb']:.0f} MB")
    if "incremental" in result:
        inc = result["incremental"]
        full = result["sizes"][inc["n"]]["extract"]["wall"]
        t = inc["ingest"]["wall"] + inc["extract"]["wall"]
        inc["share_of_full"] = inc["extract"]["wall"] / full
        fe, ie = result["sizes"][inc["n"]]["extract"], inc["extract"]
        full_cpu = fe["per_document_cpu"] + fe["reconcile_cpu"]
        inc_cpu = ie["per_document_cpu"] + ie["reconcile_cpu"]
        inc["cpu_share_of_full"] = inc_cpu / full_cpu
        inc["reconcile_cpu_share_of_full"] = ie["reconcile_cpu"] / fe["reconcile_cpu"]
        print(f"incremental: {inc['added']} articles into the {inc['n']:,}-article store: ingest "
              f"{inc['ingest']['wall']:.1f} s + extract {inc['extract']['wall']:.1f} s (per-document "
              f"{inc['extract']['per_document']:.1f} s, reconcile {inc['extract']['reconcile']:.1f} s, read "
              f"{inc['extract']['read']}) = {t:.1f} s; extract is {100 * inc['share_of_full']:.0f}% of the full "
              f"extract's wall (child process, model loading included)")
        print(f"  CPU seconds of the two stages: incremental {inc_cpu:.1f} (per-document {ie['per_document_cpu']:.1f}, "
              f"reconcile {ie['reconcile_cpu']:.1f}) vs full {full_cpu:.1f} (per-document {fe['per_document_cpu']:.1f}, "
              f"reconcile {fe['reconcile_cpu']:.1f}): {100 * inc['cpu_share_of_full']:.1f}% "
              f"(reconcile alone {100 * inc['reconcile_cpu_share_of_full']:.1f}%); regions re-run "
              f"{ie.get('dirty_regions')} of {ie.get('regions')}, mentions reconciled {ie.get('reconciled_mentions'):,} "
              f"of {ie['mentions']:,} (plan: {ie.get('plan') or '?'}), of their placements replayed "
              f"{ie.get('replayed') if ie.get('replayed') is not None else '?'}")


if __name__ == "__main__":
    raise SystemExit(main())
