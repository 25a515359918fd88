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
