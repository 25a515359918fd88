"""Timeline-worthiness: how likely a reader would put an event on the article's timeline.

A score in [0, 1] from what the extraction knows, each term a plain reason:
  clause     the article's main statement (main clause) > a reported clause > a subordinate one
  date       its own time expression > the publication day or the narrative's date > undated
  precision  a day > a week or month > a quarter or year
  actors     named actors (up to two count)
  type       actions over statements ("said" is rarely a timeline entry of its own)
  modality   something that happened over something planned, proposed or refused
  sources    an event told by several sources (added after reconciliation)
The weights are round numbers set by reading timelines, not fitted to a gold file; the
threshold the timeline uses by default is ``DEFAULT_MIN_SALIENCE``.
"""
from __future__ import annotations

import math
from dataclasses import replace

from timeline.model import Event, EventMention

DEFAULT_MIN_SALIENCE = 0.5

_CLAUSE = {"main": 0.25, "reported": 0.1, "subordinate": 0.05}
_DATE = {"same_clause": 0.2, "publication": 0.1, "narrative": 0.1, "reported": 0.05, "none": 0.0}
_PRECISION = {"time": 0.15, "day": 0.15, "week": 0.1, "month": 0.1, "season": 0.05, "quarter": 0.05,
              "half": 0.05, "year": 0.03}
_MODALITY = {"occurred": 0.0, "reported": -0.03, "planned": -0.05, "proposed": -0.05, "refused": -0.05}


def mention_salience(m: EventMention) -> float:
    s = 0.15 + _CLAUSE.get(m.clause, 0.05) + _DATE.get(m.date_source, 0.0)
    if m.timex is not None:
        s += _PRECISION.get(m.timex.granularity or "", 0.0)
    named = [a for a in m.actors if a.actor_id and a.role != "mentioned"]
    s += 0.1 * min(len(named), 2)
    s += -0.1 if m.type == "statement" else 0.05 if m.type != "other" else 0.0
    s += _MODALITY.get(m.modality, 0.0)
    if m.date_source == "reported":
        s = min(s, DEFAULT_MIN_SALIENCE - 0.05)  # "X said" in the body: one click away
    return round(max(0.0, min(1.0, s)), 3)


def with_salience(m: EventMention) -> EventMention:
    return replace(m, salience=mention_salience(m))


def event_salience(e: Event, mentions: dict[str, EventMention]) -> float:
    own = [mentions[i].salience for i in e.mention_ids if i in mentions]
    s = max(own) if own else 0.0
    s += 0.1 * math.log2(max(1, e.n_sources))
    if e.start is None:
        s = min(s, DEFAULT_MIN_SALIENCE - 0.05)  # undated: one click away, never on the default axis
    return round(max(0.0, min(1.0, s)), 3)


def with_event_salience(events: list[Event], mentions: list[EventMention]) -> list[Event]:
    by_id = {m.id: m for m in mentions}
    return [replace(e, salience=event_salience(e, by_id)) for e in events]
