"""EventFilter / filter_events: each criterion on a small hand-made frame, URL round trip,
and agreement with a naive implementation on a large synthetic frame."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

import pytest

from timeline.filters import EventFilter, filter_events, option_counts, parse_date
from timeline.synthetic import frames_from_records, synthetic_frames

D = dt.date


@pytest.fixture(scope="module")
def frames():
    events = [
        # a call between two leaders, day precision, two outlets
        dict(id="call", title="Leaders hold phone call", type="call_meeting", modality="occurred",
             start=D(2024, 11, 15), end=D(2024, 11, 15), precision="day",
             actors=["Olaf Scholz", "Vladimir Putin"], countries=["DEU", "RUS"],
             sources=["Outlet A", "Outlet B"], n_sources=2),
        # a month-precision event
        dict(id="june", title="Talks planned for June", type="negotiation", modality="planned",
             start=D(2024, 6, 1), end=D(2024, 6, 30), precision="month",
             actors=["Ukraine"], countries=["UKR"], sources=["Outlet B"], n_sources=1),
        # an old treaty, outside pandas' nanosecond range
        dict(id="treaty", title="Treaty (1654)", type="agreement", modality="occurred",
             start=D(1654, 1, 18), end=D(1654, 1, 18), precision="day",
             actors=["Cossack Hetmanate"], countries=[], sources=["Outlet A"], n_sources=1),
        # undated
        dict(id="undated", title="A refusal with no date [a+b]", type="refusal",
             modality="refused", actors=["Germany"], countries=["DEU"], sources=["Outlet C"],
             n_sources=1),
    ]
    actors = [
        dict(event_id="call", actor_id="Q61053", name="Olaf Scholz", country="DEU", kind="person",
             is_leader=True, resolved=True),
        dict(event_id="call", actor_id="Q7747", name="Vladimir Putin", country="RUS",
             kind="person", is_leader=True, resolved=True),
        dict(event_id="june", actor_id="Q212", name="Ukraine", country="UKR", kind="state",
             resolved=True),
        dict(event_id="treaty", actor_id="?hetmanate", name="Cossack Hetmanate", kind="state"),
        dict(event_id="undated", actor_id="Q183", name="Germany", country="DEU", kind="state",
             resolved=True),
    ]
    mentions = [
        dict(id="m1", event_id="call", doc_id="d1", source="Outlet A",
             sentence="The chancellor spoke with the Kremlin on Friday."),
        dict(id="m2", event_id="call", doc_id="d2", source="Outlet B",
             sentence="A rare telephone conversation took place."),
        dict(id="m3", event_id="june", doc_id="d2", source="Outlet B",
             sentence="Negotiators will meet in June."),
        dict(id="m4", event_id="treaty", doc_id="d1", source="Outlet A",
             sentence="The treaty of 1654 was signed at Pereyaslav."),
        dict(id="m5", event_id="undated", doc_id="d3", source="Outlet C",
             sentence="Berlin refused (again)."),
    ]
    return frames_from_records(events, actors, mentions)


def ids(frames) -> set[str]:
    return set(frames.events["id"])


def test_empty_filter_keeps_everything(frames):
    assert ids(filter_events(frames, EventFilter())) == {"call", "june", "treaty", "undated"}


def test_actor_matches_every_participant_by_name_or_id(frames):
    assert ids(filter_events(frames, EventFilter(actors=("Vladimir Putin",)))) == {"call"}
    assert ids(filter_events(frames, EventFilter(actors=("Q212",)))) == {"june"}
    both = filter_events(frames, EventFilter(actors=("Ukraine", "Germany")))
    assert ids(both) == {"june", "undated"}


def test_leader_filter_only_matches_leaders(frames):
    assert ids(filter_events(frames, EventFilter(leaders=("Olaf Scholz",)))) == {"call"}
    assert ids(filter_events(frames, EventFilter(leaders=("Ukraine",)))) == set()


def test_country_source_type_modality(frames):
    assert ids(filter_events(frames, EventFilter(countries=("DEU",)))) == {"call", "undated"}
    assert ids(filter_events(frames, EventFilter(sources=("Outlet B",)))) == {"call", "june"}
    assert ids(filter_events(frames, EventFilter(types=("agreement",)))) == {"treaty"}
    assert ids(filter_events(frames, EventFilter(modalities=("planned", "refused")))) == {
        "june", "undated"}
    combined = EventFilter(countries=("DEU",), modalities=("occurred",))
    assert ids(filter_events(frames, combined)) == {"call"}


def test_window_overlap_keeps_month_event_inside_its_month(frames):
    inside_june = EventFilter(start=D(2024, 6, 10), end=D(2024, 6, 20), include_undated=False)
    assert ids(filter_events(frames, inside_june)) == {"june"}
    touching_last_day = EventFilter(start=D(2024, 6, 30), end=D(2024, 7, 5), include_undated=False)
    assert ids(filter_events(frames, touching_last_day)) == {"june"}
    after = EventFilter(start=D(2024, 7, 1), end=D(2024, 11, 14), include_undated=False)
    assert ids(filter_events(frames, after)) == set()


def test_open_ended_windows_and_dates_before_1678(frames):
    assert ids(filter_events(frames, EventFilter(end=D(1700, 1, 1), include_undated=False))) == {
        "treaty"}
    assert ids(filter_events(frames, EventFilter(start=D(2024, 11, 15), include_undated=False))) \
        == {"call"}


def test_undated_kept_only_when_asked(frames):
    window = EventFilter(start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert ids(filter_events(frames, window)) == {"call", "june", "undated"}
    assert "undated" not in ids(filter_events(frames, EventFilter(include_undated=False)))


def test_text_searches_title_and_evidence_case_insensitive_and_regex_safe(frames):
    assert ids(filter_events(frames, EventFilter(text="PEREYASLAV"))) == {"treaty"}
    assert ids(filter_events(frames, EventFilter(text="phone call"))) == {"call"}
    # regex metacharacters are plain text
    assert ids(filter_events(frames, EventFilter(text="[a+b]"))) == {"undated"}
    assert ids(filter_events(frames, EventFilter(text="(again)"))) == {"undated"}
    assert ids(filter_events(frames, EventFilter(text=".*"))) == set()


def test_companion_tables_follow_the_kept_events(frames):
    out = filter_events(frames, EventFilter(countries=("UKR",)))
    assert set(out.actors["event_id"]) == {"june"}
    assert list(out.mentions["id"]) == ["m3"]
    assert len(out.documents) == len(frames.documents)
    # inputs untouched
    assert len(frames.events) == 4 and len(frames.mentions) == 5


def test_filter_is_hashable_and_normalises_lists():
    a = EventFilter(actors=["Putin", "Putin", "Scholz"], text="  call ")
    assert a.actors == ("Putin", "Scholz") and a.text == "call"
    assert hash(a) == hash(EventFilter(actors=("Putin", "Scholz"), text="call"))


ROUND_TRIP = [
    EventFilter(),
    EventFilter(actors=("Vladimir Putin", "Olaf Scholz"), countries=("DEU",)),
    EventFilter(leaders=("Olaf Scholz",), sources=("Outlet, with comma",), types=("refusal",),
                modalities=("proposed", "planned"), start=D(1654, 1, 1), end=D(2024, 12, 31),
                text="a & b = c?", include_undated=False),
]


@pytest.mark.parametrize("flt", ROUND_TRIP)
def test_query_round_trip_through_a_real_url(flt):
    assert EventFilter.from_query(flt.to_query()) == flt
    url_query = urlencode(flt.to_query(), doseq=True)  # lists become repeated keys
    assert EventFilter.from_query(parse_qs(url_query)) == flt


def test_from_query_is_tolerant_of_hand_edited_urls():
    flt = EventFilter.from_query({"from": "2024-13-40", "to": "2024-06", "undated": "false",
                                  "actor": ["", "Putin"], "unknown": "x"})
    assert flt == EventFilter(actors=("Putin",), end=D(2024, 6, 1), include_undated=False)
    assert parse_date("1654") == D(1654, 1, 1)


def test_option_counts_count_distinct_events(frames):
    assert option_counts(frames, "country").to_dict() == {"DEU": 2, "RUS": 1, "UKR": 1}
    assert option_counts(frames, "leader").to_dict() == {"Olaf Scholz": 1, "Vladimir Putin": 1}
    assert option_counts(frames, "source").to_dict() == {"Outlet A": 2, "Outlet B": 2,
                                                         "Outlet C": 1}
    assert option_counts(frames, "modality").iloc[0] == 2


def test_matches_naive_filter_on_synthetic_frame():
    big = synthetic_frames(20_000, seed=3)
    flt = EventFilter(countries=("DEU", "FRA"), modalities=("occurred",),
                      start=D(2010, 3, 15), end=D(2012, 8, 1), include_undated=True)
    got = ids(filter_events(big, flt))
    ev = big.events
    expected = set()
    for row in ev.itertuples():
        if not set(row.countries) & {"DEU", "FRA"} or row.modality != "occurred":
            continue
        if row.start is not None and row.start == row.start:  # dated
            if not (row.start.date() <= D(2012, 8, 1) and row.end.date() >= D(2010, 3, 15)):
                continue
        expected.add(row.id)
    assert got == expected and 100 < len(got) < len(ev)


@pytest.mark.slow
def test_one_million_events_filter_correctly():
    big = synthetic_frames(1_000_000, seed=1)
    out = filter_events(big, EventFilter(actors=("Germany",), include_undated=False))
    assert 0 < len(out.events) < len(big.events)
    assert out.events["start"].notna().all()
    assert set(out.actors["event_id"]) == set(out.events["id"])
    assert set(out.actors.loc[out.actors["name"] == "Germany", "event_id"]) == set(
        out.events["id"])
