"""Properties that hold for any text: never raises, offsets index the text, sorted and
non-overlapping, intervals ordered; and the linear-time matcher on adversarial input."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.temporal import find_timexes
from timeline.temporal.adversarial import adversarial_text

WORDS = st.sampled_from([
    "January", "May", "march", "Friday", "last", "next", "week", "year", "years", "ago", "the", "end", "of",
    "early", "mid-", "2022", "1990s", "1654", "2300", "9999", "0000", "31", "32", "15:00", "GMT", "p.m.", "a",
    "two", "and", "half", "nearly", "over", "every", "daily", "today", "yesterday", "now", "Q1", "H2", "$",
    "-", "–", "/", ".", ",", "(", ")", "\n", " ", "'90s", "20th", "century", "fall", "summer", "between", "to",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join),
                  st.lists(WORDS, max_size=60).map("".join))
DATES = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))


def _check(text: str, published):
    found = find_timexes(text, published)
    last_end = 0
    for t in found:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert t.start >= last_end, "sorted and non-overlapping"
        last_end = t.end
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        if t.range_start is not None and t.range_end is not None:
            assert t.range_start <= t.range_end
        if published is None and t.anchor == "publication":
            raise AssertionError(f"{t.text!r} anchored to a publication date that was not given")
        if not t.resolved:
            assert t.value is None and t.reason
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, DATES)
def test_any_text_any_date(text, published):
    _check(text, published)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_extreme_publication_dates(published):
    text = "Last year, on Friday, two years ago, next week, in June, this quarter, the 1990s, tomorrow."
    _check(text, published)


def test_dates_outside_pandas_nanosecond_range():
    found = find_timexes("The 1654 treaty and a 2300 projection.", dt.date(2024, 11, 15))
    assert [(t.text, t.value, t.range_start, t.range_end) for t in found] == [
        ("1654", "1654", dt.date(1654, 1, 1), dt.date(1654, 12, 31)),
        ("2300", "2300", dt.date(2300, 1, 1), dt.date(2300, 12, 31)),
    ]


def test_bad_inputs_give_an_empty_list():
    assert find_timexes("") == []
    assert find_timexes(None) == []  # type: ignore[arg-type]
    assert find_timexes("in June", published="2024-11-15")[0].value is None  # type: ignore[arg-type]
    assert find_timexes("yesterday", dt.datetime(2024, 11, 15, 9, 30))[0].value == "2024-11-14"
    assert isinstance(find_timexes("le 15 novembre 2024", language="xx"), list)


def test_adversarial_input_is_handled_whole():
    """Digit runs, repeated months, nested punctuation: finishes and keeps the invariants.
    (Its speed is measured by ``python -m timeline.temporal.adversarial``, not asserted.)"""
    text = adversarial_text(60_000, seed=3)
    found = _check(text, dt.date(2024, 11, 15))
    assert found, "the month names in it are real expressions"
    assert not any(t.text.isdigit() and len(t.text) > 4 for t in found)


def test_other_languages_get_absolute_dates_with_their_precision():
    text = "Am 24. Februar 2022 begann der Krieg; im Juni 2023 folgte die Offensive."
    found = find_timexes(text, dt.date(2024, 11, 15), language="de")
    assert [(t.text, t.value, t.granularity) for t in found] == [
        ("24. Februar 2022", "2022-02-24", "day"), ("Juni 2023", "2023-06", "month")]
    fr = find_timexes("Les négociations de fin mars 2022 à Istanbul.", None, language="fr")
    assert [(t.value, t.granularity) for t in fr if "2022" in t.text] == [("2022-03", "month")]
