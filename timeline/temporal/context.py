"""What the words around a timex say: sentence bounds, tense and cue words, numbers.

Direction matters for expressions without a year or week ("in June", "on Friday"):
past narration points back from the publication date, "will"/"scheduled"/"next"
point forward. These are cheap lexical cues, not a parser.
"""
from __future__ import annotations

import re
from fractions import Fraction

_SENT_END = re.compile(r"[.!?]['\"”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-*•#])")
_FUTURE = re.compile(
    r"\b(?:will|won't|wo|shall|'ll|going\s+to|plans?\s+to|planned|planning|scheduled|schedule|"
    r"expects?\s+to|expected\s+to|due\s+to|is\s+to|are\s+to|to\s+be\s+held|intends?\s+to|would|"
    r"upcoming|forthcoming|set\s+to|aims?\s+to|hopes?\s+to|until|till|through|next|coming|"
    r"to\s+(?:be|begin|start|resume|hold|meet|visit|vote|take|open|launch|return|pay|report|end|expire))\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|last|came|took|made|began|met|went|gave|left|"
    r"held|won|lost|sold|bought|fell|rose|paid|announced|reported|\w{2,}ed)\b",
    re.IGNORECASE,
)
_PREV_WORD = re.compile(r"([\w'’]+)\W{0,3}$")
_NEXT_WORD = re.compile(r"^\W{0,3}([\w'’]+)")


def sentence_bounds(text: str, start: int, end: int, reach: int = 400) -> tuple[int, int]:
    """Approximate sentence around [start, end): looks at most ``reach`` characters each way."""
    lo = max(0, start - reach)
    s = lo
    for m in _SENT_END.finditer(text, lo, start):
        s = m.end()
    if s == lo and lo > 0:
        s = lo
    m = _SENT_END.search(text, end, min(len(text), end + reach))
    e = m.start() + 1 if m else min(len(text), end + reach)
    return s, e


def direction(text: str, start: int, end: int) -> str:
    """'future', 'past' or 'none' from cue words near the expression in its sentence."""
    s, e = sentence_bounds(text, start, end)
    before = text[max(s, start - 90):start]
    after = text[end:min(e, end + 50)]
    fut_b = list(_FUTURE.finditer(before))
    fut_a = _FUTURE.search(after)
    past_b = list(_PAST.finditer(before))
    past_a = _PAST.search(after)
    # the nearest cue before the expression wins; then the nearest after it
    best_b = max((m.end(), "future") for m in fut_b) if fut_b else None
    if past_b:
        pb = max((m.end(), "past") for m in past_b)
        best_b = pb if best_b is None or pb[0] > best_b[0] else best_b
    if fut_a and (not past_a or fut_a.start() < past_a.start()):
        after_dir = ("future", fut_a.start())
    elif past_a:
        after_dir = ("past", past_a.start())
    else:
        after_dir = None
    if best_b and after_dir:
        dist_b = start - (max(s, start - 90) + best_b[0])
        return best_b[1] if dist_b <= after_dir[1] else after_dir[0]
    if best_b:
        return best_b[1]
    if after_dir:
        return after_dir[0]
    return "none"


def prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text[max(0, start - 40):start])
    return m.group(1).lower() if m else ""


def next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.search(text[end:end + 40])
    return m.group(1).lower() if m else ""


_WORD_NUM = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a": 1, "an": 1, "dozen": 12, "couple": 2,
}
_VAGUE = {"several", "few", "some", "many", "number"}


def parse_number(s: str | None) -> Fraction | str | None:
    """'two and a half' -> 5/2, '48' -> 48, '2 1/2' -> 5/2, 'several' -> 'X'; None if not a number."""
    if s is None:
        return None
    t = " ".join(s.lower().replace("½", " 1/2").replace(",", "").replace("-", " ").split())
    if not t:
        return None
    words = t.split()
    if any(w in _VAGUE for w in words):
        return "X"
    total = Fraction(0)
    if t.endswith("and a half") or t.endswith("1/2") or t.startswith("half"):
        total += Fraction(1, 2)
        t = t.replace("and a half", "").replace("1/2", "").replace("half an", "").replace("half a", "")
        t = t.replace("a half", "").strip()
        if not t:
            return total
        words = t.split()
    n = Fraction(0)
    for w in words:
        if w in ("of", "and"):
            continue
        if w == "hundred":
            n = (n or 1) * 100
            continue
        try:
            n += Fraction(w)
            continue
        except (ValueError, ZeroDivisionError):
            pass
        if w not in _WORD_NUM:
            return None
        n += _WORD_NUM[w]
    return n + total


def format_number(n: Fraction) -> str:
    if n.denominator == 1:
        return str(n.numerator)
    return f"{float(n):g}"
