"""News writes a coming event in the present tense with its weekday ("the leaders meet
Monday"): such a weekday is the next one; a past or reporting verb keeps the last one."""
from __future__ import annotations

import datetime as dt

import pytest

from timeline.temporal import find_timexes

PUB = dt.date(1998, 5, 1)  # a Friday


@pytest.mark.parametrize("text,surface,value", [
    # published Friday 1 May 1998
    ("The two leaders meet Monday in Washington.", "Monday", "1998-05-04"),
    ("He and the envoy meet separately Monday with the mediator.", "Monday", "1998-05-04"),
    ("The talks resume on Tuesday, officials said.", "Tuesday", "1998-05-05"),
    ("Parliament votes Wednesday on the budget.", "Wednesday", "1998-05-06"),
    ("The talks resumed Monday, officials said.", "Monday", "1998-04-27"),
    ("The minister said Tuesday the talks would go on.", "Tuesday", "1998-04-28"),
    ("The leaders met Monday in Washington.", "Monday", "1998-04-27"),
    # the verb further back in its clause
    ("The prime minister heads to Tokyo on Tuesday for a three-day visit.", "Tuesday", "1998-05-05"),
    ("Polls open at 7 a.m. on Sunday.", "7 a.m. on Sunday", "1998-05-03T07:00"),
    ("Early voting began last week and ends on Sunday.", "Sunday", "1998-05-03"),
    ("The festival runs from Sunday through Tuesday.", "Sunday", "1998-05-03"),
    # a noun, not a verb: the sentence's tense decides
    ("The party won the vote on Tuesday.", "Tuesday", "1998-04-28"),
    ("Lawmakers rejected the bill in a vote on Tuesday.", "Tuesday", "1998-04-28"),
    ("He cancelled his visit on Monday.", "Monday", "1998-04-27"),
    ("He made a surprise visit on Monday.", "Monday", "1998-04-27"),
    ("Officials said the talks, which resumed in Geneva, ended on Tuesday.", "Tuesday", "1998-04-28"),
])
def test_weekday_after_a_scheduling_verb(text, surface, value):
    [t] = [t for t in find_timexes(text, PUB, doc_type="news") if t.text == surface]
    assert t.value == value, t.explanation


def test_an_infinitive_is_told_by_its_clause():
    [t] = find_timexes("The meeting was scheduled to begin Thursday.", dt.date(2024, 11, 22), doc_type="news")
    assert t.value == "2024-11-21", t.explanation


@pytest.mark.parametrize("text,value", [
    # published Friday 1 May 1998
    ("By Wednesday morning, rescuers had pulled 12 people from the rubble.", "1998-04-29TMO"),
    ("By Wednesday the deal will be done.", "1998-05-06"),
    ("The line was held by Wednesday.", "1998-04-29"),
])
def test_by_a_weekday_is_a_deadline_unless_told_as_past(text, value):
    [t] = find_timexes(text, PUB, doc_type="news")
    assert t.value == value, t.explanation


@pytest.mark.parametrize("text,surface,value", [
    # published Friday 1 May 1998
    ("The index closed Thursday, down 4.5% from the previous Friday.", "the previous Friday", "1998-04-24"),
    ("They met on Tuesday, June 4, 1996, and again the following Monday.", "the following Monday", "1996-06-10"),
    ("Prices fell from the previous Friday.", "the previous Friday", "1998-04-24"),  # no day named before
])
def test_the_previous_or_following_weekday_counts_from_the_day_named_before(text, surface, value):
    [t] = [t for t in find_timexes(text, PUB, doc_type="news") if t.text == surface]
    assert t.value == value, t.explanation


@pytest.mark.parametrize("text,values", [
    # published Friday 1 May 1998: the second weekday goes with the first
    ("Scholz will travel to Brazil next week and then to the G20 summit in Rio on Monday and Tuesday.",
     ["1998-05-04", "1998-05-05"]),  # "will" is too far back for "Tuesday" alone
    ("Statements made Friday and Thursday by the lawyer were released.", ["1998-05-01", "1998-04-30"]),
    ("The market was closed Sunday and Monday.", ["1998-04-26", "1998-04-27"]),
    ("The fair runs Friday through Sunday.", ["1998-05-01", "1998-05-03"]),
])
def test_coordinated_weekdays_share_their_week(text, values):
    found = [t for t in find_timexes(text, PUB, doc_type="news") if t.rule == "weekday"]
    assert [t.value for t in found] == values, [t.explanation for t in found]


@pytest.mark.parametrize("text,value", [
    # published Friday 1 May 1998: "until at least" looks ahead like "until"
    ("The central bank is seen waiting until at least September.", "1998-09"),
    ("The central bank is seen waiting until September.", "1998-09"),
    ("Talks at the end of March failed.", "1998-03"),
])
def test_until_at_least_a_month_looks_ahead(text, value):
    [t] = find_timexes(text, PUB, doc_type="news")
    assert t.value == value, t.explanation
