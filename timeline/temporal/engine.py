"""The engine: run every compiled rule, keep the best non-overlapping matches,
attach modifiers, resolve in reading order (so later expressions can lean on
earlier ones), and build ``Timex`` records.

Matching is linear in the text: each rule is one precompiled regex with bounded
repeats, and overlapping candidates are settled by a greedy pass (longest first,
then the rule listed first in the grammar). The three steps stream: candidates are
matched, settled and resolved stretch by stretch, never all held at once. A
repeated expression is resolved through :mod:`.memo`, which replays a handler's
result when everything the handler reads is the same as before.
"""
from __future__ import annotations

import datetime as dt
import heapq
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from operator import attrgetter

from timeline.model import Timex
from timeline.temporal.context import Words, sentence_breaks
from timeline.temporal.grammar import Grammar, Rule, fragment_regex, load_grammar, modifier_last_words, modifier_regexes
from timeline.temporal.memo import ResolutionMemo
from timeline.temporal.resolve import HANDLERS, Ctx, Result, remember_month
from timeline.temporal.story import Tracker, detect_doc_type, is_aside, writes_year

_POSITION_KINDS = {"calendar", "relunit", "deictic", "weekday", "anaphor", "holiday", "time", "range"}
_QUANTITY_KINDS = {"duration", "offset"}
_MAX_TEXT = 50_000_000


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match | None = None  # groups are read only for the candidates that win
    shift: int = 0
    _groups: dict | None = None

    @property
    def groups(self) -> dict:
        if self._groups is None:
            self._groups = _groups(self.match, self.rule, self.shift) if self.match is not None else {}
        return self._groups

    def memo_key(self) -> tuple | None:
        """What decides the handler's input besides the context: the rule (by its place in
        the grammar), the matched groups (read off the match without building the dict)
        and the span's length. None for ranges, whose groups carry text offsets."""
        if self.match is None or self.rule.kind == "range":
            return None
        return self.rule.priority, self.match.groups(), self.end - self.start


def _groups(m: re.Match, rule: Rule, shift: int = 0) -> dict:
    """Named groups that matched, ``name_``/``name__`` variants folded into ``name``
    (first one wins); ``__spans__`` (offsets into the text) for the range handler only."""
    g: dict = {}
    for k, v in m.groupdict().items():
        if v is not None:
            k = k.rstrip("_")
            if k not in g:
                g[k] = v
    if rule.kind == "range":
        spans: dict = {}
        for k, v in m.groupdict().items():
            if v is not None:
                s, e = m.span(k)
                spans.setdefault(k.rstrip("_"), (s - shift, e - shift))
        g["__spans__"] = spans
    for k, v in rule.preset.items():
        g.setdefault(k, v)
    return g


def candidates(text: str, grammar: Grammar) -> Iterator[Candidate]:
    """Every match of every rule, in order of start, found lazily: the engine resolves
    each stretch of text while it is fresh, and a candidate (with its match) is dropped
    once settled, so a long text never holds them all at once (less memory, and far
    less work for the garbage collector).

    One cheap regex finds each word start whose first character some rule can begin
    with; there, only the rules whose possible first three characters fit the text
    (``grammar.rules_at``, a memoised table) are tried, each one a single anchored match.
    Rules without a boundary anchor scan the text on their own, merged in by start.
    """
    found = _anchored(text, grammar)
    if not grammar.free:
        return found
    return heapq.merge(found, *(_free(text, rule) for rule in grammar.free), key=_START)


def _anchored(text: str, grammar: Grammar) -> Iterator[Candidate]:
    """Matches of the rules that begin at a word boundary, word start by word start."""
    if grammar.starts is None:
        return
    padded = "\n" + text  # one boundary character before the text; offsets shift by 1
    rules_for = grammar.rules_for
    for m in grammar.starts.finditer(padded):
        p = m.start()
        for rule in rules_for(padded, p + 1):
            mm = rule.at.match(padded, p)
            if mm is not None and mm.end() > p + 1:
                yield Candidate(p, mm.end() - 1, rule, mm, 1)


def _free(text: str, rule: Rule) -> Iterator[Candidate]:
    """Matches of a rule without a boundary anchor, from a scan of its own."""
    for mm in rule.regex.finditer(text):
        if mm.end() > mm.start():
            yield Candidate(mm.start(), mm.end(), rule, mm)


def select(cands: Iterable[Candidate]) -> Iterator[Candidate]:
    """Greedy: longest span first, then the rule listed first; no overlaps. ``cands``
    must come in order of start; the chosen ones come out in that order, as soon as
    their cluster is complete.

    Only clusters of overlapping candidates need settling: a greedy choice never depends
    on a candidate it does not overlap, so settling each cluster on its own gives what one
    pass over all of them would. Most candidates overlap nothing (a month name alone)
    and are taken without a sort."""
    cluster: list[Candidate] = []
    reach = 0
    for c in cands:
        if cluster and c.start >= reach:
            yield from _settle(cluster, reach)
            cluster = []
        if not cluster or c.end > reach:
            reach = c.end
        cluster.append(c)
    if cluster:
        yield from _settle(cluster, reach)


