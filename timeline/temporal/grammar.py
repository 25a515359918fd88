"""Load a language's temporal grammar (YAML data) and compile it once into matchers.

The grammar is data so that rules can be read, reviewed and extended without
touching the engine: lexicons (word -> value tables that double as fragments),
fragments (named regex pieces) and rules that combine them with ``%name``
references. Every rule names the handler (``kind``) that turns its named groups
into a TIMEX3 value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from timeline.temporal.prefixes import Prefixes, fold, prefixes

RESOURCES = Path(__file__).with_name("resources")
_REF = re.compile(r"%([a-z][a-z0-9_]*)")
_SPACE = r"\s{1,3}"
PREFIX_LEN = 3
LONG_LEN = 8  # a crowded three-character start ("the", "jan") is narrowed on this many, folded
CROWDED = 5


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: str  # expanded regex source
    regex: re.Pattern  # the rule as written (used by tests and for free-standing scans)
    example: str
    preset: dict = field(default_factory=dict)  # fixed group values (the rule's `set:`)
    priority: int = 0  # position in the file: earlier wins a tie
    at: re.Pattern | None = None  # consumes the one boundary character before the expression
    firsts: frozenset | None = None  # lower-cased characters the expression can start with
    prefixes: Prefixes | None = None  # its possible first PREFIX_LEN characters (see .prefixes)
    long_prefixes: Prefixes | None = None  # its first LONG_LEN characters, folded (digits as 0)


@dataclass(frozen=True)
class Grammar:
    language: str
    lexicons: dict[str, dict[str, object]]
    fragments: dict[str, str]
    rules: tuple[Rule, ...]
    by_first: dict = field(default_factory=dict)  # first character -> anchored rules worth trying there
    free: tuple[Rule, ...] = ()  # rules without a boundary anchor: scanned on their own
    starts: re.Pattern | None = None  # word starts where some anchored rule may begin (first-character test)
    _by_key: dict = field(default_factory=dict, compare=False)  # memo: next 3 characters -> rules
    _by_long: dict = field(default_factory=dict, compare=False)  # memo: (key, folded next 8) -> rules
    _by_ahead: dict = field(default_factory=dict, compare=False)  # memo: raw next 8 characters -> rules
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # the resolver's word lists (``words:``)

    def rules_at(self, key: str) -> tuple[Rule, ...]:
        """Anchored rules that can begin with ``key`` (the next 3 characters, lower case)."""
        rules = self._by_key.get(key)
        if rules is None:
            rules = tuple(r for r in self.by_first.get(key[:1], ())
                          if r.prefixes is None or r.prefixes.may_start(key))
            if len(self._by_key) < 100_000:
                self._by_key[key] = rules
        return rules

    def rules_for(self, text: str, i: int) -> tuple[Rule, ...]:
        """Anchored rules that may match an expression starting at ``text[i]``: by the
        next three characters, and for a crowded start by the next eight (folded).
        Memoised on the raw next eight characters, which decide both: one look-up per
        word start (adversarial text repeats the same few starts thousands of times).
        Narrowing every start, not only crowded ones, saved 3% of the instructions on
        adversarial text but cost 8% on a first pass over TBAQ: not worth it."""
        ahead = text[i:i + LONG_LEN]
        rules = self._by_ahead.get(ahead)
        if rules is None:
            rules = self._rules_ahead(ahead)
            if len(self._by_ahead) < 100_000:
                self._by_ahead[ahead] = rules
        return rules

    def _rules_ahead(self, ahead: str) -> tuple[Rule, ...]:
        key = ahead[:PREFIX_LEN]
        if not key.isascii():
            return self.by_first.get(key[:1].lower(), ())
        key = key.lower()
        rules = self.rules_at(key)
        if len(rules) > CROWDED and ahead.isascii():
            return self.narrow(key, fold(ahead))
        return rules

    def narrow(self, key: str, ahead: str) -> tuple[Rule, ...]:
        """Of the rules for a crowded ``key``, those that can begin with ``ahead`` (the
        next LONG_LEN characters, folded by :func:`.prefixes.fold`)."""
        out = self._by_long.get((key, ahead))
        if out is None:
            out = tuple(r for r in self.rules_at(key) if r.long_prefixes is None or r.long_prefixes.may_start(ahead))
            if len(self._by_long) < 200_000:
                self._by_long[(key, ahead)] = out
        return out

    def lookup(self, lexicon: str, word: str | None):
        """Value of ``word`` in a lexicon, tolerant of case, spacing and a final period."""
        if word is None:
            return None
        return self.lexicons[lexicon].get(normal_key(word))


_KEYS: dict[str, str] = {}


def normal_key(word: str) -> str:
    """Lower case, one space, straight apostrophe, no final period (memoised: called per match)."""
    key = _KEYS.get(word)
    if key is None:
        key = " ".join(word.lower().replace("’", "'").split()).rstrip(".")
        if len(_KEYS) < 50_000:
            _KEYS[word] = key
    return key


def _word(k: str) -> str:
    return re.escape(k).replace(r"\ ", " ").replace("'", "['’]")


def _alternation(words) -> str:
    """Alternation of words grouped by first letter (``t(?:wo|hree|en)``), longest first
    within a group, so the regex engine tries one branch per letter, not one per word."""
    keys = sorted({normal_key(str(w)) for w in words if str(w)}, key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(k[0], []).append(k[1:])
    parts = []
    for first, rests in groups.items():
        alts = "|".join(_word(r) for r in rests if r)
        if "" in rests:
            alts += "|"
        parts.append(_word(first) + (f"(?:{alts})" if alts and alts != "|" else ""))
    return "(?:" + "|".join(parts) + ")"


def _first_chars(items, flags: int = 0):
    """Characters a parsed pattern can start with, or None when unknown/too broad."""
    from re import _constants as C

    out: set[str] = set()
    for op, av in items:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.LITERAL:
            out.add(chr(av))
            return out
        if op is C.IN:
            for iop, iav in av:
                if iop is C.LITERAL:
                    out.add(chr(iav))
                elif iop is C.RANGE and iav[1] - iav[0] < 300:
                    out.update(chr(c) for c in range(iav[0], iav[1] + 1))
                elif iop is C.CATEGORY and iav is C.CATEGORY_DIGIT:
                    out.update("0123456789")
                else:
                    return None
            return out
        if op is C.BRANCH:
            nullable = False
            for alt in av[1]:
                sub = _first_chars(alt)
                if sub is None:
                    return None
                if "" in sub:
                    nullable = True
                out |= sub - {""}
            if not nullable:
                return out
            continue
        if op in (C.SUBPATTERN, C.ATOMIC_GROUP):
            sub = _first_chars(av[3] if op is C.SUBPATTERN else av)
            if sub is None:
                return None
            out |= sub - {""}
            if "" not in sub:
                return out
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            sub = _first_chars(av[2])
            if sub is None:
                return None
            out |= sub - {""}
            if av[0] > 0 and "" not in sub:
                return out
            continue
        return None
    out.add("")  # can match the empty string here
    return out


def first_chars(source: str) -> frozenset | None:
    from re import _parser

    try:
        firsts = _first_chars(_parser.parse(source, re.IGNORECASE).data)
    except Exception:  # an unusual construct: no guard
        return None
    if not firsts or "" in firsts:
        return None
    return frozenset(c.lower() for c in firsts)


def _guard(firsts: frozenset | None) -> str:
    """A lookahead on the possible first characters: most text positions then fail in
    one step instead of entering the rule's alternations."""
    if not firsts:
        return ""
    chars = set(firsts) | {c.upper() for c in firsts}
    return "(?=[" + "".join(sorted("\\" + c if c in "-]^\\[" else c for c in chars)) + "])"


