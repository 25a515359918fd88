"""One document -> actor mentions and event mentions, with the parser only where events can be.

``extract_events(doc, timexes, gazetteer_mentions, nlp, gazetteer)`` is pure: it reads
nothing but its arguments (the spaCy pipeline is passed in), so it runs the same in
process, in a test and on a Dask worker.

Which sentences are parsed (the parser is the cost; see bench/extract.py): the headline
and the lede paragraph, every sentence holding a resolved date, a sentence that continues
a dated one ("It ...", "Then ..."), and a sentence with a reporting verb and a name ("X
said ..."). Sentences with none of these can hold only undated background, which the
timeline would not show by default anyway. NER runs only on parsed sentences with a
proper noun that no gazetteer mention or time expression explains.

Of those, a sentence that can hold no event is tagged but not parsed (``Prepared.worth_parsing``):
an event needs an actor among its participants, and this sentence names none, and cannot
refer to one — no actor of the gazetteer but places, no proper noun the gazetteer does not
explain (so no open actor: NER and the bare-surname rule read only proper nouns), no pronoun
or referring noun ("he", "the company", "both sides": the words the frames resolve), and no
time expression or "the day after the talks" (which could date the sentences after it).
The frames would return nothing for it and change nothing they carry to the next sentence,
so the output is the same, without the parser's and the frames' time.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from timeline.actors import exclusions
from timeline.events import Sentence, _lede_paragraph, split_sentences
from timeline.gazetteer import Gazetteer
from timeline.model import ActorMention, Document, EventMention, Timex
from timeline.nlp.entities import _Spans, actor_lexicon, find_open_actors
from timeline.nlp.frames import (
    _NEAR_AN_EVENT, DocContext, Mentions, SentenceInfo, _comes_after, _dated, event_lexicon, frames_for_sentence,
    verb_lemma,
)
from timeline.nlp import titles
from timeline.nlp.salience import with_salience

PIPE_BATCH = 256  # sentences per nlp.pipe batch when documents are parsed together (bench/extract.py)
MAX_SENTENCE_CHARS = 1200  # longer "sentences" (tables, lists without punctuation) are cut for the parser


def _set_against(timexes: list, doc: Document) -> list:
    """Each expression through ``_comes_after``, with the latest day-precision date named
    before it, up to publication (what a past-tense "came a day after" counts from)."""
    lex, out, day = event_lexicon(), [], None
    for t in timexes:
        out.append(_comes_after(t, doc.text, doc.published, lex, day))
        if t.type == "DATE" and t.granularity == "day" and t.range_start is not None and (
                doc.published is None or t.range_start <= doc.published):
            day = t  # a day told as past ("said on Saturday"), not a plan ("will speak on Monday")
    return out


def split_datelines(sents: list[Sentence], timexes: list[Timex]) -> list[Sentence]:
    """A headline wrapped onto its dateline ("... contract\nMarch 01, 2008") is two
    sentences: the dateline is the publication date, not the date of the headline's event."""
    dates = {(t.start, t.end) for t in timexes}
    out: list[Sentence] = []
    for s in sents:
        if "\n" not in s.text:
            out.append(s)
            continue
        pieces, pos = [], 0
        for line in s.text.split("\n"):
            start = s.start + pos
            lead = len(line) - len(line.lstrip())
            core = line.strip()
            pos += len(line) + 1
            if core:
                pieces.append(Sentence(start + lead, start + lead + len(core), core, s.paragraph))
        if len(pieces) > 1 and any(
                any(a == p.start and b == p.end or (a >= p.start and b <= p.end and len(p.text) - (b - a) <= 3)
                    for a, b in dates) for p in pieces):
            out.extend(pieces)
        else:
            out.append(s)
    return out


