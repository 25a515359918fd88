"""Which mentions can change each other's events: the regions of reconciliation.

``timeline.reconcile`` reconciles each region on its own, then merges conflicting events
of different regions; ``timeline.reconcile_store`` re-runs only the regions whose
mentions changed, so adding documents re-reconciles the regions their mentions fall
into, with exactly the result of reconciling everything (issue 13).

A region is a connected component of the graph linking each mention to its *cells*:
* a mention with a fine date (a span of at most ``FINE_SPAN_DAYS`` days: a day, a week,
  a month): (type group|index key, the month it starts in);
* a coarser date ("2022", "spring 2022", "the 2010s"): (type group|index key, year) for
  the years it covers, so coarse and fine dates never share a region;
* an undated mention: (type group|index key, its article's publication month).
Index keys are ``reconcile._Index.keys``: actors, their countries, a state's country,
plus the document (same-document matches). So a region holds the events of one type
group in one month that share actors, and what links them; it grows with the number of
reports per month, not with the corpus.

*Conflict links* (``conflict_links``: own-sentence dates one month or one year apart
that ``reconcile.conflict_candidate`` could pair, reports published within
``CONFLICT_PUBLISHED_WITHIN`` days of each other) are not cells: they join events
across regions afterwards (``reconcile.merge_across``), in small connected groups.

A region's id is a hash of its member ids: a region whose members all carry its id
(``event_mentions.block``) holds exactly the mentions it was last reconciled with.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from timeline.model import EventActor

FINE_SPAN_DAYS = 62
CONFLICT_PUBLISHED_WITHIN = 31  # days between two reports that may contradict each other
_YEARS_CAP = 4  # years of cells a coarse date covers (the index files 36 months at most)


@dataclass(frozen=True, slots=True)
class MentionKey:
    """What decides a mention's part: its blocking keys and its date (or publication date)."""

    id: str
    doc_id: str
    type: str
    group: str
    same_clause: bool
    start: dt.date | None  # None: undated
    end: dt.date | None
    granularity: str | None
    year_inferred: bool
    keys: frozenset[str]  # filed index keys, type group included
    lookup: frozenset[str]  # index keys its candidate search looks up
    conflict_keys: frozenset[str]  # doers' countries, or the doers without one (conflict links)
    ids: frozenset[str]  # gazetteer ids of its actors
    published: dt.date | None

    # the date alone, as ``reconcile.near_miss_kind`` reads a ``Timex`` (range_start,
    # range_end, granularity): no Timex object per mention (a full plan holds the keys of
    # every linkable mention of the store)
    @property
    def range_start(self) -> dt.date | None:
        return self.start

    @property
    def range_end(self) -> dt.date | None:
        return self.end

    @property
    def timex(self) -> MentionKey | None:
        return self if self.start is not None else None

    @property
    def dated(self) -> bool:
        return self.start is not None

    @property
    def fine(self) -> bool:
        assert self.start is not None and self.end is not None
        return (self.end - self.start).days <= FINE_SPAN_DAYS


def mention_key(mid: str, doc_id: str, etype: str, date_source: str, start: dt.date | None, end: dt.date | None,
                granularity: str | None, timex_text: str | None, actors: tuple[EventActor, ...],
                published: dt.date | None) -> MentionKey:
    """One mention's key, from the fields both the in-memory and the store path have."""
    from timeline.reconcile import year_inferred_text

    group, keys, lookup, conflict, ids = _actor_parts(etype, actors)
    dated = start is not None and end is not None
    return MentionKey(
        id=mid, doc_id=doc_id, type=etype, group=group, same_clause=date_source == "same_clause",
        start=start if dated else None, end=end if dated else None, granularity=granularity,
        year_inferred=bool(dated and timex_text and year_inferred_text(timex_text)),
        keys=keys, lookup=lookup, conflict_keys=conflict, ids=ids, published=published)


