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

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.model import EventMention
    from timeline.reconcile import Query, _Cluster, _Index

Prior = Mapping[str, tuple[str, str]]  # mention id -> (seed mention id, stored cluster id), its last run's
UNKNOWN = object()  # no stored decision holds: score
Places = list[tuple[dict[str, int], list["_Cluster"], "_Index"]]  # (first mention -> index, events, their index)


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
