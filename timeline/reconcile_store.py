"""Reconcile the store's mentions into events, re-running only what changed.

The plan: which regions (``timeline.regions``) changed, and the conflict links. A
region whose members all carry its id in ``event_mentions.block`` holds exactly the
mentions it was last reconciled with, and its events depend on nothing else, so it is
left alone; the others ("dirty": new, re-read or removed mentions) are reconciled again
(``reconcile.reconcile_region``), replaying the last run of the largest stored region each
holds whole (``timeline.region_replay``: the stored ``seed`` of each mention), and only the
events that differ from the stored ones are written (the others' mentions get the new
region id, in SQL); an incremental run writes its labels once, after the events. Then
events of different regions that a conflict could merge (``reconcile.merge_across``) are
re-merged in every connected group that holds a re-reconciled event, an event that lost
mentions (``stale_events``) or a stored merge that no longer holds; the unchanged events
of clean regions in those groups are read back as stored (``cluster``, ``pos``), not
recomputed, and a merged event that comes out as stored is not written again. Everything
written is exactly what reconciling every mention from scratch gives, which ``--full`` does (every
label cleared), and what ``timeline.reconcile.reconcile`` gives in memory.

Two ways to plan, with one result: ``_full_plan`` reads a few columns of every mention
(the first reconcile, after a killed one, or when much changed); ``_incremental_plan``
reads the changed mentions, the stored region of each of their cells (``region_cells``)
and the stored regions that lost mentions (``stale_blocks``), and recomputes only the
changed mentions' conflict links (the others are kept in ``conflict_links``): it pays in
proportion to what changed and to the regions that change touches. A reconcile that
finishes stores what the next one plans from (migration 8).

Memory: the full plan holds a few columns of every mention (keys, labels); the mentions
themselves are read, reconciled and written a block of regions at a time
(``BLOCK_MENTIONS``), and the conflict merges a block of groups at a time.
"""
from __future__ import annotations

import gc
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline.model import Document, EventMention
from timeline.pipeline import _date, _stored_actors, extraction_tables, mentions_from_rows
from timeline.reconcile import _Cluster, merge_across, reconcile_region, to_event
from timeline.region_replay import Replay
from timeline.regions import (IntUnionFind, MentionKey, _UnionFind, cell_id, cells, conflict_links, link_eligible,
                              mention_key, part_id, regions_with)
from timeline.store import RegionPlan, Store, _frame


BLOCK_MENTIONS = 20_000  # mentions of dirty regions reconciled, then written, per transaction
GC_YOUNG = 50_000  # allocations between the cycle collector's young passes while reconciling (Python: 700)


@dataclass(frozen=True)
class ReconcileStats:
    regions: int
    dirty_regions: int
    mentions: int
    mentions_reconciled: int  # mentions of the regions run again (the dirty ones)
    events_written: int
    plan: str = "full"  # "incremental": planned from the changed mentions only
    decisions_replayed: int = 0  # placements taken from the regions' last runs (``timeline.region_replay``)


PLAN_VERSION = "1"  # of the stored plan (region cells, conflict links): a new definition plans from scratch
FULL_PLAN_SHARE = 0.2  # more changed mentions than this share of the store: plan from every mention


@dataclass
class _Plan:
    """Which regions to reconcile again, and the conflict links."""

    parts: dict[str, list[str]]  # region -> member ids: every region, or those changed mentions reach
    dirty: list[str]
    links: list[tuple[str, str]]  # every conflict link (mention ids)
    cluster_of: dict[str, str | None]  # a linked mention's stored cluster
    regions: int
    mentions: int
    save: RegionPlan  # what the next reconcile plans from
    lost: set[str]  # stored regions that lost mentions: their last runs cannot be replayed


