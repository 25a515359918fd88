"""Holidays: fixed ones, Easter and the days counted from it (Gregorian), a holiday's part
of day ("Christmas night") and its week ("Easter week"); a holiday word inside a name is
no date."""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal import calendar as cal
from timeline.temporal import find_timexes


@pytest.mark.parametrize("year,sunday", [
    (1916, dt.date(1916, 4, 23)), (2000, dt.date(2000, 4, 23)), (2016, dt.date(2016, 3, 27)),
    (2019, dt.date(2019, 4, 21)), (2024, dt.date(2024, 3, 31)), (2038, dt.date(2038, 4, 25)),
    (2285, dt.date(2285, 3, 22)),  # the earliest possible date
])
def test_easter_sunday(year, sunday):
    assert cal.easter(year) == sunday


@pytest.mark.parametrize("text,published,surface,value", [
    ("On Good Friday 2019 the march began.", dt.date(2024, 5, 1), "Good Friday 2019", "2019-04-19"),
    ("Easter Monday 2016 was sunny.", dt.date(2024, 5, 1), "Easter Monday 2016", "2016-03-28"),
    ("Easter Sunday was quiet in the capital.", dt.date(2024, 5, 1), "Easter Sunday", "2024-03-31"),
    ("Washington crossed the river on Christmas night 1776.", dt.date(2009, 12, 19),
     "Christmas night 1776", "1776-12-25TNI"),
    ("Protesters prayed as Easter week began.", dt.date(2000, 4, 17), "Easter week", "2000-W16"),
])
def test_holidays(text, published, surface, value):
    found = [t for t in find_timexes(text, published, doc_type="news") if t.text == surface]
    assert [t.value for t in found] == [value], [(t.text, t.value) for t in find_timexes(text, published)]


def test_easter_in_a_name_is_no_date():
    found = find_timexes("The Easter Rising of 1916 failed.", dt.date(2024, 5, 1))
    assert [(t.text, t.value) for t in found] == [("1916", "1916")]
