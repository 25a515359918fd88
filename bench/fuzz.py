"""The long fuzz run of issue 12: 20,000+ generated inputs through ingest and extract.

    .venv/bin/python bench/fuzz.py [--inputs 20000] [--batch 200] [--seed 0]     # = make fuzz

Batches of generated files (``tests/fuzzing.py``: good files, hostile ones of every
family, random mutations of good ones, FIFOs and links out of the folder), each into a
store that already holds a document, then ``extract_document`` per document under a
time budget and ``extract_store`` over the store. It counts tracebacks, good files
lost, bad files stored, stores changed by rejects, report lines that are not one
bounded line, files or documents over the budget, and reports the time and peak
memory. Exit 1 when anything was found. Numbers go to ``bench/out/fuzz.json``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fuzzing import PER_FILE_SECONDS, Gen, check_batch, peak_rss_mb  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    totals = {"inputs": 0, "documents_stored": 0, "batches": 0}
    expect: dict[str, int] = {}
    families: dict[str, int] = {}
    problems: list[str] = []
    slowest_file = slowest_doc = 0.0
    slowest_origin = ""
    batch_no = 0
    while totals["inputs"] < args.inputs:
        n = min(args.batch, args.inputs - totals["inputs"])
        inputs = Gen(args.seed * 1_000_003 + batch_no).batch(n)
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            res = check_batch(inputs, Path(tmp))
        batch_no += 1
        totals["batches"] += 1
        totals["inputs"] += res.inputs
        totals["documents_stored"] += res.documents - 1  # minus the document stored before
        for inp in inputs:
            expect[inp.expect] = expect.get(inp.expect, 0) + 1
        for k, v in res.families.items():
            families[k] = families.get(k, 0) + v
        problems += [f"batch {batch_no}: {p}" for p in res.problems]
        if res.slowest_file > slowest_file:
            slowest_file, slowest_origin = res.slowest_file, f"{res.slowest_origin} (batch {batch_no})"
        slowest_doc = max(slowest_doc, res.slowest_doc)
        if batch_no % 10 == 0:
            print(f"{totals['inputs']:,} inputs, {len(problems)} problems, "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    out = {**totals, "by_expectation": expect, "families": dict(sorted(families.items())),
           "problems": len(problems), "first_problems": problems[:50], "seconds": round(seconds, 1),
           "slowest_file_s": round(slowest_file, 3), "slowest_file": slowest_origin, "slowest_document_s": round(slowest_doc, 3),
           "per_file_budget_s": PER_FILE_SECONDS, "peak_rss_mb": round(peak_rss_mb(), 1),
           "command": "python bench/fuzz.py " + " ".join(sys.argv[1:])}
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "fuzz.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    print("| inputs | good / bad / mutated | documents stored | problems (tracebacks, lost, leaked) "
          "| time | slowest file / document | peak RSS |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    print(f"| {totals['inputs']:,} | {expect.get('good', 0):,} / {expect.get('bad', 0):,} / {expect.get('any', 0):,} "
          f"| {totals['documents_stored']:,} | {len(problems)} | {seconds:.0f} s | {slowest_file:.2f} / {slowest_doc:.2f} s "
          f"| {peak_rss_mb():.0f} MB |")
    print(f"slowest file: {slowest_origin}")
    for p in problems[:20]:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
