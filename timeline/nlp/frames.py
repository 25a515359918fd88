"""Events from the dependency parse: a predicate, its participants, the time that governs it.

For each parsed sentence:

* **Which predicates.** The predicate that each resolved time expression modifies
  (walk up from the expression's head to the first verb, or to an event noun such as
  "talks", "call", "referendum"), and the sentence's main predicate (its root and the
  verbs coordinated with it). Stative verbs ("be", "have", "seem") are never events on
  their own. A reporting verb ("said") is one event whose title carries what was said;
  the reported clause becomes an event of its own only when it has its own date
  ("X said on Friday that Y happened in June" -> two events, two dates).
* **Who.** Subject = agent (speaker for reporting verbs, participant for meetings and
  talks); passive subject = target and the "by" phrase the agent; objects and
  prepositional complements = the others. An actor is any actor mention inside an
  argument's phrase (subordinate clauses excluded). A missing subject is taken from the
  governing verb ("agreed to buy": the buyer agreed); "he"/"it"/"the company" from the
  last actor mention of a fitting kind before it.
* **When.** The time expression that modifies the predicate or its clause
  (``same_clause``), not the nearest in the sentence. Without one: the main clause of a
  lede sentence in the past or present perfect is dated to the publication day
  (``publication``, lower confidence: breaking news reports what just happened); a
  sentence that continues the previous dated sentence of the paragraph takes its date
  (``narrative``); otherwise undated.
* **Modality.** Negation -> refused; will/would/shall, "plans to", "is set to" ->
  planned; could/may/might, proposals -> proposed; otherwise occurred.

Word lists are data: ``resources/en/events.yaml``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from timeline.model import ActorMention, Document, EventActor, EventMention, Timex
from timeline.events import _dedupe_actors
from timeline.nlp import titles
from timeline.nlp.entities import actor_lexicon, family_name
from timeline.nlp.lexicon import load_lexicon
from timeline.nlp.model import token_indices, token_offsets, token_starts

RESOURCES = Path(__file__).resolve().parent / "resources" / "en"
_MULTI_PARTY = frozenset({"call_meeting", "negotiation", "agreement"})


@dataclass(frozen=True)
class EventLexicon:
    verb_type: dict[str, str]
    stative: frozenset[str]
    nouns: dict[str, dict]
    reporting: frozenset[str]
    plan_verbs: frozenset[str]
    clause_only_reporting_verbs: frozenset[str]
    directive_verbs: frozenset[str]
    title_xcomp_heads: frozenset[str]
    adjective_heads: dict[str, str]
    simultaneous_marks: frozenset[str]
    occasion_preps: frozenset[str]
    party_preps: frozenset[str]
    destination_verbs: frozenset[str]
    modal_future: frozenset[str]
    modal_possible: frozenset[str]
    definite_nouns: dict[str, str]
    commercial_nouns: frozenset[str]
    named_only_nouns: frozenset[str]
    offset_units: frozenset[str]
    person_group_nouns: frozenset[str]
    travel_verbs: frozenset[str]
    travel_preps: frozenset[str]
    past_deictic: frozenset[str]
    topic_preps: frozenset[str]
    scope_preps: frozenset[str]
    comparison_preps: frozenset[str]
    comparison_marks: frozenset[str]
    medium_preps: frozenset[str]
    fixed_phrases: frozenset[str]
    anchor_preps: frozenset[str]
    meeting_light_verbs: dict[str, str]
    plan_object_verbs: dict[str, str]
    offset_marks: frozenset[str]
    public_body_words: frozenset[str]
    non_business_nouns: frozenset[str]
    continuation: tuple[str, ...]
    locative_preps: frozenset[str]
    light_verbs: frozenset[str]
    phase_verbs: frozenset[str]
    currency_verbs: frozenset[str]
    object_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    reporting_forms: frozenset[str]
    particles: frozenset[str]
    occurrence_verbs: frozenset[str]
    news_now_forms: frozenset[str]
    news_then_forms: frozenset[str]
    between_preps: frozenset[str]
    side_nouns: frozenset[str]
    written_demonym_nouns: frozenset[str]
    definite_determiners: frozenset[str]
    negative_determiners: frozenset[str]
    date_participles: frozenset[str]
    approximators: frozenset[str]
    degree_complements: frozenset[str]
    baseline_before: re.Pattern
    oblique_before: re.Pattern  # a name right after one of ``oblique_preps`` (derived)
    baseline_relative_ends: frozenset[str]
    group_nouns: frozenset[str]
    state_agent_nouns: frozenset[str]
    people_nouns: frozenset[str]
    known_verbs: frozenset[str]  # every verb lemma any list names (derived)


@lru_cache(maxsize=1)
def event_lexicon(path: Path = RESOURCES / "events.yaml") -> EventLexicon:
    return load_lexicon(
        EventLexicon, path,
        verb_type=lambda raw: {lemma: etype for etype, lemmas in raw["verb_types"].items() for lemma in lemmas},
        stative=lambda raw: frozenset(raw["stative_verbs"]),
        nouns=lambda raw: dict(raw["event_nouns"]),
        adjective_heads=lambda raw: dict(raw["adjective_heads"]),
        reporting=lambda raw: frozenset(raw["reporting_verbs"]),
        continuation=lambda raw: tuple(sorted(raw["continuation_openers"], key=len, reverse=True)),
        baseline_before=lambda raw: re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in raw["baseline_markers"]) + r")\s+(?:in\s+)?"
            r"(?:(?:the|a|an)\s+)?(?:same\s+[a-z]+\s+(?:in|of|last)\s+)?"
            r"(?:(?:its|their|the|his|her)\s+(?:" + "|".join(re.escape(w) for w in raw["baseline_references"])
            + r")\s+(?:on|of|at|in)\s+)?$"),
        oblique_before=lambda raw: re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in raw["oblique_preps"]) + r")\s+(?:the\s+)?$", re.IGNORECASE),
        known_verbs=lambda raw: frozenset(
            [v for lemmas in raw["verb_types"].values() for v in lemmas]
            + raw["light_verbs"] + raw["stative_verbs"] + raw["reporting_verbs"]),
    )


@dataclass(frozen=True)
class SentenceInfo:
    index: int
    start: int  # document offset of the sentence
    end: int
    text: str
    paragraph: int
    lede: bool  # in the article's first prose paragraph


@dataclass
class DocContext:
    """What the frames of one document share while reading it in order."""

    doc: Document
    actors: list[ActorMention]  # every actor mention of the document, sorted by start
    pronouns: dict[str, tuple[str, ...]]
    last_dated: tuple[int, int, Timex] | None = None  # (sentence index, paragraph, timex)
    last_group: list[ActorMention] | None = None  # the parties of the last event with two or more
    last_people: list[ActorMention] | None = None  # the persons of the last event with two or more
    last_sides: list[ActorMention] | None = None  # the parties last named "between X and Y"
    last_of_type: dict = field(default_factory=dict)  # event type -> the parties of its last event with two
    topic_counts: dict = field(default_factory=dict)  # actor id -> (mentions so far, last mention)
    topic_index: int = 0  # how far into ``actors`` the counts go
    topic_pos: int = 0
    dated_acts: dict = field(default_factory=dict)  # trigger word -> (trigger text, day timex) of earlier events
    gazetteer: object = None  # for "the chancellor": who holds that office among the persons named
    sentence_starts: list[int] = field(default_factory=list)  # document offset of every sentence, in order
    subjects: dict = field(default_factory=dict)  # sentence offset -> the actor subject of its root verb
    #: starts of the mentions inside a description of someone ("Elop, a former Microsoft executive")
    describing: set = field(default_factory=set)


def mention_id(doc_id: str, sent_start: int, pred_start: int, lemma: str) -> str:
    raw = f"{doc_id}|{sent_start}|{pred_start}|{lemma}"
    return "m_" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _dated(t: Timex) -> bool:
    return (t.type in ("DATE", "TIME") and t.resolved and t.value is not None and t.range_start is not None
            and t.granularity not in ("decade", "century"))


# ----------------------------------------------------------------------------- predicates

def _is_predicate(tok, lex: EventLexicon) -> bool:
    if not tok.is_alpha or (not tok.whitespace_ and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text == "-"):
        return False  # "re-entered" split by the tokenizer: "re" and "-" are no verbs
    if tok.pos_ == "VERB" and (tok.lemma_.lower() not in lex.stative or _light_with_an_event(tok, lex)):
        return (not _money(tok, lex) and not _opens_without_subject(tok) and not _naming(tok, lex)
                and not _going_to_be(tok, lex))
    return tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in lex.nouns and not _in_fixed_phrase(tok, lex)


def _in_fixed_phrase(tok, lex: EventLexicon) -> bool:
    """"bribes in exchange for contracts", "in return for": an event noun inside a fixed
    phrase (``fixed_phrases``, the noun between its neighbours) names no event."""
    doc = tok.doc
    if tok.i == 0 or tok.i + 1 >= len(doc):
        return False
    return f"{doc[tok.i - 1].lower_} {tok.lower_} {doc[tok.i + 1].lower_}" in lex.fixed_phrases


def _headline_passive(pred, lex: EventLexicon) -> bool:
    """"Mary Barra appointed as GM chief": a verb that always takes an object, with a subject
    but no object and no auxiliary, is a passive whose "was" a headline leaves out."""
    if pred.pos_ != "VERB" or pred.tag_ not in ("VBD", "VBN") or pred.lemma_.lower() not in lex.object_verbs:
        return False
    kids = [c.dep_ for c in pred.children]
    return "nsubj" in kids and not any(d in kids for d in ("dobj", "dative", "ccomp", "xcomp", "attr", "oprd", "aux",
                                                            "auxpass", "nsubjpass", "prt"))


def _joined_passive(pred, lex: EventLexicon) -> bool:
    """"was arrested in May and charged with fraud": a verb that always takes an object, joined
    without subject, auxiliary or object of its own to a passive, shares its "was"."""
    if pred.dep_ != "conj" or pred.tag_ not in ("VBD", "VBN") or pred.lemma_.lower() not in lex.object_verbs:
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj", "dative", "ccomp", "xcomp") for c in pred.children):
        return False
    tok = pred
    for _ in range(4):  # up the joined verbs ("was arrested while visiting family ... and sentenced")
        tok = tok.head
        if any(c.dep_ == "auxpass" for c in tok.children):
            return True
        if tok.dep_ not in ("conj", "advcl") or tok.head.i == tok.i:
            return False
    return False


def _naming(tok, lex: EventLexicon) -> bool:
    """"their own offensive ..., codenamed Operation Badr": a participle that names the
    phrase before it, whatever the parser made of it (here a verb joined to the main one)."""
    return (tok.tag_ in ("VBN", "VBD") and tok.lemma_.lower() in lex.naming_verbs
            and tok.dep_ in ("acl", "conj", "advcl", "ROOT") and tok.i > 0 and tok.doc[tok.i - 1].text == ","
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in tok.children))


def _title_words_before(span) -> list[int]:
    """"Deputy President William Ruto", "the Sri Lankan President Gotabaya Rajapaksa", "video
    game publisher Activision Blizzard": the title or description before the name in its noun
    phrase (and its article), which a title leaves out: the name says who."""
    sdoc, inside = span.doc, {span.root.i}
    out = []
    k = span.start - 1
    while k >= 0 and (sdoc[k].text[:1].isupper() and sdoc[k].dep_ in ("compound", "amod")
                      or sdoc[k].pos_ == "NOUN" and sdoc[k].dep_ == "compound") \
            and (sdoc[k].head.i in inside or sdoc[k].head.i in out or span.start <= sdoc[k].head.i < span.end):
        out.append(k)
        k -= 1
    if out and k >= 0 and sdoc[k].lower_ == "the" and sdoc[k].head.i == span.root.i:
        out.append(k)
    return out


def _light_with_an_event(tok, lex: EventLexicon) -> bool:
    """"Putin had a telephone conversation with Macron": "have" with a meeting of parties as
    its object is that meeting's verb (not "had an order", "made its maiden flight")."""
    return tok.lemma_.lower() in lex.meeting_light_verbs and any(
        c.dep_ == "dobj" and lex.nouns.get(c.lower_, {}).get("type") in _MULTI_PARTY for c in tok.children)


def _going_to_be(tok, lex: EventLexicon) -> bool:
    """"It's not going to be a pleasant sight": the future of a state is no act."""
    return tok.lemma_ == "go" and tok.tag_ == "VBG" and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in lex.stative for c in tok.children)


def _money(tok, lex: EventLexicon) -> bool:
    """"a 120 billion won fine": a currency after a number, which the tagger took for a verb."""
    return tok.i > 0 and tok.lower_ in lex.currency_verbs and tok.doc[tok.i - 1].like_num


def _opens_without_subject(tok) -> bool:
    """A sentence that opens with its verb and has no subject is no news event: an
    imperative, or a name the tagger took for a verb ("Automaker GM to cut 10,000 jobs":
    "Automaker" a verb, GM its object)."""
    return (tok.i == 0 or tok.is_sent_start) and tok.text[:1].isupper() and tok.dep_ == "ROOT" \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in tok.children)


def _governor(span, lex: EventLexicon):
    """The predicate a time expression modifies: up from its head to the first verb or
    event noun; None when it hangs from nothing eventive. A temporal phrase right after
    an event noun ("pointing to the negotiations at the end of March") belongs to that
    noun, whatever the parser attached it to."""
    sdoc = span.doc
    first = span.start - 1 if span.start > 0 and sdoc[span.start - 1].dep_ == "prep" else span.start
    if first > 0:
        before = sdoc[first - 1]
        if before.pos_ in ("NOUN", "PROPN") and before.lower_ in lex.nouns \
                and not (before.dep_ == "pobj" and before.head.lower_ in lex.topic_preps and sdoc[first].head.i != before.i) \
                and span[-1].lower_ not in lex.offset_marks:
            # (not "a position paper on the war in February": the war is the paper's topic; not
            # "withdrew from the deal a year later": a time counted from another event dates the act)
            verb = before.head
            if (before.dep_ == "dobj" and sdoc[first].head.i == verb.i and verb.pos_ == "VERB"
                    and verb.lemma_.lower() not in lex.plan_verbs and verb.lemma_.lower() not in lex.reporting
                    and verb.lemma_.lower() not in lex.light_verbs and _is_predicate(verb, lex)):
                # "Turkey brokered a deal in July 2022": the parser hung the date on the act of
                # which the deal is the object ("proposed talks on May 15", "announced talks on
                # Friday", "held talks in June": the talks' date)
                return verb
            return before
    tok = span.root
    noun = tok.head
    verb = noun.head
    before_noun = tok.dep_ in ("nummod", "nmod", "compound", "amod") and noun.pos_ == "NOUN" and noun.i >= span.end
    if (before_noun and noun.lower_ in lex.nouns and noun.dep_ == "dobj" and verb.pos_ == "VERB"
            and verb.lemma_.lower() not in lex.plan_verbs and verb.lemma_.lower() not in lex.reporting
            and verb.lemma_.lower() not in lex.light_verbs and _is_predicate(verb, lex)):
        return verb  # "who lost the October election": the losing, as "brokered a deal in July 2022"
    if (before_noun and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.lower_ not in lex.nouns
            and all(sdoc[k].dep_ in ("compound", "amod", "nummod") for k in range(span.end, noun.i))):
        # "dealing with the effects of the 2021 fire": a date before a noun inside an "of"
        # phrase says which fire, not when the clause happened
        return None
    for _ in range(12):
        if tok.head.i == tok.i:
            if _is_predicate(tok, lex) or tok.pos_ in ("VERB", "AUX"):
                return tok
            # "declared Ruto the winner on Monday" parsed as two roots: the verb root before it
            return next((r for r in reversed(sdoc[:tok.i]) if r.dep_ == "ROOT" and r.pos_ == "VERB"), None)
        tok = tok.head
        if tok.i in range(span.start, span.end) or (_money(tok, lex) and tok.head.i != tok.i):
            continue  # (inside the expression; "paid a 120 billion won fine last year": the payment)
        if _naming(tok, lex):  # "an offensive ..., codenamed Operation Badr, on 11 March 1985": the offensive
            return next((t for t in reversed(sdoc[:tok.i]) if t.pos_ in ("NOUN", "PROPN") and t.lower_ in lex.nouns),
                        None)
        if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in lex.nouns:
            return tok
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex.occurrence_verbs:
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in lex.nouns), None)
            if subj is not None:
                return subj  # "their conversation took place in December": the conversation is the event
        if tok.pos_ == "VERB" and tok.lemma_.lower() in lex.plan_verbs and tok.lemma_.lower() not in lex.reporting:
            planned = next((c for c in tok.children if c.dep_ == "dobj" and c.lower_ in lex.nouns and c.i < span.start), None)
            if planned is not None:
                return planned  # "proposed talks in Istanbul on May 15": the talks' date, not the proposal's
        if tok.tag_ == "VBG" and tok.lower_ in lex.date_participles and tok.dep_ in ("advcl", "acl", "prep") \
                and tok.head.i != tok.i:
            continue  # "will halt 14 lines starting Oct. 18": the participle only says from when; the halt is dated
        if tok.pos_ in ("VERB", "AUX"):
            head = tok.head
            if (tok.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN") and head.lower_ in lex.nouns
                    and (tok.lemma_.lower() in lex.stative or tok.lemma_.lower() in lex.occurrence_verbs
                         or tok.lemma_.lower() in ("hold", "take", "give", "make"))):
                return head  # "his proposal, made in June": the proposal is the event
            return tok
    return None


