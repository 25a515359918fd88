"""Ranges: a dash range stays one expression (one bar on the timeline) that carries its two
ends as written (``Timex.ends``); a worded range is two expressions, as TimeML has it. The
TimeML view (``timeml_timexes``, what the evaluation scores) writes a dash range as its ends."""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.evaluation.timex import engine_predict, timeml_timexes
from timeline.temporal import find_timexes

PUB = dt.date(2024, 5, 1)


@pytest.mark.parametrize("text,surface,value,ends", [
    ("Throughout 1915-17 the armies bled.", "1915-17", "1915/1917", [("1915", "1915"), ("17", "1917")]),
    ("The Diem era, 1955–1963, ended in a coup.", "1955–1963", "1955/1963", [("1955", "1955"), ("1963", "1963")]),
    ("The division held the line (26-30 November 1950).", "26-30 November 1950",
     "1950-11-26/1950-11-30", [("26", "1950-11-26"), ("30 November 1950", "1950-11-30")]),
    ("The talks ran September 23-27, 2022 in Geneva.", "September 23-27, 2022",
     "2022-09-23/2022-09-27", [("September 23", "2022-09-23"), ("27, 2022", "2022-09-27")]),
    ("The offensive ran March–May 1918.", "March–May 1918", "1918-03/1918-05",
     [("March", "1918-03"), ("May 1918", "1918-05")]),
    # across months: the first end takes the year written after the second
    ("The siege (26 June - 4 August 1952) cost both sides dearly.", "26 June - 4 August 1952",
     "1952-06-26/1952-08-04", [("26 June", "1952-06-26"), ("4 August 1952", "1952-08-04")]),
    ("The festival runs June 30–July 2, 2023 in Oslo.", "June 30–July 2, 2023",
     "2023-06-30/2023-07-02", [("June 30", "2023-06-30"), ("July 2, 2023", "2023-07-02")]),
    # a season or fiscal year across the turn of the year
    ("The 2022/23 season ended in defeat.", "2022/23", "2022/2023", [("2022", "2022"), ("23", "2023")]),
    ("He scored 30 goals in 1999/00.", "1999/00", "1999/2000", [("1999", "1999"), ("00", "2000")]),
])
def test_a_dash_range_is_one_expression_carrying_its_two_ends(text, surface, value, ends):
    found = find_timexes(text, PUB)
    assert [t.text for t in found] == [surface], [(t.text, t.value) for t in found]
    t = found[0]
    assert t.value == value and t.range_start is not None and t.range_end is not None
    assert [(e.text, e.value) for e in t.ends] == ends
    for e in t.ends:
        assert text[e.start:e.end] == e.text and t.start <= e.start < e.end <= t.end
        assert not e.ends
    # the TimeML view writes the two ends instead of the range
    assert [(x.text, x.value) for x in timeml_timexes(found)] == ends
    assert [(x.text, x.value) for x in engine_predict(text, PUB)] == ends


@pytest.mark.parametrize("text,pairs", [
    ("The war lasted from 1939 to 1945.", [("1939", "1939"), ("1945", "1945")]),
    ("The summit met from March to May 2022.", [("March", "2022-03"), ("May 2022", "2022-05")]),
    ("They fought on 22 to 24 February 1916.", [("22", "1916-02-22"), ("24 February 1916", "1916-02-24")]),
    ("The summit meets on April 24 and 25, 2024.", [("April 24", "2024-04-24"), ("25, 2024", "2024-04-25")]),
    ("The army attacked from the 13th to the 19th of October 1950.",
     [("the 13th", "1950-10-13"), ("the 19th of October 1950", "1950-10-19")]),
    ("Talks ran between the 5th and 7th of June 2023.", [("the 5th", "2023-06-05"), ("7th of June 2023", "2023-06-07")]),
])
def test_a_worded_range_is_two_expressions(text, pairs):
    found = find_timexes(text, PUB)
    assert [(t.text, t.value) for t in found] == pairs
    assert all(not t.ends for t in found)


def test_expressions_other_than_dash_ranges_have_no_ends():
    found = find_timexes("On 3 March 2021 and in 1990, and last week, prices rose 1990-1995%.", PUB)
    assert found and all(t.ends == () for t in found)
    assert timeml_timexes(found) == found


def test_a_range_across_months_without_a_year_takes_the_year_of_its_end():
    # published 1 May 2024: "March 19-April 30" is this spring's, both ends in 2024
    [t] = find_timexes("During the invasion phase (March 19-April 30) the losses mounted.", PUB)
    assert (t.text, t.value) == ("March 19-April 30", "2024-03-19/2024-04-30"), t.explanation
    assert [(e.text, e.value) for e in t.ends] == [("March 19", "2024-03-19"), ("April 30", "2024-04-30")]


def test_a_slash_between_years_that_do_not_follow_each_other_is_no_range():
    found = find_timexes("The 2019/25 plan was dropped.", PUB)
    assert [(t.text, t.value, t.ends) for t in found] == [("2019", "2019", ())]


def test_the_timeml_view_writes_an_offset_of_no_stated_size_as_timeml_does():
    """Ours: after the date named before (a place on the timeline); TimeML: FUTURE_REF."""
    text = "The army crossed the river on 3 May 1940. Weeks later, the bridge collapsed. Days earlier, it rained."
    found = find_timexes(text, dt.date(2024, 11, 20), doc_type="news")
    assert [(t.text, t.value, t.mod) for t in found] == [
        ("3 May 1940", "1940-05-03", None), ("Weeks later", "1940-05-03", "AFTER"),
        ("Days earlier", "1940-05-03", "BEFORE")]
    assert [(t.text, t.value, t.mod) for t in timeml_timexes(found)] == [
        ("3 May 1940", "1940-05-03", None), ("Weeks later", "FUTURE_REF", None), ("Days earlier", "PAST_REF", None)]
