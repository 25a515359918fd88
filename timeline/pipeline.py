"""Documents -> timexes, actor mentions, event mentions -> reconciled events -> store.

``extract_document`` is a pure function of one document and the resources
``load_resources`` builds once per process, so it runs on Dask partitions as well as
here. ``extract_store`` brings the store up to date through ``timeline.orchestrate``:
new or changed documents (a fixed publication date included) are read in batches, each
batch written in its own transaction, then every stored mention is reconciled into
events in one transaction. Re-running is idempotent and resumes an interrupted run.
"""
from __future__ import annotations

import bisect
import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from timeline.actors import Gazetteer, exclusions, find_actors
from timeline.events import doc_sentences, extract_mentions
from timeline.frame import event_actor_rows, event_rows, mention_rows
from timeline.gc_scope import kept_results
from timeline.model import ActorMention, Document, Event, EventActor, EventMention, Timex
from timeline.nlp.document import finish, parse_many, prepare
from timeline.nlp.salience import with_event_salience, with_salience
from timeline.reconcile import reconcile
from timeline.store import Store
from timeline.temporal import find_timexes

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class DocExtraction:
    doc_id: str
    timexes: tuple[Timex, ...]
    actor_mentions: tuple[ActorMention, ...]
    event_mentions: tuple[EventMention, ...]
    failed: str | None = None  # why this document has no extraction (over its time budget)


@dataclass(frozen=True)
class ExtractSummary:
    documents: int
    timexes: int
    actor_mentions: int
    event_mentions: int
    events: int
    dated_events: int
    undated_events: int
    conflicts: int
    seconds: float
    read: int = 0  # documents (re-)read by this run: new, changed or forced
    failed: tuple[str, ...] = ()  # one line per document over its time budget

    def lines(self) -> list[str]:
        return [*(f"not extracted   {f}" for f in self.failed),
            f"documents       {self.documents} ({self.read} read by this run)",
            f"timexes         {self.timexes}",
            f"actor mentions  {self.actor_mentions}",
            f"event mentions  {self.event_mentions}",
            f"events          {self.events} ({self.dated_events} dated, {self.undated_events} undated)",
            f"conflicts       {self.conflicts}",
            f"time            {self.seconds:.1f} s",
        ]


class Resources:
    """What the per-document function needs besides the document: the gazetteer and the
    spaCy pipeline. The pipeline is loaded lazily, once per process (``load_nlp`` is
    cached), and is not pickled: a Dask worker or a pool process loads its own."""

    def __init__(self, gazetteer: Gazetteer | None = None, nlp: object | None = None, extractor: str | None = None):
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.load()
        self._nlp = nlp
        self.extractor = extractor or default_extractor()

    @classmethod
    def load(cls) -> "Resources":
        return cls()

    @property
    def nlp(self):
        if self._nlp is None:
            from timeline.nlp.model import load_nlp

            self._nlp = load_nlp()
        return self._nlp

    def __getstate__(self) -> dict:
        return {"gazetteer": self.gazetteer, "_nlp": None, "extractor": self.extractor}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


#: The event extractors: "open" (the default: spaCy parse, open-world actors,
#: timeline.nlp) and "gazetteer" (trigger words over the gazetteer's actors,
#: timeline.events: ~4x faster, no model, but blind to anyone the gazetteer lacks).
EXTRACTORS = ("gazetteer", "open")


def default_extractor() -> str:
    import os

    from timeline.errors import UserError

    name = os.environ.get("TIMELINE_EXTRACTOR", "open")
    if name not in EXTRACTORS:
        raise UserError(f"TIMELINE_EXTRACTOR={name!r}: expected one of {', '.join(EXTRACTORS)}")
    return name


def as_resources(r: "Resources | Gazetteer | None", extractor: str | None = None) -> Resources:
    if isinstance(r, Resources):
        if extractor and extractor != r.extractor:
            return Resources(r.gazetteer, r._nlp, extractor)
        return r
    return Resources(r, extractor=extractor)