def _said_when(gov, span, lex: EventLexicon):
    """"Boeing said on Monday it would cut jobs": a date between the reporting verb and
    the reported clause's subject dates the saying, wherever the parser hung it."""
    if gov is None or gov.dep_ != "ccomp" or gov.head.lemma_.lower() not in lex.reporting or gov.head.i > span.start:
        return gov
    subj = next((c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and span.end <= subj.left_edge.i:
        return gov.head
    return gov


def _main_predicates(sdoc, lex: EventLexicon) -> list:
    """The root and the verbs coordinated with it; when the root is a reporting verb
    after its content ("X did Y, officials said"), that content too."""
    roots = [sdoc[i] for i in _root_indices(sdoc)]
    out = []
    for r in roots:
        out.append(r)
        out.extend(c for c in r.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))
        # "X did Y, officials said": the content; "Toyota reported a drop, Nissan dropped 30%":
        # a clause of a list the parser hung on the next verb
        out.extend(c for c in r.children if c.dep_ == "ccomp" and c.i < r.i and c.pos_ in ("VERB", "AUX"))
        # "X and Y spoke on Tuesday, the Kremlin said, and Putin agreed to ...": a clause the
        # parser joined to the inserted saying is the sentence's own
        out.extend(c for p in r.children if p.dep_ == "parataxis" for c in p.children
                   if c.pos_ in ("VERB", "AUX") and _joined_to_an_inserted_saying(c, lex))
    return out


def _joined_to_an_inserted_saying(c, lex: EventLexicon) -> bool:
    """"..., the Kremlin said, and Putin agreed to ...": a clause with its own subject that the
    parser coordinated with a saying inserted into the main clause."""
    p = c.head
    return (c.dep_ == "conj" and p.dep_ == "parataxis" and p.head.dep_ == "ROOT" and p.lemma_.lower() in lex.reporting
            and any(k.dep_ in ("nsubj", "nsubjpass") for k in c.children))


def _root_indices(sdoc) -> list[int]:
    """The tokens whose dependency is ROOT, read as one integer array (not a Token per word)."""
    from spacy.attrs import DEP

    if not len(sdoc):
        return []
    root = sdoc.vocab.strings["ROOT"]
    return [i for i, d in enumerate(sdoc.to_array(DEP).tolist()) if d == root]


def _content(c) -> bool:
    """Is ``c`` the clause its head reports? Not when a colon or semicolon stands between a
    clause and the verb after it ("sales slipped: Toyota reported a 39% loss" is two
    statements, not Toyota reporting the slip)."""
    if c.dep_ != "ccomp":
        return False
    head = c.head
    if c.i < head.i and head.pos_ == "VERB" and head.lemma_.lower() not in event_lexicon().reporting:
        return False  # "Toyota reported a drop, Nissan dropped 30%": two clauses of a list
    if c.i > head.i:
        return True
    # the colon must open the reporting clause ("...: Toyota reported"), not sit inside a
    # quote before an inverted "said Obama"
    subj = next((k for k in head.children if k.dep_ in ("nsubj", "nsubjpass") and k.i < head.i), None)
    return not (subj is not None and any(t.text in (":", ";") for t in c.doc[c.i + 1:subj.left_edge.i]))


def _fronted_content(pred, lex: EventLexicon) -> bool:
    head = pred.head
    return (pred.dep_ == "ccomp" and pred.i < head.i and head.dep_ == "ROOT"
            and (head.lemma_.lower() in lex.reporting or not _content(pred)))


# ----------------------------------------------------------------------------- arguments

_ARG_WALK = frozenset({"compound", "amod", "poss", "appos", "conj", "cc", "prep", "pobj", "nmod", "det",
                       "nummod", "flat", "case", "quantmod", "npadvmod", "attr", "dobj", "pcomp"})


def _arg_tokens(head) -> set[int]:
    """Token indices of an argument phrase: modifiers, appositions, coordination and
    prepositional attachments, but no clauses."""
    seen: set[int] = set()
    stack = [head]
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        stack.extend(c for c in t.children if c.dep_ in _ARG_WALK)
    return seen


def _head_mentions(tok, base: int, sdoc, actors: list[ActorMention], skip: set[int]) -> list[ActorMention]:
    """The actors an argument names as its head: the head word, its appositions and
    coordinated heads ("Boeing's rival, Airbus" -> Airbus; "Putin and Scholz" -> both; a
    description's name in apposition alone);
    possessors and modifiers only when the head names nobody ("the Russian side")."""
    if tok.pos_ == "NOUN":
        # "the US carmaker Vantor Motors": a description with its name in apposition is the
        # name; the state or company modifying the description is not the one who acts
        named = [m for c in tok.children if c.dep_ == "appos"
                 for m in _head_mentions(c, base, sdoc, actors, skip)]
        if named:
            return named
    heads = {tok.i}
    stack = [tok]
    while stack:
        t = stack.pop()
        described = t.i != tok.i and t.pos_ == "NOUN"
        for c in t.children:
            if described and c.dep_ == "compound":
                continue  # "Chrysler, another U.S. car maker", "US automaker GM": the state in the description does not act
            if c.dep_ in ("appos", "conj", "compound", "flat") and c.i not in heads:
                heads.add(c.i)
                stack.append(c)
    found = _mentions_in(heads - skip, base, sdoc, actors) or _mentions_in(_arg_tokens(tok) - skip, base, sdoc, actors)
    if any(m.kind == "person" for m in _mentions_in({tok.i}, base, sdoc, actors)):
        # "Aer Lingus Chief Executive Dermot Mannion said": the person speaks; the company
        # in front of the title is where the person works, not a second speaker
        offsets = token_offsets(sdoc)
        lo = base + offsets[tok.left_edge.i][0]
        titled = [m for m in found if m.kind != "person" and m.start >= lo and m.end <= base + offsets[tok.i][0]
                  and all(sdoc[i].dep_ in ("compound", "flat") for i in _tokens_of(m, base, sdoc))]
        found = [m for m in found if m not in titled]
    if tok.pos_ == "NOUN" and tok.lemma_.lower() not in event_lexicon().state_agent_nouns \
            and tok.lower_ not in event_lexicon().state_agent_nouns and tok.lemma_.lower() not in event_lexicon().people_nouns:
        # "US sales fell", "the US division lost": the state says where, it does not act
        found = [m for m in found if m.kind != "state"]
    elif tok.pos_ == "NOUN" and _paired_modifiers(tok):
        # "Ukrainian and Russian negotiators": both sides sat down, not the one a phrase names
        have = {id(m) for m in found}
        found += [m for m in _mentions_in({t.i for t in _paired_modifiers(tok)} - skip, base, sdoc, actors)
                  if id(m) not in have]
    return found


def _paired_modifiers(tok) -> list:
    """The coordinated modifiers of a noun: "Ukrainian and Russian" in "Ukrainian and
    Russian negotiators"; empty when the noun has no coordinated modifier."""
    mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and any(k.dep_ == "conj" for k in c.children)]
    return [t for c in mods for t in (c, *(k for k in c.children if k.dep_ == "conj"))]


def _tokens_of(m: ActorMention, base: int, sdoc) -> list[int]:
    offsets = token_offsets(sdoc)
    return [i for i, (s, e) in enumerate(offsets) if base + s < m.end and m.start < base + e]


