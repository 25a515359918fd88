"""The prefix dispatch (three characters, eight folded ones for crowded starts) never loses a match: wherever a rule's anchored pattern
matches, the rule is among ``rules_at`` for the text that follows (a superset test)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.temporal.grammar import load_grammar
from timeline.temporal.prefixes import prefixes

GRAMMAR = load_grammar("en")
FREE = {r.name for r in GRAMMAR.free}
PIECES = st.sampled_from([
    "January", "Jan.", "MAY", "Sept", "Friday", "last", "next", "the", "end", "of", "from", "between", "and",
    "2022", "1990s", "'90s", "12", "3", "15:00", "p.m.", "two", "a", "half", "every", "twice", "Q3", "H1",
    "fiscal", "year", "weeks", "ago", "-", "–", "/", ".", ",", " ", "\n", "(", "1999-2000", "mid-", "nineteen",
    "the", "the", "The", "summer", "quarter", "past", "few", "\t", "  ", "1st", "o'clock", "Dec.", "\u00a0", "é",
])


def _dispatch_covers(text: str) -> None:
    padded = "\n" + text
    for p in range(len(padded) - 1):
        allowed = {r.name for r in GRAMMAR.rules_for(padded, p + 1)}
        for rule in GRAMMAR.rules:
            if rule.at is None or rule.name in FREE:
                continue
            m = rule.at.match(padded, p)
            if m is not None and m.end() > p + 1:
                assert rule.name in allowed, (rule.name, padded[p:m.end()])
                assert GRAMMAR.starts.match(padded, p), ("start not located", rule.name, padded[p:m.end()])


def test_every_rule_example_is_dispatched_to_its_rule():
    for rule in GRAMMAR.rules:
        _dispatch_covers(rule.example.replace("[[", "").replace("]]", ""))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=25).map(" ".join))
def test_dispatch_is_a_superset_on_word_soup(text):
    _dispatch_covers(text)


def test_prefix_sets_of_small_patterns():
    pre = prefixes(r"(?:the )?may", 3)
    assert pre.may_start("may") and pre.may_start("the") and not pre.may_start("mar")
    digits = prefixes(r"\d{4}", 3)
    assert digits.may_start("199") and not digits.may_start("19a")
    short = prefixes(r"a(?:b|$)", 3)  # may end after one or two characters
    assert short.may_start("a.x") and short.may_start("abz")
    assert prefixes(r"(a)\1", 3).may_start("ab!")  # a back-reference is a wildcard
    folded = prefixes(r"the (?:19\d\d|last)\s+year", 8, folded=True)
    assert folded.may_start("the 0000") and folded.may_start("the last") and not folded.may_start("the jan.")
    assert all(r.prefixes is not None for r in GRAMMAR.rules if r.at is not None)
