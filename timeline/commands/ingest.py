"""``python -m timeline ingest PATH...`` and ``python -m timeline set-published DOC_ID DATE``.

Parsing and storing live in ``timeline.ingest``; this module only wires the CLI.
Exit codes: 0 all good, 1 some file rejected (the good ones are stored), 2 usage error,
3 could not finish (store busy past TIMELINE_LOCK_WAIT; nothing written).
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager

from timeline.errors import EXIT_OK, EXIT_REJECTED, UserError


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of bytes, got {value!r}") from None
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {n}")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="read articles (txt/md/html/json/jsonl/csv, folders, zip) into the store",
        description="Read articles into the store. Metadata precedence: the file's own "
        "(front matter, fields, HTML markup) > the manifest row > --published/--source > "
        "guesses (first-line title, date found in an HTML body).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (recursive) or .zip archives")
    p.add_argument("--db", help="DuckDB file (default: $TIMELINE_DB or data/timeline.duckdb)")
    p.add_argument("--published", metavar="DATE", help="publication date for files that state none")
    p.add_argument("--source", metavar="NAME", help="outlet for files that state none")
    p.add_argument("--manifest", metavar="CSV", help="CSV with file,published,source,title per file")
    p.add_argument("--max-bytes", type=_positive_int, metavar="N",
                   help="per-article size limit (default: $TIMELINE_MAX_BYTES or 5000000)")
    p.set_defaults(func=run_ingest)

    s = sub.add_parser("set-published", help="fix a document's publication date")
    s.add_argument("doc_id", metavar="DOC_ID", help="document id (or a unique prefix of it)")
    s.add_argument("date", metavar="DATE", help="publication date, e.g. 2024-11-15")
    s.add_argument("--db", help="DuckDB file (default: $TIMELINE_DB or data/timeline.duckdb)")
    s.set_defaults(func=run_set_published)


def _open_store(db: str | None, create: bool = False):
    from timeline.store import Store, default_db_path

    return Store(db or default_db_path(), create=create)


def run_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from timeline.ingest import default_max_bytes, ingest_paths, load_manifest, parse_published

    try:
        published = parse_published(args.published)
    except ValueError as exc:
        raise UserError(f"--published: unparseable date {args.published!r} ({exc}); "
                        "use a full date such as 2024-11-15") from None
    manifest = load_manifest(args.manifest) if args.manifest else None
    max_bytes = args.max_bytes or default_max_bytes()
    bar: tqdm | None = None

    def progress(done: int, total: int, origin: str) -> None:
        nonlocal bar
        if total <= 5:
            return
        if bar is None:
            bar = tqdm(total=total, unit="file", file=sys.stderr, desc="ingest", leave=True)
        bar.update(1)

    opened: dict[str, object] = {}

    @contextmanager
    def writer():
        # opened after every file is parsed: the write lock is held only for the write
        if bar is not None:
            bar.close()
        with _open_store(args.db, create=True) as store:
            yield store
            opened["total"], opened["path"] = store.count(), store.path

    try:
        report = ingest_paths(args.paths, writer, published=published, source=args.source,
                              manifest=manifest, max_bytes=max_bytes, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    print(report)
    print(f"store: {opened['total']} document(s) in {opened['path']}")
    return EXIT_REJECTED if report.rejected else EXIT_OK


def run_set_published(args: argparse.Namespace) -> int:
    from timeline.ingest import parse_published

    try:
        date = parse_published(args.date)
    except ValueError as exc:
        raise UserError(f"unparseable date {args.date!r} ({exc}); use a full date such as 2024-11-15") from None
    if date is None:
        raise UserError(f"unparseable date {args.date!r}; use a full date such as 2024-11-15")
    if len(args.doc_id) < 4:
        raise UserError(f"document id {args.doc_id!r} is too short: give the id or at least its first 4 characters")
    with _open_store(args.db) as store:
        ids = [i for i in store.documents(with_text=False)["id"] if str(i).startswith(args.doc_id)]
        if args.doc_id in ids:
            ids = [args.doc_id]
        if not ids:
            raise UserError(f"no document with id {args.doc_id!r} in {store.path}")
        if len(ids) > 1:
            raise UserError(f"id prefix {args.doc_id!r} matches {len(ids)} documents: {', '.join(ids[:5])}")
        old = store.get_document(ids[0])
        store.set_published(ids[0], date)
    was = old.published.isoformat() if old and old.published else "unknown"
    print(f"{ids[0]}: published {date.isoformat()} (was {was}); "
          "re-run `python -m timeline extract` to re-resolve its relative dates")
    return 0
