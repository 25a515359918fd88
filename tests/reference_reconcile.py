"""FROZEN reference: ``timeline/reconcile.py`` as of commit 72dc9c2 (before the local,
blocked reconciliation of issue 13), kept unchanged so tests can compare the new
algorithm's events and conflicts with the old one's on the seeds, the samples and the
SemEval-2015 texts (tests/test_reconcile_reference.py). Do not edit (it reads only
``timeline.model``).

Original docstring:

Same real event, many mentions -> one ``Event``; disagreements kept as conflicts.

Greedy, deterministic clustering in three passes:
  1. mentions dated in their own sentence (``same_clause``), in reading order
     (publication date, document id, offset): each joins the best-scoring event or
     starts a new one; then events that are one story with near-miss dates in
     different sources are joined (``_merge_conflicting``);
  2. mentions dated by narrative carry-over or by the publication day: they join an
     event only when their date is compatible, never create a conflict;
  3. undated mentions: attached to a matching event of their own document or of the
     month before their publication (same type, a shared actor, similar wording),
     else grouped with matching undated ones, else kept alone.

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
import heapq
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from timeline.model import GRANULARITY_ORDER, DatedClaim, Document, Event, EventActor, EventMention, Timex

SPEECH_ACTS = frozenset({"statement", "proposal", "demand"})
ROLE_PRIORITY = {"speaker": 0, "agent": 1, "participant": 2, "target": 3, "mentioned": 4}
_CORE_ROLES = frozenset({"agent", "speaker", "participant"})
MERGE_THRESHOLD = 4.0  # score needed to join an event with a compatible date
CONFLICT_THRESHOLD = 3.5  # score (without the date term) needed to merge despite a near-miss date


@dataclass
class _Cluster:
    """Mentions of one event, with what the join tests read kept up to date as they
    arrive (documents, distinct date intervals), so no test walks every mention."""

    mentions: list[EventMention] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    own: dict[tuple[dt.date, dt.date], None] = field(default_factory=dict)  # same-clause dates
    dated_spans: dict[tuple[dt.date, dt.date], None] = field(default_factory=dict)

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


def actor_key(a: EventActor) -> str:
    return a.actor_id or "?" + a.name.lower()


def source_of(doc: Document | None, doc_id: str) -> str:
    """The outlet, or a stand-in naming the document when the outlet is unknown."""
    if doc is not None and doc.source:
        return doc.source
    return f"unknown source ({doc_id[:10]})"


def _role_split(actors: tuple[EventActor, ...]) -> tuple[tuple[EventActor, ...], tuple[EventActor, ...]]:
    core = tuple(a for a in actors if a.role in _CORE_ROLES)
    # "mentioned" actors (named in the sentence, no role in the event) never decide a match
    return core, tuple(a for a in actors if a.role not in _CORE_ROLES and a.role != "mentioned")


def mention_actors_match(m: EventMention, o: EventMention) -> float | None:
    """Do two mentions have compatible actors? The doers (agent/speaker/participant)
    decide; when both name doers beyond the shared ones ("Putin and Scholz" vs "Putin and
    Macron") they are different events; for non-statements, two disjoint sets of targets
    also mean different events. Scores as ``_actors_match``."""
    core_m, rest_m = _role_split(m.actors)
    core_o, rest_o = _role_split(o.actors)
    if core_m and core_o:
        score = _actors_match(core_m, core_o)
        if score == 2.0:
            km = {actor_key(x) for x in core_m}
            ko = {actor_key(x) for x in core_o}
            if km - ko and ko - km:
                return None
    else:
        score = _actors_match(m.actors, o.actors)
    if score and rest_m and rest_o and "statement" not in (m.type, o.type) and _actors_match(rest_m, rest_o) is None:
        return None
    return score


def _actors_match(a: tuple[EventActor, ...], b: tuple[EventActor, ...]) -> float | None:
    """2 = a shared actor, 1 = a state and an actor of that state, 0 = one side has no
    actors, None = both have actors and nothing in common (never the same event)."""
    if not a or not b:
        return 0.0
    ka, kb = {actor_key(x) for x in a}, {actor_key(x) for x in b}
    if ka & kb:
        return 2.0
    states_a = {x.country for x in a if x.kind == "state" and x.country}
    states_b = {x.country for x in b if x.kind == "state" and x.country}
    countries_a = {x.country for x in a if x.country}
    countries_b = {x.country for x in b if x.country}
    if states_a & countries_b or states_b & countries_a:
        return 1.0
    return None


def _type_score(a: str, b: str) -> float | None:
    if a == b:
        return 1.0 if a == "other" else 2.0  # (the "other" rule of main, 5261c53, applied to the reference)
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


def near_miss_kind(a: Timex, b: Timex) -> str | None:
    """At the coarser of the two precisions: "year" (one year apart: "June" read as this
    year or last), "adjacent" (neighbouring units: 30 November vs early December), or
    None (overlapping, or too far apart to be one event told twice)."""
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


def conflict_candidate(m: EventMention, o: EventMention) -> bool:
    """Two mentions of one event whose dates disagree? Different documents, both dated
    in their own sentence, not statements (a speaker says similar things often), and a
    near miss that a source could plausibly make: a one-year slip only when at least
    one year was inferred (a bare "June", "June of last year"), adjacent units only for a
    specific pairing (two shared actors). Same type and a
    shared doer (agent/speaker/participant, by gazetteer id) are required."""
    if m.doc_id == o.doc_id or m.type != o.type or m.type == "statement":
        return False
    if m.timex is None or o.timex is None or m.date_source != "same_clause" or o.date_source != "same_clause":
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
    return not re.search(r"\b\d{4}\b", t.text) and bool(_MONTH_OR_YEAR_WORD.search(t.text))


def _similarity(a: EventMention, b: EventMention) -> float:
    return fuzz.token_set_ratio(a.title.lower(), b.title.lower()) / 100.0


def _action_similarity(a: EventMention, b: EventMention) -> float:
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
        return None  # a statement and a proposal are one event only when worded alike
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


def _best_cluster(m: EventMention, clusters: list[_Cluster], candidates: Iterable[int], allow_conflict: bool,
                  published: dt.date | None = None) -> tuple[int, bool] | None:
    """Index of the cluster ``m`` joins and whether it joins as a conflicting claim.

    An undated mention (``published`` given) may only join an event named in its own
    document or one dated in the month before the article's publication: news talks
    about recent events, and that keeps the search bounded."""
    best: tuple[float, int, bool] | None = None
    for ci in sorted(set(candidates)):
        c = clusters[ci]
        if m.timex is None and published is not None and m.doc_id not in c.docs:
            if not _recent(c, published):
                continue
        for o in _members(c):
            if _type_score(m.type, o.type) is None:
                continue
            if m.timex is None or o.timex is None:
                date_term, conflict = 0.0, False
            elif dates_overlap(m.timex, o.timex):
                if not _fits_group(m.timex, o, c):
                    continue
                date_term, conflict = (1.5 if m.timex.value == o.timex.value else 1.0), False
            elif allow_conflict and conflict_candidate(m, o) and _tight(m, c):
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
                best = (score, ci, conflict)
    return None if best is None else (best[1], best[2])


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

    @staticmethod
    def keys(m: EventMention, lookup: bool = False) -> set[str]:
        """Index keys of a mention (``lookup=False``) or the keys to look up for it.
        Weak matches pair a state with anyone of its country: states are indexed under
        "state:C" and looked up under "cty:C", everyone else the other way round."""
        group = "speech" if m.type in SPEECH_ACTS else m.type  # only compatible types can merge
        out = {actor_key(a) for a in m.actors}
        for a in m.actors:
            if a.country:
                if lookup:
                    out.add(("cty:" if a.kind == "state" else "state:") + a.country)
                else:
                    out.add("cty:" + a.country)
                    if a.kind == "state":
                        out.add("state:" + a.country)
        return {group + "|" + k for k in out}

    @classmethod
    def slots(cls, t: Timex | None) -> list[tuple[str, int]]:
        """Where a date is filed: a single day under its day ("d", ordinal) and its month
        ("dm", month number, for long look-ups), anything longer under each month it
        covers ("m", month number), undated under ("u", -1)."""
        if t is None or t.range_start is None or t.range_end is None:
            return [("u", -1)]
        if t.range_start == t.range_end:
            return [("d", t.range_start.toordinal()), ("dm", _month(t.range_start))]
        m0 = _month(t.range_start)
        return [("m", mo) for mo in range(m0, min(_month(t.range_end), m0 + cls.SPAN_CAP - 1) + 1)]

    def add(self, ci: int, m: EventMention) -> None:
        self.by_doc.setdefault(m.doc_id, set()).add(ci)
        slots = self.slots(m.timex)
        cap = self.BUCKET_CAP
        for k in self.keys(m):
            filed = self.by_key.setdefault(k, {})
            for slot in slots:
                bucket = filed.setdefault(slot, {})
                if ci not in bucket:
                    bucket[ci] = None
                    if len(bucket) > cap:
                        del bucket[next(iter(bucket))]

    def lookup(self, keys: Iterable[str], wanted: Iterable[tuple[str, int]], out: set[int]) -> set[int]:
        """``out`` plus the events filed under any key in any wanted slot, capped."""
        wanted = list(wanted)
        for k in keys:
            filed = self.by_key.get(k)
            if filed is None:
                continue
            for slot in wanted:
                hit = filed.get(slot)
                if hit:
                    out.update(hit)
        if len(out) > self.MAX_CANDIDATES:
            out = set(heapq.nlargest(self.MAX_CANDIDATES, out))
        return out

    def candidates(self, m: EventMention, published: dt.date | None = None, near: bool = True) -> set[int]:
        """Events filed where ``m``'s date could overlap them; with ``near`` also where a
        conflict could join: the neighbouring day/month when ``m`` names two doers, the
        same day/month a year off when its year was inferred. An undated mention looks
        at the month before ``published``."""
        t = m.timex
        # same-document events: needed when actors cannot find them (none named) or the
        # mention is undated; otherwise the actor keys below already reach them
        out = set(self.by_doc.get(m.doc_id, ())) if (t is None or not m.actors) else set()
        if t is not None and t.range_start is not None and t.range_end is not None:
            lo, hi = t.range_start, t.range_end
        elif published is not None:  # (clamped: a date in year 1 has no month before it)
            lo, hi = dt.date.fromordinal(max(1, published.toordinal() - 31)), published
        else:
            return out
        wanted = _slots_between(lo, hi)
        if near and t is not None and m.date_source == "same_clause" and m.type != "statement":
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
        return self.lookup(self.keys(m, lookup=True), wanted, out)


def _month_start(month_number: int) -> dt.date:
    """First day of a month number; clamped to the calendar's ends (a 9999-12 event's
    "month after" is past datetime's last year)."""
    if month_number // 12 > dt.MAXYEAR:
        return dt.date.max
    if month_number // 12 < dt.MINYEAR:
        return dt.date.min
    return dt.date(month_number // 12, month_number % 12 + 1, 1)


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


def _order_key(docs: dict[str, Document]):
    def key(m: EventMention) -> tuple:
        d = docs.get(m.doc_id)
        pub = d.published if d is not None and d.published else dt.date.max
        return (pub, m.doc_id, m.sent_start, m.id)

    return key


def reconcile(mentions: list[EventMention], docs: dict[str, Document]) -> list[Event]:
    """All events (dated first, then undated), each with every mention attached."""
    ordered = sorted(mentions, key=_order_key(docs))
    clusters: list[_Cluster] = []
    index = _Index()

    def place(m: EventMention, allow_conflict: bool) -> None:
        hit = _best_cluster(m, clusters, index.candidates(m), allow_conflict)
        _join_or_start(m, hit, clusters, index)

    for m in ordered:
        if m.timex is not None and m.date_source == "same_clause":
            place(m, True)
    clusters = _merge_conflicting(clusters)
    index = _Index()
    for ci, c in enumerate(clusters):
        for m in c.mentions:
            index.add(ci, m)
    for m in ordered:
        if m.timex is not None and m.date_source != "same_clause":
            place(m, False)
    undated_clusters: list[_Cluster] = []
    undated_index = _Index()
    for m in (m for m in ordered if m.timex is None):
        doc = docs.get(m.doc_id)
        published = doc.published if doc is not None else None
        hit = _best_cluster(m, clusters, index.candidates(m, published, near=False), False, published)
        if hit is not None:
            clusters[hit[0]].add(m)
            continue
        same_doc = undated_index.by_doc.get(m.doc_id, set())
        hit = _best_cluster(m, undated_clusters, same_doc | _undated_candidates(undated_index, m), False)
        _join_or_start(m, hit, undated_clusters, undated_index)
    return [_to_event(c, docs) for c in clusters + undated_clusters]


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
    return index.lookup(index.keys(m, lookup=True), [("u", -1)], out)


def _conflicting_pair(a: _Cluster, b: _Cluster) -> bool:
    for x in _members(a):
        for y in _members(b):
            if conflict_candidate(x, y):
                score = _pair_score(x, y)
                if score is not None and score >= CONFLICT_THRESHOLD:
                    return all(_tight(z, a) for z in _members(b) if z.timex is not None and z.date_source == "same_clause")
    return False


def _merge_conflicting(clusters: list[_Cluster]) -> list[_Cluster]:
    """Join events that are the same story with near-miss dates in different sources
    (e.g. one source's "June" sits in an event of its own, the other's "June of last
    year" in another). Order is kept, so the result is deterministic."""
    out: list[_Cluster] = []
    index = _Index()
    for c in clusters:
        cands: set[int] = set()
        for m in c.mentions:
            cands |= index.candidates(m)
        for ti in sorted(cands):
            if _conflicting_pair(out[ti], c):
                out[ti].extend(c.mentions)
                for m in c.mentions:
                    index.add(ti, m)
                break
        else:
            out.append(c)
            for m in c.mentions:
                index.add(len(out) - 1, m)
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
