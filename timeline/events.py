"""Sentence-level event mentions: a trigger word, its type, modality, time, actors and evidence.

The stage is a pure function of one document plus the timexes and actor mentions
already found in it (``extract_mentions``). Rules are data (``TRIGGERS``,
``MODALITY_CUES``); the functions below only apply them.

How a mention gets its time (``date_source``), first match wins:
  same_clause  a resolved DATE/TIME timex in the same sentence; the one in the trigger's
               clause, else the nearest to the trigger (character distance).
  narrative    none in the sentence: the time of the previous sentence, only inside the
               same paragraph and only when the sentence continues the story (it starts
               with a pronoun/demonstrative/"In that ..." or shares an actor with it).
  publication  a reporting verb (statement) in the lede paragraph with no time cue:
               news ledes report what was said on (or just before) publication day, so
               it is dated to the publication day with lower confidence. Later
               paragraphs often recall older statements, so there a bare "said" stays
               undated.
  none         undated: kept and listed, never placed on the axis at a made-up date.
A duration in "for the first time in nearly two years" also yields the *previous*
occurrence, dated publication/anchor minus the duration (month precision, mod APPROX).

Sentence segmentation: ``split_sentences`` is a regex splitter with an abbreviation
list, tested on "U.S.", quotes, initials and elisions. pysbd (``split_sentences_pysbd``,
same contract) is the field's rule-based library and gives identical spans on the
generated corpus, but bench/extract.py measured it ~30x slower (about 0.05 MB/s against
1.6-1.9 MB/s on one core): 10 minutes for the 10,000-article corpus on sentences alone.
So the pipeline uses the regex splitter.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from timeline.model import ActorMention, Document, EventActor, EventMention, Timex

# --------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int  # exclusive, trailing whitespace excluded
    text: str
    paragraph: int  # 0-based paragraph index in the document


#: Tokens that end with a period without ending a sentence (compared lowercased, no dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr adm sgt sen rep gov pres st jr sr rev hon
    amb sec no nos vol fig approx dept est inc ltd corp co vs etc al cf ca
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun""".split()
)
#: Words that may start a sentence right after an acronym like "U.S." (then it is a boundary).
SENTENCE_STARTERS = frozenset(
    """the a an he she it they we i you in on at but and this that these those there his her
    their its our however meanwhile after before during while when if according""".split()
)
_BOUNDARY = re.compile(r"""[.!?]+[)"'\u201d\u2019\]]*(?=\s+[("'\u201c\u2018\[]?[A-Z0-9])""")
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_PARA_SPLIT = re.compile(r"\n[ \t]*\n+|\n(?=[ \t]*[-*\u2022] )")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Blank lines separate paragraphs; a single newline does too when the line before
    ends like a sentence or is short (a headline) and the next line does not start in
    lowercase; otherwise it is a soft wrap."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_SPLIT.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        line_start = s
        for m in re.finditer(r"\n", text[s:e]):
            nl = s + m.start()
            line = text[line_start:nl].rstrip()
            nxt = text[nl + 1:nl + 2]
            if line and not nxt.islower() and (line[-1] in ".!?\"'\u201d\u2019:)" or len(line.split()) <= 12):
                out.append((line_start, nl))
                line_start = nl + 1
        out.append((line_start, e))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _is_boundary(text: str, dot: int, after: int) -> bool:
    """Decide whether the punctuation run at ``dot`` ends a sentence."""
    if text[dot] != ".":
        return True
    tok_m = _TOKEN_BEFORE.search(text, max(0, dot - 60), dot)
    token = tok_m.group(1) if tok_m else ""
    bare = token.strip("(\"'\u201c\u2018[").lower()
    if text.startswith("...", dot) or text[max(0, dot - 1)] == ".":
        # an elision "(...)" or "[...]" inside a quotation is not a boundary
        close = text[dot:after].rstrip()
        return not (bare.endswith("(") or bare.endswith("[") or close.endswith(")") and "(" in token)
    if bare in ABBREVIATIONS and not (bare in ("no", "nos") and not re.match(r"\s*\d", text[after:])):
        return False
    if len(bare) == 1 and bare.isalpha():  # an initial: "J. R. R. Tolkien"
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # an acronym: "U.S.", "U.K."
        nxt = re.match(r"\s*[(\"'\u201c\u2018]?([A-Za-z]+)", text[after:])
        return bool(nxt and nxt.group(1).lower() in SENTENCE_STARTERS)
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with character offsets into ``text`` (fast regex splitter)."""
    out: list[Sentence] = []
    for p_index, (ps, pe) in enumerate(_paragraph_spans(text)):
        start = ps
        for m in _BOUNDARY.finditer(text, ps, pe):
            if _is_boundary(text, m.start(), m.end()):
                _add_sentence(out, text, start, m.end(), p_index)
                start = m.end()
        _add_sentence(out, text, start, pe, p_index)
    return out


def _add_sentence(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    s, e = start + lead, start + len(chunk.rstrip())
    if e > s:
        out.append(Sentence(s, e, text[s:e], paragraph))


@lru_cache(maxsize=64)
def given_sentences(sentences_json: str) -> tuple[tuple[str, int, int, tuple[tuple[int, int], ...]], ...]:
    """A document's own segmentation (``Document.sentences``): (id, start, end, tokens)."""
    import json

    return tuple((str(sid), int(a), int(b), tuple((int(x), int(y)) for x, y in toks))
                 for sid, a, b, toks in json.loads(sentences_json))


