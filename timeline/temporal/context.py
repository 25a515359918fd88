"""What the words around a timex say: sentence bounds, tense and cue words, numbers.

Direction matters for expressions without a year or week ("in June", "on Friday"):
past narration points back from the publication date, "will"/"scheduled"/"next"
point forward. These are cheap lexical cues, not a parser.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import accumulate
from fractions import Fraction

_SENT_END = re.compile(r"[.!?]['\"”’)]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-*•#])")
_TOKENS = re.compile(r"[A-Za-z']+")
_TOKEN_SPLIT = re.compile(r"([A-Za-z']+)")


class _Cues:
    """The tense cue words (``words: tense_*`` in ``resources/en.yaml``), read once."""

    def __init__(self, words: dict[str, frozenset[str]]):
        self.future, self.to_verbs, self.modals = words["tense_future"], words["tense_to_verbs"], words["tense_modals"]
        self.past, self.not_past = words["tense_past"], words["tense_not_past"]
        self.plan_verb_before, self.determiners = words["tense_plan_verb_before"], words["tense_determiners"]
        self.skip = words["tense_skip"]
        # every branch of _cue needs the token itself to be one of these, to end in "ed", or to follow "be"
        self.cue_words = self.future | self.to_verbs | self.past | {"as", "to", "set"}


@lru_cache(maxsize=1)
def _lists() -> _Cues:
    from timeline.temporal.grammar import load_grammar

    return _Cues(load_grammar("en").words)


def _cue(tokens: list[str], i: int) -> str | None:
    """Does token i mark the future, the past, or neither?"""
    L = _lists()
    raw = tokens[i]
    w = raw.lower()
    prev = tokens[i - 1].lower() if i > 0 else ""
    if prev in L.determiners and (w in ("plan", "plans") or w.endswith("ed")):
        return None  # nouns and adjectives, not verbs: "the plan", "a still unspecified date"
    if w == "plan" and prev not in L.plan_verb_before:
        return None  # "talked on Tuesday about the peace plan": a noun ("plan to" decides by its "to")
    if w == "to" and prev == "plan":
        return "future"
    if prev == "be" and w not in L.future:
        # "be held" has no tense of its own: "will be held" looks ahead, "could be reached" says nothing
        return "future" if i > 1 and tokens[i - 2].lower() in L.modals else None
    if prev == "to" and i > 1 and tokens[i - 2].lower() in L.future:
        return None  # "due to expire", "scheduled to begin": the word before "to" (and its tense) decides
    if w == "set" and prev in ("is", "are", "'s"):
        return "future"  # "the vote is set for Thursday"
    if w in L.future or (prev == "to" and w in L.to_verbs):
        if prev in ("been", "was", "were", "had") and w not in ("will", "would", "shall", "'ll"):
            return "past"  # "had been due to expire", "was scheduled to": a plan now behind us
        if w.endswith("ed") and prev in ("previously", "originally", "initially"):  # "as previously planned"
            return "past"
        return "future"
    if w == "as" and prev in ("soon", "early"):
        return "future"  # "as soon as Tuesday", "as early as next week"
    if prev == "going" and w == "to":
        return "future"
    if w in L.past:
        return "past"
    if len(w) > 3 and w.endswith("ed") and raw[0].islower() and w not in L.not_past:
        return "past"
    return None


_CUES: dict[tuple[str, str, str], str | None] = {}


def _cue_cached(tokens: list[str], i: int) -> str | None:
    """``_cue`` depends only on the token and the two before it: memoised on that triple."""
    key = (tokens[i], tokens[i - 1] if i > 0 else "", tokens[i - 2] if i > 1 else "")
    cue = _CUES.get(key, 0)
    if cue == 0:
        if len(_CUES) > 200_000:
            _CUES.clear()
        cue = _CUES[key] = _cue(tokens, i)
    return cue


_PREV_WORD = re.compile(r"([\w'’]+)\W{0,3}$")
_NEXT_WORD = re.compile(r"^\W{0,3}([\w'’]+)")


_ABBREV = re.compile(
    r"(?:\b[A-Za-z]|Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Prof|Rev|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|U\.S|U\.N|a\.m|p\.m|etc|approx)\.$"
)


def _is_break(text: str, m: re.Match) -> bool:
    return text[m.start()] != "." or not _ABBREV.search(text, max(0, m.start() - 6), m.start() + 1)


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """(end of sentence, start of next) for every sentence break, in one pass."""
    return [(m.start() + 1, m.end()) for m in _SENT_END.finditer(text) if _is_break(text, m)]


class Words:
    """The text's word tokens (found once, when first needed) and their tense cues
    (memoised per token): ``direction`` then reads a window by bisection instead of
    re-tokenising and re-classifying it for every expression."""

    def __init__(self, text: str, breaks: list[tuple[int, int]]):
        self.text = text
        self.breaks = breaks
        self.break_ends = [a for a, _ in breaks]
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._words: list[str] = []
        self._cues: list = [[], [], []]
        self._potential: list[int] = []
        self.seen: dict[tuple[str, str], str] = {}  # (window before, window after) -> direction

    def _load(self) -> None:
        # one C-level split: [gap, word, gap, word, ..., gap]; offsets by running sums of lengths
        parts = _TOKEN_SPLIT.split(self.text)
        offsets = list(accumulate(map(len, parts), initial=0))
        words = parts[1::2]
        self._starts, self._ends, self._words = offsets[1:-1:2], offsets[2:-1:2], words
        low = [w.lower() for w in words]
        cue_words = _lists().cue_words
        self._potential = [g for g, w in enumerate(low)
                           if w in cue_words or w.endswith("ed") or (g and low[g - 1] == "be")]
        self._cues = [[0] * len(words) for _ in range(3)]  # by place in the window (1st, 2nd, later); 0 = unknown

    def sentence_bounds(self, start: int, end: int, reach: int = 400) -> tuple[int, int]:
        """As ``sentence_bounds`` below, bisecting plain integers instead of tuples."""
        breaks = self.breaks
        i = bisect.bisect_left(self.break_ends, start)
        while i < len(breaks) and breaks[i] <= (start, start):  # a one-character break at ``start``
            i += 1
        s = breaks[i - 1][1] if i > 0 else 0
        j = bisect.bisect_left(self.break_ends, end)
        e = self.breaks[j][0] if j < len(self.breaks) else len(self.text)
        return max(s, start - reach), min(e, end + reach)

    def cues(self, lo: int, hi: int, backward: bool, limit: int):
        """Cues of the tokens of ``text[lo:hi]`` (clipped at the edges, as ``findall`` on
        the slice would see them), nearest first from the end (``backward``) or the start."""
        if lo >= hi:
            return None
        if self._starts is None:
            self._load()
        starts, ends, words, memo = self._starts, self._ends, self._words, self._cues
        gi = bisect.bisect_right(ends, lo)  # first token ending inside the window
        gj = bisect.bisect_left(starts, hi)  # tokens starting before its end
        n = gj - gi
        text = self.text
        lo_g, hi_g = (max(gi, gj - limit), gj) if backward else (gi, min(gj, gi + limit))
        # only tokens that can carry a cue by themselves, plus the (possibly cut) edge tokens
        pot = self._potential
        order = set(pot[bisect.bisect_left(pot, lo_g):bisect.bisect_left(pot, hi_g)])
        for g in (gi, gj - 1):
            if lo_g <= g < hi_g and (starts[g] < lo or ends[g] > hi):
                order.add(g)
        for g in sorted(order, reverse=backward):
            i = g - gi
            first = g - 2 if i >= 2 else gi  # the token and up to two before it in the window
            if starts[first] >= lo and ends[g] <= hi:  # all whole: the cue depends on the words only
                slot = memo[min(i, 2)]
                cue = slot[g]
                if cue == 0:
                    cue = slot[g] = _cue_cached(words[first:g + 1], g - first)
            else:  # at the window's edge: the tokens as a slice of the text would cut them
                trio = [text[max(starts[k], lo):min(ends[k], hi)] for k in range(first, g + 1)]
                cue = _cue_cached(trio, len(trio) - 1)
            if cue:
                return cue
        return None


def sentence_bounds(text: str, start: int, end: int, breaks: list[tuple[int, int]] | None = None,
                    reach: int = 400) -> tuple[int, int]:
    """The sentence around [start, end), at most ``reach`` characters each way."""
    if breaks is None:
        lo, hi = max(0, start - reach), min(len(text), end + reach)
        breaks = sentence_breaks(text[lo:hi])
        breaks = [(a + lo, b + lo) for a, b in breaks]
    i = bisect.bisect_right(breaks, (start, start))
    s = breaks[i - 1][1] if i > 0 else 0
    j = bisect.bisect_left(breaks, (end, -1))
    e = breaks[j][0] if j < len(breaks) else len(text)
    return max(s, start - reach), min(e, end + reach)


_MAX_SKIPS = 8  # "by the end of the beginning of ..." is never longer in real text; keeps the look-back bounded


def direction(text: str, start: int, end: int, breaks: list[tuple[int, int]] | None = None,
              words: Words | None = None) -> str:
    """'future', 'past' or 'none' from cue words near the expression in its sentence."""
    s, e = words.sentence_bounds(start, end) if words is not None else sentence_bounds(text, start, end, breaks)
    before_word = prev_word(text, start)
    k = start
    skips = 0
    skip = _lists().skip
    while before_word in skip and k > 0 and skips < _MAX_SKIPS:  # "by early February", "until mid-November"
        k = text.rfind(before_word, max(0, k - 40), k)
        if k < 0:
            break
        before_word = prev_word(text, k)
        skips += 1
    if before_word == "by":  # "by Jan. 14", "by August": a deadline, unless told as past
        near = [w.lower() for w in _TOKENS.findall(text[max(s, start - 60):start])][-7:]
        after = [w.lower() for w in _TOKENS.findall(text[end:min(e, end + 60)])][:6]
        # told as past before it ("the line was held by August") or in the past perfect
        # after it ("By Wednesday morning, rescuers had pulled 12 people out")
        return "past" if any(w in ("had", "was", "were") for w in near) or "had" in after else "future"
    default = "none"
    if before_word == "through":  # an end point: ahead, unless the clause is told as past ("this year through August")
        default = "future"
    if before_word in ("until", "till") and not _PREV_WORD.search(text[max(0, k - 40):k]).group(1)[0].isupper():
        return "future"  # "until 9 a.m. Tuesday" (but "Until Thursday, they had not...": the clause decides)
    lo, hi = max(s, start - 90), min(e, end + 50)
    if words is not None:  # the nearest cue before the expression wins, else the nearest after it
        key = (text[lo:start], text[end:hi])  # the cues depend on these two windows only
        way = words.seen.get(key)
        if way is None:
            way = words.cues(lo, start, True, 15) or words.cues(end, hi, False, 10) or "none"
            if len(words.seen) < 100_000:
                words.seen[key] = way
        return default if way == "none" else way
    toks = _TOKENS.findall(text[lo:start])
    for i in range(len(toks) - 1, max(-1, len(toks) - 16), -1):
        cue = _cue_cached(toks, i)
        if cue:
            return cue
    toks = _TOKENS.findall(text[end:hi])
    for i in range(min(len(toks), 10)):
        cue = _cue_cached(toks, i)
        if cue:
            return cue
    return default


_PREV_WORDS: dict[str, str] = {}  # memo: the 40 characters before -> prev_word


def prev_word(text: str, start: int) -> str:
    """The word just before ``start``: memoised on the 40-character window it reads (the
    regex search is slow on word-dense windows, and runs of month names repeat them)."""
    window = text[max(0, start - 40):start]
    word = _PREV_WORDS.get(window)
    if word is None:
        m = _PREV_WORD.search(window)
        word = m.group(1).lower() if m else ""
        if len(_PREV_WORDS) < 50_000:
            _PREV_WORDS[window] = word
    return word


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
_PHRASES = {"a couple of": Fraction(2), "a couple": Fraction(2), "couple of": Fraction(2), "a dozen": Fraction(12),
            "a hundred": Fraction(100), "one hundred": Fraction(100), "half a": Fraction(1, 2),
            "half an": Fraction(1, 2), "a half": Fraction(1, 2)}


def parse_number(s: str | None) -> Fraction | str | None:
    """'two and a half' -> 5/2, '48' -> 48, '2 1/2' -> 5/2, 'several' -> 'X'; None if not a number."""
    if s is None:
        return None
    t = " ".join(s.lower().replace("½", " 1/2").replace(",", "").replace("-", " ").split())
    if not t:
        return None
    if t in _PHRASES:
        return _PHRASES[t]
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