def _two_char_guard(prefix_sets: list[Prefixes | None], firsts: frozenset) -> str:
    """A lookahead on the first two characters any rule can begin with (``(?=j[au]|t[hw]|1)``):
    most word starts in running text ("of", "said") then fail in C. It is preceded by a
    one-class test of the first character (``(?=[jt1])``), which says the same about that
    character but in one step instead of one alternative after another: the scan of
    adversarial text (mostly boundaries that start nothing) takes about half the time."""
    seconds: dict[str, set[str] | None] = {c: set() for c in firsts}
    for pre in prefix_sets:
        if pre is None:
            return _guard(firsts)
        for s in list(pre.full) + list(pre.heads):
            if not s:
                return _guard(firsts)
            if seconds.get(s[0], ...) is None:
                continue
            if len(s) == 1:
                seconds[s[0]] = None  # anything may follow
            else:
                seconds.setdefault(s[0], set()).add(s[1])
    alts = []
    for c, rest in sorted(seconds.items()):
        head = re.escape(c)
        alts.append(head if not rest else head + "[" + "".join(re.escape(x) for x in sorted(rest)) + "]")
    first = "[" + "".join(re.escape(c) for c in sorted(seconds)) + "]"
    return "(?=" + first + ")(?=" + "|".join(alts) + ")"


