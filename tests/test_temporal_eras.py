"""Years outside 1000-2999 (issue 12, item 8): written with an era they are read, BC dates
keep a TIMEX3 value but no interval (``datetime.date`` holds years 1..9999 only, so they
stay off the time axis), and a year that is written but not read (no era, or 3000 and
later) leaves the date unresolved, never the publication year. Plus the strict mode."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from timeline.temporal import engine, find_timexes
from timeline.temporal.resolve import HANDLERS

PUB = dt.date(2024, 5, 1)


def _one(text: str, surface: str, published=PUB):
    found = [t for t in find_timexes(text, published) if t.text == surface]
    assert len(found) == 1, [(t.text, t.value) for t in find_timexes(text, published)]
    return found[0]


@pytest.mark.parametrize("text,surface,value,start,end", [
    ("Caesar died on 15 March 44 BC.", "15 March 44 BC", "BC0044-03-15", None, None),
    ("The city fell in 146 B.C. after a siege.", "146 B.C.", "BC0146", None, None),
    ("The campaign of 490 BCE failed.", "490 BCE", "BC0490", None, None),
    ("Vesuvius erupted in AD 79.", "AD 79", "0079", dt.date(79, 1, 1), dt.date(79, 12, 31)),
    ("He was crowned in 800 AD.", "800 AD", "0800", dt.date(800, 1, 1), dt.date(800, 12, 31)),
    ("The temple dates from the 4th century BC.", "the 4th century BC", "BC03", None, None),
    ("Throughout the 470s BC the league campaigned in Thrace.", "the 470s BC", "BC047", None, None),
    ("The 80s BC were years of civil war.", "The 80s BC", "BC008", None, None),
])
def test_years_with_an_era_or_in_a_full_date(text, surface, value, start, end):
    t = _one(text, surface)
    assert (t.value, t.range_start, t.range_end, t.anchor) == (value, start, end, "absolute"), t.explanation


def test_bc_range_marks_both_ends_bc():
    found = {t.text: t.value for t in find_timexes("The revolt lasted from 499 to 493 BC.", PUB)}
    assert found == {"499": "BC0499", "493 BC": "BC0493"}


def test_bc_dates_stay_off_the_axis_but_keep_granularity():
    t = _one("Caesar died on 15 March 44 BC.", "15 March 44 BC")
    assert (t.granularity, t.resolved, t.range_start) == ("day", True, None)


@pytest.mark.parametrize("text,surface", [
    ("He died on 15 March 44.", "15 March 44"),
    ("It fell in March 844; the city burned.", "March 844"),
    ("A bond maturing on 1 January 9999 was issued.", "1 January 9999"),
    ("The capsule opens on March 3, 3001.", "March 3, 3001"),
    ("On 15 March 4000 troops landed.", "15 March 4000"),  # a count or a year: not the publication year either way
])
def test_a_written_year_that_cannot_be_read_is_not_replaced_by_publication(text, surface):
    t = _one(text, surface)
    assert (t.value, t.resolved, t.reason) == (None, False, "year not understood")


def test_a_count_after_a_date_is_not_a_year():
    assert _one("On May 5, 12 people died.", "May 5").value == "2024-05-05"
    assert _one("The assault ended on May 8 1:00AM.", "May 8").value == "2024-05-08"


def test_bare_numbers_below_1000_are_not_years():
    assert find_timexes("The regiment lost 844 men.", PUB) == []
    assert find_timexes("In 79 cases the court agreed.", PUB) == []
    assert find_timexes("Caesar had ad campaigns.", PUB) == []  # lower-case "ad" is a word, not an era


def test_publication_at_the_calendar_ends_never_raises():
    for published in (dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        text = "Yesterday, today and tomorrow; on Friday, next week, last weekend and this century."
        assert all(t.text for t in find_timexes(text, published))


# ---- strict mode: a handler bug raises in the test session, users keep the lenient engine
def test_the_test_session_runs_in_strict_mode():
    assert os.environ.get("TIMELINE_STRICT") == "1" and engine.strict_mode()


def _failing(g, ctx):
    raise ZeroDivisionError("a handler bug")


def test_strict_mode_raises_a_handler_bug(monkeypatch):
    monkeypatch.setitem(HANDLERS, "weekday", _failing)
    with pytest.raises(ZeroDivisionError, match="a handler bug"):
        find_timexes("The talks ended on Friday, in March 2022.", PUB)


def test_lenient_mode_loses_only_the_failing_expression(monkeypatch):
    monkeypatch.setitem(HANDLERS, "weekday", _failing)
    monkeypatch.setenv("TIMELINE_STRICT", "0")
    found = find_timexes("The talks ended on Friday, in March 2022.", PUB)
    assert [(t.text, t.value) for t in found] == [("March 2022", "2022-03")]


@pytest.mark.parametrize("text,why", [
    ("Rome grew in the 1st century BC.", "the 1st century BC"),
    ("The cathedral rose in the 12th century.", "the 12th century"),
    ("Trade boomed in the 3rd century.", "the 3rd century"),
    ("It is the 21st century.", "the 21st century"),
])
def test_a_century_is_explained_with_its_ordinal(text, why):
    [t] = find_timexes(text, PUB)
    assert t.explanation.endswith(": " + why), t.explanation
