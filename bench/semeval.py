"""SemEval-2015 Task 4 "TimeLine" Track A on corpora 1-2, scored by the task's own metric.

    .venv/bin/python bench/semeval.py [--extractor open] [--json bench/out/semeval.json]

Per corpus, in a fresh store: ``ingest`` the task's TimeML files
(``official/corpus_N/corpus_trackA_TimeML``), ``extract``, then ``export --format
semeval-timeline`` for the corpus's target entities — the timeline view (salient events,
the app's default) and ``--all`` — and score both with ``../shared/tools/
semeval2015_timeline_score.py``: official, and ``--relax sentence`` (mentions matched on
document and sentence only; not official). In the same run, a baseline that knows the
sentence but not the event: every sentence that names the entity (as written in the
entity list) and holds a resolved date gives one line, dated at the expression's
precision, citing the first word after the name. The published best of the 13 runs of
2015 is F1 7.85 (on corpora 1-3; corpus 3 is held out here).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.events import doc_sentences, sentence_ids, token_at  # noqa: E402
from timeline.export.semeval import date_string, file_name  # noqa: E402
from timeline.store import Store  # noqa: E402
from timeline.temporal import find_timexes  # noqa: E402

SHARED = ROOT.parent / "shared"
OFFICIAL = SHARED / "corpora" / "semeval2015-timeline" / "official"
SCORER = SHARED / "tools" / "semeval2015_timeline_score.py"
PUBLISHED_BEST = 7.85
CORPORA = ("corpus_1", "corpus_2")


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def entities_of(corpus: str) -> Path:
    return next((OFFICIAL / corpus).glob("list_target_entities_*.txt"))


def baseline(db: Path, entities: list[str], out: Path) -> None:
    """Sentence-level baseline (see the module doc)."""
    out.mkdir(parents=True, exist_ok=True)
    with Store(db, read_only=True) as store:
        docs = list(store.iter_documents())
    lines: dict[str, list[tuple[str, str]]] = {e: [] for e in entities}
    for doc in docs:
        timexes = [t for t in find_timexes(doc.text, doc.published) if t.resolved and t.range_start is not None
                   and t.type in ("DATE", "TIME")]
        sids = sentence_ids(doc)
        for i, s in enumerate(doc_sentences(doc)):
            ts = [t for t in timexes if s.start <= t.start < s.end]
            if not ts:
                continue
            for e in entities:
                m = re.search(r"\b" + re.escape(e) + r"\b\W*", s.text)
                if not m or m.end() >= len(s.text):
                    continue
                token = token_at(doc, s.start + m.end())
                if token:
                    d = date_string(ts[0].range_start, ts[0].range_end, ts[0].granularity)
                    lines[e].append((d, f"{doc.ext_id or doc.id}-{sids[i]}-{token}"))
    for e, rows in lines.items():
        dates = sorted({d for d, _ in rows if d != "XXXX-XX-XX"}, key=lambda d: d.replace("XX", "00"))
        rank = {d: k + 1 for k, d in enumerate(dates)}
        body = [f"{rank.get(d, 0)}\t{d}\t{m}" for d, m in sorted(rows, key=lambda r: (rank.get(r[0], 0), r[1]))]
        (out / file_name(e)).write_text("\n".join([e, *body]) + "\n", encoding="utf-8")


def score(sys_root: Path, relax: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        target = f.name
    cmd = [sys.executable, str(SCORER), str(OFFICIAL), str(sys_root), "--json", target]
    if relax:
        cmd += ["--relax", "sentence"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    summary = json.loads(Path(target).read_text())["summary"]
    os.unlink(target)
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--extractor", default="open", choices=("open", "gazetteer"))
    ap.add_argument("--json", default=str(ROOT / "bench" / "out" / "semeval.json"))
    a = ap.parse_args()
    if not SCORER.exists() or not OFFICIAL.exists():
        print(f"missing {SCORER} or {OFFICIAL}: this bench needs ../shared beside the project", file=sys.stderr)
        return 2
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="semeval-bench-"))
    systems = {"timeline view (salient)": work / "view", "all events (--all)": work / "all", "baseline": work / "base"}
    times = {}
    for corpus in CORPORA:
        db = work / f"{corpus}.duckdb"
        t0 = time.perf_counter()
        run([py, "-m", "timeline", "ingest", "--db", str(db), str(OFFICIAL / corpus / "corpus_trackA_TimeML")])
        run([py, "-m", "timeline", "extract", "--db", str(db), "--extractor", a.extractor])
        times[corpus] = time.perf_counter() - t0
        ents = entities_of(corpus)
        for name, extra in (("timeline view (salient)", []), ("all events (--all)", ["--all"])):
            run([py, "-m", "timeline", "export", "--db", str(db), "--format", "semeval-timeline", "--entities",
                 str(ents), "--out", str(systems[name] / corpus), *extra])
        baseline(db, [line.strip() for line in ents.read_text().splitlines() if line.strip()],
                 systems["baseline"] / corpus)
    results = {name: {"official": score(root, False), "relaxed": score(root, True)} for name, root in systems.items()}
    print(f"SemEval-2015 Task 4 Track A, corpora 1-2 ({a.extractor} extractor; ingest + extract "
          f"{sum(times.values()):.0f} s wall). Published best (2015, corpora 1-3): F1 {PUBLISHED_BEST}\n")
    print("| system | scoring | corpus_1 P / R / F1 | corpus_2 P / R / F1 | overall P / R / F1 |")
    print("|---|---|---:|---:|---:|")
    for name, res in results.items():
        for mode, summ in res.items():
            cells = [f"{summ[k]['P']:.2f} / {summ[k]['R']:.2f} / {summ[k]['F1']:.2f}" for k in (*CORPORA, "overall")]
            label = "official" if mode == "official" else "`--relax sentence`"
            print(f"| {name} | {label} | " + " | ".join(cells) + " |")
    out = Path(a.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"extractor": a.extractor, "published_best": PUBLISHED_BEST, "results": results,
                               "seconds": times}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
