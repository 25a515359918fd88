"""``python -m timeline events``: the export command's filters, CSV safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import json

import pytest

from timeline.__main__ import main
from timeline.commands.events import csv_text, events_table
from timeline.synthetic import synthetic_frames

from articles import MACRON_SCHOLZ_MEETING as ARTICLE


def test_formula_like_cells_are_quoted_and_lists_joined():
    frames = synthetic_frames(3, seed=1)
    ev = frames.events.copy()
    ev["title"] = ev["title"].astype(object)
    ev.loc[0, "title"] = '=HYPERLINK("http://example.invalid","x")'
    ev.loc[1, "title"] = "+1 source"
    rows = list(csv.DictReader(io.StringIO(csv_text(events_table(type(frames)(
        events=ev, actors=frames.actors, mentions=frames.mentions, documents=frames.documents))))))
    titles = {r["id"]: r["title"] for r in rows}
    assert titles[ev.loc[0, "id"]] == "'" + '=HYPERLINK("http://example.invalid","x")'
    assert titles[ev.loc[1, "id"]] == "'+1 source"
    assert titles[ev.loc[2, "id"]] == ev.loc[2, "title"]
    row = next(r for r in rows if r["id"] == ev.loc[0, "id"])
    assert row["actors"] == "; ".join(ev.loc[0, "actors"])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from timeline.ingest import ingest_documents, parse_upload
    from timeline.pipeline import extract_store
    from timeline.store import Store

    path = tmp_path_factory.mktemp("events") / "t.duckdb"
    with Store(path) as store:
        ingest_documents(parse_upload("meet.md", ARTICLE.encode()), store)
        extract_store(store)
    return path


def _ids(db, capsys, *argv) -> set[str]:
    assert main(["events", "--db", str(db), "--format", "json", *argv]) == 0
    return {e["id"] for e in json.loads(capsys.readouterr().out)}


def test_month_bounds_cover_the_whole_month_and_country_is_case_blind(db, capsys):
    every = _ids(db, capsys)
    meeting = _ids(db, capsys, "--from", "2024-03-08", "--to", "2024-03-08", "--no-undated")
    assert meeting and meeting <= every
    assert _ids(db, capsys, "--to", "2024-03", "--no-undated") >= meeting  # through 31 March
    assert _ids(db, capsys, "--to", "2024-02", "--no-undated").isdisjoint(meeting)
    assert _ids(db, capsys, "--country", "deu", "--no-undated") >= meeting


def test_a_store_without_events_prints_the_header_and_an_empty_list(tmp_path, capsys):
    from timeline.store import Store

    path = tmp_path / "empty.duckdb"
    with Store(path):
        pass
    assert main(["events", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("id,title,type,modality,start,end")
    assert main(["events", "--db", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
