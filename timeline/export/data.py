"""The filtered events as open data: CSV, JSON, Parquet and TimelineJS JSON.

One row per event, each carrying its evidence (sentence, source, publication
date, document id). Dates are ISO strings that keep the event's precision: a
month-precision event has ``date == "2024-06"`` next to its covered interval
``start``/``end`` (2024-06-01, 2024-06-30), never a made-up day. Parquet keeps
real ``date32`` columns (years 1..9999, so the 1654 treaty survives).
CSV cells that a spreadsheet would run as a formula are neutralised (OWASP).
"""
from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, BinaryIO

import pandas as pd

from timeline.errors import UserError

DATA_FORMATS = ("csv", "json", "parquet", "timelinejs")
#: First characters that make Excel/LibreOffice/Sheets treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEP = "; "

EVENT_FIELDS = (
    "id", "title", "type", "modality", "date", "start", "end", "precision", "value", "mod",
    "date_text", "actors", "actor_ids", "countries", "n_sources", "sources", "n_mentions",
    "conflict", "conflict_note", "confidence",
)
#: One mention of an event, traceable to its words: the document (store id, its own id),
#: the sentence (position in the document's segmentation, character span), the trigger
#: word and the time expression (text and character offsets into the document text),
#: the date it gave and how it was anchored (``date_source``, ``date_explanation``).
EVIDENCE_FIELDS = ("sentence", "source", "published", "doc_id", "doc_title", "date_text",
                   "external_id", "sentence_index", "sent_start", "sent_end", "trigger", "trigger_start",
                   "trigger_end", "date_start", "date_end", "date_value", "date_source", "date_explanation")
#: evidence field -> the mentions frame's column it comes from
_EVIDENCE_COLUMN = {"date_text": "timex_text", "date_start": "timex_start", "date_end": "timex_end",
                    "date_value": "value", "date_explanation": "explanation"}
_EVIDENCE_INTS = ("sentence_index", "sent_start", "sent_end", "trigger_start", "trigger_end", "date_start", "date_end")


# -- small converters ---------------------------------------------------------------
def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "__array__"):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_date(value: Any) -> dt.date | None:
    """A ``datetime.date`` from a Timestamp/datetime64[s]/date/ISO string; None if missing."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _native(value: Any) -> Any:
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, str)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            pass
    return value


def _as_list(value: Any) -> list[str]:
    if _missing(value):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def date_label(start: dt.date | None, end: dt.date | None, precision: str | None,
               value: str | None = None) -> str | None:
    """ISO text at the event's precision: 2024-06-14, 2024-W45, 2024-06, 2024-Q2, 2024-H1, 2024.

    Coarser or irregular spans (seasons, decades, multi-month ranges) use the
    TIMEX3 value when there is one, else the ISO interval ``start/end``.
    """
    if start is None:
        return None
    end = end or start
    y = f"{start.year:04d}"
    same_year = start.year == end.year
    if precision in ("day", "time"):
        return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
    if precision == "week":
        iso = start.isocalendar()
        if (end - start).days <= 6:
            return f"{iso.year:04d}-W{iso.week:02d}"
    if precision == "month" and same_year and start.month == end.month:
        return f"{y}-{start.month:02d}"
    if precision == "quarter" and same_year and start.month % 3 == 1 and end.month == start.month + 2:
        return f"{y}-Q{(start.month - 1) // 3 + 1}"
    if precision == "half" and same_year and start.month in (1, 7) and end.month == start.month + 5:
        return f"{y}-H{1 if start.month == 1 else 2}"
    if precision == "year" and same_year:
        return y
    if value and re.fullmatch(r"[0-9X]{2,4}(-[0-9A-Z]{1,3}){0,2}", value):
        return value
    if precision == "month":
        return f"{y}-{start.month:02d}/{end.year:04d}-{end.month:02d}"
    if precision == "year":
        return f"{y}/{end.year:04d}"
    return f"{start.isoformat()}/{end.isoformat()}"


# -- the one export table -------------------------------------------------------------
def evidence_by_event(mentions: pd.DataFrame | None, documents: pd.DataFrame | None,
                      event_ids: set[str]) -> dict[str, list[dict]]:
    """Each event's mentions as ``EVIDENCE_FIELDS`` dicts, oldest publication first."""
    if mentions is None or not len(mentions):
        return {}
    doc_titles: dict[str, str] = {}
    if documents is not None and len(documents) and "id" in documents and "title" in documents:
        doc_titles = {str(i): t for i, t in zip(documents["id"], documents["title"]) if not _missing(t)}
    m = mentions[mentions["event_id"].isin(event_ids)]
    wanted = {"event_id", "published", "doc_id", *(_EVIDENCE_COLUMN.get(f, f) for f in EVIDENCE_FIELDS)}
    cols = {c: m[c].tolist() if c in m else [None] * len(m) for c in wanted}
    rows = []
    for i in range(len(m)):
        pub = to_date(cols["published"][i])
        ev: dict[str, Any] = {}
        for field in EVIDENCE_FIELDS:
            if field == "published":
                ev[field] = _iso(pub)
            elif field == "doc_title":
                ev[field] = doc_titles.get(str(cols["doc_id"][i]))
            else:
                value = _native(cols[_EVIDENCE_COLUMN.get(field, field)][i])
                ev[field] = int(value) if field in _EVIDENCE_INTS and value is not None else value
        rows.append((str(cols["event_id"][i]), pub or dt.date.max, ev["sent_start"] or 0, ev))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out: dict[str, list[dict]] = defaultdict(list)
    for event_id, _pub, _pos, ev in rows:
        out[event_id].append(ev)
    return out


