"""The grammar is data: every rule's example matches it, references resolve, and the
engine compiles it once."""
from __future__ import annotations

import pytest

from timeline.temporal.grammar import expand, load_grammar

GRAMMAR = load_grammar("en")


@pytest.mark.parametrize("rule", GRAMMAR.rules, ids=[r.name for r in GRAMMAR.rules])
def test_rule_example_matches_its_rule(rule):
    example, want = rule.example, rule.example
    if "[[" in example:  # a rule that needs context marks the expected part
        want = example.split("[[")[1].split("]]")[0]
        example = example.replace("[[", "").replace("]]", "")
    assert example, f"rule {rule.name} has no example"
    m = rule.regex.search(example)
    assert m is not None and m.group(0) == want, f"{rule.name}: {example!r} -> {m and m.group(0)!r}"
    if rule.at is not None:  # the anchored form used by the engine agrees
        padded = "\n" + example
        starts = [i for i in range(len(padded)) if (mm := rule.at.match(padded, i)) and mm.group(0)[1:] == want]
        assert starts, f"{rule.name}: anchored pattern misses {want!r}"


def test_rule_names_are_unique_and_kinds_known():
    from timeline.temporal.resolve import HANDLERS

    names = [r.name for r in GRAMMAR.rules]
    assert len(names) == len(set(names))
    assert {r.kind for r in GRAMMAR.rules} <= set(HANDLERS)


def test_grammar_is_compiled_once():
    assert load_grammar("en") is GRAMMAR


def test_unknown_fragment_is_a_clear_error():
    with pytest.raises(KeyError, match="%nope"):
        expand("%nope", {})


def test_lexicons_double_as_fragments():
    assert GRAMMAR.lookup("month", "Sept.") == 9
    assert GRAMMAR.lookup("number", "a couple of") == 2
    assert "%" not in GRAMMAR.rules[0].pattern