def _anchor(source: str, fragments: dict[str, str]) -> tuple[str, str] | None:
    """Split a rule that starts with a boundary lookbehind (%b, %yb) into a consuming
    boundary class and the rest: a leading character class lets the regex engine skip
    ahead in C instead of trying the rule at every position."""
    for frag, cls in (("yb", r"[^\w$£€¥#/.,:+]"), ("b", r"[^\w$£€¥#]")):
        head = expand(fragments.get(frag, "\0"), fragments)
        if frag in fragments and source.startswith(head):
            rest = source[len(head):]
            if frag == "yb":  # keep the part of %yb that is not a one-character test
                rest = r"(?<!\d-)" + rest if r"(?<!\d-)" in head else rest
            return cls, rest
    return None


# No expression starts with a digit right after "digit + separator" ("1999-[2000]", "12/[2500]", "2,[000]"):
# such a number continues the previous one. Skipping these positions keeps number soup cheap.
_NOT_AFTER_NUMBER = r"(?!(?<=\d[-/.:,–])\d)"  # a letter may follow ("2031,two years ago")


def expand(pattern: str, fragments: dict[str, str], _depth: int = 0) -> str:
    """Replace ``%name`` references recursively (a cycle or unknown name is a grammar bug)."""
    if _depth > 10:
        raise ValueError(f"fragment references nest too deep (cycle?) in {pattern!r}")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise KeyError(f"unknown fragment %{name}")
        return expand(fragments[name], fragments, _depth + 1)

    return _REF.sub(sub, pattern)


def _spaces(pattern: str) -> str:
    """A literal space in a pattern matches a short run of whitespace (line breaks included)."""
    return pattern.replace(" ?", r"\s{0,3}").replace(" ", _SPACE)


@lru_cache(maxsize=8)
def load_grammar(language: str = "en") -> Grammar:
    path = RESOURCES / f"{language}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"no temporal grammar for language {language!r} ({path})")
    return grammar_from_file(path, language)


#: The code that derives the cached tables (``_derived_tables``): a change to it is a new cache key.
_DERIVING_CODE = (Path(__file__), Path(__file__).with_name("prefixes.py"))


def grammar_from_file(path: Path, language: str, cache: Path | None = None) -> Grammar:
    """The grammar of the YAML file ``path``, compiled. Its derived tables (each rule's
    first characters and prefixes, the word-start guard: most of the build's time) come
    from ``timeline.temporal.derived_cache`` (``cache``: its folder, default its own),
    keyed by the file's bytes and the deriving code."""
    from timeline.temporal.derived_cache import cache_key, derived

    raw = path.read_bytes()
    data = yaml.safe_load(raw.decode("utf-8"))
    lexicons = {name: {normal_key(str(k)): v for k, v in table.items()}
                for name, table in (data.get("lexicons") or {}).items()}
    fragments: dict[str, str] = {name: _alternation(table) for name, table in lexicons.items()}
    for name, src in (data.get("fragments") or {}).items():
        fragments[name] = str(src)
    spaced = {k: _spaces(v) for k, v in fragments.items()}
    sources = [_spaces(expand(spec["pattern"], fragments)) for spec in data["rules"]]
    anchors = [_anchor(source, spaced) for source in sources]
    key = cache_key([raw, *(p.read_bytes() for p in _DERIVING_CODE)])
    tables = derived(f"grammar-{language}", key, lambda: _derived_tables(sources, anchors), cache)
    rules, free = [], []
    by_first: dict[str, list[Rule]] = {}
    for i, (spec, source, anchored, (first, pre, long_pre)) in enumerate(
            zip(data["rules"], sources, anchors, tables["rules"])):
        firsts = None if first is None else frozenset(first)
        at = None
        if anchored:
            cls, rest = anchored
            at = re.compile(cls + _NOT_AFTER_NUMBER + _guard(firsts) + rest, re.IGNORECASE)
        rule = Rule(
            name=spec["name"], kind=spec["kind"], pattern=source,
            regex=re.compile(_guard(firsts) + source, re.IGNORECASE),
            example=str(spec.get("example", "")), preset=dict(spec.get("set") or {}), priority=i,
            at=at, firsts=firsts, prefixes=_prefixes_of(pre), long_prefixes=_prefixes_of(long_pre),
        )
        rules.append(rule)
        if at is None or firsts is None:
            free.append(rule)  # no boundary anchor or no known first character: scanned on its own
        else:
            for c in firsts:
                by_first.setdefault(c, []).append(rule)
    starts = (re.compile(r"[^\w$£€¥#]" + _NOT_AFTER_NUMBER + tables["starts"], re.IGNORECASE)
              if by_first else None)
    words = {name: frozenset(str(w).lower() for w in ws) for name, ws in (data.get("words") or {}).items()}
    return Grammar(language, lexicons, fragments, tuple(rules),
                   {c: tuple(rs) for c, rs in by_first.items()}, tuple(free), starts, words=words)


