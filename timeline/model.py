"""The data model shared by every stage of the pipeline.

Plain frozen dataclasses, no behaviour beyond small helpers: each stage is a pure
function from these records to the next ones, so stages can be tested and run
(or distributed) independently. Dates are ``datetime.date`` (year 1..9999), never
``datetime64[ns]``: "the 1654 treaty" and "a 2300 projection" must survive.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

#: How precise a resolved date is. Ordered from finest to coarsest.
Granularity = Literal[
    "time", "day", "week", "month", "quarter", "season", "half", "year", "decade", "century"
]
GRANULARITY_ORDER: tuple[str, ...] = (
    "time", "day", "week", "month", "quarter", "season", "half", "year", "decade", "century"
)

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
#: How a timex was anchored: written out in full, against the publication date,
#: against an earlier date in the same text, or not at all (unresolved).
Anchor = Literal["absolute", "publication", "previous", "none"]

EventType = Literal[
    "statement", "call_meeting", "negotiation", "proposal", "demand", "refusal",
    "agreement", "threat", "military_action", "vote_referendum", "sanction", "aid_supply",
]
Modality = Literal["occurred", "proposed", "planned", "refused", "reported"]
ActorKind = Literal["person", "state", "organisation", "place"]
#: What kind of text a document is, when its metadata says so (None = detect automatically).
DocType = Literal["news", "narrative"]
DOC_TYPES: tuple[str, ...] = ("news", "narrative")


@dataclass(frozen=True)
class Document:
    """One article. ``id`` is a content hash of the normalised text (see ingest)."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None  # None = unknown: relative dates stay unresolved
    source: str | None = None  # the outlet
    url: str | None = None
    author: str | None = None
    language: str = "en"
    origin: str | None = None  # file path (or "upload:NAME") it came from
    doc_type: str | None = None  # DocType from front matter/fields/manifest; None = detect
    ext_id: str | None = None  # the source's own identifier (TimeML DOCID, a record's "id" field)
    #: the source's own sentence segmentation (TimeML ``<s>``) as JSON, else None (our splitter):
    #: ``[[sentence_id, start, end, [[token_start, token_end], ...]], ...]``, offsets into ``text``
    sentences: str | None = None


@dataclass(frozen=True)
class Timex:
    """A temporal expression found in text, TIMEX3-style.

    ``start``/``end`` are character offsets into the text (end exclusive).
    ``range_start``/``range_end`` are the inclusive dates the expression covers
    (None for durations, sets and unresolved expressions).
    ``ends`` is empty except for a range written with a dash ("1915-17", "26-30 November"):
    the product keeps it one expression with its interval, and ``ends`` holds its two
    endpoints as written (each a ``Timex`` with its own span and value: "1915", "17" ->
    1917), which a TimeML export writes as two TIMEX3, as TimeML annotates such ranges.
    """

    start: int
    end: int
    text: str
    type: TimexType
    value: str | None  # TIMEX3 value: 2024-11-15, 2024-06, 2024-W45, P2Y, PRESENT_REF...; None if unresolved
    mod: str | None = None  # START, MID, END, APPROX, MORE_THAN, LESS_THAN, ...
    range_start: dt.date | None = None
    range_end: dt.date | None = None
    granularity: str | None = None  # one of GRANULARITY_ORDER
    anchor: str = "absolute"  # Anchor
    rule: str = ""  # name of the rule that fired
    explanation: str = ""  # one human line: "'On Friday' -> 2024-11-15: ..."
    resolved: bool = True
    reason: str | None = None  # why unresolved, when resolved is False
    ends: tuple["Timex", ...] = ()  # a dash range's two endpoints as written (TimeML export only)


@dataclass(frozen=True)
class ActorMention:
    """A reference to an actor in a document (resolved to the gazetteer or not)."""

    doc_id: str
    start: int
    end: int
    text: str
    actor_id: str | None  # gazetteer id; None when unresolved
    name: str  # display name (canonical if resolved, the surface text otherwise)
    kind: str  # ActorKind
    country: str | None  # ISO 3166 alpha-3
    resolved: bool = True  # linked to the gazetteer
    via: str = "alias"  # alias | surname | title | metonym | demonym | pattern | ner | ner-linked | echo
    office: str | None = None  # role key of an open actor's office ("chief_executive"), from the text


@dataclass(frozen=True)
class EventActor:
    actor_id: str | None
    name: str
    role: str  # speaker | participant | target | agent | mentioned
    country: str | None
    kind: str
    resolved: bool = True
    office: str | None = None  # an open actor's office as the text gave it (leader filter)


@dataclass(frozen=True)
class EventMention:
    """One sentence-level mention of an event, with its evidence."""

    id: str  # stable: hash(doc_id, sent_start, trigger)
    doc_id: str
    sent_start: int
    sent_end: int
    sentence: str
    trigger: str
    type: str  # EventType
    modality: str  # Modality
    title: str
    actors: tuple[EventActor, ...] = ()
    timex: Timex | None = None  # None = undated
    date_source: str = "none"  # same_clause | narrative | publication | reported | none
    confidence: float = 0.5
    salience: float = 0.0  # timeline-worthiness in [0, 1] (timeline.nlp.salience)
    clause: str = "main"  # main | subordinate | reported
    trigger_start: int | None = None  # character offsets of ``trigger`` in the document text
    trigger_end: int | None = None
    sentence_index: int | None = None  # position of the sentence in ``timeline.events.doc_sentences``


@dataclass(frozen=True)
class DatedClaim:
    """What one source says about an event's date (used for conflicts)."""

    doc_id: str
    source: str | None
    value: str | None
    range_start: dt.date | None
    range_end: dt.date | None
    granularity: str | None
    text: str  # the timex as written
    sentence: str


@dataclass(frozen=True)
class Event:
    """A real-world event: one or more mentions reconciled across documents."""

    id: str
    title: str
    type: str
    modality: str
    start: dt.date | None
    end: dt.date | None
    precision: str | None  # granularity; None = undated
    value: str | None
    mod: str | None
    actors: tuple[EventActor, ...]
    mention_ids: tuple[str, ...]
    sources: tuple[str, ...]
    conflict: bool = False
    conflict_note: str | None = None
    claims: tuple[DatedClaim, ...] = field(default=())
    confidence: float = 0.5
    salience: float = 0.0

    @property
    def n_sources(self) -> int:
        return len(set(self.sources))