def _subject(pred):
    subjects = [c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    if not subjects:  # "Saddam had also more than doubled ...": the parser hung the subject on "had"
        subjects = [c for a in pred.children if a.dep_ == "aux" and a.lemma_ == "have" and pred.tag_ in ("VBD", "VBN")
                    for c in a.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and pred.dep_ == "ccomp" and pred.head.lemma_.lower() in event_lexicon().clause_only_reporting_verbs:
        # "said vaccination campaigns had cut infections" parsed as "said campaigns" + a clause
        # without subject: what "say" never takes, an object, is the clause's subject
        subjects = [c for c in pred.head.children if c.dep_ == "dobj" and pred.head.i < c.i < pred.i]
    if not subjects and pred.tag_ in ("VBD", "VBZ", "VBP"):
        # "Mulally predicted that ...": a name the parser hung on a finite verb as a modifier
        # (an unknown surname, no subject anywhere) is the verb's subject
        subjects = [c for c in pred.children if c.dep_ in ("advmod", "npadvmod", "dep") and c.pos_ == "PROPN"
                    and c.i < pred.i]
        if not subjects and pred.tag_ == "VBZ":
            # "Germany's coalition collapses as ...": a headline's subject the parser took for
            # a modifier of the verb, read as a noun
            subjects = [c for c in pred.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")
                        and c.i == pred.i - 1]
    if not subjects:
        return None, False
    # "The US car manufacturer General Motors said": an apposition the parser split into
    # two subjects; the name is the subject, the description (and the state in it) is not
    c = next((c for c in subjects if c.pos_ == "PROPN"), subjects[0]) if len(subjects) > 1 else subjects[0]
    if (c.tag_ in ("WDT", "WP") and pred.dep_ == "relcl" and pred.head.pos_ in ("NOUN", "PROPN")
            and not (c.lower_ == "which" and pred.head.ent_type_ == "PERSON")):
        # "a consortium that acquired": the consortium acquired ("Henderson, the CEO of GM,
        # which filed": "which" is no person, the parser hung the clause on the wrong noun)
        head = pred.head
        if c.lower_ == "who" and head.pos_ == "NOUN" and head.dep_ == "appos" and head.head.pos_ == "PROPN":
            head = head.head  # "Stephen Elop, a former Microsoft executive who took over": Elop
        return head, c.dep_ == "nsubjpass"
    return c, c.dep_ == "nsubjpass"


def _name_before_saying(pred):
    """"The two sides agreed to ..., former President Olusegun Obasanjo, the AU's envoy, told
    reporters": a reporting verb joined to the sentence after a comma-set name the parser hung
    on something else. The name right before it is its speaker, not the first clause's subject."""
    doc = pred.doc
    if pred.dep_ != "conj" or pred.lemma_.lower() not in event_lexicon().reporting or pred.i < 3:
        return None
    for c in doc[max(0, pred.i - 12):pred.i]:
        if (c.pos_ == "PROPN" and c.ent_type_ in ("PERSON", "ORG", "") and c.dep_ not in ("compound", "appos", "nsubj")
                and c.right_edge.i in (pred.i - 1, pred.i - 2) and all(t.is_punct for t in doc[c.right_edge.i + 1:pred.i])
                and c.left_edge.i > 0 and doc[c.left_edge.i - 1].text == ","):
            return c
    return None


def _inherited_subject(pred):
    """Subject from the verb this one depends on: xcomp/conj/advcl share it; a relative
    clause's subject is the noun it modifies ("Boeing, which launched ...")."""
    tok = pred
    said_by = _name_before_saying(pred)
    if said_by is not None:
        return said_by, False
    if pred.dep_ == "advcl" and pred.tag_ == "VBN" and pred.i > 0 and pred.doc[pred.i - 1].text == "," \
            and not any(c.dep_ in ("aux", "auxpass", "mark", "nsubj", "nsubjpass") for c in pred.children):
        return None, False  # "France's package of aid, announced last week": a passive participle, not his act
    for _ in range(4):
        # "Macron is due to visit": through an adjective the lexicon knows to the verb it completes
        if tok.dep_ == "xcomp":
            obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                # object control: "led Putin to invade", "urged Kyiv to negotiate", and the verb
                # joined to it: "ordered the bank to stop ... and to give details": the bank gives
                return obj, False
        if tok.head.i != tok.i and (tok.dep_ in ("xcomp", "conj", "advcl") or (
                tok.dep_ == "acomp" and tok.lower_ in event_lexicon().adjective_heads)):
            tok = tok.head
            subj, passive = _subject(tok)
            if subj is not None:
                return subj, passive
        elif tok.dep_ == "relcl":
            return tok.head, False
        else:
            return None, False
    return None, False


def _noun_subject(pred, skip: set[int]):
    for c in pred.children:
        if c.dep_ == "poss" and c.i not in skip:
            return c
    for c in pred.children:
        if c.dep_ in ("compound", "amod") and c.pos_ in ("PROPN", "ADJ") and c.text[:1].isupper() and c.i not in skip:
            return c
    return None


@dataclass
class _Args:
    subject: list[ActorMention]
    subject_tok: object
    passive: bool
    agents: list[ActorMention]
    others: list[ActorMention]
    object_tok: object
    base: int | None = None  # the sentence's offset in the document


class Mentions(list):
    """Actor mentions sorted by start, with their starts for bisection: every lookup by
    offset is logarithmic, so a long article costs linear time, not quadratic."""

    MAX_SPAN = 300  # no mention is longer: the window starts this far before ``lo``

    def __init__(self, mentions):
        super().__init__(sorted(mentions, key=lambda m: (m.start, m.end)))
        self.starts = [m.start for m in self]


def near(actors: list[ActorMention], lo: int, hi: int) -> list[ActorMention]:
    """The mentions that can overlap [lo, hi)."""
    starts = getattr(actors, "starts", None)
    if starts is None:
        return actors
    return actors[bisect.bisect_left(starts, lo - Mentions.MAX_SPAN):bisect.bisect_left(starts, hi)]


def before(actors: list[ActorMention], pos: int) -> list[ActorMention]:
    """The mentions starting before ``pos``, in document order."""
    starts = getattr(actors, "starts", None)
    return actors if starts is None else actors[:bisect.bisect_left(starts, pos)]


def _mentions_in(tokens: set[int], base: int, sdoc, actors: list[ActorMention]) -> list[ActorMention]:
    """The actor mentions (places aside) that overlap one of the ``tokens`` (indices into
    ``sdoc``, whose text starts at ``base``). Each candidate mention is checked against the
    few tokens under it (found by bisection), not against every token of the set."""
    if not tokens:
        return []
    import bisect

    offsets = token_offsets(sdoc)
    lo, hi = base + offsets[min(tokens)][0], base + offsets[max(tokens)][1]
    out = []
    starts = None
    for m in near(actors, lo, hi):
        if m.end <= lo or m.start >= hi or m.kind == "place":
            continue
        if starts is None:
            starts = token_starts(sdoc)
        j = max(0, bisect.bisect_right(starts, m.start - base) - 1)
        while j < len(offsets) and base + offsets[j][0] < m.end:
            if j in tokens and m.start < base + offsets[j][1]:
                out.append(m)
                break
            j += 1
    return out


def _group_reference(tok, lex: EventLexicon) -> bool:
    """"the two leaders", "both sides", "their" (plural): the parties named together last."""
    if tok.lower_ in ("they", "their", "them"):
        return True
    if tok.pos_ == "NUM" and tok.lower_ in ("two", "three") and any(c.lower_ == "the" for c in tok.children):
        return True  # "the first conversation between the two"
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
        return False
    mods = {c.lower_ for c in tok.children if c.dep_ in ("nummod", "det", "amod", "predet", "quantmod")}
    return bool(mods & {"two", "both", "three"}) and tok.lower_ in lex.group_nouns


def _office_holder(tok, pos: int, ctx: DocContext) -> ActorMention | None:
    """"the chancellor", or "his" in a sentence whose subject is "The chancellor": the person
    named earlier who holds that office on the publication day (the gazetteer's dated roles),
    not merely the last person named."""
    gaz = ctx.gazetteer
    if gaz is None:
        return None
    title_tok = tok if tok.pos_ == "NOUN" else next(
        (t for t in tok.doc if t.i < tok.i and t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass")
         and any(c.lower_ == "the" for c in t.children)), None)
    if title_tok is None or any(c.dep_ == "prep" for c in title_tok.children):
        return None  # "the president of the bank" is not the president named before
    title = title_tok.lower_
    on = ctx.doc.published
    for m in reversed(before(ctx.actors, pos - tok.idx + title_tok.idx)):
        actor = gaz.actors.get(m.actor_id) if m.actor_id else None
        if m.kind != "person" or actor is None:
            continue
        if any(r.active(on) and title in {(r.title or "").lower(), *(p.lower() for p in r.phrases)} for r in actor.roles):
            return m
    return None


def _plural_speaker(tok, pos: int, ctx: DocContext, lex: EventLexicon) -> list[ActorMention]:
    """"Lindner's Free Democrats said they would ...": "they" in what a plural name (one
    organisation or group) says is that speaker, not the parties of the last event."""
    up = tok.head
    for _ in range(6):
        if up.pos_ in ("VERB", "AUX") and up.i != tok.i and up.lemma_.lower() in lex.reporting:
            subj, _ = _subject(up)
            if subj is None or subj.i > tok.i:
                return []
            if any(c.dep_ == "conj" for c in subj.children) or (subj.tag_ == "NNS" and any(
                    c.dep_ == "appos" for c in subj.children)):
                # "Baswedan and Pranowo said they would wait", "his rivals, Baswedan and Pranowo,
                # said they ...": the speakers named together, not the last event's parties
                heads = _head_mentions(subj, pos - tok.idx, tok.doc, ctx.actors, set())
                named = [m for m in heads if m.actor_id and m.kind != "place"]
                return named if len(named) >= 2 else []
            if subj.tag_ != "NNPS":
                return []
            found = [m for m in _mentions_in({subj.i}, pos - tok.idx, tok.doc, ctx.actors)
                     if m.actor_id and m.kind != "person"]
            return found[:1]
        if up.head.i == up.i:
            break
        up = up.head
    return []


_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


def _resolve_pronoun(tok, pos: int, ctx: DocContext, lex: EventLexicon) -> list[ActorMention]:
    if tok.lower_ in ("they", "their", "them"):
        speaker = _plural_speaker(tok, pos, ctx, lex)
        if speaker:
            return speaker
    if _group_reference(tok, lex) and tok.lower_ in lex.side_nouns and ctx.last_sides:
        return list(ctx.last_sides)  # "the two sides" after "talks between Russia and Ukraine"
    if _group_reference(tok, lex) and tok.lower_ in lex.person_group_nouns and ctx.last_people:
        return list(ctx.last_people)  # "the two presidents": the last two persons acting together
    if _group_reference(tok, lex) and ctx.last_group and len(ctx.last_group) >= 2:
        if tok.lower_ not in ("they", "their", "them") or all(m.kind == "person" for m in ctx.last_group):
            return list(ctx.last_group)
    clause = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and clause.dep_ in ("advcl", "relcl", "acl") and clause.head.pos_ == "NOUN":
        # "its biggest acquisition since it bought Nordgen": "it" is whoever "its" is
        poss = next((c for c in clause.head.children if c.dep_ == "poss" and c.i < tok.i
                     and c.lower_ in _POSSESSIVE_OF.get(tok.lower_, ())), None)
        if poss is not None:
            return _resolve_pronoun(poss, pos - tok.idx + poss.idx, ctx, lex)
    kinds = ctx.pronouns.get(tok.lower_)
    if kinds is None and tok.pos_ == "NOUN" and tok.lower_ in lex.definite_nouns:
        if any(c.lower_ in ("the", "this", "that") for c in tok.children):
            kinds = (lex.definite_nouns[tok.lower_],)
            named = _named_by_noun(tok.lower_, pos, ctx, kinds)
            if named is not None:
                return [named]
            if tok.lower_ in lex.named_only_nouns:
                return []
    if not kinds:
        return []
    if "person" in kinds:
        holder = _office_holder(tok, pos, ctx)
        if holder is not None:
            return [holder]
    # a pronoun inside a clause refers first to the subject of a verb above it ("Putin
    # confirmed that his proposal ...": his = Putin), then to the last fitting actor
    up = tok.head
    for _ in range(8):
        if up.head.i == up.i and up.dep_ != "ROOT":
            break
        if up.pos_ in ("VERB", "AUX") and up.dep_ in ("advcl", "relcl", "acl"):
            break  # "..., once it takes office": an adverbial clause does not bind to the main subject
        if up.pos_ in ("VERB", "AUX") and up.i != tok.i and up.lemma_.lower() in lex.reporting:
            subj, _ = _subject(up)
            if subj is None:
                subj, _ = _inherited_subject(up)  # "he congratulated Hichilema and said he would ..."
            if subj is not None and subj.i < tok.i and subj.pos_ == "PRON" and subj.lower_ == tok.lower_ \
                    and tok.lower_ in ("he", "she"):
                return _resolve_pronoun(subj, pos - tok.idx + subj.idx, ctx, lex)  # "he said he": the same person
            if subj is not None and subj.i != tok.i and subj.pos_ != "PRON":
                found = [m for m in _mentions_in(_arg_tokens(subj), pos - tok.idx, tok.doc, ctx.actors)
                         if m.kind in kinds and m.actor_id and m.start not in ctx.describing]
                if found:
                    # "The US carmaker General Motors said that it ...": the subject's head
                    # names the speaker, a state modifying it does not
                    sent = pos - tok.idx
                    heads = [subj] + [c for c in (*subj.children, *up.children)
                                      if c.dep_ in ("appos", "nsubj", "nsubjpass") and c.i != subj.i and c.i < tok.i]
                    for h in heads:
                        named = [m for m in _mentions_in({h.i}, sent, tok.doc, ctx.actors) if m.kind in kinds and m.actor_id]
                        if named:
                            return named[:1]
                    return found[:1]
        if up.head.i == up.i:
            break
        up = up.head
    sent_start = pos - tok.idx
    def fits(m: ActorMention) -> bool:  # "the company" is not the regulator named last
        if tok.lower_ in lex.public_body_words:  # nor "the agency" the carmaker it investigates
            return bool(lex.public_body_words.intersection(re.findall(r"[a-z]+", m.name.lower())))
        if tok.lower_ not in lex.commercial_nouns:
            return True
        if lex.public_body_words.intersection(m.name.lower().split()):
            return False
        # "the CGT union" (anywhere the article names it: "CGT leader X" after it): what the text
        # calls it -- right after "the", not "the main Airbus union" (a union of Airbus)
        called, text = lex.non_business_nouns | lex.public_body_words, ctx.doc.text
        return not any(text[max(0, o.start - 4):o.start].lower() == "the " and (d := _NEXT_WORD.match(text, o.end))
                       and d.group(1) in called for o in ctx.actors if o.actor_id == m.actor_id)

    for m in reversed(before(ctx.actors, pos)):
        if m.start in ctx.describing:
            continue  # "a former Microsoft executive": a name describing someone is not what "the company" is
        if m.kind in kinds and m.actor_id and fits(m):
            tag = _NOUN_TAG_OF.get(tok.lower_)
            if tag and any(
                    (t.tag_ == tag
                     or (tag == "NN" and t.tag_ == "NNP" and (t.ent_type_ in _THING_ENTITIES or t.is_lower)))
                    and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and t.i < tok.i
                    and sent_start + t.idx >= m.end for t in tok.doc):
                # "judge the new administration ... once it takes office", "the workers may
                # not earn what they earn", "problems at Suvarnabhumi airport ... since it
                # opened" (a lower-case word tagged as a name is a common noun; a named
                # facility or product too): a noun closer than the actor is what it refers to
                return []
            if m.start < sent_start and "person" not in kinds:
                prev = _previous_subject(ctx, sent_start, kinds, lex, fits)
                if prev is not None:
                    return [prev]
            if m.start < sent_start and tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT":
                # "Zelensky met Erdogan on Friday. He flew in from Odesa": a main clause's
                # subject pronoun continues the last sentence's subject (its centre), not its object
                # (itself a pronoun told so: "She flew ... In 1982 she visited", the chain goes on)
                # (over sentences between that name no one and have no subject noted, when the last
                # name is near: "He returned ... defeated Pinochet. As president he set up a
                # commission. In 1994 he flew"; far from it, the article's topic is as below)
                k = bisect.bisect_left(ctx.sentence_starts, sent_start)
                prev = None
                back = PREVIOUS_SENTENCES if pos - m.end <= TOPIC_DISTANCE else 1
                for j in range(k - 1, max(-1, k - 1 - back), -1):
                    prev = ctx.subjects.get(ctx.sentence_starts[j])
                    if prev is not None or m.start >= ctx.sentence_starts[j]:
                        break
                if prev is not None and prev.kind in kinds and prev.actor_id \
                        and fits(prev):
                    return [prev]
            if pos - m.end > TOPIC_DISTANCE:
                return [_topic(ctx, pos, kinds) or m]
            return [m]
    return []


def _other_clauses_subjects(pred, sdoc) -> set[int]:
    """Tokens of the subjects of the sentence's other clauses ("..., while the Federal
    Reserve is seen waiting"): those actors act in their own event, they are not merely
    mentioned in this one; so do those of adverbial clauses inside it ("a day after Peskov
    said"). A clause above this predicate, or what it reports, is not another clause."""
    above = set()
    joined = set()  # "X opened ..., and Y said ...": the clause Y's is joined to is X's own
    t = pred
    own_clause = None  # the adverbial clause this predicate is in, if any
    for _ in range(24):
        (joined if joined else above).add(t.i)
        if own_clause is None and t.pos_ in ("VERB", "AUX") and t.dep_ in ("advcl", "pcomp") \
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            own_clause = t
        if t.head.i == t.i:
            break
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and not joined \
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            joined.add(t.head.i)
        t = t.head
    below = {x.i for x in pred.subtree}
    out: set[int] = set()
    if own_clause is not None:  # "a day after Peskov said ...": the main clause's actors are not Peskov's
        inside = {x.i for x in own_clause.subtree}
        out.update(x.i for x in sdoc if x.i not in inside)
    for tok in sdoc:
        clause = tok.head
        if tok.dep_ not in ("nsubj", "nsubjpass") or clause.i in above or clause.pos_ not in ("VERB", "AUX"):
            continue
        if (clause.i not in below and clause.dep_ in ("advcl", "conj", "ccomp", "parataxis")) or (
                clause.i in below and clause.i != pred.i and (clause.dep_ in ("advcl", "pcomp") or (
                    clause.dep_ == "conj" and clause.head.i == pred.i))) or clause.i in joined:
            # ("met Kellogg on Thursday, a day after Peskov said ...": Peskov's saying is its own)
            out.update(x.i for x in tok.subtree)
    return out


def _named_by_noun(noun: str, pos: int, ctx: DocContext, kinds: tuple[str, ...]) -> ActorMention | None:
    """"the bank" after "Nordlys Bank" and a regulator: the last actor named before whose
    name holds the noun ("the airline": "Norvik Airlines"), if one is near enough."""
    for m in reversed(before(ctx.actors, pos)):
        if pos - m.end > TOPIC_DISTANCE * 4:
            break
        if m.kind in kinds and m.actor_id and any(
                w == noun or w == noun + "s" for w in re.findall(r"[a-z]+", m.name.lower())):
            return m
    return None


#: Named things a neuter pronoun can refer to that are no actors (spaCy's labels).
_THING_ENTITIES = frozenset({"FAC", "LOC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})


def _previous_subject(ctx: DocContext, sent_start: int, kinds: tuple[str, ...],
                      lex: EventLexicon, fits=lambda m: True) -> ActorMention | None:
    """The antecedent of "it" when its own sentence names no fitting actor before it, as
    Hobbs' search reads earlier sentences (nearest first, each left to right): the subject
    of the sentence before ("The bank first disclosed the investigation ... Last month it
    hired": the bank, resolved), else its first actor of ``kinds`` not governed by a
    preposition (``oblique_preps``: "At the moment, GM has 6,246 dealers in the U.S. It
    intends ...": GM; "Ford is the U.S.'s second-largest. However it ...": Ford); up to
    ``PREVIOUS_SENTENCES`` back; None when none has one."""
    starts = ctx.sentence_starts
    k = bisect.bisect_left(starts, sent_start)
    text = ctx.doc.text
    hi = sent_start
    for j in range(k - 1, max(-1, k - 1 - PREVIOUS_SENTENCES), -1):
        lo = starts[j]
        subject = ctx.subjects.get(lo)
        if subject is not None and subject.kind in kinds and subject.actor_id and fits(subject):
            return subject
        for m in near(ctx.actors, lo, hi):
            if lo <= m.start < hi and m.kind in kinds and m.actor_id and fits(m) \
                    and not lex.oblique_before.search(text[max(lo, m.start - 24):m.start]):
                return m
        hi = lo
    return None


#: How many sentences back "it" looks for its antecedent before the last fitting actor
#: and the article's topic decide.
PREVIOUS_SENTENCES = 3


#: The possessive of a subject pronoun: a clause on a noun that has it shares its referent.
_POSSESSIVE_OF = {"it": ("its",), "they": ("their",), "he": ("his",), "she": ("her",)}

#: The noun tag a pronoun can refer to: a noun of it between the actor and the pronoun
#: in the same sentence takes the reference.
_NOUN_TAG_OF = {"it": "NN", "its": "NN", "they": "NNS", "them": "NNS", "their": "NNS"}

#: Beyond this many characters back, a pronoun refers to the article's topic (the actor of
#: that kind named most so far) rather than to whoever happened to be named last.
TOPIC_DISTANCE = 200


def _topic(ctx: DocContext, pos: int, kinds: tuple[str, ...]) -> ActorMention | None:
    """The actor of one of ``kinds`` named most before ``pos`` (ties: the later named).
    Counts are kept on the context and advanced with the reading position, so a document
    with many pronouns costs linear time."""
    if pos < ctx.topic_pos:  # reading went back (it never does in order): count afresh
        ctx.topic_counts, ctx.topic_index = {}, 0
    ctx.topic_pos = pos
    mentions = ctx.actors
    while ctx.topic_index < len(mentions) and mentions[ctx.topic_index].start < pos:
        m = mentions[ctx.topic_index]
        if m.actor_id:
            n, _ = ctx.topic_counts.get(m.actor_id, (0, m))
            ctx.topic_counts[m.actor_id] = (n + 1, m)
        ctx.topic_index += 1
    best = max(((n, m.start, m) for n, m in ctx.topic_counts.values() if m.kind in kinds), default=None,
               key=lambda x: (x[0], x[1]))
    return best[2] if best else None


def _arguments(pred, base: int, sdoc, ctx: DocContext, lex: EventLexicon, skip: set[int]) -> _Args:
    actors = ctx.actors
    subj_tok, passive = _subject(pred)
    if subj_tok is None and pred.pos_ in ("VERB", "AUX"):
        subj_tok, passive = _inherited_subject(pred)
    passive = passive or any(c.dep_ == "agent" for c in pred.children) or _headline_passive(pred, lex)
    if subj_tok is None and pred.pos_ in ("NOUN", "PROPN"):
        subj_tok = _noun_subject(pred, skip)
    subject: list[ActorMention] = []
    if subj_tok is not None:
        subject = _head_mentions(subj_tok, base, sdoc, actors, skip)
        # "Foreign Minister Sergei Lavrov and Secretary of State Antony Blinken met": two
        # subjects the parser left side by side; an "and" between them joins them
        for twin in (c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != subj_tok.i):
            lo, hi = sorted((twin.i, subj_tok.i))
            if subject and any((t.dep_ == "cc" and t.lower_ in ("and", "&"))
                               or (t.text == "," and pred.tag_ == "VBP") for t in sdoc[lo:hi]):
                # (a headline's "Ukraine, Russia swap ...": the comma joins, the plural verb says so)
                have = {id(m) for m in subject}
                subject += [m for m in _head_mentions(twin, base, sdoc, actors, skip) if id(m) not in have]
        if not subject and subj_tok.pos_ == "NOUN" and lex.definite_nouns.get(subj_tok.lower_) == "state":
            subject = _owners_state(subj_tok, base, sdoc, ctx, lex, skip)  # "Orban, whose country took over ..."
        if not subject and subj_tok.pos_ in ("PRON", "NOUN"):
            subject = _resolve_pronoun(subj_tok, base + subj_tok.idx, ctx, lex)
        if subj_tok.pos_ == "NOUN":
            # "its sales in the United States rose", "its headquarters in Espoo was sold": whose, not where
            poss = next((c for c in subj_tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
            where = [p for p in subj_tok.children if p.dep_ == "prep" and p.lower_ in lex.locative_preps]
            if poss is None and not subject:  # "the federation's executive committee": the federation named before
                poss = next((c for c in subj_tok.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
            if poss is not None and (not subject or (where and all(
                    any(p.left_edge.idx + base <= m.start and m.end <= base + p.right_edge.idx + len(p.right_edge.text)
                        for p in where) for m in subject))):
                subject = _resolve_pronoun(poss, base + poss.idx, ctx, lex) or subject
    agents: list[ActorMention] = []
    others: list[ActorMention] = []
    object_tok = None
    for c in pred.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by" and pred.pos_ in ("NOUN", "PROPN")):
            for p in c.children:
                agents += _mentions_in(_arg_tokens(p) - skip, base, sdoc, actors)
            continue
        elif c.dep_ in ("dobj", "dative", "attr", "oprd", "pobj"):
            object_tok = object_tok or c
            found = _mentions_in(_arg_tokens(c) - skip, base, sdoc, actors)
            if c.dep_ == "dobj" and pred.lemma_.lower() in lex.destination_verbs:
                found = [m for m in found if not _a_place_gone_to(m, base + c.idx)]  # "entered Kherson": where
            if found:  # "held first talks in Belarus": where the object's event was, not who
                there = _places_in(c, base, sdoc, actors, lex)
                found = [m for m in found if id(m) not in there]
            if not found and c.tag_ == "WP" and c.lower_ in ("whom", "who") and pred.dep_ == "relcl":
                # "Zelensky, whom Orban visited in Kyiv": the relative pronoun is the noun it follows
                found = [m for m in _head_mentions(pred.head, base, sdoc, actors, skip) if m.kind == "person"]
                if found and c.i not in titles.current_names():
                    titles.current_names()[c.i] = _display(found[0])
            elif not found and c.pos_ == "PRON":
                found = _resolve_pronoun(c, base + c.idx, ctx, lex)
                own = {m.actor_id for m in subject}  # "Putin rewards him": never Putin himself
                named = list(dict.fromkeys(_display(m) for m in found if m.kind == "person" and m.actor_id not in own))
                if c.lower_ in ("him", "her") and len(named) == 1 and c.i not in titles.current_names():
                    titles.current_names()[c.i] = named[0]  # "suspended him": "suspends Bellini" ("it", "them": too often no actor)
            elif not found and c.dep_ == "dobj" and c.pos_ == "NOUN":
                # "announced the company's move": whose; "Terminal 3 will open its doors":
                # a possessive pronoun is the clause's own subject, named or not
                poss = next((k for k in c.children if k.dep_ == "poss" and k.pos_ in ("PRON", "NOUN")), None)
                if poss is not None and (poss.pos_ == "NOUN" or subj_tok is None):
                    found = _resolve_pronoun(poss, base + poss.idx, ctx, lex)
            others += found
        elif c.dep_ == "prep" and c.i not in skip:
            for p in c.children:
                if p.dep_ == "pobj" and p.i not in skip:
                    found = _mentions_in(_arg_tokens(p) - skip, base, sdoc, actors)
                    if c.lower_ in lex.between_preps and not found and _group_reference(p, lex):
                        found = _resolve_pronoun(p, base + p.idx, ctx, lex)  # "the call between the two leaders"
                    if c.lower_ in lex.locative_preps:  # "met in Berlin": where, not who
                        found = [m for m in found if m.kind in ("person", "organisation")]
                    elif c.lower_ in lex.travel_preps and pred.lemma_.lower() in lex.travel_verbs:
                        found = [m for m in found if not _a_place_gone_to(m, base + p.idx)]  # "flew to Japan"
                    if found:  # "fell into the reservoir behind the dam in northern Italy": where
                        there = _places_in(p, base, sdoc, actors, lex)
                        found = [m for m in found if id(m) not in there]
                    others += found
        elif c.dep_ in ("compound", "amod", "nmod") and pred.pos_ in ("NOUN", "PROPN") and (subj_tok is None or c.i != subj_tok.i):
            others += _mentions_in(_arg_tokens(c) - skip, base, sdoc, actors)
    sub_ids = {id(m) for m in subject}
    others = [m for m in others if id(m) not in sub_ids]
    if pred.pos_ in ("NOUN", "PROPN") and not subject and agents:
        subject, agents = agents, []  # "the announcement by General Motors"
    if pred.pos_ in ("NOUN", "PROPN") and not subject and not agents:
        gov, via_object = pred.head, False
        for _ in range(6):
            if gov.pos_ in ("VERB", "AUX") or gov.head.i == gov.i:
                break
            # "since the start of the invasion": a time the act is set against, not the subject's act
            via_object = via_object or gov.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") or (
                gov.dep_ == "prep" and gov.lower_ in lex.anchor_preps)
            gov = gov.head
        # "Putin said during a call with Scholz": Putin was on the call; "announced the plan":
        # the plan is the subject's; but "Odinga rejected the result of the election": a noun
        # inside another noun's phrase is not the subject's act
        if gov.pos_ in ("VERB", "AUX") and gov.i != pred.i and not via_object:
            g_subj, _ = _subject(gov)
            if g_subj is None:
                g_subj, _ = _inherited_subject(gov)
            if g_subj is not None:
                subject = [m for m in _mentions_in(_arg_tokens(g_subj) - skip, base, sdoc, actors)
                           if id(m) not in {id(o) for o in others}]
        ntype = lex.nouns.get(pred.lower_, {}).get("type")
        if len({m.actor_id for m in subject + others}) < 2 and ntype in _MULTI_PARTY:
            have = {m.actor_id for m in subject + others}
            others += [m for m in _clause_actors(pred, base, sdoc, ctx, lex, skip) if m.actor_id not in have]
        if not subject and not others and ntype in _MULTI_PARTY and _definite(pred, lex) and ctx.last_of_type.get(ntype):
            others = list(ctx.last_of_type[ntype])  # "last week's call", "the call on Friday": the call told before
    if pred.dep_ == "ROOT" and subject:
        ctx.subjects.setdefault(base, subject[0])
    return _Args(subject, subj_tok, passive, agents, others, object_tok, base)


def _owners_state(noun, base: int, sdoc, ctx: DocContext, lex: EventLexicon, skip: set[int]) -> list[ActorMention]:
    """"his country", "whose country": the state of the person the possessive refers to (a
    person with a known country), told in the title by the state's name ("Hungary takes over
    the EU's rotating presidency", not "Country takes over ...")."""
    poss = next((c for c in noun.children if c.dep_ == "poss" and c.tag_ in ("PRP$", "WP$")), None)
    gaz = ctx.gazetteer
    if poss is None or gaz is None:
        return []
    if poss.tag_ == "WP$":  # "Orban, whose country": the noun the relative clause is about
        clause = next((t for t in noun.ancestors if t.dep_ == "relcl"), None)
        owners = _head_mentions(clause.head, base, sdoc, ctx.actors, skip) if clause is not None else []
    else:
        owners = _resolve_pronoun(poss, base + poss.idx, ctx, lex)
    people = [m for m in owners if m.kind == "person" and m.country]
    state = gaz.holder_of.get(people[0].country) if len(people) == 1 else None
    if state is None or state.kind != "state":
        return []
    titles.current_names()[noun.i] = state.name
    titles.current_names()[poss.i] = None
    start = base + token_offsets(sdoc)[noun.i][0]
    return [ActorMention(ctx.doc.id, start, start + len(noun.text), noun.text, state.id, state.name, "state",
                         state.country, resolved=True, via="metonym")]


def _clause_actors(noun, base: int, sdoc, ctx: DocContext, lex: EventLexicon, skip: set[int]) -> list[ActorMention]:
    """For an event noun with no participant of its own ("pointing to the negotiations
    in Istanbul"): the actors of the smallest clause around it, without the speaker of
    a reporting verb."""
    tok = noun
    found: list[ActorMention] = []
    for _ in range(10):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        if tok.dep_ == "ROOT" and tok.lemma_.lower() in lex.reporting:
            return []
        # (not from a clause or phrase the act is set against: "weeks after Russia's invasion
        # began", "signed ... after 10 days of talks mediated by the African Union")
        against = {t.i for c in tok.children if (c.dep_ == "advcl" and any(
            k.dep_ == "mark" and k.lower_ in lex.anchor_preps for k in c.children)) or (
            c.dep_ == "prep" and c.lower_ in lex.anchor_preps) for t in c.subtree}
        found = [m for m in _mentions_in({t.i for t in tok.subtree} - skip - against, base, sdoc, ctx.actors)
                 if m.kind != "place"]
        if found:
            # "at talks in Saudi Arabia": a state where it happened is no party (as in ``_arguments``)
            there = _places_in(tok, base, sdoc, ctx.actors, lex)
            found = [m for m in found if id(m) not in there]
            break
    speakers = set()
    for t in tok.subtree:
        if t.pos_ == "VERB" and t.lemma_.lower() in lex.reporting:
            subj, _ = _subject(t)
            if subj is not None:
                speakers |= {id(m) for m in _mentions_in(_arg_tokens(subj), base, sdoc, ctx.actors)}
    return [m for m in found if id(m) not in speakers]


def _a_place_gone_to(m: ActorMention, head: int) -> bool:
    """Is a name gone to, from or through ("flew to Japan", "entered Kherson", "crossed the
    Meuse", "retreated to Dunkirk") a place? A state or city is; so is a one-word name the
    tagger called an organisation but no list knows (a river or a town it does not know is
    often tagged so), if it is the goal itself (``head``: where the goal's head word starts),
    not its owner ("flew to Qantas' birthday celebrations"); a person or a known organisation
    ("returned to Boeing") is who."""
    if m.kind not in ("person", "organisation"):
        return True
    return (m.kind == "organisation" and not m.resolved and m.via == "ner" and " " not in m.text.strip()
            and m.start <= head < m.end)


def _places_in(root, base: int, sdoc, actors, lex: EventLexicon) -> set[int]:
    """The ids of the states (and places) named after a locative preposition inside ``root``'s
    phrase ("held first talks in Belarus", "at talks in Saudi Arabia"): where, not who."""
    where = {i for t in root.subtree if t.dep_ in ("prep", "conj") and t.pos_ == "ADP" and t.lower_ in lex.locative_preps
             for p in t.children if p.dep_ == "pobj" for i in _arg_tokens(p)}
    return {id(m) for m in _mentions_in(where, base, sdoc, actors) if m.kind not in ("person", "organisation")} \
        if where else set()


def _event_actor(m: ActorMention, role: str) -> EventActor:
    return EventActor(m.actor_id, m.name, role, m.country, m.kind, m.resolved, m.office)


def _roles(args: _Args, etype: str) -> list[EventActor]:
    out: list[EventActor] = []
    multi = etype in _MULTI_PARTY
    if args.passive:
        for m in args.agents:
            out.append(_event_actor(m, "participant" if multi else "agent"))
        for m in args.subject:
            out.append(_event_actor(m, "participant" if multi else "target"))
    else:
        role = "speaker" if etype == "statement" else "participant" if multi else "agent"
        for m in args.subject:
            out.append(_event_actor(m, role))
        for m in args.agents:
            out.append(_event_actor(m, "agent"))
    for m in args.others:
        out.append(_event_actor(m, "participant" if multi else "target"))
    return _dedupe_actors(out)


# ----------------------------------------------------------------------------- modality, type

def _aux_lemmas(pred) -> set[str]:
    return {c.lower_ for c in pred.children if c.dep_ in ("aux", "auxpass")}


def _adjective_head(pred, lex: EventLexicon) -> str | None:
    """"is due to visit" -> "due": the adjective ``pred`` completes, if the lexicon knows it."""
    head = pred.head
    if pred.dep_ == "xcomp" and head.pos_ == "ADJ" and head.lower_ in lex.adjective_heads:
        return head.lower_
    return None


def _modality(pred, etype: str, lex: EventLexicon) -> str:
    chain = [pred]
    if pred.dep_ == "xcomp":
        chain.append(pred.head)
    adjective = _adjective_head(pred, lex)
    if adjective is not None:
        chain.append(pred.head.head)  # "is not ready to meet": the copula holds the "not"
    if any(c.dep_ == "neg" for t in chain for c in t.children):
        return "refused"
    if adjective is not None:
        return lex.adjective_heads[adjective]
    auxes = set().union(*(_aux_lemmas(t) for t in chain))
    if _directed(pred, lex):
        return "planned"  # "ordered the bank to stop issuing bonds and to give details by March 6": not done yet
    if pred.dep_ == "xcomp" and pred.head.lemma_.lower() in lex.plan_verbs:
        if pred.head.lemma_.lower() in ("propose", "offer"):
            return "proposed"
        if pred.head.lemma_.lower() not in ("agree", "decide") or auxes & lex.modal_future:
            return "planned"
    if auxes & lex.modal_future or "going" in auxes:
        return "planned"
    if pred.dep_ == "ROOT" and any(c.dep_ == "aux" and c.lower_ == "to" for c in pred.children):
        return "planned"  # the headline's "Boeing to cut 10% of workforce": announced, not done
    if auxes & lex.modal_possible:
        return "proposed"
    if etype == "proposal":
        return "proposed"
    planned = _object_of_a_plan(pred, lex)
    if planned is not None:
        return planned
    return "occurred"


def _directed(pred, lex: EventLexicon) -> bool:
    """Is the verb what someone was ordered to do, through the verbs it is joined to or
    completes ("ordered the bank to stop issuing bonds and to give details")?"""
    x = pred
    for _ in range(4):
        if x.dep_ not in ("xcomp", "conj") or x.head.pos_ != "VERB":
            return False
        if x.dep_ == "xcomp" and x.head.lemma_.lower() in lex.directive_verbs \
                and any(c.dep_ in ("dobj", "dative") for c in x.head.children):
            return True
        x = x.head
    return False


def _after_publication(t: Timex, published) -> bool:
    """Does the expression name a time after the article's day? (What is proposed can be;
    the proposing cannot: "had proposed the talks last Sunday" dates the proposal.)"""
    return published is not None and t.range_start is not None and t.range_start > published


def _object_of_a_plan(noun, lex: EventLexicon) -> str | None:
    """"proposed talks", "called for a ceasefire", "scheduled a summit": the event noun is
    what someone proposes or plans (``plan_object_verbs``), not what happened."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        return lex.plan_object_verbs.get(noun.head.lemma_.lower())
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        return lex.plan_object_verbs.get(f"{noun.head.head.lemma_.lower()} {noun.head.lower_}")
    return None


def verb_lemma(tok, lex: EventLexicon) -> str:
    """The token's lemma, or, when the lemmatizer's guess is a word the lexicons do not know
    and a regular reading of the surface form is ("staged" -> "stag" / "stage"), that one."""
    lemma = tok.lemma_.lower()
    known = lex.known_verbs
    if lemma in known or tok.pos_ not in ("VERB", "AUX"):
        return lemma
    text = tok.lower_
    forms = ((text[:-1], text[:-2], text[:-3] + "e", text[:-3], text[:-2] + "e") if text.endswith(("ed", "es", "ing"))
             else (text[:-1],) if text.endswith("s") else ())  # never "seek" -> "see"
    for cand in forms:
        if cand in known:
            return cand
    return lemma


def _type_of(pred, lex: EventLexicon) -> str:
    if pred.pos_ in ("NOUN", "PROPN"):
        return lex.nouns.get(pred.lower_, {}).get("type", "other")
    lemma = verb_lemma(pred, lex)
    particle = next((c.lower_ for c in pred.children if c.dep_ == "prt" or (
        c.dep_ == "advmod" and c.i == pred.i + 1 and c.lower_ in lex.particles)), None)
    if particle and f"{lemma} {particle}" in lex.verb_type:  # "put forward" a plan, "set out" terms
        return lex.verb_type[f"{lemma} {particle}"]
    if lemma in lex.light_verbs:  # "held a phone call", "signed a deal": the noun says what happened
        obj = next((c for c in pred.children if c.dep_ == "dobj" and c.lower_ in lex.nouns), None)
        if obj is not None:
            return lex.nouns[obj.lower_]["type"]
    if lemma in ("speak", "talk"):
        mutual = any(c.dep_ == "prep" and c.lower_ in ("with", "to", "by", "over") for c in pred.children) or any(
            c.dep_ == "nsubj" and (any(k.dep_ == "conj" for k in c.children) or _group_reference(c, lex))
            for c in pred.children)
        return "call_meeting" if mutual else "statement"
    if lemma == "call" and any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in pred.children):
        return "demand"
    return lex.verb_type.get(lemma, "other")


def _tense_done(pred) -> bool:
    """Past, present perfect or a headline present ("announces"): something happened."""
    if pred.tag_ == "VBD":
        return True
    auxes = {c.lower_ for c in pred.children if c.dep_ in ("aux", "auxpass")}
    if pred.tag_ == "VBN" and auxes & {"has", "have", "had", "was", "were", "been"}:
        return True
    return False


# ----------------------------------------------------------------------------- titles

def _part_of_governed(noun, governed: dict) -> bool:
    """"carried out the first stage of a prisoner exchange on Friday": the object is a part of
    a dated event noun ("of" it), so the verb tells that event, not one of its own."""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(p.dep_ == "pobj" and p.i in governed for p in c.children)
               for c in noun.children)


def _definite(noun, lex: EventLexicon) -> bool:
    """"the call", "last week's call", "Friday's talks", "that meeting": a noun that refers to
    one the reader knows of, not "a call" or "calls"."""
    return any((c.dep_ == "det" and c.lower_ in lex.definite_determiners) or c.dep_ == "poss"
               for c in noun.children)


def _acts_as_subject(tok) -> bool:
    """Is this word (or the first of the words it is coordinated with) a subject, or the
    agent of a passive ("the Kremlin said", "rejected by Moscow")? A city that stands for its
    government is told by the state's name only there."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "pobj" and tok.head.dep_ == "agent")


def _people(m: ActorMention, tok) -> bool:
    """A state the tagger found as a counted number of its people ("five Iranians", "two
    Americans"); "the Iranians launched an offensive" is the state."""
    return (tok is not None and m.kind == "state" and m.via == "ner-linked" and " " not in m.text
            and m.text.endswith("s") and m.text not in (m.name, m.name + "s")
            and any(c.dep_ == "nummod" for c in tok.children))


def _written_plural(m: ActorMention) -> bool:
    """Is the actor written in the plural in a title ("Qatari officials")?"""
    return m.via == "demonym" and _display(m) == m.text and m.text.endswith("s")


def _display(m: ActorMention, tok=None) -> str:
    """How a title names the actor of mention ``m`` (``tok``: the word the mention heads, if known)."""
    if m.via == "demonym" and m.text.lower().rsplit(" ", 1)[-1] in event_lexicon().written_demonym_nouns:
        return m.text  # "Russian officials", "Russian drones": the words, not "Russia"
    if _people(m, tok):
        return m.text  # "released five Iranians": the people, not "five Iran"
    if m.kind == "person" and len(m.name.split()) >= 2:
        # headlines use surnames: "Ford", "Xi"; or the one name the article calls them by
        return titles.short_name(m.actor_id) or family_name(m.name)
    return m.name


def _quantity_words(tok, skip: set[int]) -> list[str]:
    """"two of the Rolls-Royce Trent 900 engines" -> "two Trent 900 engines"-like: the
    number and the counted noun with its compounds."""
    if tok.pos_ != "NUM" and tok.lower_ not in ("some", "many", "most", "all", "several", "half", "none"):
        return []
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if noun is None or noun.i in skip:
        return []
    mods = [t.text for t in noun.subtree if t.i < noun.i and t.i not in skip and t.dep_ not in ("det", "poss", "punct", "case")]
    return [tok.text, *(mods if len(mods) <= 3 else []), noun.text]


def _named_in_apposition(tok, subject: list[ActorMention], base: int) -> list[ActorMention]:
    """"said the general secretary of the union, Tony Woodley": the person the
    description is in apposition with names the subject (also a name the parser joined
    to a person's title by "and": "the company president and CEO Louis Gallois")."""
    offsets = token_offsets(tok.doc)
    titled = tok.lower_ in actor_lexicon().person_titles  # "the company president and CEO Louis Gallois"
    spans = [(base + offsets[t.i][0], base + offsets[t.i][1]) for t in tok.subtree
             if t.pos_ == "PROPN" and (t.dep_ == "appos" or (titled and t.dep_ == "conj" and t.head.i == tok.i))]
    return [m for m in subject if m.kind == "person" and any(s < m.end and m.start < e for s, e in spans)]


def _named_inside(tok, args: _Args) -> bool:
    """Does a subject actor stand inside the noun phrase ("the Russian side"), rather than
    come from coreference ("the planemaker" -> Boeing)?"""
    if args.base is None or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
        return True  # "its sales", "his company": the phrase, pronoun and all
    lex = event_lexicon()
    if tok.lower_ not in actor_lexicon().organisation_nouns and tok.lower_ not in lex.group_nouns \
            and tok.lower_ not in lex.named_only_nouns and lex.definite_nouns.get(tok.lower_) != "state":
        return True  # "the alliance": the phrase unless it is plainly a company, a country, the parties just named or the court named before
    offsets = token_offsets(tok.doc)
    lo = args.base + offsets[tok.left_edge.i][0]
    hi = args.base + offsets[tok.right_edge.i][1]
    return any(m.start < hi and lo < m.end for m in args.subject)


_POSSESSIVES = frozenset({"its", "their"})  # "his", "her": which person is a guess best left to the reader


def _subject_text(args: _Args, skip: set[int]) -> tuple[str | None, bool]:
    if args.passive and args.agents:
        names = list(dict.fromkeys(_display(m) for m in args.agents))
        return " and ".join(names[:3]), len(names) > 1
    tok = args.subject_tok
    if args.subject and tok is not None and tok.pos_ == "NOUN" and _paired_modifiers(tok):
        words = [t.text for t in tok.subtree if t.i <= tok.i and t.i not in skip and t.dep_ != "det"]
        if len(words) <= 5:  # "Ukrainian and Russian negotiators sit ...", not one side's name
            return titles.clean(words), tok.tag_ in ("NNS", "NNPS")
    if (args.subject and tok is not None and (tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.is_lower))
            and titles.current_names().get(tok.i, "") == ""  # ("transport ministry": a lower-case "PROPN" is a noun)
            and not any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in tok.children)  # "the group Halvorsen": the name
            and _named_inside(tok, args)):  # "the planemaker" resolved to Boeing: the name
        # "The company's shares fell": whose they are is the actor "the company" refers to
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ == "NOUN" and c.i not in skip
                      and c.lower_ in event_lexicon().definite_nouns and len(args.subject) == 1
                      and any(k.dep_ == "det" and k.lower_ in event_lexicon().definite_determiners
                              for k in c.children)), None)
        own = {k.i for k in owner.subtree} if owner is not None else set()
        words = titles.subtree_words(tok, skip | own, depth=0)
        if owner is not None:
            words = [_display(args.subject[0]) + "'s", *words]
        named = _named_in_apposition(tok, args.subject, args.base) if args.base is not None else []
        if named:
            return _display(named[0]), False
        names = titles.current_names()
        whose = next((p for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" and p.i not in skip
                      and any(names.get(t.i) for k in p.children if k.dep_ == "pobj" for t in k.subtree)), None)
        if whose is not None:
            words += titles.subtree_words(whose, skip, depth=0)  # "Shares of Halvard Motors fell": whose shares
        if len(words) <= 5:  # "Ukraine peace summit", "the Russian side": the phrase, not just its modifier
            if words and words[0].lower() in _POSSESSIVES and len(args.subject) == 1:
                name = _display(args.subject[0])
                # "its share rose": "Ford's share rises"; "its Kestrel lander landed": the name is
                # the phrase's own, not the owner -- "Kestrel lander lands", never "Kestrel's Kestrel lander"
                words = words[1:] if name in words[1:] else [name + "'s", *words[1:]]
            return titles.clean(words), tok.tag_ in ("NNS", "NNPS")
    if args.subject:
        m = args.subject[0]
        counted = len(args.subject) == 1 and _people(m, tok)
        names = [_display(m, tok)] if counted else list(dict.fromkeys(_display(m) for m in args.subject))
        # "The Nationalists captured ...": one actor with a plural name
        plural = len(names) > 1 or (tok is not None and tok.tag_ == "NNPS" and m.kind != "person"
                                    and " " not in m.name and m.name.endswith("s")) or (
            tok is not None and tok.tag_ == "NNS" and m.via == "demonym" and names[0] == m.text) or (
            counted)  # "Russian forces capture", "five Americans arrive"
        if len(names) == 1 and names[0] == m.text and tok is not None and m.kind == "state":
            # "Five Americans", "two U.S. citizens": a people written as such keeps its count
            count = [c.text for c in tok.children if c.dep_ == "nummod" and c.i not in skip and c.i < tok.i]
            names = [" ".join([*count, names[0]])]
        denied = tok is not None and any(c.dep_ == "det" and c.lower_ in event_lexicon().negative_determiners
                                         for c in tok.children)  # "no Russian troops": not "Russian troops"
        return ("no " if denied else "") + " and ".join(names[:3]), plural
    if tok is None or tok.pos_ == "PRON":
        return None, False
    words = _quantity_words(tok, skip) or titles.subtree_words(tok, skip, depth=0)
    if len(words) > 5:
        # "a consortium that acquired ...": the noun phrase without its clauses
        words = [t.text for t in (*tok.lefts, tok) if t.i not in skip and t.dep_ in (
            "det", "amod", "compound", "nummod", "poss", "nmod") or t.i == tok.i]
        if len(words) > 5 or not words:
            return None, False
    plural = tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children) or (
        tok.tag_ == "CD" and tok.lower_ not in ("1", "one"))  # "230 of its soldiers returned": "return"
    return " ".join(words), plural


def _phase_verb(noun, lex: EventLexicon) -> str | None:
    """The verb (with its particle) of which the event noun is the object, when it says
    which phase of the event happened ("resumed talks", "called off the summit")."""
    gov = noun.head
    if noun.dep_ != "dobj" or gov.pos_ != "VERB":
        return None
    prt = next((c.lower_ for c in gov.children if c.dep_ == "prt"), None)
    verb = gov.lemma_.lower() + (f" {prt}" if prt else "")
    # "called off the strike" is a phase, "called the strike" none: particle verbs are listed whole
    return verb if verb in lex.phase_verbs or (prt and gov.lemma_.lower() in lex.phase_verbs) else None


def _title(pred, args: _Args, etype: str, modality: str, lex: EventLexicon, skip: set[int],
           reported: "_Reported | None") -> str:
    subject, plural = _subject_text(args, skip)
    if pred.pos_ in ("NOUN", "PROPN"):
        entry = lex.nouns.get(pred.lower_, {})
        if etype in _MULTI_PARTY:  # "Putin and Scholz hold call"
            names = list(dict.fromkeys(_display(m) for m in args.subject + args.others))
            if names:  # ("Qatari officials began talks": one name, written in the plural)
                subject, plural = " and ".join(names[:3]), len(names) > 1 or _written_plural((args.subject + args.others)[0])
        verb = titles.third_person(entry.get("verb", "hold"), plural)
        if _object_of_a_plan(pred, lex) is not None or modality == "planned":  # "proposed talks in Istanbul": "to hold talks"
            verb = "to " + entry.get("verb", "hold")
            if pred.dep_ == "dobj" and pred.head.lemma_.lower() == entry.get("verb"):
                # "announced the acquisition": the announcing is told, done ("announces
                # acquisition"), the acquisition stays planned; never "to announce"
                verb = titles.third_person(pred.head.lemma_.lower(), plural)
        elif pred.dep_ == "dobj" and pred.head.pos_ == "VERB" and pred.head.lemma_.lower() in lex.light_verbs \
                and pred.head.lemma_.lower() not in lex.meeting_light_verbs:
            verb = titles.third_person(pred.head.lemma_.lower(), plural)  # "signed the deal": "signs deal"
        phase = _phase_verb(pred, lex)
        if phase is not None:  # "began the strike": "begins strike", not "carries out strike"
            verb = ("to " + phase) if modality == "planned" else titles.third_person(phase, plural)
        # "Olaf Scholz's call with Putin": the possessor is the title's subject already
        kept = skip | {t.i for c in pred.children if c.dep_ == "poss" for t in c.subtree} if subject else skip
        if subject:  # "the call between the two leaders": the two leaders are the title's subject
            kept = kept | {t.i for c in pred.children if c.dep_ == "prep" and c.lower_ in lex.between_preps
                           and any(p.dep_ == "pobj" and _group_reference(p, lex) for p in c.children)
                           for t in c.subtree}
        # "presented his proposal": "presents", a verb the noun lent none of its meaning to
        lent = pred.dep_ == "dobj" and pred.head.lemma_.lower() != entry.get("verb", "hold") \
            and verb.split()[-1] == titles.third_person(pred.head.lemma_.lower(), plural)
        rest = titles.subtree_words(pred, kept, depth=1) if entry.get("keep") else [
            w for c in pred.children if c.dep_ == "prep" and c.lower_ in ("of", "to", "on", "against", "with")
            for w in titles.subtree_words(c, skip, depth=1)]
        if lent and not entry.get("keep"):
            rest = [pred.text, *rest]  # the verb it took names no act of its own: "presents proposal"
        rest = [w for w in rest if w.lower() not in ("'s", "\u2019s", "his", "her", "its", "their")
                and not (subject and w in subject.split())]
        # "talks with in Istanbul": a party's preposition whose object moved into the subject
        rest = [w for k, w in enumerate(rest) if not (w.lower() in lex.party_preps and (
            k + 1 == len(rest) or rest[k + 1] in lex.locative_preps or rest[k + 1] in lex.occasion_preps))]
        while rest and rest[0].lower() in ("the", "a", "an", "own"):
            rest.pop(0)  # "hold the call" -> "hold call"; "their own offensive" -> "launches offensive"
        while rest and rest[-1].lower() in titles._WEAK_END:
            rest.pop()
        if not subject:
            # no one named does it: the noun phrase is the title ("The military invasion of
            # Iraq began" -> "Military invasion of Iraq begins"), not a verb without subject
            phrase = [w for w in titles.subtree_words(pred, skip, depth=1) if w.lower() not in ("the", "a", "an")]
            occurs = pred.dep_ in ("nsubj", "nsubjpass") and pred.head.lemma_.lower() in lex.occurrence_verbs
            head = []
            if occurs:  # "the meeting took place": "Meeting takes place"; "will take place": "to take place"
                lemma = pred.head.lemma_.lower()
                head = ["to " + lemma if modality == "planned" else titles.third_person(lemma, pred.tag_ == "NNS")]
                head += [c.text for c in pred.head.children if c.dep_ == "dobj" and c.i not in skip
                         and not any(k.dep_ == "det" for k in c.children)]
            if phrase:
                text = titles.headline(None, " ".join(phrase), head)
                return text[:1].upper() + text[1:]
        return titles.headline(subject, verb, rest)
    lemma = pred.lemma_.lower()
    head = pred.head if pred.dep_ == "xcomp" else None
    active = bool(args.passive and args.agents)
    verb = _verb_phrase(pred, head, modality, plural, lex, active)
    rest: list[str] = []
    if active:  # "one proposed by Moscow" -> "Moscow proposes one"
        patient = args.subject_tok if args.subject_tok is not None else (pred.head if pred.dep_ == "acl" else None)
        if patient is not None:
            # (the verb's other words out; "the deal was signed by ...": the subject's own stay in)
            own = {t.i for t in patient.subtree} if patient.head.i == pred.i else set()
            rest = titles.subtree_words(patient, skip | {pred.i} | ({t.i for t in pred.subtree} - own), depth=0)
    if reported is not None and (lemma in lex.reporting or etype == "statement"):
        if reported.own and subject:  # "GM said it would cut jobs" -> "GM to cut jobs"
            return titles.headline(reported.subject or subject, reported.verb, reported.words)
        rest = reported.words
        if lemma not in lex.reporting and lex.verb_type.get(lemma) != "statement":
            # "spoke out on Tuesday that GM has submitted a plan" -> "says GM ..." ("recalls" stays)
            return titles.headline(subject, verb.replace(titles.third_person(lemma, plural),
                                                         titles.third_person("say", plural)), rest)
        if any(c.dep_ in ("dobj", "dative") for c in pred.children) and reported.words:
            # "Peskov told journalists that the call was detailed" -> "Peskov says the call is detailed"
            verb = _verb_phrase(pred, head, modality, plural, lex).replace(titles.third_person(lemma, plural),
                                                                          titles.third_person("say", plural))
    verb = _with_particles(verb, pred, skip, lex)
    if not rest and not active:
        rest = _complement_words(pred, skip, lex)
    return titles.headline(subject, verb, rest)


def _with_particles(verb: str, pred, skip: set[int], lex: EventLexicon) -> str:
    """The verb phrase with the verb's particles: "puts forward", "pushes back", "to step down"."""
    for c in pred.children:
        if c.i not in skip and (c.dep_ == "prt" or (c.dep_ == "advmod" and c.i == pred.i + 1
                                                    and c.lower_ in lex.particles)):
            verb += " " + c.text
        elif c.i == pred.i + 1 and c.dep_ == "advmod" and c.ent_type_ == "ORDINAL":
            verb += " " + c.text  # "came second"
    return verb


def _complement_words(pred, skip: set[int], lex: EventLexicon) -> list[str]:
    """What a headline keeps after the verb: indirect + direct object ("gives them
    something"), else a predicate complement, else the clause it governs ("allows
    Ukraine to use missiles"; "puts forward what the Kremlin calls an initiative" ->
    "an initiative"), else a prepositional phrase of the other party (``party_preps``: "with
    Erdogan") that names one, else the first that is not a time."""
    kids = [c for c in pred.children if c.i not in skip]
    # "spoke to Putin by phone, their first call in two years": a noun phrase set off by a
    # comma after the verb's own phrases says what the act was, it is no object
    objects = [c for c in kids if c.dep_ in ("dative", "dobj")
               and not (c.left_edge.i > pred.i + 1 and c.doc[c.left_edge.i - 1].text == ",")]
    if objects:
        words = [w for c in objects for w in titles.subtree_words(c, skip, depth=1)]
        last = max(t.i for c in objects for t in c.subtree)
        purpose = next((c for c in kids if c.dep_ in ("advcl", "xcomp") and c.i > last and titles._infinitive(c)
                        and all(i in skip for i in range(last + 1, min(t.i for t in c.subtree)))), None)
        if purpose is not None:
            # "cancels a deal to sell Opel", "announced plans Friday to shut down 1,100 dealerships"
            # (the infinitive parsed as the verb's, right after the object but for a date)
            words += titles.subtree_words(purpose, skip, depth=1)
        elif (called := next((c for c in kids if c.dep_ in ("oprd", "ccomp") and c.i > last
                              and (c.dep_ == "oprd" or c.pos_ == "ADJ")), None)) is not None:
            # "called the Russian delegation 'decorative'", "declared Ruto the winner": what it was called
            words += titles.subtree_words(called, skip, depth=1)
        elif all(c.pos_ == "PRON" for c in objects):
            # "entered them into the Congressional Record": a pronoun says little, where it went more
            more = next((c for c in kids if c.dep_ == "prep" and c.i > last and not titles._is_time_prep(c, skip)), None)
            if more is not None:
                words += titles.subtree_words(more, skip, depth=1)
        return words
    if (pred.dep_ == "relcl" and not any(c.dep_ in ("nsubjpass",) for c in kids) and pred.head.pos_ in ("NOUN", "PROPN")
            and not any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in kids)):
        # "the conditions Putin named": the noun the clause modifies is what was named
        if not any(c.dep_ == "nsubj" and c.i == pred.head.i for c in kids):
            return titles.subtree_words(pred.head, skip | {t.i for t in pred.subtree}, depth=0)
    for c in kids:
        if c.dep_ in ("attr", "oprd", "acomp") or (
                c.dep_ == "ccomp" and c.pos_ == "NOUN" and c.i > pred.i and any(k.dep_ == "nsubj" for k in c.children)):
            # (a clause without a verb: "would make the venture a leader in the industry")
            return titles.subtree_words(c, skip, depth=1)
    for c in kids:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") and (c.i > pred.i or _content(c)):
            if any(k.tag_ in ("WP", "WDT") for k in c.children):  # a free relative: keep its object
                obj = next((k for k in c.children if k.dep_ in ("oprd", "attr", "dobj") and k.tag_ not in ("WP", "WDT")), None)
                return titles.subtree_words(obj, skip, depth=1) if obj is not None else []
            return titles.clause_words(c, skip)
    for c in kids:
        if c.dep_ == "advcl" and c.i > pred.i and any(k.dep_ == "mark" and k.lower_ == "for" for k in c.children):
            return ["for", *titles.clause_words(c, skip)]  # "called for the vote to be held"
    preps = [c for c in kids if c.dep_ == "prep" and not titles._is_time_prep(c, skip)]
    # "spoke by phone with Erdogan": the phrase naming a party over the manner
    # (also hung on the phrase before: "by phone with Erdogan"); not "with X saying ...": no party
    named = titles.current_names()  # token -> the actor named there (the sentence's mentions)
    party = next((p for c in preps for p in c.subtree if p.dep_ == "prep" and p.lower_ in lex.party_preps
                  and (p.i == c.i or (p.head.dep_ == "pobj" and p.head.head.i == c.i
                                      and p.head.lower_ not in lex.nouns))  # "a deal with Boeing": the deal's party
                  and any(named.get(t.i) for t in p.subtree)
                  and not any(t.pos_ in ("VERB", "AUX") for t in p.subtree)), None)
    if party is not None or preps:
        return titles.subtree_words(party if party is not None else preps[0], skip, depth=1)
    # "we have not done enough", "should do more": the amount is what the verb says
    return [c.text for c in kids if c.dep_ == "advmod" and c.i > pred.i and c.lower_ in lex.degree_complements][:1]


def _verb_phrase(pred, head, modality: str, plural: bool, lex: EventLexicon, active: bool = False) -> str:
    neg = any(c.dep_ == "neg" for c in pred.children) or (head is not None and any(c.dep_ == "neg" for c in head.children))
    passive = any(c.dep_ == "auxpass" for c in pred.children) or _headline_passive(pred, lex) or _joined_passive(pred, lex)
    lemma = verb_lemma(pred, lex)
    if _light_with_an_event(pred, lex):
        lemma = lex.meeting_light_verbs[lemma]  # "had a telephone conversation" -> "holds telephone conversation", as headlines say
    adjective = _adjective_head(pred, lex) if head is not None else None
    if adjective is not None and lex.adjective_heads[adjective] != "planned":
        neg = neg or any(c.dep_ == "neg" for c in head.head.children)
        return f"{'not ' if neg else ''}{adjective} to {lemma}"  # "ready to meet", "unable to travel"
    if head is not None and head.lemma_.lower() in lex.title_xcomp_heads:
        hl = head.lemma_.lower()
        if modality == "planned" and hl in lex.plan_verbs and hl not in ("agree", "decide", "refuse", "decline"):
            return f"to be {pred.text.lower()}" if passive else f"to {lemma}"  # "expected to be sworn in"
        base = titles.third_person(hl, plural)
        if neg:
            base = ("do not " if plural else "does not ") + hl
        return f"{base} to {lemma}"
    modal = next((c.lower_ for c in pred.children if c.dep_ == "aux" and c.lemma_.lower() in lex.modal_possible), None)
    if modal is not None and head is None and not active:
        # "he could settle the conflict" -> "could settle": the hedge is part of the news
        return f"{modal}{' not' if neg else ''} " + (f"be {pred.text.lower()}" if passive else lemma)
    if passive and not active:
        if modality == "planned":  # "would be replaced" -> "to be replaced"
            return ("not " if neg else "") + "to be " + pred.text.lower()
        return ("not " if neg else "") + pred.text.lower()
    if modality == "planned":
        return ("not to " if neg else "to ") + lemma
    if neg and lemma == "be":
        return "are not" if plural else "is not"  # "was not free and fair": "is not", never "does not be"
    if neg:
        return ("do not " if plural else "does not ") + lemma
    return titles.third_person(lemma, plural)


@dataclass
class _Reported:
    """What a reporting verb's clause says, for the title: its words after the speaker
    ("says Russia is ready for talks"), or, when the speaker reports on itself ("GM said
    it would cut jobs", "'I am delighted,' he told the BBC"), the clause told as the
    speaker's own act ("GM to cut jobs"), as headlines do."""
    words: list[str]
    own: bool = False  # the speaker is the clause's subject: title it without "says"
    verb: str = ""
    subject: str | None = None  # the speaker's name(s), for an ``own`` title
    clause: object = None  # the reported clause's verb and its arguments, read once
    clause_args: "_Args | None" = None


_FIRST_PERSON = frozenset({"i", "we"})
_PLURAL_PRONOUNS = frozenset({"they", "we", "i", "you"})  # (as a verb takes them: "I expect", "they expect")


def _reported_verb(c, modality: str, plural: bool, passive: bool, skip: set[int], lex: EventLexicon) -> str:
    verb = _with_particles(_verb_phrase(c, None, modality, plural, lex), c, skip, lex)
    if passive and not verb.startswith(("to ", "not ")) and verb.split()[0] not in lex.modal_possible:
        verb = ("are " if plural else "is ") + verb  # "says he was assured" -> "says he is assured"
    return verb


def _reported_content(pred, skip: set[int], base: int, sdoc, ctx: DocContext, lex: EventLexicon,
                      speaker: _Args, own_title: bool = True) -> _Reported | None:
    """"said that Russia is ready for talks" -> ['Russia', 'is', 'ready', 'for', 'talks']."""
    for c in pred.children:
        if _content(c) and (c.pos_ in ("VERB", "AUX") or (c.pos_ == "ADJ" and any(k.dep_ == "auxpass" for k in c.children))):
            # (a participle in quotes is tagged an adjective: 'he had been "overwhelmed"')
            args = _arguments(c, base, sdoc, ctx, lex, skip)
            subj, plural = _subject_text(args, skip)
            tok = args.subject_tok
            if not subj and (tok is None or tok.i in skip):
                when = tok if tok is not None else next(
                    (k for k in c.children if k.dep_ in ("nsubj", "nsubjpass") and k.i in skip), None)
                if when is not None and when.i in skip:  # "said: 'Today is a great day'": the time is the clause's subject
                    subj = " ".join(t.text for t in when.subtree).lower()
            if tok is None:  # "there is a lot of anger": the expletive keeps the clause readable
                tok = next((k for k in c.children if k.dep_ == "expl"), None)
            pronoun = tok is not None and (tok.pos_ == "PRON" or tok.tag_ == "EX")
            # "it's not going to be a pleasant sight": a future of "be" is "be"
            is_be = c.lemma_ == "be" or (c.lemma_ == "go" and any(k.dep_ == "xcomp" and k.lemma_ == "be" for k in c.children))
            if pronoun and (is_be or subj is None):
                subj = None  # "said it was the best decision": "it" is no actor here
                plural = tok.lower_ in ("they", "we") or (tok.tag_ == "EX" and any(
                    k.dep_ == "attr" and k.tag_ in ("NNS", "NNPS") for k in c.children))  # "there are no plans"
            modality = _modality(c, _type_of(c, lex), lex)
            passive = any(k.dep_ == "auxpass" for k in c.children)
            verb = _reported_verb(c, modality, plural, passive, skip, lex)
            rest = _complement_words(c, skip, lex)
            said_by, said_plural = _subject_text(speaker, skip)
            if said_by and subj and subj.startswith(said_by + "'s ") and tok is not None:
                poss = next((k.text.lower() for k in tok.children if k.dep_ == "poss" and k.pos_ == "PRON"), None)
                if poss is not None:  # "Ford says its sales rise", not "Ford says Ford's sales rise"
                    subj = poss + subj[len(said_by) + 2:]
            speakers = {m.actor_id or m.name for m in speaker.subject + speaker.agents}
            # "it's hard to say": no one; "'they're dealerships that lose money,' said GM's vice
            # president": what they are, not GM
            bound = not (pronoun and is_be and tok.lower_ in ("it", "they", "this", "that"))
            st = speaker.subject_tok
            same = bool(said_by) and bool(speakers) and (subj == said_by or (pronoun and (
                tok.lower_ in _FIRST_PERSON or (bound and bool(speakers & {m.actor_id or m.name for m in args.subject})))))
            # "has not said whether he will": no act to tell; "his critics say he": not him
            own = same and not any(k.dep_ == "neg" for k in pred.children) and not (
                st is not None and st.pos_ == "NOUN" and any(k.dep_ == "poss" and k.pos_ == "PRON" for k in st.children))
            if own and not passive and own_title:  # the verb agrees with the speaker now: "Young focuses on costs"
                names = list(dict.fromkeys(_display(m) for m in speaker.subject + speaker.agents))
                if names and (st is None or st.pos_ != "NOUN" or any(
                        c.dep_ == "prep" and c.lower_ in ("from", "by", "of") for c in st.children)):
                    # "a statement from Boeing said we are disappointed" -> "Boeing is disappointed"
                    # ("a UAW negotiator said" stays the negotiator)
                    said_by, said_plural = " and ".join(names[:3]), len(names) > 1
                return _Reported(rest, own=True, verb=_with_particles(_verb_phrase(c, None, modality, said_plural, lex),
                                                                      c, skip, lex), subject=said_by,
                                 clause=c, clause_args=args)
            if same and pronoun:  # "said he had been assured" -> "says he is assured"
                subj = tok.lower_
            if subj is None and pronoun:
                subj = tok.lower_  # "says it is the best decision": an unresolved pronoun stays one
            if pronoun and tok.tag_ != "EX" and subj == tok.lower_ and (tok.lower_ in _PLURAL_PRONOUNS) != plural:
                # the verb agrees with the pronoun written, not with the name it was resolved
                # to ("economists at the bank said they expected": "they expect", not "expects")
                plural = tok.lower_ in _PLURAL_PRONOUNS
                verb = _reported_verb(c, modality, plural, passive, skip, lex)
            if subj and verb.startswith("to "):
                verb = "will " + verb[3:]  # "predicts it will be profitable", not "it to be"
            words = ([subj] if subj else []) + ([verb] if verb else []) + rest
            return _Reported([w for w in words if w], clause=c, clause_args=args)
    return None


def _comparison_point(prep, lex: EventLexicon) -> bool:
    """Is the time after ``prep`` what a first or a superlative is measured against ("posted
    its first annual loss since 1998", "closed at their highest level since March 2009")? The
    words looked at: the preposition's head, the objects and prepositional objects of that
    head, and their modifiers (not the subject: "the largest carrier, suspended since 2003")."""
    if prep.lower_ not in lex.comparison_preps or prep.dep_ != "prep":
        return False
    head = prep.head
    nouns = [head] + [c for c in head.children if c.dep_ in ("dobj", "attr", "npadvmod", "oprd", "acomp")]
    nouns += [g for c in head.children if c.dep_ == "prep" and c.i != prep.i for g in c.children if g.dep_ == "pobj"]
    return any(w.tag_ in ("JJS", "RBS") or (w is not head and w.dep_ in ("amod", "advmod") and w.lower_ in lex.comparison_marks)
               for n in nouns for w in [n, *n.children])


def _share_with_when_clauses(sdoc, governed: dict[int, Timex], lex: EventLexicon) -> None:
    """A clause opened by "when" (``simultaneous_marks``) happens at its governing verb's
    time, and that verb at the clause's: "the deal collapsed last summer when Russia refused
    to extend it" dates the refusal; "When Putin arrived on Monday, Scholz greeted him" the
    greeting. Only verbs with a subject of their own; a verb's own date is never replaced.
    Likewise an act told as done at a dated occasion (``occasion_preps``: "in a televised
    address on Tuesday") takes the occasion's date."""
    for tok in (sdoc[i] for i in token_indices(sdoc, "DEP", "advcl")):
        if tok.pos_ not in ("VERB", "AUX") or not any(
                k.dep_ in ("advmod", "mark") and k.lower_ in lex.simultaneous_marks and k.i < tok.i
                for k in tok.children):
            continue
        head = tok.head
        pair = [(tok, head), (head, tok)] if tok.i not in governed else [(head, tok)]
        for target, source in pair:
            if source.i in governed and target.i not in governed and _subject(target)[0] is not None:
                governed[target.i] = governed[source.i]
                break
    # "conceded defeat in a televised address on Tuesday": the occasion's date is the act's
    for i in list(governed):
        noun = sdoc[i]
        prep = noun.head
        verb = prep.head
        if noun.pos_ == "NOUN" and noun.dep_ == "pobj" and prep.lower_ in lex.occasion_preps \
                and verb.pos_ == "VERB" and verb.i not in governed and prep.dep_ == "prep":
            governed[verb.i] = governed[i]
    # "Putin and Trump spoke on Tuesday, the Kremlin said, and Putin agreed to ...": a past act
    # joined to the dated main clause, with no date of its own, happened then too
    for tok in (sdoc[i] for i in token_indices(sdoc, "TAG", "VBD") if i not in governed):
        if _joined_to_an_inserted_saying(tok, lex):
            root = tok.head.head
            if root.i in governed and root.tag_ == "VBD":
                governed[tok.i] = governed[root.i]
    # "conceded defeat on Tuesday and said he would ...": a saying joined to a dated act
    for tok in (sdoc[i] for i in token_indices(sdoc, "DEP", "conj")):
        if tok.head.i in governed and tok.i not in governed and tok.pos_ == "VERB" \
                and tok.lemma_.lower() in lex.reporting and _subject(tok)[0] is None \
                and not any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in tok.children):
            # ("lost a bid in July and has said it will appeal": a present perfect is not July's)
            governed[tok.i] = governed[tok.head.i]


