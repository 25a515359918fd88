"""Documents -> timexes, actor mentions, event mentions -> reconciled events -> store.

``extract_document`` is a pure function of one document and the gazetteer, so it can
run in worker processes (``workers > 1`` uses a ``multiprocessing`` pool; the same
function maps onto Dask partitions). Reconciliation needs every mention at once and
runs in the parent. ``extract_store`` replaces all extraction tables in one
transaction: re-running is idempotent, and after ``set-published`` it re-resolves
every relative date.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from timeline.actors import Gazetteer, find_actors
from timeline.events import extract_mentions, split_sentences
from timeline.frame import event_actor_rows, event_rows, mention_rows
from timeline.model import ActorMention, Document, Event, EventActor, EventMention, Timex
from timeline.nlp.document import extract_events
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
    failed: tuple[str, ...] = ()  # one line per document over its time budget

    def lines(self) -> list[str]:
        return [*(f"not extracted   {f}" for f in self.failed),
            f"documents       {self.documents}",
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
#: timeline.events: 7x faster, no model, but blind to anyone the gazetteer lacks).
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
    timexes = find_timexes(doc.text, doc.published, doc.language or "en", doc_type=doc.doc_type)
    known = find_actors(doc, res.gazetteer)
    if res.extractor == "open":
        actors, mentions = extract_events(doc, timexes, known, res.nlp, res.gazetteer)
    else:
        actors = known
        mentions = [with_salience(m) for m in extract_mentions(doc, timexes, known, split_sentences(doc.text))]
    return DocExtraction(doc.id, tuple(timexes), tuple(actors), tuple(mentions))


def extract_document_within_budget(doc: Document, resources: "Resources | Gazetteer | None" = None) -> DocExtraction:
    """``extract_document`` under the per-document time budget (``timeline.budget``): a
    document that runs over keeps its place in the store with no extraction and a
    one-line reason, and the rest of the batch goes on."""
    from timeline.budget import OverBudget, call_with_budget, document_budget

    try:
        return call_with_budget(extract_document, document_budget(len(doc.text)), doc, resources, what=doc.id)
    except OverBudget as exc:
        return DocExtraction(doc.id, (), (), (), failed=exc.reason)


_WORKER_RESOURCES: Resources | None = None


def _worker_init(resources: Resources) -> None:
    global _WORKER_RESOURCES
    _WORKER_RESOURCES = resources


def _worker_extract(doc: Document) -> DocExtraction:
    assert _WORKER_RESOURCES is not None
    return extract_document_within_budget(doc, _WORKER_RESOURCES)


def extract_documents(docs: Iterable[Document], resources: "Resources | Gazetteer | None" = None, *,
                      progress: Progress | None = None, total: int | None = None,
                      workers: int = 1) -> list[DocExtraction]:
    """``extract_document`` over many documents, in order, optionally in a process pool."""
    res = as_resources(resources)
    docs = list(docs)
    total = len(docs) if total is None else total
    out: list[DocExtraction] = []
    if workers > 1 and len(docs) > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(workers, initializer=_worker_init, initargs=(res,)) as pool:
            for ex in pool.imap(_worker_extract, docs, chunksize=16):
                out.append(ex)
                if progress:
                    progress(len(out), total)
        return out
    for doc in docs:
        out.append(extract_document_within_budget(doc, res))
        if progress:
            progress(len(out), total)
    return out


def reconcile_extractions(extractions: list[DocExtraction], docs: dict[str, Document]) -> list[Event]:
    mentions = [m for ex in extractions for m in ex.event_mentions]
    return with_event_salience(reconcile(mentions, docs), mentions)


def extraction_tables(extractions: list[DocExtraction], events: list[Event], gazetteer: Gazetteer) -> dict[str, pd.DataFrame]:
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
        "event_actors": event_actor_rows(events, gazetteer.is_leader),
    }


_TIMEX_FIELDS = ("start", "end", "text", "type", "value", "mod", "range_start", "range_end", "granularity",
                 "anchor", "rule", "explanation", "resolved", "reason")
_ACTOR_FIELDS = ("doc_id", "start", "end", "text", "actor_id", "name", "kind", "country", "resolved", "via", "office")


def _none(v: object) -> object:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT else v


def _date(v: object) -> dt.date | None:
    v = _none(v)
    if v is None:
        return None
    return v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else pd.Timestamp(v).date()


def mentions_from_table(table: pd.DataFrame) -> dict[str, list[EventMention]]:
    """Stored event mentions back into objects, grouped by document (for partial re-runs)."""
    out: dict[str, list[EventMention]] = {}
    for r in table.astype(object).where(table.notna(), None).to_dict("records"):
        timex = None
        if _none(r["value"]) is not None:
            timex = Timex(
                start=int(r["timex_start"]) if _none(r["timex_start"]) is not None else -1,
                end=int(r["timex_end"]) if _none(r["timex_end"]) is not None else -1,
                text=r["timex_text"] or "", type="DATE", value=r["value"], mod=r["mod"],
                range_start=_date(r["start"]), range_end=_date(r["end"]), granularity=r["precision"],
                anchor="previous" if r["date_source"] == "narrative" else "publication",
                explanation=r["explanation"] or "",
            )
        actors = tuple(EventActor(**a) for a in json.loads(r["actors"] or "[]"))
        out.setdefault(r["doc_id"], []).append(EventMention(
            id=r["id"], doc_id=r["doc_id"], sent_start=int(r["sent_start"]), sent_end=int(r["sent_end"]),
            sentence=r["sentence"], trigger=r["trigger"], type=r["type"], modality=r["modality"],
            title=r["title"], actors=actors, timex=timex, date_source=r["date_source"],
            confidence=float(r["confidence"]), salience=float(r.get("salience") or 0.0),
            clause=r.get("clause") or "main",
        ))
    return out


def extract_store(store: Store, *, progress: Progress | None = None, doc_ids: Iterable[str] | None = None,
                  gazetteer: Gazetteer | None = None, workers: int = 1, extractor: str | None = None) -> ExtractSummary:
    """Re-run extraction over the stored documents and replace the extraction tables in
    ONE transaction. With ``doc_ids`` only those documents are re-read (their timexes
    and actor mentions replaced); events are still reconciled over the whole store, from
    the stored mentions of the other documents, since a new source can merge with or
    contradict an old one."""
    started = time.perf_counter()
    gaz = gazetteer or Gazetteer.load()
    res = Resources(gaz, extractor=extractor)
    all_docs = {d.id: d for d in store.iter_documents()}
    wanted = sorted(all_docs) if doc_ids is None else sorted(set(doc_ids) & set(all_docs))
    fresh = extract_documents([all_docs[i] for i in wanted], res, progress=progress, workers=workers)
    kept: list[DocExtraction] = []
    if doc_ids is not None:
        stored = mentions_from_table(store.table("event_mentions", exclude_docs=wanted))
        kept = [DocExtraction(doc_id, (), (), tuple(ms)) for doc_id, ms in sorted(stored.items())]
    extractions = kept + fresh
    events = reconcile_extractions(extractions, all_docs)
    store.replace_extraction(extraction_tables(extractions, events, gaz), None if doc_ids is None else wanted)
    return ExtractSummary(
        documents=len(all_docs),
        timexes=store.count("timexes"),
        actor_mentions=store.count("actor_mentions"),
        event_mentions=store.count("event_mentions"),
        events=len(events),
        dated_events=sum(e.start is not None for e in events),
        undated_events=sum(e.start is None for e in events),
        conflicts=sum(e.conflict for e in events),
        seconds=time.perf_counter() - started,
        failed=tuple(ex.failed for ex in fresh if ex.failed),
    )