def extract_document(doc: Document, resources: "Resources | Gazetteer | None" = None) -> DocExtraction:
    """Timexes, actors and event mentions of one document (pure: reads only the document
    and the resources; no store, no clock)."""
    res = as_resources(resources)
    if res.extractor == "open":
        from timeline.nlp.document import parse

        half = _first_half(doc, res)
        p = half.prep
        return _second_half(half, parse(res.nlp, p.texts, p.need_ner, worth_parsing=p.worth_parsing), res)
    timexes = find_timexes(doc.text, doc.published, doc.language or "en", doc_type=doc.doc_type)
    known = find_actors(doc, res.gazetteer)
    sents = doc_sentences(doc)
    mentions = [with_salience(m) for m in extract_mentions(doc, timexes, known, sents)]
    return DocExtraction(doc.id, tuple(timexes), tuple(known), tuple(_with_sentence_index(mentions, sents)))


@dataclass
class _Half:
    """The open extractor of one document up to the parser (``_first_half``), and the time
    budget it has spent so far (``extract_together``)."""

    doc: Document
    timexes: list[Timex]
    sents: list
    prep: object  # timeline.nlp.document.Prepared
    budget: float = 0.0
    spent: float = 0.0


def _first_half(doc: Document, res: Resources) -> _Half:
    timexes = find_timexes(doc.text, doc.published, doc.language or "en", doc_type=doc.doc_type)
    sents = doc_sentences(doc)
    excluded = exclusions(doc, res.gazetteer)  # read once, for the gazetteer's matcher and the open actors
    known = find_actors(doc, res.gazetteer, excluded)
    return _Half(doc, timexes, sents, prepare(doc, timexes, known, res.gazetteer, sents, excluded))


def _second_half(half: _Half, sdocs: list, res: Resources) -> DocExtraction:
    actors, mentions = finish(half.prep, sdocs, res.gazetteer)
    return DocExtraction(half.doc.id, tuple(half.timexes), tuple(actors),
                         tuple(_with_sentence_index(mentions, half.sents)))


def _with_sentence_index(mentions: list[EventMention], sents) -> list[EventMention]:
    """Each mention's sentence as a position in ``doc_sentences`` (exports cite it)."""
    starts = [s.start for s in sents]
    return [replace(m, sentence_index=max(0, bisect.bisect_right(starts, m.sent_start) - 1)) if starts else m
            for m in mentions]


def extract_document_within_budget(doc: Document, resources: "Resources | Gazetteer | None" = None) -> DocExtraction:
    """``extract_document`` under the per-document time budget (``timeline.budget``): a
    document that runs over keeps its place in the store with no extraction and a
    one-line reason, and the rest of the batch goes on."""
    from timeline.budget import OverBudget, call_with_budget, document_budget

    res = warm(as_resources(resources), doc.language or "en")  # loading is no document's time
    try:
        return call_with_budget(extract_document, document_budget(len(doc.text)), doc, res, what=doc.id)
    except OverBudget as exc:
        return DocExtraction(doc.id, (), (), (), failed=exc.reason)


@dataclass(frozen=True)
class ResourceFactory:
    """Builds the resources of one extractor, once per process (``timeline.orchestrate``
    caches by this value, so a Dask worker builds them once, never per task)."""

    extractor: str

    def __call__(self) -> Resources:
        return warm(Resources(extractor=self.extractor))

    def without_model(self) -> Resources:
        """What reconciliation needs (the gazetteer), without loading the language model."""
        return Resources(extractor=self.extractor)


def warm(res: Resources, language: str = "en") -> Resources:
    """Load what the extractor needs now, not inside a document's time budget: the
    compiled temporal grammar and, for the open extractor, the verified model (a budget
    that fired in the middle of ``import spacy`` left it half-imported for the process)."""
    from timeline.temporal.grammar import load_grammar

    load_grammar(language)
    if res.extractor == "open":
        res.nlp  # noqa: B018
    return res


