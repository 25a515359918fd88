"""How local is reconciliation? Sizes of its regions (``timeline.regions``) on generated
articles, and which share of the mentions adding a few articles sends back through
reconciliation (the regions their mentions touch), against the whole corpus.

    .venv/bin/python bench/reconcile_locality.py --n 1000,4000 --added 10 [--extractor gazetteer]

Before issue 13's local reconciliation, the graph of which mentions the greedy, ordered
clustering could ever compare was ONE component (every mention of 250 and of 1,000
articles): adding any article meant reconciling everything again.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_articles  # noqa: E402

from timeline.model import Document  # noqa: E402
from timeline.pipeline import extract_documents, load_resources  # noqa: E402
from timeline.reconcile import key_of, published_dates  # noqa: E402
from timeline.regions import regions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="1000,4000")
    ap.add_argument("--added", type=int, default=10)
    ap.add_argument("--extractor", choices=("open", "gazetteer"), default=None)
    args = ap.parse_args(argv)
    res = load_resources(args.extractor)
    sizes = [int(x) for x in args.n.split(",")]
    articles = generate_articles(max(sizes) + args.added)
    docs = [Document(id=f"g{i:06d}", text=a["text"], source=a["source"], published=dt.date.fromisoformat(a["published"]))
            for i, a in enumerate(articles)]
    t = time.process_time()
    mentions = [ex.event_mentions for ex in extract_documents(docs, res)]
    print(f"extracted {len(docs):,} articles ({res.extractor} extractor) in {time.process_time() - t:.0f} CPU-s\n")
    print("| articles | mentions | regions | largest region | mean region of a mention | added | regions re-run "
          "| mentions re-run | share |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        pub = published_dates({d.id: d for d in docs[:n + args.added]})
        old = [m for ms in mentions[:n] for m in ms]
        new = old + [m for ms in mentions[n:n + args.added] for m in ms]
        before = regions(key_of(m, pub) for m in old)
        after = regions(key_of(m, pub) for m in new)
        dirty = [r for r in after if r not in before]
        rerun = sum(len(after[r]) for r in dirty)
        sizes_ = sorted((len(v) for v in after.values()), reverse=True)
        weighted = sum(x * x for x in sizes_) / len(new)
        print(f"| {n:,} | {len(old):,} | {len(after):,} | {sizes_[0]:,} | {weighted:.0f} | {args.added} | "
              f"{len(dirty):,} | {rerun:,} | {100 * rerun / len(new):.1f}% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