@lru_cache(maxsize=1 << 16)
def _actor_parts(etype: str, actors: tuple[EventActor, ...]) -> tuple:
    """What a mention's type and actors decide (many mentions share them: computed once)."""
    from timeline.reconcile import _Index, _role_split, actor_key, type_group

    probe = _Probe(etype, actors)
    core = _role_split(actors)[0]
    # a shared doer shares its country: countries (else the doer) find both kinds of conflict
    conflict = {"C:" + a.country if a.country else actor_key(a) for a in core}
    return (type_group(etype), frozenset(_Index.keys(probe)), frozenset(_Index.keys(probe, lookup=True)),
            frozenset(conflict), frozenset(a.actor_id for a in actors if a.actor_id))


@dataclass(frozen=True)
class _Probe:
    """The two fields ``_Index.keys`` reads."""

    type: str
    actors: tuple[EventActor, ...]


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _months(lo: dt.date, hi: dt.date, cap: int = 36) -> range:
    m0 = _month(lo)
    return range(m0, min(_month(hi), m0 + cap - 1) + 1)


def dated_cells(k: MentionKey) -> list[tuple]:
    """The cells of a dated mention (see the module docstring)."""
    assert k.start is not None and k.end is not None
    keys = [*k.keys, k.group + "|doc:" + k.doc_id]
    if k.fine:  # filed under the month it starts in (a week over a month's end: that month)
        return [(key, "M", _month(k.start)) for key in keys]
    years = range(k.start.year, min(k.end.year, k.start.year + _YEARS_CAP - 1) + 1)
    return [(key, "Y", y) for key in keys for y in years]


def undated_cells(k: MentionKey) -> list[tuple]:
    """An undated mention is filed in the month it was published: it may join an event of
    that month's region (its own document's, or one dated in the month before publication)."""
    doc = k.group + "|doc:" + k.doc_id
    if k.published is None:
        return [(doc, "M", None)]
    pub = _month(k.published)
    return [(key, "M", pub) for key in k.keys] + [(doc, "M", pub)]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        root = x
        while True:
            p = parent.setdefault(root, root)
            if p == root:
                break
            root = p
        while x != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


class IntUnionFind:
    """Union-find over 0..n-1 in one list (no dict entry or tuple per node: a full plan
    has a node per cell of every mention of the store)."""

    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def part_id(member_ids: Iterable[str]) -> str:
    """A region's id: a hash of its member ids (so an unchanged region keeps its id)."""
    h = hashlib.sha1()
    for mid in sorted(member_ids):
        h.update(mid.encode("utf-8") + b"\0")
    return "r_" + h.hexdigest()[:20]


def cells(k: MentionKey) -> list[tuple]:
    return dated_cells(k) if k.dated else undated_cells(k)


def cell_id(cell: tuple) -> str:
    """A cell as one string (how the store keeps it: ``region_cells``)."""
    key, unit, n = cell
    return f"{key}\x1f{unit}\x1f{'' if n is None else n}"


def regions(keys: Iterable[MentionKey]) -> dict[str, list[str]]:
    """Region id -> its member mention ids (sorted). O(mentions), a few cells each."""
    return regions_with(keys)[0]


def regions_with(keys: Iterable[MentionKey], known: Mapping[str, str] | None = None,
                 blocks: Mapping[str, list[str]] | None = None
                 ) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """The regions of the mentions ``keys`` together with whole stored regions: ``known``
    maps a cell id to the stored region that holds it, ``blocks`` a stored region to its
    member ids. A stored region is a connected component, so it joins as one node, through
    any of its cells; the result is exact when ``keys`` and ``blocks`` hold every member
    of every component they reach. Returns region id -> member ids (sorted), and the new
    region of every cell of ``keys`` and of every stored region (``"b:" + old id``)."""
    keys = list(keys)
    known = known or {}
    uf = _UnionFind()
    for k in keys:
        node = ("m", k.id)
        for c in cells(k):
            cid = cell_id(c)
            uf.union(node, cid)
            b = known.get(cid)
            if b is not None:
                uf.union(cid, ("b", b))
    members: dict = {}
    for k in keys:
        members.setdefault(uf.find(("m", k.id)), []).append(k.id)
    for b, ids in (blocks or {}).items():
        members.setdefault(uf.find(("b", b)), []).extend(ids)
    rid = {root: part_id(ids) for root, ids in members.items()}
    where = {cid: rid[uf.find(cid)] for cid in uf.parent if isinstance(cid, str)}
    renamed = {b: rid[uf.find(("b", b))] for b in blocks or {}}
    return {rid[root]: sorted(ids) for root, ids in members.items()}, where, renamed


