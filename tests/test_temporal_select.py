"""``engine.select`` settles clusters of overlapping candidates one at a time, as they
stream past in order of start; that must choose exactly what one greedy pass over all
candidates chooses (longest first, then the rule listed first, then the earlier start)."""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal.engine import Candidate, select


@dataclass(frozen=True)
class _Rule:
    priority: int


def _one_pass(cands: list[Candidate]) -> list[Candidate]:
    """The reference: one global greedy pass."""
    chosen: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rule.priority, c.start)):
        if all(c.end <= o.start or o.end <= c.start for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15), st.integers(0, 6)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(SPANS)
def test_clusters_choose_what_one_pass_chooses(spans):
    seen, cands = set(), []
    for start, length, priority in spans:
        if (start, priority) not in seen:  # a rule matches once per start, as in candidates()
            seen.add((start, priority))
            cands.append(Candidate(start, start + length, _Rule(priority)))  # type: ignore[arg-type]
    in_order = sorted(cands, key=lambda c: c.start)  # as candidates() yields them
    assert list(select(in_order)) == _one_pass(cands)


def test_candidates_come_in_order_of_start_with_free_rules_merged_in():
    """The streaming select needs its input in order of start; rules without a boundary
    anchor (none in English today) are scanned apart and merged in."""
    import dataclasses

    from timeline.temporal.engine import candidates
    from timeline.temporal.grammar import load_grammar

    english = load_grammar("en")
    loose = [r for r in english.rules if r.name in ("month_alone", "year")]
    grammar = dataclasses.replace(english, free=tuple(loose))
    text = "In June 2021 and May, then 1999; June again (2004) and 12 June."
    found = [(c.start, c.end, c.rule.name) for c in candidates(text, grammar)]
    anchored = [(c.start, c.end, c.rule.name) for c in candidates(text, english)]
    scanned = [(m.start(), m.end(), r.name) for r in loose for m in r.regex.finditer(text) if m.end() > m.start()]
    assert [s for s, _, _ in found] == sorted(s for s, _, _ in found)
    assert sorted(found) == sorted(anchored + scanned) and scanned
