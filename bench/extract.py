"""Extraction bench: full pipeline throughput vs dateparser.search_dates, sentence
splitters, and extraction quality on the seeds and the sample corpus, in one run.

    .venv/bin/python bench/extract.py [--n 10000] [--sample 300] [--out bench/out/extract.json]
                                      [--baseline DIR] [--repeat 3]

Speed (one process = one core; MB = UTF-8 megabytes of article text):
  pipeline     timeline.pipeline.extract_documents (temporal + actors + sentences + event
               mentions) over the ``--n`` generated articles (bench/generate.py, seed 0),
               then reconcile over all their mentions. Reported per stage and in total.
  stages       the same stages timed separately on the first ``--sample`` articles.
  search_dates dateparser.search.search_dates(text, languages=["en"],
               settings={"RELATIVE_BASE": published}) alone on the first ``--sample``
               articles: it is slow, so it is timed on the sample and reported per MB.
  splitters    our regex splitter vs pysbd (char_span=True) on the sample, with the share
               of articles where both give the same sentence spans.
Quality:
  seeds        timeline.evaluation.events.evaluate on ../shared/gold/seed_events.yaml.
  samples      data/samples: the README's key events (listed below), the planted date
               conflict, and authors/outlets that must not be actors.
Before/after (``--baseline DIR``, a checkout of the code before, e.g.
``git worktree add /tmp/before main`` or ``git archive main | tar -x -C /tmp/before``):
the open extractor of this checkout and of DIR, and spaCy's own ``nlp.pipe`` (untouched
pipeline, every component, the full texts), each in a fresh process (model loaded and
one article extracted before the clock starts), on the same ``--sample`` articles
``--repeat`` times in alternating order (the median is reported; each extractor's rate is
also given as a multiple of spaCy's in the same runs), then the whole extract
(extract + reconcile) of all ``--n`` articles once each. CPU seconds of that process: on
shared cores wall time counts other people's jobs, CPU time much less so, and the
alternation spreads what remains over both.
No timed asserts anywhere: the numbers are printed and written to ``--out``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_articles  # noqa: E402

from timeline.actors import Gazetteer, find_actors  # noqa: E402
from timeline.events import extract_mentions, split_sentences, split_sentences_pysbd  # noqa: E402
from timeline.model import Document  # noqa: E402
from timeline.pipeline import Resources, extract_documents, reconcile_extractions  # noqa: E402
from timeline.temporal import find_timexes  # noqa: E402

SHARED = Path(os.environ.get("TIMELINE_SHARED", ROOT.parent / "shared"))  # set it when run from a copy

#: Key events of data/samples (from its README): (label, day inside the event, types, actors).
SAMPLE_KEY_EVENTS = [
    ("Istanbul talks", dt.date(2022, 3, 29), {"negotiation", "call_meeting"}, {"Russia", "Ukraine"}),
    ("referendums", dt.date(2022, 9, 25), {"vote_referendum"}, set()),
    ("annexation treaties", dt.date(2022, 9, 30), {"agreement"}, {"Vladimir Putin"}),
    ("previous Putin-Scholz call", dt.date(2022, 12, 2), {"call_meeting"}, {"Vladimir Putin", "Olaf Scholz"}),
    ("Foreign Ministry speech", dt.date(2024, 6, 14), {"statement", "proposal", "demand"}, {"Vladimir Putin"}),
    ("Valdai speech", dt.date(2024, 11, 7), {"statement"}, {"Vladimir Putin"}),
    ("Putin-Scholz call", dt.date(2024, 11, 15), {"call_meeting"}, {"Vladimir Putin", "Olaf Scholz"}),
    ("Biden missile decision", dt.date(2024, 11, 17), {"statement", "aid_supply", "military_action"}, {"Joe Biden"}),
]
SAMPLE_NOT_ACTORS = ["Marta Kalnina", "Andris Ozols", "Irina Sokolova", "Pavel Dronov", "Jonas Weber",
                     "Greta Lindqvist", "Daniel Okafor", "Lucia Ferrante", "Baltic Ledger", "Eurasia Wire",
                     "Rhine Courier", "Harbour Street Journal"]


def to_documents(articles: list[dict]) -> list[Document]:
    out = []
    for i, a in enumerate(articles):
        pub = a["published"]
        pub = dt.date.fromisoformat(pub[:10]) if isinstance(pub, str) else pub
        out.append(Document(id=f"g{i:05d}", text=a["text"], title=a.get("title"), published=pub, source=a.get("source")))
    return out


def mb(docs: list[Document]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


def timed(fn, *args, **kw) -> tuple[object, float]:
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def timed_cpu(fn, *args, **kw) -> tuple[object, float, float]:
    """(result, wall seconds, CPU seconds of this process): CPU time is the per-core
    cost, wall time also counts what other jobs on the shared cores took from us."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t, time.process_time() - c


