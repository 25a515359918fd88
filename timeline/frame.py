"""The event frame: the one table every view and export is built from.

Schema (one row per reconciled event) — column: dtype — meaning
  id: string            stable event id
  title: string         short extractive title
  type: string          event type (see timeline.model.EventType)
  modality: string      occurred | proposed | planned | refused | reported
  start: datetime64[s]  first day covered (inclusive); NaT = undated
  end: datetime64[s]    last day covered (inclusive); NaT = undated
  precision: string     day | week | month | quarter | season | half | year | decade | century; <NA> = undated
  value: string         TIMEX3 value as resolved (2024-06, 2024-W45, 2022 ...)
  mod: string           START | MID | END | APPROX | ... or <NA>
  date_text: string     the expression as written in the (first) evidence ("in June of last year")
  actors: object        list[str] of canonical actor names
  actor_ids: object     list[str] of actor ids (gazetteer ids, or "?name" for unresolved)
  countries: object     list[str] ISO alpha-3
  n_sources: int64      distinct sources (outlets) that mention the event
  sources: object       list[str] of source names
  n_mentions: int64
  conflict: bool        sources give incompatible dates
  conflict_note: string human sentence describing the conflict, <NA> if none
  confidence: float64   0..1
  salience: float64     0..1 timeline-worthiness (timeline.nlp.salience); the default view
                        shows events at or above DEFAULT_MIN_SALIENCE

``datetime64[s]`` covers years 1..9999 (a 1654 treaty, a 2300 projection) where
``datetime64[ns]`` would overflow before 1678.

Companion tables:
  actors frame (long): event_id, actor_id, name, role, country, kind, resolved, is_leader
  mentions frame: id, event_id, doc_id, source, published, title, sentence, sent_start, sent_end,
      trigger, type, modality, timex_text, value, start, end, precision, date_source,
      explanation, confidence
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from timeline.model import DatedClaim, Document, Event, EventActor, EventMention



def _leader_offices() -> frozenset[str]:
    """Offices that make a person a leader for the leader filter: the gazetteer's political
    roles and the heads of organisations (``leader_offices`` in timeline/nlp/resources)."""
    from timeline.gazetteer import LEADER_ROLES
    from timeline.nlp.entities import actor_lexicon

    return LEADER_ROLES | actor_lexicon().leader_offices

EVENT_COLUMNS: dict[str, str] = {
    "id": "string",
    "title": "string",
    "type": "string",
    "modality": "string",
    "start": "datetime64[s]",
    "end": "datetime64[s]",
    "precision": "string",
    "value": "string",
    "mod": "string",
    "date_text": "string",
    "actors": "object",
    "actor_ids": "object",
    "countries": "object",
    "n_sources": "int64",
    "sources": "object",
    "n_mentions": "int64",
    "conflict": "bool",
    "conflict_note": "string",
    "confidence": "float64",
    "salience": "float64",
}

ACTOR_COLUMNS: dict[str, str] = {
    "event_id": "string",
    "actor_id": "string",
    "name": "string",
    "role": "string",
    "country": "string",
    "kind": "string",
    "resolved": "bool",
    "is_leader": "bool",
    "office": "string",
}

MENTION_COLUMNS: dict[str, str] = {
    "id": "string",
    "event_id": "string",
    "doc_id": "string",
    "source": "string",
    "published": "datetime64[s]",
    "title": "string",
    "sentence": "string",
    "sent_start": "int64",
    "sent_end": "int64",
    "trigger": "string",
    "type": "string",
    "modality": "string",
    "timex_text": "string",
    "value": "string",
    "start": "datetime64[s]",
    "end": "datetime64[s]",
    "precision": "string",
    "date_source": "string",
    "explanation": "string",
    "confidence": "float64",
    # provenance (exports cite each mention by these): the document's own id, the
    # sentence's position in ``timeline.events.doc_sentences`` and character offsets
    "external_id": "string",
    "sentence_index": "Int64",
    "trigger_start": "Int64",
    "trigger_end": "Int64",
    "timex_start": "Int64",
    "timex_end": "Int64",
}

#: Documents frame (one row per stored document; no text, so it stays small).
DOCUMENT_COLUMNS: dict[str, str] = {
    "id": "string",
    "title": "string",
    "source": "string",
    "published": "datetime64[s]",
    "url": "string",
    "origin": "string",
    "n_chars": "int64",
    "ext_id": "string",  # the source's own id (TimeML DOCID, a record's "id")
}


@dataclass(frozen=True)
class Frames:
    """The four tables every view, filter and export works on.

    Frozen so a cached instance cannot be mutated by one view behind another's back;
    filters return a new ``Frames``.
    """

    events: pd.DataFrame
    actors: pd.DataFrame
    mentions: pd.DataFrame
    documents: pd.DataFrame


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """A zero-row frame with exactly ``columns`` and their dtypes."""
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def empty_frames() -> Frames:
    """Frames with no rows but the documented schema (an empty store, a filter that matches nothing)."""
    return Frames(
        events=empty_frame(EVENT_COLUMNS),
        actors=empty_frame(ACTOR_COLUMNS),
        mentions=empty_frame(MENTION_COLUMNS),
        documents=empty_frame(DOCUMENT_COLUMNS),
    )


# -- rows: objects -> store-shaped tables ---------------------------------------------
# The same row builders feed the store (pipeline) and ``frames_from_events`` (no DB),
# and ``frames_from_tables`` turns store-shaped tables into the documented frames, so
# both paths give identical frames.


def _actor_dict(a: EventActor) -> dict:
    return {"actor_id": a.actor_id, "name": a.name, "role": a.role, "country": a.country,
            "kind": a.kind, "resolved": a.resolved, "office": a.office}


def _timex_explanation(m: EventMention) -> str | None:
    return m.timex.explanation if m.timex is not None else None


def mention_rows(mentions: Iterable[EventMention], event_of: dict[str, str]) -> pd.DataFrame:
    """event_mentions table rows (see store migration 2)."""
    rows = []
    for m in mentions:
        t = m.timex
        rows.append({
            "id": m.id, "doc_id": m.doc_id, "event_id": event_of.get(m.id),
            "sent_start": m.sent_start, "sent_end": m.sent_end, "sentence": m.sentence,
            "trigger": m.trigger, "type": m.type, "modality": m.modality, "title": m.title,
            "timex_text": t.text if t else None, "timex_start": t.start if t else None,
            "timex_end": t.end if t else None, "value": t.value if t else None,
            "mod": t.mod if t else None, "start": t.range_start if t else None,
            "end": t.range_end if t else None, "precision": t.granularity if t else None,
            "date_source": m.date_source, "explanation": _timex_explanation(m),
            "actors": json.dumps([_actor_dict(a) for a in m.actors]), "confidence": m.confidence,
            "salience": m.salience, "clause": m.clause, "trigger_start": m.trigger_start,
            "trigger_end": m.trigger_end, "sentence_index": m.sentence_index,
        })
    return _with_columns(rows, _MENTION_ROW_COLUMNS)


def event_rows(events: Iterable[Event]) -> pd.DataFrame:
    rows = []
    for e in events:
        rows.append({
            "id": e.id, "title": e.title, "type": e.type, "modality": e.modality,
            "start": e.start, "end": e.end, "precision": e.precision, "value": e.value, "mod": e.mod,
            "actors": [a.name for a in e.actors],
            "countries": sorted({a.country for a in e.actors if a.country}),
            "n_sources": e.n_sources, "sources": list(dict.fromkeys(e.sources)),
            "conflict": e.conflict, "conflict_note": e.conflict_note,
            "claims": json.dumps([_claim_dict(c) for c in e.claims]), "confidence": e.confidence,
            "salience": e.salience,
        })
    return _with_columns(rows, _EVENT_ROW_COLUMNS)


def event_actor_rows(events: Iterable[Event], is_leader: Callable[[str | None, dt.date | None], bool]) -> pd.DataFrame:
    leader_offices = _leader_offices()
    rows = []
    for e in events:
        for a in e.actors:
            rows.append({
                "event_id": e.id, "actor_id": a.actor_id, "name": a.name, "role": a.role,
                "country": a.country, "kind": a.kind, "resolved": a.resolved, "office": a.office,
                "is_leader": bool(a.kind == "person" and (
                    a.office in leader_offices or (a.actor_id and is_leader(a.actor_id, e.start)))),
            })
    return _with_columns(rows, list(ACTOR_COLUMNS))


def _claim_dict(c: DatedClaim) -> dict:
    return {"doc_id": c.doc_id, "source": c.source, "value": c.value,
            "range_start": c.range_start.isoformat() if c.range_start else None,
            "range_end": c.range_end.isoformat() if c.range_end else None,
            "granularity": c.granularity, "text": c.text, "sentence": c.sentence}


_MENTION_ROW_COLUMNS = [
    "id", "doc_id", "event_id", "sent_start", "sent_end", "sentence", "trigger", "type", "modality",
    "title", "timex_text", "timex_start", "timex_end", "value", "mod", "start", "end", "precision",
    "date_source", "explanation", "actors", "confidence", "salience", "clause", "trigger_start",
    "trigger_end", "sentence_index",
]
_EVENT_ROW_COLUMNS = [
    "id", "title", "type", "modality", "start", "end", "precision", "value", "mod", "actors",
    "countries", "n_sources", "sources", "conflict", "conflict_note", "claims", "confidence", "salience",
]


def _with_columns(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("start", "end"):  # keep python dates (object): years 1..9999 survive into DuckDB DATE
        if col in frame:
            frame[col] = pd.Series([r.get(col) for r in rows], dtype="object", index=frame.index)
    return frame


# -- store-shaped tables -> frames ----------------------------------------------------


def to_seconds(values: Iterable[object]) -> pd.Series:
    """Dates (python date, numpy/pandas datetime, None) -> ``datetime64[s]`` (1654 and 2300 fine)."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
            out.append(np.datetime64("NaT", "s"))
        elif isinstance(v, dt.datetime):
            out.append(np.datetime64(v.replace(tzinfo=None), "s"))
        elif isinstance(v, dt.date):
            out.append(np.datetime64(v, "D").astype("datetime64[s]"))
        else:
            out.append(np.datetime64(pd.Timestamp(v).to_datetime64(), "s") if not pd.isna(v) else np.datetime64("NaT", "s"))
    return pd.Series(np.array(out, dtype="datetime64[s]"))