def reconcile_store(store: Store, resources: Any, *, block_mentions: int = BLOCK_MENTIONS) -> ReconcileStats:
    """Bring the events up to date with the stored mentions.

    Streams: the plan (``_incremental_plan``: from the changed mentions and the stored
    region cells and links; else ``_full_plan``: a few columns of every mention); the
    dirty regions are read, reconciled and written ``block_mentions`` mentions at a time,
    each block in its own transaction (its events whose clusters no conflict link can
    touch, and every label; a linked cluster's event is left NULL); then the connected
    groups of linked events that need it are read back from the store and merged, a
    block of groups at a time; a last transaction drops the events nothing refers to any
    more, stores the plan and marks the events current. Killed before that, the store
    keeps ``events_stale`` and no current plan; the rerun plans from every mention, finds
    the regions already written clean and the NULL events touched, and completes the rest.

    Python's cycle collector is kept off what exists before the blocks are run (the
    resources, the plan: ``_frozen``); each of its full collections otherwise walked them
    again, more often and for longer the bigger the store (bench/README.md "Staged labels")."""
    with _frozen() as freeze:
        return _reconcile_store(store, resources, block_mentions, freeze)


@contextmanager
def _frozen() -> Iterator[Callable[[], None]]:
    """Objects alive now, and when the yielded function is called (after a collection:
    no garbage is frozen), are moved out of the cycle collector's reach (``gc.freeze``)
    until the block ends; a caller that froze objects itself keeps them frozen. Reference
    counting still frees them. Nothing computed depends on it."""
    own = gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], GC_YOUNG), *thresholds[1:])

    def freeze() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield freeze
    finally:
        gc.set_threshold(*thresholds)
        if own:
            gc.unfreeze()