def load_resources(extractor: str | None = None) -> Resources:
    """What ``extract_document`` needs besides the document, built once per process."""
    return ResourceFactory(extractor or default_extractor())()


def extract_documents(docs: Iterable[Document], resources: "Resources | Gazetteer | None" = None, *,
                      progress: Progress | None = None, total: int | None = None) -> list[DocExtraction]:
    """``extract_document`` over many documents, in order, in this process (for scale,
    ``timeline.orchestrate`` streams batches from the store, optionally on Dask). The open
    extractor parses the chosen sentences of several documents as one batch
    (``extract_together``); each document keeps its own time budget."""
    res = as_resources(resources)
    docs = list(docs)
    total = len(docs) if total is None else total
    out: list[DocExtraction] = []

    def done(ex: DocExtraction) -> None:
        out.append(ex)
        if progress:
            progress(len(out), total)

    with kept_results() as keep:
        if res.extractor == "open":
            for ex in extract_together(docs, res):
                done(ex)
                if len(out) % KEEP_EVERY == 0:
                    keep()
        else:
            for doc in docs:
                done(extract_document_within_budget(doc, res))
    return out


KEEP_EVERY = 100  # documents between two ``keep()`` of the extractions so far (timeline.gc_scope)


extract_document_within_budget.many = extract_documents  # type: ignore[attr-defined]  # a batch at once (orchestrate)


#: Sentences parsed as one batch by ``extract_together`` (documents are added until their
#: chosen sentences reach it): bigger matrices for the networks, spaCy's per-batch costs
#: paid once. 256 sentences parsed fastest per sentence on the generated corpus (64-1,000 tried).
TOGETHER_SENTENCES = 256


def extract_together(docs: Iterable[Document], res: Resources) -> Iterator[DocExtraction]:
    """The open extractor over many documents, in order, with the parser run once per
    group of documents (``parse_many``) instead of once per document: the same rows as
    ``extract_document`` on each, but for the last bits OpenBLAS may round differently in
    another batch (no row changed on the identity corpora: README, "Decisions").

    Time budgets stay per document (``timeline.budget``): the first and second halves run
    under what is left of the document's budget, and a group's parse under the sum of what
    its documents have left; a document is charged its share of that parse by parsed
    characters. A group whose parse runs over is parsed again document by document, so a
    document over budget fails alone."""
    from timeline.budget import OverBudget, call_with_budget, document_budget

    warm(res)
    group: list[_Half] = []
    pending = 0
    for doc in docs:
        budget = document_budget(len(doc.text))
        started = time.perf_counter()
        try:
            half = call_with_budget(_first_half, budget, doc, res, what=doc.id)
        except OverBudget as exc:
            yield from _finish_group(group, res)
            group, pending = [], 0
            yield DocExtraction(doc.id, (), (), (), failed=exc.reason)
            continue
        half.budget, half.spent = budget, time.perf_counter() - started
        group.append(half)
        pending += len(half.prep.texts)
        if pending >= TOGETHER_SENTENCES:
            yield from _finish_group(group, res)
            group, pending = [], 0
    yield from _finish_group(group, res)


def _finish_group(group: list[_Half], res: Resources) -> Iterator[DocExtraction]:
    from timeline.budget import OverBudget, call_with_budget

    if not group:
        return
    preps = [h.prep for h in group]
    started = time.perf_counter()
    try:
        parsed = call_with_budget(parse_many, max(0.01, sum(h.budget - h.spent for h in group)), res.nlp, preps,
                                  what=",".join(h.doc.id for h in group))
    except OverBudget:
        for h in group:  # one of them is too long to parse: each alone, under its own budget
            yield extract_document_within_budget(h.doc, res)
        return
    took = time.perf_counter() - started
    chars = sum(len(t) for p in preps for t in p.texts) or 1
    for h, sdocs in zip(group, parsed):
        h.spent += took * sum(len(t) for t in h.prep.texts) / chars
        try:
            yield call_with_budget(_second_half, max(0.01, h.budget - h.spent), h, sdocs, res, what=h.doc.id)
        except OverBudget as exc:  # the reason gives the document's whole budget and time
            yield DocExtraction(h.doc.id, (), (), (), failed=OverBudget(h.doc.id, h.budget, h.spent + exc.elapsed).reason)


