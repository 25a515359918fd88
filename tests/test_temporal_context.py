"""The per-text token index gives exactly the tense direction that re-reading the
window would give, wherever the expression sits (window edges cut words)."""
from __future__ import annotations

import datetime as dt

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.temporal import find_timexes
from timeline.temporal.context import Words, direction, sentence_breaks

WORDS = st.sampled_from([
    "will", "be", "held", "was", "planned", "to", "resume", "going", "as", "soon", "had", "been", "due",
    "expire", "could", "reached", "talks", "the", "Friday", "in", "June", "said", "scheduled", "originally",
    "maybe", "willing", "toad", "embed", "hundred", "Mr.", "Rep.", ".", ",", "\n\n", "-", "'ll", "we'll",
    "is", "set", "slated", "are", "should", "may", "must", "plan", "plans", "peace", "they",
])
TEXTS = st.lists(WORDS, min_size=1, max_size=80).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.data())
def test_indexed_direction_equals_plain_direction(text, data):
    breaks = sentence_breaks(text)
    words = Words(text, breaks)
    for _ in range(5):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        assert direction(text, start, end, breaks, words) == direction(text, start, end, breaks), (start, end)


def test_future_after_will_be_with_an_irregular_participle():
    text = "The final round will be held Tuesday in Geneva."
    start = text.index("Tuesday")
    breaks = sentence_breaks(text)
    assert direction(text, start, start + 7, breaks, Words(text, breaks)) == "future"


def test_indexed_direction_at_every_position_of_tricky_texts():
    texts = [
        "The vote will be there Tuesday, officials said, and it was planned to resume in June.",
        "The envoy was said to be there Tuesday, the ministry said.",
        "Maybe the willing toad had been due to expire Friday. We'll see; as soon as Monday.",
        "Rep. Smith said the hundred talks, originally scheduled for May, could be reached later.",
    ]
    for text in texts:
        breaks = sentence_breaks(text)
        words = Words(text, breaks)
        for start in range(len(text) + 1):
            for end in range(start, min(len(text), start + 8) + 1):
                assert direction(text, start, end, breaks, words) == direction(text, start, end, breaks), (start, end)


@pytest.mark.parametrize("text,value", [
    # published 5 June 2009
    ("The transaction should be completed in October.", "2009-10"),
    ("The vote may be held in October.", "2009-10"),
    ("The plant might be closed in October.", "2009-10"),
    ("The body could be found in October.", "2008-10"),  # "could": no plan, news reports the past
])
def test_a_modal_passive_looks_ahead(text, value):
    [t] = find_timexes(text, dt.date(2009, 6, 5), doc_type="news")
    assert t.value == value, t.explanation


@pytest.mark.parametrize("text,value", [
    # published Friday 1 March 2024
    ("The ministers discussed the peace plan on Tuesday.", "2024-02-27"),  # the noun "plan" plans nothing
    ("Okafor spoke with Berg on Tuesday about the ferry plan.", "2024-02-27"),
    ("They plan layoffs on Tuesday.", "2024-03-05"),
    ("The company plans to open the plant on Tuesday.", "2024-03-05"),
    ("Vantor plans layoffs on Tuesday.", "2024-03-05"),
])
def test_plan_looks_ahead_only_as_a_verb(text, value):
    [t] = find_timexes(text, dt.date(2024, 3, 1), doc_type="news")
    assert t.value == value, t.explanation
