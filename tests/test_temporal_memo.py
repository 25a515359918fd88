"""The resolution memo (timeline.temporal.memo) never changes a result: the engine with
it and without it agree on every field of every expression, on text where the same
words mean different dates (tense, remembered years, earlier dates), and it does save
handler runs there. No timing here: speed is measured by ``python -m
timeline.temporal.adversarial``, not asserted."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.temporal import engine, memo
from timeline.temporal.adversarial import adversarial_text

DCT = dt.date(2024, 11, 15)
PAD = "Filler words here. " * 12  # the memo skips expressions nearer than REACH to either edge


class _NoMemo:
    """Stand-in for ResolutionMemo that always runs the handler."""

    def resolve(self, handler, key, groups, ctx):
        return handler(groups(), ctx)


def _rows(text: str, published: dt.date | None) -> list[tuple]:
    return [dataclasses.astuple(t) for t in engine.run(text, published)]


def _both(text: str, published: dt.date | None, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    with_memo = _rows(text, published)
    with monkeypatch.context() as m:
        m.setattr(engine, "ResolutionMemo", _NoMemo)
        without = _rows(text, published)
    return with_memo, without


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count real handler runs (the memo's replays do not run one)."""
    calls = [0]
    for kind, handler in list(engine.HANDLERS.items()):
        def counted(g, ctx, handler=handler):
            calls[0] += 1
            return handler(g, ctx)
        monkeypatch.setitem(engine.HANDLERS, kind, counted)
    return calls


def test_the_same_month_gets_the_year_its_sentence_points_to(monkeypatch):
    past = "The talks collapsed in June and the envoys went home. "
    future = "The envoys will meet again in June to sign it. "
    text = PAD + (past + future) * 6 + PAD
    calls = _counting(monkeypatch)
    with_memo = _rows(text, DCT)
    runs_with_memo, calls[0] = calls[0], 0
    with monkeypatch.context() as m:
        m.setattr(engine, "ResolutionMemo", _NoMemo)
        without = _rows(text, DCT)
    assert with_memo == without
    junes = [row for row in with_memo if row[2] == "June"]
    assert [row[4] for row in junes] == ["2024-06", "2025-06"] * 6
    assert calls[0] == len(without) and runs_with_memo < len(without) / 2  # most mentions were replays


def test_a_remembered_year_and_earlier_dates_are_read_afresh(monkeypatch):
    text = PAD + ("Sales rose in June. " * 3 + "In June 2021 they fell. " + "Sales rose in June. " * 3
                  + "On March 3, 1999 it began; two days later it ended, and in may it resumed. "
                  + "The third quarter was weak; a year earlier it was strong. Friday, said Mr. X, "
                  + "the deal will close Friday. It closed last Friday at 10:30 p.m. ") * 3 + PAD
    with_memo, without = _both(text, DCT, monkeypatch)
    assert with_memo == without
    years = [row[4] for row in with_memo if row[2] == "June"]
    assert "2024-06" in years and "2021-06" in years


def test_without_a_publication_date(monkeypatch):
    text = PAD + "In June, then in June 2020, then June again; Friday and next week. " * 5 + PAD
    with_memo, without = _both(text, None, monkeypatch)
    assert with_memo == without


def test_adversarial_text(monkeypatch):
    text = adversarial_text(80_000, seed=5)
    with_memo, without = _both(text, DCT, monkeypatch)
    assert with_memo == without


WORDS = st.sampled_from([
    "June", "May", "may", "March", "march", "in", "by", "until", "mid-", "early", "will", "would", "said",
    "was", "expected", "plans", "Friday", "last", "next", "week", "year", "ago", "two", "days", "later",
    "2021", "1999", "June 2020", "March 3, 1999", "third quarter", "a year earlier", "10:30 p.m.", "the",
    "of", "end", ".", ",", "\n", "\n\n", "The", "It", "Q3",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=5, max_size=60).map(" ".join), st.integers(2, 5),
       st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_word_soup_agrees(monkeypatch, soup, repeats, published):
    text = PAD + (soup + " ") * repeats + PAD
    with_memo, without = _both(text, published, monkeypatch)
    assert with_memo == without


# ---------------------------------------------------------------- the recording context itself

class _Ctx:
    """The parts of resolve.Ctx the recorder reads."""

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end, self.dct, self.grammar = text, start, end, DCT, None
        self.month_years: dict = {6: 2021}
        self.history: list = []
        self.doc_type = "news"

    def direction(self) -> str:
        return "past"

    def story(self):
        return None

    def follow(self, month_=None, day_=None):
        return None

    def previous(self, finest=None, original=False):
        return None

    def lookup(self, lexicon, word):
        return None


def _recorded(handler) -> tuple[object, list]:
    text = "a" * 300 + "June" + "b" * 300
    rec = memo._Recording(_Ctx(text, 300, 304))  # type: ignore[arg-type]
    try:
        return handler(rec), rec.asked
    except memo._Opaque:
        return "opaque", rec.asked


def test_reads_near_the_expression_are_questions():
    out, asked = _recorded(lambda c: (c.text[c.start:c.end], c.text[c.start - 4:c.start], c.text[c.end],
                                      c.direction(), c.month_years.get(6), c.month_years.get(7, "none")))
    assert out == ("June", "aaaa", "b", "past", 2021, "none")
    assert [q for q, _ in asked] == [("text", 0, 4), ("text", -4, 0), ("text", 4, 5), ("direction",),
                                     ("month_year", 6), ("month_year", 7)]


@pytest.mark.parametrize("peek", [
    lambda c: len(c.text), lambda c: c.text.find("June"), lambda c: "June" in c.text, lambda c: str(c.text),
    lambda c: c.text == "x", lambda c: c.text[0:10], lambda c: c.text[c.end:], lambda c: c.text[::2],
    lambda c: c.history, lambda c: c.words, lambda c: c.month_years.items(),
])
def test_what_cannot_be_recorded_is_opaque(peek):
    out, _ = _recorded(peek)
    assert out == "opaque"


# ---------------------------------------------------------------- context.prev_word's memo

@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["June", "May", "in", "by", "mid-", "it's", "’", "'", "(", ")", "...", ",", " ",
                                 "  ", "\n", "é", "İstanbul", "x" * 45, "2024", "end", "of"]), max_size=30).map("".join))
def test_prev_word_memo_agrees_with_the_plain_search(text):
    from timeline.temporal import context

    for start in range(len(text) + 1):
        m = context._PREV_WORD.search(text[max(0, start - 40):start])
        want = m.group(1).lower() if m else ""
        assert context.prev_word(text, start) == want  # filled or hit
        assert context.prev_word(text, start) == want  # hit
