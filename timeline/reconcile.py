"""Same real event, many mentions -> one ``Event``; disagreements kept as conflicts.

Local and order-independent: mentions are split into regions (``timeline.regions``:
one type group, one month of dates or of publication, linked by shared actors), each
region is clustered on its own (``reconcile_region``), then events of different regions
that are one story with near-miss dates are merged (``merge_across``). So the result
for a region depends only on its mentions, and adding documents re-runs only the
regions they touch (``timeline.reconcile_store``). Inside a region, greedy and
deterministic, in reading order (publication date, document id, offset), three passes:
  1. mentions dated in their own sentence (``same_clause``): each joins the
     best-scoring event or starts a new one; then events that are one story with
     near-miss dates in different sources are joined (``_merge_conflicting``);
  2. mentions dated by narrative carry-over or by the publication day: they join an
     event only when their date is compatible, never create a conflict;
  3. undated mentions: attached to a matching event of their own document or of the
     month before their publication (same type, a shared actor, similar wording),
     else grouped with matching undated ones, else kept alone.

What the regions rule out (the global clustering before issue 13 allowed it, see
``tests/test_reconcile_reference.py``): a coarse date ("2009") never joins a finer one
("3 November 2009"); an undated mention joins events of its region only (its article's
publication month, its actors), so not one of its own article dated in another month;
dates that start in different months are never one event unless they conflict; two
reports conflict only when published within ``CONFLICT_PUBLISHED_WITHIN`` days.

Two mentions match when their types are compatible (equal, or both "speech acts":
statement/proposal/demand, then worded alike), their actors are compatible
(``mention_actors_match``: the doers - agent/speaker/participant - decide; a state and
a person of that state are a weak match; "Putin and Scholz" vs "Putin and Macron" are
different events) and their wording is similar (rapidfuzz token-set ratio of titles).
Candidates come from a blocking index (type group, actor, day or month slot), so the
work grows with the number of events that share an actor and a date, not with n^2.

Dates are compared at the coarser precision: intervals that overlap are compatible
("June 2024" and "14 June 2024"), and a joining date must overlap every own-sentence
date already agreeing in the event (no chaining through a coarse "2022"). A *near miss*
is one year off at the coarser precision (the classic slip of "June of last year" vs
"in June") or an adjacent unit (30 November vs early December). A near miss between
two documents whose mentions otherwise match is the same event told differently (the
exact rules are in ``conflict_candidate``): the event gets ``conflict=True``, one
``DatedClaim`` per source and date, and a ``conflict_note`` in plain words. Conflict
joins are never transitive: every date in the event agrees with or near-misses every
other.

Display date of a conflicting event: the date backed by the most distinct sources;
on a tie, the one stated by more sentences of their own (not carried over); then the
more recent one (a relative "last year" is the usual cause of a one-year slip, and the
frame shows the conflict either way). Without conflict the finest compatible date wins.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from timeline.model import GRANULARITY_ORDER, DatedClaim, Document, Event, EventActor, EventMention, Timex
from timeline.region_replay import UNKNOWN, Replay, Shadow, holds
from timeline.regions import published_close

SPEECH_ACTS = frozenset({"statement", "proposal", "demand"})
ROLE_PRIORITY = {"speaker": 0, "agent": 1, "participant": 2, "target": 3, "mentioned": 4}
_CORE_ROLES = frozenset({"agent", "speaker", "participant"})
MERGE_THRESHOLD = 4.0  # score needed to join an event with a compatible date
CONFLICT_THRESHOLD = 3.5  # score (without the date term) needed to merge despite a near-miss date


@dataclass
class _Cluster:
    """Mentions of one event, with what the join tests read kept up to date as they
    arrive (documents, distinct date intervals), so no test walks every mention.
"""

    mentions: list[EventMention] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    own: dict[tuple[dt.date, dt.date], None] = field(default_factory=dict)  # same-clause dates
    dated_spans: dict[tuple[dt.date, dt.date], None] = field(default_factory=dict)
    changed: bool = False  # (a replay) its mentions differ from the last run's cluster that began alike

    def __post_init__(self) -> None:
        ms, self.mentions = self.mentions, []
        self.extend(ms)

    def add(self, m: EventMention) -> None:
        self.mentions.append(m)
        self.docs.add(m.doc_id)
        t = m.timex
        if t is not None and t.range_start is not None and t.range_end is not None:
            span = (t.range_start, t.range_end)
            self.dated_spans[span] = None
            if m.date_source == "same_clause":
                self.own[span] = None

    def extend(self, ms: Iterable[EventMention]) -> None:
        for m in ms:
            self.add(m)

    @property
    def dated(self) -> list[EventMention]:
        return [m for m in self.mentions if m.timex is not None]

    @property
    def id(self) -> str:
        return event_id(self.mentions[0].id)


def actor_key(a: EventActor) -> str:
    return a.actor_id or "?" + a.name.lower()


def type_group(etype: str) -> str:
    """Types that may merge share a group: the speech acts, else each type alone."""
    return "speech" if etype in SPEECH_ACTS else etype


def source_of(doc: Document | None, doc_id: str) -> str:
    """The outlet, or a stand-in naming the document when the outlet is unknown."""
    if doc is not None and doc.source:
        return doc.source
    return f"unknown source ({doc_id[:10]})"


_MEMO_MAX = 1 << 16  # entries of each per-actor-list memo below before it starts over
_SPLITS: dict[int, tuple] = {}  # id(actors) -> (actors, its role split)
_SETS: dict[int, tuple] = {}  # id(actors) -> (actors, its ``_actor_sets``)


def _remember(memo: dict, key: object, actors: tuple, value: object) -> object:
    """Store ``value`` for the tuple ``actors`` under ``key`` (one with its id) and return
    it. The entry holds the tuple, so its id is not reused while the entry exists: a
    look-up that finds ``entry[0] is actors`` has the value of that very tuple."""
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = (actors, value)
    return value


def _role_split(actors: tuple[EventActor, ...]) -> tuple[tuple[EventActor, ...], tuple[EventActor, ...]]:
    """(doers, others but the merely mentioned). Memoised by the tuple's identity (stored
    mentions share one tuple per actor list, ``pipeline._stored_actors``), so one tuple
    always gets the same split tuples, which ``_actor_sets`` then finds by identity too."""
    got = _SPLITS.get(id(actors))
    if got is not None and got[0] is actors:
        return got[1]
    core = tuple(a for a in actors if a.role in _CORE_ROLES)
    # "mentioned" actors (named in the sentence, no role in the event) never decide a match
    rest = tuple(a for a in actors if a.role not in _CORE_ROLES and a.role != "mentioned")
    return _remember(_SPLITS, id(actors), actors, (core, rest))  # type: ignore[return-value]


def _actor_sets(actors: tuple[EventActor, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The actor keys, the countries of the states and the countries of a list of actors
    (memoised by identity, as ``_role_split``)."""
    got = _SETS.get(id(actors))
    if got is not None and got[0] is actors:
        return got[1]
    return _remember(_SETS, id(actors), actors, (  # type: ignore[return-value]
        frozenset(actor_key(x) for x in actors), frozenset(x.country for x in actors if x.kind == "state" and x.country),
        frozenset(x.country for x in actors if x.country)))


