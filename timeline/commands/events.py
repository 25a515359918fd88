"""``python -m timeline events [filters] --format csv|json``: print the event frame.

Filtering is ``timeline.filters.filter_events`` (the same as the dashboard's).
"""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("events", help="print the extracted events (filtered) as CSV or JSON")
    p.add_argument("--db", help="DuckDB file (default: $TIMELINE_DB or data/timeline.duckdb)")
    p.add_argument("--actor", action="append", default=[], metavar="NAME", help="actor name or id (repeatable)")
    p.add_argument("--leader", action="append", default=[], metavar="NAME", help="leader name or id (repeatable)")
    p.add_argument("--country", action="append", default=[], metavar="ISO", help="ISO alpha-3 country (repeatable)")
    p.add_argument("--source", action="append", default=[], metavar="S", help="outlet (repeatable)")
    p.add_argument("--type", action="append", default=[], metavar="T", help="event type (repeatable)")
    p.add_argument("--modality", action="append", default=[], metavar="M", help="modality (repeatable)")
    p.add_argument("--from", dest="start", metavar="DATE", help="window start (2024, 2024-06 or 2024-06-14)")
    p.add_argument("--to", dest="end", metavar="DATE", help="window end (inclusive)")
    p.add_argument("--text", default="", metavar="Q", help="free text in titles and evidence")
    p.add_argument("--no-undated", action="store_true", help="leave out undated events")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=run_events)


def _window_end(value: str):
    """``--to 2024-06`` means through the end of June, not 1 June."""
    import calendar
    import datetime as dt
    import re

    from timeline.filters import parse_date

    d = parse_date(value)
    if d is None:
        return None
    if re.fullmatch(r"\s*\d{1,4}\s*", value):
        return dt.date(d.year, 12, 31)
    if re.fullmatch(r"\s*\d{1,4}-\d{1,2}\s*", value):
        return d.replace(day=calendar.monthrange(d.year, d.month)[1])
    return d


def build_filter(args: argparse.Namespace):
    from timeline.errors import UserError
    from timeline.filters import EventFilter, parse_date

    start = parse_date(args.start) if args.start else None
    end = _window_end(args.end) if args.end else None
    if args.start and start is None:
        raise UserError(f"--from: unreadable date {args.start!r}; use 2024, 2024-06 or 2024-06-14")
    if args.end and end is None:
        raise UserError(f"--to: unreadable date {args.end!r}; use 2024, 2024-06 or 2024-06-14")
    return EventFilter(
        actors=tuple(args.actor), leaders=tuple(args.leader), countries=tuple(c.upper() for c in args.country),
        sources=tuple(args.source), types=tuple(args.type), modalities=tuple(args.modality),
        start=start, end=end, text=args.text, include_undated=not args.no_undated,
    )


def events_table(frames):
    """The event frame ready to print: dates as ISO text, lists kept as lists."""
    ev = frames.events.copy()
    for col in ("start", "end"):
        ev[col] = [None if str(v) == "NaT" else str(v)[:10] for v in ev[col]]
    return ev.sort_values(["start", "id"], na_position="last", kind="stable")


def run_events(args: argparse.Namespace) -> int:
    from timeline.filters import filter_events
    from timeline.frame import load_frames
    from timeline.store import Store, default_db_path

    flt = build_filter(args)
    with Store(args.db or default_db_path()) as store:
        frames = filter_events(load_frames(store), flt)
    ev = events_table(frames)
    if args.format == "json":
        records = ev.astype(object).where(ev.notna(), None).to_dict("records")
        json.dump([{k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in r.items()} for r in records],
                  sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        flat = ev.copy()
        for col in ("actors", "actor_ids", "countries", "sources"):
            flat[col] = ["; ".join(map(str, v)) for v in flat[col]]
        flat.to_csv(sys.stdout, index=False)
    return 0