def doc_sentences(doc) -> list[Sentence]:
    """The document's sentences: the source's own segmentation when it came with one
    (a TimeML ``<s>`` per sentence, each its own paragraph, as one sentence per line
    reads), else ``split_sentences``. Sentence indices in exports index this list."""
    if not doc.sentences:
        return split_sentences(doc.text)
    return [Sentence(a, b, doc.text[a:b], i) for i, (_sid, a, b, _t) in enumerate(given_sentences(doc.sentences))]


def sentence_ids(doc) -> list[str]:
    """Each ``doc_sentences`` entry's id: the source's (TimeML ``<s id>``) or its position."""
    if doc.sentences:
        return [sid for sid, _a, _b, _t in given_sentences(doc.sentences)]
    return [str(i) for i in range(len(split_sentences(doc.text)))]


def token_at(doc, offset: int) -> str | None:
    """The token holding character ``offset`` as the source tokenised it (TimeML), else
    the whitespace-delimited word there without surrounding punctuation."""
    if doc.sentences:
        for _sid, a, b, toks in given_sentences(doc.sentences):
            if a <= offset < b:
                for x, y in toks:
                    if x <= offset < y:
                        return doc.text[x:y]
        return None
    text = doc.text
    if not 0 <= offset < len(text) or text[offset].isspace():
        return None
    a, b = offset, offset
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    while b < len(text) and not text[b].isspace():
        b += 1
    word = text[a:b].strip(".,;:!?\"'()[]{}\u201c\u201d\u2018\u2019")
    return word or None


@lru_cache(maxsize=1)
def _pysbd_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences_pysbd(text: str) -> list[Sentence]:
    """The same contract with pysbd inside each paragraph (kept for comparison/benchmarks)."""
    out: list[Sentence] = []
    seg = _pysbd_segmenter()
    for p_index, (ps, pe) in enumerate(_paragraph_spans(text)):
        for span in seg.segment(text[ps:pe]):
            _add_sentence(out, text, ps + span.start, ps + span.end, p_index)
    return out


# --------------------------------------------------------------------------------------
# Triggers: lexicon (data) -> type
# --------------------------------------------------------------------------------------

