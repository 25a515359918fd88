"""How consistent is the gold itself? Value conventions that the annotators mixed.

A value error is only a reading error when the annotators agree with themselves.
TBAQ writes "last week" as ``1998-W11``, ``1989-WXX``, ``2000-W7``, ``1998-10`` and
``P1W`` in different documents; "a year ago" as ``1988``, ``1988-Q3`` and
``1988-10-26``. This module measures that, so a score can be read for what it is:

* *disagreement*: gold expressions without digits whose words occur at least twice
  and whose (type, value form) differs from the commonest form for the same words;
* *clashes*: our value errors where our form (``9999-W99``, ``P9Y``, ...) is one the
  annotators themselves wrote for the same words in another document.

Both are reported beside the score, never folded into it.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from timeline.evaluation.timeml import TmlDoc
from timeline.evaluation.timex import ErrorRow, value_form


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _form(type_: str, value: str) -> str:
    return f"{type_}:{value_form(value)}"


def gold_forms(docs: Iterable[TmlDoc]) -> dict[str, Counter[str]]:
    """Lower-cased expression words -> how often each (type, value form) was annotated."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for t in doc.timexes:
            forms[_words(doc.text[t.start:t.end])][_form(t.type, t.value or "")] += 1
    return forms


@dataclass(frozen=True)
class Conventions:
    gold_without_digits: int  # gold expressions whose words have no digit and occur twice or more
    disagreeing: int  # of those, annotated in a form other than the commonest for the same words
    worst: list[tuple[str, dict[str, int]]]  # the words with most disagreement, their forms
    value_errors: int  # our aligned pairs with a different value
    clashes: int  # of those, our form is one the gold uses for the same words elsewhere
    clash_examples: list[tuple[str, str, str]]  # (words, gold value, our value)


def analyse(docs: list[TmlDoc], errors: Iterable[ErrorRow], n: int = 8) -> Conventions:
    """Disagreement inside the gold, and our value errors that are convention clashes."""
    forms = gold_forms(docs)
    repeated = {w: c for w, c in forms.items() if sum(c.values()) >= 2 and not re.search(r"\d", w)}
    disagree = {w: sum(c.values()) - c.most_common(1)[0][1] for w, c in repeated.items()}
    worst = sorted((w for w in disagree if disagree[w]), key=lambda w: (-disagree[w], w))[:n]
    value_errors = clashes = 0
    examples: list[tuple[str, str, str]] = []
    for e in errors:
        if e.kind != "value" or e.gold is None or e.pred is None:
            continue
        value_errors += 1
        words = _words(e.gold_text)
        ours = _form(e.pred.type, e.pred.value)
        if ours != _form(e.gold.type, e.gold.value) and forms.get(words, Counter())[ours] > 0:
            clashes += 1
            if len(examples) < n:
                examples.append((words, e.gold.value, e.pred.value))
    return Conventions(sum(sum(c.values()) for c in repeated.values()), sum(disagree.values()),
                       [(w, dict(repeated[w].most_common())) for w in worst], value_errors, clashes, examples)


def format_conventions(c: Conventions) -> str:
    lines = [
        "gold self-consistency (reported beside the score, not folded into it):",
        f"  {c.disagreeing} of {c.gold_without_digits} digit-free gold expressions whose words recur are annotated "
        "in a form other than the commonest one for the same words",
    ]
    lines += [f"    {w!r}: " + ", ".join(f"{f} x{k}" for f, k in forms.items()) for w, forms in c.worst]
    lines.append(f"  {c.clashes} of our {c.value_errors} value errors give a form the annotators wrote "
                 "for the same words in another document")
    lines += [f"    {w!r}: gold {g}, ours {o}" for w, g, o in c.clash_examples]
    return "\n".join(lines)
