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
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from timeline.model import Document, EventActor
from timeline.pipeline import _date, extraction_tables, mentions_from_table
from timeline.reconcile import _Cluster, merge_across, reconcile_region, to_event
from timeline.regions import MentionKey, _UnionFind, conflict_links, mention_key, regions
from timeline.store import Store


@dataclass(frozen=True)
class ReconcileStats:
    regions: int
    dirty_regions: int
    mentions: int
    mentions_reconciled: int  # mentions of the regions run again (the dirty ones)
    events_written: int


def reconcile_store(store: Store, resources: Any) -> ReconcileStats:
    """Bring the events up to date with the stored mentions (one transaction)."""
    from timeline.nlp.salience import with_event_salience

    rows = store.reconcile_keys()
    keys = [_key(r) for r in rows]
    stored = {r[0]: (r[10], r[11], r[12]) for r in rows}  # id -> (block, cluster, event_id)
    del rows
    parts = regions(keys)
    dirty = {rid for rid, ids in parts.items() if any(stored[i][0] != rid for i in ids)}
    stale = store.stale_events()
    region_of = {mid: rid for rid, ids in parts.items() for mid in ids}
    links = conflict_links([k for k in keys if k.dated])
    del keys

    docs: dict[str, Document] = {}
    clusters: dict[str, _Cluster] = {}
    cluster_region: dict[str, str] = {}
    by_id: dict = {}

    def load(table: pd.DataFrame) -> None:
        ms = mentions_from_table(table)
        need = {d for d in ms if d not in docs}
        for r in store.document_meta(need).itertuples(index=False):
            docs[r.id] = Document(id=r.id, text="", published=_date(r.published),
                                  source=None if pd.isna(r.source) else r.source)
        for d, lst in ms.items():
            for m in lst:
                by_id[m.id] = m

    def run(rids: set[str]) -> None:
        ids = [mid for rid in rids for mid in parts[rid]]
        if not ids:
            return
        load(store.mentions_by_id(ids))
        for rid in sorted(rids):
            for c in reconcile_region([by_id[i] for i in parts[rid]], docs):
                clusters[c.id] = c
                cluster_region[c.id] = rid

    run(dirty)
    cluster_of = {mid: s[1] for mid, s in stored.items()}
    for cid, c in clusters.items():
        for m in c.mentions:
            cluster_of[m.id] = cid
    uf = _UnionFind()
    pairs = [(cluster_of[a], cluster_of[b]) for a, b in links]
    for a, b in pairs:
        uf.union(a, b)
    touched = {uf.find(cid) for cid in clusters}
    for mid, (block, cluster, event) in stored.items():
        if region_of[mid] in dirty:
            continue
        if event in stale or (event != cluster and uf.find(event) != uf.find(cluster)):
            touched.add(uf.find(cluster))
    members: dict[str, set[str]] = {}  # touched group -> its cluster ids
    for mid, cid in cluster_of.items():
        root = uf.find(cid)
        if root in touched:
            members.setdefault(root, set()).add(cid)
    wanted = {cid for cids in members.values() for cid in cids}
    kept = sorted(wanted - set(clusters))  # unchanged events of clean regions a merge needs: read back
    if kept:
        table = store.mentions_of_clusters(kept)
        load(table)
        for cid, rows in table.groupby("cluster", sort=False):
            clusters[cid] = _Cluster([by_id[i] for i in rows["id"]])
            cluster_region[cid] = rows["block"].iloc[0]
    chosen = {cid: clusters[cid] for cid in sorted(wanted)}  # a fixed order: rows written in the same order
    pub = {d: doc.published for d, doc in docs.items()}
    groups = merge_across(chosen, pairs, pub)
    events = with_event_salience([to_event(g, chosen, docs) for g in groups],
                                 [m for c in chosen.values() for m in c.mentions])
    tables = extraction_tables([], events, resources)
    assign = [(m.id, _first_id(g), cluster_region[cid], cid, pos)
              for g in groups for cid in g for pos, m in enumerate(chosen[cid].mentions)]
    replaced = {stored[m][2] for m, *_ in assign if stored[m][2] is not None} | stale
    store.update_events(tables["events"], tables["event_actors"],
                        pd.DataFrame(assign, columns=["id", "event_id", "block", "cluster", "pos"]), replaced)
    return ReconcileStats(regions=len(parts), dirty_regions=len(dirty), mentions=len(stored),
                          mentions_reconciled=sum(len(parts[r]) for r in dirty),
                          events_written=len(events))


def _first_id(group: list[str]) -> str:
    return group[0]  # a merged event takes its first cluster's id (reconcile.to_event)


def _key(r: tuple) -> MentionKey:
    mid, doc_id, etype, source, start, end, precision, text, actors, published = r[:10]
    return mention_key(mid, doc_id, etype, source, _date(start), _date(end), precision, text,
                       _actors(actors or "[]"), _date(published))


@lru_cache(maxsize=1 << 16)
def _actors(text: str) -> tuple[EventActor, ...]:
    return tuple(EventActor(**a) for a in json.loads(text))