#: Trigger patterns per event type (regex fragments, matched case-insensitively on word
#: boundaries). Multi-word and more specific patterns win over shorter overlapping ones.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "statement": (
        r"sa(?:y|ys|id)", r"stated", r"statements?", r"told", r"tells?",
        r"not(?:e|es|ed)", r"emphasi[sz](?:e|es|ed)", r"stress(?:es|ed)?", r"recall(?:s|ed)?",
        r"confirm(?:s|ed)?", r"announc(?:e|es|ed)", r"declar(?:e|es|ed)", r"add(?:s|ed)",
        r"reiterat(?:e|es|ed)", r"reaffirm(?:s|ed)?", r"claim(?:s|ed)?", r"insist(?:s|ed)?",
        r"expressed", r"speech(?:es)?", r"remarks", r"address(?:ed)? (?:to )?the",
        r"comment(?:s|ed)", r"wrote",
    ),
    "call_meeting": (
        r"(?:tele)?phone (?:call|conversation|talks?)s?", r"call with", r"calls with",
        r"(?:the|a|his|her|their|its|this|that|previous|first|recent|last week's|last week\u2019s) call",
        r"conversations?", r"sp(?:oke|oken|eaks|eak) (?:by (?:tele)?phone|with|to)", r"(?:tele)?phoned",
        r"picked up the phone", r"met", r"meets?",
        r"meetings?", r"summits?", r"visit(?:s|ed)?",
    ),
    "negotiation": (
        r"negotiat(?:e|es|ed|ing)", r"negotiations?", r"negotiators", r"peace talks", r"talks",
        r"round of (?:talks|negotiations)",
        r"talk(?:ed|ing)? (?:with|to)", r"mediat(?:e|ed|ion)", r"dialogue",
    ),
    "proposal": (
        r"propos(?:e|es|ed|al|als)", r"offer(?:s|ed)?", r"suggest(?:s|ed)?", r"peace plan",
        r"initiative", r"conditions for peace", r"peace terms",
    ),
    "demand": (
        r"demand(?:s|ed)?", r"call(?:s|ed)? (?:on|for)", r"urg(?:e|es|ed)", r"ultimatum",
    ),
    "refusal": (
        r"refus(?:e|es|ed|al)", r"reject(?:s|ed|ion)?", r"declin(?:e|es|ed) to", r"ruled? out",
        r"dismiss(?:es|ed)",
    ),
    "agreement": (
        r"agre(?:e|es|ed)", r"agreements?", r"(?:reached|signed|struck|sealed) (?:a|an|the) (?:\w+ )?deal",
        r"deal was (?:nearly )?reached", r"signed", r"accords?", r"treaty", r"ceasefire",
        r"truce", r"memorandum",
    ),
    "threat": (
        r"threat(?:en|ens|ened)?s?", r"warn(?:s|ed)?", r"ultimatums?",
    ),
    "military_action": (
        r"invasion", r"invad(?:e|es|ed)", r"attack(?:s|ed)?", r"strikes?", r"struck",
        r"shell(?:ed|ing)", r"bomb(?:ed|ing)", r"offensive", r"annex(?:ed|ation)",
        r"shot down", r"launched (?:\w+ )?(?:missiles|drones|rockets)", r"air ?raids?",
        r"hostilities",
    ),
    "vote_referendum": (
        r"referend(?:um|ums|a)", r"vot(?:e|es|ed|ing)", r"elections?", r"elected", r"ballot",
    ),
    "sanction": (
        r"sanction(?:s|ed)?", r"embargo(?:es)?", r"export ban",
    ),
    "aid_supply": (
        r"suppl(?:y|ies|ied|ying)", r"deliver(?:y|ies|ed|ing)?", r"(?:military|humanitarian|financial) aid",
        r"aid package", r"pledg(?:e|es|ed)", r"provid(?:e|es|ed|ing) (?:\w+ ){0,3}(?:weapons|arms|aid|missiles|tanks|ammunition)",
        r"send(?:s)? (?:\w+ ){0,2}(?:weapons|troops|arms)",
    ),
}
#: Reporting verbs: a statement whose subject is the speaker.
_STATEMENT_NOUNS = frozenset({"statement", "statements", "speech", "speeches", "remarks"})


@dataclass(frozen=True)
class Trigger:
    start: int  # offsets into the document text
    end: int
    text: str
    type: str


def _first_letters(pattern: str) -> set[str]:
    """Letters a trigger pattern can start with (enough regex parsing for TRIGGERS)."""
    if not pattern.startswith("(?:"):
        return {pattern[0].lower()}
    depth, i = 0, 0
    for i, ch in enumerate(pattern):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            break
    inner, rest = pattern[3:i], pattern[i + 1:]
    alts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "|" and depth == 0:
            alts.append(cur)
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")")
        cur += ch
    alts.append(cur)
    out = set().union(*(_first_letters(a) for a in alts if a))
    if rest.startswith("?"):
        out |= _first_letters(rest[1:].lstrip())
    return out


@lru_cache(maxsize=1)
def _trigger_regexes() -> dict[str, re.Pattern[str]]:
    """One anchored regex per first letter: at each word start only the patterns that
    can start with that letter are tried (much faster than one flat alternation)."""
    by_letter: dict[str, list[tuple[int, str]]] = {}
    for etype, pats in TRIGGERS.items():
        for i, pat in enumerate(pats):
            for letter in _first_letters(pat):
                by_letter.setdefault(letter, []).append((len(pat), f"(?P<{etype}__{i}>{pat})"))
    out = {}
    for letter, parts in by_letter.items():
        parts.sort(key=lambda p: -p[0])  # longer patterns first: "phone call" before "call with"
        rx = re.compile(r"(?:" + "|".join(p for _, p in parts) + r")\b", re.IGNORECASE)
        out[letter] = out[letter.upper()] = rx
    return out


_WORD_START = re.compile(r"\b[A-Za-z]")


def find_triggers(text: str, start: int = 0, end: int | None = None) -> list[Trigger]:
    """Event triggers in ``text[start:end]`` (non-overlapping, left to right)."""
    end = len(text) if end is None else end
    regexes = _trigger_regexes()
    out: list[Trigger] = []
    pos = start
    for w in _WORD_START.finditer(text, start, end):
        if w.start() < pos:
            continue
        rx = regexes.get(w.group(0))
        m = rx.match(text, w.start(), end) if rx is not None else None
        if m is None:
            continue
        etype = m.lastgroup.split("__")[0] if m.lastgroup else "statement"
        lead = _DETERMINER.match(m.group(0))  # "the call": the trigger is "call"
        s = m.start() + (lead.end() if lead else 0)
        out.append(Trigger(s, m.end(), text[s:m.end()], etype))
        pos = m.end()
    return out