def _as_list(v: object) -> list:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return []
    return [x for x in list(v)]  # numpy arrays from DuckDB -> plain lists


def _typed(data: dict[str, list], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(index=range(len(next(iter(data.values()))) if data else 0))
    for name, dtype in columns.items():
        values = data[name]
        if dtype == "datetime64[s]":
            frame[name] = to_seconds(values).values
        elif dtype == "object":
            frame[name] = pd.Series(values, dtype="object").values
        elif dtype == "bool":
            frame[name] = pd.Series([bool(v) if v is not None and not pd.isna(v) else False for v in values], dtype="bool").values
        elif dtype == "int64":
            frame[name] = pd.Series([int(v) if v is not None and not pd.isna(v) else 0 for v in values], dtype="int64").values
        elif dtype == "Int64":  # nullable: an unknown offset stays unknown, never 0
            frame[name] = pd.array([int(v) if v is not None and not pd.isna(v) else None for v in values], dtype="Int64")
        elif dtype == "float64":
            frame[name] = pd.Series(values, dtype="float64").values
        else:
            frame[name] = pd.Series([None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values], dtype=dtype).values
    return frame


def _records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or df.empty:
        return []
    return df.astype(object).where(df.notna(), None).to_dict("records")


def frames_from_tables(events: pd.DataFrame, event_actors: pd.DataFrame, mentions: pd.DataFrame,
                       documents: pd.DataFrame) -> Frames:
    """Store-shaped tables (as read from DuckDB, or built by the row builders) -> Frames."""
    ev, ea, me, docs = _records(events), _records(event_actors), _records(mentions), _records(documents)
    doc_by_id = {d["id"]: d for d in docs}
    actors_by_event: dict[str, list[dict]] = {}
    for a in ea:
        actors_by_event.setdefault(a["event_id"], []).append(a)
    mentions_by_event: dict[str, list[dict]] = {}
    for m in me:
        mentions_by_event.setdefault(m["event_id"], []).append(m)

    def actor_id(a: dict) -> str:
        return a["actor_id"] or "?" + str(a["name"])

    def date_text(e: dict) -> str | None:
        ms = sorted(mentions_by_event.get(e["id"], []), key=lambda m: (m["value"] != e["value"], m["doc_id"], m["sent_start"]))
        return next((m["timex_text"] for m in ms if m["timex_text"]), None)

    ev_cols = {name: [] for name in EVENT_COLUMNS}
    for e in ev:
        acts = actors_by_event.get(e["id"], [])
        row = {
            **{k: e.get(k) for k in EVENT_COLUMNS if k in e},
            "date_text": date_text(e),
            "actors": [a["name"] for a in acts] or _as_list(e.get("actors")),
            "actor_ids": [actor_id(a) for a in acts],
            "countries": _as_list(e.get("countries")),
            "sources": _as_list(e.get("sources")),
            "n_mentions": len(mentions_by_event.get(e["id"], [])),
        }
        for k in EVENT_COLUMNS:
            ev_cols[k].append(row.get(k))
    act_cols = {name: [] for name in ACTOR_COLUMNS}
    for a in ea:
        row = {**a, "actor_id": actor_id(a)}
        for k in ACTOR_COLUMNS:
            act_cols[k].append(row.get(k))
    men_cols = {name: [] for name in MENTION_COLUMNS}
    for m in me:
        d = doc_by_id.get(m["doc_id"], {})
        row = {**m, "source": d.get("source"), "published": d.get("published"), "external_id": d.get("ext_id")}
        for k in MENTION_COLUMNS:
            men_cols[k].append(row.get(k))
    doc_cols = {name: [d.get(name) for d in docs] for name in DOCUMENT_COLUMNS}
    return Frames(
        events=_typed(ev_cols, EVENT_COLUMNS) if ev else empty_frame(EVENT_COLUMNS),
        actors=_typed(act_cols, ACTOR_COLUMNS) if ea else empty_frame(ACTOR_COLUMNS),
        mentions=_typed(men_cols, MENTION_COLUMNS) if me else empty_frame(MENTION_COLUMNS),
        documents=_typed(doc_cols, DOCUMENT_COLUMNS) if docs else empty_frame(DOCUMENT_COLUMNS),
    )


def document_rows(docs: Iterable[Document]) -> pd.DataFrame:
    rows = [{"id": d.id, "title": d.title, "source": d.source, "published": d.published,
             "url": d.url, "origin": d.origin, "n_chars": len(d.text)} for d in docs]
    return pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))


def frames_from_events(events: Iterable[Event], mentions: Iterable[EventMention],
                       docs: dict[str, Document] | Iterable[Document], gazetteer=None) -> Frames:
    """Frames straight from objects, without a database (tests, the upload preview)."""
    events = list(events)
    doc_list = list(docs.values()) if isinstance(docs, dict) else list(docs)
    event_of = {mid: e.id for e in events for mid in e.mention_ids}
    is_leader = gazetteer.is_leader if gazetteer is not None else (lambda _id, _on: False)
    return frames_from_tables(
        event_rows(events), event_actor_rows(events, is_leader), mention_rows(mentions, event_of),
        document_rows(doc_list),
    )


def load_frames(store) -> Frames:
    """The four frames from a store (documents without their text)."""
    docs = store.documents(with_text=False)
    return frames_from_tables(store.table("events"), store.table("event_actors"),
                              store.table("event_mentions"), docs)