#: Runs in a fresh interpreter with a checkout's root first on sys.path: times that
#: checkout's open extractor on the first ``count`` of ``n`` generated articles.
RUNNER = r"""
import json, sys, time
root, n, count, full = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "full"
sys.path[:0] = [root, root + "/bench"]
from generate import generate_articles
from extract import mb, to_documents
docs = to_documents(generate_articles(n, seed=0))[:count]
if sys.argv[4] == "spacy":  # spaCy's own pipeline, untouched, every component, over the full texts
    import spacy
    from timeline.nlp.model import EXCLUDE, model_dir
    nlp = spacy.load(model_dir(), exclude=list(EXCLUDE))
    list(nlp.pipe([docs[0].text]))
    t, c = time.perf_counter(), time.process_time()
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=32))
    print("RESULT " + json.dumps({"root": "spaCy nlp.pipe", "docs": len(docs), "mb": mb(docs),
          "extract_wall": time.perf_counter() - t, "extract_cpu": time.process_time() - c,
          "mentions": sum(len(d.ents) for d in parsed)}))
    raise SystemExit(0)
from timeline.actors import Gazetteer
from timeline.pipeline import Resources, extract_documents, reconcile_extractions
res = Resources(Gazetteer.load(), extractor="open")
extract_documents(docs[:1], res)
t, c = time.perf_counter(), time.process_time()
exs = extract_documents(docs, res)
out = {"root": root, "docs": len(docs), "mb": mb(docs), "extract_wall": time.perf_counter() - t,
       "extract_cpu": time.process_time() - c, "mentions": sum(len(e.event_mentions) for e in exs)}
if full:
    t, c = time.perf_counter(), time.process_time()
    events = reconcile_extractions(exs, {d.id: d for d in docs})
    out.update(reconcile_wall=time.perf_counter() - t, reconcile_cpu=time.process_time() - c, events=len(events),
               conflicts=sum(e.conflict for e in events))
print("RESULT " + json.dumps(out))
"""


def run_checkout(root: Path, n: int, count: int, full: bool = False, spacy_only: bool = False) -> dict:
    """One fresh process timing ``root``'s open extractor (see ``RUNNER``), or with
    ``spacy_only`` spaCy's own ``nlp.pipe`` over the same texts."""
    import subprocess

    python = ROOT / ".venv" / "bin" / "python"
    mode = "spacy" if spacy_only else "full" if full else "sample"
    proc = subprocess.run([str(python if python.exists() else sys.executable), "-c", RUNNER, str(root), str(n),
                           str(count), mode], capture_output=True, text=True, check=False)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    if proc.returncode or line is None:
        raise SystemExit(f"{root}: the timing run failed:\n{proc.stderr[-2000:]}")
    return json.loads(line[len("RESULT "):])


