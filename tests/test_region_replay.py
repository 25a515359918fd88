"""Replaying a region's last run (``timeline.region_replay``): a region run again with
the stored decisions of its old mentions gives exactly the events of running it from
scratch, wherever the new mentions fall in reading order (before, between or after the
old ones), and the events it reports unchanged are those of the last run."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from test_scale import generated_docs
from timeline.actors import Gazetteer
from timeline.pipeline import extract_document
from timeline.reconcile import _order_key, event_id, key_of, published_dates, reconcile_region
from timeline.region_replay import Replay
from timeline.regions import regions


@pytest.fixture(scope="module")
def corpus():
    """200 generated articles published within two months: big regions (a month of one
    actor's statements, say), as a corpus that follows a story has."""
    gaz = Gazetteer.load()
    docs = {d.id: dataclasses.replace(d, published=dt.date(2023, 3, 1) + dt.timedelta(days=i * 60 // 200))
            for i, d in enumerate(generated_docs(200))}
    mentions = [m for d in docs.values() for m in extract_document(d, gaz).event_mentions]
    pub = published_dates(docs)
    by_id = {m.id: m for m in mentions}
    parts = sorted(regions([key_of(m, pub) for m in mentions]).values(), key=len, reverse=True)
    return docs, [[by_id[i] for i in ids] for ids in parts[:4]]


def _run(mentions, docs, prior=None):
    run = Replay(prior)
    clusters = reconcile_region(mentions, docs, run)
    return [[m.id for m in c.mentions] for c in clusters], run, clusters


def _prior(old, docs):
    ids, run, _ = _run(old, docs)
    cluster = {m: event_id(c[0]) for c in ids for m in c}  # the stored cluster id
    return {m: (run.seeds[m], cluster[m]) for c in ids for m in c}, ids


@pytest.mark.parametrize("where", ["first", "middle", "last", "spread"])
def test_a_replayed_region_is_the_region_run_from_scratch(corpus, where):
    docs, parts = corpus
    replayed = 0
    for members in parts:
        order = [m.doc_id for m in sorted(members, key=_order_key(docs))]
        doc_order = list(dict.fromkeys(order))
        assert len(doc_order) > 6
        new_docs = {"first": doc_order[:1], "middle": doc_order[len(doc_order) // 2:len(doc_order) // 2 + 1],
                    "last": doc_order[-1:], "spread": doc_order[1::5]}[where]
        old = [m for m in members if m.doc_id not in new_docs]
        prior, old_ids = _prior(old, docs)
        want, scratch, _ = _run(members, docs)
        got, run, clusters = _run(members, docs, prior)
        assert got == want
        assert run.seeds == scratch.seeds  # what the store keeps for the next run
        before = {c[0]: c for c in old_ids}
        for c in clusters:  # an event reported unchanged is the last run's, mention for mention
            if not c.changed:
                assert before[c.mentions[0].id] == [m.id for m in c.mentions]
        assert any(c.changed for c in clusters)
        if where == "last":  # one article after all the others: most decisions stand
            assert run.replays > len(old) // 2
        replayed += run.replays
    assert replayed > 0


def test_new_mentions_published_before_every_old_one_are_placed_as_from_scratch(corpus):
    """A new article dated before the region's first report: every decision after it may
    change; those that cannot are replayed, the rest scored."""
    docs, parts = corpus
    members = parts[0]
    first = min(members, key=_order_key(docs))
    early = dataclasses.replace(docs[first.doc_id], published=docs[first.doc_id].published - dt.timedelta(days=20))
    moved = {**docs, first.doc_id: early}
    old = [m for m in members if m.doc_id != first.doc_id]
    prior, _ = _prior(old, moved)
    want, _, _ = _run(members, moved)
    got, run, _ = _run(members, moved, prior)
    assert got == want


def test_a_store_of_one_story_grown_article_by_article_is_the_full_rebuild(tmp_path):
    """The store path: 120 articles of two months extracted, then articles published
    before, among and after them added in two runs; each run replays the regions' last
    runs (stored seeds) and the store ends as a full rebuild of all of them."""
    from test_scale import snapshot
    from timeline.orchestrate import run_extraction
    from timeline.pipeline import ResourceFactory, extract_document_within_budget, extract_store
    from timeline.store import Store

    gaz = Gazetteer.load()
    docs = [dataclasses.replace(d, published=dt.date(2023, 3, 1) + dt.timedelta(days=i * 60 // 132))
            for i, d in enumerate(generated_docs(132))]
    early = [dataclasses.replace(d, published=dt.date(2023, 2, 27)) for d in docs[120:122]]
    later = early + docs[122:132]
    inc = Store(tmp_path / "inc.duckdb")
    inc.add_documents([d for i, d in enumerate(docs[:120]) if i % 9])  # every ninth comes later
    extract_store(inc, gazetteer=gaz, extractor="gazetteer")
    inc.add_documents([d for i, d in enumerate(docs[:120]) if not i % 9] + later[:6])
    first = run_extraction(inc, extract_document_within_budget, ResourceFactory("gazetteer"))
    inc.add_documents(later[6:])
    second = run_extraction(inc, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert first.read == 14 + 6 and second.read == 6
    assert first.replayed > 0 and second.replayed > 0 and second.replayed < second.reconciled_mentions

    full = Store(tmp_path / "full.duckdb")
    full.add_documents(docs[:120] + later)
    extract_store(full, gazetteer=gaz, extractor="gazetteer", full=True)
    assert snapshot(inc) == snapshot(full)
    unknown = inc.con.execute("SELECT count(*) FROM event_mentions WHERE seed IS NULL").fetchall()[0][0]
    assert unknown == 0  # every mention carries its decision for the next run
