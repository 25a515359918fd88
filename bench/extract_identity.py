"""Output identity of the open extractor: dump every row it produces on fixed texts, and
compare two dumps (before/after a speed change must give the same rows).

    .venv/bin/python bench/extract_identity.py dump OUT.jsonl [--generated 300]
    .venv/bin/python bench/extract_identity.py compare A.jsonl B.jsonl
    .venv/bin/python bench/extract_identity.py time BEFORE_DIR [--repeat 3] [--generated 0]

The texts: the seeds (../shared/seeds, the gold's publication dates), data/samples (as
ingested), the 60 SemEval-2015 Wikinews texts (the gold's dates) and the first
``--generated`` articles of the generated corpus (bench/generate.py, seed 0). Each
document gives one line: its id, its timexes, actor mentions and event mentions, every
field. To compare code versions, run a copy of this script placed in the other checkout's
``bench/`` (it imports the code beside it), with ``TIMELINE_SHARED`` pointing at
``../shared`` when that checkout is elsewhere.

``time``: the same documents (by default only the real news: seeds, samples, SemEval)
extracted by BEFORE_DIR's code and by this checkout's, each in a fresh process (model
loaded and one document extracted before the clock starts), ``--repeat`` times in
alternating order; median CPU seconds and the ratio. BEFORE_DIR needs a copy of this
script in its ``bench/``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SHARED = Path(os.environ.get("TIMELINE_SHARED", ROOT.parent / "shared"))  # another checkout: set it


def documents(generated: int) -> list:
    import yaml

    from timeline.ingest import ingest_paths
    from timeline.store import Store

    out = []
    with Store(":memory:") as store:
        for gold_path, folder in ((SHARED / "gold" / "seed_events.yaml", SHARED / "seeds"),
                                  (SHARED / "corpora" / "semeval2015-timeline" / "gold.yaml",
                                   SHARED / "corpora" / "semeval2015-timeline" / "texts")):
            if not gold_path.exists():
                continue
            for entry in yaml.safe_load(gold_path.read_text(encoding="utf-8"))["documents"]:
                pub = entry.get("published")
                ingest_paths([folder / entry["file"]], store, published=None if pub is None else str(pub),
                             source=entry.get("source"))
        if (ROOT / "data" / "samples").exists():
            ingest_paths([ROOT / "data" / "samples"], store)
        out.extend(store.iter_documents())
    out.sort(key=lambda d: d.id)
    if generated:
        from extract import to_documents
        from generate import generate_articles

        out.extend(to_documents(generate_articles(generated, seed=0)))
    return out


def _plain(v):
    if dataclasses.is_dataclass(v):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def dump(out: Path, generated: int) -> int:
    from timeline.pipeline import Resources, extract_documents

    res = Resources(extractor="open")
    docs = documents(generated)
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for ex in extract_documents(docs, res):  # as ``extract`` runs them (several documents parsed together)
            n += len(ex.event_mentions)
            f.write(json.dumps(_plain(ex), sort_keys=True) + "\n")
    print(f"{len(docs)} documents, {n} event mentions -> {out}")
    return 0


def compare(a: Path, b: Path) -> int:
    la = a.read_text(encoding="utf-8").splitlines()
    lb = b.read_text(encoding="utf-8").splitlines()
    differ = 0
    for x, y in zip(la, lb):
        if x != y:
            differ += 1
            dx, dy = json.loads(x), json.loads(y)
            for key in ("timexes", "actor_mentions", "event_mentions", "failed"):
                if dx.get(key) != dy.get(key):
                    print(f"{dx['doc_id']}: {key} differ ({len(dx.get(key) or [])} vs {len(dy.get(key) or [])} rows)")
    if len(la) != len(lb):
        print(f"{len(la)} vs {len(lb)} documents")
        differ += 1
    rows = sum(len(v) for line in la for k, v in json.loads(line).items() if isinstance(v, list))
    print(f"{len(la)} documents, {rows} rows: {'IDENTICAL' if not differ else f'{differ} documents differ'}")
    return 1 if differ else 0


_RUNNER = r"""
import json, os, sys, time
root, generated = sys.argv[1], int(sys.argv[2])
sys.path[:0] = [root, root + "/bench"]
import extract_identity as ei
from timeline.pipeline import Resources, extract_documents
docs = ei.documents(generated)
res = Resources(extractor="open")
extract_documents(docs[:1], res)
c = time.process_time()
exs = extract_documents(docs, res)
print("RESULT " + json.dumps({"cpu": time.process_time() - c, "docs": len(docs),
      "mb": sum(len(d.text.encode("utf-8")) for d in docs) / 1e6, "mentions": sum(len(e.event_mentions) for e in exs)}))
"""


def time_both(before: Path, repeat: int, generated: int) -> int:
    import statistics
    import subprocess

    env = {**os.environ, "TIMELINE_SHARED": str(SHARED)}
    roots = {"before": before.resolve(), "after": ROOT}
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for r in range(repeat):
        for which in (("before", "after") if r % 2 == 0 else ("after", "before")):
            proc = subprocess.run([sys.executable, "-c", _RUNNER, str(roots[which]), str(generated)],
                                  capture_output=True, text=True, env=env, check=False)
            line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
            if line is None:
                raise SystemExit(f"{roots[which]}: the timing run failed:\n{proc.stderr[-2000:]}")
            runs[which].append(json.loads(line[len("RESULT "):]))
    med = {w: statistics.median(x["cpu"] for x in rs) for w, rs in runs.items()}
    size = runs["after"][0]["mb"]
    for w, rs in runs.items():
        print(f"{w}: {rs[0]['docs']} documents, {size:.3f} MB, {rs[0]['mentions']} event mentions, CPU s "
              f"{[round(x['cpu'], 2) for x in rs]}, median {med[w]:.2f} = {size / med[w]:.3f} MB/s per core")
    print(f"speed-up (median before / median after): {med['before'] / med['after']:.2f}x")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--generated", type=int, default=300)
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    t = sub.add_parser("time")
    t.add_argument("before", type=Path)
    t.add_argument("--repeat", type=int, default=3)
    t.add_argument("--generated", type=int, default=0)
    args = ap.parse_args(argv)
    if args.cmd == "time":
        return time_both(args.before, args.repeat, args.generated)
    if args.cmd == "dump":
        return dump(Path(args.out), args.generated)
    return compare(Path(args.a), Path(args.b))


if __name__ == "__main__":
    sys.exit(main())