def reconcile_extractions(extractions: list[DocExtraction], docs: dict[str, Document]) -> list[Event]:
    mentions = [m for ex in extractions for m in ex.event_mentions]
    return with_event_salience(reconcile(mentions, docs), mentions)


def extraction_tables(extractions: list[DocExtraction], events: list[Event],
                      resources: "Resources | Gazetteer | None") -> dict[str, pd.DataFrame]:
    """Store-shaped rows for every extraction table."""
    timexes = pd.DataFrame(
        [{"doc_id": ex.doc_id, **{k: getattr(t, k) for k in _TIMEX_FIELDS}} for ex in extractions for t in ex.timexes],
        columns=["doc_id", *_TIMEX_FIELDS],
    )
    for col in ("range_start", "range_end"):
        timexes[col] = pd.Series([getattr(t, col) for ex in extractions for t in ex.timexes], dtype="object")
    actors = pd.DataFrame(
        [{k: getattr(a, k) for k in _ACTOR_FIELDS} for ex in extractions for a in ex.actor_mentions],
        columns=list(_ACTOR_FIELDS),
    )
    event_of = {mid: e.id for e in events for mid in e.mention_ids}
    mentions = [m for ex in extractions for m in ex.event_mentions]
    return {
        "timexes": timexes,
        "actor_mentions": actors,
        "event_mentions": mention_rows(mentions, event_of),
        "events": event_rows(events),
        "event_actors": event_actor_rows(events, as_resources(resources).gazetteer.is_leader),
    }


_TIMEX_FIELDS = ("start", "end", "text", "type", "value", "mod", "range_start", "range_end", "granularity",
                 "anchor", "rule", "explanation", "resolved", "reason")
_ACTOR_FIELDS = ("doc_id", "start", "end", "text", "actor_id", "name", "kind", "country", "resolved", "via", "office")


def _none(v: object) -> object:
    """``v``, or None for a missing value (None, NaN, NaT)."""
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):  # (only NaN differs from itself)
        return None
    return v


def _int(v: object) -> int | None:
    v = _none(v)
    return None if v is None else int(v)


def _date(v: object) -> dt.date | None:
    v = _none(v)
    if v is None:
        return None
    return v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else pd.Timestamp(v).date()


def mentions_from_table(table: pd.DataFrame) -> dict[str, list[EventMention]]:
    """Stored event mentions back into objects, grouped by document (for partial re-runs)."""
    return mentions_from_rows(list(table.columns), table.astype(object).where(table.notna(), None).itertuples(index=False))