def bench_before_after(baseline: Path, n: int, sample: int, repeat: int) -> dict:
    """The open extractor before (``baseline``) and after (this checkout): the sample
    ``repeat`` times in alternating order, then the whole extract of ``n`` articles once each."""
    import statistics

    runs: dict[str, list[dict]] = {"before": [], "after": [], "spacy": []}
    roots = {"before": baseline, "after": ROOT, "spacy": ROOT}
    for r in range(repeat):
        for which in (("before", "after", "spacy") if r % 2 == 0 else ("spacy", "after", "before")):
            runs[which].append(run_checkout(roots[which], n, sample, spacy_only=which == "spacy"))
            print(f"  sample run {r + 1}/{repeat} {which}: {runs[which][-1]['extract_cpu']:.1f} CPU s", flush=True)
    out: dict = {"baseline": str(baseline), "repeat": repeat}
    for which, rs in runs.items():
        cpu = statistics.median(x["extract_cpu"] for x in rs)
        out[which] = {"sample_docs": rs[0]["docs"], "sample_mb": rs[0]["mb"], "sample_cpu_runs": [x["extract_cpu"] for x in rs],
                      "sample_cpu_median": cpu, "sample_wall_median": statistics.median(x["extract_wall"] for x in rs),
                      "sample_mb_per_s_core": rs[0]["mb"] / cpu, "sample_mentions": rs[0]["mentions"]}
    for which in ("before", "after"):
        full = run_checkout(roots[which], n, n, full=True)
        cpu = full["extract_cpu"] + full["reconcile_cpu"]
        out[which].update(full=full, full_cpu=cpu, full_wall=full["extract_wall"] + full["reconcile_wall"],
                          full_mb_per_s_core=full["mb"] / cpu)
        print(f"  whole extract {which}: {cpu:.1f} CPU s, {full['mb'] / cpu:.3f} MB/s per core", flush=True)
    out["sample_speedup"] = out["before"]["sample_cpu_median"] / out["after"]["sample_cpu_median"]
    out["full_speedup"] = out["before"]["full_cpu"] / out["after"]["full_cpu"]
    spacy_rate = out["spacy"]["sample_mb_per_s_core"]  # spaCy's own nlp.pipe on the sample, same runs
    for which in ("before", "after"):
        out[which]["sample_vs_spacy"] = out[which]["sample_mb_per_s_core"] / spacy_rate
        out[which]["full_vs_spacy"] = out[which]["full_mb_per_s_core"] / spacy_rate
    return out


def bench_extractors(docs: list[Document], gaz: Gazetteer) -> dict:
    """Per-document extraction on the same texts, CPU time: the open extractor, the
    gazetteer extractor (before), and spaCy's own ``nlp.pipe`` over the whole text with
    every component (what parsing everything would cost)."""
    import spacy

    from timeline.nlp.model import EXCLUDE, load_nlp, model_dir

    size = mb(docs)
    nlp = load_nlp()
    plain = spacy.load(model_dir(), exclude=list(EXCLUDE))  # untouched by the extractor's caches
    list(plain.pipe(["Warm up the model."]))
    out = {}
    for name, fn in (
        ("open extractor", lambda: extract_documents(docs, Resources(gaz, nlp, "open"))),
        ("gazetteer extractor (before)", lambda: extract_documents(docs, Resources(gaz, extractor="gazetteer"))),
        ("spaCy nlp.pipe, full text, all components", lambda: list(plain.pipe([d.text for d in docs], batch_size=32))),
    ):
        _, wall, cpu = timed_cpu(fn)
        out[name] = {"wall": wall, "cpu": cpu, "mb_per_s_core": size / cpu}
    return out


def bench_stages(docs: list[Document], gaz: Gazetteer) -> dict:
    size = mb(docs)
    timexes, t_tx = timed(lambda: [find_timexes(d.text, d.published) for d in docs])
    actors, t_ac = timed(lambda: [find_actors(d, gaz) for d in docs])
    sents, t_se = timed(lambda: [split_sentences(d.text) for d in docs])
    _, t_ev = timed(lambda: [extract_mentions(d, t, a, s) for d, t, a, s in zip(docs, timexes, actors, sents)])
    return {name: {"seconds": sec, "mb_per_s": size / sec} for name, sec in
            (("temporal", t_tx), ("actors", t_ac), ("sentences", t_se), ("event mentions", t_ev))}


def bench_splitters(docs: list[Document]) -> dict:
    size = mb(docs)
    ours, t_ours = timed(lambda: [split_sentences(d.text) for d in docs])
    split_sentences_pysbd("Warm up. Done.")
    theirs, t_pysbd = timed(lambda: [split_sentences_pysbd(d.text) for d in docs])
    same = sum([(s.start, s.end) for s in a] == [(s.start, s.end) for s in b] for a, b in zip(ours, theirs))
    return {"regex": {"seconds": t_ours, "mb_per_s": size / t_ours},
            "pysbd": {"seconds": t_pysbd, "mb_per_s": size / t_pysbd},
            "same_spans_share": same / len(docs)}


def bench_search_dates(docs: list[Document]) -> dict:
    from dateparser.search import search_dates

    search_dates("on 3 May 2020", languages=["en"])  # warm up (loads language data)
    found = 0
    t = time.perf_counter()
    for d in docs:
        base = dt.datetime.combine(d.published, dt.time()) if d.published else None
        res = search_dates(d.text, languages=["en"], settings={"RELATIVE_BASE": base} if base else None)
        found += len(res or [])
    sec = time.perf_counter() - t
    return {"seconds": sec, "mb_per_s": mb(docs) / sec, "dates_found": found, "docs": len(docs)}


