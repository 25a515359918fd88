"""Actor matching throughput (MB/s) against one plain alternation regex of the same forms.

    .venv/bin/python bench/actors.py [--repeat 120]

The baseline is the obvious implementation (one big ``re`` alternation of every alias,
longest first); ours adds titles, surnames, bylines and unresolved names, so a ratio
above 1 means the extra resolution costs nothing. Median of 3 runs each, same process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.actors import Gazetteer, find_actors  # noqa: E402
from timeline.model import Document  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=120)
    args = ap.parse_args()
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "data" / "samples").glob("*.*"))
        if p.name != "README.md"
    ] * args.repeat
    mb = sum(len(t.encode()) for t in texts) / 1e6
    gaz = Gazetteer.load()
    docs = [Document(id=str(i), text=t, published=dt.date(2024, 11, 15)) for i, t in enumerate(texts)]
    forms = sorted(
        {f for a in gaz.actors.values() for f in (a.name, *a.aliases, *a.metonyms)}, key=len, reverse=True
    )
    naive = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b")

    def ours() -> None:
        for d in docs:
            find_actors(d, gaz)

    def baseline() -> None:
        for t in texts:
            naive.findall(t)

    rows = []
    for name, fn in (("timeline.actors.find_actors", ours), ("one alternation regex", baseline)):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        rows.append((name, mb / statistics.median(times)))
    print(f"{mb:.1f} MB of sample articles, {len(forms)} surface forms\n")
    print("| matcher | MB/s |\n|---|---:|")
    for name, rate in rows:
        print(f"| {name} | {rate:.2f} |")
    print(f"\nratio ours / baseline: {rows[0][1] / rows[1][1]:.1f}x")
    print("command: .venv/bin/python bench/actors.py")


if __name__ == "__main__":
    main()
