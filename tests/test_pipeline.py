"""Pipeline + store: persistence round trip, idempotent re-runs, set-published, one transaction, CLI."""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from timeline.__main__ import main
from timeline.actors import Gazetteer
from timeline.frame import EVENT_COLUMNS, frames_from_events, load_frames
from timeline.model import Document
from timeline.pipeline import extract_document, extract_documents, extract_store, reconcile_extractions
from timeline.store import Store

FRIDAY = dt.date(2024, 11, 15)
DOCS = [
    Document("doc-a", "Headline\n\nOn Friday, Olaf Scholz spoke with Vladimir Putin by telephone. "
                      "Sweden signed the treaty in 1654, historians noted.", published=FRIDAY, source="Outlet A"),
    Document("doc-b", "Vladimir Putin and Olaf Scholz spoke by telephone today. Kyiv rejected talks.",
             published=FRIDAY, source="Outlet B"),
    Document("doc-c", "Headline\n\nMarkets were calm.\n\nOn Friday, Emmanuel Macron met Donald Trump.",
             published=None, source="Outlet C"),
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    s.add_documents(DOCS)
    yield s
    s.close()


def snapshot(store: Store) -> dict:
    f = load_frames(store)
    ev = f.events.sort_values("id").reset_index(drop=True)
    return {
        "events": ev[["id", "title", "type", "value", "precision", "n_sources", "conflict"]].to_dict("records"),
        "mentions": sorted(zip(f.mentions["id"], f.mentions["event_id"])),
        "counts": {t: store.count(t) for t in ("timexes", "actor_mentions", "event_mentions", "events", "event_actors")},
    }


def test_extract_store_persists_everything_and_frames_read_back(store, gaz):
    summary = extract_store(store, gazetteer=gaz)
    assert summary.documents == 3
    assert summary.events == store.count("events") > 0
    assert summary.event_mentions == store.count("event_mentions") > 0
    assert store.count("timexes") > 0 and store.count("actor_mentions") > 0
    f = load_frames(store)
    assert {c: str(t) for c, t in f.events.dtypes.items()} == EVENT_COLUMNS
    assert set(f.mentions["event_id"]) <= set(f.events["id"])
    call = f.events[(f.events["type"] == "call_meeting") & (f.events["value"] == "2024-11-15")]
    assert len(call) == 1 and call.iloc[0]["n_sources"] == 2
    assert sorted(call.iloc[0]["actors"]) == ["Olaf Scholz", "Vladimir Putin"]
    assert sorted(call.iloc[0]["sources"]) == ["Outlet A", "Outlet B"]
    leaders = f.actors[f.actors["event_id"] == call.iloc[0]["id"]]
    assert leaders["is_leader"].all()  # both held office on that day
    treaty = f.events[(f.events["value"] == "1654") & (f.events["type"] == "agreement")]
    assert len(treaty) == 1 and treaty.iloc[0]["start"] == np.datetime64("1654-01-01", "s")


def test_store_frames_equal_the_frames_built_without_a_db(store, gaz):
    extract_store(store, gazetteer=gaz)
    exs = extract_documents(DOCS, gaz)
    events = reconcile_extractions(exs, {d.id: d for d in DOCS})
    direct = frames_from_events(events, [m for ex in exs for m in ex.event_mentions], DOCS, gaz)
    stored = load_frames(store)
    cols = ["id", "title", "type", "modality", "start", "end", "precision", "value", "n_sources", "conflict"]
    a = direct.events[cols].sort_values("id").reset_index(drop=True)
    b = stored.events[cols].sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_re_running_is_idempotent(store, gaz):
    extract_store(store, gazetteer=gaz)
    first = snapshot(store)
    extract_store(store, gazetteer=gaz)
    assert snapshot(store) == first


def test_set_published_then_re_extract_resolves_relative_dates(store, gaz):
    extract_store(store, gazetteer=gaz)
    before = load_frames(store).events
    assert not ((before["type"] == "call_meeting") & before["actors"].map(lambda a: "Emmanuel Macron" in a)
                & before["start"].notna()).any()
    store.set_published("doc-c", dt.date(2024, 11, 16))
    extract_store(store, gazetteer=gaz)
    ev = load_frames(store).events
    meet = ev[(ev["type"] == "call_meeting") & ev["actors"].map(lambda a: "Emmanuel Macron" in a)]
    assert len(meet) == 1 and meet.iloc[0]["value"] == "2024-11-15"


def test_partial_re_run_reuses_stored_mentions(store, gaz):
    extract_store(store, gazetteer=gaz)
    full = snapshot(store)
    extract_store(store, gazetteer=gaz, doc_ids=["doc-b"])
    assert snapshot(store) == full


def test_a_failed_write_changes_nothing(store, gaz):
    extract_store(store, gazetteer=gaz)
    before = snapshot(store)
    bad = pd.DataFrame({"id": ["e_x"], "no_such_column": [1]})
    empty = pd.DataFrame({"id": [], "event_id": [], "block": [], "cluster": []})
    replaced = [r[0] for r in store.con.execute("SELECT id FROM events").fetchall()]
    with pytest.raises(duckdb.BinderException):
        store.update_events(bad, bad, empty, replaced)
    assert snapshot(store) == before


def test_cli_extract_then_events_json_and_csv(db_path, capsys):
    with Store(db_path) as s:
        s.add_documents(DOCS)
    assert main(["extract", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "events" in out and "conflicts" in out
    assert main(["events", "--db", str(db_path), "--actor", "Olaf Scholz", "--type", "call_meeting",
                 "--from", "2024-11", "--to", "2024-11", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["value"] for r in rows] == ["2024-11-15"]
    assert sorted(rows[0]["actors"]) == ["Olaf Scholz", "Vladimir Putin"]
    # every mention traceable to its words: the offsets index the stored text
    texts = {d.id: d.text for d in DOCS}
    assert rows[0]["evidence"], "an event without its mentions"
    for ev in rows[0]["evidence"]:
        text = texts[ev["doc_id"]]
        assert text[ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"]
        assert text[ev["sent_start"]:ev["sent_end"]] == ev["sentence"]
        assert text[ev["date_start"]:ev["date_end"]] == ev["date_text"]
        assert ev["date_source"] == "same_clause" and ev["date_value"] == "2024-11-15"
        assert isinstance(ev["sentence_index"], int)
    assert main(["events", "--db", str(db_path), "--no-undated", "--format", "csv"]) == 0
    csv = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(csv.columns) == [*EVENT_COLUMNS, "evidence_json"] and csv["start"].notna().all()
    cited = [json.loads(cell) for cell in csv["evidence_json"]]
    assert all(c and all(texts[e["doc_id"]][e["sent_start"]:e["sent_end"]] == e["sentence"] for e in c)
               for c in cited)


def test_cli_extract_on_an_empty_store_says_what_to_do(db_path, capsys):
    Store(db_path).close()
    assert main(["extract", "--db", str(db_path)]) == 2
    assert "ingest" in capsys.readouterr().err



def test_surface_forms_accept_an_open_world_actor_named_by_one_of_the_gold_forms():
    """An open-world actor carries the name the text gives it ("GM"); the gold's forms say
    which actor that is, so the surface-form check accepts it."""
    from timeline.evaluation.events import surface_forms
    from timeline.model import Document
    from timeline.pipeline import extract_store
    from timeline.store import Store

    store = Store(":memory:")
    store.add_documents([Document(id="d1", text="Headline\n\nHalvard Motors cut 4,000 jobs on Monday.",
                                  published=dt.date(2009, 5, 1))])
    extract_store(store, extractor="open")
    assert "Halvard Motors" in set(store.table("actor_mentions")["name"])
    gold = {"actors": [{"name": "Halvard Motor Company", "forms": ["Halvard Motors"]}]}
    r = surface_forms(gold, store)
    assert (r["mapped"], r["total"]) == (1, 1), r["misses"]
    # a mention of another name over the form is still a miss
    r = surface_forms({"actors": [{"name": "Motors Union", "forms": ["Motors"]}]}, store)
    assert (r["mapped"], r["total"]) == (0, 1)