_DETERMINER = re.compile(r"(?:the|a|his|her|their|its|this|that|previous|first|recent|last week['\u2019]s)\s+(?=\S)", re.IGNORECASE)


# --------------------------------------------------------------------------------------
# Clauses, modality
# --------------------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(
    r"""[;:()\u2014\u2013"\u201c\u201d]|,|\s-\s|\b(?:which|who|whom|where|whereas|while|but|although|because|that)\b"""
)


def clause_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """Clause-like chunks of a sentence (document offsets), split at punctuation and
    subordinators. Coarse on purpose: used to keep actors and times near their trigger."""
    spans = []
    pos = sentence.start
    for m in _CLAUSE_BREAK.finditer(sentence.text):
        cut = sentence.start + m.start()
        if cut > pos:
            spans.append((pos, cut))
        pos = sentence.start + m.end() if not m.group(0)[0].isalpha() else cut
    if sentence.end > pos:
        spans.append((pos, sentence.end))
    return spans


#: Modality cues (regex), checked in this order; the first that applies wins.
MODALITY_CUES: tuple[tuple[str, str, str], ...] = (
    # (modality, where, pattern) where = "before" (clause text before trigger), "sentence"
    ("refused", "before", r"\b(?:not|never|no|n't|refus\w*|reject\w*|declin\w*|den(?:y|ied|ies)|ruled out)\b(?:(?!\band\b)[^,;]){0,25}$"),
    ("proposed", "sentence", r"\bif\b.*\bwould\b|\bwould\b.*\bif\b"),
    ("proposed", "before", r"\b(?:offer\w*|propos\w*|suggest\w*)\b[^,;]{0,30}$"),
    ("planned", "before", r"\b(?:will|would|shall|plans? to|planned|intends? to|intention|expects? to|expected to|ready|readiness|prepared to|going to|set to|is to|are to|open to|hopes? to|aims? to|seeks? to)\b[^.;]{0,60}$"),
    ("reported", "sentence", r"\b(?:according to|reportedly|allegedly|claim(?:s|ed)?|reports? say)\b"),
)


def modality_of(sentence_text: str, before: str, etype: str) -> str:
    """Modality of a trigger from the clause text before it and the whole sentence."""
    for modality, where, pat in MODALITY_CUES:
        hay = before if where == "before" else sentence_text
        if re.search(pat, hay, re.IGNORECASE):
            if modality == "refused" and etype == "refusal" and not re.search(
                r"\b(?:not|never|no|n't|den(?:y|ied|ies))\b[^,;]{0,40}$", before, re.IGNORECASE
            ):
                continue  # "rejected" itself is the event; only a negated refusal is "refused"
            return modality
    if etype == "proposal":
        return "proposed"
    return "occurred"


# --------------------------------------------------------------------------------------
# Actors and roles
# --------------------------------------------------------------------------------------

_MULTI_PARTY = {"call_meeting", "negotiation", "agreement"}


def _event_actor(m: ActorMention, role: str) -> EventActor:
    return EventActor(m.actor_id, m.name, role, m.country, m.kind, m.resolved)


_PREPS = (r"with|between|against|by|to|on|from|of|for|in|at|and|according to|throughout|during|under|"
          r"after|before|since|over|about|into|toward|towards|than|like|among")
_PREP_BEFORE = re.compile(
    r"(?:^|.*\W)(" + _PREPS + r")\s+(?:the\s+)?(?:[A-Z][\w.'\u2019-]*\s+){0,3}$", re.IGNORECASE | re.DOTALL
)


def _prep_before(text: str, m: ActorMention, lo: int) -> str | None:
    """The preposition governing an actor mention ("with German Chancellor Olaf Scholz"
    -> "with"), allowing only capitalised title words in between; None = none."""
    window = text[max(lo, m.start - 50):m.start]
    pm = _PREP_BEFORE.match(window)
    if not pm:
        return None
    gap = window[pm.end(1):]
    if any(w[:1].islower() and w.lower() != "the" for w in gap.split()):
        return None  # lowercase word in between: the preposition governs something else
    return pm.group(1).lower()