# "NAIROBI, Aug. 16 (Reuters) - ", "KYIV (AP) — ", "Washington (AP) -- ": where and by whom,
# before the lede's first word. A place in capitals, or capitalised with a source in
# parentheses after it (a mixed-case name and a dash alone may be the sentence's subject:
# "Raila Odinga - the opposition leader - said"), an optional date, a dash.
_DATELINE_DAY = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?)"
# "MOSCOW, March 4 (Reuters) -", "Kyiv (AP) -", "Kyiv, 23 May 2025 -": a city in capitals, or
# in title case when an agency in brackets or a date follows it
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
    r"(?=[^\n]{0,40}\(|(?:,\s*[A-Z][a-z]+)?,\s*" + _DATELINE_DAY + r"\s*(?:-{1,2}|\u2013|\u2014)\s))"
    r"(?:,\s*[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2})?"
    r"(?:,?\s*" + _DATELINE_DAY + r")?"
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|\u2013|\u2014)\s+(?=[A-Z\"\u201c'])")


def strip_datelines(sents: list[Sentence], lede: int) -> list[Sentence]:
    """A sentence of the first paragraphs that opens with a dateline starts after it: the
    city and the agency are no subject of the lede's event."""
    out = []
    for s in sents:
        m = _DATELINE.match(s.text) if s.paragraph <= lede + 1 else None
        if m is not None and m.end() < len(s.text):
            s = Sentence(s.start + m.end(), s.end, s.text[m.end():], s.paragraph)
        out.append(s)
    return out


_WORD = re.compile(r"[a-z]+")


def _reports(text: str, forms: frozenset[str]) -> bool:
    """Cheap test before the parser: a reporting verb and a capitalised word that can be a
    name (the first word too, unless it is a common word: "Mulally predicted that ...")."""
    if not any(w in forms for w in _WORD.findall(text)):
        return False
    words = text.lstrip("\"\u201c'(").split()
    if not words:
        return False
    first = words[0].strip(",;:")
    return (any(w[:1].isupper() for w in words[1:])
            or (first[:1].isupper() and first.lower() not in _stop_words()))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def select_sentences(sents: list[Sentence], timexes: list[Timex]) -> list[int]:
    """Indices of the sentences worth parsing (see the module doc)."""
    lex = event_lexicon()
    lede = _lede_paragraph(sents)
    starts = [s.start for s in sents]
    has_date = [False] * len(sents)
    for t in timexes:
        if _dated(t):
            i = bisect.bisect_right(starts, t.start) - 1
            if 0 <= i < len(sents) and t.start < sents[i].end:
                has_date[i] = True
    keep = []
    last_dated = -10
    for i, s in enumerate(sents):
        low = s.text.lower().lstrip("\"\u201c'")
        cont = (i - last_dated <= 2 and sents[last_dated].paragraph == s.paragraph
                and any(low.startswith(w + " ") for w in lex.continuation))
        if has_date[i] or s.paragraph <= lede or cont or _reports(s.text, lex.reporting_forms):
            keep.append(i)
        if has_date[i]:
            last_dated = i
    return keep


@dataclass(frozen=True)
class Prepared:
    """What one document needs parsed, and what framing its parse needs: everything
    ``extract_events`` reads before the parser (``prepare``), so the parses of many
    documents can run as one ``nlp.pipe`` batch (``parse_many``) between the two halves."""

    doc: Document
    sents: list[Sentence]
    lede: int
    timexes: list[Timex]
    known: list[ActorMention]
    chosen: list[int]
    texts: list[str]
    starts: list[int]
    covered: list[tuple[int, int]]
    covered_starts: list[int]
    excluded: tuple[list[tuple[int, int]], set[str]]  # never actors: ``timeline.actors.exclusions``
    quiet: list[bool]  # per chosen sentence: no time expression, no actor of the gazetteer but places
    known_spans: _Spans  # of ``known``

    def need_ner(self, k: int, sdoc) -> bool:
        return _unknown_names(sdoc, self.starts[k], self.covered, self.covered_starts)

    def worth_parsing(self, k: int, sdoc) -> bool:
        """Can the tagged sentence ``k`` hold an event (see the module doc)? Asked before the parser."""
        if not self.quiet[k]:
            return True
        from spacy.attrs import IDX, LOWER, TAG

        strings = sdoc.vocab.strings
        proper = {strings["NNP"], strings["NNPS"]}
        referring = _referring_words()
        base = self.starts[k]
        for tag, low, idx in sdoc.to_array([TAG, LOWER, IDX]).tolist() if len(sdoc) else ():
            if low in referring:
                return True
            if tag in proper and not self.known_spans.overlaps(base + idx, base + idx + 1):
                return True  # a proper noun the gazetteer does not name (those it names here are places)
        return False


def prepare(doc: Document, timexes: list[Timex], known: list[ActorMention], gazetteer: Gazetteer,
            sentences: list[Sentence] | None = None,
            excluded: tuple[list[tuple[int, int]], set[str]] | None = None) -> Prepared:
    """The first half of ``extract_events``: the sentences, which of them to parse, and
    the spans the gazetteer and the temporal engine already explain."""
    sents = sentences if doc.sentences and sentences is not None else split_datelines(
        sentences if sentences is not None else split_sentences(doc.text), timexes)
    lede = _lede_paragraph(sents)
    sents = strip_datelines(sents, lede)
    # "comes a day after X did Y" dates X's act: read once, for choosing sentences and framing them
    timexes = _set_against(timexes, doc)
    chosen = select_sentences(sents, timexes)
    covered = sorted([(m.start, m.end) for m in known] + [(t.start, t.end) for t in timexes])
    actors = _Spans((m.start, m.end) for m in known if m.kind != "place")
    times = _Spans((t.start, t.end) for t in timexes)
    quiet = [not actors.overlaps(sents[i].start, sents[i].end) and not times.overlaps(sents[i].start, sents[i].end)
             and _NEAR_AN_EVENT.search(sents[i].text) is None for i in chosen]
    return Prepared(doc=doc, sents=sents, lede=lede, timexes=timexes, known=known, chosen=chosen,
                    texts=[sents[i].text[:MAX_SENTENCE_CHARS] for i in chosen], starts=[sents[i].start for i in chosen],
                    covered=covered, covered_starts=[c[0] for c in covered],
                    excluded=excluded if excluded is not None else exclusions(doc, gazetteer), quiet=quiet,
                    known_spans=_Spans((m.start, m.end) for m in known))


def extract_events(doc: Document, timexes: list[Timex], known: list[ActorMention], nlp,
                   gazetteer: Gazetteer, sentences: list[Sentence] | None = None
                   ) -> tuple[list[ActorMention], list[EventMention]]:
    """All actor mentions (gazetteer + open) and event mentions of one document.
    ``sentences``: the document's own segmentation when it came with one (kept as given)."""
    prep = prepare(doc, timexes, known, gazetteer, sentences)
    return finish(prep, parse(nlp, prep.texts, prep.need_ner, worth_parsing=prep.worth_parsing), gazetteer)


def parse_many(nlp, preps: list[Prepared]) -> list[list]:
    """The parses of several documents' chosen sentences, as one batch (``parse``): the
    networks run on bigger matrices, spaCy's per-batch costs are paid once. (A sentence's
    tensors may differ in the last bits with the other sentences of its batch: README,
    "Decisions", on OpenBLAS.) None for a sentence not worth parsing."""
    texts, owner = [], []
    for p in preps:
        texts.extend(p.texts)
        owner.extend((p, k) for k in range(len(p.texts)))
    sdocs = parse(nlp, texts, lambda j, d: owner[j][0].need_ner(owner[j][1], d), batch_size=PIPE_BATCH,
                  worth_parsing=lambda j, d: owner[j][0].worth_parsing(owner[j][1], d))
    out, pos = [], 0
    for p in preps:
        out.append(sdocs[pos:pos + len(p.texts)])
        pos += len(p.texts)
    return out


def finish(prep: Prepared, sdocs: list, gazetteer: Gazetteer) -> tuple[list[ActorMention], list[EventMention]]:
    """The second half of ``extract_events``: open actors and frames from the parses
    (``sdocs``: one per chosen sentence, in order)."""
    doc, sents, lede, timexes = prep.doc, prep.sents, prep.lede, prep.timexes
    parsed = [(start, d) for start, d in zip(prep.starts, sdocs) if d is not None]  # None: not worth parsing
    chosen = [i for i, d in zip(prep.chosen, sdocs) if d is not None]
    spans, names = prep.excluded
    known = [m for m in prep.known if not _currency(doc.text, m)]
    open_mentions, replaced = find_open_actors(doc, parsed, known, gazetteer, spans, names, actor_lexicon())
    known = [m for m in known if (m.start, m.end) not in replaced]
    actors = sorted([*known, *open_mentions], key=lambda m: (m.start, m.end))
    ctx = DocContext(doc=doc, actors=Mentions(m for m in actors if m.kind != "place"), pronouns=actor_lexicon().pronouns,
                     gazetteer=gazetteer, sentence_starts=[s.start for s in sents])
    titles.set_short_names(actors)
    tx_sorted = sorted(timexes, key=lambda t: t.start)
    tx_starts = [t.start for t in tx_sorted]
    out: list[EventMention] = []
    for (base, sdoc), i in zip(parsed, chosen):
        s = sents[i]
        info = SentenceInfo(index=i, start=s.start, end=s.end, text=s.text, paragraph=s.paragraph,
                            lede=s.paragraph <= lede)
        end = s.start + min(len(s.text), MAX_SENTENCE_CHARS)
        s_tx = [t for t in tx_sorted[bisect.bisect_left(tx_starts, s.start):bisect.bisect_left(tx_starts, end)]
                if t.end <= end]
        out.extend(frames_for_sentence(info, sdoc, s_tx, ctx))
    out = headline_dates(out, sents, parsed, chosen, doc)
    return actors, [with_salience(m) for m in _unique(out)]


HEADLINE_LEDE_SENTENCES = 4  # the headline's event is told again in the first sentences after it
HEADLINE_MAX_DAYS = 7  # ... with a date within the week before publication


def headline_dates(out: list[EventMention], sents: list[Sentence], parsed: list, chosen: list[int],
                   doc: Document) -> list[EventMention]:
    """A present-tense headline ("Northwind buys Zephyr") is dated on the publication day
    only for want of a date; when the lede tells the same event (same verb, or same event
    type, and a shared participant) with its own recent date ("bought ... on Tuesday"), the
    headline's event is that one and takes its date, so the two are one event, not two days."""
    if doc.published is None or not sents or sents[0].text.rstrip()[-1:] in ".!?\"'\u201d\u2019":
        return out
    head = sents[0]
    # (undated too, if told as done: "Brazil's top court bars Bolsonaro from office until 2030"
    # -- a time in the headline that dates no act there still leaves the act the lede's date;
    # not "X to buy Y", which the headline announces, not reports)
    heads = [m for m in out if m.sent_start == head.start and (
        m.date_source == "publication" or (m.timex is None and m.modality == "occurred"))]
    if not heads:
        return out
    last = sents[min(HEADLINE_LEDE_SENTENCES, len(sents) - 1)].end
    oldest = doc.published - dt.timedelta(days=HEADLINE_MAX_DAYS)
    body = [m for m in out if head.end <= m.sent_start < last and m.date_source == "same_clause"
            and m.timex is not None and m.timex.granularity in ("day", "time") and m.timex.range_start is not None
            and oldest <= m.timex.range_start <= doc.published]
    if not body:
        return out
    lex = event_lexicon()
    lemmas = {base + t.idx: verb_lemma(t, lex) for (base, sdoc), i in zip(parsed, chosen)
              if i <= HEADLINE_LEDE_SENTENCES for t in sdoc}

    def doers(m: EventMention) -> set[str]:
        return {a.actor_id or a.name for a in m.actors if a.role != "mentioned"}

    def subjects(m: EventMention) -> set[str]:  # who does it, not to whom ("Northwind buys Zephyr")
        return {a.actor_id or a.name for a in m.actors if a.role in ("agent", "speaker", "participant")}

    def named(m: EventMention) -> set[str]:  # ("Apple unveils" told as "Apple chief executive Jobs unveiled")
        return {a.actor_id or a.name for a in m.actors}

    # the lede's first sentence: a headline tells its main event in other words as often as
    # in the same ("Adobe abandons Figma deal" / "Adobe and Figma said on Monday they had
    # agreed to end their merger"; "Daihatsu halts production" / "... said on Wednesday it
    # would suspend shipments"): there the same doer is enough
    lede = next((s for s in sents[1:] if len(s.text.split()) >= 8 and s.text.rstrip()[-1:] in ".!?\"'\u201d\u2019"),
                None)
    swap: dict[str, EventMention] = {}
    for h in heads:
        same = next((b for b in body if doers(h) & named(b) and (
            lemmas.get(h.trigger_start) == lemmas.get(b.trigger_start) or (h.type == b.type and h.type != "other"))), None)
        if same is None and lede is not None:
            same = next((b for b in body if b.sent_start == lede.start and b.clause == "main" and subjects(h) & subjects(b)),
                        None)
        if same is not None:
            t = same.timex
            why = f"the headline's event, told with its date in the lede ('{t.text}')"
            swap[h.id] = replace(h, timex=replace(t, explanation=f"{t.explanation}; {why}" if t.explanation else why),
                                 date_source="narrative")
    return [swap.get(m.id, m) for m in out]


@lru_cache(maxsize=1)
def _referring_words() -> frozenset[int]:
    """Words through which a sentence without a name can still refer to an actor: the
    pronouns and the nouns the frames resolve ("the company", "both sides"), as the
    hashes spaCy gives their lower-case forms."""
    from spacy.strings import hash_string

    ev = event_lexicon()
    words = set(actor_lexicon().pronouns) | set(ev.definite_nouns) | set(ev.group_nouns) | {"they", "their", "them"}
    return frozenset(hash_string(w) for w in words)


def _unknown_names(sdoc, base: int, covered: list[tuple[int, int]], starts: list[int]) -> bool:
    """Does the tagged sentence hold a proper noun that no gazetteer mention or time
    expression explains? Only then can NER find a new actor in it. (``starts``: the
    covered spans' starts, computed once per document; tags and offsets are read as one
    integer array, not token by token.)"""
    from spacy.attrs import IDX, TAG

    proper = {sdoc.vocab.strings["NNP"], sdoc.vocab.strings["NNPS"]}
    for tag, idx in sdoc.to_array([TAG, IDX]).tolist() if len(sdoc) else ():
        if tag not in proper:
            continue
        pos = base + idx
        j = bisect.bisect_right(starts, pos) - 1
        if j >= 0 and covered[j][0] <= pos < covered[j][1]:
            continue
        return True
    return False


def parse(nlp, texts: list[str], need_ner=None, batch_size: int = 64, worth_parsing=None) -> list:
    """``nlp.pipe`` component by component, with NER only on the texts that need it:
    ``need_ner(k, doc)`` is asked after tagging (NER is half the cost and finds nothing
    new in a sentence whose proper nouns the gazetteer already explains).
    ``worth_parsing(k, doc)``, asked after tagging too: False leaves text ``k`` out of the
    parser and everything after it, and its place in the result is None."""
    from timeline.nlp.model import fast_components, numpy_blas

    fast = fast_components(nlp)
    blas = numpy_blas(nlp)
    if blas is not None:
        blas.pin()
    docs = [nlp.make_doc(t) for t in texts]
    live = list(range(len(docs)))
    for name, proc in nlp.pipeline:
        if name == "parser" and worth_parsing is not None:
            live = [i for i in live if worth_parsing(i, docs[i])]
        if name == "ner" and need_ner is not None:
            run = [i for i in live if need_ner(i, docs[i])]
        else:
            run = live
        if fast.get(name) is not None:
            out = [fast[name](docs[i]) for i in run]
        else:
            out = list(proc.pipe([docs[i] for i in run], batch_size=batch_size))
        for i, d in zip(run, out):
            docs[i] = d
    kept = set(live)
    return [d if i in kept else None for i, d in enumerate(docs)]


def _currency(text: str, m: ActorMention) -> bool:
    """"US$40 billion", "A$5m": a country code glued to a currency sign is money, not an actor."""
    return m.kind == "state" and text[m.end:m.end + 1] == "$"


def _unique(mentions: list[EventMention]) -> list[EventMention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.id in seen:
            m = replace(m, id=m.id + "b")
        seen.add(m.id)
        out.append(m)
    return out
