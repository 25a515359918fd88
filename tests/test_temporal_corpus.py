"""The temporal corpus (tests/corpus/timex.yaml) as a parametrized test: each case names
a span in a sentence and the TIMEX3 attributes it must get."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from timeline.temporal import find_timexes

CORPUS = Path(__file__).with_name("corpus") / "timex.yaml"
CASES = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["cases"]


def _id(case: dict) -> str:
    return f"{case.get('x', case['t'])[:40]}|{case.get('p')}"


def _date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 200
    kinds = {c.get("type", "DATE") for c in CASES}
    assert kinds == {"DATE", "TIME", "DURATION", "SET"}


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_corpus_case(case: dict):
    text, published = case["t"], _date(case.get("p"))
    span = case.get("x", text)
    found = find_timexes(text, published)
    hits = [t for t in found if t.text == span]
    assert hits, f"{span!r} not found as one expression in {text!r}; got {[t.text for t in found]}"
    t = hits[0]
    assert text[t.start:t.end] == t.text
    if "type" in case:
        assert t.type == case["type"], t.explanation
    if "v" in case:
        assert t.value == (None if case["v"] is None else str(case["v"])), t.explanation
        if case["v"] is None:
            assert t.resolved is False and t.reason == "no publication date"
    if "mod" in case:
        assert t.mod == case["mod"], t.explanation
    if "r" in case:
        assert (t.range_start, t.range_end) == (_date(case["r"][0]), _date(case["r"][1])), t.explanation
    if "g" in case:
        assert t.granularity == case["g"], t.explanation
    if "a" in case:
        assert t.anchor == case["a"], t.explanation
    assert t.rule and t.explanation.startswith(f"'{t.text}'")
