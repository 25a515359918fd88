"""TempEval-3 timex scoring: strict/relaxed span P/R/F1, value F1 and type F1.

Follows the logic of the official TempEval-3 script (``TE3-evaluation.py``):
gold and system expressions are aligned one-to-one per document; a pair counts
as a *relaxed* match when the spans overlap and as a *strict* match when they are
identical. Attribute scores are computed over the relaxed matches:
``value F1 = relaxed F1 x (aligned pairs with equal value / aligned pairs)``, and
likewise for ``type``. So value F1 rewards finding the expression *and*
normalising it, which is what users of a timeline care about.

Alignment (our own, deterministic): exact-span pairs first, then the remaining
overlapping pairs by decreasing overlap (ties: earlier gold, then earlier
prediction). One prediction covering two gold expressions matches only one.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from timeline.evaluation.timeml import TmlDoc, load_tml_dir

TYPES = ("DATE", "TIME", "DURATION", "SET")
ERROR_KINDS = ("missed", "spurious", "span", "value", "type")
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Span:
    """A normalised expression as the scorer sees it (gold or predicted)."""

    start: int
    end: int  # exclusive
    type: str
    value: str
    rule: str = field(default="", compare=False)  # which rule fired (our engine), for error rows
    explanation: str = field(default="", compare=False)


def as_span(item: Any) -> Span:
    """Accept a ``Timex``/``GoldTimex``-like object or a ``{start,end,type,value}`` dict."""
    get = item.get if isinstance(item, Mapping) else (lambda k, d=None: getattr(item, k, d))
    value = get("value")
    value = "" if value is None else str(value)
    return Span(int(get("start")), int(get("end")), str(get("type") or ""), value,
                str(get("rule", "") or ""), str(get("explanation", "") or ""))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


@dataclass
class Counts:
    """Raw counts; every score is a property so sums over documents stay exact."""

    gold: int = 0
    pred: int = 0
    strict: int = 0  # aligned pairs with identical spans
    relaxed: int = 0  # aligned pairs (overlapping spans)
    value: int = 0  # aligned pairs with equal value strings
    type: int = 0  # aligned pairs with equal types

    def add(self, other: "Counts") -> None:
        for k in ("gold", "pred", "strict", "relaxed", "value", "type"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    strict_p = property(lambda s: _ratio(s.strict, s.pred))
    strict_r = property(lambda s: _ratio(s.strict, s.gold))
    strict_f1 = property(lambda s: _f1(s.strict_p, s.strict_r))
    relaxed_p = property(lambda s: _ratio(s.relaxed, s.pred))
    relaxed_r = property(lambda s: _ratio(s.relaxed, s.gold))
    relaxed_f1 = property(lambda s: _f1(s.relaxed_p, s.relaxed_r))
    value_accuracy = property(lambda s: _ratio(s.value, s.relaxed))
    value_f1 = property(lambda s: s.relaxed_f1 * s.value_accuracy)
    type_accuracy = property(lambda s: _ratio(s.type, s.relaxed))
    type_f1 = property(lambda s: s.relaxed_f1 * s.type_accuracy)

    def as_dict(self) -> dict[str, float | int]:
        keys = ("strict_p", "strict_r", "strict_f1", "relaxed_p", "relaxed_r", "relaxed_f1",
                "value_accuracy", "value_f1", "type_accuracy", "type_f1")
        counts = ("gold", "pred", "strict", "relaxed", "value", "type")
        out: dict[str, float | int] = {k: getattr(self, k) for k in counts}
        out.update({k: round(getattr(self, k), 4) for k in keys})
        return out


@dataclass
class TypeCounts:
    """Per-type breakdown: recall by gold type, precision by predicted type,
    value accuracy by gold type."""

    gold: int = 0
    pred: int = 0
    found: int = 0  # aligned pairs whose gold has this type (recall numerator)
    correct_pred: int = 0  # aligned pairs whose prediction has this type (precision numerator)
    value: int = 0  # aligned pairs (gold of this type) with equal value

    precision = property(lambda s: _ratio(s.correct_pred, s.pred))
    recall = property(lambda s: _ratio(s.found, s.gold))
    f1 = property(lambda s: _f1(s.precision, s.recall))
    value_accuracy = property(lambda s: _ratio(s.value, s.found))

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"gold": self.gold, "pred": self.pred}
        scores = ("precision", "recall", "f1", "value_accuracy")
        out.update({k: round(getattr(self, k), 4) for k in scores})
        return out


@dataclass(frozen=True)
class ErrorRow:
    kind: str  # one of ERROR_KINDS
    docid: str
    offset: int
    gold: Span | None
    pred: Span | None
    gold_text: str
    pred_text: str
    context: str
    dct: str = ""


@dataclass
class Scores:
    overall: Counts = field(default_factory=Counts)
    per_type: dict[str, TypeCounts] = field(
        default_factory=lambda: {t: TypeCounts() for t in TYPES})
    errors: list[ErrorRow] = field(default_factory=list)
    predictions: dict[str, list[Span]] = field(default_factory=dict)
    n_docs: int = 0
    seconds: float = 0.0  # time spent in predict_fn (evaluate_predictions only)

    def as_dict(self) -> dict[str, Any]:
        return {"docs": self.n_docs, "overall": self.overall.as_dict(),
                "per_type": {t: c.as_dict() for t, c in self.per_type.items()},
                "errors": dict(Counter(e.kind for e in self.errors))}


def align(gold: list[Span], pred: list[Span]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of overlapping spans; exact spans first."""
    order = sorted(range(len(pred)), key=lambda i: (pred[i].start, pred[i].end))
    starts = [pred[i].start for i in order]
    reach = list(accumulate((pred[i].end for i in order), max))  # furthest end so far
    candidates: list[tuple[int, int, int, int]] = []  # (0 if exact else 1, -overlap, gold, pred)
    for gi, g in enumerate(gold):
        k = bisect.bisect_right(starts, max(g.start, g.end - 1)) - 1
        while k >= 0 and reach[k] > g.start:
            p = pred[order[k]]
            exact = (p.start, p.end) == (g.start, g.end)
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if exact or overlap > 0:
                candidates.append((0 if exact else 1, -overlap, gi, order[k]))
            k -= 1
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _exact, _overlap, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def score_document(docid: str, gold: Iterable[Any], pred: Iterable[Any], scores: Scores,
                   text: str | None = None, dct: str = "") -> None:
    """Add one document's counts (and error rows, when ``text`` is given) to ``scores``."""
    g = [as_span(x) for x in gold]
    p = [as_span(x) for x in pred]
    c = Counts(gold=len(g), pred=len(p))
    for s in g:
        scores.per_type.setdefault(s.type, TypeCounts()).gold += 1
    for s in p:
        scores.per_type.setdefault(s.type, TypeCounts()).pred += 1
    pairs = align(g, p)
    for gi, pi in pairs:
        gs, ps = g[gi], p[pi]
        c.relaxed += 1
        c.strict += (gs.start, gs.end) == (ps.start, ps.end)
        c.value += gs.value == ps.value
        c.type += gs.type == ps.type
        scores.per_type[gs.type].found += 1
        scores.per_type[gs.type].value += gs.value == ps.value
        scores.per_type[ps.type].correct_pred += 1
    scores.overall.add(c)
    scores.n_docs += 1
    if text is None:
        return

    def row(kind: str, gs: Span | None, ps: Span | None) -> ErrorRow:
        anchor = gs or ps
        assert anchor is not None
        lo = min(s.start for s in (gs, ps) if s)
        hi = max(s.end for s in (gs, ps) if s)
        return ErrorRow(kind, docid, anchor.start, gs, ps,
                        text[gs.start:gs.end] if gs else "", text[ps.start:ps.end] if ps else "",
                        _context(text, lo, hi), dct)

    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    scores.errors += [row("missed", s, None) for i, s in enumerate(g) if i not in matched_g]
    scores.errors += [row("spurious", None, s) for i, s in enumerate(p) if i not in matched_p]
    for gi, pi in pairs:
        gs, ps = g[gi], p[pi]
        if (gs.start, gs.end) != (ps.start, ps.end):
            scores.errors.append(row("span", gs, ps))
        if gs.value != ps.value:
            scores.errors.append(row("value", gs, ps))
        if gs.type != ps.type:
            scores.errors.append(row("type", gs, ps))


