"""Handlers: a rule's named groups -> TIMEX3 type, value, interval, anchor, explanation.

One handler per rule ``kind``. Relative expressions are resolved against the
publication date (``dct``) or, when the text points back ("the next day", a bare
month already named with its year), against an earlier date in the same text.
A handler returns ``None`` to reject a match (a false positive seen in context).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import islice

from timeline.temporal import calendar as cal
from timeline.temporal.context import Words, direction, format_number, next_word, parse_number, prev_word
from timeline.temporal.grammar import Grammar, fragment_regex, normal_key
from timeline.temporal.story import NEWS_REACH, Story, Tracker

NO_DCT = "no publication date"
LOOKBACK = 40  # how many earlier dates a later expression may lean on (keeps the pass linear)


@dataclass
class Result:
    type: str
    value: str | None
    period: cal.Period | None = None
    anchor: str = "absolute"
    why: str = ""
    granularity: str | None = None
    mod: str | None = None
    resolved: bool = True
    reason: str | None = None
    parts: list | None = None  # [(start, end, Result)]: one match that TimeML splits ("from 1991 to 1997")
    ends: list | None = None  # [(start, end, Result)]: a dash range's endpoints, kept inside the one expression


@dataclass
class Ctx:
    """Everything a handler may look at besides its groups."""

    text: str
    start: int
    end: int
    dct: dt.date | None
    grammar: Grammar
    history: list[tuple[str, cal.Period, str]] = field(default_factory=list)  # (surface, period, anchor)

    breaks: list | None = None  # sentence breaks of the whole text, computed once
    words: Words | None = None  # the text's tokens and tense cues, indexed once
    month_years: dict = field(default_factory=dict)  # month -> year of its last mention with a year
    doc_type: str = "news"  # "news" or "narrative": a prior for yearless dates (see .story)
    tracker: Tracker | None = None  # the story's anchor and the text's sentence/paragraph positions

    def story(self) -> Story | None:
        """The last date written with its year, seen from this expression (None: none yet)."""
        return self.tracker.story(self.start) if self.tracker is not None else None

    def follow(self, month_: int | None = None, day_: int | None = None) -> Story | None:
        """The story anchor this expression should follow (see ``follow_story``), or None."""
        if self.tracker is None or self.tracker.anchor is None:
            return None
        return follow_story(self, month_, day_)

    def direction(self) -> str:
        """'future', 'past' or 'none' from the sentence's cues; for a time something is done
        ahead of ("talks ahead of the summit in July"), 'future', or 'near' when that something
        is told as past ("shares rose ahead of Friday's report"): the time lies after an event
        near publication, so the occurrence nearest publication."""
        way = direction(self.text, self.start, self.end, self.breaks, self.words)
        toward = fragment_regex(self.grammar.language, "ahead_of_before")
        if toward is not None and toward.search(self.text, max(0, self.start - 70), self.start):
            return "near" if way == "past" else "future"
        return way

    def lookup(self, lexicon: str, word: str | None):
        return self.grammar.lookup(lexicon, word)

    def previous(self, finest: str | None = None, original: bool = False) -> cal.Period | None:
        """The latest resolved date before this one (optionally at most this coarse;
        ``original``: skip dates that were themselves counted from an earlier one; a date that
        only took its year from one, "July of that year", gives its year: "a year later" is
        the year after, at the precision the text gives)."""
        for surface, p, anchor in islice(reversed(self.history), LOOKBACK):
            if original and anchor == "previous":
                if not self.grammar.words["counting_words"].isdisjoint(_WORD.findall(surface.lower())) or p.start is None:
                    continue
                p = cal.year(p.start.year)
            if finest is None or cal_rank(p.granularity) <= cal_rank(finest):
                return p
        return None


_WORD = re.compile(r"[^\W\d_]+")  # "Year-earlier": two words


def cal_rank(granularity: str) -> int:
    order = ("time", "day", "week", "month", "quarter", "season", "half", "year", "decade", "century")
    return order.index(granularity) if granularity in order else len(order)


def unresolved(type_: str, why: str) -> Result:
    return Result(type_, None, None, "none", why, resolved=False, reason=NO_DCT)


# ---------------------------------------------------------------- helpers
def _int(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.strip().lstrip("'’")
    m = re.match(r"\d+", s)
    return int(m.group(0)) if m else None


def _year_named_before(ctx: Ctx) -> tuple[int, str] | None:
    """The year of the latest date named before ("that year"): the story's anchor, or a
    later date in the text's history if there is one."""
    prev = ctx.previous("year")
    if prev is not None and prev.start is not None:
        return prev.start.year, f"{prev.value}, the date named before"
    s = ctx.story()
    if s is not None and s.year:
        return s.year, f"'{s.surface}' {s.where()}"
    return None


def _is_bc(era: str | None) -> bool:
    return bool(era) and era.replace(".", "").upper().startswith("B")