def _derived_tables(sources: list[str], anchors: list[tuple[str, str] | None]) -> dict:
    """What ``grammar_from_file`` caches, as JSON values: per rule its first characters
    (sorted, or None) and its prefixes and long prefixes (``[k, full, heads]``, or None),
    and the guard of the anchored rules' word starts (``_two_char_guard``)."""
    out, firsts_of, anchored_pre = [], {}, []
    for source, anchored in zip(sources, anchors):
        firsts = first_chars(source)
        pre = long_pre = None
        if anchored:
            rest = anchored[1]
            firsts = first_chars(rest) or firsts
            pre = prefixes(rest, PREFIX_LEN)
            long_pre = prefixes(rest, LONG_LEN, folded=True)
            if firsts is not None:
                anchored_pre.append(pre)
                firsts_of.update(dict.fromkeys(firsts))
        out.append([None if firsts is None else sorted(firsts), _prefixes_json(pre), _prefixes_json(long_pre)])
    return {"rules": out, "starts": _two_char_guard(anchored_pre, frozenset(firsts_of)) if firsts_of else ""}


def _prefixes_json(p: Prefixes | None) -> list | None:
    return None if p is None else [p.k, sorted(p.full), sorted(p.heads)]


def _prefixes_of(value: list | None) -> Prefixes | None:
    return None if value is None else Prefixes.of(value[0], value[1], value[2])


@lru_cache(maxsize=32)
def fragment_regex(language: str, name: str) -> re.Pattern | None:
    """A named fragment of the grammar compiled on its own (case-insensitive, spaces as in
    rules), for the resolver's context tests; None when the language has no such fragment."""
    g = load_grammar(language)
    src = g.fragments.get(name)
    return re.compile(_spaces(expand(src, g.fragments)), re.IGNORECASE) if src else None


@lru_cache(maxsize=8)
def modifier_regexes(language: str = "en") -> tuple[re.Pattern, re.Pattern]:
    """Matchers for a modifier immediately left of a timex: (position mods, quantity mods)."""
    g = load_grammar(language)
    out = []
    for lex in ("modifier", "quantity_modifier"):
        words = g.lexicons.get(lex, {})
        glued = [w for w in words if w.endswith("-")]
        spaced = [w for w in words if not w.endswith("-")]
        parts = []
        if spaced:
            parts.append(_spaces(_alternation(spaced)) + r"\s{1,3}")
        if glued:
            parts.append(_alternation(glued))
        out.append(re.compile(r"(?<![\w-])(?P<mod>" + "|".join(parts) + r")$", re.IGNORECASE))
    return out[0], out[1]


@lru_cache(maxsize=8)
def modifier_last_words(language: str = "en") -> frozenset[str] | None:
    """Last words of the spaced modifiers ("of", "late", "than"): a cheap test that a
    modifier may end before an expression (None: some modifier ends oddly, no test)."""
    g = load_grammar(language)
    last = set()
    for lex in ("modifier", "quantity_modifier"):
        for w in g.lexicons.get(lex, {}):
            if not w.endswith("-"):
                tail = w.split()[-1]
                if not tail.isalpha():
                    return None
                last.add(tail)
    return frozenset(last)