def _roles_for(
    text: str, trig: Trigger, scope: tuple[int, int], mentions: list[ActorMention]
) -> tuple[list[EventActor], bool, ActorMention | None]:
    """Actors of one trigger from the actor mentions in its scope, whether a subject
    (speaker/agent) was found there, and the subject's mention (for the title)."""
    inside = [m for m in mentions if m.start >= scope[0] and m.end <= scope[1] and m.kind != "place"]
    out: list[EventActor] = []
    subject: ActorMention | None = None
    passive_agent = False
    subject_m: ActorMention | None = None
    for m in inside:
        prep = _prep_before(text, m, scope[0])
        if m.end <= trig.start:
            if prep is None:
                subject = m  # the nearest un-prepositioned actor left of the trigger
            elif prep == "and" and subject is not None:  # "Putin and Scholz agreed"
                out.append(_event_actor(m, _subject_role(trig.type)))
            elif prep == "according to":
                out.append(_event_actor(m, "speaker"))
            continue
        if prep == "by":
            out.append(_event_actor(m, "agent"))
            # passive right after the trigger: "proposed by Moscow" -> Moscow is the subject
            passive_agent = passive_agent or re.fullmatch(r"\s+by\s+(?:the\s+)?", text[trig.end:m.start]) is not None
            if passive_agent:
                subject_m = m
        elif prep in ("with", "between", "and") and trig.type in _MULTI_PARTY | {"proposal", "demand", "threat"}:
            out.append(_event_actor(m, "participant"))
        elif prep in ("against", "on", "to") or (prep is None and m.start - trig.end <= 12):
            out.append(_event_actor(m, "target"))
    if subject is not None and not passive_agent:
        out.insert(0, _event_actor(subject, _subject_role(trig.type)))
        subject_m = subject
    has_subject = subject_m is not None or any(a.role in ("agent", "speaker") for a in out)
    if trig.type in _MULTI_PARTY:
        out = [replace(a, role="participant") if a.role in ("agent", "target") else a for a in out]
    return _dedupe_actors(out), has_subject, subject_m


def _subject_role(etype: str) -> str:
    if etype == "statement":
        return "speaker"
    return "participant" if etype in _MULTI_PARTY else "agent"


def _dedupe_actors(actors: list[EventActor]) -> list[EventActor]:
    seen: dict[str, EventActor] = {}
    for a in actors:
        key = a.actor_id or "?" + a.name.lower()
        if key not in seen:
            seen[key] = a
    return list(seen.values())


_INTRO_CLAUSE = re.compile(r"^(?:in|during|at|after|before|following|amid|on)\b", re.IGNORECASE)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _quoted(text: str, lo: int, pos: int) -> bool:
    before = text[lo:pos]
    return before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d")


def sentence_subject(text: str, sent: Sentence, mentions: list[ActorMention]) -> ActorMention | None:
    """First actor in the sentence that is not governed by a preposition and not quoted."""
    for m in mentions:
        if not (sent.start <= m.start < sent.end) or m.kind == "place":
            continue
        if not _quoted(text, sent.start, m.start) and _prep_before(text, m, sent.start) is None:
            return m
    return None


# --------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------

_ANAPHORIC_START = re.compile(
    r"^(?:[\"\u201c]?)(?:he|she|it|they|this|that|these|those|there|then|in that|at that|at the|"
    r"during (?:the|that)|after (?:that|this)|the (?:official|two|leaders?|president|chancellor|minister|talks?|call|meeting|conversation)|"
    r"according to|adding|also)\b",
    re.IGNORECASE,
)
_GROUP_REFERENCE = re.compile(r"\b(?:their|the two (?:leaders|men|sides|presidents)|both (?:leaders|sides|men))\b", re.IGNORECASE)
_DEMONSTRATIVE_START = re.compile(r"^(?:in|at|during|after|since) (?:that|this|the same) \w+", re.IGNORECASE)
_FIRST_TIME_IN = re.compile(r"for the first time in\s+(?:nearly|almost|about|around|over|more than|some)?\s*$", re.IGNORECASE)


def _dated(t: Timex) -> bool:
    return t.type in ("DATE", "TIME") and t.resolved and t.range_start is not None and t.value is not None


def _duration_months(value: str | None) -> float | None:
    m = re.fullmatch(r"P(\d+(?:\.\d+)?)([YMW])", value or "")
    if not m:
        return None
    n = float(m.group(1))
    return {"Y": 12 * n, "M": n, "W": n / 4.345}[m.group(2)]


