"""Output identity of the open extractor: dump every row it produces on fixed texts, and
compare two dumps (before/after a speed change must give the same rows).

    .venv/bin/python bench/extract_identity.py dump OUT.jsonl [--generated 300]
    .venv/bin/python bench/extract_identity.py compare A.jsonl B.jsonl

The texts: the seeds (../shared/seeds, the gold's publication dates), data/samples (as
ingested), the 60 SemEval-2015 Wikinews texts (the gold's dates) and the first
``--generated`` articles of the generated corpus (bench/generate.py, seed 0). Each
document gives one line: its id, its timexes, actor mentions and event mentions, every
field. To compare code versions, run a copy of this script placed in the other checkout's
``bench/`` (it imports the code beside it), with ``TIMELINE_SHARED`` pointing at
``../shared`` when that checkout is elsewhere.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import os

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
    from timeline.pipeline import Resources, extract_document

    res = Resources(extractor="open")
    docs = documents(generated)
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for d in docs:
            ex = extract_document(d, res)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--generated", type=int, default=300)
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        return dump(Path(args.out), args.generated)
    return compare(Path(args.a), Path(args.b))


if __name__ == "__main__":
    sys.exit(main())
