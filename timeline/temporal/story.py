"""The story's own time: document type (news or narrative) and the narrative anchor.

A news article tells its events relative to the day it was published ("on Friday",
"last week"); a history text or a background paragraph tells them relative to the
last date it wrote in full ("In 1954 ... On November 12 ... The next year ...").
:func:`detect_doc_type` guesses which kind a text is from cheap surface cues; the
engine keeps the last fully written year as the story's anchor (:class:`Anchor`),
and the resolver leans on it for expressions that carry no year of their own:

* in a **narrative**, always (when an anchor precedes the expression);
* in **news**, only for a background passage: an anchor a few sentences back in the
  same or the previous paragraph, and a sentence that does not look ahead. Reporting-clause
  expressions ("on Friday", "last week", "today") are never anchored to the story:
  weekdays and deictic words always count from the publication date in news.

The cue words (reporting verbs, dateline agencies) are data in ``resources/<lang>.yaml``
under ``story``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from timeline.temporal import calendar as cal

DOC_TYPES = ("news", "narrative")
NEWS_REACH = 3  # in news, a bare date follows a written year at most this many sentences back (this or the last paragraph)

_YEAR = re.compile(r"(?<![\w$£€¥#/.,:+-])(1[0-9]\d\d|20\d\d)(?![\w%]|,\d|\.\d|-\d)")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Anchor:
    """The last date written with its year: what a yearless date in the story follows."""

    surface: str
    period: cal.Period
    start: int


@dataclass(frozen=True, slots=True)
class Story:
    """What a handler sees of the anchor from where it stands (hashable, for the memo)."""

    surface: str
    period: cal.Period
    sentences_back: int  # 0 = same sentence; capped at 9
    same_paragraph: bool
    paragraphs_back: int = 0  # 0 = the same paragraph; capped at 9

    @property
    def year(self) -> int | None:
        return self.period.start.year if self.period.start else _year_of_value(self.period.value)

    def where(self) -> str:
        """'two sentences earlier', for explanations."""
        if not self.same_paragraph:
            return "in an earlier paragraph"
        n = self.sentences_back
        if n == 0:
            return "earlier in the same sentence"
        words = {1: "one sentence", 2: "two sentences", 3: "three sentences"}
        return f"{words.get(n, f'{n} sentences' if n < 9 else 'several sentences')} earlier"


def _year_of_value(value: str) -> int | None:
    m = re.match(r"(BC)?(\d{4})", value)
    if not m:
        return None
    return -int(m.group(2)) if m.group(1) else int(m.group(2))


class Tracker:
    """Sentence and paragraph positions of one text, for distances to the anchor."""

    def __init__(self, text: str, break_ends: list[int]):
        self.break_ends = break_ends
        self.paragraphs = [m.start() for m in _PARAGRAPH.finditer(text)]
        self.anchor: Anchor | None = None

    def set_anchor(self, surface: str, period: cal.Period, start: int) -> None:
        self.anchor = Anchor(surface, period, start)

    def story(self, start: int) -> Story | None:
        a = self.anchor
        if a is None:
            return None
        back = bisect.bisect_right(self.break_ends, start) - bisect.bisect_right(self.break_ends, a.start)
        pars = bisect.bisect_right(self.paragraphs, start) - bisect.bisect_right(self.paragraphs, a.start)
        return Story(a.surface, a.period, min(back, 9), pars == 0, min(pars, 9))


_LOOK_BACK = re.compile(r"\b(?:since|until|till|as(?: of| in)?|had(?:\s+\w+){0,3})\W{0,3}(?:\w+\W{1,3}){0,2}$", re.I)
_LOOK_AHEAD = re.compile(r"\b(?:will|would|planned|projected|scheduled|expected|due|intended)\b(?:\W+\w+){0,4}\W+$"
                         r"|\b(?:until|till)\s(?:[\w'’-]+\s){0,6}$", re.I)  # "lasted until the fall of Budapest in"


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|his|her|their|our)\s$", re.I)
_LOWER_WORD_AFTER = re.compile(r"\s(?-i:[a-z])")


def is_aside(text: str, start: int, sentence_start: int, end: int | None = None) -> bool:
    """Is this written date an aside in a story rather than a step of it? A look ahead
    ("a push planned for 1976"), a look back ("since 1614", "as in 1614", "had met, in
    1614": past perfect) or a reference point ("as of December 5, 2006"): the words just
    before it in its sentence say so. With ``end``, also a date used as an adjective of a
    thing ("the 1614 rules", "his 1995 book", "the August 1792 uprising") or a bare year
    in parentheses after a name ("the Civil Constitution of the Clergy (1790)", "the Reign
    of Terror (1793-1794)"): it names the thing, not the story's time. The story keeps
    its own year across asides."""
    window = text[max(sentence_start, start - 40):start]
    if _LOOK_AHEAD.search(window) or _LOOK_BACK.search(window):
        return True
    if end is None:
        return False
    if _DETERMINER_BEFORE.search(text, max(0, start - 6), start) and _LOWER_WORD_AFTER.match(text, end):
        return True
    return (text[start - 1:start] == "(" and text[end:end + 1] == ")" and _BARE_YEARS.fullmatch(text, start, end)
            is not None and _WORD_BEFORE_PAREN.search(text, max(0, start - 3), start) is not None)


_BARE_YEARS = re.compile(r"\d{3,4}(?:\s?[-–]\s?\d{2,4})?")
_WORD_BEFORE_PAREN = re.compile(r"\w\s?\($")


def writes_year(surface: str) -> bool:
    """Does this expression write its year out (digits, or a year with an era)?"""
    return bool(re.search(r"\d{3,4}|\b(?:BC|BCE|AD|CE)\b|B\.C\.|A\.D\.", surface))


# ---------------------------------------------------------------- document type
@lru_cache(maxsize=4)
def _cues(language: str) -> tuple[frozenset, re.Pattern]:
    import yaml

    from timeline.temporal.grammar import RESOURCES

    path = RESOURCES / f"{language}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    story = (data or {}).get("story") or {}
    cues = frozenset(w.lower() for w in story.get("news_words", ()))
    agencies = "|".join(re.escape(a) for a in story.get("dateline_agencies", ())) or "AP"
    # "THE HAGUE, Netherlands (AP)_", "KYIV, Ukraine -", "(Reuters) -": a place in capitals or an agency
    dateline = re.compile(r"\A\s*(?:[^\n]{0,80}\((?:" + agencies + r")\)|[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3},"
                          r"[^\n]{0,40}?[-–—_:]|[A-Z][A-Z.'-]{2,}(?: [A-Z][A-Z.'-]+){0,3}\s*[-–—_:])")
    return cues, dateline


_ERA = re.compile(r"(?:BCE?|B\.C\.|AD|A\.D\.)(?!\w)")  # an era token; a year must touch it (_era_years)


def _era_years(text: str) -> int:
    """How many years are written with an era: "44 BC", "300BC", "AD 79", "A.D. 800"."""
    n = 0
    for m in _ERA.finditer(text):
        a = m.start()
        before = text[max(0, a - 2):a]
        if (before[-1:].isdigit() or (before[-1:] == " " and before[:1].isdigit())) or \
                (m.group(0).startswith("A") and text[m.end():m.end() + 2].strip()[:1].isdigit()):
            n += 1
    return n


@dataclass(frozen=True)
class DocTypeEvidence:
    doc_type: str
    years: int  # explicit years written in the text
    old_share: float  # share of them at least 5 years before publication (or the text's latest year)
    density: float  # written years per sentence
    news_rate: float  # reporting verbs and publication-relative day words per sentence
    dateline: bool

    def why(self) -> str:
        return (f"{self.doc_type}: {self.years} written years ({self.density:.2f} a sentence, "
                f"{self.old_share:.0%} 5+ years before the reference), {self.news_rate:.2f} reporting "
                f"or day words a sentence, {'a' if self.dateline else 'no'} dateline")


DETECT_CHARS = 20_000  # the genre shows in the opening: detection reads at most this much


def doc_type_evidence(text: str, published: dt.date | None = None, language: str = "en") -> DocTypeEvidence:
    """The cues behind :func:`detect_doc_type`, for explanations and tests (read from the
    first ``DETECT_CHARS`` characters, so the cost is bounded whatever the length)."""
    text = text[:DETECT_CHARS]
    cues, dateline_rx = _cues(language)
    dateline = bool(dateline_rx.match(text[:300]))
    years = [int(y) for y in _YEAR.findall(text)]
    era = _era_years(text)  # BC/AD years: far in the past for any news
    ref = published.year if published else (max(years) if years else None)
    old = era + sum(1 for y in years if ref is not None and y <= ref - 5)
    n = len(years) + era
    share = old / n if n else 0.0
    sentences = max(1, len(re.findall(r"[.!?](?:\s|$)", text)))
    low = text.lower()  # a cue is counted where a word starts with it (one C-level count per cue)
    rate = sum(low.count(" " + w) + low.startswith(w) for w in cues) / sentences
    density = n / sentences
    narrative = not dateline and rate < 0.25 and (
        (n >= 3 and (share >= 0.5 or (n >= 6 and density >= 0.3)))
        or (n >= 1 and rate == 0 and (share == 1.0 or published is None)))  # a short passage about the past
    return DocTypeEvidence("narrative" if narrative else "news", n, share, density, rate, dateline)


def detect_doc_type(text: str, published: dt.date | None = None, language: str = "en") -> str:
    """"news" or "narrative" (history, encyclopaedic background, a timeline of events).

    Narrative when the text has no dateline, writes at least three years, of which half
    or more lie five or more years before publication (before its own latest year when
    the publication date is unknown) or (six or more) which come at 0.3 or more a sentence, and rarely
    reports speech or counts from the publication day (under one reporting verb,
    weekday or "today"/"yesterday" in four sentences); or, for a short passage, when
    every year it writes is that old and it never reports or counts from the
    publication day. Anything else is news, the product's default.
    """
    if not isinstance(text, str) or not text:
        return "news"
    return doc_type_evidence(text, published, language).doc_type
