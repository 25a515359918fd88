"""Incremental reconciliation (issue 13): after ``ingest``, ``extract`` re-reconciles only
the regions new, re-read or removed mentions fall into (plus the conflict merges they
take part in), and the store ends up exactly as a full rebuild leaves it: events,
event actors, conflicts and each mention's event, compared as rows (real DuckDB)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from test_scale import generated_docs, snapshot
from timeline.actors import Gazetteer
from timeline.ingest import ingest_paths
from timeline.orchestrate import run_extraction
from timeline.pipeline import ResourceFactory, extract_document_within_budget, extract_store
from timeline.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _run(store: Store, full: bool = False):
    kind = "open"
    return run_extraction(store, extract_document_within_budget, ResourceFactory(kind), full=full)


def test_added_changed_and_deleted_documents_give_the_full_rebuild(tmp_path):
    inc = Store(tmp_path / "inc.duckdb")
    inc.add_documents(generated_docs(60))
    first = _run(inc)
    assert first.dirty_regions == first.regions > 0  # a new store: everything is reconciled
    assert _run(inc).reconciled is False  # nothing changed: nothing to do
    inc.add_documents(generated_docs(6, start=60))
    inc.set_published("g00007", dt.date(2020, 3, 2))  # re-read: its mentions move
    inc.con.execute("DELETE FROM documents WHERE id = 'g00011'")  # gone: its mentions go
    second = _run(inc)
    assert second.read == 7 and second.dropped == 1
    assert 0 < second.dirty_regions < second.regions
    assert second.reconciled_mentions < inc.count("event_mentions")

    full = Store(tmp_path / "full.duckdb")
    full.add_documents([d for d in generated_docs(66) if d.id != "g00011"])
    full.set_published("g00007", dt.date(2020, 3, 2))
    _run(full, full=True)
    assert snapshot(inc) == snapshot(full)
    assert inc.count("stale_events") == 0
    ids = {r[0] for r in inc.con.execute("SELECT id FROM events").fetchall()}
    used = {r[0] for r in inc.con.execute("SELECT DISTINCT event_id FROM event_mentions").fetchall()}
    assert ids == used  # no orphan event, no mention without its event


def test_one_seed_then_the_other_keeps_the_june_conflict(tmp_path, shared_dir, gaz, plan_kind):
    """The seeds' June conflict joins events of two regions (June 2023, June 2024): added
    one article at a time, the merge is made when the second arrives."""
    gold = yaml.safe_load((shared_dir / "gold" / "seed_events.yaml").read_text(encoding="utf-8"))
    entries = gold["documents"]

    def ingest(store: Store, entry: dict) -> None:
        ingest_paths([shared_dir / "seeds" / entry["file"]], store, published=str(entry["published"]),
                     source=entry.get("source"))

    inc, full = Store(tmp_path / "inc.duckdb"), Store(tmp_path / "full.duckdb")
    ingest(inc, entries[0])
    extract_store(inc, gazetteer=gaz)
    ingest(inc, entries[1])
    summary = extract_store(inc, gazetteer=gaz)
    assert summary.read == 1
    for e in entries:
        ingest(full, e)
    extract_store(full, gazetteer=gaz, full=True)
    assert snapshot(inc) == snapshot(full)
    notes = [r[0] for r in inc.con.execute("SELECT conflict_note FROM events WHERE conflict").fetchall()]
    assert any("2023-06" in n and "2024-06" in n for n in notes), notes


def test_samples_added_in_two_batches_give_the_full_rebuild_and_the_planted_conflict(tmp_path, gaz, plan_kind):
    files = sorted(p for p in (ROOT / "data" / "samples").iterdir() if p.is_file())
    inc, full = Store(tmp_path / "inc.duckdb"), Store(tmp_path / "full.duckdb")
    ingest_paths(files[::2], inc)
    extract_store(inc, gazetteer=gaz)
    ingest_paths(files[1::2], inc)
    extract_store(inc, gazetteer=gaz)
    ingest_paths(files, full)
    extract_store(full, gazetteer=gaz, full=True)
    assert snapshot(inc) == snapshot(full)
    assert inc.count("events") > 0
    assert inc.con.execute("SELECT count(*) FROM events WHERE conflict AND type = 'call_meeting'").fetchall()[0][0] == 1


def test_generated_articles_added_later_give_the_full_rebuild(tmp_path, gaz):
    """Dense enough that conflicts merge events of a re-run region with unchanged events
    of clean regions, which are read back as stored (cluster, pos), not recomputed."""
    inc, full = Store(tmp_path / "inc.duckdb"), Store(tmp_path / "full.duckdb")
    inc.add_documents(generated_docs(200))
    extract_store(inc, gazetteer=gaz, extractor="gazetteer")
    inc.add_documents(generated_docs(20, start=200))
    extract_store(inc, gazetteer=gaz, extractor="gazetteer")
    full.add_documents(generated_docs(220))
    extract_store(full, gazetteer=gaz, extractor="gazetteer", full=True)
    assert snapshot(inc) == snapshot(full)
    assert inc.con.execute("SELECT count(*) FROM events WHERE conflict").fetchall()[0][0] > 0


def test_a_reconcile_with_nothing_changed_changes_nothing(tmp_path, gaz):
    """Events marked stale with every region unchanged (an upload of stored articles, a
    crash after the last batch): nothing to re-run, nothing lost."""
    store = Store(tmp_path / "s.duckdb")
    store.add_documents(generated_docs(12))
    extract_store(store, gazetteer=gaz, extractor="gazetteer")
    before = snapshot(store)
    store.con.execute("INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')")
    run = run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert run.reconciled and run.dirty_regions == 0 and run.read == 0
    assert snapshot(store) == before and not store.events_stale()


def _unlabel(store: Store) -> None:
    """What a full reconcile starts from: no mention labelled, no event."""
    store.con.execute("UPDATE event_mentions SET block = NULL, cluster = NULL, event_id = NULL, pos = NULL")
    store.con.execute("DELETE FROM events")
    store.con.execute("DELETE FROM event_actors")
    store.con.execute("INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')")


@pytest.fixture(scope="module")
def dense(tmp_path_factory, gaz):
    """A store of 200 generated articles (conflicts across regions), reconciled in one block."""
    path = tmp_path_factory.mktemp("dense") / "one.duckdb"
    with Store(path) as store:
        store.add_documents(generated_docs(200))
        extract_store(store, gazetteer=gaz, extractor="gazetteer")
        assert store.con.execute("SELECT count(*) FROM events WHERE conflict").fetchall()[0][0] > 0
        return path, snapshot(store)


def test_reconciling_block_by_block_gives_the_one_block_result(tmp_path, dense, gaz):
    """Streamed: dirty regions read, reconciled and written a few hundred mentions per
    transaction, linked events merged afterwards a few groups at a time."""
    from timeline.pipeline import Resources
    from timeline.reconcile_store import reconcile_store

    path, want = dense
    shutil.copy(path, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    _unlabel(store)
    stats = reconcile_store(store, Resources(gaz, extractor="gazetteer"), block_mentions=300)
    assert stats.dirty_regions == stats.regions and stats.mentions > 5 * 300  # several blocks
    assert snapshot(store) == want and not store.events_stale()


def _killed_after_three_blocks(tmp_path, dense, gaz, monkeypatch):
    """A copy of ``dense`` with no label, whose full reconcile (300 mentions a block) died
    writing its fourth block; the store and the resources to rerun it."""
    from timeline import reconcile_store as rs
    from timeline.pipeline import Resources

    path, _ = dense
    shutil.copy(path, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    _unlabel(store)
    res = Resources(gaz, extractor="gazetteer")
    real, calls = rs._write, []

    def write_then_die(*args, **kwargs):
        if len(calls) == 3:
            raise KeyboardInterrupt("killed")
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(rs, "_write", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        rs.reconcile_store(store, res, block_mentions=300)
    monkeypatch.setattr(rs, "_write", real)
    return store, res


def test_a_reconcile_killed_between_blocks_is_completed_by_the_rerun(tmp_path, dense, gaz, monkeypatch):
    """A crash after some blocks were written: the store keeps ``events_stale`` and the
    blocks' labels (staged: ``staged_labels``), which the rerun applies first, so their
    regions are clean for it; linked events written without their event (NULL) are
    merged by it; the result is the full reconcile's."""
    from timeline import reconcile_store as rs

    store, res = _killed_after_three_blocks(tmp_path, dense, gaz, monkeypatch)
    assert store.events_stale()
    assert store.count("staged_labels") > 0  # the written blocks' labels, kept for the rerun
    again = rs.reconcile_store(store, res, block_mentions=300)
    assert 0 < again.dirty_regions < again.regions
    assert snapshot(store) == dense[1] and not store.events_stale() and store.count("staged_labels") == 0