_MATCHES: dict[tuple[int, int, bool], tuple] = {}  # (id(a), id(b), a statement?) -> (a, b, score)


def mention_actors_match(m: EventMention, o: EventMention) -> float | None:
    """Do two mentions have compatible actors? The doers (agent/speaker/participant)
    decide; when both name doers beyond the shared ones ("Putin and Scholz" vs "Putin and
    Macron") they are different events; for non-statements, two disjoint sets of targets
    also mean different events. Scores as ``_actors_match``.

    Memoised by the two actor tuples' identities (stored mentions share one tuple per
    actor list) and whether either is a statement: what the answer depends on. The
    comparisons of a region grow with the reports per month; most pairs are of actor
    lists already compared (``bench/README.md`` "Flat memory")."""
    a, b = m.actors, o.actors
    statement = m.type == "statement" or o.type == "statement"
    key = (id(a), id(b), statement)
    got = _MATCHES.get(key)
    if got is not None and got[0] is a and got[1] is b:
        return got[2]
    score = _actor_lists_match(a, b, statement)
    if len(_MATCHES) >= _MEMO_MAX:
        _MATCHES.clear()
    _MATCHES[key] = (a, b, score)  # (holds both tuples: their ids are not reused meanwhile)
    return score


def _actor_lists_match(a: tuple[EventActor, ...], b: tuple[EventActor, ...], statement: bool) -> float | None:
    core_m, rest_m = _role_split(a)
    core_o, rest_o = _role_split(b)
    if core_m and core_o:
        score = _actors_match(core_m, core_o)
        if score == 2.0:
            km, ko = _actor_sets(core_m)[0], _actor_sets(core_o)[0]
            if km - ko and ko - km:
                return None
    else:
        score = _actors_match(a, b)
    if score and rest_m and rest_o and not statement and _actors_match(rest_m, rest_o) is None:
        return None
    return score


def _actors_match(a: tuple[EventActor, ...], b: tuple[EventActor, ...]) -> float | None:
    """2 = a shared actor, 1 = a state and an actor of that state, 0 = one side has no
    actors, None = both have actors and nothing in common (never the same event)."""
    if not a or not b:
        return 0.0
    ka, states_a, countries_a = _actor_sets(a)
    kb, states_b, countries_b = _actor_sets(b)
    if not ka.isdisjoint(kb):
        return 2.0
    if not states_a.isdisjoint(countries_b) or not states_b.isdisjoint(countries_a):
        return 1.0
    return None


def _type_score(a: str, b: str) -> float | None:
    if a == b:
        # two events of no known kind are not alike for being unknown: their words must be
        return 1.0 if a == "other" else 2.0
    if a in SPEECH_ACTS and b in SPEECH_ACTS:
        return 1.0
    return None


def dates_overlap(a: Timex, b: Timex) -> bool:
    assert a.range_start and a.range_end and b.range_start and b.range_end
    return a.range_start <= b.range_end and b.range_start <= a.range_end


def _shift_year(d: dt.date, years: int) -> dt.date | None:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return None


def _coarsen(t: Timex, gran: str) -> tuple[dt.date, dt.date] | None:
    """The interval of ``t`` widened to ``gran`` (day -> its month or year)."""
    assert t.range_start and t.range_end
    if t.granularity == gran:
        return t.range_start, t.range_end
    s, e = t.range_start, t.range_end
    if gran == "month" and (s.year, s.month) == (e.year, e.month):
        nxt = dt.date(s.year + (s.month == 12), s.month % 12 + 1, 1)
        return s.replace(day=1), nxt - dt.timedelta(days=1)
    if gran == "year" and s.year == e.year:
        return dt.date(s.year, 1, 1), dt.date(s.year, 12, 31)
    return None


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _gran_rank(g: str | None) -> int:
    return GRANULARITY_ORDER.index(g) if g in GRANULARITY_ORDER else 99


_NEAR: dict[tuple, str | None] = {}  # the two dates (start, end, granularity each) -> near_miss_kind


def near_miss_kind(a: Timex, b: Timex) -> str | None:
    """At the coarser of the two precisions: "year" (one year apart: "June" read as this
    year or last), "adjacent" (neighbouring units: 30 November vs early December), or
    None (overlapping, or too far apart to be one event told twice).

    Memoised by the two dates (what the answer depends on): the conflict tests of a
    region and the conflict links compare the same few dates of each month many times
    (x15 the calls for x4 articles; bench/README.md "Staged labels")."""
    key = (a.range_start, a.range_end, a.granularity, b.range_start, b.range_end, b.granularity)
    got = _NEAR.get(key, _NEAR)
    if got is not _NEAR:
        return got  # type: ignore[return-value]
    if len(_NEAR) >= _NEAR_MAX:
        _NEAR.clear()
    kind = _NEAR[key] = _near_miss_kind(a, b)
    return kind


_NEAR_MAX = 1 << 18


def _near_miss_kind(a: Timex, b: Timex) -> str | None:
    assert a.range_start and a.range_end and b.range_start and b.range_end
    months = abs(_month(a.range_start) - _month(b.range_start))
    if months > 14 + _month(a.range_end) - _month(a.range_start) + _month(b.range_end) - _month(b.range_start):
        return None  # cheap exit: most pairs are far apart
    gran = max(a.granularity, b.granularity, key=_gran_rank)
    if gran is None or gran in ("year", "decade", "century") or dates_overlap(a, b):
        return None
    ca, cb = _coarsen(a, gran), _coarsen(b, gran)
    if ca is None or cb is None:
        return None
    for years in (1, -1):
        if _shift_year(ca[0], years) == cb[0]:
            return "year"
    gap = max((cb[0] - ca[1]).days, (ca[0] - cb[1]).days)
    return "adjacent" if 0 < gap <= 1 else None


def near_miss(a: Timex, b: Timex) -> bool:
    return near_miss_kind(a, b) is not None


