"""``python -m timeline export --format png|svg|pdf|html|csv|json|parquet|timelinejs --out FILE``.

Same filters (``timeline.filters.EventFilter``) and same figure code
(``timeline.charts.timeline_figure``) as the app, through
``timeline.export.export_view``. Partial dates widen to the whole period:
``--from 2022-01`` starts on 2022-01-01, ``--to 2024-12`` ends on 2024-12-31.
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
from pathlib import Path

from timeline.errors import UserError

FORMATS = ("png", "svg", "pdf", "html", "csv", "json", "parquet", "timelinejs", "story-html",
           "story-pdf", "semeval-timeline")
_SUFFIX = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".html": "html", ".htm": "html",
           ".csv": "csv", ".json": "json", ".parquet": "parquet"}
LANES = ("actor", "country", "type", "single")


def parse_bound(text: str | None, *, end: bool, flag: str) -> dt.date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD -> first day (``end=False``) or last day (``end=True``) of it."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", text)
    try:
        if not m:
            raise ValueError
        year, month, day = int(m[1]), m[2], m[3]
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        month_i = int(month)
        if day is None:
            last = calendar.monthrange(year, month_i)[1]
            return dt.date(year, month_i, last if end else 1)
        return dt.date(year, month_i, int(day))
    except ValueError:
        raise UserError(f"{flag} {text!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2022-01)") from None


def filter_from_args(args: argparse.Namespace):
    """The app's EventFilter for the CLI flags."""
    from timeline.filters import EventFilter

    start = parse_bound(args.start, end=False, flag="--from")
    end = parse_bound(args.end, end=True, flag="--to")
    if start and end and start > end:
        raise UserError(f"--from {args.start} is after --to {args.end}")
    return EventFilter(
        actors=tuple(args.actor), leaders=tuple(args.leader), countries=tuple(c.upper() for c in args.country),
        sources=tuple(args.source), types=tuple(args.type), modalities=tuple(args.modality),
        start=start, end=end, text=args.text or "", include_undated=not args.no_undated,
        min_salience=_min_salience(args),
    )


def _min_salience(args: argparse.Namespace) -> float:
    """Images and story show what the timeline shows (the salient events) unless ``--all``;
    data exports (``events``) give everything unless ``--salient``."""
    from timeline.nlp.salience import DEFAULT_MIN_SALIENCE

    if getattr(args, "salient_default", False):
        return 0.0 if args.all else DEFAULT_MIN_SALIENCE
    return DEFAULT_MIN_SALIENCE if getattr(args, "salient", False) else 0.0


def add_filter_arguments(p: argparse.ArgumentParser, salient_default: bool = False) -> None:
    """The app's filters as flags (read back by :func:`filter_from_args`); shared with ``events``.
    ``salient_default``: the command shows the timeline-worthy events unless ``--all``."""
    f = p.add_argument_group("filters (the app's; repeat a flag to allow several values)")
    p.set_defaults(salient_default=salient_default)
    if salient_default:
        f.add_argument("--all", action="store_true",
                       help="minor and undated events too (default: the timeline-worthy ones, as the app shows)")
    else:
        f.add_argument("--salient", action="store_true",
                       help="only the timeline-worthy events (the app's default view)")
    f.add_argument("--actor", action="append", default=[], metavar="NAME", help="actor name or id")
    f.add_argument("--leader", action="append", default=[], metavar="NAME", help="leader name or id")
    f.add_argument("--country", action="append", default=[], metavar="ISO", help="ISO alpha-3 country")
    f.add_argument("--source", action="append", default=[], metavar="S", help="outlet")
    f.add_argument("--type", action="append", default=[], metavar="T", help="event type")
    f.add_argument("--modality", action="append", default=[], metavar="M", help="modality")
    f.add_argument("--from", dest="start", metavar="YYYY[-MM[-DD]]", help="window start")
    f.add_argument("--to", dest="end", metavar="YYYY[-MM[-DD]]", help="window end (inclusive: 2024-06 is through 30 June)")
    f.add_argument("--text", metavar="Q", help="words the title or evidence must contain")
    f.add_argument("--no-undated", action="store_true", help="leave out events without a date")


def resolve_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    fmt = _SUFFIX.get(Path(args.out).suffix.lower())
    if not fmt:
        raise UserError(f"cannot tell the format from {args.out!r}: pass --format ({'|'.join(FORMATS)})")
    return fmt


