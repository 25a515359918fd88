"""``python -m timeline events [filters] --format csv|json``: print the event frame.

Filters and their flags are the ``export`` command's (``timeline.filters.filter_events``,
the same as the dashboard's). CSV cells a spreadsheet would run as a formula are
neutralised like the export's (article text is untrusted).
"""
from __future__ import annotations

import argparse
import json
import sys

from timeline.commands.export import add_filter_arguments, filter_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("events", help="print the extracted events (filtered) as CSV or JSON")
    p.add_argument("--db", help="DuckDB file (default: $TIMELINE_DB or data/timeline.duckdb)")
    add_filter_arguments(p)
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=run_events)


def events_table(frames):
    """The event frame ready to print: dates as ISO text, lists kept as lists."""
    ev = frames.events.copy()
    for col in ("start", "end"):
        ev[col] = [None if str(v) == "NaT" else str(v)[:10] for v in ev[col]]
    return ev.sort_values(["start", "id"], na_position="last", kind="stable")


def csv_text(ev) -> str:
    """``events_table`` as CSV: lists joined with "; ", formula-like cells quoted."""
    from timeline.export import neutralise_cell

    flat = ev.copy()
    for col in ("actors", "actor_ids", "countries", "sources"):
        flat[col] = ["; ".join(map(str, v)) for v in flat[col]]
    for col in flat.columns:
        if flat[col].dtype == object or str(flat[col].dtype) in ("str", "string"):
            flat[col] = flat[col].map(neutralise_cell)
    return flat.to_csv(index=False)


def run_events(args: argparse.Namespace) -> int:
    from timeline.filters import filter_events
    from timeline.frame import load_frames
    from timeline.store import Store, default_db_path

    flt = filter_from_args(args)
    with Store(args.db or default_db_path(), read_only=True) as store:
        frames = filter_events(load_frames(store), flt)
    ev = events_table(frames)
    if args.format == "json":
        records = ev.astype(object).where(ev.notna(), None).to_dict("records")
        json.dump([{k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in r.items()} for r in records],
                  sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        sys.stdout.write(csv_text(ev))
    return 0