def conflict_links(dated: list[MentionKey], among: set[str] | None = None) -> list[tuple[str, str]]:
    """Pairs of own-sentence dated mentions a conflict could join (a superset of what
    ``conflict_candidate`` accepts): same type (not a statement), different documents
    published within ``CONFLICT_PUBLISHED_WITHIN`` days, a doer or a doer's country in
    common, and dates that are a near miss: one year apart when either's year was
    inferred, adjacent units when they share two actors. Each pair once, lower id first.

    ``among``: only the pairs with a member in it (the others of ``dated`` need only
    hold every mention such a pair could join). Whether a pair is found and accepted
    depends on the two mentions alone (the index cells of either side find the other),
    so this is what the whole set gives restricted to those pairs."""
    from timeline.reconcile import near_miss_kind

    eligible = [k for k in dated if link_eligible(k)]
    # a one-year slip needs an inferred year on one side, adjacent units two shared
    # actors; reports published within 31 days fall in neighbouring 32-day buckets
    every: dict[tuple, list[MentionKey]] = {}
    inferred: dict[tuple, list[MentionKey]] = {}
    paired: dict[tuple, list[MentionKey]] = {}
    buckets: set = set()
    for k in eligible:
        assert k.start and k.end
        b = _pub_bucket(k.published)
        buckets.add(b)
        for ck in k.conflict_keys:
            for mo in _months(k.start, k.end):
                cell = (k.type, ck, mo, b)
                every.setdefault(cell, []).append(k)
                if k.year_inferred:
                    inferred.setdefault(cell, []).append(k)
                if len(k.ids) >= 2:
                    paired.setdefault(cell, []).append(k)
    out: list[tuple[str, str]] = []
    for k in (eligible if among is None else [k for k in eligible if k.id in among]):
        assert k.start and k.end
        b = _pub_bucket(k.published)
        near = buckets if b is None else [x for x in (b - 1, b, b + 1, None) if x in buckets]
        seen: dict[str, MentionKey] = {}
        years = every if k.year_inferred else inferred
        shifts = ((-12, years), (12, years)) + (((-1, paired), (1, paired)) if len(k.ids) >= 2 else ())
        for ck in k.conflict_keys:
            for mo in _months(k.start, k.end):
                for shift, index in shifts:
                    for pb in near:
                        for o in index.get((k.type, ck, mo + shift, pb), ()):
                            # the whole set: each pair from its lower id; ``among``: from
                            # its member in it (the lower one when both are)
                            if o.id > k.id or (among is not None and o.id < k.id and o.id not in among):
                                seen[o.id] = o
        for oid in sorted(seen):
            a, o = (k, seen[oid]) if k.id < oid else (seen[oid], k)
            if o.doc_id == a.doc_id or not published_close(a.published, o.published):
                continue
            assert a.timex is not None and o.timex is not None
            kind = near_miss_kind(a.timex, o.timex)
            if (kind == "year" and (a.year_inferred or o.year_inferred)) or \
                    (kind == "adjacent" and len(a.ids & o.ids) >= 2):
                out.append((a.id, o.id))
    return out


def link_eligible(k: MentionKey) -> bool:
    """Could a conflict link join this mention to another? (Own-sentence dated, not a
    statement, a doer, a date finer than a year.)"""
    return bool(k.dated and k.same_clause and k.type != "statement" and k.conflict_keys
                and k.granularity not in ("year", "decade", "century"))


def _pub_bucket(d: dt.date | None) -> int | None:
    return None if d is None else d.toordinal() // 32


def published_close(a: dt.date | None, b: dt.date | None) -> bool:
    """May reports published on ``a`` and ``b`` contradict each other about one event?
    (Unknown publication dates do not rule it out.)"""
    return a is None or b is None or abs((a - b).days) <= CONFLICT_PUBLISHED_WITHIN
