"""Extraction at scale (issue 13): batched, resumable, incremental, on Dask, and giving
exactly the events of a plain in-memory reconciliation of every fresh mention
(``timeline.reconcile.reconcile``), on the seeds, the samples, the SemEval-2015 texts and
generated articles: the store's region-by-region, incremental path changes nothing.
How the local reconciliation compares with the global one it replaced (frozen in
``tests/reference_reconcile.py``): ``tests/test_reconcile_reference.py``."""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from timeline.reconcile import reconcile as reference_reconcile  # in memory, every mention at once
from timeline.actors import Gazetteer
from timeline.dask_stage import partition_sizes
from timeline.frame import event_actor_rows, event_rows
from timeline.ingest import ingest_paths
from timeline.model import Document
from timeline.nlp.salience import with_event_salience
from timeline.pipeline import extract_document, extract_store
from timeline.reconcile import reconcile
from timeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("timexes", "actor_mentions", "event_mentions", "events", "event_actors")


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated_docs(n: int, start: int = 0) -> list[Document]:
    gen = _generator()
    out = []
    for i in range(start, start + n):
        a = gen.generate_article(i)
        out.append(Document(id=f"g{i:05d}", text=a["text"], title=a["title"], source=a["source"],
                            published=dt.date.fromisoformat(a["published"]), author=a["author"]))
    return out


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _canon(v: object) -> object:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, (list, tuple, np.ndarray)):
        return tuple(_canon(x) for x in v)
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(v)[:10]
    if isinstance(v, float):
        return round(v, 6)
    return v


def rows(frame: pd.DataFrame, key: list[str]) -> list[tuple]:
    frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
    return [tuple(_canon(v) for v in r) for r in frame.itertuples(index=False)]


def snapshot(store: Store) -> dict[str, list[tuple]]:
    keys = {"timexes": ["doc_id", "start", "end", "rule"], "actor_mentions": ["doc_id", "start", "end", "name"],
            "event_mentions": ["id"], "events": ["id"], "event_actors": ["event_id", "name", "role"]}
    return {t: rows(store.con.execute(f"SELECT * FROM {t}").df(), keys[t]) for t in TABLES}


