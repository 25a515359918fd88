"""The extractor against the naive baseline, on every development set with an event gold.

    .venv/bin/python bench/event_quality.py [--json bench/out/event_quality.json]

The baseline (the one the open-world issue measured): every sentence holding a resolved
DATE from our temporal engine, with spaCy's PERSON/ORG/GPE/NORP entities in it -> one
event per (document, date), all those entities as actors. Both are scored by the same
functions of ``timeline.evaluation.events``: required events found (date + every gold
actor + the document), and the share of dated events that match a gold event on date and
one actor (a lower bound of precision), plus the undated count.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.evaluation.events import (  # noqa: E402
    _event_table, build_store, load_gold, match_events, precision_share,
)
from timeline.events import split_sentences  # noqa: E402
from timeline.frame import load_frames  # noqa: E402
from timeline.nlp.model import load_nlp  # noqa: E402
from timeline.nlp.salience import DEFAULT_MIN_SALIENCE  # noqa: E402
from timeline.temporal import find_timexes  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = [
    ("seeds", SHARED / "gold" / "seed_events.yaml", SHARED / "seeds"),
    ("semeval2015 (Wikinews)", SHARED / "corpora" / "semeval2015-timeline" / "gold.yaml",
     SHARED / "corpora" / "semeval2015-timeline" / "texts"),
]
LABELS = {"PERSON", "ORG", "GPE", "NORP"}


def baseline_events(store) -> list[dict]:
    """The twenty-line baseline, as event dicts in the evaluation's shape."""
    nlp = load_nlp()
    out: list[dict] = []
    for doc in store.iter_documents():
        timexes = [t for t in find_timexes(doc.text, doc.published, doc.language or "en")
                   if t.type in ("DATE", "TIME") and t.resolved and t.range_start is not None]
        by_date: dict[str, dict] = {}
        sents = split_sentences(doc.text)
        dated = [(s, [t for t in timexes if s.start <= t.start < s.end]) for s in sents]
        dated = [(s, ts) for s, ts in dated if ts]
        for (s, ts), sdoc in zip(dated, nlp.pipe([s.text for s, _ in dated])):
            ents = [e.text for e in sdoc.ents if e.label_ in LABELS]
            if not ents:
                continue
            for t in ts:
                e = by_date.setdefault(t.value, {
                    "id": f"{doc.id}:{t.value}", "title": s.text[:60], "type": "other", "value": t.value,
                    "precision": t.granularity, "mod": t.mod, "actors": [], "conflict": False,
                    "conflict_note": None, "start": t.range_start, "docs": {doc.id}, "claim_values": {t.value},
                    "salience": 1.0})
                e["actors"] = list(dict.fromkeys(e["actors"] + ents))
        out.extend(by_date.values())
    return out


def score(gold: dict, events: list[dict], doc_ids: dict) -> dict:
    matches = match_events(gold, events, doc_ids)
    req = [m for m in matches if m["required"]]
    return {"required_found": sum(m["ok"] for m in req), "required_total": len(req),
            "precision": precision_share(gold, events, doc_ids),
            "precision_default": precision_share(gold, events, doc_ids, DEFAULT_MIN_SALIENCE)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", default=str(ROOT / "bench" / "out" / "event_quality.json"))
    args = ap.parse_args(argv)
    rows = []
    for name, gold_path, docs in SETS:
        if not gold_path.exists():
            print(f"{name}: {gold_path} missing", file=sys.stderr)
            return 2
        gold = load_gold(gold_path)
        t0 = time.perf_counter()
        store, doc_ids = build_store(gold, docs, "open")
        ours_s = time.perf_counter() - t0
        ours = score(gold, _event_table(load_frames(store)), doc_ids)
        old_store, old_ids = build_store(gold, docs, "gazetteer")
        old = score(gold, _event_table(load_frames(old_store)), old_ids)
        old_store.close()
        t0 = time.perf_counter()
        base = score(gold, baseline_events(store), doc_ids)
        base_s = time.perf_counter() - t0
        store.close()
        rows.append({"set": name, "open": ours, "gazetteer": old, "baseline": base, "ours_s": ours_s,
                     "baseline_s": base_s})
    print(f"| set | system | required found | dated events matching gold | default view matching | undated |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        for who in ("open", "gazetteer", "baseline"):
            s = r[who]
            p, d = s["precision"], s["precision_default"]
            print(f"| {r['set']} | {who} | {s['required_found']}/{s['required_total']} | "
                  f"{p['matched']}/{p['dated']} = {p['share']:.0%} | {d['matched']}/{d['dated']} = {d['share']:.0%} | "
                  f"{p['undated']} |")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