# ----------------------------------------------------------------------------- the frames

def _reattach_said_in_a_statement(sdoc, lex: EventLexicon) -> None:
    """"said in a statement that he took responsibility": the parser may read the "that"
    clause as the statement's content (a clause of the noun) where it is what was said. A
    clause with "that" and a subject of its own, on the object of a preposition of where it
    was said (``medium_preps``: "in a statement", not "following speculation that") of a
    reporting verb that reports nothing else, is made that verb's reported clause (the
    parse is changed in place, before the frames read it)."""
    for i in token_indices(sdoc, "DEP", "acl"):
        c = sdoc[i]
        noun, prep = c.head, c.head.head
        verb = prep.head
        if not (noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in lex.medium_preps and verb.pos_ == "VERB"
                and verb.lemma_.lower() in lex.reporting and c.pos_ in ("VERB", "AUX")
                and any(k.dep_ == "mark" and k.lower_ == "that" for k in c.children)
                and any(k.dep_ in ("nsubj", "nsubjpass") for k in c.children)
                and not any(k.dep_ == "ccomp" for k in verb.children)):
            continue
        c.head = verb
        c.dep_ = "ccomp"
        sdoc.user_data.pop("timeline_attr_DEP", None)


def frames_for_sentence(sent: SentenceInfo, sdoc, timexes: list[Timex], ctx: DocContext,
                        lex: EventLexicon | None = None) -> list[EventMention]:
    """Event mentions of one parsed sentence (``sdoc`` is its spaCy Doc)."""
    lex = lex or event_lexicon()
    _reattach_said_in_a_statement(sdoc, lex)
    doc = ctx.doc
    base = sent.start
    timexes = [_after_an_event(t, doc.text, ctx) for t in timexes]
    timexes = [_after_the_days_act(t, doc.text, timexes, lex) for t in timexes] + _near_an_event(sent, timexes, ctx)
    dated = [t for t in timexes if _dated(t) and not _baseline(t, doc.text, lex)]
    skip: set[int] = set()
    governed: dict[int, Timex] = {}
    for t in timexes:
        span = sdoc.char_span(t.start - base, t.end - base, alignment_mode="expand")
        if span is None:
            continue
        if t.type != "DURATION":  # a length stays in the title: "sentenced to nine years", "banned for four years"
            skip.update(range(span.start, span.end))
        if t in dated and span.start > 0 and _comparison_point(sdoc[span.start - 1], lex):
            dated.remove(t)  # a yardstick, as if the sentence had no date: "has posted" is still today's news
            continue
        if t in dated and not (span.start > 0 and sdoc[span.start - 1].lower_ in lex.scope_preps):
            gov = _said_when(_governor(span, lex), span, lex)
            if gov is not None and gov.pos_ == "NOUN" and gov.head.i < span.start and _object_of_a_plan(gov, lex) \
                    and not _after_publication(t, doc.published) and lex.past_deictic.intersection(t.text.lower().split()):
                gov = gov.head if gov.dep_ == "dobj" else gov.head.head  # "had proposed the talks last Sunday"
            if gov is not None and gov.i not in governed:
                governed[gov.i] = t
        if t in dated:
            # "came to light in April, when Daihatsu admitted ...": a "when" clause on the time is then
            for c in (c for x in span for c in x.children if c.dep_ == "relcl" and c.pos_ in ("VERB", "AUX")):
                if c.i not in governed and any(k.dep_ in ("advmod", "mark") and k.lower_ in lex.simultaneous_marks
                                               and k.i < c.i for k in c.children):
                    governed[c.i] = t
    skip.update(i for i in token_indices(sdoc, "LOWER", lex.offset_units)
                if i + 1 < len(sdoc) and sdoc[i + 1].lower_ in lex.offset_marks)
    names = titles.current_names()
    names.clear()
    titles.set_sentence_modifiers(sdoc)
    end = base + len(sent.text)
    for m in near(ctx.actors, base, end):
        if m.start >= base and m.end <= end and m.kind != "place":
            span = sdoc.char_span(m.start - base, m.end - base, alignment_mode="expand")
            if span is not None and len(span) and span.root.dep_ in ("compound", "amod", "nmod") \
                    and span.root.head.pos_ == "NOUN" and span.root.head.dep_ in ("appos", "attr"):
                ctx.describing.add(m.start)  # "Elop, a former Microsoft executive" (not "the Airbus website")
            if span is not None and len(span) and span.root.dep_ not in ("compound", "amod", "poss", "nmod"):
                root = span.root
                if m.via == "metonym" and not _acts_as_subject(root):
                    continue  # "met Kellogg in Kyiv", "visited Paris", "during Moscow talks": the title keeps the city
                glued = span.end < len(sdoc) and not span[-1].whitespace_ and sdoc[span.end].text == "-"
                names[span.start] = m.text if glued else _display(m, root)  # "UAE-brokered" stays as written
                for k in range(span.start + 1, span.end):
                    names[k] = None
                if m.kind in ("person", "organisation"):
                    for k in _title_words_before(span):
                        names.setdefault(k, None)
    titles.names_end_phrases(v for v in names.values() if v)
    _share_with_when_clauses(sdoc, governed, lex)
    preds = {}
    for i in governed:
        preds[i] = sdoc[i]
    for p in _main_predicates(sdoc, lex):
        preds.setdefault(p.i, p)
    out: list[EventMention] = []
    continues = _continues(sent, sdoc, ctx, lex)
    for i in sorted(preds):
        pred = preds[i]
        own = governed.get(i)
        if own is None and any(c.dep_ == "xcomp" and c.i in governed for c in pred.children):
            continue  # "is preparing to release ... in 2013": the dated xcomp is the event
        if own is None and pred.pos_ == "VERB" and pred.lemma_.lower() in lex.light_verbs and any(
                c.dep_ == "dobj" and (c.i in governed or _part_of_governed(c, governed)) for c in pred.children) \
                and _modality(pred, _type_of(pred, lex), lex) == "occurred":
            continue  # "signed the deal in July 2022": the dated deal is the event, not an undated signing beside it
        if pred.pos_ == "AUX" or (pred.pos_ == "VERB" and pred.lemma_.lower() in lex.stative
                                  and not _light_with_an_event(pred, lex)):
            # "was" / "has": the event is in its complement, if anywhere
            pred = next((c for c in pred.children if c.dep_ in ("acomp", "attr", "xcomp", "ccomp")
                         and (c.pos_ == "VERB" or c.lower_ in lex.nouns)), None)
            if pred is None or pred.i in preds:  # a predicate of its own already
                continue
            if pred.i in governed and own is None:
                continue
        if not _is_predicate(pred, lex):
            continue
        if pred.pos_ in ("NOUN", "PROPN") and any(
                m.start <= base + pred.idx < m.end for m in near(ctx.actors, base + pred.idx, base + pred.idx + 1)):
            continue  # "The Varnholt Offensive", "the Selvan Water Treaty": a name, no act of that name's own
        if (pred.lower_ in lex.news_now_forms or pred.lower_ in lex.news_then_forms) \
                and any(t.rule == "comes_after" for t in timexes):
            continue  # "the move comes a day after ...": the act it is set against is the event
        etype = _type_of(pred, lex)
        args = _arguments(pred, base, sdoc, ctx, lex, skip)
        ev_actors = _roles(args, etype)
        if not ev_actors and not (own is not None and pred.pos_ == "NOUN" and pred.dep_ in ("nsubj", "nsubjpass")
                                  and pred.head.lemma_.lower() in lex.occurrence_verbs):
            continue  # nobody named does it: not a timeline event (but "the war began in 2020" is one)
        modality = _modality(pred, etype, lex)
        top = pred.head if pred.dep_ == "xcomp" else pred
        is_main = (top.dep_ == "ROOT" or (top.dep_ == "conj" and top.head.dep_ == "ROOT")
                   or _fronted_content(top, lex) or _joined_to_an_inserted_saying(top, lex))
        if pred.pos_ == "VERB" and not is_main and _subject_text(args, skip)[0] is None:
            continue  # "a plan to relieve Ford", "before it is reported to the SEC": no one does it
        timex, source = own, "same_clause"
        content = {t.i for c in pred.children if _content(c) for t in c.subtree} if etype == "statement" else set()
        if timex is None:
            # "Ford said that it posted a profit in the third quarter": the dates are the
            # reported acts', the saying is still the news of the day
            below = {t.i for t in pred.subtree} - {pred.i}
            # (so are "proposed talks in Istanbul on May 15": the date is the talks')
            theirs = (bool(governed) and len({id(t) for t in governed.values()}) == len(dated)
                      and all(g in below for g in governed)
                      and (etype == "statement" or all(_object_of_a_plan(sdoc[g], lex) for g in governed)))
            timex, source = _fallback_date(pred, is_main, etype, sent, ctx, continues, lex, bool(dated) and not theirs)
            if theirs and source == "publication" and any(_content(c) and c.i < pred.i for c in pred.children):
                # "Macron spoke with Erdogan on Tuesday, the Elysee said": a saying after its
                # dated content only names the source; one click away, like "X said" in the body
                timex, source = reported_timex(ctx.doc.published), "reported"
        if (modality == "occurred" and source == "same_clause" and timex is not None and timex.range_start is not None
                and ctx.doc.published is not None and timex.range_start > ctx.doc.published
                and not any(c.dep_ == "auxpass" for c in pred.children)):
            # "faces a snap election on 23 February": after publication, it has not happened
            # (not "a June 3 hearing has been scheduled": the scheduling has)
            modality = "planned"
        # when the reported act is dated, it is an event of its own and this one is the saying
        reported = _reported_content(pred, skip, base, sdoc, ctx, lex, args,
                                     own_title=not content & governed.keys()
                                     ) if etype == "statement" else None
        if reported is not None:
            inner = {a.actor_id for a in ev_actors}
            for c in pred.children:
                if _content(c):
                    c_args = (reported.clause_args if reported.clause is not None and c.i == reported.clause.i
                              else _arguments(c, base, sdoc, ctx, lex, skip))
                    for m in c_args.subject:
                        if m.actor_id not in inner:
                            ev_actors.append(_event_actor(m, "mentioned"))
                            inner.add(m.actor_id)
        have = {a.actor_id or a.name for a in ev_actors}
        rest = set(range(len(sdoc))) - skip
        if any((m.actor_id or m.name) not in have and m.kind != "place"
               for m in _mentions_in(rest, base, sdoc, ctx.actors)):  # (the clause walk only when it can matter)
            rest -= _other_clauses_subjects(pred, sdoc)
        for m in _mentions_in(rest, base, sdoc, ctx.actors):
            if (m.actor_id or m.name) not in have and m.kind != "place":
                ev_actors.append(_event_actor(m, "mentioned"))
                have.add(m.actor_id or m.name)
        title = _title(pred, args, etype, modality, lex, skip, reported)
        clause = "main" if is_main else "reported" if _content(pred) else "subordinate"
        conf = {"same_clause": 0.8, "narrative": 0.55, "publication": 0.5, "reported": 0.35, "none": 0.4}[source]
        conf += 0.05 if any(a.resolved for a in ev_actors) else 0.0
        conf -= 0.1 if clause == "subordinate" else 0.0
        parties = list({m.actor_id: m for m in args.subject + args.agents + args.others
                        if m.kind in ("person", "state")}.values())
        # "British Prime Minister Keir Starmer": the person's own state is no second party
        own_states = {m.country for m in parties if m.kind == "person" and m.country}
        parties = [m for m in parties if not (m.kind == "state" and m.country in own_states)]
        if len(parties) >= 2:
            ctx.last_group = parties
            ctx.last_of_type[etype] = parties
        if sum(m.kind == "person" for m in parties) >= 2:
            ctx.last_people = [m for m in parties if m.kind == "person"]
        mention = EventMention(
            id=mention_id(doc.id, sent.start, base + pred.idx, pred.lemma_.lower()), doc_id=doc.id,
            sent_start=sent.start, sent_end=sent.end, sentence=sent.text, trigger=pred.text, type=etype,
            modality=modality, title=title, actors=tuple(ev_actors), timex=timex, date_source=source,
            confidence=round(max(0.05, min(conf, 1.0)), 3), clause=clause,
            trigger_start=base + pred.idx, trigger_end=base + pred.idx + len(pred.text),
        )
        out.append(mention)
        if source == "same_clause" and timex is not None and timex.granularity == "day":
            # what a later "the announcement", "the talks" may call it: the word, its lemma,
            # and for a noun the verb it is the object of ("announced the plan on Wednesday")
            words = {pred.lemma_.lower(): pred.text, pred.lower_: pred.text}
            if pred.pos_ in ("NOUN", "PROPN") and pred.dep_ == "dobj":
                words[pred.head.lemma_.lower()] = f"{pred.head.text} {pred.text}"
            for w, said in words.items():
                ctx.dated_acts.pop(w, None)
                ctx.dated_acts[w] = (said, timex)
        previous = _previous_occurrence(mention, base + pred.idx + len(pred.text), timexes, doc.text)
        if previous is not None:
            out.append(previous)
    if dated:
        # the story's time is the main clause's: "Prabowo, who lost in 2014 and 2019, ran with
        # Gibran" or "she said infections fell since January" leave no date a next "He ..." or
        # quoted "This ..." continues in (the dates are a relative or reported clause's)
        mains = [m for m in out if m.clause == "main"]
        own = [m.timex for m in mains if m.date_source == "same_clause" and m.timex is not None]
        if own:
            ctx.last_dated = (sent.index, sent.paragraph, own[-1])
        elif mains:
            ctx.last_dated = None
        else:
            ctx.last_dated = (sent.index, sent.paragraph, dated[-1])
    if base not in ctx.subjects:
        _note_subject(sdoc, base, ctx, lex)
    _note_sides(sdoc, base, ctx, lex)
    return out


