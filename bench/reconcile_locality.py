"""Can reconciliation be re-run locally, around new mentions, with exactly the output of a
full run? Only if the mentions fall into independent groups. This script builds the graph
in which two mentions are linked when one could ever see the other's event as a candidate
in ``timeline.reconcile`` (they share an index cell it files or probes: type group and
actor key x day/month slot, including the neighbouring and year-shifted slots of the
conflict search, the month before publication and the undated slot of undated mentions,
and the document for undated or actor-less mentions), and prints its largest component.

    .venv/bin/python bench/reconcile_locality.py --n 250,1000

One component holding every mention means any new article can, in principle, change any
event: an incremental reconcile identical to a full one must then reconcile everything.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_articles  # noqa: E402

from timeline.model import Document  # noqa: E402
from timeline.pipeline import extract_documents, load_resources  # noqa: E402
from timeline.reconcile import _Index, _month, _month_start, _shift_year, _slots_between  # noqa: E402


def probed_slots(m, published: dt.date | None) -> set:
    """Every slot ``_Index.candidates`` may look up for ``m`` in any pass (a superset)."""
    t, out = m.timex, set()
    if t is not None and t.range_start is not None and t.range_end is not None:
        lo, hi, day = t.range_start, t.range_end, dt.timedelta(days=1)
        out |= _slots_between(lo, hi)
        out |= {("d", (lo - day).toordinal()), ("d", (hi + day).toordinal()), ("m", _month(lo) - 1), ("m", _month(hi) + 1)}
        if lo != hi:
            out |= _slots_between(_month_start(_month(lo) - 1), lo) | _slots_between(hi, _month_start(_month(hi) + 2) - day)
        for years in (1, -1):
            a, b = _shift_year(lo, years), _shift_year(hi, years)
            if a is not None and b is not None:
                out |= _slots_between(a, b)
    else:
        if published is not None:
            out |= _slots_between(published - dt.timedelta(days=31), published)
        out.add(("u", -1))
    return out


def components(mentions: list, published: dict[str, dt.date | None]) -> list[int]:
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_doc_probed = {m.doc_id for m in mentions if m.timex is None or not m.actors}
    for m in mentions:
        cells = [(k, s) for k in _Index.keys(m) for s in _Index.slots(m.timex)]
        cells += [(k, s) for k in _Index.keys(m, lookup=True) for s in probed_slots(m, published.get(m.doc_id))]
        if m.doc_id in by_doc_probed:
            cells.append(("doc", m.doc_id))
        root = find(("m", m.id))
        for c in cells:
            rc = find(c)
            if rc != root:
                parent[rc] = root
    sizes: dict = {}
    for m in mentions:
        r = find(("m", m.id))
        sizes[r] = sizes.get(r, 0) + 1
    return sorted(sizes.values(), reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", default="250,1000")
    args = ap.parse_args(argv)
    res = load_resources()
    print("| articles | mentions | components | largest | share |\n|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.n.split(",")):
        docs = [Document(id=f"g{i}", text=a["text"], source=a["source"], published=dt.date.fromisoformat(a["published"]))
                for i, a in enumerate(generate_articles(n))]
        mentions = [m for ex in extract_documents(docs, res) for m in ex.event_mentions]
        sizes = components(mentions, {d.id: d.published for d in docs})
        print(f"| {n:,} | {len(mentions):,} | {len(sizes):,} | {sizes[0]:,} | {100 * sizes[0] / len(mentions):.1f}% |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
