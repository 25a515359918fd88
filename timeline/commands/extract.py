"""``python -m timeline extract [--db FILE]``: (re)run extraction over the stored documents.

The work is ``timeline.pipeline.extract_store``; this module only wires the CLI and
shows a progress bar on stderr.
"""
from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="find dates, actors and events in the stored documents and reconcile them",
        description="Re-run extraction over every stored document (idempotent; re-run it after "
        "set-published so relative dates are resolved again).",
    )
    p.add_argument("--db", help="DuckDB file (default: $TIMELINE_DB or data/timeline.duckdb)")
    p.add_argument("--doc", action="append", default=None, metavar="DOC_ID",
                   help="only re-read this document (repeatable); events are reconciled over all")
    p.add_argument("--workers", type=int, default=1, help="worker processes for per-document extraction")
    p.add_argument("--extractor", choices=("gazetteer", "open"), default=None,
                   help="event extractor: open (default; $TIMELINE_EXTRACTOR; spaCy, open-world actors) or gazetteer (fast, known actors only)")
    p.set_defaults(func=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from timeline.errors import UserError
    from timeline.pipeline import extract_store
    from timeline.store import Store, default_db_path

    if args.workers < 1:
        raise UserError("--workers must be 1 or more")
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
            summary = extract_store(store, progress=progress, doc_ids=args.doc, workers=args.workers,
                                    extractor=args.extractor)
        finally:
            if bar is not None:
                bar.close()
    for line in summary.lines():
        print(line)
    return 0