def _note_subject(sdoc, base: int, ctx: DocContext, lex: EventLexicon) -> None:
    """Remember the subject of a sentence no event came from: a next "he" continues it ("Two
    years later, he became minister in the government of Jens Krag. In 1973 he lost his seat":
    he, not Krag)."""
    root = next((t for t in sdoc if t.dep_ == "ROOT"), None)
    subj = _subject(root)[0] if root is not None else None
    if subj is None:
        return
    found = _head_mentions(subj, base, sdoc, ctx.actors, set())
    if not found and subj.pos_ == "PRON":
        found = _resolve_pronoun(subj, base + subj.idx, ctx, lex)
    if found:
        ctx.subjects[base] = found[0]


def _note_sides(sdoc, base: int, ctx: DocContext, lex: EventLexicon) -> None:
    """Remember the parties a sentence names with "between" ("talks between Russia and
    Ukraine"): what a later "the two sides" refers to."""
    for i in token_indices(sdoc, "LOWER", lex.between_preps):
        t = sdoc[i]
        if t.dep_ == "prep":
            for p in t.children:
                if p.dep_ == "pobj":
                    found = [m for m in _mentions_in(_arg_tokens(p), base, sdoc, ctx.actors) if m.kind != "place"]
                    if len({m.actor_id or m.name for m in found}) >= 2:
                        ctx.last_sides = found


