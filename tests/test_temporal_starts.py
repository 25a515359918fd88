"""The word-start scan (``Grammar.starts``) tests the first character with one class
before the two-character alternatives. Under IGNORECASE a class and an alternation of
the same characters fold case the same way, so the class only fails where every
alternative would: checked here on every code point, and on the scan's own output."""
from __future__ import annotations

import re
from re import _parser

from timeline.temporal.adversarial import adversarial_text
from timeline.temporal.grammar import load_grammar

GRAMMAR = load_grammar("en")


def _first_class() -> str:
    m = re.search(r"\(\?=(\[[^\]]*\])\)\(\?=", GRAMMAR.starts.pattern)
    assert m, "the first-character class is in front of the two-character guard"
    return m.group(1)


def test_the_class_folds_case_like_the_alternatives_on_every_code_point():
    cls = _first_class()
    (op, items), = _parser.parse(cls).data  # one IN of LITERALs
    chars = [chr(v) for kind, v in items]
    one = re.compile(cls, re.IGNORECASE)
    alternatives = re.compile("|".join(re.escape(c) for c in chars), re.IGNORECASE)
    for cp in range(0x110000):
        ch = chr(cp)
        assert bool(one.match(ch)) == bool(alternatives.match(ch)), (hex(cp), ch)


def test_the_scan_finds_the_same_starts_without_the_class():
    cls = _first_class()
    without = re.compile(GRAMMAR.starts.pattern.replace(f"(?={cls})", "", 1), re.IGNORECASE)
    text = "\n" + adversarial_text(100_000, seed=7) + " Kelvin \u212aeep \u0130stanbul \u017fept Jan JAN jAn"
    assert [m.start() for m in GRAMMAR.starts.finditer(text)] == [m.start() for m in without.finditer(text)]
