"""Reconcile the store's mentions into events, re-running only what changed.

Every run splits all stored mentions into regions (``timeline.regions``: cheap, from a
few columns). A region whose members all carry its id in ``event_mentions.block`` holds
exactly the mentions it was last reconciled with, and its events depend on nothing
else, so it is left alone; the others ("dirty": new, re-read or removed mentions) are
reconciled again (``reconcile.reconcile_region``). Then events of different regions
that a conflict could merge (``reconcile.merge_across``) are re-merged in every
connected group that holds a re-reconciled event, an event that lost mentions
(``stale_events``) or a stored merge that no longer holds; the unchanged events of
clean regions in those groups are read back as stored (``cluster``, ``pos``), not
recomputed. Everything written is exactly
what reconciling every mention from scratch gives, which ``--full`` does (every label
cleared), and what ``timeline.reconcile.reconcile`` gives in memory.

Memory: the plan holds a few columns of every mention (keys, labels); the mentions
themselves are read, reconciled and written a block of regions at a time
(``BLOCK_MENTIONS``), and the conflict merges a block of groups at a time.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from timeline.model import Document, EventActor, EventMention
from timeline.pipeline import _date, extraction_tables, mentions_from_table
from timeline.reconcile import _Cluster, merge_across, reconcile_region, to_event
from timeline.regions import MentionKey, _UnionFind, conflict_links, mention_key, regions
from timeline.store import Store


BLOCK_MENTIONS = 20_000  # mentions of dirty regions reconciled, then written, per transaction


@dataclass(frozen=True)
class ReconcileStats:
    regions: int
    dirty_regions: int
    mentions: int
    mentions_reconciled: int  # mentions of the regions run again (the dirty ones)
    events_written: int


def reconcile_store(store: Store, resources: Any, *, block_mentions: int = BLOCK_MENTIONS) -> ReconcileStats:
    """Bring the events up to date with the stored mentions.

    Streams: the plan holds a few columns of every mention; the dirty regions are read,
    reconciled and written ``block_mentions`` mentions at a time, each block in its own
    transaction (its events whose clusters no conflict link can touch, and every label;
    a linked cluster's event is left NULL); then the connected groups of linked events
    that need it are read back from the store and merged, a block of groups at a time;
    a last transaction drops the events nothing refers to any more and marks the events
    current. Killed before that, the store keeps ``events_stale``; the rerun finds the
    regions already written clean and the NULL events touched, and completes the rest."""
    # -- the plan: regions, which are dirty, conflict links
    keys: list[MentionKey] = []
    stored: dict[str, tuple] = {}  # id -> (block, cluster, event_id)
    for chunk in store.reconcile_key_chunks():
        for r in chunk:
            keys.append(_key(r))
            stored[r[0]] = (r[10], r[11], r[12])
        del chunk
    parts = regions(keys)
    dirty = sorted(rid for rid, ids in parts.items() if any(stored[i][0] != rid for i in ids))
    links = conflict_links([k for k in keys if k.dated])
    del keys
    n_regions, n_mentions, n_rerun = len(parts), len(stored), sum(len(parts[r]) for r in dirty)
    stale = store.stale_events()
    linked = {mid for pair in links for mid in pair}
    cluster_of = {mid: stored[mid][1] for mid in linked}  # a linked mention's cluster (new ones below)
    events_written = 0

    # -- the dirty regions, block by block: unlinked clusters' events written at once
    new_linked: set[str] = set()
    for block in _blocks(dirty, parts, block_mentions):
        ids = [mid for rid in block for mid in parts[rid]]
        by_id, docs = _load(store, store.mentions_by_id(ids))
        events, alone, assign = [], {}, []
        for rid in block:
            for c in reconcile_region([by_id[i] for i in parts[rid]], docs):
                if any(m.id in linked for m in c.mentions):
                    new_linked.add(c.id)
                    for pos, m in enumerate(c.mentions):
                        cluster_of[m.id] = c.id
                        assign.append((m.id, None, rid, c.id, pos))  # its event: once merged, below
                else:
                    alone[c.id] = c
                    events.append(to_event([c.id], alone, docs))
                    assign.extend((m.id, c.id, rid, c.id, pos) for pos, m in enumerate(c.mentions))
        events_written += _write(store, events, alone, assign, resources)
        del by_id, docs, events, alone, assign

    # -- conflict merges: every connected group of linked events that holds a re-run
    # event, an event that lost mentions (stale), a stored merge that no longer holds, or
    # an event never written (a run killed between the two stages)
    uf = _UnionFind()
    pairs = [(cluster_of[a], cluster_of[b]) for a, b in links]
    for a, b in pairs:
        uf.union(a, b)
    touched = {uf.find(cid) for cid in new_linked}
    dirty_set = set(dirty)
    candidates = set(cluster_of.values())
    for rid, ids in parts.items():
        if rid in dirty_set:
            continue
        for mid in ids:
            _block, cluster, event = stored[mid]
            if event is None or event in stale or (event != cluster and uf.find(event) != uf.find(cluster)):
                touched.add(uf.find(cluster))
                candidates.add(cluster)
    del stored, parts, cluster_of
    groups: dict[str, list[str]] = {}  # touched group -> its cluster ids
    for cid in sorted(candidates):
        root = uf.find(cid)
        if root in touched:
            groups.setdefault(root, []).append(cid)
    for batch in _group_batches(groups, block_mentions // 4):
        table = store.mentions_of_clusters(batch)
        by_id, docs = _load(store, table)
        clusters: dict[str, _Cluster] = {}
        cluster_region: dict[str, str] = {}
        for cid, rows in table.groupby("cluster", sort=False):
            clusters[cid] = _Cluster([by_id[i] for i in rows["id"]])
            cluster_region[cid] = rows["block"].iloc[0]
        chosen = {cid: clusters[cid] for cid in sorted(clusters)}  # a fixed order: rows written in the same order
        pub = {d: doc.published for d, doc in docs.items()}
        merged = merge_across(chosen, pairs, pub)
        events = [to_event(g, chosen, docs) for g in merged]
        assign = [(m.id, _first_id(g), cluster_region[cid], cid, pos)
                  for g in merged for cid in g for pos, m in enumerate(chosen[cid].mentions)]
        events_written += _write(store, events, chosen, assign, resources)
    store.finish_events()
    return ReconcileStats(regions=n_regions, dirty_regions=len(dirty), mentions=n_mentions,
                          mentions_reconciled=n_rerun, events_written=events_written)


def _blocks(dirty: list[str], parts: dict[str, list[str]], size: int) -> Iterator[list[str]]:
    """Dirty regions in order, grouped into blocks of about ``size`` mentions."""
    block: list[str] = []
    n = 0
    for rid in dirty:
        block.append(rid)
        n += len(parts[rid])
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


def _load(store: Store, table: pd.DataFrame) -> tuple[dict[str, EventMention], dict[str, Document]]:
    """Stored mention rows as objects, by id, and their documents' metadata (no text)."""
    ms = mentions_from_table(table)
    docs = {r.id: Document(id=r.id, text="", published=_date(r.published),
                           source=None if pd.isna(r.source) else r.source)
            for r in store.document_meta(ms).itertuples(index=False)}
    return {m.id: m for lst in ms.values() for m in lst}, docs


def _write(store: Store, events: list, clusters: dict[str, _Cluster], assign: list[tuple], resources: Any) -> int:
    """One transaction: ``events`` (with their salience) and the labels ``assign``."""
    from timeline.nlp.salience import with_event_salience

    events = with_event_salience(events, [m for c in clusters.values() for m in c.mentions])
    tables = extraction_tables([], events, resources)
    store.update_events(tables["events"], tables["event_actors"],
                        pd.DataFrame(assign, columns=["id", "event_id", "block", "cluster", "pos"]), (),
                        finish=False)
    return len(events)


def _first_id(group: list[str]) -> str:
    return group[0]  # a merged event takes its first cluster's id (reconcile.to_event)


def _key(r: tuple) -> MentionKey:
    mid, doc_id, etype, source, start, end, precision, text, actors, published = r[:10]
    return mention_key(mid, doc_id, etype, source, _date(start), _date(end), precision, text,
                       _actors(actors or "[]"), _date(published))


@lru_cache(maxsize=1 << 16)
def _actors(text: str) -> tuple[EventActor, ...]:
    return tuple(EventActor(**a) for a in json.loads(text))