_AFTER_AN_EVENT = re.compile(r"\s+(before|after|ahead of|prior to)\s+(?:the|this|that|his|her|its|their)\s+([A-Za-z]+)")
_UNIT_DAYS = {"D": 1, "W": 7}


def _after_an_event(t: Timex, text: str, ctx: DocContext) -> Timex:
    """"A day before the announcement" when the article dated the announcing: that day
    less one. A duration of days or weeks before or after an event noun becomes a date
    when an earlier event of the article, with a day date of its own, is that event
    ("announced ... on Wednesday" for "the announcement"); otherwise it stays a duration."""
    days = _days_of(t) if ctx.dated_acts else None
    follow = _AFTER_AN_EVENT.match(text, t.end) if days is not None else None
    if follow is None:
        return t
    found = _dated_act(follow.group(2).lower(), ctx)
    if found is None:
        return t
    sign = -1 if follow.group(1) in ("before", "ahead of", "prior to") else 1
    return _counted_from(found, t.start, follow.end(), text[t.start:follow.end()], sign * days,
                         f"{t.text.lower()} {follow.group(1)}", "after_an_event")


def _after_the_days_act(t: Timex, text: str, timexes: list[Timex], lex: EventLexicon) -> Timex:
    """"Zelenskiy met Kellogg on Thursday, a day after Peskov said ...": a duration of days
    set off by a comma after a clause dated to the day, and followed by "after"/"before" and
    a clause, dates that clause's act from the day (the parser hangs the duration on it)."""
    days = _days_of(t)
    follow = _COMES_AFTER.match(text, t.end) if days is not None else None
    if follow is None or _AFTER_AN_EVENT.match(text, t.end):
        return t  # "a day after the announcement": the announcement's own date decides
    words = text[max(0, t.start - 40):t.start].rstrip().split()
    while words and words[-1].lower() in lex.approximators:
        words.pop()
    if not words or not words[-1].endswith(","):
        return t
    days_before = [d for d in timexes if d.end <= t.start and d.type == "DATE" and d.granularity == "day"
                   and d.range_start is not None]
    if len(days_before) != 1:
        return t
    anchor = days_before[0]
    day = anchor.range_start + dt.timedelta(days=-days if follow.group(1) == "after" else days)
    phrase = text[t.start:follow.end()]
    why = (f"'{phrase}' -> {day.isoformat()}: counted from '{anchor.text}' ({anchor.value}), "
           f"the day of the act it follows")
    return _day_timex(t.start, follow.end(), phrase, day, "previous", "after_the_days_act", why)