def reference_events(store: Store, gaz: Gazetteer) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The plain path, in memory: every document extracted, one reconcile over all the
    fresh mentions; its events, event actors and (mention, event) pairs."""
    docs = list(store.iter_documents())
    mentions = [m for d in docs for m in extract_document(d, gaz).event_mentions]
    events = with_event_salience(reference_reconcile(mentions, {d.id: d for d in docs}), mentions)
    pairs = sorted((mid, e.id) for e in events for mid in e.mention_ids)
    return (rows(event_rows(events), ["id"]), rows(event_actor_rows(events, gaz.is_leader), ["event_id", "name", "role"]),
            pairs)


def assert_same_as_reference(store: Store, gaz: Gazetteer) -> int:
    ev, actors, pairs = reference_events(store, gaz)
    assert ev, "a corpus with no events proves nothing"
    assert rows(store.con.execute("SELECT * FROM events").df(), ["id"]) == ev
    assert rows(store.con.execute("SELECT * FROM event_actors").df(), ["event_id", "name", "role"]) == actors
    assert sorted(store.con.execute("SELECT id, event_id FROM event_mentions").fetchall()) == pairs
    return sum(1 for r in ev if r[13])  # conflicts


def _gold_store(gold_path: Path, docs_dir: Path) -> Store:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    store = Store(":memory:")
    for entry in gold["documents"]:
        published = entry.get("published")
        ingest_paths([docs_dir / entry["file"]], store, published=None if published is None else str(published),
                     source=entry.get("source"))
    return store


def test_seeds_same_events_and_conflicts_as_reference(seeds_dir, gaz):
    store = _gold_store(seeds_dir.parent / "gold" / "seed_events.yaml", seeds_dir)
    extract_store(store, gazetteer=gaz, batch_size=2)
    assert assert_same_as_reference(store, gaz) >= 1  # the seeds' June conflict


def test_samples_same_events_and_conflicts_as_reference(gaz):
    store = Store(":memory:")
    ingest_paths([ROOT / "data" / "samples"], store)
    extract_store(store, gazetteer=gaz, batch_size=3)
    assert assert_same_as_reference(store, gaz) >= 1  # the planted conflict


def test_semeval_texts_same_events_as_reference(shared_dir, gaz):
    corpus = shared_dir / "corpora" / "semeval2015-timeline"
    store = _gold_store(corpus / "gold.yaml", corpus / "texts")
    assert store.count("documents") == 60
    extract_store(store, gazetteer=gaz, batch_size=7)
    assert_same_as_reference(store, gaz)


def test_generated_same_events_and_conflicts_as_reference(db_path, gaz):
    store = Store(db_path)
    store.add_documents(generated_docs(160))
    extract_store(store, gazetteer=gaz, batch_size=25)
    assert assert_same_as_reference(store, gaz) >= 1


def test_optimised_reconcile_equals_reference_on_shuffled_input(gaz):
    """The module itself, not only the pipeline: same events whatever the input order."""
    docs = generated_docs(120, start=500)
    mentions = [m for d in docs for m in extract_document(d, gaz).event_mentions]
    by_id = {d.id: d for d in docs}
    want = rows(event_rows(reference_reconcile(mentions, by_id)), ["id"])
    assert rows(event_rows(reconcile(mentions[::-1], by_id)), ["id"]) == want


def test_incremental_equals_full_and_reads_only_what_changed(tmp_path, gaz):
    first, added = generated_docs(50), generated_docs(8, start=50)
    inc = Store(tmp_path / "inc.duckdb")
    inc.add_documents(first)
    assert extract_store(inc, gazetteer=gaz, batch_size=16).read == 50
    assert extract_store(inc, gazetteer=gaz).read == 0  # nothing new: nothing re-read
    inc.add_documents(added)
    inc.set_published("g00003", dt.date(2019, 2, 1))  # a corrected date: that document too
    summary = extract_store(inc, gazetteer=gaz, batch_size=16)
    assert summary.read == 9
    full = Store(tmp_path / "full.duckdb")
    full.add_documents(first + added)
    full.set_published("g00003", dt.date(2019, 2, 1))
    assert extract_store(full, gazetteer=gaz, full=True).read == 58
    assert snapshot(inc) == snapshot(full)
    assert summary.events == full.count("events") and summary.conflicts == extract_store(full, gazetteer=gaz).conflicts


def test_two_dask_workers_give_the_in_process_result(tmp_path, gaz):
    docs = generated_docs(40)
    one, two = Store(tmp_path / "one.duckdb"), Store(tmp_path / "two.duckdb")
    one.add_documents(docs)
    two.add_documents(docs)
    extract_store(one, gazetteer=gaz)
    seen: list[int] = []
    summary = extract_store(two, workers=2, batch_size=6, progress=lambda done, total: seen.append(done))
    assert summary.read == 40 and seen[-1] == 40 and len(seen) == 10  # 10 partitions streamed back (6 x4, then the tail cut finer)
    assert snapshot(two) == snapshot(one)


def test_partitions_shrink_at_the_tail_and_cover_every_document():
    assert partition_sizes(40, 6, 2) == [6, 6, 6, 6, 4, 3, 3, 2, 2, 2]
    sizes = partition_sizes(4000, 100, 2)
    assert sizes[:37] == [100] * 37 and sizes[37:] == [75, 57, 42, 32, 25, 25, 25, 19] and sum(sizes) == 4000
    assert partition_sizes(3, 200, 2) == [3] and partition_sizes(0, 10, 2) == []


def _consistent(db: Path) -> tuple[int, bool]:
    """The store opens; every document's rows are all there or none are (batches are
    atomic); events, when current, cover every mention. Returns (documents done, events current)."""
    with Store(db, read_only=True) as s:
        done = {r[0] for r in s.con.execute("SELECT doc_id FROM extraction_state").fetchall()}
        for t in ("timexes", "actor_mentions", "event_mentions"):
            have = {r[0] for r in s.con.execute(f"SELECT DISTINCT doc_id FROM {t}").fetchall()}
            assert have <= done, f"{t} has rows of a document whose batch did not commit"
        current = not s.events_stale()
        if current:
            assert s.con.execute("SELECT count(*) FROM event_mentions WHERE event_id IS NULL").fetchall()[0][0] == 0
            assert s.con.execute("SELECT count(*) FROM event_mentions WHERE event_id NOT IN "
                                 "(SELECT id FROM events)").fetchall()[0][0] == 0
        return len(done), current


def test_kill_9_during_extract_leaves_a_store_a_rerun_completes(tmp_path, gaz):
    db = tmp_path / "killed.duckdb"
    with Store(db) as s:
        s.add_documents(generated_docs(150))
    cmd = [sys.executable, "-m", "timeline", "extract", "--db", str(db), "--batch-size", "3"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    states, delay = [], 1.0
    while True:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
            break  # finished before the kill: the last run completed
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        states.append(_consistent(db))
        delay += 0.7
    assert proc.returncode == 0
    assert any(0 < n < 150 for n, _ in states), f"no kill landed mid-extraction: {states}"
    assert states == sorted(states), "a rerun lost committed batches"
    assert _consistent(db) == (150, True)
    ref = tmp_path / "ref.duckdb"
    with Store(ref) as s:
        s.add_documents(generated_docs(150))
        extract_store(s, gazetteer=gaz)
        want = snapshot(s)
    with Store(db) as s:
        assert snapshot(s) == want


def test_full_rebuild_keeps_old_rows_visible_until_replaced(tmp_path, gaz):
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        s.add_documents(generated_docs(30))
        extract_store(s, gazetteer=gaz)
        before = snapshot(s)
        s.forget_extractions()  # what --full does first; then a crash
        assert s.pending_documents() == sorted(d.id for d in generated_docs(30))
        assert snapshot(s) == before
        assert extract_store(s, gazetteer=gaz).read == 30
        assert snapshot(s) == before


def test_cli_full_and_scheduler_flags(db_path, capsys):
    from timeline.__main__ import main

    with Store(db_path) as s:
        s.add_documents(generated_docs(5))
    assert main(["extract", "--db", str(db_path)]) == 0
    assert "documents       5 (5 read by this run)" in capsys.readouterr().out
    assert main(["extract", "--db", str(db_path)]) == 0
    assert "documents       5 (0 read by this run)" in capsys.readouterr().out
    assert main(["extract", "--db", str(db_path), "--full"]) == 0
    assert "(5 read by this run)" in capsys.readouterr().out
    assert main(["extract", "--db", str(db_path), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "either --scheduler or --workers" in capsys.readouterr().err


def test_store_file_does_not_grow_on_re_extract(db_path, gaz):
    with Store(db_path) as s:
        s.add_documents(generated_docs(60))
        extract_store(s, gazetteer=gaz)
        before = snapshot(s)
    first = db_path.stat().st_size
    sizes = []
    for _ in range(3):
        with Store(db_path) as s:
            extract_store(s, gazetteer=gaz, full=True)
            assert snapshot(s) == before
        sizes.append(db_path.stat().st_size)
    assert max(sizes) <= first * 1.05, (first, sizes)
    assert not Path(str(db_path) + ".compact").exists()


@pytest.fixture(scope="module")
def samples_store(tmp_path_factory, gaz):
    store = Store(tmp_path_factory.mktemp("samples") / "s.duckdb")
    ingest_paths([ROOT / "data" / "samples"], store)
    store.add_documents(generated_docs(40))
    extract_store(store, gazetteer=gaz)
    yield store
    store.close()


def test_load_frames_in_sql_equals_the_row_by_row_path(samples_store):
    """load_frames (joined and aggregated in DuckDB, typed from Arrow) gives exactly the frames
    frames_from_tables builds row by row from the raw tables; a chunk of ids gives those rows."""
    from timeline.frame import frames_from_tables, load_frames

    want = frames_from_tables(samples_store.table("events"), samples_store.table("event_actors"),
                              samples_store.table("event_mentions"), samples_store.documents(with_text=False))
    got = load_frames(samples_store)
    assert len(want.events) > 100 and want.events["date_text"].notna().any()
    for name in ("events", "actors", "mentions", "documents"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name))
    ids = list(want.events["id"].iloc[[5, 0, 17]])
    part = load_frames(samples_store, ids)
    assert list(part.events["id"]) == ids
    pd.testing.assert_frame_equal(part.events, want.events.iloc[[5, 0, 17]].reset_index(drop=True))
    assert set(part.mentions["event_id"]) == set(ids)
    assert len(part.mentions) == int(want.events["n_mentions"].iloc[[5, 0, 17]].sum())
    assert set(part.documents["id"]) == set(part.mentions["doc_id"])


@pytest.mark.parametrize("flt", [
    {}, {"types": ("call_meeting", "statement")}, {"actors": ("Vladimir Putin",), "start": dt.date(2022, 1, 1)},
    {"end": dt.date(2022, 12, 31), "include_undated": False}, {"text": "talks", "modalities": ("occurred", "proposed")},
    {"start": dt.date(2024, 11, 1), "end": dt.date(2024, 11, 30), "countries": ("DEU",)},
], ids=["all", "types", "actor-from", "to-dated", "text-modality", "window-country"])
def test_streamed_events_equal_the_whole_frame_path(samples_store, flt):
    """Chunked, SQL-filtered reading gives exactly the rows of load_frames + filter_events."""
    from timeline.commands.events import event_chunks, events_table, with_evidence
    from timeline.filters import EventFilter, filter_events
    from timeline.frame import load_frames

    f = EventFilter(**flt)
    frames = load_frames(samples_store)
    want = with_evidence(events_table(filter_events(frames, f)), frames)
    chunks = list(event_chunks(samples_store, f, size=7))
    got = pd.concat(chunks) if chunks else want.iloc[:0]
    assert len(want) > 0
    assert rows(got, ["start", "id"]) == rows(want, ["start", "id"])
    assert list(got["id"]) == list(want["id"])  # same order, across chunks


def test_events_cli_streams_the_same_json_and_csv(samples_store, capsys):
    import json as _json

    from timeline.__main__ import main
    from timeline.commands.events import csv_text, events_table, with_evidence
    from timeline.filters import EventFilter, filter_events
    from timeline.frame import load_frames

    samples_store.close()
    db = samples_store.path
    with Store(db) as s:
        frames = load_frames(s)
        ev = with_evidence(events_table(filter_events(frames, EventFilter(actors=("Olaf Scholz",)))), frames)
    records = ev.astype(object).where(ev.notna(), None).to_dict("records")
    want_json = _json.dumps([{k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in r.items()}
                             for r in records], ensure_ascii=False, indent=1, default=str) + "\n"
    assert main(["events", "--db", db, "--actor", "Olaf Scholz", "--format", "json"]) == 0
    assert capsys.readouterr().out == want_json
    assert main(["events", "--db", db, "--actor", "Olaf Scholz", "--format", "csv"]) == 0
    assert capsys.readouterr().out == csv_text(ev)
    assert main(["events", "--db", db, "--actor", "Nobody At All", "--format", "json"]) == 0
    assert capsys.readouterr().out == "[]\n"
    samples_store.con = Store(db).con


@pytest.mark.parametrize("args", [[], ["--all"], ["--all", "--actor", "Olaf Scholz", "--text", "talks"],
                                  ["--actor", "Nobody At All"]], ids=["default", "all", "actor-text", "none"])
def test_export_streams_the_bytes_of_the_whole_frame_export(samples_store, tmp_path, monkeypatch, args):
    """export --format csv|json|parquet, written a chunk of 7 events at a time, gives the bytes
    (Parquet: the table) data_bytes gives for the whole filtered frames."""
    import io

    import pyarrow.parquet as pq

    import timeline.commands.export as export_cmd
    from timeline.__main__ import build_parser, main
    from timeline.export import data_bytes, default_title
    from timeline.filters import filter_events
    from timeline.frame import load_frames

    monkeypatch.setattr(export_cmd, "CHUNK", 7)
    samples_store.close()
    db = samples_store.path
    try:
        flt = export_cmd.filter_from_args(build_parser().parse_args(["export", "--out", "x.csv", *args]))
        with Store(db, read_only=True) as s:
            view = filter_events(load_frames(s), flt)
        for fmt in ("csv", "json", "parquet"):
            out = tmp_path / f"e.{fmt}"
            assert main(["export", "--db", db, "--out", str(out), *args]) == 0
            want = data_bytes(view, fmt, title=default_title(flt))
            if fmt == "parquet":
                assert pq.read_table(out).equals(pq.read_table(io.BytesIO(want)))
            else:
                assert out.read_bytes() == want
            assert not (tmp_path / f"e.{fmt}.part").exists()
    finally:
        samples_store.con = Store(db).con


@pytest.mark.parametrize("flt", [{"min_salience": 0.5}, {"actors": ("Olaf Scholz",), "text": "talks"}, {}],
                         ids=["salient", "actor-text", "all"])
def test_lazy_frames_read_the_same_mentions_as_the_loaded_frames(samples_store, flt):
    """The app's LazyFrames (mentions left in the store) filter, narrow and read mentions
    exactly as the frames load_frames holds in memory; the whole store's mentions are read
    when asked for but never kept."""
    from timeline.filters import EventFilter, filter_events
    from timeline.frame import LazyFrames, lazy_frames, load_frames

    reads = []

    def read(ids, columns):
        reads.append((None if ids is None else len(ids), columns))
        return samples_store.mention_table(ids, columns)

    f = EventFilter(**flt)
    want = filter_events(load_frames(samples_store), f)
    lazy = lazy_frames(samples_store, read)
    got = filter_events(lazy, f)
    assert isinstance(got, LazyFrames)
    for name in ("events", "actors", "documents"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name))
    some = list(want.events["id"].iloc[:3])
    pd.testing.assert_frame_equal(got.mentions_of(some).reset_index(drop=True),
                                  want.mentions_of(some).reset_index(drop=True))
    assert all(ids is not None or columns is not None for ids, columns in reads)  # no whole read so far
    pd.testing.assert_frame_equal(got.mentions.reset_index(drop=True), want.mentions.reset_index(drop=True))
    pd.testing.assert_frame_equal(lazy.mentions, load_frames(samples_store).mentions)
    assert lazy._source._frame is None  # read, not kept
