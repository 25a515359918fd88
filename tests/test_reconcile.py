"""Reconciliation: one event per real event, conflicts kept, undated attached, stable ids.

Documents are written for the tests; they follow the seeds' pattern (one source says
"June of last year", another "in June") without copying their sentences.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest

from timeline.actors import Gazetteer
from timeline.model import Document, EventActor, EventMention, Timex
from timeline.pipeline import Resources, extract_document
from timeline.reconcile import near_miss, reconcile

PUB = dt.date(2024, 11, 15)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def run(docs: list[Document], gaz: Gazetteer):
    mentions = [m for d in docs for m in extract_document(d, Resources(gaz, extractor="gazetteer")).event_mentions]
    return reconcile(mentions, {d.id: d for d in docs}), mentions


def doc(doc_id: str, text: str, source: str, published: dt.date | None = PUB) -> Document:
    return Document(id=doc_id, text=text, published=published, source=source)


def events_with(events, **actors_and_type):
    etype = actors_and_type.get("type")
    names = set(actors_and_type.get("actors", ()))
    return [e for e in events if (etype is None or e.type == etype) and names <= {a.name for a in e.actors}]


def test_same_proposal_with_year_slip_is_one_event_with_a_conflict(gaz):
    a = doc("a", "Headline\n\nVladimir Putin said today that his peace proposal, made in June of last year, "
                 "remains on the table.", "Outlet A")
    b = doc("b", "The Russian president repeated a peace plan proposed by Moscow in June.", "Outlet B")
    events, _ = run([a, b], gaz)
    proposals = [e for e in events if e.type == "proposal" and e.start is not None]
    assert len(proposals) == 1, [(e.value, e.title) for e in proposals]
    ev = proposals[0]
    assert ev.conflict is True
    assert {c.value for c in ev.claims} == {"2023-06", "2024-06"}
    assert {c.source for c in ev.claims} == {"Outlet A", "Outlet B"}
    assert ev.n_sources == 2
    # one source each: the tie goes to the more recent reading, and the note says so
    assert (ev.value, ev.precision, ev.start, ev.end) == ("2024-06", "month", dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert "2023-06" in ev.conflict_note and "2024-06" in ev.conflict_note
    assert "Outlet A" in ev.conflict_note and "Outlet B" in ev.conflict_note
    assert "June of last year" in ev.conflict_note


def test_the_date_backed_by_more_sources_is_shown(gaz):
    a = doc("a", "Headline\n\nVladimir Putin said today that his peace proposal, made in June of last year, "
                 "remains on the table.", "Outlet A")
    b = doc("b", "The Russian president repeated a peace plan proposed by Moscow in June.", "Outlet B")
    c = doc("c", "Officials recalled the peace plan proposed by Moscow in June.", "Outlet C")
    events, _ = run([a, b, c], gaz)
    (ev,) = [e for e in events if e.type == "proposal" and e.start is not None]
    assert ev.conflict and ev.value == "2024-06" and ev.n_sources == 3


def test_two_reports_of_one_call_merge_and_count_sources(gaz):
    a = doc("a", "On Friday, Olaf Scholz spoke with Vladimir Putin by telephone.", "Outlet A")
    b = doc("b", "Vladimir Putin and Olaf Scholz spoke by telephone today.", "Outlet B")
    events, mentions = run([a, b], gaz)
    calls = events_with(events, type="call_meeting", actors={"Olaf Scholz", "Vladimir Putin"})
    assert len(calls) == 1
    ev = calls[0]
    assert (ev.value, ev.precision, ev.conflict) == ("2024-11-15", "day", False)
    assert ev.n_sources == 2 and set(ev.sources) == {"Outlet A", "Outlet B"}
    call_ids = {m.id for m in mentions if m.type == "call_meeting" and m.timex is not None}
    assert call_ids <= set(ev.mention_ids)


def test_undated_mention_attaches_to_the_matching_dated_event(gaz):
    a = doc("a", "On Friday, Olaf Scholz spoke with Vladimir Putin by telephone.", "Outlet A")
    b = doc("b", "Headline here\n\nMarkets were calm.\n\nOlaf Scholz spoke with Vladimir Putin by telephone, aides confirmed.",
            "Outlet B")
    events, mentions = run([a, b], gaz)
    undated = [m for m in mentions if m.doc_id == "b" and m.type == "call_meeting"]
    assert undated and undated[0].timex is None
    (ev,) = events_with(events, type="call_meeting", actors={"Olaf Scholz", "Vladimir Putin"})
    assert undated[0].id in ev.mention_ids and ev.start == PUB and ev.n_sources == 2


def test_unmatched_undated_mentions_stay_undated(gaz):
    a = doc("a", "On Friday, Olaf Scholz spoke with Vladimir Putin by telephone.", "Outlet A")
    b = doc("b", "Headline\n\nMarkets were calm.\n\nEmmanuel Macron rejected the plan.", "Outlet B")
    events, _ = run([a, b], gaz)
    refusals = [e for e in events if e.type == "refusal"]
    assert len(refusals) == 1 and refusals[0].start is None and refusals[0].precision is None


def test_no_merge_across_different_actors(gaz):
    a = doc("a", "On Friday, Emmanuel Macron spoke with Vladimir Putin by telephone.", "Outlet A")
    b = doc("b", "On Friday, Olaf Scholz spoke with Volodymyr Zelensky by telephone.", "Outlet B")
    events, _ = run([a, b], gaz)
    calls = [e for e in events if e.type == "call_meeting"]
    assert len(calls) == 2
    assert {frozenset(a.name for a in e.actors) for e in calls} == {
        frozenset({"Emmanuel Macron", "Vladimir Putin"}), frozenset({"Olaf Scholz", "Volodymyr Zelensky"})}
    assert not any(e.conflict for e in calls)


def test_far_apart_dates_of_the_same_pair_are_two_events(gaz):
    a = doc("a", "On Friday, Olaf Scholz spoke with Vladimir Putin by telephone.", "Outlet A")
    b = doc("b", "Olaf Scholz spoke with Vladimir Putin by telephone on 2 December 2022.", "Outlet B")
    events, _ = run([a, b], gaz)
    calls = events_with(events, type="call_meeting", actors={"Olaf Scholz", "Vladimir Putin"})
    assert sorted(e.value for e in calls) == ["2022-12-02", "2024-11-15"]
    assert not any(e.conflict for e in calls)


def test_ids_are_deterministic_and_independent_of_input_order(gaz):
    a = doc("a", "On Friday, Olaf Scholz spoke with Vladimir Putin by telephone. Vladimir Putin said today "
                 "that talks were possible.", "Outlet A")
    b = doc("b", "Vladimir Putin and Olaf Scholz spoke by telephone today. Kyiv rejected the idea of talks.", "Outlet B")
    docs = {d.id: d for d in (a, b)}
    mentions = [m for d in (a, b) for m in extract_document(d, Resources(gaz, extractor="gazetteer")).event_mentions]
    first = reconcile(mentions, docs)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    second = reconcile(shuffled, docs)
    assert [(e.id, e.mention_ids) for e in first] == [(e.id, e.mention_ids) for e in second]
    assert sorted(m for e in first for m in e.mention_ids) == sorted(m.id for m in mentions)  # every mention kept


# -- date relations ------------------------------------------------------------------

def _tx(value: str, start: dt.date, end: dt.date, gran: str) -> Timex:
    return Timex(0, 1, value, "DATE", value, range_start=start, range_end=end, granularity=gran)


JUNE_23 = _tx("2023-06", dt.date(2023, 6, 1), dt.date(2023, 6, 30), "month")
JUNE_24 = _tx("2024-06", dt.date(2024, 6, 1), dt.date(2024, 6, 30), "month")
NOV_22 = _tx("2022-11", dt.date(2022, 11, 1), dt.date(2022, 11, 30), "month")
DEC_2_22 = _tx("2022-12-02", dt.date(2022, 12, 2), dt.date(2022, 12, 2), "day")
MAR_22 = _tx("2022-03", dt.date(2022, 3, 1), dt.date(2022, 3, 31), "month")


@pytest.mark.parametrize("a,b,expected", [
    (JUNE_23, JUNE_24, True),  # a one-year slip
    (NOV_22, DEC_2_22, True),  # adjacent at the coarser precision
    (MAR_22, JUNE_24, False),
    (JUNE_24, JUNE_24, False),  # overlapping dates are compatible, not a near miss
])
def test_near_miss(a, b, expected):
    assert near_miss(a, b) is expected
    assert near_miss(b, a) is expected


def test_near_miss_inside_one_document_is_two_events():
    actor = (EventActor("vladimir-putin", "Vladimir Putin", "agent", "RUS", "person"),)

    def m(mid: str, t: Timex) -> EventMention:
        return EventMention(mid, "same", 0, 10, "x", "proposal", "proposal", "proposed", "Putin proposal",
                            actor, t, "same_clause", 0.8)

    events = reconcile([m("m1", JUNE_23), m("m2", JUNE_24)], {"same": Document("same", "x", published=PUB)})
    assert len(events) == 2 and not any(e.conflict for e in events)


def _other(mid: str, doc_id: str, title: str, year: int) -> EventMention:
    t = Timex(start=0, end=4, text=str(year), type="DATE", value=str(year), range_start=dt.date(year, 1, 1),
              range_end=dt.date(year, 12, 31), granularity="year", anchor="absolute")
    actor = EventActor(actor_id="open:organisation:vantor-motors", name="Vantor Motors", role="agent",
                       country=None, kind="organisation", resolved=False)
    return EventMention(id=mid, doc_id=doc_id, sent_start=0, sent_end=40, sentence=title, trigger=title.split()[2],
                        type="other", modality="occurred", title=title, actors=(actor,), timex=t,
                        date_source="same_clause")


def test_events_of_no_known_kind_merge_only_when_worded_alike():
    docs = {d: Document(id=d, text="x", published=dt.date(2009, 6, 1), source=d) for d in ("a", "b", "c")}
    ms = [_other("m1", "a", "Vantor Motors recalls 9,000 cars", 2008),
          _other("m2", "b", "Vantor Motors opens a plant in Leipzig", 2008),
          _other("m3", "c", "Vantor Motors recalled 9,000 cars", 2008)]
    events = reconcile(ms, docs)
    groups = sorted(sorted(m.id for m in ms if m.id in set(e.mention_ids)) for e in events)
    # same company, same year, type unknown: the recall told twice is one event, the plant another
    assert groups == [["m1", "m3"], ["m2"]]