_START = attrgetter("start")


def _settle(cluster: list[Candidate], hi: int) -> list[Candidate]:
    """The greedy pass over one cluster (in order of start, ending at ``hi``). Occupied
    characters are marked in a bytearray, so each overlap test is one C-level ``find``
    (linear overall, however many candidates overlap)."""
    if len(cluster) == 1:
        return cluster
    lo = cluster[0].start
    taken = bytearray(hi - lo + 1)
    out = []
    for c in sorted(cluster, key=lambda c: (-(c.end - c.start), c.rule.priority, c.start)):
        s, e = c.start - lo, c.end - lo
        if taken.find(1, s, e) != -1:
            continue
        taken[s:e] = b"\x01" * (e - s)
        out.append(c)
    out.sort(key=_START)
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " \t\r\n,;:":
        end -= 1
    while start < end and text[start] in " \t\r\n":
        start += 1
    return start, end


def _may_follow_modifier(text: str, start: int, lower_bound: int, language: str) -> bool:
    """Cheap necessary condition for a modifier ending at ``start``: a glued one ("mid-")
    leaves a hyphen, a spaced one 1-3 spaces after one of its possible last words."""
    if start <= lower_bound:
        return False
    ch = text[start - 1]
    if ch == "-":
        return True
    if not ch.isspace():
        return False
    last = modifier_last_words(language)
    if last is None:
        return True
    lo = max(lower_bound, start - 40)  # the modifier search window
    j, spaces = start, 0
    while spaces < 4 and j > lo and text[j - 1].isspace():
        j -= 1
        spaces += 1
    if spaces > 3:
        return False
    k = j
    while k > lo and text[k - 1].isalpha():
        k -= 1
    return text[k:j].lower() in last


_POSSESSIVE = re.compile(r"['’]s\b")


def _attach_modifier(text: str, c: Candidate, lower_bound: int, language: str) -> str | None:
    """Extend ``c`` left over a modifier ("the end of", "nearly"); return the mod code."""
    kind = c.rule.kind
    if kind not in _POSITION_KINDS and kind not in _QUANTITY_KINDS:
        return None
    if not _may_follow_modifier(text, c.start, lower_bound, language):
        return None
    position, quantity = modifier_regexes(language)
    if kind in _POSITION_KINDS:
        if _POSSESSIVE.match(text, c.end):
            return None  # "the end of Wednesday's session", "get around Wednesday's ruling": the words qualify the noun
        rx, lex = position, "modifier"
    elif kind in _QUANTITY_KINDS and not text[c.start:c.start + 4].lower().startswith("the "):
        rx, lex = quantity, "quantity_modifier"
    else:
        return None
    lo = max(lower_bound, c.start - 40)
    m = rx.search(text, lo, c.start)
    if not m:
        return None
    word = m.group("mod")
    grammar = load_grammar(language)
    code = grammar.lookup(lex, word.strip())
    if code is None:
        return None
    first = text[c.start:c.end].lower()
    if lex == "modifier" and word.strip().lower() in ("earlier", "later") and not re.match(
            r"(this|that|today|tonight|yesterday|[a-z]+day\b)", first):
        return None
    code = str(code)
    if code == "INSIDE":  # the words belong to the expression but qualify nothing ("later in the year")
        c.start = m.start()
        return None
    if code.endswith(" outside"):  # the mod applies, the word stays outside the span
        return code.split()[0]
    c.start = m.start()
    return code


def _timex(text: str, c: Candidate, r: Result, mod: str | None) -> Timex:
    p = r.period
    surface = text[c.start:c.end]
    value = r.value
    head = f"'{surface}' -> {value}" if value else f"'{surface}' unresolved"
    if mod or r.mod:
        head += f" ({mod or r.mod})"
    return Timex(
        start=c.start, end=c.end, text=surface, type=r.type, value=value, mod=mod or r.mod,
        range_start=p.start if p else None, range_end=p.end if p else None,
        granularity=(p.granularity if p else r.granularity) if value else None,
        anchor=r.anchor if value else "none", rule=c.rule.name,
        explanation=f"{head}: {r.why}", resolved=r.resolved, reason=r.reason,
    )


def _ends(text: str, c: Candidate, ends: list) -> tuple[Timex, ...]:
    """A dash range's two endpoints as written ("1915-17" -> "1915", "17"), each a Timex."""
    out = []
    for s, e, r in ends:
        piece = Candidate(s, e, c.rule, _groups=c.groups)
        piece.start, piece.end = _trim(text, s, e)
        if piece.end > piece.start:
            out.append(_timex(text, piece, r, None))
    return tuple(out) if len(out) == 2 else ()


def strict_mode() -> bool:
    """``TIMELINE_STRICT=1``: handler exceptions raise instead of dropping the expression.
    Set for the test session (tests/conftest.py); users get the lenient behaviour."""
    return os.environ.get("TIMELINE_STRICT", "") == "1"