def test_labels_a_killed_reconcile_staged_are_dropped_when_documents_change(tmp_path, dense, gaz, monkeypatch):
    """Killed after some blocks: documents re-read or deleted before the rerun void the
    staged labels (the regions they name may have lost mentions); the rerun reconciles
    every region and gives the full rebuild of the changed store."""
    store, _res = _killed_after_three_blocks(tmp_path, dense, gaz, monkeypatch)
    assert store.count("staged_labels") > 0
    store.set_published("g00007", dt.date(2016, 3, 2))
    store.con.execute("DELETE FROM documents WHERE id = 'g00011'")
    again = run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert again.read == 1 and again.dropped == 1 and store.count("staged_labels") == 0
    assert again.dirty_regions == again.regions  # nothing was applied: every region ran again

    full = Store(tmp_path / "full.duckdb")
    full.add_documents([d for d in generated_docs(200) if d.id != "g00011"])
    full.set_published("g00007", dt.date(2016, 3, 2))
    extract_store(full, gazetteer=gaz, extractor="gazetteer", full=True)
    assert snapshot(store) == snapshot(full)


def test_a_reconcile_alone_does_not_load_the_language_model(tmp_path, gaz, monkeypatch):
    """Nothing to extract, events stale (say, a document deleted): the open extractor's
    factory is not called, its model not loaded; only the gazetteer is read."""
    import timeline.nlp.model as model

    store = Store(tmp_path / "s.duckdb")
    store.add_documents(generated_docs(12))
    extract_store(store, gazetteer=gaz, extractor="gazetteer")
    store.con.execute("DELETE FROM documents WHERE id = 'g00003'")

    def no_model(*_a, **_k):
        raise AssertionError("the language model was loaded to reconcile")

    monkeypatch.setattr(model, "load_nlp", no_model)
    run = run_extraction(store, extract_document_within_budget, ResourceFactory("open"))
    assert run.read == 0 and run.dropped == 1 and run.reconciled
    assert not store.events_stale() and store.count("events") > 0