def _days_of(t: Timex) -> int | None:
    """The days of a duration of days or weeks ("a day", "two weeks"); None for anything else."""
    m = re.fullmatch(r"P(\d+)([DW])", t.value or "") if t.type == "DURATION" else None
    return int(m.group(1)) * _UNIT_DAYS[m.group(2)] if m else None


def _months_of(t: Timex) -> tuple[int, str] | None:
    """A duration of months or years ("two months", "a year") as (count, unit); else None."""
    m = re.fullmatch(r"P(\d+)([MY])", t.value or "") if t.type == "DURATION" else None
    return (int(m.group(1)), m.group(2)) if m else None


def _months_back(t: Timex, phrase: str, published: dt.date, months: tuple[int, str], way: str, verb: str) -> Timex:
    """``_comes_after`` for months and years: the month (or year) that many units from the
    publication day, at that precision — "two months after" does not say which day."""
    n, unit = months
    sign = -1 if way == "after" else 1
    if unit == "Y":
        year = published.year + sign * n
        start, end, value, gran = dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", "year"
    else:
        k = published.year * 12 + published.month - 1 + sign * n
        year, month = divmod(k, 12)
        start = dt.date(year, month + 1, 1)
        end = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1))
        value, gran = f"{year:04d}-{month + 1:02d}", "month"
    why = (f"'{phrase}' -> {value}: counted from the publication day ({published.isoformat()}), "
           f"the news that '{verb}' {way} this act")
    return Timex(start=t.start, end=t.start + len(phrase), text=phrase, type="DATE", value=value, range_start=start,
                 range_end=end, granularity=gran, anchor="publication", rule="comes_after", explanation=why)


