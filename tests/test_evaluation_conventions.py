"""The gold's self-disagreement and our convention clashes are counted exactly."""
from __future__ import annotations

import datetime as dt

from timeline.evaluation.conventions import analyse, format_conventions
from timeline.evaluation.timeml import GoldTimex, TmlDoc
from timeline.evaluation.timex import score_documents


def _doc(docid: str, text: str, spans: list[tuple[str, str, str]]) -> TmlDoc:
    timexes = []
    for words, type_, value in spans:
        i = text.index(words)
        timexes.append(GoldTimex(i, i + len(words), type_, value, words))
    return TmlDoc(docid, text, dt.date(1998, 3, 20), timexes)


DOCS = [
    _doc("A", "Prices fell last week.", [("last week", "DATE", "1998-W11")]),
    _doc("B", "Prices rose last week.", [("last week", "DATE", "1998-W11")]),
    _doc("C", "Stocks slid last week.", [("last week", "DATE", "1989-WXX")]),
    _doc("D", "He left on 3 May.", [("3 May", "DATE", "1998-05-03")]),  # digits: not counted
]


def test_disagreement_counts_the_minority_forms_only():
    c = analyse(DOCS, [])
    assert (c.gold_without_digits, c.disagreeing) == (3, 1)
    assert c.worst == [("last week", {"DATE:9999-W99": 2, "DATE:9999-WXX": 1})]


def test_an_error_is_a_clash_only_when_the_gold_uses_our_form_elsewhere():
    preds = {"A": [{"start": 12, "end": 21, "type": "DATE", "value": "1998-W12"}],  # same form, wrong week
             "B": [{"start": 12, "end": 21, "type": "DATE", "value": "P1W"}],  # a form the gold never uses
             "C": [{"start": 12, "end": 21, "type": "DATE", "value": "1989-W43"}]}  # the majority form
    scores = score_documents(DOCS, preds)
    c = analyse(DOCS, scores.errors)
    assert (c.value_errors, c.clashes) == (3, 1)
    assert c.clash_examples == [("last week", "1989-WXX", "1989-W43")]
    assert "1 of our 3 value errors" in format_conventions(c)