def export_records(frames: Any) -> list[dict]:
    """One plain-Python dict per event (lists stay lists, dates are ISO strings), with evidence."""
    events: pd.DataFrame = frames.events
    evidence = evidence_by_event(getattr(frames, "mentions", None), getattr(frames, "documents", None),
                                  set(events["id"].astype(str)) if len(events) else set())
    columns = {c: events[c].tolist() if c in events else [None] * len(events) for c in EVENT_FIELDS}
    records = []
    for i in range(len(events)):
        start, end = to_date(columns["start"][i]), to_date(columns["end"][i])
        rec: dict[str, Any] = {}
        for field in EVENT_FIELDS:
            raw = columns[field][i]
            if field in ("actors", "actor_ids", "countries", "sources"):
                rec[field] = _as_list(raw)
            elif field == "start":
                rec[field] = _iso(start)
            elif field == "end":
                rec[field] = _iso(end)
            elif field == "date":
                rec[field] = date_label(start, end, _native(columns["precision"][i]),
                                        _native(columns["value"][i]))
            else:
                rec[field] = _native(raw)
        rec["evidence"] = evidence.get(str(rec["id"]), [])
        records.append(rec)
    return records


def documents_records(frames: Any, records: list[dict]) -> list[dict]:
    """The source documents the exported evidence cites (id, title, source, published, url)."""
    cited = {ev["doc_id"] for rec in records for ev in rec["evidence"] if ev["doc_id"]}
    docs = getattr(frames, "documents", None)
    if docs is None or not len(docs) or "id" not in docs:
        return [{"id": d} for d in sorted(cited)]
    out = []
    for row in docs[docs["id"].isin(cited)].to_dict("records"):
        out.append({
            "id": row.get("id"), "title": _native(row.get("title")), "source": _native(row.get("source")),
            "published": _iso(to_date(row.get("published"))), "url": _native(row.get("url")),
        })
    return sorted(out, key=lambda d: (d["published"] or "", d["id"]))