def score(gold: Mapping[str, Iterable[Any]], pred: Mapping[str, Iterable[Any]],
          texts: Mapping[str, str] | None = None) -> Scores:
    """Score predictions against gold, both ``{docid: [span-like]}``.

    A document missing from ``pred`` scores as "nothing found"; pass ``texts`` to get error rows.
    """
    scores = Scores()
    for docid in sorted(set(gold) | set(pred)):
        score_document(docid, gold.get(docid, ()), pred.get(docid, ()), scores,
                       texts.get(docid) if texts else None)
    _sort_errors(scores)
    return scores


def _sort_errors(scores: Scores) -> None:
    rank = {k: i for i, k in enumerate(ERROR_KINDS)}
    scores.errors.sort(key=lambda e: (rank.get(e.kind, 99), e.docid, e.offset))


def _dct(doc: TmlDoc) -> str:
    return doc.dct.isoformat() if doc.dct else ""


PredictFn = Callable[[str, Any], Iterable[Any]]


def evaluate_predictions(docs: Iterable[TmlDoc], predict_fn: PredictFn) -> Scores:
    """Run ``predict_fn(text, dct)`` on every document and score it; keeps predictions and errors.

    ``seconds`` is the time spent inside ``predict_fn`` only (loading and scoring excluded),
    so benches can compare systems fairly.
    """
    scores = Scores()
    for doc in docs:
        t0 = time.perf_counter()
        raw = list(predict_fn(doc.text, doc.dct))
        scores.seconds += time.perf_counter() - t0
        pred = [as_span(x) for x in raw]
        scores.predictions[doc.docid] = pred
        score_document(doc.docid, doc.timexes, pred, scores, doc.text, _dct(doc))
    _sort_errors(scores)
    return scores