def blas_backend() -> str:
    """Which library multiplies the open extractor's matrices here (``timeline.nlp.model.numpy_blas``)."""
    from timeline.nlp.model import load_nlp, numpy_blas

    blas = numpy_blas(load_nlp())
    return f"numpy's OpenBLAS, one thread ({blas.path})" if blas else "blis (spaCy's own)"


def seed_quality() -> dict | None:
    gold = SHARED / "gold" / "seed_events.yaml"
    if not gold.exists():
        return None
    import yaml

    from timeline.evaluation.events import evaluate

    r = evaluate(gold, SHARED / "seeds")
    g = yaml.safe_load(gold.read_text(encoding="utf-8"))
    gold_dated = [e for e in g["events"] if e.get("date")]
    return {
        "required": f"{r['required_found']}/{r['required_total']}",
        "events_recall": sum(m["ok"] for m in r["events"]) / len(gold_dated),
        "events_precision_dated": _seed_event_precision(r, g),
        "date_f1": r["date_f1"],
        "actor_precision": r["actors"]["precision"],
        "actor_recall": r["actors"]["recall"],
        "false_actors": r["actors"]["false_actors"],
        "surface_forms": f"{r['surface_forms']['mapped']}/{r['surface_forms']['total']}",
        "conflicts": len(r["conflicts"]),
        "n_events": r["n_events"],
    }


def _seed_event_precision(r: dict, gold: dict) -> float:
    """Share of extracted dated events whose date matches a gold event's date (value or
    accepted value): the gold lists the events a reader would put on the timeline, so
    everything else counts against precision (strict: minor statements included)."""
    values = set()
    for e in gold["events"]:
        if e.get("date"):
            values.add(str(e["date"]["value"]))
            values.update(str(a) for a in e["date"].get("accept", []) or [])
    from timeline.evaluation.events import build_store
    from timeline.frame import load_frames

    store, _ = build_store(gold, SHARED / "seeds")
    ev = load_frames(store).events
    store.close()
    dated = ev[ev["start"].notna()]
    return float(dated["value"].isin(values).mean()) if len(dated) else 0.0