def run(text: str, published: dt.date | None, language: str = "en", doc_type: str | None = None) -> list[Timex]:
    """``doc_type``: "news" or "narrative" (None: detected from the text, see .story)."""
    grammar = load_grammar(language)
    if doc_type is None:
        doc_type = detect_doc_type(text, published, language)
    chosen = select(candidates(text, grammar))  # lazily: matched, settled and resolved stretch by stretch
    out: list[Timex] = []
    history: list = []
    breaks = sentence_breaks(text)
    month_years: dict = {}
    prev_end = 0
    words = Words(text, breaks)
    tracker = Tracker(text, words.break_ends)
    ctx = Ctx(text, 0, 0, published, grammar, history, breaks=breaks, month_years=month_years,
              words=words, doc_type=doc_type, tracker=tracker)  # one context, moved along
    memo = ResolutionMemo()  # repeated expressions resolve once per distinct set of facts read
    strict = strict_mode()
    for c in chosen:
        handler = HANDLERS[c.rule.kind]
        ctx.start, ctx.end = c.start, c.end
        try:
            r = memo.resolve(handler, c.memo_key(), lambda: c.groups, ctx)
        except Exception:  # noqa: BLE001 - one odd match must not lose the others ("never raises")
            if strict:  # TIMELINE_STRICT=1 (the test session): a handler bug must show, not become a miss
                raise
            r = None
        if r is None:
            continue
        pieces = [(Candidate(s, e, c.rule, _groups=c.groups), pr) for s, e, pr in r.parts] if r.parts else [(c, r)]
        for piece, pr in pieces:
            mod = _attach_modifier(text, piece, prev_end, language) if pr.mod is None else None
            piece.start, piece.end = _trim(text, piece.start, piece.end)
            if piece.end <= piece.start:
                continue
            t = _timex(text, piece, pr, mod)
            if pr.ends:
                t = replace(t, ends=_ends(text, c, pr.ends))
            out.append(t)
            prev_end = piece.end
            if pr.period is not None and pr.type in ("DATE", "TIME") and pr.period.value[:1] in "0123456789B":
                # the story's time: a year written out, or a month whose year is told from
                # publication ("in May last year"; the rule says so with ``story_anchor``)
                if ((pr.anchor == "absolute" and writes_year(t.text))
                        or (pr.anchor == "publication" and c.rule.preset.get("story_anchor"))) \
                        and pr.period.granularity not in ("decade", "century") \
                        and not ((tracker.anchor is not None or doc_type != "narrative") and is_aside(
                            text, t.start, words.sentence_bounds(t.start, t.end)[0], t.end)):
                    tracker.set_anchor(t.text, pr.period, t.start)
                if pr.period.start is not None:
                    history.append((t.text, pr.period, pr.anchor))
                remember_month(month_years, grammar, t.text, pr.period)
    return _clock_on_following_day(text, out, fragment_regex(language, "clock_day_link"))


# "10:35 a.m. (0735 GMT) Friday", "07:00 local time (0400 GMT) on Sunday": the same moment in another zone
_CLOCK_TO_CLOCK = re.compile(r"(?:\s+(?:local time|[A-Z][a-z]+ time|[A-Z]{2,4}))?\s*\(")
_DAY_VALUE = re.compile(r"(?:BC)?\d{4}-\d\d-\d\d(?:T.*)?")


def _clock_on_following_day(text: str, out: list[Timex], link: re.Pattern | None) -> list[Timex]:
    """A clock time written before the day it is on, with its zone between ("at 5:34 AM
    Baghdad time on March 20, 2003", "3:15 p.m. local time on Friday", "10:35 a.m. (0735
    GMT) Friday"), is on that day, not on the day named before it or the publication day."""
    if link is None:
        return out
    took: dict[int, str] = {}  # index -> the day's own words
    for i in range(len(out) - 2, -1, -1):  # backwards: "(0735 GMT)" takes Friday, then "10:35 a.m." takes it
        t, n = out[i], out[i + 1]
        if not (t.type == "TIME" and t.anchor in ("previous", "publication") and t.value and "T" in t.value
                and n.value and n.range_start is not None and _DAY_VALUE.fullmatch(n.value)):
            continue
        if n.type == "TIME":
            if not (i + 1 in took and _CLOCK_TO_CLOCK.fullmatch(text, t.end, n.start) and text[n.end:n.end + 1] == ")"):
                continue
        elif n.type != "DATE" or "T" in n.value or not link.fullmatch(text, t.end, n.start):
            continue
        value = n.value[:n.value.index("T")] if "T" in n.value else n.value
        value += t.value[t.value.index("T"):]
        why = t.explanation.split(": ", 1)[-1].split(" on ", 1)[0]
        day = took.get(i + 1, n.text)
        out[i] = replace(t, value=value, range_start=n.range_start, range_end=n.range_start, anchor=n.anchor,
                         explanation=f"'{t.text}' -> {value}: {why} on '{day}', the day written after it")
        took[i] = day
    return out
