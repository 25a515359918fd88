"""synthetic_frames: exact schema, consistency between the tables, realistic mix, determinism."""
from __future__ import annotations

import pandas as pd
import pytest

from timeline.frame import ACTOR_COLUMNS, DOCUMENT_COLUMNS, EVENT_COLUMNS, MENTION_COLUMNS
from timeline.synthetic import frames_from_records, synthetic_frames


@pytest.fixture(scope="module")
def frames():
    return synthetic_frames(5000, seed=7)


def test_exact_schema(frames):
    for table, columns in ((frames.events, EVENT_COLUMNS), (frames.actors, ACTOR_COLUMNS),
                           (frames.mentions, MENTION_COLUMNS),
                           (frames.documents, DOCUMENT_COLUMNS)):
        assert list(table.columns) == list(columns)
        assert {c: str(t) for c, t in table.dtypes.items()} == {
            c: str(pd.Series([], dtype=d).dtype) for c, d in columns.items()}


def test_tables_agree(frames):
    ev = frames.events.set_index("id")
    assert ev.index.is_unique
    # the long actors table holds exactly the actors listed on each event
    long = frames.actors.groupby("event_id")["name"].apply(sorted)
    assert (long == ev.loc[long.index, "actors"].map(sorted)).all()
    # one mention per source, each pointing at a stored document
    assert (frames.mentions.groupby("event_id").size() == ev["n_mentions"]).all()
    assert frames.mentions["doc_id"].isin(frames.documents["id"]).all()
    assert (ev["n_sources"] == ev["sources"].map(lambda s: len(set(s)))).all()


def test_realistic_mix(frames):
    ev = frames.events
    share = ev["precision"].value_counts(normalize=True, dropna=False)
    assert 0.05 < ev["start"].isna().mean() < 0.2
    assert {"day", "week", "month", "quarter", "year"} <= set(ev["precision"].dropna())
    assert share["day"] > 0.4
    dated = ev.dropna(subset=["start"])
    assert (dated["end"] >= dated["start"]).all()
    month = dated[dated["precision"] == "month"]
    assert (month["start"].dt.day == 1).all() and (
        (month["end"] + pd.Timedelta(days=1)).dt.day == 1).all()
    assert ev["conflict"].any() and (ev["actors"].map(len) > 1).mean() > 0.3
    assert set(ev["modality"]) == {"occurred", "proposed", "planned", "refused", "reported"}
    assert (ev.loc[ev["conflict"], "n_sources"] > 1).all()


def test_deterministic():
    a, b = synthetic_frames(300, seed=1), synthetic_frames(300, seed=1)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert not synthetic_frames(300, seed=2).events["title"].equals(a.events["title"])


def test_frames_from_records_fills_defaults():
    f = frames_from_records([{"id": "x", "title": "t", "actors": ["A"]}])
    assert f.events["start"].isna().all() and f.events["actors"].iloc[0] == ["A"]
    assert list(f.mentions.columns) == list(MENTION_COLUMNS)


def test_weeks_run_monday_to_sunday(frames):
    weeks = frames.events[frames.events["precision"] == "week"]
    assert (weeks["start"].dt.day_of_week == 0).all() and (weeks["end"].dt.day_of_week == 6).all()