def score_documents(docs: Iterable[TmlDoc], predictions: Mapping[str, Iterable[Any]]) -> Scores:
    """Score predictions made elsewhere (e.g. a batch run of another tagger), with error rows."""
    scores = Scores()
    for doc in docs:
        pred = [as_span(x) for x in predictions.get(doc.docid, ())]
        scores.predictions[doc.docid] = pred
        score_document(doc.docid, doc.timexes, pred, scores, doc.text, _dct(doc))
    _sort_errors(scores)
    return scores


def engine_predict(text: str, dct: Any) -> list[Any]:
    """Our engine, as a ``predict_fn``, in TimeML's convention: a dash range ("1915-17"),
    which the product keeps as one expression, is written as its two ends (``Timex.ends``)."""
    from timeline.temporal import find_timexes

    return timeml_timexes(find_timexes(text, published=dct))


def timeml_timexes(timexes: Iterable[Any]) -> list[Any]:
    """The expressions as TimeML annotates them: every dash range replaced by its two ends,
    and an offset of no stated size from the date named before ("a few days later": ours is
    that date with AFTER, a place on a timeline) written FUTURE_REF / PAST_REF."""
    out: list[Any] = []
    for t in timexes:
        ends = getattr(t, "ends", ())
        if not ends and getattr(t, "rule", None) == "ago" and t.mod in ("AFTER", "BEFORE") \
                and t.anchor == "previous":
            t = replace(t, value="FUTURE_REF" if t.mod == "AFTER" else "PAST_REF", mod=None)
        out.extend(ends if ends else (t,))
    return out


# ---------------------------------------------------------------- reporting

def format_table(scores: Scores, title: str = "") -> str:
    """A plain-text report: overall TempEval-3 scores, then the per-type breakdown."""
    o = scores.overall
    pct = lambda x: f"{100 * x:6.2f}"  # noqa: E731
    lines = []
    if title:
        lines.append(title)
    lines += [
        f"documents {scores.n_docs}   gold {o.gold}   predicted {o.pred}   "
        f"aligned {o.relaxed} (exact span {o.strict})",
        "",
        "            precision  recall      F1",
        f"strict         {pct(o.strict_p)}  {pct(o.strict_r)}  {pct(o.strict_f1)}",
        f"relaxed        {pct(o.relaxed_p)}  {pct(o.relaxed_r)}  {pct(o.relaxed_f1)}",
        f"value F1       {pct(o.value_f1)}   (accuracy on aligned {pct(o.value_accuracy)})",
        f"type F1        {pct(o.type_f1)}   (accuracy on aligned {pct(o.type_accuracy)})",
        "",
        "per type (relaxed)  gold  pred  precision  recall      F1  value acc",
    ]
    for t, c in scores.per_type.items():
        if c.gold or c.pred:
            lines.append(f"  {t:<16} {c.gold:5d} {c.pred:5d}     {pct(c.precision)}  "
                         f"{pct(c.recall)}  {pct(c.f1)}     {pct(c.value_accuracy)}")
    if scores.errors:
        kinds = Counter(e.kind for e in scores.errors)
        lines += ["", "errors: " + ", ".join(f"{k} {kinds[k]}" for k in ERROR_KINDS if kinds[k])]
    return "\n".join(lines)