def _day_timex(start: int, end: int, phrase: str, day: dt.date, anchor: str, rule: str, why: str) -> Timex:
    return Timex(start=start, end=end, text=phrase, type="DATE", value=day.isoformat(), range_start=day,
                 range_end=day, granularity="day", anchor=anchor, rule=rule, explanation=why)


def _baseline(t: Timex, text: str, lex: EventLexicon) -> bool:
    """A date a change is measured against ("a 32% drop from a year earlier", "up 13%
    compared to the same time in 2008", "more than in 2008"): it dates no event."""
    before = text[max(0, t.start - 60):t.start].lower()
    if lex.baseline_before.search(before):
        return True
    last = t.text.lower().split()[-1:] or [""]
    return before.rstrip().endswith(" from") and last[0] in lex.baseline_relative_ends


_COMES_AFTER = re.compile(r"\s+(before|after)\b")


def _comes_after(t: Timex, text: str, published, lex: EventLexicon, before: Timex | None = None) -> Timex:
    """"The move comes a day after Chrysler released a list": today's news set against an
    earlier act; the duration counted back from publication dates that act (the parser
    hangs the duration on the clause after "after", so the act is what it dates). Told in the
    past ("the statement came a day after ..."), it counts from ``before``, the latest day the
    article named before it (the news it refers to), and dates nothing without one."""
    days = _days_of(t) if published is not None else None
    months = _months_of(t) if published is not None and days is None else None
    follow = _COMES_AFTER.match(text, t.end) if days is not None or months is not None else None
    if follow is None:
        return t
    words = [w.lower() for w in text[max(0, t.start - 40):t.start].split() if w.lower() not in lex.approximators]
    if not words or (words[-1] not in lex.news_now_forms and words[-1] not in lex.news_then_forms):
        return t
    base, whose = published, f"the publication day ({published.isoformat()})"
    if words[-1] in lex.news_then_forms:
        if days is None or before is None or before.range_start is None:
            return t  # "came two months after", or no day named before: nothing to count from
        base, whose = before.range_start, f"'{before.text}' ({before.value}) named before it"
    elif months is not None:  # "comes two months after": that month, no finer ("a year after": that year)
        return _months_back(t, text[t.start:follow.end()], published, months, follow.group(1), words[-1])
    day = base + dt.timedelta(days=-days if follow.group(1) == "after" else days)
    phrase = text[t.start:follow.end()]
    why = (f"'{phrase}' -> {day.isoformat()}: counted from {whose}, "
           f"the news that '{words[-1]}' {follow.group(1)} this act")
    return _day_timex(t.start, follow.end(), phrase, day, "publication" if base is published else "previous",
                      "comes_after", why)


def _counted_from(found: tuple[str, Timex], start: int, end: int, phrase: str, days: int, how: str,
                  rule: str) -> Timex:
    trigger, anchor = found
    day = anchor.range_start + dt.timedelta(days=days)
    why = f"'{phrase}' -> {day.isoformat()}: {how} '{trigger}' ({anchor.value}) earlier in the article"
    return _day_timex(start, end, phrase, day, "previous", rule, why)


_NEAR_AN_EVENT = re.compile(r"\b(the day|hours|minutes|moments|shortly|soon)\s+(before|after)\s+"
                            r"(?:the|this|that|his|her|its|their)\s+([A-Za-z]+)", re.IGNORECASE)


def _near_an_event(sent: SentenceInfo, timexes: list[Timex], ctx: DocContext) -> list[Timex]:
    """"The day after the summit", "hours after the announcement": the event's day (and
    one day on or back for "the day"), when the article dated that event earlier."""
    if not ctx.dated_acts:
        return []
    out = []
    for m in _NEAR_AN_EVENT.finditer(sent.text):
        start, end = sent.start + m.start(), sent.start + m.end()
        if any(t.start < end and start < t.end for t in timexes):
            continue
        found = _dated_act(m.group(3).lower(), ctx)
        if found is None:
            continue
        days = (1 if m.group(2).lower() == "after" else -1) if m.group(1).lower() == "the day" else 0
        out.append(_counted_from(found, start, end, m.group(0), days, f"{m.group(1).lower()} {m.group(2).lower()}",
                                 "near_an_event"))
    return out


def _dated_act(noun: str, ctx: DocContext) -> tuple[str, Timex] | None:
    """The latest earlier event of the article with a day date that ``noun`` names."""
    for key, found in reversed(list(ctx.dated_acts.items())):
        if _same_act(noun, key):
            return found
    return None


def _same_act(noun: str, key: str) -> bool:
    """"announcement" and "announce", "election" and "elect", "talks" and "talks"."""
    if noun == key:
        return True
    n = 0
    while n < min(len(noun), len(key)) and noun[n] == key[n]:
        n += 1
    return n >= 5 and n >= len(key) - 1


def _own_clause(pred) -> set[int]:
    """Token indices of the predicate's clause: its subtree without nested clauses that
    are events of their own (reported content, relative and adverbial clauses)."""
    out: set[int] = set()
    stack = [pred]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "relcl", "advcl", "parataxis", "conj")
                     or c.pos_ not in ("VERB", "AUX"))
    return out


def _previous_occurrence(m: EventMention, after: int, timexes: list[Timex], text: str) -> EventMention | None:
    """"spoke for the first time in nearly two years": the previous occurrence, about
    (date - duration), month precision, APPROX (``timeline.events.previous_occurrence``)."""
    from timeline.events import _FIRST_TIME_IN, previous_occurrence

    if m.timex is None:
        return None
    for d in timexes:
        if d.type == "DURATION" and d.start > after and _FIRST_TIME_IN.search(text[max(0, d.start - 60):d.start]):
            prev = previous_occurrence(m.timex, d, m.sentence)
            if prev is None:
                return None
            return replace(m, id=m.id + "p", timex=prev, date_source="narrative", title=f"Previous: {m.title}",
                           confidence=round(m.confidence * 0.7, 3), clause="subordinate")
    return None


def _continues(sent: SentenceInfo, sdoc, ctx: DocContext, lex: EventLexicon) -> bool:
    if ctx.last_dated is None:
        return False
    idx, para, _ = ctx.last_dated
    if para != sent.paragraph or sent.index - idx > 2:
        return False
    low = sent.text.lower().lstrip("\"\u201c'")
    return any(low.startswith(w + " ") for w in lex.continuation)


def _fallback_date(pred, is_main: bool, etype: str, sent: SentenceInfo, ctx: DocContext, continues: bool,
                   lex: EventLexicon, sent_has_date: bool = False) -> tuple[Timex | None, str]:
    doc = ctx.doc
    if is_main and continues and ctx.last_dated is not None and not sent_has_date:
        t = ctx.last_dated[2]
        why = f"carried from '{t.text}' in the sentence before (same paragraph, the story continues)"
        return replace(t, anchor="previous", explanation=(t.explanation + "; " if t.explanation else "") + why), "narrative"
    headline = sent.index == 0 and sent.text.rstrip()[-1:] not in ".!?\"'\u201d\u2019"
    if is_main and sent.lede and doc.published is not None and not sent_has_date and pred.pos_ in ("VERB", "AUX") and (
            _tense_done(pred) or etype == "statement" or (headline and pred.tag_ in ("VBZ", "VBP"))):
        return publication_timex(doc.published), "publication"
    if (is_main and etype == "statement" and doc.published is not None and pred.tag_ in ("VBD", "VBZ")
            and not sent_has_date):
        # "X said" in the body of a news article: reported on or just before publication;
        # marked as such, low confidence, below the default view's salience
        return reported_timex(doc.published), "reported"
    return None, "none"


def _publication_day(published, rule: str, why: str, because: str) -> Timex:
    return Timex(
        start=-1, end=-1, text="", type="DATE", value=published.isoformat(),
        range_start=published, range_end=published, granularity="day", anchor="publication", rule=rule,
        explanation=f"{why}, no time expression -> publication day {published.isoformat()} ({because})",
    )


def reported_timex(published) -> Timex:
    return _publication_day(published, "reported_statement", "a statement reported in the article",
                            "said on or shortly before it")


def publication_timex(published) -> Timex:
    return _publication_day(published, "lede_main_clause", "main clause of the lede in the past tense",
                            "breaking news reports what just happened")
