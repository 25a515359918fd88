"""The full reconcile's plan held compactly (issue 13, flat memory): ``_full_plan`` numbers
cells, keeps only linkable mentions' keys and the ids as Arrow, and must give what the
plain in-memory planning gives from every mention's key (``timeline.regions``): the same
regions with the same members, the same dirty ones, cells and conflict links. And a
full extract caps DuckDB's working memory while it runs (``Store.working_memory``), then
gives it back. Real DuckDB stores of generated articles."""
from __future__ import annotations

import shutil

import pytest

from test_scale import generated_docs
from timeline.actors import Gazetteer
from timeline.orchestrate import run_extraction
from timeline.pipeline import ResourceFactory, extract_document_within_budget, extract_store
from timeline.regions import conflict_links, regions_with
from timeline.store import Store


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "s.duckdb"
    with Store(path) as store:
        store.add_documents(generated_docs(250))
        extract_store(store, gazetteer=Gazetteer.load(), extractor="gazetteer")
    return path


def _plain_plan(store: Store):
    """What planning from every mention's key in memory gives (the plan before this one)."""
    from timeline.reconcile_store import _key

    keys = [_key(r) for r in store.reconcile_keys()]
    parts, where, _ = regions_with(keys)
    return parts, where, conflict_links([k for k in keys if k.dated])


def _column(table, name: str) -> list:
    col = table[name]  # an Arrow table's or a frame's
    return col.to_pylist() if hasattr(col, "to_pylist") else col.tolist()


def _memory_limit(store: Store) -> str:
    return store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


def test_the_compact_full_plan_is_the_plain_plan(tmp_path, extracted):
    from timeline.reconcile_store import _full_plan

    shutil.copy(extracted, tmp_path / "s.duckdb")
    with Store(tmp_path / "s.duckdb") as store:
        parts, where, links = _plain_plan(store)
        plan = _full_plan(store)
        assert len(parts) > 50 and len(links) > 0
        assert dict(plan.parts) == parts and plan.regions == len(parts)
        assert plan.mentions == store.count("event_mentions")
        assert plan.dirty == []  # every region as last reconciled
        assert plan.links == links
        assert sorted(zip(_column(plan.save.cells, "cell"), _column(plan.save.cells, "block"))) == sorted(where.items())
        assert plan.cluster_of == dict(store.con.execute(
            "SELECT id, cluster FROM event_mentions WHERE id IN (SELECT a FROM conflict_links UNION "
            "SELECT b FROM conflict_links)").fetchall())

        # a region whose members lost their labels (or one of them) is dirty, the others are not
        rid = sorted(parts)[len(parts) // 2]
        store.con.execute("UPDATE event_mentions SET block = NULL WHERE id = ?", [parts[rid][0]])
        other = sorted(parts)[0]
        store.con.execute("UPDATE event_mentions SET block = 'r_elsewhere' WHERE id = ?", [parts[other][-1]])
        assert _full_plan(store).dirty == sorted([rid, other])


def test_a_full_extract_caps_duckdb_memory_and_gives_it_back(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_WRITE_MEMORY", "96MB")
    store = Store(tmp_path / "s.duckdb")
    store.add_documents(generated_docs(8))
    before = _memory_limit(store)
    seen: list[str] = []
    run_extraction(store, extract_document_within_budget, ResourceFactory("gazetteer"), full=True,
                   progress=lambda done, total: seen.append(_memory_limit(store)))
    assert seen and all(limit.replace(" ", "") in ("96.0MiB", "91.5MiB") for limit in seen), seen
    assert _memory_limit(store) == before != seen[0]
    assert store.count("events") > 0 and not store.events_stale()
