"""A clock time is on the day written with it. When the day comes after the time with a
zone between ("at 5:34 AM Baghdad time on March 20, 2003", "3:15 p.m. local time on
Friday", "10:35 a.m. (0735 GMT) Friday"), that day wins over the day named before and
the publication day; a sentence break is no such link."""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal import find_timexes

PUB = dt.date(2024, 6, 12)  # a Wednesday


@pytest.mark.parametrize("text,surface,value", [
    ("Troops had crossed on 1 May. The assault began at 5:34 AM Baghdad time on March 20, 2003.",
     "5:34 AM", "2003-03-20T05:34"),
    ("On June 1 the court sat. The president spoke at 3:15 p.m. local time on Friday.", "3:15 p.m.", "2024-06-07T15:15"),
    ("The blast occurred at about 10:35 a.m. (0735 GMT) Friday.", "10:35 a.m.", "2024-06-07T10:35"),
    ("The blast occurred at about 10:35 a.m. (0735 GMT) Friday.", "0735 GMT", "2024-06-07T07:35"),
    ("Shares fell at 10:30 a.m. ET on Monday.", "10:30 a.m.", "2024-06-10T10:30"),
    # the zone in words before the bracketed one
    ("The truce took effect at 07:00 local time (0400 GMT) on Sunday.", "07:00", "2024-06-09T07:00"),
    ("Polls closed at 8 p.m. Kyiv time (1700 GMT) on Sunday.", "8 p.m.", "2024-06-09T20:00"),
])
def test_a_clock_time_takes_the_day_written_after_its_zone(text, surface, value):
    [t] = [t for t in find_timexes(text, PUB, doc_type="news") if t.text == surface]
    assert t.value == value, t.explanation
    assert t.range_start == dt.date.fromisoformat(value[:10])
    assert "the day written after it" in t.explanation


def test_a_sentence_break_does_not_join_a_time_to_the_next_day():
    found = find_timexes("On Monday he landed at 5 p.m. On Friday, he left.", PUB, doc_type="news")
    assert [(t.text, t.value) for t in found] == [
        ("Monday", "2024-06-10"), ("5 p.m.", "2024-06-10T17:00"), ("Friday", "2024-06-07")]


@pytest.mark.parametrize("text,value", [
    ("The vote is set for Thursday.", "2024-06-13"),
    ("Talks are set to resume on Monday.", "2024-06-17"),
    ("The launch is slated for Tuesday.", "2024-06-18"),
    ("The date was set on Monday.", "2024-06-10"),  # "set" as a past verb keeps the past
])
def test_set_for_and_slated_look_ahead(text, value):
    [t] = find_timexes(text, PUB, doc_type="news")
    assert t.value == value, t.explanation


@pytest.mark.parametrize("text,surface,type_,value", [
    ("He called the police at 2130 hours.", "2130 hours", "TIME", "2024-06-12T21:30"),
    ("The jets struck at 0400.", "0400", "TIME", "2024-06-12T04:00"),
    ("Troops will leave by 0600 hrs on Friday.", "0600 hrs", "TIME", "2024-06-14T06:00"),
    ("The pilot logged 1500 hours of flight.", "1500 hours", "DURATION", "PT1500H"),  # no preposition of time
])
def test_military_time(text, surface, type_, value):
    [t] = [t for t in find_timexes(text, PUB, doc_type="news") if t.text == surface]
    assert (t.type, t.value) == (type_, value), t.explanation


def test_a_bare_year_after_at_is_no_military_time():
    found = find_timexes("The meeting at 1900 was long.", PUB, doc_type="news")
    assert all(t.type != "TIME" for t in found), [(t.text, t.value) for t in found]