# -- planning from the changed mentions only (migration 8: region cells, conflict links) --

@pytest.fixture(params=["incremental plan", "full plan"])
def plan_kind(request, monkeypatch) -> str:
    """Every reconcile after the first plans from the changed mentions only, or every one
    from all mentions: both must give the full rebuild."""
    from timeline import reconcile_store as rs

    monkeypatch.setattr(rs, "FULL_PLAN_SHARE", 1.0 if request.param == "incremental plan" else -1.0)
    return request.param.split()[0]


def _plan_tables(store: Store) -> tuple[list[tuple], list[tuple]]:
    return (sorted(store.con.execute("SELECT cell, block FROM region_cells").fetchall()),
            sorted(store.con.execute("SELECT a, b FROM conflict_links").fetchall()))


@pytest.fixture(scope="module")
def grown(tmp_path_factory, gaz):
    """220 generated articles ingested and extracted at once (``--full``): the store an
    incremental run must end up as, and its plan tables."""
    path = tmp_path_factory.mktemp("grown") / "full.duckdb"
    with Store(path) as store:
        store.add_documents(generated_docs(220))
        extract_store(store, gazetteer=gaz, extractor="gazetteer", full=True)
        return snapshot(store), _plan_tables(store)


def test_each_plan_gives_the_full_rebuild_and_its_plan_tables(tmp_path, dense, grown, gaz, plan_kind):
    """Added, re-dated and deleted documents, reconciled incrementally (from the stored
    region cells and links) or from every mention: the same events, labels, and the same
    stored cells and links as planning the final store from scratch."""
    path, _ = dense
    shutil.copy(path, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    store.add_documents(generated_docs(20, start=200))
    run = extract_store(store, gazetteer=gaz, extractor="gazetteer")
    assert run.read == 20
    assert snapshot(store) == grown[0] and _plan_tables(store) == grown[1]
    store.set_published("g00007", dt.date(2016, 3, 2))
    store.con.execute("DELETE FROM documents WHERE id = 'g00011'")
    stats = run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert stats.plan == plan_kind and stats.read == 1 and stats.dropped == 1
    assert 0 < stats.dirty_regions < stats.regions

    full = Store(tmp_path / "full.duckdb")
    full.add_documents([d for d in generated_docs(220) if d.id != "g00011"])
    full.set_published("g00007", dt.date(2016, 3, 2))
    extract_store(full, gazetteer=gaz, extractor="gazetteer", full=True)
    assert snapshot(store) == snapshot(full)
    assert _plan_tables(store) == _plan_tables(full) and len(_plan_tables(full)[1]) > 0
    assert store.count("stale_blocks") == 0


def test_the_incremental_plan_reads_no_unchanged_mention_in_bulk(tmp_path, dense, grown, gaz, monkeypatch):
    """Ten new articles: the plan reads the changed mentions and what their cells and
    links reach, never every mention (``reconcile_key_chunks``)."""
    path, _ = dense
    shutil.copy(path, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    store.add_documents(generated_docs(20, start=200))

    def every_mention(*_a, **_k):
        raise AssertionError("the plan read every mention")

    monkeypatch.setattr(Store, "reconcile_key_chunks", every_mention)
    run = run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert run.plan == "incremental" and run.reconciled_mentions < store.count("event_mentions")
    assert snapshot(store) == grown[0]


def test_a_reconcile_killed_after_an_incremental_plan_is_completed_from_every_mention(tmp_path, dense, grown, gaz,
                                                                                       monkeypatch):
    """Killed after its first block: the stored plan is no longer current (its cells and
    links are only written at the end), so the rerun plans from every mention."""
    from timeline import reconcile_store as rs

    path, _ = dense
    shutil.copy(path, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    store.add_documents(generated_docs(20, start=200))
    real = rs._write

    def die(*_a, **_k):
        raise KeyboardInterrupt("killed")

    import functools

    from timeline import orchestrate
    monkeypatch.setattr(orchestrate, "reconcile_store", functools.partial(rs.reconcile_store, block_mentions=50))
    monkeypatch.setattr(rs, "_write", lambda *a, **k: (monkeypatch.setattr(rs, "_write", die), real(*a, **k))[1])
    with pytest.raises(KeyboardInterrupt):
        run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    monkeypatch.setattr(rs, "_write", real)
    assert store.events_stale() and store.regions_plan() is None
    again = run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert again.read == 0 and again.plan == "full" and 0 < again.dirty_regions < again.regions
    assert snapshot(store) == grown[0] and _plan_tables(store) == grown[1]


def test_a_publication_date_changed_without_re_reading_is_planned_as_a_full_plan_would(tmp_path, dense, gaz):
    """A document's publication date decides its undated mentions' regions and its
    conflict links: reconciled before its document is re-read (``reconcile_store``
    alone), the incremental plan treats its mentions as changed."""
    from timeline.pipeline import Resources
    from timeline.reconcile_store import reconcile_store

    path, _ = dense
    res = Resources(gaz, extractor="gazetteer")
    out = []
    for kind in ("incremental", "full"):
        shutil.copy(path, tmp_path / f"{kind}.duckdb")
        store = Store(tmp_path / f"{kind}.duckdb")
        store.set_published("g00005", dt.date(2023, 1, 15))
        store.con.execute("INSERT OR REPLACE INTO meta VALUES ('events_stale', 'true')")
        if kind == "full":
            store.plan_pending()
        stats = reconcile_store(store, res, block_mentions=300)
        assert stats.plan == kind and stats.dirty_regions > 0
        out.append((snapshot(store), _plan_tables(store)))
    assert out[0] == out[1]


def test_articles_without_a_publication_date_added_incrementally_give_the_full_rebuild(tmp_path, dense, gaz):
    """Unknown publication dates rule no conflict link out (``published_close``): the
    candidates of their mentions' links are not narrowed by publication."""
    import dataclasses

    path, _ = dense
    shutil.copy(path, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    undated = [dataclasses.replace(d, published=None) for d in generated_docs(8, start=200)]
    store.add_documents(undated)
    run = run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"))
    assert run.read == 8 and run.plan == "incremental"
    full = Store(tmp_path / "full.duckdb")
    full.add_documents(generated_docs(200) + undated)
    extract_store(full, gazetteer=gaz, extractor="gazetteer", full=True)
    assert snapshot(store) == snapshot(full) and _plan_tables(store) == _plan_tables(full)
    assert store.regions_plan() is not None