# -- CSV --------------------------------------------------------------------------------
def neutralise_cell(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would evaluate (=, +, -, @, tab, CR first)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _evidence_line(ev: dict) -> str:
    where = ", ".join(x for x in (ev["source"], ev["published"]) if x)
    return f"{ev['sentence'] or ''} [{where}; doc {ev['doc_id']}]" if where else f"{ev['sentence'] or ''} [doc {ev['doc_id']}]"


def csv_bytes(records: list[dict]) -> bytes:
    rows = []
    for rec in records:
        row = {k: (LIST_SEP.join(v) if isinstance(v, list) else v) for k, v in rec.items() if k != "evidence"}
        evs = rec["evidence"]
        row["evidence"] = "\n".join(_evidence_line(ev) for ev in evs)
        row["evidence_sources"] = LIST_SEP.join(sorted({ev["source"] for ev in evs if ev["source"]}))
        row["evidence_doc_ids"] = LIST_SEP.join(dict.fromkeys(ev["doc_id"] for ev in evs if ev["doc_id"]))
        row["evidence_json"] = evidence_json(evs)
        rows.append({k: neutralise_cell(v) for k, v in row.items()})
    columns = [*EVENT_FIELDS, "evidence", "evidence_sources", "evidence_doc_ids", "evidence_json"]
    frame = pd.DataFrame(rows, columns=columns)
    # UTF-8 with BOM: Excel otherwise reads accented names as mojibake.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def evidence_json(evidence: list[dict]) -> str:
    """The evidence list as one compact JSON cell (CSV keeps every provenance field)."""
    return json.dumps(evidence, ensure_ascii=False, separators=(",", ":"))


# -- Parquet ------------------------------------------------------------------------------
def parquet_schema():
    import pyarrow as pa

    text, texts = pa.string(), pa.list_(pa.string())
    evidence_type = pa.list_(pa.struct([
        (f, pa.date32() if f == "published" else pa.int64() if f in _EVIDENCE_INTS else text)
        for f in EVIDENCE_FIELDS
    ]))
    return pa.schema([
        ("id", text), ("title", text), ("type", text), ("modality", text), ("date", text),
        ("start", pa.date32()), ("end", pa.date32()), ("precision", text), ("value", text),
        ("mod", text), ("date_text", text), ("actors", texts), ("actor_ids", texts),
        ("countries", texts), ("n_sources", pa.int64()), ("sources", texts),
        ("n_mentions", pa.int64()), ("conflict", pa.bool_()), ("conflict_note", text),
        ("confidence", pa.float64()), ("evidence", evidence_type),
    ])


def parquet_table(records: list[dict]):
    import pyarrow as pa

    def as_dates(rec: dict) -> dict:
        out = dict(rec)
        out["start"], out["end"] = to_date(rec["start"]), to_date(rec["end"])
        out["evidence"] = [{**ev, "published": to_date(ev["published"])} for ev in rec["evidence"]]
        return out

    return pa.Table.from_pylist([as_dates(r) for r in records], schema=parquet_schema())


def parquet_bytes(records: list[dict]) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(parquet_table(records), sink)
    return sink.getvalue()


# -- TimelineJS ---------------------------------------------------------------------------
#: Fields documented at https://timeline.knightlab.com/docs/json-format.html (TimelineJS3);
#: ``unique_id`` is the slide id used by TimelineJS3's API (API.md: change/goTo events).
TIMELINEJS_TOP = ("events", "title", "eras", "scale")
TIMELINEJS_SLIDE = ("start_date", "end_date", "text", "media", "group", "display_date",
                    "background", "autolink", "unique_id")
TIMELINEJS_DATE = ("year", "month", "day", "hour", "minute", "second", "millisecond",
                   "display_date")
TIMELINEJS_TEXT = ("headline", "text")
_DAY_PRECISION = ("day", "time", "week")
_MONTH_PRECISION = ("month", "quarter", "season", "half")


def _tl_date(d: dt.date, precision: str | None) -> dict:
    out: dict[str, Any] = {"year": d.year}
    if precision in _DAY_PRECISION or precision in _MONTH_PRECISION:
        out["month"] = d.month
    if precision in _DAY_PRECISION:
        out["day"] = d.day
    return out


def _tl_span_needed(start: dt.date, end: dt.date, precision: str | None) -> bool:
    a, b = _tl_date(start, precision), _tl_date(end, precision)
    return a != b


def _unique_id(event_id: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_-]", "-", f"event-{event_id}")
    uid, n = base, 1
    while uid in used:
        n += 1
        uid = f"{base}-{n}"
    used.add(uid)
    return uid


def _tl_text(rec: dict) -> str:
    parts = []
    if rec.get("date_text"):
        parts.append(f"<p><strong>When:</strong> {html.escape(str(rec['date_text']))} ({html.escape(rec['date'] or '')})</p>")
    for ev in rec["evidence"]:
        cite = ", ".join(html.escape(x) for x in (ev["source"], ev["published"]) if x)
        parts.append(f"<blockquote>{html.escape(ev['sentence'] or '')}</blockquote><p><em>{cite}</em></p>")
    if not rec["evidence"] and rec["sources"]:
        parts.append(f"<p><em>{html.escape(', '.join(rec['sources']))}</em></p>")
    if rec.get("conflict") and rec.get("conflict_note"):
        parts.append(f"<p><strong>Sources disagree:</strong> {html.escape(str(rec['conflict_note']))}</p>")
    return "".join(parts)


def timelinejs_dict(records: list[dict], title: str | None = None) -> dict:
    """TimelineJS3 JSON: partial dates at the event's precision, group = first actor.

    TimelineJS cannot place an undated slide, so undated events are listed on
    the title slide instead of being dropped silently.
    """
    events, undated, used = [], [], set()
    for rec in records:
        start = to_date(rec["start"])
        if start is None:
            undated.append(rec)
            continue
        end = to_date(rec["end"]) or start
        prec = rec.get("precision")
        slide: dict[str, Any] = {
            "start_date": _tl_date(start, prec),
            "text": {"headline": html.escape(rec["title"] or ""), "text": _tl_text(rec)},
            "unique_id": _unique_id(str(rec["id"]), used),
        }
        if _tl_span_needed(start, end, prec):
            slide["end_date"] = _tl_date(end, prec)
        if rec["date"] and prec not in ("day", "time"):
            slide["display_date"] = rec["date"]
        if rec["actors"]:
            slide["group"] = rec["actors"][0]
        events.append(slide)
    n = len(events)
    intro = f"<p>{n} dated event{'s' if n != 1 else ''}.</p>"
    if undated:
        intro += (f"<p>{len(undated)} undated event{'s' if len(undated) != 1 else ''} cannot be placed on "
                  "the timeline:</p><ul>"
                  + "".join(f"<li>{html.escape(r['title'] or '')}</li>" for r in undated) + "</ul>")
    return {
        "title": {"text": {"headline": html.escape(title or "Event timeline"), "text": intro}},
        "events": events,
    }


# -- entry point ------------------------------------------------------------------------
def data_bytes(frames: Any, fmt: str, *, title: str | None = None) -> bytes:
    """The events of ``frames`` (already filtered) with evidence, as csv|json|parquet|timelinejs."""
    fmt = fmt.lower()
    if fmt not in DATA_FORMATS:
        raise UserError(f"unknown data format {fmt!r}: use one of {', '.join(DATA_FORMATS)}")
    records = export_records(frames)
    if fmt == "csv":
        return csv_bytes(records)
    if fmt == "parquet":
        return parquet_bytes(records)
    if fmt == "timelinejs":
        payload: Any = timelinejs_dict(records, title)
    else:
        payload = {"title": title, "events": records, "documents": documents_records(frames, records)}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


# -- streamed: chunk by chunk into a file -------------------------------------------------
#: data formats written a chunk at a time by :func:`write_data` (TimelineJS lists the
#: undated events on its title slide, so it is built whole)
STREAM_FORMATS = ("csv", "json", "parquet")


def _json_item(obj: Any, level: int) -> str:
    """``obj`` as ``json.dumps(..., indent=1)`` writes it at nesting ``level`` (no newline
    inside a JSON string, so every line is shifted alike)."""
    text = json.dumps([obj], ensure_ascii=False, indent=1)[2:-2]  # the item at level 1
    return text if level == 1 else "\n".join(" " * (level - 1) + line for line in text.split("\n"))


def write_data(chunks: Iterable[Any], fmt: str, fh: BinaryIO, *, title: str | None = None) -> int:
    """The events of ``chunks`` (filtered frames, one after another) into ``fh`` as
    csv|json|parquet, one chunk in memory at a time: the bytes :func:`data_bytes` gives
    for all the chunks' events at once (Parquet: the same table, a row group per chunk).
    Returns the number of events written."""
    fmt = fmt.lower()
    if fmt not in STREAM_FORMATS:
        raise UserError(f"{fmt!r} is not written in chunks: use one of {', '.join(STREAM_FORMATS)}")
    n, writer, cited = 0, None, {}
    if fmt == "json":
        fh.write(("{\n \"title\": " + json.dumps(title, ensure_ascii=False) + ",\n \"events\": [").encode("utf-8"))
    for frames in chunks:
        records = export_records(frames)
        if not records:
            continue
        if fmt == "csv":
            text = csv_bytes(records)
            fh.write(text if n == 0 else text.split(b"\r\n", 1)[1])  # BOM and header once
        elif fmt == "json":
            fh.write("".join(("\n" if n == 0 and i == 0 else ",\n") + _json_item(r, 2)
                             for i, r in enumerate(records)).encode("utf-8"))
            cited.update((d["id"], d) for d in documents_records(frames, records))
        else:
            import pyarrow.parquet as pq

            table = parquet_table(records)
            writer = writer or pq.ParquetWriter(fh, table.schema)
            writer.write_table(table)
        n += len(records)
    if fmt == "csv" and n == 0:
        fh.write(csv_bytes([]))
    elif fmt == "json":
        docs = sorted(cited.values(), key=lambda d: (d["published"] or "", d["id"]))
        fh.write((("]" if n == 0 else "\n ]") + ",\n \"documents\": [").encode("utf-8"))
        fh.write(("".join(("\n" if i == 0 else ",\n") + _json_item(d, 2) for i, d in enumerate(docs))
                  + ("\n ]" if docs else "]") + "\n}").encode("utf-8"))
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        if writer is None:
            pq.write_table(parquet_table([]), fh)
        else:
            writer.close()
    return n
