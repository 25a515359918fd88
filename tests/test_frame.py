"""The event frame: exact documented columns and dtypes, dates outside the ns range."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from timeline.frame import (
    ACTOR_COLUMNS, DOCUMENT_COLUMNS, EVENT_COLUMNS, MENTION_COLUMNS, Frames, empty_frames, frames_from_events,
)
from timeline.model import DatedClaim, Document, Event, EventActor, EventMention, Timex

PUTIN = EventActor("vladimir-putin", "Vladimir Putin", "speaker", "RUS", "person")
SWEDEN = EventActor("sweden", "Sweden", "agent", "SWE", "state")
NOBODY = EventActor(None, "Minister Petrenko", "speaker", None, "person", resolved=False)


def _tx(value: str, start: dt.date, end: dt.date, gran: str, text: str) -> Timex:
    return Timex(0, len(text), text, "DATE", value, range_start=start, range_end=end, granularity=gran)


def _mention(mid: str, doc_id: str, t: Timex | None, actors=(PUTIN,)) -> EventMention:
    return EventMention(mid, doc_id, 0, 20, "An evidence sentence.", "signed", "agreement", "occurred",
                        "A title", tuple(actors), t, "same_clause" if t else "none", 0.7)


def _event(eid: str, mids: tuple[str, ...], t: Timex | None, actors=(PUTIN,), **kw) -> Event:
    return Event(eid, f"title {eid}", "agreement", "occurred", t.range_start if t else None,
                 t.range_end if t else None, t.granularity if t else None, t.value if t else None, None,
                 tuple(actors), mids, ("Outlet",), **kw)


def build() -> Frames:
    old = _tx("1654", dt.date(1654, 1, 1), dt.date(1654, 12, 31), "year", "the 1654 treaty")
    future = _tx("2300-05-01", dt.date(2300, 5, 1), dt.date(2300, 5, 1), "day", "1 May 2300")
    mentions = [_mention("m1", "d1", old, (SWEDEN,)), _mention("m2", "d1", future),
                _mention("m3", "d2", None, (NOBODY,))]
    claims = (DatedClaim("d1", "Outlet", "1654", old.range_start, old.range_end, "year", old.text, "s"),)
    events = [
        _event("e_old", ("m1",), old, (SWEDEN,), claims=claims),
        _event("e_future", ("m2",), future, conflict=True, conflict_note="Sources disagree."),
        _event("e_undated", ("m3",), None, (NOBODY,)),
    ]
    docs = [Document("d1", "text one", published=dt.date(1655, 2, 1), source="Outlet"),
            Document("d2", "text two", published=None, source=None)]
    return frames_from_events(events, mentions, docs)


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {c: str(t) for c, t in frame.dtypes.items()}


def test_columns_and_dtypes_are_exactly_the_documented_ones():
    f = build()
    assert _dtypes(f.events) == EVENT_COLUMNS
    assert _dtypes(f.actors) == ACTOR_COLUMNS
    assert _dtypes(f.mentions) == MENTION_COLUMNS
    assert _dtypes(f.documents) == DOCUMENT_COLUMNS


def test_dates_before_1678_and_after_2262_survive():
    ev = build().events.set_index("id")
    assert ev.loc["e_old", "start"] == np.datetime64("1654-01-01", "s")
    assert ev.loc["e_old", "end"] == np.datetime64("1654-12-31", "s")
    assert ev.loc["e_future", "start"] == np.datetime64("2300-05-01", "s")
    assert pd.isna(ev.loc["e_undated", "start"]) and pd.isna(ev.loc["e_undated", "precision"])
    assert build().mentions.set_index("id").loc["m1", "published"] == np.datetime64("1655-02-01", "s")


def test_lists_counts_and_flags():
    ev = build().events.set_index("id")
    assert ev.loc["e_old", "actors"] == ["Sweden"] and ev.loc["e_old", "countries"] == ["SWE"]
    assert ev.loc["e_old", "date_text"] == "the 1654 treaty"
    assert ev.loc["e_undated", "actor_ids"] == ["?Minister Petrenko"]
    assert ev.loc["e_future", "conflict"] and ev.loc["e_future", "conflict_note"] == "Sources disagree."
    assert pd.isna(ev.loc["e_old", "conflict_note"])
    assert ev["n_mentions"].tolist() == [1, 1, 1] and ev["n_sources"].tolist() == [1, 1, 1]


def test_actor_table_is_long_and_flags_unresolved():
    actors = build().actors
    assert len(actors) == 3
    row = actors.set_index("event_id").loc["e_undated"]
    assert row["actor_id"] == "?Minister Petrenko" and not row["resolved"] and not row["is_leader"]


def test_empty_frames_have_the_schema():
    f = empty_frames()
    assert all(len(x) == 0 for x in (f.events, f.actors, f.mentions, f.documents))
    assert _dtypes(f.events) == EVENT_COLUMNS and _dtypes(f.mentions) == MENTION_COLUMNS


def test_frames_is_frozen():
    import dataclasses

    import pytest

    f = empty_frames()
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.events = f.actors  # type: ignore[misc]
