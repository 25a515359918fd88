"""Extraction at scale: stream documents from the store in batches, run the per-document
function on them (in this process or on a Dask cluster), write each batch's rows back in
its own transaction, then reconcile the stored mentions into events (only the regions that changed:
``timeline.reconcile_store``).

The store is the state (``extraction_state``, migration 5): a document is re-read when it
has no current rows or its metadata changed since (``Store.pending_documents``), so
``extract`` after ``ingest`` reads only the new documents, and a run killed at any point
resumes where it stopped. Memory holds one batch of text per worker plus what
reconciliation needs (a few columns of every mention, the full mentions of the regions
it re-runs, never the articles).

The per-document callable and the factory of its resources are parameters: the callable
is a pure function of (document, resources) (with a ``many`` attribute, a function of
(documents, resources) giving the same, it gets a whole batch at once); the factory runs once per process (the
parent, or each Dask worker, cached in ``_RESOURCES``), never per task, since resources
(gazetteer, a language model) are slow to build and costly to pickle.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from timeline.model import Document
from timeline.reconcile_store import reconcile_store
from timeline.store import DOC_TABLES, Store

Progress = Callable[[int, int], None]  # (done, total)
ExtractFn = Callable[[Document, Any], Any]  # (document, resources) -> DocExtraction
ResourcesFactory = Callable[[], Any]

BATCH_SIZE = 200  # documents per partition / transaction
_RESOURCES: dict[ResourcesFactory, Any] = {}  # one per process and factory


def resources_for(factory: ResourcesFactory) -> Any:
    """The resources ``factory`` builds, built once in this process."""
    if factory not in _RESOURCES:
        _RESOURCES[factory] = factory()
    return _RESOURCES[factory]


def extract_batch(docs: list[Document], extract: ExtractFn, factory: ResourcesFactory) -> dict[str, pd.DataFrame]:
    """One partition: the per-document rows of ``docs`` (timexes, actor and event mentions,
    events not yet assigned). Runs wherever the partition is scheduled."""
    return _rows(docs, extract, resources_for(factory))


def _rows(docs: list[Document], extract: ExtractFn, resources: Any) -> dict[str, pd.DataFrame]:
    from timeline.pipeline import extraction_tables

    many = getattr(extract, "many", None)  # the whole batch at once, when the callable offers it
    exs = many(docs, resources) if many is not None else [extract(d, resources) for d in docs]
    tables = extraction_tables(exs, [], resources)
    return {k: v for k, v in tables.items() if k in DOC_TABLES}


@dataclass(frozen=True)
class RunStats:
    """What one ``run_extraction`` did, per stage, for the CLI and the bench."""

    read: int  # documents re-read
    dropped: int  # documents gone from the store whose rows were removed
    reconciled: bool
    extract_seconds: float
    reconcile_seconds: float
    extract_cpu: float  # this process's CPU seconds (Dask workers' not included)
    reconcile_cpu: float
    events: int
    conflicts: int
    dated_events: int
    regions: int = 0  # reconciliation's independent parts (timeline.regions)
    dirty_regions: int = 0  # those reconciled again by this run
    reconciled_mentions: int = 0  # mentions of the regions run
    replayed: int = 0  # of their placements, those taken from the regions' last runs (timeline.region_replay)
    plan: str = ""  # how reconciliation planned: "incremental" (from the changed mentions) or "full"
    worker_cpu: tuple[tuple[float, float], ...] = ()  # Dask workers: CPU s building resources, then extracting


def run_extraction(store: Store, extract: ExtractFn, factory: ResourcesFactory, *, full: bool = False,
                   doc_ids: list[str] | None = None, workers: int = 1, scheduler: str | None = None,
                   batch_size: int = BATCH_SIZE, progress: Progress | None = None,
                   resources: Any = None) -> RunStats:
    """Bring the store's extraction up to date with its documents.

    ``full`` re-reads every document; ``doc_ids`` forces those to be re-read. With
    ``workers > 1`` (a LocalCluster of processes) or a ``scheduler`` address, partitions
    go to Dask workers and their rows come back here, where they are written.
    ``resources``: already built ones for this process (else ``factory`` builds them).
    DuckDB's working memory is capped meanwhile (``Store.working_memory``), so what the
    store's caches and checkpoints hold does not grow with the store."""
    with store.working_memory():
        return _run_extraction(store, extract, factory, full=full, doc_ids=doc_ids, workers=workers,
                               scheduler=scheduler, batch_size=batch_size, progress=progress, resources=resources)


def _run_extraction(store: Store, extract: ExtractFn, factory: ResourcesFactory, *, full: bool,
                    doc_ids: list[str] | None, workers: int, scheduler: str | None, batch_size: int,
                    progress: Progress | None, resources: Any) -> RunStats:
    started, cpu0 = time.perf_counter(), time.process_time()
    if full:
        store.forget_extractions()
    elif doc_ids:
        store.forget_extractions(doc_ids)
    gone = store.orphaned_extractions()
    if gone:
        store.drop_document_rows(gone)
    pending = store.pending_documents()
    done = 0
    worker_cpu: dict[str, tuple[float, float]] = {}

    def write(docs_fps: tuple[list[Document], list[str]], tables: dict[str, pd.DataFrame]) -> None:
        nonlocal done
        docs, fps = docs_fps
        store.write_document_batch(tables, [d.id for d in docs], fps)
        done += len(docs)
        if progress:
            progress(done, len(pending))

    if pending:
        if workers > 1 or scheduler:
            from timeline.dask_stage import run_on_dask

            worker_cpu = run_on_dask(pending, store.document_batch, extract, factory, write, batch_size=batch_size,
                                     workers=workers, scheduler=scheduler)
        else:
            here = resources if resources is not None else resources_for(factory)
            for batch in store.document_batches(pending, batch_size):
                write(batch, _rows(batch[0], extract, here))
    extracted, cpu1 = time.perf_counter(), time.process_time()
    reconciled = store.events_stale()
    rstats = None
    if reconciled:
        rstats = reconcile_store(store, _reconcile_resources(factory, resources))
        store.compact_if_sparse()  # deleted and rewritten rows must not make the file grow
    finished, cpu2 = time.perf_counter(), time.process_time()
    n, dated, conflicts = store.event_counts()
    return RunStats(read=len(pending), dropped=len(gone), reconciled=reconciled,
                    extract_seconds=extracted - started, reconcile_seconds=finished - extracted,
                    extract_cpu=cpu1 - cpu0, reconcile_cpu=cpu2 - cpu1,
                    events=n, conflicts=conflicts, dated_events=dated,
                    regions=rstats.regions if rstats else 0, dirty_regions=rstats.dirty_regions if rstats else 0,
                    reconciled_mentions=rstats.mentions_reconciled if rstats else 0,
                    replayed=rstats.decisions_replayed if rstats else 0,
                    plan=rstats.plan if rstats else "", worker_cpu=tuple(worker_cpu[w] for w in sorted(worker_cpu)))


def _reconcile_resources(factory: ResourcesFactory, resources: Any) -> Any:
    """What reconciliation reads (the gazetteer): the resources at hand, else the factory's
    ``without_model()`` when it has one, so a run that extracted nothing here (no new
    document, or all on Dask workers) does not load a language model just to reconcile."""
    if resources is not None:
        return resources
    if factory in _RESOURCES:
        return _RESOURCES[factory]
    light = getattr(factory, "without_model", None)
    return light() if light is not None else resources_for(factory)
