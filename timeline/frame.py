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

``datetime64[s]`` covers years 1..9999 (a 1654 treaty, a 2300 projection) where
``datetime64[ns]`` would overflow before 1678.

Companion tables:
  actors frame (long): event_id, actor_id, name, role, country, kind, resolved, is_leader
  mentions frame: id, event_id, doc_id, source, published, title, sentence, sent_start, sent_end,
      trigger, type, modality, timex_text, value, start, end, precision, date_source,
      explanation, confidence
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
