"""The first few characters a regex can match, read off its parse tree.

Why: the engine tries every rule at every word start. Knowing which rules can
begin with the next three characters ("jan", "the", "19 ") narrows a position
from ~15 rules to ~3 before any regex runs. The sets are a superset (assertions
are ignored, unknown constructs become a wildcard), so no match is ever lost.
"""
from __future__ import annotations

import re
from re import _constants as C
from re import _parser

WILD = "\0"  # "any character from here on"
_SPACE = " \t\n\r\f\v\x1c\x1d\x1e\x1f"  # the ASCII characters \s matches
_LIMIT = 20_000  # beyond this many prefixes a rule is treated as "anything"
FOLD = str.maketrans("123456789\t\n\r\f\v\x1c\x1d\x1e\x1f", "000000000         ")  # any digit -> 0, any space -> " "


def fold(text: str) -> str:
    """Lower case, digits as 0, whitespace as a space: the alphabet of long prefixes."""
    return text.lower().translate(FOLD)


def _class_chars(av, f) -> set[str] | None:
    out: set[str] = set()
    for op, arg in av:
        if op is C.LITERAL:
            out.add(chr(arg).lower())
        elif op is C.RANGE and arg[1] - arg[0] <= 300:
            out.update(chr(c).lower() for c in range(arg[0], arg[1] + 1))
        elif op is C.CATEGORY and arg is C.CATEGORY_DIGIT:
            out.update("0123456789")
        elif op is C.CATEGORY and arg is C.CATEGORY_SPACE:
            out.update(_SPACE)
        else:  # negated or broad classes
            return None
    return {c.translate(f) for c in out} if f else out


def _join(heads: set, tails: set, k: int) -> set:
    """Concatenate open heads with tails, truncating at ``k`` characters or a wildcard."""
    out = set()
    for s, done in heads:
        if not done or len(s) >= k:
            out.add((s, done))
            continue
        for t, tdone in tails:
            u = s + t
            if WILD in u:
                out.add((u[:u.index(WILD) + 1], False))
            elif len(u) >= k:
                out.add((u[:k], False))
            else:
                out.add((u, tdone))
    if len(out) > _LIMIT:
        raise OverflowError
    return out


def _seq(items, k: int, f=None) -> set:
    cur = {("", True)}
    for op, av in items:
        if not any(done and len(s) < k for s, done in cur):
            break
        cur = _join(cur, _item(op, av, k, f), k)
    return cur


def _item(op, av, k: int, f=None) -> set:
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {("", True)}  # zero width: ignoring the test only widens the set
    if op is C.LITERAL:
        c = chr(av).lower()
        return {(c.translate(f) if f else c, True)}
    if op is C.IN:
        chars = _class_chars(av, f)
        return {(WILD, False)} if chars is None else {(c, True) for c in chars}
    if op is C.BRANCH:
        return set().union(*(_seq(alt, k, f) for alt in av[1]))
    if op is C.SUBPATTERN:
        return _seq(av[3], k, f)
    if op is C.ATOMIC_GROUP:
        return _seq(av, k, f)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        one = _seq(sub, k, f)
        out: set = set()
        cur = {("", True)}  # prefixes after n repeats
        top = min(hi, k)  # each repeat adds a character: k repeats fill the prefix
        for n in range(top + 1):
            out |= cur if n >= lo else {(s, done) for s, done in cur if not done or len(s) >= k}
            if n < top:
                cur = _join({(s, done) for s, done in cur if done and len(s) < k}, one, k)
        return out
    return {(WILD, False)}  # back-references and anything unusual


class Prefixes:
    """A pattern's possible starts, indexed: exact ``k``-character keys, and shorter heads
    after which anything may follow (a wildcard, or the pattern may end there)."""

    __slots__ = ("k", "full", "heads")

    def __init__(self, pairs: set, k: int):
        self.k = k
        self.full = frozenset(s for s, done in pairs if len(s) >= k and not s.endswith(WILD))
        self.heads = frozenset(s[:-1] if s.endswith(WILD) else s for s, done in pairs
                               if s.endswith(WILD) or (done and len(s) < k))

    @classmethod
    def of(cls, k: int, full, heads) -> "Prefixes":
        """The tables as they are (``full``, ``heads``: strings), e.g. read back from a cache."""
        p = cls.__new__(cls)
        p.k, p.full, p.heads = k, frozenset(full), frozenset(heads)
        return p

    def may_start(self, key: str) -> bool:
        """Can a match begin with the (lower-case) text ``key``?"""
        if key in self.full:
            return True
        heads = self.heads
        return any(key[:j] in heads for j in range(min(len(key), self.k - 1) + 1))


def prefixes(source: str, k: int = 3, folded: bool = False) -> Prefixes | None:
    """The possible starts of ``source`` (case-insensitive; ``folded``: in the alphabet of
    :func:`fold`), or None when there are too many."""
    try:
        return Prefixes(_seq(_parser.parse(source, re.IGNORECASE).data, k, FOLD if folded else None), k)
    except (OverflowError, re.error, RecursionError):
        return None
