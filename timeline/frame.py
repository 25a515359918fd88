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
import gc
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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

    def mention_columns(self, columns: Sequence[str]) -> pd.DataFrame:
        """Some columns of every mention of these frames (all that the text filter or a count
        needs: a store-backed ``LazyFrames`` reads only these)."""
        return self.mentions[list(columns)]

    def mentions_of(self, event_ids: Iterable[str]) -> pd.DataFrame:
        """The mentions of some of these frames' events (the evidence of one event, the claims
        of the conflicts in view)."""
        from timeline.filters import isin

        return self.mentions.loc[isin(self.mentions["event_id"], list(event_ids))]

    def narrowed(self, events: pd.DataFrame, actors: pd.DataFrame) -> Frames:
        """These frames cut down to ``events`` (a subset) with ``actors``, and the mentions of
        those events; documents stay whole."""
        return replace(self, events=events, actors=actors, mentions=self.mentions_of(events["id"]))


class StoredMentions:
    """The mentions of some events (all when ``event_ids`` is None), read from a store on
    first use and then kept (those of some events only: a cached whole store's frames must
    not grow by every mention because one view read them). ``read(event_ids, columns)`` gives them as an Arrow table
    (``Store.mention_table`` in a short-lived read-only connection)."""

    def __init__(self, read: Callable[[list[str] | None, list[str] | None], pa.Table],
                 event_ids: list[str] | None = None, loaded: pd.DataFrame | None = None):
        self._read, self._ids, self._frame = read, event_ids, loaded

    def frame(self) -> pd.DataFrame:
        if self._frame is not None:
            return self._frame
        frame = _from_arrow(self._read(self._ids, None), MENTION_COLUMNS)
        if self._ids is not None:  # a view's own mentions; every mention of the store is never kept
            self._frame = frame
        return frame

    def columns(self, columns: Sequence[str]) -> pd.DataFrame:
        if self._frame is not None:
            return self._frame[list(columns)]
        return _from_arrow(self._read(self._ids, list(columns)), {c: MENTION_COLUMNS[c] for c in columns})

    def of(self, event_ids: Iterable[str]) -> StoredMentions:
        """The mentions of some of these events (filtered here once they are read)."""
        ids = event_ids.tolist() if hasattr(event_ids, "tolist") else [str(i) for i in event_ids]
        if self._frame is not None:
            from timeline.filters import isin

            return StoredMentions(self._read, ids, self._frame.loc[isin(self._frame["event_id"], ids)])
        return StoredMentions(self._read, ids)


class LazyFrames(Frames):
    """Frames whose mentions stay in the store until something reads them: the app's view of
    a big store holds events, actors and documents, and a filtered view reads the mentions
    of its own events only when it shows them (evidence, claims, story, exports). Equal to
    ``load_frames``' frames wherever it is read; ``mentions`` may be given as a
    ``StoredMentions``."""

    @property
    def mentions(self) -> pd.DataFrame:
        return self._source.frame()

    @mentions.setter
    def mentions(self, value: pd.DataFrame | StoredMentions) -> None:  # the dataclass __init__
        source = value if isinstance(value, StoredMentions) else StoredMentions(_no_store, None, value)
        object.__setattr__(self, "_source", source)

    def mention_columns(self, columns: Sequence[str]) -> pd.DataFrame:
        return self._source.columns(columns)

    def mentions_of(self, event_ids: Iterable[str]) -> pd.DataFrame:
        return self._source.of(event_ids).frame()

    def narrowed(self, events: pd.DataFrame, actors: pd.DataFrame) -> Frames:
        return LazyFrames(events=events, actors=actors, mentions=self._source.of(events["id"]),
                          documents=self.documents)


def _no_store(_ids, _columns):  # a LazyFrames built from frames in memory never reads
    raise AssertionError("no store behind these frames")


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


def lazy_frames(store, read_mentions: Callable[[list[str] | None, list[str] | None], pa.Table]) -> LazyFrames:
    """``load_frames(store)`` with the mentions left in the store: ``read_mentions(event_ids,
    columns)`` reads them when a view needs them (e.g. ``Store.mention_table`` through a
    fresh read-only connection)."""
    events, actors, _, documents = store.frame_tables(with_mentions=False)
    return LazyFrames(events=_from_arrow(events, EVENT_COLUMNS), actors=_from_arrow(actors, ACTOR_COLUMNS),
                      mentions=StoredMentions(read_mentions), documents=_from_arrow(documents, DOCUMENT_COLUMNS))


def load_frames(store, event_ids: list[str] | None = None) -> Frames:
    """The four frames from a store (documents without their text): joined and aggregated in
    DuckDB (``Store.frame_tables``), typed column by column from Arrow. The same frames as
    ``frames_from_tables`` of the raw tables, without a Python object per row. ``event_ids``:
    only those events (in that order) with their actors, mentions and cited documents."""
    events, actors, mentions, documents = store.frame_tables(event_ids)
    return Frames(events=_from_arrow(events, EVENT_COLUMNS), actors=_from_arrow(actors, ACTOR_COLUMNS),
                  mentions=_from_arrow(mentions, MENTION_COLUMNS),
                  documents=_from_arrow(documents, DOCUMENT_COLUMNS))


def _python_lists(col: pa.ChunkedArray) -> np.ndarray:
    """A list column as an object array of Python lists ([] for NULL), every distinct string
    one object (a name repeated in 100,000 events is stored once)."""
    arr = col.combine_chunks()
    flat = pc.list_flatten(arr).dictionary_encode()
    words = flat.dictionary.to_pylist()
    items = [words[i] if i is not None else None for i in flat.indices.to_pylist()]
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    gc_was_on = gc.isenabled()
    gc.disable()  # a million small lists would set off collections that walk the whole heap
    try:
        lists = [items[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    finally:
        if gc_was_on:
            gc.enable()
    return pd.Series(lists, dtype="object").values


def _from_arrow(table: pa.Table, columns: dict[str, str]) -> pd.DataFrame:
    """An Arrow table -> a frame with exactly ``columns`` typed as ``_typed`` types them
    (missing -> NaT/False/0/<NA>, lists as Python lists, [] for NULL)."""
    if table.num_rows == 0:
        return empty_frame(columns)
    table = table.combine_chunks()  # DuckDB hands over ~2,000-row batches: a take across them is slow
    data = {}
    for name, dtype in columns.items():
        col = table.column(name)
        if dtype == "datetime64[s]":
            if pa.types.is_timestamp(col.type):
                col = col.cast(pa.timestamp("s"))
            data[name] = col.to_numpy().astype("datetime64[s]")
        elif dtype == "object":
            data[name] = _python_lists(col)
        elif dtype == "bool":
            data[name] = pc.fill_null(col, False).to_numpy()
        elif dtype == "int64":
            data[name] = pc.fill_null(col.cast(pa.int64()), 0).to_numpy()
        elif dtype == "Int64":
            data[name] = pd.array(col.cast(pa.int64()).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get),
                                  dtype="Int64")
        elif dtype == "float64":
            data[name] = col.cast(pa.float64()).to_numpy()
        else:
            data[name] = pd.arrays.ArrowStringArray(col.cast(pa.large_string()) if pa.types.is_large_string(
                col.type) else col.cast(pa.string()))
    return pd.DataFrame(data, index=pd.RangeIndex(table.num_rows))