def sample_quality() -> dict | None:
    samples = ROOT / "data" / "samples"
    if not samples.exists():
        return None
    from timeline.frame import load_frames
    from timeline.ingest import ingest_paths
    from timeline.pipeline import extract_store
    from timeline.store import Store

    with Store(":memory:") as store:
        ingest_paths([samples], store)
        extract_store(store)
        f = load_frames(store)
        names = {str(n).lower() for n in store.table("actor_mentions")["name"]}
    ev = f.events
    found = []
    for label, day, types, actors in SAMPLE_KEY_EVENTS:
        d = dt.datetime.combine(day, dt.time())
        hit = ev[(ev["start"] <= d) & (ev["end"] >= d) & ev["type"].isin(types)
                 & ev["actors"].map(lambda a, want=actors: want <= set(a))]
        found.append((label, len(hit) > 0))
    dated = ev[ev["start"].notna()]
    return {
        "key_events_found": f"{sum(ok for _, ok in found)}/{len(found)}",
        "missed": [label for label, ok in found if not ok],
        "conflicts": [(r["value"], r["title"]) for _, r in ev[ev["conflict"]].iterrows()],
        "false_actors": [n for n in SAMPLE_NOT_ACTORS if n.lower() in names],
        "events": len(ev), "dated_events": len(dated),
        "dated_with_resolved_actor": int(dated["actor_ids"].map(lambda ids: any(not i.startswith("?") for i in ids)).sum()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "extract.json"))
    ap.add_argument("--baseline", type=Path, help="a checkout of the code before, timed in the same run")
    ap.add_argument("--repeat", type=int, default=3, help="before/after runs on the sample (median)")
    args = ap.parse_args(argv)

    gaz = Gazetteer.load()
    docs = to_documents(generate_articles(args.n, seed=0))
    sample = docs[: args.sample]
    total_mb = mb(docs)
    print(f"{len(docs)} generated articles, {total_mb:.2f} MB; sample {len(sample)} articles, {mb(sample):.2f} MB",
          flush=True)

    before_after = None
    if args.baseline:
        before_after = bench_before_after(args.baseline.resolve(), args.n, args.sample, args.repeat)
        print("before/after done", flush=True)
    extractors = bench_extractors(sample, gaz)
    print("extractors on the sample done", flush=True)
    stages = bench_stages(sample, gaz)
    splitters = bench_splitters(sample)
    dp = bench_search_dates(sample)
    print("stages / splitters / search_dates done", flush=True)

    if before_after:  # the whole extract of this checkout was just timed in a fresh process: reuse it
        full = before_after["after"]["full"]
        n_mentions, n_events, n_conflicts = full["mentions"], full["events"], full["conflicts"]
        t_extract, t_reconcile = full["extract_wall"], full["reconcile_wall"]
        cpu_extract, cpu_reconcile = full["extract_cpu"], full["reconcile_cpu"]
    else:
        exs, t_extract, cpu_extract = timed_cpu(extract_documents, docs, Resources(gaz, extractor="open"))
        n_mentions = sum(len(e.event_mentions) for e in exs)
        events, t_reconcile, cpu_reconcile = timed_cpu(reconcile_extractions, exs, {d.id: d for d in docs})
        n_events, n_conflicts = len(events), sum(e.conflict for e in events)
    print(f"per-document extraction: {t_extract:.1f} s, {total_mb / t_extract:.3f} MB/s, {n_mentions} mentions; "
          f"reconcile: {t_reconcile:.1f} s", flush=True)
    pipeline = {
        "docs": len(docs), "mb": total_mb, "mentions": n_mentions, "events": n_events,
        "conflicts": n_conflicts,
        "extract_seconds": t_extract, "reconcile_seconds": t_reconcile,
        "extract_cpu": cpu_extract, "reconcile_cpu": cpu_reconcile,
        "extract_mb_per_s": total_mb / t_extract,
        "total_mb_per_s": total_mb / (t_extract + t_reconcile),
        "total_mb_per_s_core": total_mb / (cpu_extract + cpu_reconcile),
        "extract_mb_per_s_core": total_mb / cpu_extract,
    }
    seeds = seed_quality()
    samples = sample_quality()
    result = {"pipeline": pipeline, "extractors": extractors, "stages": stages, "splitters": splitters, "search_dates": dp,
              "seeds": seeds, "samples": samples, "before_after": before_after,
              "env": {"python": platform.python_version(), "machine": platform.machine(), "blas": blas_backend(),
                      "cpus_shared": True, "single_process": True}}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")

    print()
    extra = f" --baseline {args.baseline} --repeat {args.repeat}" if args.baseline else ""
    print(f"Command: .venv/bin/python bench/extract.py --n {args.n} --sample {args.sample}{extra}")
    print()
    print("| what | texts | MB | wall s | CPU s | MB/s per core (CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| full pipeline, open extractor (extract + reconcile {n_mentions} mentions into {n_events} events) | "
          f"{len(docs)} | {total_mb:.2f} | "
          f"{t_extract + t_reconcile:.1f} | {cpu_extract + cpu_reconcile:.1f} | {pipeline['total_mb_per_s_core']:.3f} |")
    for name, st in extractors.items():
        print(f"| {name} | {len(sample)} | {mb(sample):.2f} | {st['wall']:.1f} | {st['cpu']:.1f} | "
              f"{st['mb_per_s_core']:.3f} |")
    o, sp = extractors["open extractor"], extractors["spaCy nlp.pipe, full text, all components"]
    print(f"\nopen extractor / spaCy nlp.pipe over the same text: {sp['cpu'] / o['cpu']:.2f}x faster")
    if before_after:
        b, a = before_after["before"], before_after["after"]
        print(f"\nBefore ({before_after['baseline']}) / after (this checkout), open extractor, fresh process each, "
              f"CPU seconds; sample: median of {before_after['repeat']} alternating runs")
        print()
        sp = before_after["spacy"]
        print("| what | texts | MB | before CPU s | after CPU s | before MB/s per core | after MB/s per core | speed-up "
              "| before / spaCy nlp.pipe | after / spaCy nlp.pipe |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(f"| per-document extraction (median) | {b['sample_docs']} | {b['sample_mb']:.2f} | {b['sample_cpu_median']:.1f} | "
              f"{a['sample_cpu_median']:.1f} | {b['sample_mb_per_s_core']:.3f} | {a['sample_mb_per_s_core']:.3f} | "
              f"{before_after['sample_speedup']:.2f}x | {b['sample_vs_spacy']:.2f}x | {a['sample_vs_spacy']:.2f}x |")
        print(f"| whole extract (extract + reconcile) | {b['full']['docs']} | {b['full']['mb']:.2f} | {b['full_cpu']:.1f} | "
              f"{a['full_cpu']:.1f} | {b['full_mb_per_s_core']:.3f} | {a['full_mb_per_s_core']:.3f} | "
              f"{before_after['full_speedup']:.2f}x | {b['full_vs_spacy']:.2f}x | {a['full_vs_spacy']:.2f}x |")
        print(f"| spaCy's own nlp.pipe, full texts, every component (median) | {sp['sample_docs']} | {sp['sample_mb']:.2f} | "
              f"{sp['sample_cpu_median']:.1f} | | {sp['sample_mb_per_s_core']:.3f} | | | 1 | 1 |")
        print(f"spaCy runs, CPU s: {[round(x, 1) for x in sp['sample_cpu_runs']]} (alternating with before and after; "
              "the whole extract is compared with spaCy's rate on the sample)")
        print(f"sample runs, CPU s: before {[round(x, 1) for x in b['sample_cpu_runs']]}, "
              f"after {[round(x, 1) for x in a['sample_cpu_runs']]}; mentions before {b['full']['mentions']}, "
              f"after {a['full']['mentions']}; events before {b['full']['events']}, after {a['full']['events']}")
    print()
    print("| what | texts | MB | seconds | MB/s (1 core) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| . per-document extraction | {len(docs)} | {total_mb:.2f} | {t_extract:.1f} | {pipeline['extract_mb_per_s']:.3f} |")
    print(f"| . reconcile ({n_mentions} mentions -> {n_events} events) | {len(docs)} | {total_mb:.2f} | "
          f"{t_reconcile:.1f} | {total_mb / t_reconcile:.3f} |")
    for name, st in stages.items():
        print(f"| stage: {name} | {len(sample)} | {mb(sample):.2f} | {st['seconds']:.2f} | {st['mb_per_s']:.3f} |")
    print(f"| dateparser search_dates alone | {len(sample)} | {mb(sample):.2f} | {dp['seconds']:.1f} | {dp['mb_per_s']:.3f} |")
    print(f"| sentences: regex splitter | {len(sample)} | {mb(sample):.2f} | {splitters['regex']['seconds']:.2f} | "
          f"{splitters['regex']['mb_per_s']:.3f} |")
    print(f"| sentences: pysbd | {len(sample)} | {mb(sample):.2f} | {splitters['pysbd']['seconds']:.2f} | "
          f"{splitters['pysbd']['mb_per_s']:.3f} |")
    ratio = pipeline["total_mb_per_s"] / dp["mb_per_s"]
    print(f"\nfull pipeline / search_dates alone: {ratio:.1f}x; pysbd / regex splitter: "
          f"{splitters['pysbd']['mb_per_s'] / splitters['regex']['mb_per_s']:.2f}x; identical sentence spans on "
          f"{splitters['same_spans_share']:.0%} of the sample")
    print(f"spurious conflicts on random synthetic articles: {pipeline['conflicts']} of {n_events} events")
    if seeds:
        print(f"\nseeds: required {seeds['required']}, event recall {seeds['events_recall']:.2f}, event precision "
              f"(dated events on a gold date) {seeds['events_precision_dated']:.2f}, Date-F1 {seeds['date_f1']['f1']:.2f}, "
              f"actors P {seeds['actor_precision']:.2f} R {seeds['actor_recall']:.2f}, false actors "
              f"{seeds['false_actors']}, surface forms {seeds['surface_forms']}, conflicts {seeds['conflicts']}")
    if samples:
        print(f"samples: key events {samples['key_events_found']} (missed {samples['missed']}), "
              f"conflicts {samples['conflicts']}, false actors {samples['false_actors']}, "
              f"{samples['dated_events']} dated of {samples['events']} events "
              f"({samples['dated_with_resolved_actor']} dated with a resolved actor)")
    print(f"matrix products of this checkout: {result['env']['blas']}")
    print(f"\nwritten {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