def _shared_ids(a: EventMention, b: EventMention) -> int:
    return len({x.actor_id for x in a.actors if x.actor_id} & {x.actor_id for x in b.actors if x.actor_id})


def _tight(m: EventMention, c: _Cluster) -> bool:
    """Every own-sentence date of ``c`` agrees with ``m``'s or is a near miss of it: a
    conflict joins two readings of one date, never a chain across the calendar."""
    assert m.timex is not None
    for x in _members(c):
        if x.timex is not None and x.date_source == "same_clause":
            if not dates_overlap(m.timex, x.timex) and near_miss_kind(m.timex, x.timex) is None:
                return False
    return True


def conflict_candidate(m: EventMention, o: EventMention, pub: Mapping[str, dt.date | None] | None = None) -> bool:
    """Two mentions of one event whose dates disagree? Different documents (with ``pub``,
    the publication dates: published within ``CONFLICT_PUBLISHED_WITHIN`` days of each
    other, one news cycle), both dated
    in their own sentence, not statements (a speaker says similar things often), and a
    near miss that a source could plausibly make: a one-year slip only when at least
    one year was inferred (a bare "June", "June of last year"), adjacent units only for a
    specific pairing (two shared actors). Same type and a
    shared doer (agent/speaker/participant, by gazetteer id) are required."""
    if m.doc_id == o.doc_id or m.type != o.type or m.type == "statement":
        return False
    if m.timex is None or o.timex is None or m.date_source != "same_clause" or o.date_source != "same_clause":
        return False
    if pub is not None and not published_close(pub.get(m.doc_id), pub.get(o.doc_id)):
        return False
    kind = near_miss_kind(m.timex, o.timex)  # cheap exit first: most pairs are far apart
    if kind == "year":
        plausible = _year_inferred(m.timex) or _year_inferred(o.timex)
    elif kind == "adjacent":
        plausible = _shared_ids(m, o) >= 2
    else:
        return False
    if not plausible:
        return False
    core_m, core_o = _role_split(m.actors)[0], _role_split(o.actors)[0]
    shared = _actors_match(core_m, core_o)
    # a one-year slip between "Moscow proposed" and "Putin proposed": a state and its own
    # official are the same doer for that classic mistake; adjacent units need the same actor
    return (shared == 2.0 or (kind == "year" and shared == 1.0)) and bool(mention_actors_match(m, o))


_MONTH_OR_YEAR_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\byear\b", re.IGNORECASE)


def _year_inferred(t: Timex) -> bool:
    """A month or "last year" whose year the reader had to infer ("in June", "June of
    last year"): the expressions behind one-year slips. "Today" or "2 June 2024" are not."""
    return year_inferred_text(t.text)


def year_inferred_text(text: str) -> bool:
    return not re.search(r"\b\d{4}\b", text) and bool(_MONTH_OR_YEAR_WORD.search(text))


def _similarity(a: EventMention, b: EventMention) -> float:
    return fuzz.token_set_ratio(a.title.lower(), b.title.lower()) / 100.0


def _action_similarity(a: EventMention, b: EventMention) -> float:
    """Title similarity without the actors' names ("Vantor Motors recalls 9,000 cars" and
    "Vantor Motors opens a plant" share the company, not the action)."""
    names = {w for m in (a, b) for x in m.actors for w in x.name.lower().split()}

    def rest(title: str) -> str:
        return " ".join(w for w in title.lower().split() if w not in names)

    ra, rb = rest(a.title), rest(b.title)
    if not ra or not rb:
        return 0.0
    return fuzz.token_set_ratio(ra, rb) / 100.0


def _pair_score(m: EventMention, o: EventMention, strict: bool = False) -> float | None:
    """Match score of two mentions ignoring dates; None = cannot be the same event.
    ``strict`` (for undated mentions): same type, a shared actor and similar wording
    (a lower bar inside one document)."""
    t = _type_score(m.type, o.type)
    if t is None or (strict and t < 2.0 and not m.type == o.type == "other"):
        return None
    a = mention_actors_match(m, o)
    if a is None or (strict and a < 2.0):
        return None
    if a == 0 and m.doc_id != o.doc_id:
        return None  # without actors only mentions of the same document may match
    sim = _similarity(m, o)
    if t < 2.0 and (sim < 0.5 or (m.type == "other" and _action_similarity(m, o) < 0.5)):
        # a statement and a proposal are one event only when worded alike; two events of
        # no known kind only when what they say happened is worded alike, names aside
        return None
    if strict and sim < (0.5 if m.doc_id == o.doc_id else 0.6):
        return None
    return t + a + 2.0 * sim


MAX_MEMBERS_COMPARED = 6  # first and last members of a big event: enough to recognise it


def _members(c: _Cluster) -> list[EventMention]:
    ms = c.mentions
    if len(ms) <= MAX_MEMBERS_COMPARED:
        return ms
    half = MAX_MEMBERS_COMPARED // 2
    return ms[:half] + ms[-half:]


def _recent(c: _Cluster, published: dt.date) -> bool:
    since = published - dt.timedelta(days=31)
    return any(s <= published and e >= since for s, e in c.dated_spans)


def _best_cluster(m: EventMention, clusters: Sequence[_Cluster], candidates: Iterable[int], allow_conflict: bool,
                  published: dt.date | None = None,
                  pub: Mapping[str, dt.date | None] | None = None) -> tuple[int, bool] | None:
    """Index of the cluster ``m`` joins and whether it joins as a conflicting claim: the
    best-scoring candidate (``_cluster_score``), the first one on a tie."""
    best: tuple[float, int, bool] | None = None
    for ci in sorted(set(candidates)):
        got = _cluster_score(m, clusters[ci], allow_conflict, published, pub)
        if got is not None and (best is None or got[0] > best[0]):
            best = (got[0], ci, got[1])
    return None if best is None else (best[1], best[2])


def _cluster_score(m: EventMention, c: _Cluster, allow_conflict: bool, published: dt.date | None = None,
                   pub: Mapping[str, dt.date | None] | None = None) -> tuple[float, bool] | None:
    """How well ``m`` joins ``c`` (its best member's score, and whether as a conflicting
    claim), None: it cannot.

    An undated mention (``published`` given) may only join an event named in its own
    document or one dated in the month before the article's publication: news talks
    about recent events, and that keeps the search bounded."""
    if m.timex is None and published is not None and m.doc_id not in c.docs:
        if not _recent(c, published):
            return None
    best: tuple[float, bool] | None = None
    for o in _members(c):
        if _type_score(m.type, o.type) is None:
            continue
        if m.timex is None or o.timex is None:
            date_term, conflict = 0.0, False
        elif dates_overlap(m.timex, o.timex):
            if not _fits_group(m.timex, o, c):
                continue
            date_term, conflict = (1.5 if m.timex.value == o.timex.value else 1.0), False
        elif allow_conflict and conflict_candidate(m, o, pub) and _tight(m, c):
            date_term, conflict = 0.0, True
        else:
            continue
        base = _pair_score(m, o, strict=m.timex is None)
        if base is None:
            continue
        score = base + date_term
        if score < (CONFLICT_THRESHOLD if conflict else MERGE_THRESHOLD):
            continue
        if best is None or score > best[0]:
            best = (score, conflict)
    return best


