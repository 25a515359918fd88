"""``python -m timeline events [filters] --format csv|json``: print the event frame.

Filters and their flags are the ``export`` command's (``timeline.filters.filter_events``,
the same as the dashboard's). CSV cells a spreadsheet would run as a formula are
neutralised like the export's (article text is untrusted). The output streams: events
are read in display order a chunk at a time (type, modality and date window filtered in
DuckDB), each chunk built into frames, filtered and printed, so memory does not grow
with the store.
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

    from timeline.export.data import evidence_json

    flat = ev.copy()
    for col in ("actors", "actor_ids", "countries", "sources"):
        flat[col] = ["; ".join(map(str, v)) for v in flat[col]]
    if "evidence" in flat:
        flat["evidence"] = [evidence_json(v) for v in flat["evidence"]]
        flat = flat.rename(columns={"evidence": "evidence_json"})
    for col in flat.columns:
        if flat[col].dtype == object or str(flat[col].dtype) in ("str", "string"):
            flat[col] = flat[col].map(neutralise_cell)
    return flat.to_csv(index=False)


CHUNK = 5000  # events per chunk


def event_chunks(store, flt, size: int = CHUNK):
    """``events_table`` of the filtered events, a chunk at a time, in display order."""
    from timeline.filters import filter_events
    from timeline.frame import load_frames

    for ids in store.event_id_chunks(size, types=flt.types, modalities=flt.modalities, start=flt.start,
                                     end=flt.end, include_undated=flt.include_undated):
        frames = load_frames(store, ids)
        ev = events_table(filter_events(frames, flt))
        if len(ev):
            yield with_evidence(ev, frames)


def with_evidence(ev, frames):
    """The event table with each event's mentions and their provenance (``evidence``)."""
    from timeline.export.data import evidence_by_event

    evidence = evidence_by_event(frames.mentions, frames.documents, set(ev["id"].astype(str)))
    ev = ev.copy()
    ev["evidence"] = [evidence.get(str(i), []) for i in ev["id"]]
    return ev


def json_records(ev) -> list[dict]:
    records = ev.astype(object).where(ev.notna(), None).to_dict("records")
    return [{k: (list(v) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else v) for k, v in r.items()}
            for r in records]


def run_events(args: argparse.Namespace) -> int:
    from timeline.store import Store, default_db_path

    flt = filter_from_args(args)
    out, first = sys.stdout, True
    with Store(args.db or default_db_path(), read_only=True) as store:
        if args.format == "json":
            out.write("[")
            for ev in event_chunks(store, flt):
                for r in json_records(ev):
                    # exactly json.dump(all_records, indent=1), one record at a time
                    out.write(("\n" if first else ",\n") + json.dumps([r], ensure_ascii=False, indent=1,
                                                                       default=str)[2:-2])
                    first = False
            out.write("]\n" if first else "\n]\n")
        else:
            for ev in event_chunks(store, flt):
                text = csv_text(ev)
                out.write(text if first else text.split("\n", 1)[1])
                first = False
            if first:
                empty = _empty_frames()
                out.write(csv_text(with_evidence(events_table(empty), empty)))
    return 0


def _empty_frames():
    from timeline.frame import frames_from_tables

    return frames_from_tables(None, None, None, None)