def run(args: argparse.Namespace) -> int:
    from timeline.export import export_view
    from timeline.export.data import STREAM_FORMATS
    from timeline.frame import load_frames
    from timeline.store import Store, default_db_path

    fmt = resolve_format(args)
    flt = filter_from_args(args)
    db = Path(args.db) if args.db else default_db_path()
    if not db.exists():
        raise UserError(f"no store at {db}: create it with `python -m timeline ingest FILES --db {db}` "
                        f"and `python -m timeline extract --db {db}`, or pass --db FILE")
    if fmt == "semeval-timeline":
        return _run_semeval(args, flt, db)
    if args.entity or args.entities:
        raise UserError("--entity/--entities go with --format semeval-timeline")
    if fmt in STREAM_FORMATS:
        return _run_streamed(args, flt, db, fmt)
    with Store(db, read_only=True) as store:
        frames = load_frames(store)
    data, view = export_view(
        frames, flt, fmt, lanes=args.lanes, labels=not args.no_labels, width=args.width, height=args.height, scale=args.scale,
        title=args.title, max_marks=args.max_marks, generated=dt.date.today(),
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"wrote {out} ({fmt}, {len(view.events):,} of {len(frames.events):,} events, {len(data):,} bytes)")
    return 0


CHUNK = 5000  # events per chunk of a streamed data export


def _run_streamed(args: argparse.Namespace, flt, db: Path, fmt: str) -> int:
    """CSV/JSON/Parquet a chunk of events at a time (stored order, type/modality/window
    filtered in DuckDB, the rest per chunk), into a partial file renamed when complete:
    memory does not grow with the store, and the bytes are ``data_bytes``'s."""
    import os

    from timeline.export import default_title
    from timeline.export.data import write_data
    from timeline.filters import filter_events
    from timeline.frame import load_frames
    from timeline.store import Store

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    try:
        with Store(db, read_only=True) as store, open(part, "wb") as fh:
            total = store.count("events")
            chunks = (filter_events(load_frames(store, ids), flt) for ids in store.event_id_chunks(
                CHUNK, types=flt.types, modalities=flt.modalities, start=flt.start, end=flt.end,
                include_undated=flt.include_undated, display_order=False))
            n = write_data(chunks, fmt, fh, title=args.title or default_title(flt))
    except BaseException:
        part.unlink(missing_ok=True)  # never a half-written file
        raise
    os.replace(part, out)
    print(f"wrote {out} ({fmt}, {n:,} of {total:,} events, {out.stat().st_size:,} bytes)")
    return 0


def _run_semeval(args: argparse.Namespace, flt, db: Path) -> int:
    """Track A timelines, one file per entity, in the folder ``--out``."""
    from timeline.export.semeval import read_entities, write_timelines
    from timeline.filters import filter_events
    from timeline.frame import load_frames
    from timeline.store import Store

    entities = list(args.entity) + (read_entities(args.entities) if args.entities else [])
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: semeval-timeline writes one file per entity into a folder, and this is a file")
    with Store(db, read_only=True) as store:
        kept = set(filter_events(load_frames(store), flt).events["id"].astype(str))
        paths = write_timelines(store, entities, out, kept)
    lines = sum(max(0, len(p.read_text(encoding="utf-8").splitlines()) - 1) for p in paths)
    print(f"wrote {len(paths)} timeline(s) to {out} (semeval-timeline, {lines:,} event lines)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the filtered timeline: image, HTML or data",
                       description="Export the filtered timeline (same filters and figure as the app) "
                                   "as PNG/SVG/PDF, self-contained HTML, CSV/JSON/Parquet, TimelineJS JSON, or the "
                                   "story view (events as cards in date order) as HTML or PDF.")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from --out's suffix)")
    p.add_argument("--out", required=True, metavar="FILE", help="file to write")
    p.add_argument("--db", metavar="FILE", help="store to read (default: $TIMELINE_DB or data/timeline.duckdb)")
    t = p.add_argument_group("semeval-timeline (SemEval-2015 Task 4 Track A: one file per entity, --out is a folder)")
    t.add_argument("--entity", action="append", default=[], metavar="NAME", help="target entity (repeatable)")
    t.add_argument("--entities", metavar="FILE", help="file with one target entity per line")
    add_filter_arguments(p, salient_default=True)
    v = p.add_argument_group("figure")
    v.add_argument("--lanes", choices=LANES, default="actor")
    v.add_argument("--no-labels", action="store_true",
                   help="leave event titles off the chart (default: the most salient are labelled)")
    v.add_argument("--width", type=int, default=1400, help="pixels (default 1400)")
    v.add_argument("--height", type=int, help="pixels (default: fits the lanes and caption)")
    v.add_argument("--scale", type=float, default=2.0, help="pixel multiplier for PNG (default 2)")
    v.add_argument("--title", help="chart/file title (default: from the filters)")
    v.add_argument("--max-marks", type=int, default=3000, help="aggregate above this many marks")
    p.set_defaults(func=run)
