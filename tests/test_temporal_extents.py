"""Extents where TimeML and TIMEX2 agree (issue 11b): the words that belong to an expression
are in its span, the ones that do not are out. Short passages written for this test."""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal import find_timexes

PUB = dt.date(2024, 11, 15)  # a Friday


@pytest.mark.parametrize("text,surface,value,mod", [
    # "early in", "later in": one expression, as both conventions annotate it
    ("Rates were cut early in 2023 and again later in the year.", "early in 2023", "2023", "START"),
    ("Rates were cut early in 2023 and again later in the year.", "later in the year", "2024", None),
    ("Late in the month the talks resumed.", "Late in the month", "2024-11", "END"),
    # a number with a singular unit is an adjective: "the" stays out, as with "the eight-year"
    ("During the two day visit he met the king.", "two day", "P2D", None),
    ("The ten year struggle ended in a truce.", "ten year", "P10Y", None),
    ("The nine months to September were weak.", "The nine months", "P9M", None),
    # "the decade" and "the year" after "of"
    ("Emissions must halve by the end of the decade.", "the end of the decade", "202", "END"),
    ("Sales were flat for most of the year.", "the year", "2024", None),
    ("The minister resigned on Monday, and that same day his deputy took over.", "that same day",
     "2024-11-11", None),
])
def test_extent_and_value(text, surface, value, mod):
    found = {t.text: t for t in find_timexes(text, PUB, doc_type="news")}
    assert surface in found, [(t.text, t.value) for t in found.values()]
    t = found[surface]
    assert (t.value, t.mod) == (value, mod), t.explanation


@pytest.mark.parametrize("text,not_found", [
    ("The constitution of the Year III was adopted.", "the Year"),
    ("Outflows doubled the level of the week following the credit squeeze.", "the week"),
    ("He arrived later in the day.", "later in the day"),
])
def test_not_an_expression(text, not_found):
    assert not_found not in {t.text for t in find_timexes(text, PUB, doc_type="news")}


@pytest.mark.parametrize("text,surface,value,mod", [
    # "around" before a date or a clock time is part of the expression (TimeML and TIMEX2 agree)
    ("The deal should close around Nov. 1, 2024.", "around Nov. 1, 2024", "2024-11-01", "APPROX"),
    ("Around March 1981 the front stalled.", "Around March 1981", "1981-03", "APPROX"),
    ("He was born circa 1820 in Lyon.", "circa 1820", "1820", "APPROX"),
])
def test_around_a_date_is_inside_its_span(text, surface, value, mod):
    found = find_timexes(text, dt.date(2024, 5, 1))
    assert [(t.text, t.value, t.mod) for t in found] == [(surface, value, mod)]


def test_no_position_modifier_attaches_to_a_possessive_date():
    # "get around Wednesday's ruling": "around" goes with the ruling, not with Wednesday
    found = find_timexes("His relatives will look for ways to get around Wednesday's ruling.", dt.date(2024, 5, 3))
    assert [t.text for t in found] == ["Wednesday"]
    found = find_timexes("Shares rose at the end of Friday's session.", dt.date(2024, 5, 6))
    assert [t.text for t in found] == ["Friday"]


def test_a_month_day_of_a_year_is_one_date():
    found = find_timexes("The king was stopped on June 20 of 1792 at the palace.", dt.date(2024, 5, 1))
    assert [(t.text, t.value) for t in found] == [("June 20 of 1792", "1792-06-20")]


@pytest.mark.parametrize("text,surface,value,mod", [
    # a length named as a period keeps its noun
    ("He was given a one-year term.", "a one-year term", "P1Y", None),
    ("Civilians died during the same 28-day period.", "the same 28-day period", "P28D", None),
    ("The loan carries a 10-year term.", "a 10-year term", "P10Y", None),
    # a length given as a range is one expression of at least its lower end
    ("The strike could last two to three weeks.", "two to three weeks", "P2W", "EQUAL_OR_MORE"),
    ("Growth is expected over the next 12 to 18 months.", "the next 12 to 18 months", "P12M", "EQUAL_OR_MORE"),
    ("Repairs take 3–5 days.", "3–5 days", "P3D", "EQUAL_OR_MORE"),
])
def test_lengths_named_as_periods_or_ranges(text, surface, value, mod):
    found = find_timexes(text, dt.date(2024, 5, 1))
    assert [(t.text, t.type, t.value, t.mod) for t in found] == [(surface, "DURATION", value, mod)]


def test_a_length_with_or_stays_as_written():
    # "ten or fifteen years" is often a list: only the last number carries the unit
    found = find_timexes("The war could last ten or fifteen years.", dt.date(2024, 5, 1))
    assert [(t.text, t.value) for t in found] == [("fifteen years", "P15Y")]


@pytest.mark.parametrize("text,surface,value", [
    ("In Q4 FY23 profit rose.", "Q4 FY23", "2023-Q4"),
    ("For FY24 the outlook is weak.", "FY24", "2024"),
    ("H1 FY24 was flat.", "H1 FY24", "2024-H1"),
    ("Q3 of 2023 was strong.", "Q3 of 2023", "2023-Q3"),
])
def test_fiscal_years_and_quarters_as_business_news_writes_them(text, surface, value):
    found = find_timexes(text, dt.date(2024, 6, 14))
    assert [(t.text, t.value) for t in found] == [(surface, value)]


@pytest.mark.parametrize("text,value", [
    # published 14 March 2024: an ambiguous numeric date takes the reading nearer publication
    ("The hearing was on 12/03/2024 in London.", "2024-03-12"),  # day/month (Dec 3 is nine months off)
    ("The report was filed 03/12/2024.", "2024-03-12"),  # month/day
    ("The summit is on 6/20/2024.", "2024-06-20"),  # only one reading
    ("The law takes effect on 12.03.2024.", "2024-03-12"),  # a dot: day.month
])
def test_numeric_dates(text, value):
    [t] = find_timexes(text, dt.date(2024, 3, 14))
    assert t.value == value, t.explanation


@pytest.mark.parametrize("text,surface,value", [
    ("On Tues., March 5, the vote passed.", "Tues., March 5", "2024-03-05"),
    ("On Sat. 9 March the march began.", "Sat. 9 March", "2024-03-09"),
])
def test_an_abbreviated_weekday_before_a_date_is_part_of_it(text, surface, value):
    found = find_timexes(text, dt.date(2024, 3, 14))
    assert [(t.text, t.value) for t in found] == [(surface, value)]


def test_an_abbreviated_weekday_alone_is_no_date():
    assert find_timexes("The Sun reported that he wed her.", dt.date(2024, 3, 14)) == []
