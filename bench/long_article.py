"""One long article: per-document extraction must stay linear in the article's length.

    .venv/bin/python bench/long_article.py [--sizes 0.25,0.5,1,2,4]

An article of each size (MB) is made of generated news paragraphs (bench/generate.py,
seed 0) joined into one text with one publication date, and extracted once by
``timeline.pipeline.extract_document`` (the open extractor, model loaded beforehand; the
time budget is not applied here). Prints seconds, CPU seconds per MB and the growth
exponent between consecutive sizes (1.0 = linear). The baseline in the same run is the
smallest size: CPU s/MB should stay flat.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_articles  # noqa: E402

from timeline.model import Document  # noqa: E402
from timeline.pipeline import Resources, extract_document  # noqa: E402


def article(mb: float) -> str:
    parts, size, i = [], 0, 0
    while size < mb * 1e6:
        batch = generate_articles(i + 200)[i:]
        for a in batch:
            parts.append(a["text"])
            size += len(a["text"].encode("utf-8")) + 2
            if size >= mb * 1e6:
                break
        i += 200
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.25,0.5,1,2,4")
    args = ap.parse_args(argv)
    sizes = [float(x) for x in args.sizes.split(",")]
    res = Resources(extractor="open")
    extract_document(Document(id="warm", text="Warm up. Putin met Scholz on Friday.",
                              published=dt.date(2024, 11, 15)), res)
    rows = []
    for mb in sizes:
        text = article(mb)
        doc = Document(id=f"long-{mb}", text=text, published=dt.date(2024, 11, 15))
        t, c = time.perf_counter(), time.process_time()
        ex = extract_document(doc, res)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        real_mb = len(text.encode("utf-8")) / 1e6
        rows.append((real_mb, wall, cpu, len(ex.event_mentions)))
        print(f"{real_mb:5.2f} MB  wall {wall:7.1f} s  CPU {cpu:7.1f} s  CPU s/MB {cpu / real_mb:6.1f}  "
              f"{len(ex.event_mentions):,} event mentions", flush=True)
    print("\n| MB | wall s | CPU s | CPU s per MB | growth exponent (CPU) |")
    print("|---:|---:|---:|---:|---:|")
    for k, (mb, wall, cpu, _) in enumerate(rows):
        exp = "" if k == 0 else f"{math.log(cpu / rows[k - 1][2]) / math.log(mb / rows[k - 1][0]):.2f}"
        print(f"| {mb:.2f} | {wall:.1f} | {cpu:.1f} | {cpu / mb:.1f} | {exp} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