_KEYS: dict[tuple[str, int, bool], tuple] = {}  # (type, id(actors), lookup) -> (actors, keys)


def _index_keys(etype: str, actors: tuple[EventActor, ...], lookup: bool) -> frozenset[str]:
    """``_Index.keys`` (many mentions share a type and actors: computed once; memoised
    by the tuple's identity, as ``_role_split``)."""
    key = (etype, id(actors), lookup)
    got = _KEYS.get(key)
    if got is not None and got[0] is actors:
        return got[1]
    return _remember(_KEYS, key, actors, _keys_of(etype, actors, lookup))  # type: ignore[return-value]


def _keys_of(etype: str, actors: tuple[EventActor, ...], lookup: bool) -> frozenset[str]:
    group = "speech" if etype in SPEECH_ACTS else etype  # only compatible types can merge
    out = {actor_key(a) for a in actors}
    for a in actors:
        if a.country:
            if lookup:
                out.add(("cty:" if a.kind == "state" else "state:") + a.country)
            else:
                out.add("cty:" + a.country)
                if a.kind == "state":
                    out.add("state:" + a.country)
    return frozenset(group + "|" + k for k in out)


Query = tuple["set[str] | frozenset[str]", "set[tuple[str, int]] | None", "str | None"]  # see _Index.query


class _Index:
    """Blocking: which events could a mention belong to? Those of a compatible type
    sharing an actor (or, for the weak state/person match, a country) whose dates could
    overlap it or be a near miss of it, and those with a mention from the same document.
    Buckets are filed by type group|actor key, then slot; see ``slots``.

    Bounded so the work stays linear when the same few actors fill every date (a wire
    corpus): a bucket keeps the ``BUCKET_CAP`` events filed in it last, and a mention is
    compared with at most ``MAX_CANDIDATES`` events, the most recently created (reading
    order is by publication date, so these are the story's latest reports)."""

    SPAN_CAP = 36  # months indexed per mention ("the 2010s" is not spread over 120 keys)
    BUCKET_CAP = 12
    MAX_CANDIDATES = 16

    def __init__(self) -> None:
        self.by_key: dict[str, dict[tuple[str, int], dict[int, None]]] = {}
        self.by_doc: dict[str, set[int]] = {}
        # (a replay, ``timeline.region_replay``) buckets, by key, and documents whose
        # events may differ from the last run's: a look-up that reads none of them finds
        # the same events as then, none of them changed
        self.dirty: dict[str, set[tuple[str, int]]] = {}
        self.dirty_docs: set[str] = set()

    @staticmethod
    def keys(m: EventMention, lookup: bool = False) -> frozenset[str]:
        """Index keys of a mention (``lookup=False``) or the keys to look up for it.
        Weak matches pair a state with anyone of its country: states are indexed under
        "state:C" and looked up under "cty:C", everyone else the other way round."""
        return _index_keys(m.type, m.actors, lookup)

    @classmethod
    def slots(cls, t: Timex | None) -> list[tuple[str, int]]:
        """Where a date is filed: a single day under its day ("d", ordinal) and its month
        ("dm", month number, for long look-ups), anything longer under each month it
        covers ("m", month number), undated under ("u", -1)."""
        if t is None or t.range_start is None or t.range_end is None:
            return _UNDATED_SLOTS
        return _date_slots(t.range_start, t.range_end, cls.SPAN_CAP)

    def add(self, ci: int, m: EventMention) -> None:
        docs = self.by_doc.get(m.doc_id)
        if docs is None:
            docs = self.by_doc[m.doc_id] = set()
        docs.add(ci)
        slots = self.slots(m.timex)
        cap = self.BUCKET_CAP
        by_key = self.by_key
        for k in self.keys(m):  # (get, not setdefault: no empty dict made per call)
            filed = by_key.get(k)
            if filed is None:
                filed = by_key[k] = {}
            for slot in slots:
                bucket = filed.get(slot)
                if bucket is None:
                    filed[slot] = {ci: None}
                elif ci not in bucket:
                    bucket[ci] = None
                    if len(bucket) > cap:
                        del bucket[next(iter(bucket))]

    def mark(self, m: EventMention) -> None:
        """The buckets ``m`` is filed in, and its document, may hold a changed event (a replay)."""
        slots = self.slots(m.timex)
        for k in self.keys(m):
            self.dirty.setdefault(k, set()).update(slots)
        self.dirty_docs.add(m.doc_id)

    def untouched(self, q: Query) -> bool:
        """Does the look-up ``q`` read no bucket (or document) that ``mark`` named?"""
        keys, wanted, doc = q
        if doc is not None and doc in self.dirty_docs:
            return False
        if wanted is not None and self.dirty:
            for k in keys:
                d = self.dirty.get(k)
                if d is not None and not d.isdisjoint(wanted):
                    return False
        return True

    def lookup(self, keys: Iterable[str], wanted: Iterable[tuple[str, int]], out: set[int]) -> set[int]:
        """``out`` plus the events filed under any key in any wanted slot, capped."""
        if not isinstance(wanted, (set, frozenset)):
            wanted = frozenset(wanted)
        n = len(wanted)
        for k in keys:
            filed = self.by_key.get(k)
            if filed is None:
                continue
            if len(filed) < n:  # (the same events either way: ``out`` is a set)
                for slot, hit in filed.items():
                    if hit and slot in wanted:
                        out.update(hit)
            else:
                for slot in wanted:
                    hit = filed.get(slot)
                    if hit:
                        out.update(hit)
        if len(out) > self.MAX_CANDIDATES:
            out = set(sorted(out)[-self.MAX_CANDIDATES:])  # the latest events (sorted: faster than a heap here)
        return out

    def candidates(self, m: EventMention, published: dt.date | None = None, near: bool = True) -> set[int]:
        """Events filed where ``m``'s date could overlap them; with ``near`` also where a
        conflict could join: the neighbouring day/month when ``m`` names two doers, the
        same day/month a year off when its year was inferred. An undated mention looks
        at the month before ``published``."""
        return self.run(self.query(m, published, near))

    def run(self, q: Query) -> set[int]:
        """The events the look-up ``q`` (``query``) finds."""
        keys, wanted, doc = q
        out = set(self.by_doc.get(doc, ())) if doc is not None else set()
        return out if wanted is None else self.lookup(keys, wanted, out)

    def query(self, m: EventMention, published: dt.date | None = None, near: bool = True) -> Query:
        """What ``candidates`` reads: the keys and slots it looks up (None: none), and the
        document whose events it takes too (None: none)."""
        t = m.timex
        # same-document events: needed when actors cannot find them (none named) or the
        # mention is undated; otherwise the actor keys below already reach them
        doc = m.doc_id if (t is None or not m.actors) else None
        if t is not None and t.range_start is not None and t.range_end is not None:
            lo, hi = t.range_start, t.range_end
        elif published is not None:  # (clamped: a date in year 1 has no month before it)
            lo, hi = dt.date.fromordinal(max(1, published.toordinal() - 31)), published
        else:
            return frozenset(), None, doc
        wanted: set[tuple[str, int]] | frozenset[tuple[str, int]] = _slots_within(lo, hi)
        if near and t is not None and m.date_source == "same_clause" and m.type != "statement":
            wanted = set(wanted)
            day = dt.timedelta(days=1)
            if len({a.actor_id for a in _role_split(m.actors)[0] if a.actor_id}) >= 2:
                wanted |= {("d", lo.toordinal() - 1), ("d", hi.toordinal() + 1),  # ordinals: 9999-12-31 + 1
                           ("m", _month(lo) - 1), ("m", _month(hi) + 1)}
                if lo != hi:  # a month/week: day events in the neighbouring months too
                    wanted |= _slots_between(_month_start(_month(lo) - 1), lo)
                    wanted |= _slots_between(hi, max(hi, _month_start(_month(hi) + 2) - day))
            if _year_inferred(t):
                for years in (1, -1):
                    a, b = _shift_year(lo, years), _shift_year(hi, years)
                    if a is not None and b is not None:
                        wanted |= _slots_between(a, b)
        return self.keys(m, lookup=True), wanted, doc