def value_form(value: str) -> str:
    """``1998-08-07`` -> ``9999-99-99``, ``P2Y`` -> ``P9Y``: groups value errors by form."""
    return re.sub(r"\d+", lambda m: "9" * len(m.group()), value) or "''"


def error_pattern(e: ErrorRow) -> str:
    """A short class for an error row, so the commonest kinds of mistake can be counted."""
    g, p = e.gold, e.pred
    if e.kind == "missed" and g:
        return f"missed {g.type} {value_form(g.value)}"
    if e.kind == "spurious" and p:
        return f"spurious {p.type} {value_form(p.value)}"
    if e.kind == "span" and g and p:
        if p.start <= g.start and p.end >= g.end:
            return "span too long"
        if p.start >= g.start and p.end <= g.end:
            return "span too short"
        return "span shifted"
    if e.kind == "value" and g and p:
        gs, ps = value_form(g.value), value_form(p.value)
        if gs == ps:
            return f"value {g.type} {gs}: same form, different value"
        return f"value {g.type} {gs} -> {ps}"
    if e.kind == "type" and g and p:
        return f"type {g.type} -> {p.type}"
    return e.kind


def common_errors(scores: Scores, n: int = 10) -> list[tuple[str, int, ErrorRow]]:
    """The ``n`` commonest error patterns with their count and a first example."""
    counts: Counter[str] = Counter()
    first: dict[str, ErrorRow] = {}
    for e in scores.errors:
        key = error_pattern(e)
        counts[key] += 1
        first.setdefault(key, e)
    return [(k, c, first[k]) for k, c in counts.most_common(n)]


def format_common_errors(scores: Scores, n: int = 10) -> str:
    lines = [f"{n} commonest error patterns (count, first example):"]
    for key, count, e in common_errors(scores, n):
        example = e.gold_text or e.pred_text
        values = " -> ".join(v for v in ((e.gold.value if e.gold else ""),
                                         (e.pred.value if e.pred else "")) if v)
        lines.append(f"  {count:4d}  {key:<48} e.g. {example!r} {values} ({e.docid})")
    return "\n".join(lines)


def write_predictions(scores: Scores, path: str | Path) -> None:
    """``{docid: [{start, end, type, value}]}`` with ``end`` exclusive."""
    data = {d: [{"start": s.start, "end": s.end, "type": s.type, "value": s.value} for s in spans]
            for d, spans in scores.predictions.items()}
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


ERROR_COLUMNS = ("kind", "docid", "offset", "dct", "gold_text", "gold_type", "gold_value",
                 "pred_text", "pred_type", "pred_value", "pred_rule", "explanation", "context")


def write_errors(scores: Scores, path: str | Path) -> None:
    """One TSV line per mismatch, grouped by kind (missed, spurious, span, value, type)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(ERROR_COLUMNS)
        for e in scores.errors:
            g, p = e.gold, e.pred
            w.writerow([e.kind, e.docid, e.offset, e.dct,
                        " ".join(e.gold_text.split()), g.type if g else "", g.value if g else "",
                        " ".join(e.pred_text.split()), p.type if p else "", p.value if p else "",
                        p.rule if p else "", " ".join(p.explanation.split()) if p else "",
                        e.context])


def cli(args: argparse.Namespace) -> int:
    """``python -m timeline evaluate timex GOLD_DIR [--predict OUT.json] [--errors OUT.tsv]``."""
    docs = load_tml_dir(args.gold_dir)
    scores = evaluate_predictions(docs, engine_predict)
    print(format_table(scores, f"TempEval-3 timex scores, {args.gold_dir}"))
    if scores.errors:
        print("\n" + format_common_errors(scores))
    if getattr(args, "conventions", False):
        from timeline.evaluation.conventions import analyse, format_conventions

        print("\n" + format_conventions(analyse(docs, scores.errors)))
    print(f"\nengine time {scores.seconds:.2f} s ({scores.n_docs / scores.seconds:.0f} docs/s)"
          if scores.seconds else "")
    if getattr(args, "predict", None):
        write_predictions(scores, args.predict)
        print(f"predictions written to {args.predict}")
    if getattr(args, "errors", None):
        write_errors(scores, args.errors)
        print(f"{len(scores.errors)} errors written to {args.errors}")
    return 0
