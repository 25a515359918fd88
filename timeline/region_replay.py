"""Re-running a region from the decisions of its last run (issue 13).

``reconcile.reconcile_region`` is greedy: each mention, in reading order, joins the
best-scoring event among the candidates the blocking index finds, or starts one. A
decision depends only on the mention, the candidate events (which the index's buckets
hold) and those events' mentions so far. When a region is run again because a few
mentions were added, most decisions are those of the last run, which the store keeps:
each mention's *seed*, the first mention of the event it was placed in (before merges
across stages). A ``Replay`` takes the stored decision instead of scoring when it is
provably the same:

* an event is *changed* once its mentions differ from those of the last run's event
  that began with the same mention (a new mention joined it, or a mention went
  elsewhere than last time);
* the index's buckets (and documents) that hold a changed event, or that a new or
  re-decided mention was filed in, are marked (``_Index.mark``); the others hold the
  same events in the same order as in the last run, none of them changed;
* a mention with a stored seed whose look-up reads no marked bucket finds the same
  candidates in the same state as last time, so it makes the same decision: the
  stored one. Any other mention is scored as in a full run.

So the result is exactly that of running the region from scratch (tests compare the two
on stores), and the work is in proportion to the mentions whose look-ups reach changed
events: new mentions' neighbours in the index, not the whole region. The merges of
same-story events (``reconcile._merge_conflicting``) are replayed the same way, event by
event (the stored ``cluster`` of an event's first mention names the event it was merged
into).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.model import EventMention
    from timeline.reconcile import Query, _Cluster, _Index

Prior = Mapping[str, tuple[str, str]]  # mention id -> (seed mention id, stored cluster id), its last run's
UNKNOWN = object()  # no stored decision holds: score
Places = list[tuple[dict[str, int], list["_Cluster"], "_Index"]]  # (first mention -> index, events, their index)


class Shadow:
    """The last run's index at the same point of the same stage: the stored decisions of
    the old mentions applied in reading order, nothing scored. What a look-up found then
    (``found``) is compared with what it finds now when marks forbid the quick replay."""

    def __init__(self) -> None:
        from timeline.reconcile import _Index

        self.index = _Index()
        self.ids: list[str] = []  # event identities in the order they were made
        self.at: dict[str, int] = {}
        self.members: dict[str, list[EventMention]] = {}

    def add(self, m: EventMention, identity: str) -> None:
        i = self.at.get(identity)
        if i is None:
            i = self.at[identity] = len(self.ids)
            self.ids.append(identity)
        self.index.add(i, m)
        self.members.setdefault(identity, []).append(m)

    def found(self, cands: Iterable[int]) -> list[str]:
        return [self.ids[i] for i in sorted(cands)]


class Replay:
    """The decisions of one region's run; with a ``prior``, the last run's are reused where
    they provably hold (see the module docstring). Without one, every decision is scored."""

    def __init__(self, prior: Prior | None = None) -> None:
        self.prior: Prior = prior or {}
        self.seeds: dict[str, str] = {}  # mention id -> first mention of the event it was placed in
        self.replays = 0  # decisions taken from the last run

    @staticmethod
    def where(clusters: Iterable[_Cluster]) -> dict[str, int]:
        """A list of events by their first mention's id."""
        return {c.mentions[0].id: i for i, c in enumerate(clusters)}

    def old(self, m: EventMention) -> str | None:
        """The first mention of the event ``m`` was placed in last time (None: new)."""
        got = self.prior.get(m.id)
        return got[0] if got is not None else None

    def replayed(self, old: str | None, m: EventMention, queries: list[tuple[_Index, Query]],
                 where: Mapping[str, int]) -> object:
        """The index in ``where``'s events of the one ``m`` joins again (None: it starts one
        again), or ``UNKNOWN`` when the look-ups ``queries`` read a marked bucket or there
        is no stored decision."""
        if old is None or not all(ix.untouched(q) for ix, q in queries):
            return UNKNOWN
        hit = None if old == m.id else where.get(old, UNKNOWN)
        if hit is not UNKNOWN:
            self.replays += 1
        return hit

    def checked(self, old: str, m: EventMention, where: Mapping[str, int], cands: set[int],
                clusters: list[_Cluster], then: list[str], score: Callable[[int], tuple[float, bool] | None]) -> object:
        """``m``'s stored decision (``old``) as an index into ``where``'s events (None: a new
        one) if it holds with the candidates ``cands`` (``holds``), else ``UNKNOWN``."""
        ci = None if old == m.id else where.get(old)
        if (ci is None and old != m.id) or not holds(ci, cands, clusters, then, score):
            return UNKNOWN
        self.replays += 1
        return ci

    def settle(self, m: EventMention, c: _Cluster, old: str | None, index: _Index, places: Places) -> None:
        """``m`` was placed in ``c`` (filed in ``index``): record it; if that is not where it
        was last time (``old``, looked up in ``places``), both events have changed."""
        first = c.mentions[0].id
        self.seeds[m.id] = first
        if not self.prior:  # a run from scratch: nothing to compare with
            return
        if first != old:
            self.taint(c, index)
            for where, clusters, ix in places:
                if old in where:
                    self.taint(clusters[where[old]], ix)
        if c.changed:  # (also when it was already: ``m``'s buckets now hold a changed event)
            index.mark(m)

    @staticmethod
    def taint(c: _Cluster, index: _Index) -> None:
        """``c`` differs from the last run's event that began alike: mark where it is filed."""
        if not c.changed:
            c.changed = True
            for x in c.mentions:
                index.mark(x)

    def merged(self, first: Shadow) -> Shadow:
        """The last run's index after the merges (``first``: its own-sentence stage): its
        events that stayed first of a merge, each with the mentions merged into it."""
        from timeline.reconcile import event_id

        out = Shadow()
        if not self.prior:
            return out
        into: dict[str, list[EventMention]] = {}
        for x in first.ids:
            into.setdefault(self.prior[x][1], []).extend(first.members[x])
        for x in first.ids:
            if event_id(x) == self.prior[x][1]:
                for m in into[self.prior[x][1]]:
                    out.add(m, x)
        return out

    def merged_into(self, c: _Cluster) -> str | None:
        """The stored event (cluster id) that ``c``, unchanged, was merged into last time."""
        if c.changed:
            return None
        got = self.prior.get(c.mentions[0].id)
        return got[1] if got is not None else None

    def affected(self, clusters: Iterable[_Cluster]) -> set[str]:
        """Stored events (cluster ids) some mention of which is in a changed event now:
        merged again, they differ from the last run's even if no merge decision does."""
        return {self.prior[m.id][1] for c in clusters if c.changed for m in c.mentions if m.id in self.prior}


def holds(old: int | None, cands: set[int], clusters: list[_Cluster], then: list[str],
          score: Callable[[int], tuple[float, bool] | None]) -> bool:
    """Does the last run's choice hold: ``m`` joins ``clusters[old]`` (None: none of the
    candidates)? ``then``: the first mentions of the events the last run's look-up found.
    The best-scoring candidate wins, the first on a tie; the candidates found then and
    unchanged score as then, so lost to the choice then: only the others (changed since,
    or not found then) are scored, against the choice (``score``: ``_cluster_score``)."""
    if old is not None and (old not in cands or clusters[old].changed):
        return False
    seen = set(then)
    others = [ci for ci in sorted(cands) if clusters[ci].changed or clusters[ci].mentions[0].id not in seen]
    if not others:
        return True
    if old is None:
        return all(score(ci) is None for ci in others)
    mine = score(old)
    if mine is None:
        return False
    for ci in others:
        got = score(ci)
        if got is not None and (got[0] > mine[0] or (got[0] == mine[0] and ci < old)):
            return False
    return True
