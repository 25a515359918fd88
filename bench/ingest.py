"""Ingest throughput: the sample corpus and 10,000 generated articles, into a fresh DuckDB each run.

    .venv/bin/python bench/ingest.py [--n 10000] [--seed 0] [--runs 3]

For each input the script times ``timeline.ingest.ingest_paths`` end to end (walk,
read, decode, parse, hash, duplicate check, one-transaction insert) into a fresh
temporary store, ``--runs`` times after one warm-up, and reports the median as
articles/s and MB/s (input bytes on disk). The baseline in the same run is a plain
read of the same files (walk + ``read_bytes``), so the table shows what parsing
and storing cost on top of I/O. Generation time is not counted. Numbers go to
``bench/out/ingest.json``.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_articles, write_jsonl, write_txt_folder  # noqa: E402

from timeline.ingest import ingest_paths  # noqa: E402
from timeline.store import Store  # noqa: E402


def input_bytes(path: Path) -> int:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files)


def time_read(path: Path) -> float:
    t = time.perf_counter()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for p in files:
        p.read_bytes()
    return time.perf_counter() - t


def time_ingest(path: Path, tmp: Path, run: int) -> tuple[float, int]:
    db = tmp / f"bench-{path.name}-{run}.duckdb"
    with Store(db) as store:
        t = time.perf_counter()
        report = ingest_paths([path], store)
        elapsed = time.perf_counter() - t
        if report.rejected:
            raise SystemExit(f"bench input had rejections:\n{report}")
        stored = store.count()
    db.unlink()
    return elapsed, stored


def measure(label: str, path: Path, tmp: Path, runs: int) -> dict:
    time_ingest(path, tmp, -1)  # warm-up: imports, page cache
    times, n = [], 0
    for run in range(runs):
        elapsed, n = time_ingest(path, tmp, run)
        times.append(elapsed)
    read = statistics.median(time_read(path) for _ in range(runs))
    size = input_bytes(path)
    t = statistics.median(times)
    return {"input": label, "articles": n, "mb": size / 1e6, "seconds": t, "runs": times,
            "articles_per_s": n / t, "mb_per_s": size / 1e6 / t, "read_only_mb_per_s": size / 1e6 / read}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000, help="generated articles")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ingest.json")
    args = p.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        rows.append(measure("data/samples (14 articles, 5 formats)", ROOT / "data" / "samples", tmp, args.runs))
        articles = generate_articles(args.n, args.seed)
        write_txt_folder(articles, tmp / "gen-txt")
        write_jsonl(articles, tmp / "gen-jsonl" / "articles.jsonl")
        rows.append(measure(f"generated {args.n:,} x .txt + front matter", tmp / "gen-txt", tmp, args.runs))
        rows.append(measure(f"generated {args.n:,} in one .jsonl", tmp / "gen-jsonl", tmp, args.runs))

    print(f"Ingest throughput, median of {args.runs} runs, fresh DuckDB each "
          f"({platform.python_implementation()} {platform.python_version()}, {platform.machine()})\n")
    print("| input | articles | MB | seconds | articles/s | MB/s | read-only MB/s (baseline) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['input']} | {r['articles']:,} | {r['mb']:.2f} | {r['seconds']:.2f} | "
              f"{r['articles_per_s']:,.0f} | {r['mb_per_s']:.2f} | {r['read_only_mb_per_s']:,.0f} |")
    cmd = "  .venv/bin/python bench/ingest.py" + (f" --n {args.n}" if args.n != 10_000 else "")
    print(f"\nreproduce with:\n{cmd}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows, "n": args.n, "seed": args.seed}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
