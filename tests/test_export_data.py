"""Data exports: CSV/JSON/Parquet/TimelineJS of the filtered events with their evidence."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from timeline.export import data_bytes, date_label, neutralise_cell
from timeline.export.data import (
    TIMELINEJS_DATE,
    TIMELINEJS_SLIDE,
    TIMELINEJS_TEXT,
    TIMELINEJS_TOP,
)
from timeline.frame import (
    ACTOR_COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    Frames,
)

INJECTIONS = ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
              "\tTabbed", "\rCarriage"]


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    data = {c: [r.get(c) for r in rows] for c in columns}
    out = pd.DataFrame(data)
    for c, dtype in columns.items():
        if dtype == "object":
            continue
        if dtype.startswith("datetime64"):
            out[c] = pd.Series([None if v is None else str(v) for v in data[c]], dtype="object")
            out[c] = pd.to_datetime(out[c]).astype(dtype)
        else:
            out[c] = out[c].astype(dtype)
    return out


def make_frames() -> Frames:
    """Five hand-made events covering precisions, a pre-1678 date, undated, and injection text."""
    def event(id_, title, start, end, precision, value, actors, sources, **kw):
        return {"id": id_, "title": title, "type": kw.get("type", "statement"), "modality": "occurred",
                "start": start, "end": end, "precision": precision, "value": value,
                "mod": None, "date_text": kw.get("date_text"), "actors": actors,
                "actor_ids": [a.lower().replace(" ", "_") for a in actors],
                "countries": kw.get("countries", []), "n_sources": len(set(sources)), "sources": sources,
                "n_mentions": len(sources), "conflict": bool(kw.get("conflict_note")),
                "conflict_note": kw.get("conflict_note"), "confidence": 0.8}

    events = [
        event("e1", INJECTIONS[0], "2024-06-01", "2024-06-30", "month", "2024-06",
              ["Vladimir Putin"], ["Wire A"], date_text="in June", countries=["RUS"]),
        event("e2", INJECTIONS[2], "1654-01-01", "1654-12-31", "year", "1654",
              ["Tsardom of Russia", "Cossack Hetmanate"], ["@SUM(1+1)"], date_text="the 1654 treaty"),
        event("e3", INJECTIONS[4], None, None, None, None, ["Olaf Scholz"], ["Wire B"],
              conflict_note=INJECTIONS[5]),
        event("e4", "Talks <b>held</b> & closed", "2022-02-24", "2022-02-24", "day", "2022-02-24",
              ["Vladimir Putin", "Olaf Scholz"], ["Wire A", "Wire B"], countries=["RUS", "DEU"]),
        event("e5", "Quarterly review", "2023-04-01", "2023-06-30", "quarter", "2023-Q2",
              ["Olaf Scholz"], ["Wire B"]),
    ]
    mentions = [
        {"id": "m1", "event_id": "e1", "doc_id": "d1", "source": "Wire A", "published": "2024-11-15",
         "title": "t", "sentence": INJECTIONS[1], "sent_start": 0, "sent_end": 10, "timex_text": "in June"},
        {"id": "m2", "event_id": "e2", "doc_id": "d2", "source": "@SUM(1+1)", "published": "2024-11-15",
         "title": "t", "sentence": "The 1654 treaty was signed.", "sent_start": 5, "sent_end": 30},
        {"id": "m3", "event_id": "e3", "doc_id": "d2", "source": "Wire B", "published": "2024-11-15",
         "title": "t", "sentence": "Scholz spoke <at length>.", "sent_start": 40, "sent_end": 60},
        {"id": "m4b", "event_id": "e4", "doc_id": "d2", "source": "Wire B", "published": "2024-11-15",
         "title": "t", "sentence": "Second source on the talks.", "sent_start": 70, "sent_end": 90},
        {"id": "m4a", "event_id": "e4", "doc_id": "d1", "source": "Wire A", "published": "2022-02-25",
         "title": "t", "sentence": "Talks were held & closed.", "sent_start": 20, "sent_end": 45,
         "external_id": "wire-a-17", "sentence_index": 2, "trigger": "held", "trigger_start": 31,
         "trigger_end": 35, "value": "2022-02-24", "date_source": "publication",
         "explanation": "published 2022-02-25; reported the day before"},
        {"id": "m5", "event_id": "e5", "doc_id": "d2", "source": "Wire B", "published": "2024-11-15",
         "title": "t", "sentence": "A review in the second quarter.", "sent_start": 95, "sent_end": 120},
    ]
    actors = [{"event_id": e["id"], "actor_id": a.lower(), "name": a, "role": "participant",
               "country": None, "kind": "person", "resolved": True, "is_leader": False}
              for e in events for a in e["actors"]]
    documents = [
        {"id": "d1", "title": "First article", "source": "Wire A", "published": "2022-02-25",
         "url": "https://a.example/1", "origin": "a.txt", "n_chars": 100},
        {"id": "d2", "title": "Second article", "source": "Wire B", "published": "2024-11-15",
         "url": None, "origin": "b.txt", "n_chars": 200},
    ]
    return Frames(events=_frame(events, EVENT_COLUMNS), actors=_frame(actors, ACTOR_COLUMNS),
                  mentions=_frame(mentions, MENTION_COLUMNS), documents=_frame(documents, DOCUMENT_COLUMNS))


@pytest.fixture(scope="module")
def frames() -> Frames:
    return make_frames()


def _csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel reads accents"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("cell", INJECTIONS)
def test_neutralise_cell_prefixes_a_quote_to_formula_starts(cell):
    assert neutralise_cell(cell) == "'" + cell
    assert neutralise_cell("Plain " + cell) == "Plain " + cell
    assert neutralise_cell(3) == 3


def test_csv_neutralises_injection_in_titles_evidence_sources_and_notes(frames):
    rows = {r["id"]: r for r in _csv_rows(data_bytes(frames, "csv"))}
    assert rows["e1"]["title"] == "'" + INJECTIONS[0]
    assert rows["e1"]["evidence"].startswith("'" + INJECTIONS[1])  # evidence text neutralised
    assert rows["e2"]["title"] == "'-2+3"
    assert rows["e2"]["sources"] == "'@SUM(1+1)"
    assert rows["e2"]["evidence_sources"] == "'@SUM(1+1)"
    assert rows["e3"]["title"] == "'\tTabbed"
    assert rows["e3"]["conflict_note"] == "'\rCarriage"
    # every text cell in the file: nothing starts like a formula any more
    for row in rows.values():
        for key, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)


def test_csv_keeps_date_precision_and_iso_interval(frames):
    rows = {r["id"]: r for r in _csv_rows(data_bytes(frames, "csv"))}
    assert (rows["e1"]["date"], rows["e1"]["start"], rows["e1"]["end"]) == ("2024-06", "2024-06-01", "2024-06-30")
    assert (rows["e2"]["date"], rows["e2"]["start"], rows["e2"]["end"]) == ("1654", "1654-01-01", "1654-12-31")
    assert (rows["e3"]["date"], rows["e3"]["start"]) == ("", "")
    assert rows["e4"]["date"] == "2022-02-24"
    assert rows["e5"]["date"] == "2023-Q2"
    assert rows["e4"]["actors"] == "Vladimir Putin; Olaf Scholz"


def test_csv_evidence_lists_sentence_source_date_and_doc_in_publication_order(frames):
    rows = {r["id"]: r for r in _csv_rows(data_bytes(frames, "csv"))}
    lines = rows["e4"]["evidence"].split("\n")
    assert lines == ["Talks were held & closed. [Wire A, 2022-02-25; doc d1]",
                     "Second source on the talks. [Wire B, 2024-11-15; doc d2]"]
    assert rows["e4"]["evidence_doc_ids"] == "d1; d2"


def test_json_keeps_lists_iso_dates_and_evidence(frames):
    payload = json.loads(data_bytes(frames, "json", title="T"))
    events = {e["id"]: e for e in payload["events"]}
    assert events["e4"]["actors"] == ["Vladimir Putin", "Olaf Scholz"]
    assert events["e4"]["countries"] == ["RUS", "DEU"]
    assert events["e1"]["date"] == "2024-06" and events["e1"]["start"] == "2024-06-01"
    assert events["e2"]["start"] == "1654-01-01"
    assert events["e3"]["start"] is None and events["e3"]["date"] is None
    assert [ev["doc_id"] for ev in events["e4"]["evidence"]] == ["d1", "d2"]
    assert events["e4"]["evidence"][0] == {
        "sentence": "Talks were held & closed.", "source": "Wire A", "published": "2022-02-25",
        "doc_id": "d1", "doc_title": "First article", "date_text": None, "external_id": "wire-a-17",
        "sentence_index": 2, "sent_start": 20, "sent_end": 45, "trigger": "held", "trigger_start": 31,
        "trigger_end": 35, "date_start": None, "date_end": None, "date_value": "2022-02-24",
        "date_source": "publication", "date_explanation": "published 2022-02-25; reported the day before"}
    # an unknown offset stays unknown (None), never 0
    assert events["e4"]["evidence"][1]["trigger_start"] is None and events["e4"]["evidence"][1]["sent_start"] == 70
    assert events["e1"]["title"] == INJECTIONS[0]  # JSON is data, not a spreadsheet: verbatim
    assert {d["id"] for d in payload["documents"]} == {"d1", "d2"}
    assert isinstance(events["e4"]["n_sources"], int) and isinstance(events["e4"]["conflict"], bool)


def test_parquet_round_trips_with_pre_1678_dates_and_nested_evidence(frames):
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data_bytes(frames, "parquet")))
    rows = {r["id"]: r for r in table.to_pylist()}
    assert rows["e2"]["start"] == dt.date(1654, 1, 1) and rows["e2"]["end"] == dt.date(1654, 12, 31)
    assert rows["e2"]["date"] == "1654"
    assert rows["e3"]["start"] is None
    assert rows["e4"]["actors"] == ["Vladimir Putin", "Olaf Scholz"]
    assert rows["e4"]["evidence"][0]["published"] == dt.date(2022, 2, 25)
    assert str(table.schema.field("start").type) == "date32[day]"


def _check_tl_date(d: dict) -> None:
    assert set(d) <= set(TIMELINEJS_DATE) and isinstance(d["year"], int)
    if "month" in d:
        assert 1 <= d["month"] <= 12
    if "day" in d:
        assert "month" in d and 1 <= d["day"] <= 31


def test_timelinejs_uses_only_documented_fields_and_partial_dates(frames):
    doc = json.loads(data_bytes(frames, "timelinejs", title="Zebra <timeline>"))
    assert set(doc) <= set(TIMELINEJS_TOP) and isinstance(doc["events"], list)
    assert doc["title"]["text"]["headline"] == "Zebra &lt;timeline&gt;"
    slides = {s["unique_id"]: s for s in doc["events"]}
    assert len(slides) == 4  # the undated e3 cannot be placed ...
    assert "1 undated event" in doc["title"]["text"]["text"]  # ... so the title slide lists it
    assert "<li>\tTabbed</li>" in doc["title"]["text"]["text"]
    for slide in doc["events"]:
        assert set(slide) <= set(TIMELINEJS_SLIDE)
        assert set(slide["text"]) <= set(TIMELINEJS_TEXT)
        _check_tl_date(slide["start_date"])
        if "end_date" in slide:
            _check_tl_date(slide["end_date"])
    month = slides["event-e1"]
    assert month["start_date"] == {"year": 2024, "month": 6} and "end_date" not in month
    assert month["display_date"] == "2024-06" and month["group"] == "Vladimir Putin"
    assert slides["event-e2"]["start_date"] == {"year": 1654}
    assert slides["event-e4"]["start_date"] == {"year": 2022, "month": 2, "day": 24}
    quarter = slides["event-e5"]
    assert quarter["start_date"] == {"year": 2023, "month": 4} and quarter["end_date"] == {"year": 2023, "month": 6}
    talk = slides["event-e4"]
    assert talk["text"]["headline"] == "Talks &lt;b&gt;held&lt;/b&gt; &amp; closed"
    assert "Talks were held &amp; closed." in talk["text"]["text"] and "Wire A, 2022-02-25" in talk["text"]["text"]
    assert "<at length>" not in json.dumps(doc)


@pytest.mark.parametrize("args, expected", [
    (("2024-11-15", "2024-11-15", "day", None), "2024-11-15"),
    (("2024-11-04", "2024-11-10", "week", "2024-W45"), "2024-W45"),
    (("2024-06-01", "2024-06-30", "month", "2024-06"), "2024-06"),
    (("2024-01-01", "2024-06-30", "half", "2024-H1"), "2024-H1"),
    (("0044-01-01", "0044-12-31", "year", "0044"), "0044"),
    (("2024-06-01", "2024-08-31", "season", "2024-SU"), "2024-SU"),
    (("1990-01-01", "1999-12-31", "decade", None), "1990-01-01/1999-12-31"),
    ((None, None, None, None), None),
])
def test_date_label_respects_precision(args, expected):
    start, end, prec, value = args
    to = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    assert date_label(to(start), to(end), prec, value) == expected


def test_unknown_format_is_a_user_error(frames):
    from timeline.errors import UserError

    with pytest.raises(UserError, match="csv, json, parquet, timelinejs"):
        data_bytes(frames, "xlsx")


def test_synthetic_frames_export_every_event_with_evidence():
    from timeline.synthetic import synthetic_frames

    frames = synthetic_frames(300, seed=3)
    payload = json.loads(data_bytes(frames, "json"))
    assert len(payload["events"]) == 300
    assert all(e["evidence"] for e in payload["events"])
    rows = _csv_rows(data_bytes(frames, "csv"))
    assert len(rows) == 300
    dated = frames.events["start"].notna().sum()
    assert len(json.loads(data_bytes(frames, "timelinejs"))["events"]) == dated
