"""``python -m timeline extract [--db FILE] [--full] [--workers N | --scheduler ADDR]``.

Brings the extraction up to date: only new or changed documents are re-read, in
batches, each committed on its own (a killed run resumes where it stopped), then events
are reconciled. The work is ``timeline.pipeline.extract_store``; this module only wires
the CLI and shows a progress bar on stderr.
"""
from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="find dates, actors and events in the stored documents and reconcile them",
        description="Extract new or changed documents (a corrected publication date counts as a "
        "change) and reconcile events; idempotent, and resumes an interrupted run.",
    )
    p.add_argument("--db", help="DuckDB file (default: $TIMELINE_DB or data/timeline.duckdb)")
    p.add_argument("--doc", action="append", default=None, metavar="DOC_ID",
                   help="also re-read this document (repeatable); events are reconciled over all")
    p.add_argument("--full", action="store_true", help="re-read every document (a full rebuild)")
    p.add_argument("--workers", type=int, default=1,
                   help="per-document stage on a local Dask cluster of N worker processes")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="per-document stage on an existing Dask cluster (e.g. tcp://host:8786)")
    p.add_argument("--batch-size", type=int, default=None, metavar="N",
                   help="documents per batch (one transaction, one Dask partition; default 200)")
    p.add_argument("--extractor", choices=("gazetteer", "open"), default=None,
                   help="event extractor: open (default; $TIMELINE_EXTRACTOR; spaCy, open-world actors) or "
                        "gazetteer (fast, known actors only); switching re-reads every document")
    p.set_defaults(func=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from timeline.errors import UserError
    from timeline.pipeline import extract_store
    from timeline.store import Store, default_db_path

    if args.workers < 1:
        raise UserError("--workers must be 1 or more")
    if args.batch_size is not None and args.batch_size < 1:
        raise UserError("--batch-size must be 1 or more")
    if args.scheduler and args.workers > 1:
        raise UserError("--scheduler uses that cluster's workers: give either --scheduler or --workers")
    bar: tqdm | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="doc", file=sys.stderr, desc="extract", leave=False)
        bar.update(done - bar.n)

    with Store(args.db or default_db_path(), create=False) as store:
        if store.count("documents") == 0:
            raise UserError("the store has no documents; run `python -m timeline ingest PATH` first")
        try:
            summary = extract_store(store, progress=progress, doc_ids=args.doc, workers=args.workers, full=args.full,
                                    scheduler=args.scheduler, batch_size=args.batch_size, extractor=args.extractor)
        finally:
            if bar is not None:
                bar.close()
    for line in summary.lines():
        print(line)
    return 0