def two_digit_year(yy: int, dct: dt.date | None) -> int:
    ref = dct.year if dct else 2000
    y = (ref // 100) * 100 + yy
    if y > ref + 20:
        y -= 100
    return y


def parse_year(s: str | None, dct: dt.date | None) -> int | None:
    if s is None:
        return None
    s = s.strip()
    if s.startswith(("'", "’")) or len(s) == 2:
        v = _int(s)
        return None if v is None else two_digit_year(v, dct)
    return _int(s)


def year_from_words(s: str) -> int | None:
    """'nineteen ninety-six' -> 1996, 'two thousand and one' -> 2001."""
    words = s.lower().replace("-", " ").replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = parse_number(" ".join(words[2:])) if words[2:] else 0
        return 2000 + int(rest) if rest is not None and rest != "X" else None
    if words and words[0] == "nineteen":
        rest = [w for w in words[1:] if w != "hundred"]
        n = parse_number(" ".join(rest)) if rest else 0
        return 1900 + int(n) if n is not None and n != "X" and n < 100 else None
    return None


def _ordinal(ctx: Ctx, s: str | None) -> int | None:
    if s is None:
        return None
    v = _int(s)
    if v is not None:
        return v
    return ctx.lookup("ordinal", s)




def _near_publication(ctx: Ctx, month_: int, day_: int) -> int | None:
    """The year of the nearest such day within six weeks of publication, unless that day
    lies ahead and the clause is in the past perfect ("On 2 December they had discussed")."""
    d = ctx.dct
    near = _nearest_day(d, month_, day_, 45) if d is not None else None
    past_perfect = fragment_regex(ctx.grammar.language, "past_perfect_after")
    if near is not None and dt.date(near, month_, day_) > d and past_perfect is not None \
            and past_perfect.search(ctx.text[ctx.end:ctx.end + 40]):
        return None
    return near


def _pick_year(ctx: Ctx, month_: int, day_: int | None = None) -> tuple[int, str]:
    """Year of a month (and day) written without one: tense first, else the nearest."""
    d = ctx.dct
    assert d is not None
    key = (month_, day_ or 0)
    now = (d.month, d.day if day_ else 0)
    past_y = d.year if key <= now else d.year - 1
    fut_y = d.year if key >= now else d.year + 1
    if day_:
        near = _near_publication(ctx, month_, day_)
        if near is not None:
            return near, "the nearest such day to publication (within six weeks)"
    way = "future" if _scheduled(ctx) else ctx.direction()  # only now: a nearby day needs no tense
    if way == "near":  # the nearer of the two (by months, then days), the next one on a tie
        gap_past, gap_fut = (d.month - month_) % 12, (month_ - d.month) % 12
        if day_ and gap_past == gap_fut:  # the publication month itself (else the months decide)
            gap_past, gap_fut = d.day - day_, day_ - d.day
        past = gap_past < gap_fut or bool(day_ and gap_fut < 0)
        return past_y if past else fut_y, "the nearest one to publication; what is told was done ahead of it"
    if way == "past":
        return past_y, "the most recent one not after publication; the narration is past tense"
    if way == "future":
        return fut_y, "the next one from publication; the sentence looks ahead"
    if 0 < (month_ - d.month) % 12 <= 2:  # "when the case is heard in May", written in March
        return fut_y, "the nearest such month, within two months after publication (no tense cue)"
    return past_y, "the most recent one not after publication (news reports the past)"


def _follow_story(ctx: Ctx, month_: int | None = None, day_: int | None = None) -> Story | None:
    """``follow_story`` asked through the context: one question for the memo, whose answer
    is None in most news (so repeated expressions still replay)."""
    return ctx.follow(month_, day_)


def follow_story(ctx: Ctx, month_: int | None = None, day_: int | None = None) -> Story | None:
    """The story anchor a yearless date should follow, or None (count from publication).

    A narrative follows its last written year wherever it is. News follows one only in a
    background passage, for a month (and day) just after a dated anchor: the anchor names
    its month ("March 2022", "29 March 2022", not a bare year, which news mentions in
    passing), at most ``NEWS_REACH`` sentences back in the same or the previous paragraph
    (news paragraphs are one or two sentences long), in another year
    than publication; the month is the anchor's or at most two after it (a day close to
    publication included: "In March 2022 ... On 29 March" in a May 2025 paper is 2022; an
    anchor that only names a thing, "the August 1988 cease-fire", or lies after publication,
    "they intend to launch it in November 2006", is none); the sentence does
    not look ahead ("In March 2022 the talks... On 29 March they..." but not "will meet
    on 29 March"). Weekdays, "today" and "last week" never follow the story in news."""
    if ctx.doc_type == "narrative":
        s = ctx.story()
        return s if s is not None and s.year is not None else None
    a = ctx.tracker.anchor if ctx.tracker is not None else None  # cheap tests on the anchor first
    if month_ is None or a is None or a.period.granularity not in ("month", "day") or a.period.start is None:
        return None
    if not 0 <= month_ - a.period.start.month <= 2:
        return None
    dct = ctx.dct
    if dct is not None and (a.period.start.year == dct.year or a.period.start > dct):  # a plan is no background
        return None
    s = ctx.story()
    if s is None or s.paragraphs_back > 1 or s.sentences_back > NEWS_REACH:
        return None
    if ctx.direction() == "future":
        return None
    return s


def _story_year(ctx: Ctx, what: str, month_: int | None = None, day_: int | None = None) -> tuple[int, str, str] | None:
    """(year, anchor, why) from the story, or None."""
    s = _follow_story(ctx, month_, day_)
    if s is None:
        return None
    y = _year_in_story(ctx, s, month_)
    if y != s.year:
        return y, "previous", (f"follows '{s.surface}' {s.where()} ({what}; the month comes before the story's "
                               f"month, so the story has moved on to {cal.year_value(y)})")
    return y, "previous", f"follows '{s.surface}' {s.where()} ({what} in the story's year {cal.year_value(y)})"


TURN_OF_YEAR = 4  # months: "December ... 14 January", "December ... April 1"
_LOOKS_BACK = re.compile(r"\b(?:earlier|before|previous(?:ly)?|prior|had|already|since)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?]\s")


def _year_in_story(ctx: Ctx, s: Story, month_: int | None) -> int:
    """The story's year for a yearless month: in a narrative, a month shortly after the
    turn of the year from an anchor late in the year ("in December 1916 ... On 14 January")
    is in the next year: at most ``TURN_OF_YEAR`` months on, a later sentence of the same
    paragraph, and a sentence that does not look back ("earlier", "had", "since").
    Anything further is more likely a step back (history texts go back by theme)."""
    p = s.period
    if (month_ is None or ctx.doc_type != "narrative" or p.start is None
            or p.granularity not in ("day", "month", "time") or month_ >= p.start.month
            or month_ + 12 - p.start.month > TURN_OF_YEAR or not s.same_paragraph or s.sentences_back == 0):
        return s.year
    before = ctx.text[max(0, ctx.start - 80):ctx.start]
    ends = list(_SENTENCE_END.finditer(before))
    if _LOOKS_BACK.search(before[ends[-1].end():] if ends else before):
        return s.year
    return s.year + 1


def _year_without_year(ctx: Ctx, month_: int, day_: int | None = None) -> tuple[int, str, str] | None:
    """(year, anchor, why) for a month (and day) written without a year: the story's year
    when the text is telling a story (see ``_follow_story``), else from publication
    (``_pick_year``); None when neither is known."""
    told = _story_year(ctx, "a date without a year", month_, day_)
    if told is not None:
        return told
    if ctx.dct is None:
        return None
    y, why = _pick_year(ctx, month_, day_)
    return y, "publication", why


def _nearest_day(d: dt.date, month_: int, day_: int, within: int) -> int | None:
    best = None
    for y in (d.year - 1, d.year, d.year + 1):
        try:
            gap = abs((dt.date(y, month_, day_) - d).days)
        except ValueError:
            continue
        if gap <= within and (best is None or gap < best[0]):
            best = (gap, y)
    return best[1] if best else None


def _year_for_weekday(d: dt.date, month_: int, day_: int, weekday: int) -> int | None:
    """The year near ``d`` in which month-day falls on ``weekday`` ("Monday, Oct. 26")."""
    fits = []
    for y in range(d.year - 3, d.year + 3):
        try:
            c = dt.date(y, month_, day_)
        except ValueError:
            continue
        if c.isoweekday() == weekday:
            fits.append((abs((c - d).days), y))
    return min(fits)[1] if fits else None


def _rel_year(ctx: Ctx, rel: str) -> int:
    assert ctx.dct is not None
    rel = rel.lower()
    return ctx.dct.year + {"last": -1, "next": 1, "previous": -1, "prior": -1}.get(rel, 0)


# ---------------------------------------------------------------- calendar (absolute or partial)
def h_calendar(g: dict, ctx: Ctx) -> Result | None:
    dct = ctx.dct
    if g.get("decade"):
        p = cal.decade(int(g["decade"]))
        return Result("DATE", p.value, p, why="a decade")
    if g.get("decade_bc"):  # "the 470s BC": BC047, no interval (as for BC years)
        value = f"BC{int(g['decade_bc']):03d}"
        return Result("DATE", value, cal.Period(value, "decade", None, None), why="a decade before Christ")
    if g.get("decade_word"):
        tens = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties")
        p = cal.decade(192 + tens.index(g["decade_word"].lower()))
        return Result("DATE", p.value, p, why="a decade in words (of the 1900s)")
    if g.get("decade2"):
        d = int(g["decade2"])
        first3 = 190 + d if d >= 2 or dct is None or dct.year < 2000 else 200 + d
        p = cal.decade(first3)
        return Result("DATE", p.value, p, why="a decade written with two digits")
    bc = _is_bc(g.get("era"))
    if g.get("century"):
        n = _ordinal(ctx, g["century"])
        if not n:
            return None
        p = cal.century(n - 1, bc)
        nth = f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
        return Result("DATE", p.value, p, why=f"the {nth} century" + (" BC" if bc else ""))
    year_s = g.get("year")
    if g.get("era"):  # a year with its era written: any number of digits, BC written negative
        y = _int(year_s)
        if not y or y > 9999:
            return None
        y = -y if bc else y
    else:
        y = parse_year(year_s, dct) if not g.get("year_words") else year_from_words(g["year_words"])
    if g.get("year_end"):
        told = _story_year(ctx, "the end of a year") if ctx.doc_type == "narrative" else None
        if told is not None:
            p = cal.year(told[0])
            return Result("DATE", p.value, p, told[1], told[2], mod="END")
        if dct is None:
            return unresolved("DATE", "the end of the year of publication")
        p = cal.year(dct.year)
        return Result("DATE", p.value, p, "publication", "the end of the publication year", mod="END")
    anchor, why = "absolute", "written in full"
    if y is None and g.get("yanaphor"):
        named = _year_named_before(ctx)
        if named is None:
            return unresolved("DATE", "a year named before, but none was") if dct is None else None
        y, src = named
        step = {"following": 1, "next": 1, "previous": -1, "prior": -1}.get((g.get("arel") or "").lower(), 0)
        y += step
        anchor, why = "previous", f"{'the year of' if not step else ('the year after' if step > 0 else 'the year before')} {src}"
    yrel = g.get("yrel") or (g.get("rel") if g.get("rel") and g.get("month") and "year" in ctx.text[ctx.start:ctx.end].lower() else None)
    if y is None and yrel:
        if dct is None:
            return unresolved("DATE", "a year relative to publication")
        y = _rel_year(ctx, yrel)
        anchor, why = "publication", f"'{yrel} year' counted from the publication year {dct.year}"

    if g.get("fiscal_quarter") and y is not None:
        recent = _recent_quarter(ctx)
        if recent is not None:  # "the 1988 quarter" after "the third quarter": 1988-Q3
            p = cal.quarter(y, int(recent.value[-1]))
            return Result("DATE", p.value, p, "previous", f"the quarter named before, in {y}")
    if g.get("quarter"):
        q = _ordinal(ctx, g["quarter"])
        if not q or not 1 <= q <= 4:
            return None
        if y is None:
            if dct is None:
                return unresolved("DATE", "a quarter without a year")
            started = 3 * q - 2 <= dct.month
            y = dct.year if started or ctx.direction() == "future" else dct.year - 1
            anchor, why = "publication", "the most recent such quarter at publication"
            if g.get("year_ago"):
                y -= 1
                why = "a year before the most recent such quarter at publication"
        p = cal.quarter(y, q)
        return Result("DATE", p.value, p, anchor, why)
    if g.get("half"):
        h = 1 if g["half"].lower() in ("first", "1st", "h1") else 2  # "last/latter half", "last two quarters": 2
        if y is None:
            if dct is None:
                return unresolved("DATE", "a half-year without a year")
            y = dct.year
            anchor, why = "publication", "the publication year"
        p = cal.half(y, h)
        return Result("DATE", p.value, p, anchor, why)
    if g.get("season"):
        if g["season"][:1].isupper() and _NAME_AFTER.match(ctx.text, ctx.end):
            return None  # a name: "the Spring Festival", "the Winter Olympics", "Summer Palace"
        if g.get("bare_season") and not _plausible_bare_season(ctx, g["season"]):
            return None
        code = ctx.lookup("season", g["season"])
        rel = (g.get("rel") or "").lower()
        the = ctx.text[ctx.start:ctx.start + 4].lower() == "the "
        told = None
        if y is None and (rel in ("", "that") or ((the or (ctx.doc_type == "narrative"))
                                                  and rel in ("next", "following", "previous"))):
            told = _story_year(ctx, "a season without a year")
        if told is not None:
            y, anchor, why = told
            if rel in ("next", "following", "previous"):  # "the next spring" in a story: after the story's year
                y += -1 if rel == "previous" else 1
                why = f"the {rel} such season after the story's year; " + why
        elif y is None and rel == "that":
            prev = ctx.previous("year")
            if prev is None or prev.start is None:
                return None if dct is None else Result("DATE", "PAST_REF", None, "none", "a season named before")
            y, anchor, why = prev.start.year, "previous", f"the season of {prev.value}, the date named before"
        if y is None:
            if dct is None:
                return unresolved("DATE", "a season without a year")
            y, why = _season_year(ctx, code, (g.get("rel") or "").lower())
            anchor = "publication"
        p = cal.season(y, code)
        return Result("DATE", p.value, p, anchor, why)

    m = ctx.lookup("month", g.get("month")) if g.get("month") else _int(g.get("month_num"))
    day_ = _int(g.get("day")) if g.get("day") and g["day"][:1].isdigit() else _ordinal(ctx, g.get("day"))
    if m is None:
        if y is None:
            return None
        if g.get("bare_year") and not _plausible_bare_year(ctx, y):
            return None
        p = cal.year(y)
        return Result("DATE", p.value, p, anchor, why)
    if not 1 <= m <= 12:
        return None
    if g.get("bare") and not _plausible_bare_month(ctx, g["month"]):
        return None
    if g.get("mrel") and y is None:
        return _anaphoric_month(ctx, m, g["mrel"].lower())
    if g.get("unread_year"):
        # "15 March 44.", "March 844;", "1 January 9999": a year is written but not one this grammar
        # reads (no era, or not 1000-2999): say so, never put the publication year in its place
        return Result("DATE", None, None, "none", "a year is written after it but could not be read",
                      resolved=False, reason="year not understood")
    if y is None:
        rel = (g.get("rel") or "").lower()
        prev = _same_month_before(ctx, m) if not rel and not day_ else None
        told = _story_year(ctx, "a date without a year", m, day_) if not rel and prev is None else None
        if prev is not None:
            y, anchor = prev, "previous"
            why = f"the same month as the {cal.year_value(prev)} one named earlier in the text"
        elif told is not None:
            y, anchor, why = told
        elif dct is None:
            return unresolved("DATE", "a month without a year")
        elif rel in ("last", "past"):
            y = dct.year if m < dct.month else dct.year - 1
            anchor, why = "publication", "the most recent such month before publication"
        elif rel in ("next", "coming"):
            y = dct.year if m > dct.month else dct.year + 1
            anchor, why = "publication", "the next such month after publication"
        elif rel == "this":
            y, anchor, why = dct.year, "publication", "in the publication year"
        else:
            wd = ctx.lookup("weekday", g.get("weekday")) if g.get("weekday") else None
            y_wd = _year_for_weekday(dct, m, day_, wd) if wd and day_ else None
            if y_wd is not None:
                y, why = y_wd, f"the year in which it falls on a {g['weekday'].title()}, nearest publication"
            else:
                y, why = _pick_year(ctx, m, day_)
            anchor = "publication"
    if day_:
        p = cal.day_ymd(y, m, day_)
        if p is None:
            return None
        return Result("DATE", p.value, p, anchor, why)
    p = cal.month(y, m)
    return Result("DATE", p.value, p, anchor, why + "; month precision")


def _anaphoric_month(ctx: Ctx, m: int, rel: str) -> Result | None:
    """"the previous April", "the following March", "that May": counted from the latest
    date named before (the story's year in a narrative with none), else from publication."""
    ref = ctx.previous("year")
    if ref is not None and ref.start is not None:
        ry, rm, src = ref.start.year, (ref.start.month if cal_rank(ref.granularity) <= cal_rank("month") else None), \
            f"{ref.value}, the date named before"
        anchor = "previous"
    else:
        s = ctx.story()
        if s is not None and s.year is not None:
            ry, rm, src, anchor = s.year, None, f"'{s.surface}' {s.where()}", "previous"
        elif ctx.dct is not None:
            ry, rm, src, anchor = ctx.dct.year, ctx.dct.month, "publication", "publication"
        else:
            return unresolved("DATE", "a month counted from a date named before, but none was")
    if rel in ("previous",):
        y = ry if rm is not None and m < rm else ry - 1
        why = f"the last such month before {src}"
    elif rel in ("following", "next"):
        y = ry if rm is not None and m > rm else ry + 1
        why = f"the first such month after {src}"
    else:
        y, why = ry, f"the same year as {src}"
    p = cal.month(y, m)
    return Result("DATE", p.value, p, anchor, why + "; month precision")


def _season_year(ctx: Ctx, code: str, rel: str) -> tuple[int, str]:
    dct = ctx.dct
    cy, cur = cal.season_of(dct)
    order = cal.SEASON_ORDER
    # index seasons on one axis: year*4 + position (winter first)
    cur_k = cy * 4 + order.index(cur)

    def k_of(y: int) -> int:
        return y * 4 + order.index(code)

    if rel in ("this", "") and rel == "this":
        y = dct.year if not (code == "WI" and dct.month <= 2) else dct.year - 1
        return y, "the season of the publication year"
    if rel in ("last", "past", "previous"):
        y = dct.year
        while k_of(y) >= cur_k:
            y -= 1
        return y, "the most recent such season before publication"
    if rel in ("next", "coming"):
        y = dct.year - 1
        while k_of(y) <= cur_k:
            y += 1
        return y, "the next such season after publication"
    way = ctx.direction()
    y = dct.year
    fut_y = y
    while k_of(fut_y) < cur_k:
        fut_y += 1
    while k_of(fut_y - 1) >= cur_k:
        fut_y -= 1
    while k_of(y) > cur_k:
        y -= 1
    if way == "near":  # the nearer one, by seasons; the next on a tie
        if cur_k - k_of(y) < k_of(fut_y) - cur_k:
            return y, "the nearest such season; what is told was done ahead of it"
        return fut_y, "the nearest such season; what is told was done ahead of it"
    if way == "future":
        return fut_y, "the next such season; the sentence looks ahead"
    return y, "the most recent such season"


def _words(ctx: Ctx, name: str) -> frozenset[str]:
    """A word list of the grammar's data file (``words:`` in ``resources/<language>.yaml``)."""
    return ctx.grammar.words[name]


def _number_noun(ctx: Ctx, word: str) -> bool:
    """A word after which a number counts or labels ("pages 1914-1918", "Flight 2024")."""
    return word in _words(ctx, "year_before_bad") and word not in _words(ctx, "year_before_ok")


def _in_parenthesis(ctx: Ctx) -> bool:
    """Does the expression open a parenthesis: "(1880)", "(1876-1910)"?"""
    return ctx.start > 0 and ctx.text[ctx.start - 1] == "("


_NAME_THEN_NUMBER = re.compile(r"(?<![.!?:;\n\"\u201c(])\s(?-i:[A-Z][A-Za-z]+)\s$")


def _named_before(ctx: Ctx, before: str) -> bool:
    """Is the word before a bare 4-digit number capitalised inside a sentence, and not one
    that dates a year ("In 1990", "Christmas 2004" and "Q3 2005" have rules of their own)?"""
    if before in _words(ctx, "year_before_ok") or ctx.lookup("month", before) is not None \
            or ctx.lookup("season", before) is not None or before in _words(ctx, "era_words"):
        return False
    return _NAME_THEN_NUMBER.search(ctx.text[max(0, ctx.start - 30):ctx.start]) is not None


def _plausible_bare_year(ctx: Ctx, y: int) -> bool:
    """A lone 4-digit number is a year unless its neighbours say it counts something."""
    # a parenthesis parts the number from the word before: "his rule (1876)" is not "rule 1876"
    before = "" if _in_parenthesis(ctx) else prev_word(ctx.text, ctx.start)
    after = next_word(ctx.text, ctx.end)
    gap = ctx.text[ctx.end:ctx.end + 2]
    if _number_noun(ctx, before):
        return False
    if before and _named_before(ctx, before):
        return False  # "Local 1520", "Orion 1980", "Windows 2000": a number in a name
    if before in _words(ctx, "year_before_never"):
        return False
    if after in _words(ctx, "year_after_bad") and not gap.startswith((",", ".", ";", ":")):
        return False
    if (after.endswith("s") and len(after) > 3 and after.isalpha() and gap[:1] == " "
            and before not in _words(ctx, "year_before_ok") and before not in _words(ctx, "possessives")):
        return False  # "counted 1200 protesters" (but "the 2014 protests", "in 1990 sales")
    if ctx.start > 0 and ctx.text[ctx.start - 1] == "-":
        m = re.search(r"([A-Za-z]+)-$", ctx.text[max(0, ctx.start - 12):ctx.start])
        if m and m.group(1).lower() not in ("mid", "pre", "post", "early", "late", "end", "fiscal", "fy"):
            return False  # a model or part number: "XR-2000"
    if re.match(r"\s*(?:[-–]|to)\s*\d", ctx.text[ctx.end:ctx.end + 6]) and y > 2100:
        return False
    return 1000 <= y <= 2999


def _plausible_bare_month(ctx: Ctx, word: str) -> bool:
    if normal_key(word) not in _words(ctx, "bare_month_guard"):
        return True
    return prev_word(ctx.text, ctx.start) in _words(ctx, "month_before_ok") or ctx.text[ctx.start - 4:ctx.start] == "mid-"


_SEASONS = r"(?:spring|summer|autumn|fall|winter)"
_SEASON_AND_BEFORE = re.compile(r"\b" + _SEASONS + r"\s+(?:and|or|to)\s+$", re.I)
_SEASON_AND_AFTER = re.compile(r"\s+(?:and|or|to)\s+(?:the\s+)?" + _SEASONS + r"\b", re.I)
_NAME_AFTER = re.compile(r"\s+(?-i:[A-Z][a-z])")


def _plausible_bare_season(ctx: Ctx, word: str) -> bool:
    """A season word without article is a date where it is a time adverbial: after a
    preposition of time ("in winter", "by spring"; not "fall", a verb and a noun too) or
    joined to another season ("the fall and winter", "summer and autumn 1918"). Not as a
    modifier of a noun ("winter coats", "summer camp") or a verb ("prices fall")."""
    text = ctx.text
    if _SEASON_AND_BEFORE.search(text[max(0, ctx.start - 16):ctx.start]) or \
            _SEASON_AND_AFTER.match(text[ctx.end:ctx.end + 20]):
        return True
    return word.lower() != "fall" and prev_word(text, ctx.start) in _words(ctx, "season_before_ok")


def _same_month_before(ctx: Ctx, m: int) -> int | None:
    """Year of an earlier mention of the same month that said its year ("June of last year"),
    unless the story has moved to another year since and is followed here."""
    year = ctx.month_years.get(m)
    if year is None:
        return None
    s = _follow_story(ctx, m)
    if s is not None and _year_in_story(ctx, s, m) != year:  # the story has moved to another year since
        return None
    return year


def remember_month(memory: dict, grammar: Grammar, surface: str, p: cal.Period) -> None:
    """Note "June of last year" / "March 2022" so a later bare "June" can reuse its year."""
    if p.granularity in ("month", "day") and _YEARISH.search(surface):
        m = int(p.value[-5:-3] if p.granularity == "day" else p.value[-2:])
        y = int(p.value[2:6]) * -1 if p.value.startswith("BC") else int(p.value[:4])
        if any(grammar.lookup("month", w) == m for w in surface.replace(".", " ").split()):
            memory[m] = y


_YEARISH = re.compile(r"\d{4}|year", re.IGNORECASE)


# ---------------------------------------------------------------- ranges / numeric / holiday
def h_range(g: dict, ctx: Ctx) -> Result | None:
    dct = ctx.dct
    y = parse_year(g.get("year"), dct)
    y2 = g.get("year2")
    spans = g.get("__spans__", {})
    if y2 is not None and g.get("era"):  # "499-493 BC": both ends before Christ
        y, y2v = -int(g["year"]), -int(y2)
        if not y < y2v <= y + 200:
            return None
    elif y2 is not None:
        y2v = parse_year(y2, dct) if len(y2.strip()) == 4 else (y // 100) * 100 + int(y2)
        slash = "/" in ctx.text[ctx.start:ctx.end]
        if slash and y is not None and y2v == y - 99:  # "1999/00"
            y2v = y + 1
        if slash and y is not None and y2v != y + 1:  # "2019/25": a year, then some number
            y1 = cal.year(y)
            return Result("DATE", y1.value, y1, why="written in full",
                          parts=[(*spans["year"], Result("DATE", y1.value, y1, why="written in full"))])
        if y is None or y2v is None or not y < y2v <= y + 200:
            return None
        if not _in_parenthesis(ctx) and _number_noun(ctx, prev_word(ctx.text, ctx.start)):  # "pages 1914-1918"
            return None
    if y2 is not None:  # year ranges
        a, b = cal.year(y), cal.year(y2v)
        whole = Result("DATE", f"{a.value}/{b.value}", cal.Period(f"{a.value}/{b.value}", "year", a.start, b.end),
                       why="a range of years; the interval covers both ends")

        if "year" in spans and "year2" in spans:
            # TimeML marks the two ends separately ("between [1994] and [1997]"); a dash range
            # ("2014-2022") stays one expression with its interval, as the product specifies,
            # and carries its two ends for a TimeML export
            _split(whole, ctx, [(*spans["year"], Result("DATE", a.value, a, why="start of a range of years")),
                                (spans["year2"][0], ctx.end, Result("DATE", b.value, b, why="end of a range of years"))])
        return whole
    m = ctx.lookup("month", g.get("month"))
    m2 = ctx.lookup("month", g.get("month2")) if g.get("month2") else m
    if m is None or m2 is None:
        return None
    d1, d2 = _int(g.get("day")), _int(g.get("day2"))
    anchor, why = "absolute", "a range written in full"
    if y is None:
        found = _year_without_year(ctx, m2, d2)
        if found is None:
            return unresolved("DATE", "a range without a year")
        y, anchor, why = found
    y1 = y if (m, d1 or 0) <= (m2, d2 or 0) else y - 1
    if d1 and d2:
        a, b = cal.day_ymd(y1, m, d1), cal.day_ymd(y, m2, d2)
    else:
        a, b = cal.month(y1, m), cal.month(y, m2)
    if a is None or b is None or (a.start and b.start and a.start > b.start):
        return None
    value = f"{a.value}/{b.value}"
    whole = Result("DATE", value, cal.Period(value, a.granularity, a.start, b.end), anchor,
                   why + "; the interval covers the whole range")
    first, second = Result("DATE", a.value, a, anchor, "start of a range; " + why), \
        Result("DATE", b.value, b, anchor, "end of a range; " + why)
    if g.get("month2") and "month" in spans and "month2" in spans:
        # "from March to May 2022", "26 June - 4 August 1952", "March 19-April 30": two TimeML
        # expressions, the first borrowing the second's year
        one = [spans[k] for k in ("day", "month") if k in spans]
        two = [spans[k] for k in ("day2", "month2") if k in spans]
        _split(whole, ctx, [(min(s for s, _ in one), max(e for _, e in one), first),
                            (min(s for s, _ in two), ctx.end, second)])
    elif d1 and d2 and "day" in spans and "day2" in spans and "month" in spans:
        # "22 to 24 February", "28 and 29 August": the two days, each a TimeML expression
        # (a dash range, "23-27 September 2022", stays one expression with its interval)
        if spans["month"][0] < spans["day"][0]:  # month first: [March 5]-[9, 1918]
            _split(whole, ctx, [(spans["month"][0], spans["day"][1], first), (spans["day2"][0], ctx.end, second)])
        else:  # [26]-[30 November], "from [the 13th] to [the 19th of October 1950]"
            _split(whole, ctx, [(spans.get("the", spans["day"])[0], spans["day"][1], first),
                                (spans.get("the2", spans["day2"])[0], ctx.end, second)])
    return whole


def _split(whole: Result, ctx: Ctx, ends: list) -> None:
    """A worded range ("from 1991 to 1997") becomes its two ends, as TimeML annotates it; a
    dash range ("1991-97", "26-30 November") stays one expression (one bar on the timeline)
    that carries its two ends as written, for a TimeML export (``Timex.ends``)."""
    if _worded(ctx):
        whole.parts = ends
    else:
        whole.ends = ends


_RANGE_WORD = re.compile(r"\b(?:between|from|to|and|until|through)\b", re.I)


def _worded(ctx: Ctx) -> bool:
    """A range written with words ("from 1991 to 1997"), not with a dash ("1991-1997")."""
    return bool(_RANGE_WORD.search(ctx.text[ctx.start:ctx.end]))


def h_numeric(g: dict, ctx: Ctx) -> Result | None:
    a, b = int(g["a"]), int(g["b"])
    y = parse_year(g["year"], ctx.dct)
    if y is None:
        return None
    why = "a numeric date"
    if a > 12:
        d, m = a, b
    elif b > 12 or g.get("sep") == ".":
        m, d = (a, b) if b > 12 else (b, a)
    else:
        m, d = a, b  # month/day/year, the English (US) reading ...
        us, eu = cal.day_ymd(y, a, b), cal.day_ymd(y, b, a)
        if a != b and ctx.dct is not None and us is not None and eu is not None \
                and abs((eu.start - ctx.dct).days) < abs((us.start - ctx.dct).days):
            m, d = b, a  # ... unless day/month, as most of the world writes it, is nearer publication
            why = "a numeric date, read day/month: nearer publication than month/day"
    p = cal.day_ymd(y, m, d)
    if p is None:
        return None
    return Result("DATE", p.value, p, why=why)


def h_holiday(g: dict, ctx: Ctx) -> Result | None:
    spec = str(ctx.lookup("holiday", g["holiday"]))
    if spec.startswith("easter") and _NAME_AFTER.match(ctx.text[ctx.end:ctx.end + 6]):
        return None  # "the Easter Rising", "Easter Island": a name
    y = parse_year(g.get("year"), ctx.dct)
    parts = spec.split()
    movable = parts[0] == "easter"
    m = 4 if movable else int(parts[0].split("-")[0])  # Easter: late March to late April
    fixed_day = int(spec.split("-")[1]) if "-" in spec and not movable else None
    anchor, why = "absolute", "a holiday counted from Easter" if movable else "a fixed holiday"
    if y is None:
        if ctx.dct is None:
            return unresolved("DATE", "a holiday without a year")
        rel = (g.get("rel") or "").lower()
        day_guess = fixed_day or 15
        if rel == "last":
            y = ctx.dct.year if (m, day_guess) < (ctx.dct.month, ctx.dct.day) else ctx.dct.year - 1
            why = "the most recent one before publication"
        elif rel == "next":
            y = ctx.dct.year if (m, day_guess) > (ctx.dct.month, ctx.dct.day) else ctx.dct.year + 1
            why = "the next one after publication"
        elif rel == "this":
            y, why = ctx.dct.year, "in the publication year"
        else:
            y, why = _pick_year(ctx, m, day_guess)
            told = _story_year(ctx, "a holiday without a year", m, fixed_day)
            if told is not None:
                y, _, why = told
        anchor = "publication"
    if movable:
        sunday = cal.easter(y)
        day_ = sunday + dt.timedelta(days=int(parts[1])) if sunday else None
        p = cal.day(day_) if day_ else None
    elif fixed_day is not None:
        p = cal.day_ymd(y, m, fixed_day)
    else:
        wd, n = int(parts[1]), parts[2]
        if n.endswith("+"):  # the Tuesday after the first Monday
            first_monday = cal.nth_weekday(y, m, 1, 1)
            day_ = first_monday + dt.timedelta(days=1) if first_monday else None
        else:
            day_ = cal.nth_weekday(y, m, wd, int(n))
        p = cal.day(day_) if day_ else None
    if p is None:
        return None
    if g.get("part") and p.start is not None:  # "Christmas night", "Easter morning"
        p = cal.time_of_day(p.start, None, None, ctx.lookup("part", g["part"]))
    elif g.get("hweek") and p.start is not None:  # "Easter week", "Christmas week": the week that holds it
        why = f"the week of {p.value}; {why}"
        p = cal.week(p.start)
    return Result("DATE", p.value, p, anchor, why)


# ---------------------------------------------------------------- relative to publication
def _generic_day(ctx: Ctx, offset: int) -> str | None:
    """"today's youth", "the people of tomorrow": our times in general, not a calendar day."""
    after = ctx.text[ctx.end:ctx.end + 2]
    if offset == 0 and after[:1] in "'’" and after[1:2] == "s" and next_word(ctx.text, ctx.end + 2) in _words(ctx, "generic_after_todays"):
        return "PRESENT_REF"
    if offset == 1 and prev_word(ctx.text, ctx.start) == "of":  # "the leaders of tomorrow"
        return "FUTURE_REF"
    return None


def h_deictic(g: dict, ctx: Ctx) -> Result | None:
    if g["deictic"].lower() == "overnight" and next_word(ctx.text, ctx.end) in _words(ctx, "overnight_terms"):
        return None  # "the overnight rate": a kind of loan
    spec = str(ctx.lookup("deictic", g["deictic"])).split()
    offset, part = int(spec[0]), (spec[1] if len(spec) > 1 else None)
    type_ = "TIME" if part else "DATE"
    generic = None if part else _generic_day(ctx, offset)
    if generic is None and offset == 0 and not part and ctx.doc_type == "narrative" and ctx.story() is not None:
        return Result("DATE", "PRESENT_REF", None, "publication" if ctx.dct else "none",
                      "the present of the writer: a history's 'today' is not a day of the story")
    if generic:
        return Result("DATE", generic, None, "none", "our times in general, not a calendar day")
    if ctx.dct is None:
        return unresolved(type_, "a day relative to publication")
    d = cal.add_days(ctx.dct, offset)
    if d is None:  # the day after 9999-12-31
        return None
    p = cal.time_of_day(d, None, None, part) if part else cal.day(d)
    word = {0: "the publication day", -1: "the day before publication", 1: "the day after publication"}
    return Result(type_, p.value, p, "publication", word.get(offset, f"{offset:+d} days from publication"))


def h_weekday(g: dict, ctx: Ctx) -> Result | None:
    wd = ctx.lookup("weekday", g["weekday"])
    part = ctx.lookup("part", g.get("part")) if g.get("part") else None
    type_ = "DATE"  # "Friday night": value 1998-08-07TNI, but typed DATE as TimeML news corpora mostly do
    if ctx.dct is None:
        return unresolved(type_, "a weekday relative to publication")
    dct = ctx.dct
    rel = (g.get("rel") or "").lower()
    diff = wd - dct.isoweekday()
    joined = None
    if not g.get("wrel") and not rel:  # "on Monday and Tuesday", "Friday through Sunday": goes with the first
        after_weekday = fragment_regex(ctx.grammar.language, "weekday_joined")
        joined = after_weekday.search(ctx.text[max(0, ctx.start - 24):ctx.start]) if after_weekday else None
    ref = ctx.previous("day") if g.get("wrel") or joined else None
    if ref is not None and ref.start is not None:  # "the previous Friday", "the following Monday", "Monday and Tuesday"
        r = ref.start
        if joined:  # a span ("through", "-") runs forward; a list ("and", "or") stays in the week, or just after it
            step = (wd - r.isoweekday()) % 7
            if joined.group(0).split()[-1].lower() in ("and", "or") and wd - r.isoweekday() >= -3:
                step = wd - r.isoweekday()
            d, why = cal.add_days(r, step), f"the {g['weekday'].title()} {'before' if step < 0 else 'after'}"
        elif g["wrel"].lower() == "previous":
            d, why = cal.add_days(r, -((r.isoweekday() - wd) % 7 or 7)), f"the {g['weekday'].title()} before"
        else:
            d, why = cal.add_days(r, (wd - r.isoweekday()) % 7 or 7), f"the {g['weekday'].title()} after"
        if d is None:
            return None
        p = cal.time_of_day(d, None, None, part) if part else cal.day(d)
        return Result(type_, p.value, p, "previous", f"{why} {ref.value}, the day named before")
    rel = rel or (g.get("wrel") or "").lower().replace("following", "next")
    if rel in ("last", "previous", "past"):
        d = cal.add_days(dct, -((dct.isoweekday() - wd) % 7 or 7))
        why = f"the {g['weekday'].title()} before publication"
    elif rel in ("next", "coming"):
        d = cal.add_days(dct, diff % 7 or 7)
        why = f"the {g['weekday'].title()} after publication"
    elif rel == "this":
        d = cal.add_days(dct, diff)
        why = f"the {g['weekday'].title()} of the publication week"
    else:
        way = "future" if _scheduled(ctx) else ctx.direction()
        near = way == "near"
        if near:  # the nearer of last week's and next week's
            way = "future" if diff % 7 <= 3 else "past"
        if diff == 0:
            d, why = dct, f"the publication day itself, a {g['weekday'].title()}"
        elif way == "future":
            d = cal.add_days(dct, diff % 7)
            why = f"the next {g['weekday'].title()}; the sentence looks ahead"
        else:
            d = cal.add_days(dct, -((-diff) % 7))
            why = f"the {g['weekday'].title()} before publication; the narration is past tense"
            if d is not None and d.isocalendar()[1] == dct.isocalendar()[1]:
                why = f"the {g['weekday'].title()} of the publication week; the narration is past tense"
        if near and diff:
            why = f"the {g['weekday'].title()} nearest publication; what is told was done ahead of it"
    if d is None:  # past the calendar's ends
        return None
    p = cal.time_of_day(d, None, None, part) if part else cal.day(d)
    return Result(type_, p.value, p, "publication", why)


_CLAUSE_TOKENS = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|[^\sA-Za-z]")
_SCHEDULE_REACH = 7  # tokens looked back from the expression


def _scheduled(ctx: Ctx) -> bool:
    """A date in a clause whose verb schedules, in the present tense ("the leaders meet
    Monday", "talks resume on Tuesday", "the prime minister heads to Tokyo on Friday", "polls
    open at 7 a.m. on Sunday"): news writes coming events so. Looking back from the
    expression within its clause: a past or reporting verb ("met Monday", "said Friday"), a
    punctuation mark or a clause word ("after", "that") ends the search; an infinitive ("was
    scheduled to begin Thursday") or a noun ("a vote on Thursday", "his visit on Monday")
    is no such verb, and a plain form needs a plural subject ("talks resume")."""
    if ctx.doc_type != "news":  # a history's present tense is a historic present
        return False
    words = ctx.grammar.words
    toks = _CLAUSE_TOKENS.findall(ctx.text[max(0, ctx.start - 80):ctx.start])
    for k in range(len(toks) - 1, max(-1, len(toks) - 1 - _SCHEDULE_REACH), -1):
        tok = toks[k]
        w = tok.lower()
        if not tok[0].isalpha() or w in words["scheduling_clause_edges"]:
            return False
        plain = w in words["scheduling_verbs"]
        if plain or w in words["scheduling_verbs_s"]:
            before = toks[k - 1] if k > 0 else ""
            b = before.lower()
            if not before[:1].isalpha() or b in words["scheduling_not_verb"] or b.endswith(("'s", "’s")):
                return False
            if plain:  # "talks resume", "they meet", "Russia and Ukraine meet", "he and the envoy meet"
                return (b.endswith("s") and not b.endswith("ss")) or b in words["scheduling_plural_subjects"] \
                    or before[0].isupper() or "and" in (t.lower() for t in toks[max(0, k - 4):k])
            return True
        if len(w) > 3 and w.endswith("ed") or w in words["tense_past"]:  # "met on Monday", "was held Monday"
            return False
    return False


def _unit_code(ctx: Ctx, unit: str) -> str:
    return str(ctx.lookup("calendar_unit", unit) or ctx.lookup("unit", unit) or "")


def _period_of(code: str, d: dt.date) -> cal.Period | None:
    if code == "W":
        return cal.week(d)
    if code == "WE":
        return cal.weekend(d)
    if code == "M":
        return cal.month(d.year, d.month)
    if code == "Q":
        return cal.quarter(d.year, (d.month - 1) // 3 + 1)
    if code == "Y":
        return cal.year(d.year)
    if code == "E":
        return cal.decade(d.year // 10)
    if code == "C":
        return cal.century(d.year // 100)
    if code == "D":
        return cal.day(d)
    return None


def _step(code: str, p: cal.Period, n: int) -> cal.Period | None:
    if code == "WE":
        d = cal.add_days(p.start, 7 * n) if p.start else None
        return cal.weekend(d) if d else None
    if code == "E":
        return cal.decade(int(p.value) + n)
    if code == "C":
        return cal.century(int(p.value) + n)
    return cal.shift(p, n)


def h_relunit(g: dict, ctx: Ctx) -> Result | None:
    if _quoted_title(ctx):
        return None
    rel = (g.get("rel") or "").lower().replace("-", " ")
    rel = " ".join(rel.split())
    if rel in ("year earlier", "year ago"):
        return _year_ago(ctx)
    if rel in ("following", "same", "that"):
        return h_anaphor({"rel": rel, "unit": g["unit"]}, ctx)
    the = ctx.text[ctx.start:ctx.start + 4].lower() == "the "
    part_of = fragment_regex(ctx.grammar.language, "part_of_after")
    if the and rel in ("last", "next") and part_of is not None and part_of.match(ctx.text[ctx.end:ctx.end + 16]):
        return None  # "the last year of the war", "the next week of talks": a part of something, not a calendar unit
    if (rel in ("next", "previous", "prior") and the) or (
            ctx.doc_type == "narrative" and rel in ("next", "last", "this", "previous", "prior")):
        s = _follow_story(ctx)  # "the next year" in a story (in a narrative, "this year" too) counts from the story
        step = {"next": 1, "last": -1, "previous": -1, "prior": -1}.get(rel, 0)
        if s is not None and s.period.start is None and s.year and _unit_code(ctx, g["unit"]) == "Y":
            p = cal.year(s.year + step)  # a BC story: no interval, so no history
            return Result("DATE", p.value, p, "previous", f"counted from '{s.surface}' {s.where()}")
        if s is not None:
            return h_anaphor({"rel": {1: "next", -1: "previous"}.get(step, "same"), "unit": g["unit"]}, ctx)
    code = _unit_code(ctx, g["unit"])
    if code == "" and g["unit"].lower() == "period":
        code = "Q"  # "the latest period" in a quarterly report
    if rel == "the" and code == "Y" and re.match(r"\s+(?:ended|ending)\b", ctx.text[ctx.end:ctx.end + 12]):
        return Result("DURATION", duration_value(1, code), None, "none", "a fiscal period of one unit")
    if rel == "the" and code in ("W", "M", "Y", "E", "C") and ctx.doc_type == "narrative" and _follow_story(ctx) is not None:
        return h_anaphor({"rel": "same", "unit": g["unit"]}, ctx)  # "by the end of the month/decade" in a story
    if ctx.dct is None:
        return unresolved("DATE", "a period relative to publication")
    dct = ctx.dct
    base = _period_of(code, dct)
    if base is None:
        return None
    if rel in ("last", "previous", "past", "prior", "recent"):
        if code == "WE" and dct.isoweekday() >= 6:
            p, why = base, "the weekend of publication"
        else:
            p, why = _step(code, base, -1), f"the {g['unit'].lower()} before the publication {g['unit'].lower()}"
    elif rel in ("next", "coming"):
        p, why = _step(code, base, 1), f"the {g['unit'].lower()} after the publication {g['unit'].lower()}"
    elif code == "WE" and rel == "this" and dct.isoweekday() < 6 and ctx.direction() == "past":
        # "became public this weekend" in a Monday paper: the weekend just gone
        p, why = _step(code, base, -1), "the weekend just before publication; the narration is past tense"
    elif rel in ("after next", "before last"):
        step = 2 if rel == "after next" else -2
        p, why = _step(code, base, step), f"two {g['unit'].lower()}s {'after' if step > 0 else 'before'} the publication one"
    elif "latest" in ctx.text[ctx.start:ctx.end].lower() or (rel == "the" and code == "Q"):
        p, why = _step(code, base, -1), f"the latest completed {g['unit'].lower()} at publication"
    elif code == "WE" and rel == "the":
        way = ctx.direction()
        if dct.isoweekday() >= 6:
            p = base
        elif way == "future" or (way == "near" and dct.isoweekday() >= 3):  # 'near': the nearer one
            p = base
        else:
            p = _step(code, base, -1)
        why = "the weekend nearest publication in the sentence's direction"
    else:
        p, why = base, f"the publication {g['unit'].lower()}"
    if p is None:
        return None
    mod = {"earlier": "START", "later": "END"}.get((g.get("pre") or "").lower())
    return Result("DATE", p.value, p, "publication", why, mod=mod)


def _recent_quarter(ctx: Ctx, lookback: int = 4) -> cal.Period | None:
    """A quarter among the last few dates named: financial reports compare with it."""
    for _, p, anchor in islice(reversed(ctx.history), lookback):
        if p.granularity == "quarter" and anchor != "previous":
            return p
    return None


def _year_ago(ctx: Ctx) -> Result | None:
    prev = _recent_quarter(ctx)
    if prev is not None:
        p = cal.shift(prev, -4)
        if p:
            return Result("DATE", p.value, p, "previous", f"a year before {prev.value}, named earlier")
    if ctx.dct is None:
        return unresolved("DATE", "a year before publication")
    p = cal.year(ctx.dct.year - 1)
    return Result("DATE", p.value, p, "publication", "the year before publication")


_UNIT_GRAN = {"Y": "year", "E": "year", "C": "year", "M": "month", "Q": "quarter", "W": "week", "2W": "week",
              "D": "day", "H": "time", "TM": "time", "S": "time"}


_UNIT_DAYS = {"D": 1, "W": 7, "2W": 14, "M": 30, "Q": 91, "Y": 365, "E": 3652, "C": 36524}
_GRAN_DAYS = {"week": 7, "month": 28, "quarter": 90, "season": 90, "half": 181, "year": 365, "decade": 3652,
              "century": 36524}


def h_offset(g: dict, ctx: Ctx) -> Result | None:
    n = parse_number(g.get("num")) if g.get("num") else "X"  # "days later": no stated size
    code = str(ctx.lookup("unit", g["unit"]) or "")
    if n is None or not code:
        return None
    d = " ".join(g["dir"].lower().split())
    back = d in ("ago", "earlier", "before", "back")
    if n == "X":
        if d in ("earlier", "later"):  # "a few weeks later" than a date named: after it, no finer
            base_p = ctx.previous()
            if base_p is not None and base_p.start is not None:
                return Result("DATE", base_p.value, base_p, "previous",
                              f"some {g['unit'].lower()} {d} than {base_p.value}, the date named before",
                              mod="BEFORE" if back else "AFTER")
        ref = "PAST_REF" if back else "FUTURE_REF"
        return Result("DATE", ref, None, "publication", f"an unspecified time {'before' if back else 'after'}")
    sign = -1 if back else 1
    from_prev = d in ("earlier", "later", "before", "after")
    base_p = ctx.previous(original=code in ("Y", "Q")) if from_prev else None
    if d == "ago" and code == "Y" and n == 1:
        q = _recent_quarter(ctx)
        if q is not None:
            p = cal.shift(q, -4)
            if p is not None:
                return Result("DATE", p.value, p, "previous", f"the same quarter a year before {q.value}, "
                              "the period the text is reporting on")
    if from_prev and code in ("Y", "E", "C"):
        s = _bc_story(ctx)
        if s is not None:  # a BC story has no interval, so no history: count from its year
            p = cal.year(s.year + sign * int(n * {"Y": 1, "E": 10, "C": 100}[code]))
            return Result("DATE", p.value, p, "previous", f"counted {d} from '{s.surface}' {s.where()}")
    if base_p is None and ctx.dct is None:
        return unresolved("DATE", "an offset from publication")
    months = {"Y": 12, "E": 120, "C": 1200, "Q": 3, "M": 1}.get(code)
    days = {"W": 7, "2W": 14, "D": 1}.get(code)
    unit_gran = _UNIT_GRAN.get(code, "day")
    if base_p is not None and base_p.start is not None and cal_rank(base_p.granularity) <= cal_rank(unit_gran) \
            and not (months and cal_rank(base_p.granularity) <= cal_rank("week")):
        # (months or years after a day: counted below, at the unit's precision, as from
        # publication: "two years earlier" than 28 June 1778 is 1776, not 1776-06-28; after a
        # quarter or a month they keep its precision: "a year earlier" than 1989-Q3 is 1988-Q3)
        per_year = cal.units_per_year(base_p.granularity)
        if months and per_year and (n * months * per_year) % 12 == 0:
            p = cal.shift(base_p, sign * int(n * months * per_year / 12))
        elif base_p.granularity == "day":
            delta = dt.timedelta(days=int(n * (days or 0))) if days else None
            if delta is None and months:
                y, m = cal.add_months(base_p.start.year, base_p.start.month, sign * int(n * months))
                p = cal.day_ymd(y, m, min(base_p.start.day, 28))
            else:
                p = cal.day(base_p.start + sign * delta) if delta else None
        else:
            p = None
        if p is not None:
            return Result("DATE", p.value, p, "previous", f"{format_number(n) if isinstance(n, Fraction) else n} "
                          f"{g['unit'].lower()} {d} {base_p.value}, the date named before")
    if base_p is not None and base_p.start is not None and cal_rank(base_p.granularity) > cal_rank(unit_gran) \
            and float(n) * _UNIT_DAYS.get(code, 1) < _GRAN_DAYS.get(base_p.granularity, 0):
        # "two days later" after "in 1955" (or "in June 1950"): some day in 1955, never 1955-01-03
        # (no invented precision); but "twenty years earlier" than the 1930s is not in them
        return Result("DATE", base_p.value, base_p, "previous",
                      f"within {base_p.value}, the date named before, which is only a {base_p.granularity}")
    base = ctx.dct if base_p is None or base_p.start is None else base_p.start
    anchor = "publication" if base_p is None else "previous"
    gran = _UNIT_GRAN.get(code, "day")
    if gran == "time":
        gran = "day"
    try:
        if months:
            total = n * months
            y, m = cal.add_months(base.year, base.month, sign * int(round(total)))
            if gran == "year" and total % 12 == 0:
                p = cal.year(y)
            elif gran == "quarter":
                p = cal.quarter(y, (m - 1) // 3 + 1)
            else:
                p = cal.month(y, m)
        else:
            delta = dt.timedelta(days=float(n * (days or 0))) if days else dt.timedelta(hours=float(n) if code == "H" else 0)
            dd = base + sign * delta
            p = cal.week(dd) if gran == "week" else cal.day(dd)
    except (OverflowError, ValueError):
        return None
    where = "publication" if anchor == "publication" else "the date named before"
    return Result("DATE", p.value, p, anchor, f"counted {d} from {where} ({base.isoformat()})")


def _within(inner: cal.Period, outer: cal.Period) -> bool:
    """Does ``inner`` lie inside ``outer`` (both with intervals)?"""
    return (inner.start is not None and inner.end is not None and outer.start is not None
            and outer.end is not None and outer.start <= inner.start and inner.end <= outer.end)


def _bc_story(ctx: Ctx) -> Story | None:
    """The story's anchor when it is a year before Christ (it has no interval, so relative
    expressions cannot count from the history of resolved dates), in a narrative; else None."""
    if ctx.doc_type != "narrative":
        return None
    s = _follow_story(ctx)
    return s if s is not None and s.period.start is None and s.year else None


def h_anaphor(g: dict, ctx: Ctx) -> Result | None:
    rel = (g.get("rel") or "same").lower()
    pre = (g.get("pre") or "").lower()
    unit = g["unit"].lower()
    step = {"next": 1, "following": 1, "previous": -1, "prior": -1}.get(rel, 0)
    part = ctx.lookup("part", unit)
    code = "D" if part else _unit_code(ctx, unit)
    bc = _bc_story(ctx)
    if bc is not None and code in ("Y", "M", "W", "D"):
        # a story before Christ: its dates have no interval, hence no history; count from its year
        if code == "Y":
            p = cal.year(bc.year + step)
            return Result("DATE", p.value, p, "previous", f"counted from '{bc.surface}' {bc.where()}")
        p = cal.year(bc.year)  # "the next day" in 480 BC: some day of that year, no invented precision
        return Result("DATE", p.value, p, "previous", f"a {_UNIT_GRAN[code]} within {p.value}, the story's year "
                      f"('{bc.surface}' {bc.where()})")
    prev = ctx.previous()
    gran = _UNIT_GRAN.get(code)
    if prev is not None and gran and cal_rank(prev.granularity) > cal_rank(gran):
        finer = ctx.previous(gran)
        # "that day" after "in 1987": some day in 1987, never 1987-01-01; nor a day named
        # before 1987 came up ("Thursday ... last October ... that same day" is in October)
        if finer is None or not _within(finer, prev):
            return Result("DATE", prev.value, prev, "previous",
                          f"a {gran} within {prev.value}, the date named before, which is only a {prev.granularity}")
        prev = finer
    anchor = "previous"
    if prev is None or prev.start is None:
        if ctx.dct is None:
            return unresolved("DATE", "refers to an earlier date")
        base_day, anchor = ctx.dct, "publication"
    else:
        base_day = prev.start
    base = _period_of(code, base_day)
    if base is None:
        return None
    p = _step(code, base, step) if step else base
    if p is None:
        return None
    if part and p.start:
        p = cal.time_of_day(p.start, None, None, part)
    mod = {"later": "END", "earlier": "START"}.get(pre)
    src = "the date named before" if anchor == "previous" else "publication (no earlier date in the text)"
    return Result("TIME" if part else "DATE", p.value, p, anchor, f"counted from {src}", mod=mod)


def h_ref(g: dict, ctx: Ctx) -> Result | None:
    v = str(ctx.lookup("ref", g["ref"]))
    word = normal_key(g["ref"])
    if word == "current" and next_word(ctx.text, ctx.end) in ("account", "accounts", "affairs", "events", "flows", "flow"):
        return None
    if word == "recent" and next_word(ctx.text, ctx.end) in ("years", "months", "weeks", "days"):
        return None
    return Result("DATE", v, None, "publication" if ctx.dct else "none",
                  {"PRESENT_REF": "the present", "PAST_REF": "some time in the past", "FUTURE_REF": "some time to come"}[v])


# ---------------------------------------------------------------- durations, sets, times
_DUR = {"Y": ("", "Y", 1), "E": ("", "Y", 10), "C": ("", "Y", 100), "M": ("", "M", 1), "Q": ("", "M", 3),
        "W": ("", "W", 1), "2W": ("", "W", 2), "D": ("", "D", 1), "H": ("T", "H", 1), "TM": ("T", "M", 1),
        "S": ("T", "S", 1)}


def duration_value(n, code: str) -> str | None:
    if code not in _DUR:
        return None
    t, letter, mult = _DUR[code]
    if n == "X":
        letter = {"E": "E", "C": "C"}.get(code, letter)
        return f"P{t}X{letter}"
    return f"P{t}{format_number(Fraction(n) * mult)}{letter}"


_PERIOD_AFTER_OF = re.compile(r"\s+of\s+(?:(?:the\s+)?(?:fiscal\s+|financial\s+|calendar\s+)?(?:year|\d{4}\b|'\d\d\b)|"
                              r"(?:this|last|next|that)\s+year)", re.I)


def _is_fraction_of(ctx: Ctx) -> bool:
    """"a quarter of X" is a share unless X is a year ("two quarters of 1990")."""
    tail = ctx.text[ctx.end:ctx.end + 40]
    return bool(re.match(r"\s+of\b", tail)) and not _PERIOD_AFTER_OF.match(tail)


def _quoted_title(ctx: Ctx) -> bool:
    """'CBS's "60 Minutes"', 'ABC's "This Week"': a title in quotes, every word capitalised."""
    if ctx.start == 0 or ctx.text[ctx.start - 1] not in "\"'`“‘":
        return False
    words = ctx.text[ctx.start:ctx.end].split()
    return len(words) > 1 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def h_duration(g: dict, ctx: Ctx) -> Result | None:
    if _quoted_title(ctx):
        return None
    code = str(ctx.lookup("unit", g["unit"]) or "")
    num = g.get("num")
    if num is None:
        n = "X" if g["unit"].lower().endswith("s") else Fraction(1)  # "decades-long" vs "day-long"
    else:
        n = parse_number(num)
    if n is None or not code:
        return None
    if g.get("half") and isinstance(n, Fraction):
        n += Fraction(1, 2)  # "a minute and a half"
    if code == "S" and num and normal_key(num) in ("a", "an"):
        return None  # "a second time", "a second term"
    if isinstance(n, Fraction) and (n <= 0 or n > 10000):
        return None
    if code == "Q" and isinstance(n, Fraction) and n >= 1000:
        return None  # "the 1988 quarter" is a date
    if code == "Q" and _is_fraction_of(ctx):
        return None  # "three-quarters of its food", "more than a quarter of the market": a share
    value = duration_value(n, code)
    if g.get("num2"):  # "two to three weeks", "12 to 18 months": at least the lower end
        n2 = parse_number(g["num2"])
        if not isinstance(n, Fraction) or not isinstance(n2, Fraction) or not n < n2:
            return None
        return Result("DURATION", value, None, "none", f"a length of time, {format_number(n)} to {format_number(n2)}",
                      granularity=None, mod="EQUAL_OR_MORE")
    return Result("DURATION", value, None, "none", "a length of time", granularity=None)


def h_set(g: dict, ctx: Ctx) -> Result | None:
    if g.get("adverb"):
        v = str(ctx.lookup("set_adverb", g["adverb"]))
        return Result("SET", v, None, "none", "a repeated time")
    unit = g.get("unit") or g.get("weekday")
    part = ctx.lookup("part", g.get("part")) if g.get("part") else None
    wd = ctx.lookup("weekday", unit) or ctx.lookup("weekday", (unit or "").rstrip("sS"))
    if wd:
        return Result("SET", f"XXXX-WXX-{wd}" + (f"T{part}" if part else ""), None, "none", "every such weekday")
    m = ctx.lookup("month", unit)
    if m:
        return Result("SET", f"XXXX-{m:02d}", None, "none", "every such month")
    s = ctx.lookup("season", unit)
    if s:
        return Result("SET", f"XXXX-{s}", None, "none", "every such season")
    code = str(ctx.lookup("unit", unit) or ctx.lookup("unit", (unit or "").rstrip("sS")) or "")
    num = g.get("num")
    n = 2 if num and num.lower() == "other" else (parse_number(num) if num else 1)
    if n is None or n == "X" or not code:
        return None
    return Result("SET", duration_value(n, code), None, "none", "a repeated time")


def h_time(g: dict, ctx: Ctx) -> Result | None:
    hour, minute = _int(g.get("hour")), _int(g.get("minute"))
    ampm = (g.get("ampm") or "").lower().replace(".", "")
    word = (g.get("clockword") or "").lower()
    part = g.get("part")
    matched = ctx.text[ctx.start:ctx.end]
    if hour is None and not word:
        hour = parse_number(g.get("hour"))  # "four in the morning"
        hour = int(hour) if isinstance(hour, Fraction) else None
        if hour is None:
            return None
    if word:
        hour, minute = (24, 0) if word == "midnight" else (12, 0)
    elif ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    elif part:
        p_ = part.lower()
        if p_ in ("afternoon", "evening") and hour < 12:
            hour += 12
    decimal = bool(re.match(r"\d{1,2}\.\d", matched)) and not (g.get("tz") or ampm or word or part)
    # the date part: written next to the time, else the publication day
    day_res, day_word = None, g.get("weekday") or g.get("deictic") or g.get("month")
    if g.get("weekday"):
        day_res = h_weekday({"weekday": g["weekday"]}, ctx)
    elif g.get("deictic"):
        day_res = h_deictic({"deictic": g["deictic"]}, ctx)
    elif g.get("month"):
        day_res = h_calendar({"month": g["month"], "day": g.get("day"), "year": g.get("year")}, ctx)
    if decimal:  # "12.30" without a.m./p.m. is more often a decimal number: keep only a date after it
        start = ctx.text.rfind(day_word, ctx.start, ctx.end) if day_res is not None and day_word else -1
        if start < 0:
            return None
        return replace(day_res, parts=[(start, ctx.end, day_res)])  # unresolved stays unresolved
    if day_res is not None and day_res.period is not None and day_res.period.start is not None:
        d, anchor, why = day_res.period.start, day_res.anchor, "on " + day_res.value
    elif ctx.dct is not None:
        prev = ctx.previous("day") if not _timestamp(ctx) else None
        if prev is not None and prev.granularity in ("day", "time") and prev.start:
            d, anchor, why = prev.start, "previous", "on the day named before"
        else:
            d, anchor, why = ctx.dct, "publication", "on the publication day"
    else:
        return unresolved("TIME", "a clock time without a date")
    p = cal.time_of_day(d, hour, minute or 0)
    tz = f" {g['tz'].upper()}" if g.get("tz") else ""
    return Result("TIME", p.value, p, anchor, f"{hour:02d}:{minute or 0:02d}{tz} {why}")


_LINE_START = re.compile(r"\n[ \t]*$")
_ENTRY_MARK = re.compile(r"[ \t]*[-\u2013\u2014|:][ \t]")


def _timestamp(ctx: Ctx) -> bool:
    """"14:30 - Zelensky says ...": a clock time opening a line and set off by a dash (a live
    report's entry time) is a time of the report's own day, not of the last day its entries
    named ("since the incursion began on 6 August")."""
    before = ctx.text[max(0, ctx.start - 4):ctx.start]
    opens = _LINE_START.search(before) is not None or (ctx.start <= 4 and not before.strip(" \t"))
    return opens and _ENTRY_MARK.match(ctx.text[ctx.end:ctx.end + 6]) is not None


def h_week_of(g: dict, ctx: Ctx) -> Result | None:
    """"the week of March 6": the ISO week holding that day, its year found as for the day."""
    r = h_calendar(g, ctx)
    if r is None or r.period is None or r.period.granularity != "day" or r.period.start is None:
        return r
    p = cal.week(r.period.start)
    return Result("DATE", p.value, p, r.anchor, f"the week of {r.period.value}; {r.why}")


def h_day_of_month(g: dict, ctx: Ctx) -> Result | None:
    """"the 28th of this month", "the 3rd of next month": a day of a month counted from publication."""
    if ctx.dct is None:
        return unresolved("DATE", "a day of a month relative to publication")
    day_ = _int(g["day"])
    step = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
    y, m = cal.add_months(ctx.dct.year, ctx.dct.month, step)
    p = cal.day_ymd(y, m, day_) if day_ else None
    if p is None:
        return None
    which = {0: "the publication month", -1: "the month before publication's", 1: "the month after publication's"}
    return Result("DATE", p.value, p, "publication", f"day {day_} of {which[step]}")


HANDLERS = {
    "week_of": h_week_of, "day_of_month": h_day_of_month,
    "calendar": h_calendar, "range": h_range, "numeric": h_numeric, "holiday": h_holiday,
    "deictic": h_deictic, "weekday": h_weekday, "relunit": h_relunit, "offset": h_offset,
    "anaphor": h_anaphor, "ref": h_ref, "duration": h_duration, "set": h_set, "time": h_time,
}