def mentions_from_rows(columns: list[str], rows: Iterable[tuple]) -> dict[str, list[EventMention]]:
    """``mentions_from_table`` from plain rows (as DuckDB fetches them: NULL is None)."""
    out: dict[str, list[EventMention]] = {}
    at = {c: i for i, c in enumerate(columns)}
    (i_value, i_ts, i_te, i_ttext, i_mod, i_start, i_end, i_precision, i_source, i_explanation, i_doc, i_id,
     i_sent_start, i_sent_end, i_sentence, i_trigger, i_type, i_modality, i_title, i_actors, i_confidence) = (
        at[c] for c in ("value", "timex_start", "timex_end", "timex_text", "mod", "start", "end", "precision",
                        "date_source", "explanation", "doc_id", "id", "sent_start", "sent_end", "sentence",
                        "trigger", "type", "modality", "title", "actors", "confidence"))
    i_salience, i_clause, i_tstart, i_tend, i_sindex = (
        at.get(c) for c in ("salience", "clause", "trigger_start", "trigger_end", "sentence_index"))

    for row in rows:
        timex = None
        date_source = row[i_source]
        if _none(row[i_value]) is not None:
            ts, te = _none(row[i_ts]), _none(row[i_te])
            timex = Timex(
                start=int(ts) if ts is not None else -1, end=int(te) if te is not None else -1,
                text=row[i_ttext] or "", type="DATE", value=row[i_value], mod=_none(row[i_mod]),
                range_start=_date(row[i_start]), range_end=_date(row[i_end]),
                granularity=_none(row[i_precision]),
                anchor="previous" if date_source == "narrative" else "publication",
                explanation=row[i_explanation] or "",
            )
        doc_id = row[i_doc]
        ms = out.get(doc_id)
        if ms is None:
            ms = out[doc_id] = []
        ms.append(EventMention(
            id=row[i_id], doc_id=doc_id, sent_start=int(row[i_sent_start]), sent_end=int(row[i_sent_end]),
            sentence=row[i_sentence], trigger=row[i_trigger], type=row[i_type], modality=row[i_modality],
            title=row[i_title], actors=_stored_actors(row[i_actors] or "[]"), timex=timex,
            date_source=date_source, confidence=float(row[i_confidence]),
            salience=float(_none(row[i_salience]) or 0.0) if i_salience is not None else 0.0,
            clause=(_none(row[i_clause]) or "main") if i_clause is not None else "main",
            trigger_start=_int(row[i_tstart]) if i_tstart is not None else None,
            trigger_end=_int(row[i_tend]) if i_tend is not None else None,
            sentence_index=_int(row[i_sindex]) if i_sindex is not None else None,
        ))
    return out


@lru_cache(maxsize=1 << 16)
def _stored_actors(text: str) -> tuple[EventActor, ...]:
    """A stored mention's actors (JSON): many mentions share the same list, read once."""
    return tuple(EventActor(**a) for a in json.loads(text))


def extract_store(store: Store, *, progress: Progress | None = None, doc_ids: Iterable[str] | None = None,
                  gazetteer: Gazetteer | None = None, workers: int = 1, full: bool = False,
                  scheduler: str | None = None, batch_size: int | None = None,
                  extractor: str | None = None) -> ExtractSummary:
    """Bring the extraction tables up to date with the stored documents.

    Only new or changed documents are re-read (``doc_ids`` forces these too, ``full``
    every one), in batches, each written in its own transaction; events are then
    reconciled over every stored mention (a new source can merge with or contradict an
    old one) and replaced in one transaction. ``workers``/``scheduler``: see
    ``timeline.orchestrate.run_extraction``. ``extractor``: "open" (default) or
    "gazetteer"; changing it re-reads every document."""
    from timeline import orchestrate

    started = time.perf_counter()
    kind = extractor or default_extractor()
    resources = Resources(gazetteer, extractor=kind) if gazetteer is not None else None
    failed: list[str] = []

    def extract(doc: Document, res: Resources) -> DocExtraction:
        return _noted(extract_document_within_budget(doc, res))

    def _noted(ex: DocExtraction) -> DocExtraction:
        if ex.failed:
            failed.append(ex.failed)
        return ex

    extract.many = lambda docs, res: [_noted(ex) for ex in extract_documents(docs, res)]  # type: ignore[attr-defined]

    full = full or store.extractor_changed(kind)
    stats = orchestrate.run_extraction(
        store, extract if workers <= 1 and not scheduler else extract_document_within_budget,
        ResourceFactory(kind), resources=resources, full=full,
        doc_ids=None if doc_ids is None else list(doc_ids), workers=workers, scheduler=scheduler,
        batch_size=batch_size or orchestrate.BATCH_SIZE, progress=progress)
    return ExtractSummary(
        documents=store.count("documents"),
        timexes=store.count("timexes"),
        actor_mentions=store.count("actor_mentions"),
        event_mentions=store.count("event_mentions"),
        events=stats.events,
        dated_events=stats.dated_events,
        undated_events=stats.events - stats.dated_events,
        conflicts=stats.conflicts,
        seconds=time.perf_counter() - started,
        read=stats.read,
        failed=tuple(failed),
    )