def _minus_months(day: dt.date, months: float) -> dt.date:
    total = day.year * 12 + (day.month - 1) - int(round(months))
    return dt.date(total // 12, total % 12 + 1, 1)


def previous_occurrence(anchor: Timex, duration: Timex, sentence_text: str) -> Timex | None:
    """"for the first time in nearly two years" -> the previous occurrence, about
    (anchor - duration), month precision, mod APPROX."""
    months = _duration_months(duration.value)
    if months is None or anchor.range_start is None:
        return None
    month = _minus_months(anchor.range_start, months)
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return Timex(
        start=duration.start, end=duration.end, text=duration.text, type="DATE",
        value=f"{month.year:04d}-{month.month:02d}", mod="APPROX", range_start=month,
        range_end=nxt - dt.timedelta(days=1), granularity="month", anchor="previous",
        rule="first_time_in_duration",
        explanation=(f"'{duration.text}' before {anchor.value} ('{anchor.text}') -> about "
                     f"{month.year:04d}-{month.month:02d}: the previous occurrence"),
    )


def publication_timex(published: dt.date) -> Timex:
    return Timex(
        start=-1, end=-1, text="", type="DATE", value=published.isoformat(),
        range_start=published, range_end=published, granularity="day", anchor="publication",
        rule="lede_reporting_verb",
        explanation=f"reporting verb in the lede without a time cue -> publication day {published.isoformat()}",
    )


# --------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------


def mention_id(doc_id: str, sent_start: int, trig: Trigger) -> str:
    raw = f"{doc_id}|{sent_start}|{trig.start}|{trig.text.lower()}"
    return "m_" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


_TITLE_CUT = re.compile(r"[,;:!?\"\u201c\u201d()]|(?<![A-Z])\.(?=\s|$)")


def _strip_timexes(text: str, lo: int, hi: int, timexes: list[Timex]) -> str:
    pieces, pos = [], lo
    for t in timexes:
        if t.start >= pos and t.end <= hi:
            pieces.append(re.sub(r"\b(?:in|on|at|during|since|by|from|until|throughout)\s+$", "", text[pos:t.start], flags=re.IGNORECASE))
            pos = t.end
    pieces.append(text[pos:hi])
    return re.sub(r"\s+", " ", "".join(pieces))


def make_title(text: str, sent: Sentence, trig: Trigger, subject: ActorMention | None,
               timexes: list[Timex], max_words: int = 12) -> str:
    """Extractive title: the subject as written, the words between it and the trigger
    when there are few, then the trigger and what follows up to the clause end;
    time expressions removed (the date is shown separately)."""
    cut = _TITLE_CUT.search(text, trig.end, sent.end)
    hi = cut.start() if cut else sent.end
    tail = _strip_timexes(text, trig.start, hi, timexes)
    head = ""
    if subject is not None:
        if subject.end <= trig.start:
            gap = _strip_timexes(text, subject.end, trig.start, timexes)
            head = subject.text + (gap if len(gap.split()) <= 4 and not _TITLE_CUT.search(gap) else " ")
        elif subject.start >= hi:
            head = ""
    words = (head + tail).split()
    if len(words) > max_words and subject is not None:
        words = (subject.name + " " + tail).split()  # shorten: canonical name, no gap words
    title = " ".join(words[:max_words])
    title = re.sub(r"\s+\b(?:in|on|at|during|of|and|the|a|to|for|with|by)$", "", title).strip(" ,;:-.\"'\u201c\u201d")
    return title[:1].upper() + title[1:] if title else trig.text


@dataclass
class _Antecedent:
    actors: list[EventActor]
    timex: Timex | None
    subject: ActorMention | None
    paragraph: int


def extract_mentions(doc: Document, timexes: list[Timex], actor_mentions: list[ActorMention],
                     sentences: list[Sentence] | None = None) -> list[EventMention]:
    """All event mentions of one document (pure). See the module doc for the rules."""
    text = doc.text
    sents = sentences if sentences is not None else split_sentences(text)
    actors = sorted((m for m in actor_mentions if m.kind != "place"), key=lambda m: m.start)
    tx = sorted(timexes, key=lambda t: t.start)
    lede = _lede_paragraph(sents)
    out: list[EventMention] = []
    prev_time: Timex | None = None
    prev_para = -1
    prev_keys: set[str] = set()
    last_person: ActorMention | None = None
    antecedents: dict[str, _Antecedent] = {}  # trigger lemma -> its last mention
    by_type: dict[str, _Antecedent] = {}  # event type -> last mention naming two or more actors
    for sent in sents:
        if _is_headline(sent):
            continue
        s_actors = [m for m in actors if sent.start <= m.start < sent.end]
        s_keys = {m.actor_id or m.name for m in s_actors}
        s_tx = [t for t in tx if sent.start <= t.start < sent.end]
        dated = [t for t in s_tx if _dated(t)]
        continues = prev_time is not None and (
            (sent.paragraph == prev_para
             and (_ANAPHORIC_START.match(sent.text) is not None or bool(s_keys & prev_keys)))
            or (sent.paragraph == prev_para + 1 and _DEMONSTRATIVE_START.match(sent.text) is not None)
        )
        clauses = clause_spans(sent)
        triggers = find_triggers(text, sent.start, sent.end)
        trig_clause = [_clause_index(clauses, t.start) for t in triggers]
        with_trigger = set(trig_clause)
        sent_subject = sentence_subject(text, sent, s_actors)
        for trig, ci in zip(triggers, trig_clause):
            scope = _scope(clauses, ci, with_trigger)
            ev_actors, has_subject, subject = _roles_for(text, trig, scope, s_actors)
            object_noun = _object_noun(text, sent, trig, subject)
            if object_noun:  # "Scholz condemned the invasion": Scholz did not invade
                ev_actors = [a for a in ev_actors if subject is None or actor_key_of(a) != (subject.actor_id or subject.name)]
                subject = None
            lemma = _lemma(trig.text)
            ante = antecedents.get(lemma)
            det = re.search(r"\b(the|that|this|his|her|its)\s+$", text[max(sent.start, trig.start - 6):trig.start], re.IGNORECASE)
            # "the negotiations" refers back within the paragraph; "that speech" also across it
            definite = det is not None and ante is not None and (
                ante.paragraph == sent.paragraph or det.group(1).lower() in ("that", "this"))
            if not has_subject and definite and ante is not None and not ev_actors:
                ev_actors, has_subject, subject = list(ante.actors), True, ante.subject
            elif not ev_actors and trig.type in by_type and _GROUP_REFERENCE.search(text, scope[0], scope[1]):
                # "their previous conversation", "the two leaders spoke": the parties named last time
                ev_actors, has_subject = list(by_type[trig.type].actors), True
            if not has_subject and not object_noun:
                fallback = _fallback_subject(text, sent, trig, clauses, ci, sent_subject, last_person)
                if fallback is not None:
                    ev_actors = _dedupe_actors([_event_actor(fallback, _subject_role(trig.type)), *ev_actors])
                    subject = subject or fallback
            timex, source = _time_for(trig, scope, dated, continues, prev_time, sent, lede, doc)
            if source in ("narrative", "publication", "none") and definite and ante is not None and ante.timex is not None:
                timex, source = _carried(ante.timex, "the same event named earlier in the paragraph"), "narrative"
            modality = modality_of(sent.text, text[scope[0]:trig.start], trig.type)
            conf = {"same_clause": 0.8, "narrative": 0.6, "publication": 0.5, "none": 0.4}[source]
            if source == "same_clause" and timex is not None and scope[0] <= timex.start < scope[1]:
                conf += 0.1  # the date sits in the trigger's own clause
            conf += 0.05 if any(a.resolved for a in ev_actors) else -0.1
            mention = EventMention(
                id=mention_id(doc.id, sent.start, trig), doc_id=doc.id, sent_start=sent.start,
                sent_end=sent.end, sentence=sent.text, trigger=trig.text, type=trig.type,
                modality=modality, title=make_title(text, sent, trig, subject, s_tx),
                actors=tuple(ev_actors), timex=timex, date_source=source,
                confidence=round(max(0.05, min(conf, 1.0)), 3), trigger_start=trig.start,
                trigger_end=trig.end,
            )
            out.append(mention)
            if ev_actors or timex is not None:
                antecedents[lemma] = _Antecedent(ev_actors, timex, subject, sent.paragraph)
            if len(ev_actors) >= 2:
                by_type[trig.type] = _Antecedent(ev_actors, timex, subject, sent.paragraph)
            prev = _previous_occurrence_mention(text, trig, timex, s_tx, mention)
            if prev is not None:
                out.append(prev)
        if dated:
            prev_time = dated[-1]  # the story continues from the last time it named
        elif not continues:
            prev_time = None
        prev_para = sent.paragraph
        prev_keys = s_keys
        if sent_subject is not None and sent_subject.kind == "person":
            last_person = sent_subject
    return out


_EVENT_NOUN = re.compile(
    r"(?:invasion|attacks?|strikes?|offensive|annexation|referend(?:um|ums|a)|elections?|sanctions|"
    r"treaty|agreements?|ceasefire|truce|proposals?|talks|negotiations|summit|meeting|call|conversation)$",
    re.IGNORECASE)


#: Verbs that take someone else's event as object ("condemned the invasion"), unlike
#: light verbs that carry the subject's own event ("signed the treaty", "held talks").
_STANCE_VERB = re.compile(
    r"\b(?:condemn|critici[sz]|welcom|denounc|prais|oppos|discuss|recall|describ|mention|"
    r"question|hail|decr[iy]|blam|protest|deplor|applaud)\w*\s+(?:\w+\s+)?(?:the|a|an)\s+(?:\w+\s+)?$",
    re.IGNORECASE)


def actor_key_of(a: EventActor) -> str:
    return a.actor_id or a.name


def _object_noun(text: str, sent: Sentence, trig: Trigger, subject: ActorMention | None) -> bool:
    """An event noun after "the/a/an" that is the object of a stance verb ("Scholz
    condemned the invasion", "Putin welcomed the talks"): the subject is not its doer,
    so neither that subject nor the fallback subject is attached."""
    if not _EVENT_NOUN.search(trig.text) or not re.search(
            r"\b(?:the|a|an)\s+(?:\w+\s+)?$", text[max(sent.start, trig.start - 20):trig.start], re.IGNORECASE):
        return False
    if subject is None:
        return False
    between = text[subject.end:trig.start]
    return _STANCE_VERB.search(between) is not None  # "condemned the", not "signed the"


def _lemma(trigger: str) -> str:
    """A crude stem so "proposal"/"proposed"/"proposals" and "negotiations"/"negotiate" meet."""
    w = trigger.lower().split()[-1]
    return re.sub(r"(?:als?|ations?|ed|es|s|ing|e)$", "", w)[:6]


def _fallback_subject(text: str, sent: Sentence, trig: Trigger, clauses: list[tuple[int, int]], ci: int,
                      sent_subject: ActorMention | None, last_person: ActorMention | None) -> ActorMention | None:
    """Who did it when the clause does not say: "He ..." -> the last person named as a
    subject; otherwise the sentence subject when it precedes the trigger, or follows an
    opening prepositional phrase ("In a call with X, Putin said")."""
    if _PRONOUN_BEFORE.search(text, max(sent.start, trig.start - 40), trig.start) and last_person is not None:
        return last_person
    if sent_subject is None or _unknown_subject(text, clauses[ci][0], trig):
        return None
    if sent_subject.end <= trig.start:
        return sent_subject
    clause_text = text[clauses[ci][0]:clauses[ci][1]].strip()
    if (_INTRO_CLAUSE.match(clause_text) and ci + 1 < len(clauses)
            and clauses[ci + 1][0] <= sent_subject.start < clauses[ci + 1][1]):
        return sent_subject
    return None


_FUNCTION_WORDS = frozenset(
    """also then later again once has have had was were is are be been being would will could should
    may might must not never it its he she they we i you the a an and or but that this these those
    which who as so yet still already just only then there here today yesterday""".split()
)


def _unknown_subject(text: str, clause_start: int, trig: Trigger) -> bool:
    """A reporting verb right after a common noun ("historians noted"): the speaker is
    someone the gazetteer does not know, so no other actor may be made the speaker."""
    if trig.type != "statement" or trig.text.lower() in _STATEMENT_NOUNS:
        return False
    words = re.findall(r"[A-Za-z\u2019']+", text[clause_start:trig.start])[-2:]
    return any(w.islower() and w not in _FUNCTION_WORDS and not w.endswith("ly") for w in words)


def _carried(t: Timex, why: str) -> Timex:
    return replace(t, explanation=(t.explanation + "; " if t.explanation else "") + "carried from " + why)


def _previous_occurrence_mention(text: str, trig: Trigger, timex: Timex | None,
                                 s_tx: list[Timex], mention: EventMention) -> EventMention | None:
    if timex is None:
        return None
    for d in s_tx:
        if d.type == "DURATION" and d.start > trig.end and _FIRST_TIME_IN.search(text[max(0, d.start - 60):d.start]):
            prev = previous_occurrence(timex, d, mention.sentence)
            if prev is None:
                return None
            return replace(
                mention, id=mention.id + "p", timex=prev, date_source="narrative",
                title=f"Previous: {mention.title}", confidence=round(mention.confidence * 0.7, 3),
            )
    return None


def _is_headline(sent: Sentence) -> bool:
    """A headline or caption: short and without closing punctuation. Its present tense
    ("Putin Reiterates ...") says nothing about when; the body has the same facts."""
    return len(sent.text.split()) <= 14 and sent.text.rstrip()[-1:] not in ".!?\"'\u201d\u2019"


def _lede_paragraph(sents: list[Sentence]) -> int:
    """The first paragraph that reads as prose (a headline is short and unpunctuated)."""
    for s in sents:
        if len(s.text.split()) >= 8 and s.text.rstrip()[-1:] in ".!?\"'\u201d\u2019":
            return s.paragraph
    return 0


def _clause_index(clauses: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(clauses):
        if s <= pos < e:
            return i
    return max(0, len(clauses) - 1)


def _scope(clauses: list[tuple[int, int]], ci: int, with_trigger: set[int]) -> tuple[int, int]:
    """The trigger's clause plus following clauses that have no trigger of their own
    (a participle like "initially interrupted by Kyiv" still belongs to it)."""
    if not clauses:
        return (0, 0)
    end = ci
    while end + 1 < len(clauses) and end + 1 not in with_trigger:
        end += 1
    return clauses[ci][0], clauses[end][1]


def _time_for(trig: Trigger, scope: tuple[int, int], dated: list[Timex], continues: bool,
              prev_time: Timex | None, sent: Sentence, lede: int, doc: Document
              ) -> tuple[Timex | None, str]:
    if dated:
        in_scope = [t for t in dated if t.start >= scope[0] and t.end <= scope[1]]
        pool = in_scope or dated
        best = min(pool, key=lambda t: min(abs(t.start - trig.end), abs(trig.start - t.end)))
        return best, "same_clause"
    if continues and prev_time is not None:
        return _carried(prev_time, "the previous sentence (same paragraph, same story)"), "narrative"
    if (trig.type == "statement" and sent.paragraph == lede and doc.published is not None
            and trig.text.lower() not in _STATEMENT_NOUNS):
        return publication_timex(doc.published), "publication"
    return None, "none"