_UNDATED_SLOTS = [("u", -1)]
_UNDATED_WANTED = frozenset(_UNDATED_SLOTS)


@lru_cache(maxsize=1 << 14)
def _date_slots(lo: dt.date, hi: dt.date, cap: int) -> list[tuple[str, int]]:
    """``_Index.slots`` of a dated interval (many mentions share a date: computed once;
    callers only read the list)."""
    if lo == hi:
        return [("d", lo.toordinal()), ("dm", _month(lo))]
    m0 = _month(lo)
    return [("m", mo) for mo in range(m0, min(_month(hi), m0 + cap - 1) + 1)]


def _month_start(month_number: int) -> dt.date:
    """First day of a month number; clamped to the calendar's ends (a 9999-12 event's
    "month after" is past datetime's last year)."""
    if month_number // 12 > dt.MAXYEAR:
        return dt.date.max
    if month_number // 12 < dt.MINYEAR:
        return dt.date.min
    return dt.date(month_number // 12, month_number % 12 + 1, 1)


@lru_cache(maxsize=1 << 14)
def _slots_within(lo: dt.date, hi: dt.date) -> frozenset[tuple[str, int]]:
    """``_slots_between`` (many mentions share a date: computed once)."""
    return frozenset(_slots_between(lo, hi))


def _slots_between(lo: dt.date, hi: dt.date, max_days: int = 400) -> set[tuple[str, int]]:
    """Index slots an interval can overlap: its months, and its days (single-day
    events), a whole month of days as one "dm" slot when the interval is long."""
    out = {("m", mo) for mo in range(_month(lo), min(_month(hi), _month(lo) + _Index.SPAN_CAP) + 1)}
    first, last = lo.toordinal(), min(hi.toordinal(), lo.toordinal() + max_days)
    m0, m1 = _month(lo), _month(dt.date.fromordinal(last))
    if last - first < 7 or m0 == m1:
        out |= {("d", n) for n in range(first, last + 1)} if last - first < 7 or first != _month_start(m0).toordinal() \
            or last != _month_start(m0 + 1).toordinal() - 1 else {("dm", m0)}
        return out
    head_end = _month_start(m0 + 1).toordinal() - 1  # last day of the first month
    tail_start = _month_start(m1).toordinal()
    out |= {("d", n) for n in range(first, head_end + 1)}
    out |= {("d", n) for n in range(tail_start, last + 1)}
    out |= {("dm", mo) for mo in range(m0 + 1, m1)}
    if first == _month_start(m0).toordinal():
        out.add(("dm", m0))
    if last == _month_start(m1 + 1).toordinal() - 1:
        out.add(("dm", m1))
    return out


def _fits_group(t: Timex, o: EventMention, c: _Cluster) -> bool:
    """A compatible date must overlap every own-sentence date that agrees with ``o``'s:
    a "2022" claim must not chain "November 2022" onto "2 December 2022"."""
    assert o.timex is not None and t.range_start and t.range_end
    os_, oe = o.timex.range_start, o.timex.range_end
    assert os_ and oe
    ts, te = t.range_start, t.range_end
    return all(ts <= e and s <= te for s, e in c.own if s <= oe and os_ <= e)


def _order_key(docs: Mapping[str, Document]):
    def key(m: EventMention) -> tuple:
        d = docs.get(m.doc_id)
        pub = d.published if d is not None and d.published else dt.date.max
        return (pub, m.doc_id, m.sent_start, m.id)

    return key


def reconcile(mentions: list[EventMention], docs: Mapping[str, Document]) -> list[Event]:
    """All events, each with every mention attached: each region of ``timeline.regions``
    reconciled on its own, then conflicting events of different regions merged."""
    from timeline.regions import conflict_links, regions

    pub = published_dates(docs)
    keys = [key_of(m, pub) for m in mentions]
    by_id = {m.id: m for m in mentions}
    clusters = {c.id: c for ids in regions(keys).values()
                for c in reconcile_region([by_id[i] for i in ids], docs)}
    cluster_of = {m.id: c.id for c in clusters.values() for m in c.mentions}
    links = [(cluster_of[a], cluster_of[b]) for a, b in conflict_links([k for k in keys if k.dated])]
    groups = merge_across(clusters, links, pub)
    groups.sort(key=lambda g: (not clusters[g[0]].dated, _rank(clusters[g[0]], pub)))  # dated first, reading order
    return [to_event(group, clusters, docs) for group in groups]


def published_dates(docs: Mapping[str, Document]) -> dict[str, dt.date | None]:
    return {d: doc.published for d, doc in docs.items()}


def key_of(m: EventMention, pub: Mapping[str, dt.date | None]):
    """``m``'s ``regions.MentionKey``."""
    from timeline.regions import mention_key

    t = m.timex
    return mention_key(m.id, m.doc_id, m.type, m.date_source, t.range_start if t else None,
                       t.range_end if t else None, t.granularity if t else None, t.text if t else None,
                       m.actors, pub.get(m.doc_id))


def reconcile_region(mentions: list[EventMention], docs: Mapping[str, Document],
                     replay: Replay | None = None) -> list[_Cluster]:
    """The events of one region (dated first, then undated), in reading order
    (publication date, document id, offset):
      1. mentions dated in their own sentence: each joins the best-scoring event or
         starts one (a near miss from another source may join as a conflict); then
         events that are one story with near-miss dates are merged (``_merge_conflicting``);
      2. mentions dated by carry-over or by publication join an event with a compatible
         date, never as a conflict, or start one;
      3. undated mentions join a matching event of their own document or dated in the
         month before their publication, else a matching undated one, else stay alone.
    ``replay`` (``timeline.region_replay``): the last run's decisions, reused where they
    provably hold; it records each mention's decision (``Replay.seeds``) either way."""
    run = replay if replay is not None else Replay()
    ordered = sorted(mentions, key=_order_key(docs))
    # the region's documents only: ``docs`` may hold the whole store's (one dict per region
    # over every document made a full reconcile quadratic)
    pub = {d: docs[d].published for d in {m.doc_id for m in mentions} if d in docs}
    clusters: list[_Cluster] = []
    index = _Index()

    def placer(allow_conflict: bool, shadow: Shadow) -> Callable[[EventMention], None]:
        def place(m: EventMention) -> None:
            q = index.query(m)
            old = run.old(m)
            hit = run.replayed(old, m, [(index, q)], where)
            if hit is UNKNOWN:
                cands = index.run(q)
                if old is not None:
                    hit = run.checked(old, m, where, cands, clusters, shadow.found(shadow.index.run(q)),
                                      lambda ci: _cluster_score(m, clusters[ci], allow_conflict, pub=pub))
                if hit is UNKNOWN:
                    hit = _hit(_best_cluster(m, clusters, cands, allow_conflict, pub=pub))
            _join_or_start(m, None if hit is None else (hit, False), clusters, index)
            if hit is None:
                where[m.id] = len(clusters) - 1
            run.settle(m, clusters[where[m.id] if hit is None else hit], old, index, [(where, clusters, index)])
            if old is not None:
                shadow.add(m, old)
        return place

    where: dict[str, int] = {}
    first = Shadow()  # the last run's own-sentence stage
    place = placer(True, first)
    for m in ordered:
        if m.timex is not None and m.date_source == "same_clause":
            place(m)
    clusters = _merge_conflicting(clusters, pub, run, first)
    index = _Index()
    for ci, c in enumerate(clusters):
        for m in c.mentions:
            index.add(ci, m)
            if c.changed and run.prior:
                index.mark(m)
    where = run.where(clusters)
    dated = run.merged(first)  # the last run's events after the merges, then the carried-over dates
    place = placer(False, dated)
    for m in ordered:
        if m.timex is not None and m.date_source != "same_clause":
            place(m)
    undated_clusters: list[_Cluster] = []
    undated_index = _Index()
    undated_where: dict[str, int] = {}
    undated = Shadow()  # the last run's undated events
    for m in (m for m in ordered if m.timex is None):
        published = pub.get(m.doc_id)
        q_dated = index.query(m, published, near=False)
        q_undated = (undated_index.keys(m, lookup=True), {("u", -1)}, m.doc_id)
        old = run.old(m)
        was_dated = old in dated.at  # last time it joined a dated event
        # a dated event again needs the same dated candidates; an undated one (or none)
        # also needs the same undated ones, none found among the dated
        into_dated = into_undated = UNKNOWN
        if old is not None:
            if was_dated:
                into_dated = run.replayed(old, m, [(index, q_dated)], where)
            else:
                into_undated = run.replayed(old, m, [(index, q_dated), (undated_index, q_undated)], undated_where)
        if into_dated is UNKNOWN and into_undated is UNKNOWN:
            d_cands = index.run(q_dated)
            u_cands = None
            if old is not None:
                then = dated.found(dated.index.run(q_dated))

                def dated_score(ci: int) -> tuple[float, bool] | None:
                    return _cluster_score(m, clusters[ci], False, published)

                if was_dated:
                    into_dated = run.checked(old, m, where, d_cands, clusters, then, dated_score)
                elif holds(None, d_cands, clusters, then, dated_score):  # no dated event again
                    u_cands = _undated_set(undated_index, m)
                    into_undated = run.checked(old, m, undated_where, u_cands, undated_clusters,
                                               undated.found(_undated_set(undated.index, m)),
                                               lambda ci: _cluster_score(m, undated_clusters[ci], False))
            if into_dated is UNKNOWN and into_undated is UNKNOWN:
                hit = _best_cluster(m, clusters, d_cands, False, published)
                if hit is not None:
                    into_dated = hit[0]
                else:
                    into_undated = _hit(_best_cluster(
                        m, undated_clusters, _undated_set(undated_index, m) if u_cands is None else u_cands, False))
        places = [(where, clusters, index), (undated_where, undated_clusters, undated_index)]
        if old is not None and not was_dated:
            undated.add(m, old)
        if into_dated is not UNKNOWN:
            clusters[into_dated].add(m)
            run.settle(m, clusters[into_dated], old, index, places)
            continue
        _join_or_start(m, None if into_undated is None else (into_undated, False), undated_clusters, undated_index)
        if into_undated is None:
            undated_where[m.id] = len(undated_clusters) - 1
        run.settle(m, undated_clusters[undated_where[m.id] if into_undated is None else into_undated], old,
                   undated_index, places)
    return clusters + undated_clusters


def _undated_set(index: _Index, m: EventMention) -> set[int]:
    """The undated events an undated mention is compared with: its document's, and those
    its actors find."""
    return set(index.by_doc.get(m.doc_id, ())) | _undated_candidates(index, m)


def _merge_holds(c: _Cluster, old: object, cands: set[int], out: list[_Cluster], out_ids: list[str],
                 then: set[str], pub: Mapping[str, dt.date | None] | None) -> object:
    """(A replay) ``c``, unchanged, joined ``out[old]`` last time (None: no event): does it
    again? It joins the first candidate it conflicts with; candidates found then and
    unchanged answer as then, so only the others before ``old`` are tested."""
    if old is UNKNOWN or (old is not None and (old not in cands or out[old].changed)):  # type: ignore[operator]
        return UNKNOWN
    for ti in sorted(cands):
        if old is not None and ti >= old:  # type: ignore[operator]
            break
        if (out[ti].changed or out_ids[ti] not in then) and _conflicting_pair(out[ti], c, pub):
            return UNKNOWN
    return old


def _hit(hit: tuple[int, bool] | None) -> int | None:
    return None if hit is None else hit[0]


def merge_across(clusters: Mapping[str, _Cluster], links: Iterable[tuple[str, str]],
                 pub: Mapping[str, dt.date | None]) -> list[list[str]]:
    """Events of different regions that are one story told with near-miss dates (one
    source's "June", another's "June of last year") merged, as ``_merge_conflicting``
    does inside a region: in reading order of their first mentions, an event joins the
    first earlier one it conflicts with. ``links``: pairs of event (cluster) ids that a
    conflict could join (``regions.conflict_links``), the only ones compared; so each
    connected group of linked events is merged on its own. Returns the cluster ids of
    each resulting event, first one first (every cluster given appears once)."""
    neighbours: dict[str, set[str]] = {}
    for a, b in links:
        if a != b and a in clusters and b in clusters:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    rank = {cid: _rank(c, pub) for cid, c in clusters.items() if cid in neighbours}
    target: dict[str, str] = {}  # cluster id -> id of the group it joined (its first cluster)
    groups: dict[str, list[str]] = {}
    views: dict[str, _Cluster] = {}
    for cid in sorted(rank, key=rank.__getitem__):
        mine = _own_dated(clusters[cid])
        earlier = sorted({target[n] for n in neighbours[cid] if n in target}, key=rank.__getitem__)
        for t in earlier:
            if _conflicting_pair(views[t], mine, pub):
                target[cid] = t
                groups[t].append(cid)
                views[t] = _Cluster(views[t].mentions + mine.mentions)
                break
        else:
            target[cid] = cid
            groups[cid] = [cid]
            views[cid] = mine
    out = [groups[cid] for cid in sorted(groups, key=rank.__getitem__)]
    return out + [[cid] for cid in clusters if cid not in neighbours]


def _rank(c: _Cluster, pub: Mapping[str, dt.date | None]) -> tuple:
    m = c.mentions[0]
    return (pub.get(m.doc_id) or dt.date.max, m.doc_id, m.sent_start, m.id)


def _own_dated(c: _Cluster) -> _Cluster:
    """The mentions a conflict test reads: those dated in their own sentence."""
    return _Cluster([m for m in c.mentions if m.timex is not None and m.date_source == "same_clause"])


def to_event(group: list[str], clusters: Mapping[str, _Cluster], docs: Mapping[str, Document]) -> Event:
    """One event from the clusters ``merge_across`` grouped (the first one's id). Merged
    mentions are in the order one pass over every mention gives: own-sentence dates in
    reading order, then dates carried over, then undated ones."""
    if len(group) == 1:
        return _to_event(clusters[group[0]], docs)
    first = clusters[group[0]].mentions[0]
    ms = [m for cid in group for m in clusters[cid].mentions]
    order = _order_key(docs)
    stage = {id(m): 0 if m.timex is not None and m.date_source == "same_clause" else 1 if m.timex is not None else 2
             for m in ms}
    ms.sort(key=lambda m: (m is not first, stage[id(m)], order(m)))
    return _to_event(_Cluster(ms), docs)


def _join_or_start(m: EventMention, hit: tuple[int, bool] | None, clusters: list[_Cluster], index: _Index) -> None:
    """Attach ``m`` to the cluster ``hit`` names, or start a new cluster; keep the index in step."""
    if hit is None:
        clusters.append(_Cluster([m]))
        index.add(len(clusters) - 1, m)
    else:
        clusters[hit[0]].add(m)
        index.add(hit[0], m)


def _undated_candidates(index: _Index, m: EventMention) -> set[int]:
    out: set[int] = set()
    return index.lookup(index.keys(m, lookup=True), _UNDATED_WANTED, out)


def _conflicting_pair(a: _Cluster, b: _Cluster, pub: Mapping[str, dt.date | None] | None = None) -> bool:
    for x in _members(a):
        for y in _members(b):
            if conflict_candidate(x, y, pub):
                score = _pair_score(x, y)
                if score is not None and score >= CONFLICT_THRESHOLD:
                    return all(_tight(z, a) for z in _members(b) if z.timex is not None and z.date_source == "same_clause")
    return False


def _merge_conflicting(clusters: list[_Cluster], pub: Mapping[str, dt.date | None] | None = None,
                       run: Replay | None = None, first: Shadow | None = None) -> list[_Cluster]:
    """Join events that are the same story with near-miss dates in different sources
    (e.g. one source's "June" sits in an event of its own, the other's "June of last
    year" in another). Order is kept, so the result is deterministic. ``run``: the last
    run's merges, replayed where they provably hold (``timeline.region_replay``);
    ``first``: the last run's events before the merges."""
    out: list[_Cluster] = []
    out_ids: list[str] = []  # (replay) each one's cluster id
    index = _Index()
    replaying = run is not None and bool(run.prior)
    affected = run.affected(clusters) if replaying else set()
    where: dict[str, int] = {}  # an event's cluster id -> its place in ``out`` (replay)
    then = Shadow()  # (replay) the last run's merge index, caught up event by event
    done = 0

    def catch_up(upto: str) -> None:
        nonlocal done
        assert run is not None and first is not None
        while done < len(first.ids) and first.ids[done] != upto:
            x = first.ids[done]
            for m in first.members[x]:
                then.add(m, run.prior[x][1])
            done += 1

    for c in clusters:
        queries = [index.query(m) for m in c.mentions]
        own = event_id(c.mentions[0].id) if replaying else ""
        old = run.merged_into(c) if replaying else None
        hit: object = UNKNOWN
        if old is not None and all(index.untouched(q) for q in queries):
            hit = None if old == own else where.get(old, UNKNOWN)
        if hit is UNKNOWN:
            cands: set[int] = set()
            for q in queries:
                cands |= index.run(q)
            if old is not None:
                catch_up(c.mentions[0].id)
                found: set[int] = set()
                for q in queries:
                    found |= then.index.run(q)
                hit = _merge_holds(c, None if old == own else where.get(old, UNKNOWN), cands, out, out_ids,
                                   set(then.found(found)), pub)
            if hit is UNKNOWN:
                hit = None
                for ti in sorted(cands):
                    if _conflicting_pair(out[ti], c, pub):
                        hit = ti
                        break
        if hit is None:
            out.append(c)
            out_ids.append(own)
            hit = len(out) - 1
            where[own] = hit
            if own in affected:
                Replay.taint(c, index)
        else:
            out[hit].extend(c.mentions)
        assert isinstance(hit, int)
        for m in c.mentions:
            index.add(hit, m)
        if replaying:
            target = out[hit]
            into = out_ids[hit]
            if into != old or c.changed:
                Replay.taint(target, index)
                if old is not None and old in where and old != into:
                    Replay.taint(out[where[old]], index)
            if target.changed:
                for m in c.mentions:
                    index.mark(m)
    return out


# -- cluster -> Event ----------------------------------------------------------------


def _claims(c: _Cluster, docs: dict[str, Document]) -> list[DatedClaim]:
    seen: dict[tuple[str, str | None], DatedClaim] = {}
    for m in c.dated:
        t = m.timex
        assert t is not None
        k = (m.doc_id, t.value)
        if k not in seen:
            seen[k] = DatedClaim(
                doc_id=m.doc_id, source=source_of(docs.get(m.doc_id), m.doc_id), value=t.value,
                range_start=t.range_start, range_end=t.range_end, granularity=t.granularity,
                text=t.text, sentence=m.sentence,
            )
    return list(seen.values())


def _chosen_timex(c: _Cluster, docs: dict[str, Document], conflict: bool) -> Timex | None:
    dated = c.dated
    if not dated:
        return None
    by_value: dict[str | None, list[EventMention]] = {}
    for m in dated:
        by_value.setdefault(m.timex.value if m.timex else None, []).append(m)

    def rank(item: tuple[str | None, list[EventMention]]) -> tuple:
        value, ms = item
        t = ms[0].timex
        assert t is not None and t.range_start is not None
        # an estimate ("the first call in almost two years": about November 2022) is no
        # source's word for the date: it never outvotes one that states it
        n_sources = len({source_of(docs.get(m.doc_id), m.doc_id) for m in ms if m.timex.mod != "APPROX"})
        own = sum(m.date_source == "same_clause" for m in ms)
        if conflict:
            return (-n_sources, -own, -t.range_start.toordinal(), value or "")
        return (_gran_rank(t.granularity), -n_sources, -own, value or "")

    _value, ms = min(by_value.items(), key=rank)
    best = min(ms, key=lambda m: (m.date_source != "same_clause", -m.confidence, m.sent_start))
    return best.timex


def _disagreeing(claims: list[DatedClaim]) -> list[DatedClaim]:
    """Claims disjoint from at least one other claim, in one pass: an interval misses
    some other one exactly when it ends before the latest start or starts after the
    earliest end."""
    spans = [(c.range_start, c.range_end) for c in claims if c.range_start and c.range_end]
    if len(spans) < 2:
        return []
    latest_start, earliest_end = max(s for s, _ in spans), min(e for _, e in spans)
    if latest_start <= earliest_end:
        return []
    return [c for c in claims if c.range_start and c.range_end
            and (c.range_end < latest_start or c.range_start > earliest_end)]


def _conflict_note(claims: list[DatedClaim], chosen: Timex) -> str:
    """Plain words; claims compatible with every other ("two years ago") are left out."""
    parts = []
    by_value: dict[str | None, list[DatedClaim]] = {}
    for cl in _disagreeing(claims):
        by_value.setdefault(cl.value, []).append(cl)
    for value, cls in by_value.items():
        srcs = sorted({cl.source or cl.doc_id for cl in cls})
        texts = sorted({cl.text for cl in cls if cl.text})
        said = f" ('{texts[0]}')" if texts else ""
        parts.append(f"{' and '.join(srcs)} {'say' if len(srcs) > 1 else 'says'} {value}{said}")
    return (
        "Sources disagree on the date: " + "; ".join(parts)
        + f". Shown at {chosen.value}: the date backed by more sources, else the more recent reading."
    )


def _merge_actors(mentions: list[EventMention]) -> tuple[EventActor, ...]:
    best: dict[str, EventActor] = {}
    order: list[str] = []
    for m in mentions:
        for a in m.actors:
            k = actor_key(a)
            if k not in best:
                best[k] = a
                order.append(k)
            elif ROLE_PRIORITY.get(a.role, 9) < ROLE_PRIORITY.get(best[k].role, 9):
                best[k] = a
    return tuple(best[k] for k in order)


def _event_type(mentions: list[EventMention]) -> str:
    """The most frequent type; a speech act that is also a proposal/demand is that."""
    counts = Counter(m.type for m in mentions)
    specific = Counter({t: n for t, n in counts.items() if t != "statement"})
    pick = specific or counts
    return min(pick.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def event_id(first_mention_id: str) -> str:
    return "e_" + hashlib.sha1(first_mention_id.encode("utf-8")).hexdigest()[:16]


def _to_event(c: _Cluster, docs: dict[str, Document]) -> Event:
    ms = c.mentions
    claims = _claims(c, docs)
    conflict = _disagreeing(claims) != []
    chosen = _chosen_timex(c, docs, conflict)
    etype = _event_type(ms)
    typed = [m for m in ms if m.type == etype] or ms
    with_date = [m for m in typed if chosen is not None and m.timex is not None and m.timex.value == chosen.value]
    rep = max(with_date or typed, key=lambda m: (m.confidence, -m.sent_start))
    modality = Counter(m.modality for m in typed).most_common(1)[0][0]
    sources = tuple(dict.fromkeys(source_of(docs.get(m.doc_id), m.doc_id) for m in ms))
    conf = max(m.confidence for m in ms) + 0.05 * (len(sources) - 1) - (0.1 if conflict else 0.0)
    return Event(
        id=event_id(ms[0].id),
        title=rep.title,
        type=etype,
        modality=modality,
        start=chosen.range_start if chosen else None,
        end=chosen.range_end if chosen else None,
        precision=chosen.granularity if chosen else None,
        value=chosen.value if chosen else None,
        mod=chosen.mod if chosen else None,
        actors=_merge_actors(ms),
        mention_ids=tuple(m.id for m in ms),
        sources=sources,
        conflict=conflict,
        conflict_note=_conflict_note(claims, chosen) if conflict and chosen else None,
        claims=tuple(claims),
        confidence=round(max(0.0, min(conf, 0.99)), 3),
    )