def _reconcile_store(store: Store, resources: Any, block_mentions: int, freeze: Callable[[], None]
                     ) -> ReconcileStats:
    store.apply_staged_labels()  # a killed run's blocks, when no document changed since: clean for this one
    plan = _incremental_plan(store) if store.regions_plan() == PLAN_VERSION else None
    kind = "full" if plan is None else "incremental"
    if kind == "incremental":
        store.checkpoint()  # (and after each transaction below) the blocks its rows free are reused, not added
    plan = plan or _full_plan(store)
    freeze()  # the plan lives until the end
    store.plan_pending()
    parts, dirty, links, cluster_of = plan.parts, plan.dirty, plan.links, plan.cluster_of
    stale = store.stale_events()
    unsettled = store.unsettled_labels()
    unsettled_ids = {mid for mid, _cluster, _event in unsettled}  # (``rerun`` is only asked about these)
    linked = {mid for pair in links for mid in pair}
    events_written = 0

    # -- the dirty regions, block by block: unlinked clusters' events written at once
    new_linked: set[str] = set()
    rerun: set[str] = set()  # unsettled mentions of the events re-run and written (the others are as stored)
    unseated: set[str | None] = set()  # the stored events of those mentions (rewritten, whatever they hold now)
    replayed = 0
    # an incremental run's labels (few: only those that changed) are written once, after
    # the events (a crash in between leaves the regions dirty: the rerun plans them again)
    defer = kind == "incremental"
    later: list[tuple] = []
    later_renamed: list[tuple[str, str]] = []
    reconciled = 0
    for block in _blocks(dirty, parts, block_mentions):
        members = {rid: parts[rid] for rid in block}
        ids = [mid for rid in block for mid in members[rid]]
        reconciled += len(ids)
        columns, rows = store.mentions_by_id(ids)
        at = [columns.index(c) for c in ("id", "block", "cluster", "seed", "event_id", "pos")]
        labels = {r[at[0]]: tuple(r[i] for i in at[1:]) for r in rows}
        by_id, docs = _load(store, columns, rows)
        del rows
        events, alone, assign, renamed = [], {}, [], []
        for rid in block:
            prior = _prior(members[rid], labels, plan.lost)
            run = Replay(prior)
            for c in reconcile_region([by_id[i] for i in members[rid]], docs, run):
                if prior and not c.changed:
                    continue  # the stored event, its labels and seeds hold (its region: ``renamed``)
                rerun.update(m.id for m in c.mentions if m.id in unsettled_ids)
                unseated.update(labels[m.id][3] for m in c.mentions if m.id in labels)  # events that lose them
                if any(m.id in linked for m in c.mentions):
                    new_linked.add(c.id)
                    for pos, m in enumerate(c.mentions):
                        cluster_of[m.id] = c.id
                        assign.append((m.id, None, rid, c.id, pos, run.seeds[m.id]))  # its event: once merged, below
                else:
                    alone[c.id] = c
                    events.append(to_event([c.id], alone, docs))
                    assign.extend((m.id, c.id, rid, c.id, pos, run.seeds[m.id]) for pos, m in enumerate(c.mentions))
            replayed += run.replays
            renamed.extend((b, rid) for b in {labels[mid][0] for mid in prior})  # one region, or none
        if defer:
            kept = {new for _old, new in renamed} | {old for old, _new in renamed}
            later.extend(a for a in assign  # (id, event_id, block, cluster, pos, seed): those that changed
                         if labels[a[0]][0] not in kept or labels[a[0]][1:] != (a[3], a[5], a[1], a[4]))
            later_renamed.extend(renamed)
            assign, renamed = [], []
        events_written += _write(store, events, alone, assign, resources, renamed, stage=not defer)
        del by_id, docs, events, alone, assign, labels, members
    if defer:
        _write(store, [], {}, later, resources, later_renamed)
        store.checkpoint()  # freed blocks are reused by the next transactions: the file does not grow
        del later, later_renamed
    else:
        store.apply_staged_labels()  # the blocks' labels, in one pass (the merges below read them)

    # -- conflict merges: every connected group of linked events that holds a re-run
    # event, an event that lost mentions (stale), a stored merge that no longer holds, or
    # an event never written (a run killed between the two stages)
    uf = _UnionFind()
    pairs = [(cluster_of[a], cluster_of[b]) for a, b in links]
    for a, b in pairs:
        uf.union(a, b)
    touched = {uf.find(cid) for cid in new_linked}
    candidates = set(cluster_of.values())
    for mid, cluster, event in unsettled:  # the others: event == cluster, not stale
        if mid in rerun:
            continue
        if event is None or event in stale or (event != cluster and uf.find(event) != uf.find(cluster)):
            touched.add(uf.find(cluster))
            candidates.add(cluster)
    del parts, cluster_of, rerun, unsettled
    groups: dict[str, list[str]] = {}  # touched group -> its cluster ids
    for cid in sorted(candidates):
        root = uf.find(cid)
        if root in touched:
            groups.setdefault(root, []).append(cid)
    for batch in _group_batches(groups, block_mentions // 4):
        columns, rows = store.mentions_of_clusters(batch)
        by_id, docs = _load(store, columns, rows)
        members: dict[str, list[EventMention]] = {}
        cluster_region: dict[str, str] = {}
        stored: dict[str, set[str | None]] = {}  # cluster -> the events its mentions name now
        at = [columns.index(c) for c in ("id", "cluster", "block", "event_id")]
        for row in rows:  # in each cluster's order (pos)
            mid, cid, block, event = (row[i] for i in at)
            members.setdefault(cid, []).append(by_id[mid])
            cluster_region.setdefault(cid, block)
            stored.setdefault(cid, set()).add(event)
        del rows
        clusters = {cid: _Cluster(ms) for cid, ms in members.items()}
        chosen = {cid: clusters[cid] for cid in sorted(clusters)}  # a fixed order: rows written in the same order
        pub = {d: doc.published for d, doc in docs.items()}
        naming = Counter(e for events in stored.values() for e in events)  # event -> clusters that name it
        merged = [g for g in merge_across(chosen, pairs, pub) if not _as_stored(g, stored, naming, stale, unseated)]
        events = [to_event(g, chosen, docs) for g in merged]
        assign = [(m.id, _first_id(g), cluster_region[cid], cid, pos)
                  for g in merged for cid in g for pos, m in enumerate(chosen[cid].mentions)]
        events_written += _write(store, events, chosen, assign, resources, [], seeds=False, stage=True)
    store.apply_staged_labels()
    store.finish_events(plan.save)
    return ReconcileStats(regions=plan.regions, dirty_regions=len(dirty), mentions=plan.mentions,
                          mentions_reconciled=reconciled, events_written=events_written,
                          plan=kind, decisions_replayed=replayed)


def _full_plan(store: Store) -> _Plan:
    """Regions and conflict links from every stored mention, held compactly: each row is
    read, its cells numbered and joined (``IntUnionFind``, a node per cell), and only the
    keys of the mentions a conflict link can join are kept (``link_eligible``, no date
    object of their own: ``MentionKey`` is its own date); ids are kept as Arrow strings,
    regions as a number per mention (``_Regions``). Holding every mention's key, a
    ``Timex`` and a union-find entry of its own, this plan took +144 MB at 4,000
    articles and +517 MB at 16,000 (bench/README.md "Flat memory")."""
    cell_no: dict[str, int] = {}
    uf = IntUnionFind()
    first = array("l")  # each mention's first cell (its region is that cell's)
    block_no = array("l")  # each mention's stored region, numbered (-1: none)
    block_codes: dict[str, int] = {}
    eligible: list[MentionKey] = []
    id_chunks: list[pa.Array] = []
    shared: dict = {}  # doc ids and dates: one object each, not one per row
    for chunk in store.reconcile_key_chunks():
        id_chunks.append(pa.array([r[0] for r in chunk], pa.string()))
        for r in chunk:
            k = _key(r, shared)
            nums = []
            for c in cells(k):
                cid = cell_id(c)
                n = cell_no.get(cid)
                if n is None:
                    n = cell_no[cid] = uf.add()
                nums.append(n)
            for n in nums[1:]:
                uf.union(nums[0], n)
            first.append(nums[0])
            b = r[10]
            block_no.append(-1 if b is None else block_codes.setdefault(b, len(block_codes)))
            if link_eligible(k):
                eligible.append(k)
        del chunk
    del shared
    links = conflict_links(eligible)
    del eligible
    ids = pa.chunked_array(id_chunks, pa.string()).combine_chunks()
    del id_chunks
    parts = _Regions(ids, [uf.find(n) for n in first], np.frombuffer(block_no, dtype=np.int64), block_codes)
    del first, block_no
    cells_of = list(cell_no)
    del cell_no
    block_of_cell = [parts.rid_of_root(uf.find(n)) for n in range(len(cells_of))]
    del uf
    save = RegionPlan(PLAN_VERSION, True, cells=pa.table({"cell": pa.array(cells_of, pa.string()),
                                                           "block": pa.array(block_of_cell, pa.string())}),
                      links=_frame(a=[a for a, _ in links], b=[b for _, b in links]))
    del cells_of, block_of_cell
    return _Plan(parts=parts, dirty=parts.dirty, links=links,
                 cluster_of=store.clusters_of({mid for pair in links for mid in pair}),
                 regions=len(parts), mentions=len(ids), save=save,
                 lost=store.stale_blocks() | store.changed_blocks())


class _Regions(Mapping[str, list[str]]):
    """Region id -> its member ids (sorted), for every region of the store, from compact
    columns: the ids (Arrow) and each mention's region number; a region's ids are made
    when asked for. ``dirty``: the regions some member of which is not labelled with it
    (in id order)."""

    def __init__(self, ids: pa.Array, roots: list[int], stored: np.ndarray, block_codes: dict[str, int]) -> None:
        number: dict[int, int] = {}
        region = np.fromiter((number.setdefault(r, len(number)) for r in roots), dtype=np.int64, count=len(roots))
        self._root_region = number
        self._ids = ids
        self._order = np.argsort(region, kind="stable")
        self._bounds = np.searchsorted(region[self._order], np.arange(len(number) + 1))
        stored = stored[self._order]
        self.rids: list[str] = []
        dirty = []
        for n in range(len(number)):
            lo, hi = self._bounds[n], self._bounds[n + 1]
            rid = part_id(self._ids.take(pa.array(self._order[lo:hi])).to_pylist())
            self.rids.append(rid)
            if not (stored[lo:hi] == block_codes.get(rid, -2)).all():
                dirty.append(rid)
        self.dirty = sorted(dirty)
        self._at = {rid: n for n, rid in enumerate(self.rids)}

    def rid_of_root(self, root: int) -> str:
        return self.rids[self._root_region[root]]

    def size(self, rid: str) -> int:
        n = self._at[rid]
        return int(self._bounds[n + 1] - self._bounds[n])

    def __getitem__(self, rid: str) -> list[str]:
        n = self._at[rid]
        return sorted(self._ids.take(pa.array(self._order[self._bounds[n]:self._bounds[n + 1]])).to_pylist())

    def __iter__(self) -> Iterator[str]:
        return iter(self.rids)

    def __len__(self) -> int:
        return len(self.rids)


def _incremental_plan(store: Store) -> _Plan | None:
    """Regions and conflict links from the changed mentions only (new, re-read, or of a
    document whose metadata changed), the stored regions their cells reach (whole, by
    their labels: a stored region is a connected component) and the stored regions that
    lost mentions (expanded: they may split); links from the changed mentions to the
    mentions ``Store.conflict_candidates`` finds, plus the stored links of the others.
    Exactly what ``_full_plan`` gives for those regions and links. None when too much
    changed for this to be the cheaper."""
    changed_rows = store.changed_reconcile_keys()
    n_mentions = store.count("event_mentions")
    if len(changed_rows) > FULL_PLAN_SHARE * n_mentions:
        return None
    changed = {r[0] for r in changed_rows}
    lost = store.stale_blocks() | {r[10] for r in changed_rows if r[10] is not None}
    rows = changed_rows + [r for r in store.reconcile_keys_of("block", lost) if r[0] not in changed]
    keys = [_key(r) for r in rows]
    block_of = {r[0]: r[10] for r in rows}
    cluster_of_row = {r[0]: r[11] for r in rows}
    known = {c: b for c, b in store.cell_regions({cell_id(c) for k in keys for c in cells(k)}).items()
             if b not in lost}
    blocks = store.block_members(set(known.values()))
    block_of.update((mid, b) for b, ids in blocks.items() for mid in ids)
    parts, where, renamed = regions_with(keys, known, blocks)

    # links: the changed mentions' anew, the others' as stored
    probes = [k for k in keys if k.id in changed and link_eligible(k)]
    near: dict[str, MentionKey] = {k.id: k for k in probes}
    if probes:
        frame = pd.DataFrame({c: pd.Series([getattr(k, c) for k in probes], dtype="object")
                              for c in ("type", "start", "end", "published")})  # dates as dates, None as NULL
        others = [i for i in store.conflict_candidates(frame) if i not in changed]
        for r in store.reconcile_keys_of("id", others):
            near[r[0]] = _key(r)
            cluster_of_row[r[0]] = r[11]
    new_links = conflict_links(list(near.values()), among=changed)
    links, cluster_of = [], {}
    for a, b, ca, cb in store.stored_links():
        if a not in changed and b not in changed:
            links.append((a, b))
            cluster_of[a], cluster_of[b] = ca, cb
    links += new_links
    cluster_of.update((mid, cluster_of_row[mid]) for pair in new_links for mid in pair)

    gone = set(block_of.values()) & (lost | set(blocks))  # stored regions that still have members
    save = RegionPlan(PLAN_VERSION, False, cells=_frame(cell=list(where), block=list(where.values())),
                      links=_frame(a=[a for a, _ in new_links], b=[b for _, b in new_links]),
                      renamed=_frame(old=[b for b, r in renamed.items() if r != b],
                                     new=[r for b, r in renamed.items() if r != b]),
                      dropped=_frame(block=sorted(lost)), changed=_frame(id=sorted(changed)))
    return _Plan(parts=parts, dirty=_dirty(parts, block_of), links=links, cluster_of=cluster_of,
                 regions=store.block_count() - len(gone) + len(parts), mentions=n_mentions, save=save, lost=lost)


def _prior(members: list[str], labels: dict[str, tuple], lost: set[str]) -> dict[str, tuple[str, str]]:
    """The last run's decisions (seed, cluster) of a region's members that can be
    replayed: those of the largest stored region it holds that lost no mention and whose
    every member has a seed (a region labelled before migration 9 has none). One stored
    region only: two were run apart, and together each one's look-ups may find the
    other's events; the others' mentions count as new (``timeline.region_replay``)."""
    by_block: dict[str, list[str]] = {}
    for mid in members:
        b = labels[mid][0]
        if b is not None and b not in lost:
            by_block.setdefault(b, []).append(mid)
    whole = [(len(ids), b) for b, ids in by_block.items() if all(labels[mid][2] is not None for mid in ids)]
    if not whole:
        return {}
    return {mid: (labels[mid][2], labels[mid][1]) for mid in by_block[max(whole)[1]]}


def _dirty(parts: dict[str, list[str]], block_of: dict[str, str | None]) -> list[str]:
    """Regions some member of which is not labelled with it (in id order)."""
    return sorted(rid for rid, ids in parts.items() if any(block_of[i] != rid for i in ids))


def _blocks(dirty: list[str], parts: dict[str, list[str]], size: int) -> Iterator[list[str]]:
    """Dirty regions in order, grouped into blocks of about ``size`` mentions."""
    block: list[str] = []
    n = 0
    size_of = getattr(parts, "size", None)
    for rid in dirty:
        block.append(rid)
        n += size_of(rid) if size_of is not None else len(parts[rid])
        if n >= size:
            yield block
            block, n = [], 0
    if block:
        yield block


def _group_batches(groups: dict[str, list[str]], size: int) -> Iterator[list[str]]:
    """The cluster ids of whole groups, about ``size`` clusters at a time."""
    batch: list[str] = []
    for root in sorted(groups):
        batch.extend(groups[root])
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _load(store: Store, columns: list[str], rows: list[tuple]) -> tuple[dict[str, EventMention], dict[str, Document]]:
    """Stored mention rows as objects, by id, and their documents' metadata (no text)."""
    ms = mentions_from_rows(columns, rows)
    docs = {r.id: Document(id=r.id, text="", published=_date(r.published),
                           source=None if pd.isna(r.source) else r.source)
            for r in store.document_meta(ms).itertuples(index=False)}
    return {m.id: m for lst in ms.values() for m in lst}, docs


def _write(store: Store, events: list, clusters: dict[str, _Cluster], assign: list[tuple], resources: Any,
           renamed: list[tuple[str, str]], *, seeds: bool = True, stage: bool = False) -> int:
    """One transaction: ``events`` (with their salience), the labels ``assign`` (id,
    event_id, block, cluster, pos and, with ``seeds``, seed; with ``stage`` appended to
    ``staged_labels``, applied later) and the regions ``renamed`` (old, new) of the
    mentions whose events were kept."""
    from timeline.nlp.salience import with_event_salience

    events = with_event_salience(events, [m for c in clusters.values() for m in c.mentions])
    tables = extraction_tables([], events, resources)
    columns = ["id", "event_id", "block", "cluster", "pos"] + (["seed"] if seeds else [])
    store.update_events(tables["events"], tables["event_actors"], pd.DataFrame(assign, columns=columns), (),
                        finish=False, renamed=pd.DataFrame(renamed, columns=["old", "new"], dtype="object"), stage=stage)
    return len(events)


def _as_stored(group: list[str], stored: dict[str, set[str | None]], naming: Counter, stale: set[str],
               unseated: set[str | None]) -> bool:
    """Is the merged event ``group`` (cluster ids, first first) stored as it is: every
    one of its clusters, and no other, names it, and none of the mentions it was written
    from was deleted (``stale``) or re-run (``unseated``: their events before this run)?
    ``stored``: each cluster read back -> the events its mentions name, ``naming``: how
    many clusters name each event; every cluster that joined this event is linked to it,
    so is read with it."""
    first = _first_id(group)
    return first not in stale and first not in unseated and naming[first] == len(group) and \
        all(stored.get(cid) == {first} for cid in group)


def _first_id(group: list[str]) -> str:
    return group[0]  # a merged event takes its first cluster's id (reconcile.to_event)


def _key(r: tuple, shared: dict | None = None) -> MentionKey:
    """A stored mention's key; with ``shared``, equal doc ids and dates are one object."""
    mid, doc_id, etype, source, start, end, precision, text, actors, published = r[:10]
    start, end, published = _date(start), _date(end), _date(published)
    if shared is not None:
        doc_id, start, end, published = (shared.setdefault(v, v) for v in (doc_id, start, end, published))
    return mention_key(mid, doc_id, etype, source, start, end, precision, text, _stored_actors(actors or "[]"), published)
