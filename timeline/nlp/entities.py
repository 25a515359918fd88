"""Open-world actors: spaCy's entities, linked to the gazetteer when it knows them.

Every PERSON / ORG / GPE / NORP entity in a parsed sentence is an actor candidate.
The gazetteer matcher (``timeline.actors.find_actors``) runs first and wins wherever it
found something (it knows canonical names, dated roles, metonyms such as "the
Kremlin"); an entity it did not cover becomes

  * a gazetteer actor when one of its names matches (``via="ner-linked"``),
  * a state from ISO 3166 when the GPE is a country the gazetteer lacks,
  * otherwise an *open* actor with a stable id from its normalised name and kind
    (``open:organisation:boeing``), so the same company in two articles is one actor.

Within a document: a surname ("Carson") or a short form ("Northrop") refers to the full
name introduced earlier ("Scott Carson", "Northrop Grumman"); an acronym introduced in
parentheses is the same actor as the long name. An office and a country come from the
words around a person ("Boeing chief executive X", "Ukraine's ambassador X", "X, the
Russian foreign minister").

Never actors: the author, the outlet and bylines (same exclusions as the matcher), news
media cited as sources ("Reuters reported", "according to AP", "told Bild"), platforms
used as channels ("wrote on X", "on Telegram"), products with model numbers.
The word lists are data: ``resources/en/actors.yaml``.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from timeline.gazetteer import Actor, Gazetteer, _norm_title
from timeline.model import ActorMention, Document
from timeline.nlp.lexicon import load_lexicon
from timeline.nlp.model import token_indices

RESOURCES = Path(__file__).resolve().parent / "resources" / "en"


@dataclass(frozen=True)
class ActorLexicon:
    labels: dict[str, str]
    outlets: frozenset[str]
    media_words: frozenset[str]
    platforms: frozenset[str]
    platform_nouns: frozenset[str]
    channel_preps: frozenset[str]
    source_verbs: frozenset[str]
    told_media: frozenset[str]
    offices: dict[str, str]
    leader_offices: frozenset[str]
    pronouns: dict[str, tuple[str, ...]]
    not_entities: frozenset[str]
    legal_suffixes: tuple[str, ...]
    place_preps: frozenset[str]
    place_of_nouns: frozenset[str]
    jurisdiction_offices: frozenset[str]
    region_offices: frozenset[str]
    portfolio_offices: frozenset[str]
    machine_verbs: frozenset[str]
    facility_nouns: frozenset[str]
    structure_name_ends: frozenset[str]
    product_line_nouns: frozenset[str]
    site_endings: tuple[str, ...]
    organisation_nouns: frozenset[str]
    acronym_body_nouns: frozenset[str]
    name_suffixes: frozenset[str]
    person_titles: frozenset[str]
    occupation_titles: frozenset[str]
    surname_first: frozenset[str]
    company_name_words: frozenset[str]
    surname_first_ambiguous: frozenset[str]
    surname_particles: frozenset[str]
    demonym_endings: tuple[str, ...]


@lru_cache(maxsize=1)
def actor_lexicon(path: Path = RESOURCES / "actors.yaml") -> ActorLexicon:
    return load_lexicon(
        ActorLexicon, path,
        offices=lambda raw: {_norm_title(k): v for k, v in raw["offices"].items()},
        pronouns=lambda raw: {k: tuple(v) for k, v in raw["pronouns"].items()},
        legal_suffixes=lambda raw: tuple(sorted(raw["legal_suffixes"], key=len, reverse=True)),
    )


def family_name(name: str, lex: ActorLexicon | None = None) -> str:
    """The name a headline uses for a person: the last word ("Olaf Scholz" -> Scholz,
    "William Clay Ford Jr." -> Ford), or the first where the family name comes first
    (``surname_first``: "Xi Jinping" -> Xi, "Kim Jong Un" -> Kim), with its particles
    ("Luis de la Fuente" -> de la Fuente)."""
    lex = lex or actor_lexicon()
    words = name.split()
    while len(words) > 2 and words[-1].lower().strip(".,") in lex.name_suffixes:
        words.pop()
    if len(words) >= 2 and (words[0] in lex.surname_first or (
            words[0] in lex.surname_first_ambiguous and ("-" in words[1] or len(words) >= 3))):
        return words[0]
    k = len(words) - 1
    while k > 1 and words[k - 1] in lex.surname_particles:
        k -= 1  # "de la Fuente" (the first word is a given name, whatever its case)
    return " ".join(words[k:]) if words else name


def org_name(text: str, lex: ActorLexicon | None = None) -> str:
    """An organisation's name without its legal form: "General Motors Corporation" -> "General Motors"."""
    lex = lex or actor_lexicon()
    name = text.strip().rstrip(",")
    changed = True
    while changed:
        changed = False
        for suf in lex.legal_suffixes:
            if name.endswith(" " + suf) and len(name) > len(suf) + 2:
                name = name[: -len(suf) - 1].rstrip(" ,")
                changed = True
    return name


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def open_actor_id(name: str, kind: str) -> str:
    """Stable across documents: the same normalised name and kind is the same actor."""
    return f"open:{kind}:{slug(name)}"


@lru_cache(maxsize=4)
def _demonyms(gaz: Gazetteer) -> dict[str, Actor]:
    out: dict[str, Actor] = {}
    for a in gaz:
        for d in a.demonyms:
            out.setdefault(d, a)
    return out


def _country_code(name: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Every country's short, official and common name (lowercased) -> its alpha-3 code."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for a in ("name", "official_name", "common_name"):
            if getattr(c, a, None):
                out.setdefault(getattr(c, a).lower(), c.alpha_3)
    return out


def _country_named(name: str) -> str | None:
    """The country whose name (short, official or common; not a code) is ``name``."""
    return _country_names().get(name.lower())


@lru_cache(maxsize=4096)
def _demonym_country(word: str) -> str | None:
    """The country a demonym is formed from by a regular ending ("Sri Lankan", "Chilean",
    "Iranian", "Nepalese", "Pakistani"), else None."""
    for cut in actor_lexicon().demonym_endings:
        if word.endswith(cut) and len(word) - len(cut) >= 4:
            code = _country_named(word[:-len(cut)])
            if code:
                return code
    return None


def _office_in(words: list[str], gaz: Gazetteer, lex: ActorLexicon) -> str | None:
    """The longest office phrase among ``words`` (lowercased): gazetteer titles first."""
    low = [w.lower().strip(".,") for w in words]
    best: tuple[int, str] | None = None
    for i in range(len(low)):
        for j in range(min(len(low), i + 5), i, -1):
            phrase = _norm_title(" ".join(low[i:j]))
            role = gaz.titles.get(phrase) or lex.offices.get(phrase)
            if role and (best is None or j - i > best[0]):
                best = (j - i, role)
                break
    return best[1] if best else None


def _country_in(tokens, gaz: Gazetteer, skip: set[int]) -> str | None:
    """A country named by a demonym, a known state or a country name among ``tokens``."""
    dem = _demonyms(gaz)
    for t in tokens:
        if t.i in skip:
            continue
        a = dem.get(t.text) or (gaz.lookup(t.text) if t.text[:1].isupper() else None)
        if a is not None and a.kind == "state" and a.country:
            return a.country
        if t.ent_type_ == "GPE" and t.text[:1].isupper():
            code = _country_code(t.text)
            if code:
                return code
    words = [t for t in tokens if t.i not in skip and t.text[:1].isupper()]
    for a, b in zip(words, words[1:]):  # "Sri Lankan", "South African": two words
        if b.i == a.i + 1:
            code = _country_named(f"{a.text} {b.text}") or _demonym_country(f"{a.text} {b.text}")
            if code:
                return code
    for t in words:
        code = _demonym_country(t.text)
        if code:
            return code
    return None


def _strip(ent) -> tuple[int, int] | None:
    """Token range of an entity without a leading determiner/honorific or trailing 's."""
    s, e = ent.start, ent.end
    doc = ent.doc
    while s < e and doc[s].lower_ in ("the", "a", "an", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."):
        s += 1
    while e > s and doc[e - 1].text in ("'s", "\u2019s", "'", "\u2019", "-", ","):
        e -= 1
    # "Court of Arbitration for Sport (CAS": the name ends before a parenthesis (the acronym
    # in it is read as the same actor's short form, ``_org_name``)
    e = next((k for k in range(s + 1, e) if doc[k].text == "("), e)
    while e - 1 > s and doc[e - 1].text[:1].islower() and doc[e - 2].whitespace_:
        e -= 1  # "Construmar in exchange": a name does not end in lower-case words (but "Park Jin-soo")
    if ent.label_ == "PERSON" and e < len(doc) and doc[e - 1].dep_ == "compound" and doc[e - 1].head.i == e \
            and doc[e].tag_ in ("NNP", "NNPS") and doc[e].text[:1].isupper() and not doc[e].ent_type_ \
            and doc[e].lower_ not in actor_lexicon().person_titles:  # ("Sri Lankan President Gotabaya ...")
        e += 1  # "Joao Paulo Tavares": the parser joins the surname the tagger left out
    if ent.label_ == "ORG":  # "Lindner's Free Democrats": the party is the organisation, its leader is not
        cut = max((k for k in range(s, e - 1) if doc[k].text in ("'s", "\u2019s")), default=None)
        if cut is not None and doc[cut + 1].text[:1].isupper():
            s = cut + 1
    return (s, e) if e > s else None


def _without_office(sdoc, rng: tuple[int, int], gaz: Gazetteer, lex: ActorLexicon) -> tuple[int, int] | None:
    """"Aer Lingus Chief Executive" (the tagger's organisation, the person's title
    taken in): the organisation without the office after it."""
    s, e = rng
    for k in range(min(4, e - s - 1), 0, -1):
        phrase = _norm_title(" ".join(t.lower_ for t in sdoc[e - k:e]))
        if phrase in lex.offices or phrase in gaz.titles:
            return (s, e - k)
    return rng


def _without_title(sdoc, rng: tuple[int, int], lex: ActorLexicon) -> tuple[int, int] | None:
    """"Deputy President William Ruto" (a title the tagger took into the name): the name
    after it, when two words or more of a name are left."""
    s, e = rng
    k = s
    while k < e - 1 and (sdoc[k].lower_ in lex.person_titles or sdoc[k].lower_ in lex.occupation_titles):
        k += 1
    return (k, e) if k == s or e - k >= 2 else rng


def _described_as_organisation(span, lex: ActorLexicon) -> bool:
    """"German airline Air Berlin", "Magna, a Canadian parts company", "the carmaker,
    Vantor": a noun of an organisation right before the name or in apposition with it."""
    sdoc, root = span.doc, span.root
    before = sdoc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.lower_ in lex.organisation_nouns:
        return True
    described = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        described.append(root.head)
    return any(t.pos_ == "NOUN" and t.lower_ in lex.organisation_nouns for t in described)


def _is_media_citation(ent, lex: ActorLexicon, always: bool = True) -> bool:
    """An organisation cited as the source of the news. ``always=False`` (a person or
    place by spaCy's label): only names that look like media count."""
    words = ent.text.split()
    medialike = ent.text in lex.outlets or any(w in lex.media_words for w in words)
    if not always and not medialike:
        return False
    root = ent.root
    head = root.head
    if root.dep_ in ("nsubj",) and head.lemma_ in lex.source_verbs:
        # "X reported that ..." cites X; "Toyota reported a 39% loss" is Toyota's own act
        return medialike or (head.lemma_ in ("report", "publish", "broadcast")
                             and not any(c.dep_ == "dobj" for c in head.children))
    if root.dep_ == "pobj" and head.dep_ == "prep":
        if head.lower_ == "to" and head.head.lower_ == "according":
            return medialike
        if head.lower_ == "by" and head.head.lemma_ in ("see", "obtain", "review", "report", "publish", "quote"):
            return True
        if head.lower_ in ("to", "with") and head.head.lemma_ in lex.told_media | {"interview"}:
            return medialike
        if head.lower_ == "in" and head.head.lemma_ in ("say", "write", "report", "tell", "quote", "publish"):
            return medialike  # "wrote in the Financial Times"
    if root.dep_ in ("dobj", "dative") and head.lemma_ in lex.told_media:
        return medialike
    return False


def _is_channel(ent, lex: ActorLexicon) -> bool:
    root = ent.root
    if ent.text not in lex.platforms:
        return False
    if root.dep_ == "compound" and root.head.lower_ in lex.platform_nouns:
        return True  # "on its Telegram channel", "in a Facebook post"
    return root.dep_ == "pobj" and root.head.lower_ in lex.channel_preps


_MODEL_NUMBER = re.compile(r"\d")


def _maker_of_the_subject(span, label: str, lex: ActorLexicon) -> bool:
    """"The Boeing 737-200 ... crashed": a maker's name with the model number the parser hangs
    on it, as the subject of what a machine does (``machine_verbs``), is the aircraft (or car)
    that did it, not the maker ("the FTSE 100 closed down" is the index's own move)."""
    doc, root = span.doc, span.root
    return (label == "ORG" and root.dep_ in ("nsubj", "nsubjpass") and span.end < len(doc)
            and doc[span.end].pos_ == "NUM" and doc[span.end].head.i == root.i
            and _MODEL_NUMBER.search(doc[span.end].text) is not None
            and root.head.lemma_.lower() in lex.machine_verbs)


def _names_a_product(span, lex: ActorLexicon) -> bool:
    """A name the sentence gives a product, not an organisation: "the 787 'Dreamliner'", "the
    Boeing 787, or Dreamliner", "its next model Falcon", "the 3D Digital mock-up", "RAV4 and
    Highlander models"."""
    doc, root = span.doc, span.root
    k = span.start - 1
    while k >= 0 and doc[k].is_quote:
        k -= 1
    if k >= 0 and (_MODEL_NUMBER.search(doc[k].text) or doc[k].lower_ in lex.product_line_nouns) \
            and (doc[k].head.i == root.i or (doc[k].head.i == root.head.i and doc[k].dep_ in ("amod", "compound", "nmod"))):
        return True
    if root.dep_ in ("appos", "conj") and _MODEL_NUMBER.search(root.head.text) and root.head.pos_ in ("NUM", "PROPN"):
        return True
    modified = root.head.head if root.dep_ == "conj" else root.head
    return (root.dep_ in ("compound", "nmod") or (root.dep_ == "conj" and root.head.dep_ in ("compound", "nmod"))) \
        and modified.lower_ in lex.product_line_nouns


def _names_no_actor(span, label: str, lex: ActorLexicon) -> bool:
    """A one-word name spaCy calls a person or organisation where the sentence treats it
    as a place: after "near"/"around"/"outside", or coordinated with a place ("near Kyiv
    and Chernihiv"); any such name that a facility noun follows ("Kennedy airport"); and a
    name of a way or structure ("the Pan-American Highway"); a name of any length after a
    place noun and "of" ("the district of Nsanje", ``place_of_nouns``); a name before the office
    of a town or region ("Santos mayor", ``jurisdiction_offices``, ``region_offices``); one word
    spaCy calls an organisation before "Minister" (``portfolio_offices``: "Interior Minister"); one
    word spaCy calls a person after "the" ("the Moon": a person's name takes no article); one
    word that is a common noun for an organisation ("Drugmaker" opening a headline)."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in lex.place_of_nouns:
        return True  # "the worst-hit district of Nsanje" (whatever the label: NORP too)
    if root.dep_ in ("compound", "nmod") and root.head.i == span.end and (
            root.head.lower_ in lex.jurisdiction_offices or (label != "ORG" and root.head.lower_ in lex.region_offices)):
        return True  # "former Santos mayor Joao Paulo Tavares": the town, not a person
    if label not in ("PERSON", "ORG"):
        return False
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in lex.facility_nouns and doc[span.end].is_lower \
            and span.root.head.i == span.end:
        return True  # "John F. Kennedy airport": the airport is named after him
    if len(span) >= 2 and span[-1].lower_ in lex.structure_name_ends and span[-1].text[:1].isupper():
        return True  # "the Pan-American Highway"
    if len(span) != 1:
        return False
    if span.text.lower() in lex.organisation_nouns:
        return True  # "Drugmaker recalls pills": a headline's capital on a common noun, no name
    if label == "ORG" and span.end < len(doc) and doc[span.end].lower_ in lex.portfolio_offices:
        return True  # "Interior Minister Gerald Darmanin": the portfolio, no organisation
    if label == "PERSON" and span.start > 0 and doc[span.start - 1].lower_ == "the" \
            and not (span.end < len(doc) and doc[span.end].pos_ in ("NOUN", "PROPN")):
        return True  # "landed on the Moon", "orbits the Sun": no one is called "the Moon"
    if root.dep_ == "pobj" and root.head.lower_ in lex.place_preps:
        return True
    partners = [root.head] if root.dep_ == "conj" else []
    if span.start >= 2 and doc[span.start - 1].lower_ in ("and", "or", ","):
        partners.append(doc[span.start - 2])  # by position too: the parser may attach it elsewhere
    return any(p.ent_type_ in ("GPE", "LOC", "FAC") or (p.dep_ == "pobj" and p.head.lower_ in lex.place_preps)
               for p in partners)


def unresolved_person(m: ActorMention) -> bool:
    """A title and capitalised name the gazetteer does not know ("Sri Lankan President
    Gotabaya Rajapaksa"): the named entity inside it, when the tagger finds one, is the actor."""
    return m.via == "pattern" and m.actor_id is None and m.kind == "person"


class _Spans:
    """Character spans with overlap queries by bisection (linear time over a document)."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.longest = max((e - s for s, e in self.spans), default=0)

    def add(self, s: int, e: int) -> None:
        bisect.insort(self.spans, (s, e))
        self.longest = max(self.longest, e - s)

    def remove(self, s: int, e: int) -> None:
        self.spans.remove((s, e))

    def overlapping(self, s: int, e: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self.spans, (s - self.longest, -1))
        hi = bisect.bisect_left(self.spans, (e, -1))
        return [(a, b) for a, b in self.spans[lo:hi] if a < e and s < b]

    def overlaps(self, s: int, e: int) -> bool:
        return bool(self.overlapping(s, e))


def find_open_actors(doc: Document, parsed: list[tuple[int, object]], known: list[ActorMention],
                     gaz: Gazetteer, excluded_spans: list[tuple[int, int]], excluded_names: set[str],
                     lex: ActorLexicon | None = None) -> list[ActorMention]:
    """Actor mentions for the entities of ``parsed`` (pairs of (sentence start offset,
    spaCy Doc of that sentence)) that ``known`` (the gazetteer matcher's mentions) does
    not cover. Returns the new mentions only; see the module doc for the rules."""
    lex = lex or actor_lexicon()
    loose = [m for m in known if unresolved_person(m)]
    loose_spans = _Spans([(m.start, m.end) for m in loose])
    taken = [(m.start, m.end) for m in known if not unresolved_person(m)]
    out: list[ActorMention] = []
    replaced: set[tuple[int, int]] = set()
    persons: dict[str, str] = {}  # surname -> full name introduced in this document
    for m in loose:  # the family name of a titled person is that person's later in the article
        if len(m.name.split()) >= 2:
            persons.setdefault(m.name.split()[-1], m.name)
            for key in _other_name_keys(m.name, lex):
                persons.setdefault(key, m.name)
    orgs: list[str] = []  # organisation names in order of appearance
    aliases: dict[str, str] = {}  # acronym / short form -> full name
    excluded_lower = {n.lower() for n in excluded_names}
    products: set[str] = set()  # names this article gives a product

    taken_spans = _Spans(taken)
    excluded = _Spans(excluded_spans)
    known_sorted = sorted(known, key=lambda m: m.start)
    known_starts = [m.start for m in known_sorted]

    def overlaps(s: int, e: int) -> bool:
        return taken_spans.overlaps(s, e) or excluded.overlaps(s, e)

    def wins_over(m: ActorMention, label: str) -> bool:
        """A known name inside a longer one that is not that actor: a state or city in an
        organisation's or person's name ("China Eastern Airlines", "Air Berlin", "Paris
        Hilton"), or a person's name that stops inside a hyphenated word of a longer
        person's ("Park Jin" in "Park Jin-ho")."""
        if m.kind in ("state", "place") and m.via in ("alias", "metonym", "demonym"):
            return True
        return (label == "PERSON" and m.kind == "person" and doc.text[m.end:m.end + 1] == "-"
                and doc.text[m.end + 1:m.end + 2].islower())

    def swallows_place(s: int, e: int, label: str) -> list[ActorMention]:
        """Known names inside the entity [s, e) that the longer name wins over (``wins_over``)."""
        if label not in ("ORG", "PERSON"):
            return []
        window = known_sorted[bisect.bisect_left(known_starts, s):bisect.bisect_left(known_starts, e)]
        inside = [m for m in window if m.end <= e and (m.start, m.end) != (s, e)]
        own = {(m.start, m.end) for m in inside}
        if inside and all(wins_over(m, label) for m in inside) \
                and not any(span not in own for span in taken_spans.overlapping(s, e)):
            return inside
        return []

    for base, sdoc in parsed:
        for ent in sdoc.ents:
            kind = lex.labels.get(ent.label_)
            if kind is None:
                continue
            rng = _strip(ent)
            label = ent.label_
            if rng is not None and label == "ORG" and sdoc[rng[0]].lower_ in lex.occupation_titles \
                    and 2 <= rng[1] - rng[0] - 1 <= 3 and all(t.pos_ == "PROPN" for t in sdoc[rng[0] + 1:rng[1]]):
                label, kind = "PERSON", lex.labels["PERSON"]  # "Financier Amanda Staveley": a person, titled
            if rng is not None and label == "ORG":
                rng = _without_office(sdoc, rng, gaz, lex)
            elif rng is not None and label == "PERSON":
                rng = _without_title(sdoc, rng, lex)
            if rng is None:
                continue
            span = sdoc[rng[0]:rng[1]]
            text = span.text
            s, e = base + span.start_char, base + span.end_char
            swallowed = swallows_place(s, e, label)
            if label != "PERSON" and loose_spans.overlaps(s, e):
                continue
            if (not text[:1].isupper() or len(text) < 2 or text in lex.not_entities
                    or text.lower() in excluded_lower or (overlaps(s, e) and not swallowed)):
                continue
            if label in ("ORG", "PERSON") and _MODEL_NUMBER.search(text) and not re.fullmatch(r"[A-Z0-9&.-]+", text):
                continue  # "Boeing 787", "Airbus A380": products
            if label == "ORG" and "," in text:
                continue  # "Maintenance, Repair and Overhaul (MRO)": a list of capitalised words, not a name
            if text in lex.outlets or text in lex.legal_suffixes or text.lower().endswith(lex.site_endings):
                continue  # a news outlet is a source, never an actor; "LLC" alone is no one
            if label in ("ORG", "PERSON", "GPE") and _is_media_citation(span, lex, always=label == "ORG"):
                continue
            if label == "ORG" and text not in orgs and span.root.dep_ not in ("nsubj", "nsubjpass") \
                    and (text in products or _names_a_product(span, lex)):
                products.add(text)  # and the same name later in the article ("the Falcon's bodyshell")
                continue
            if _is_channel(span, lex) or _names_no_actor(span, label, lex) or _maker_of_the_subject(span, label, lex):
                continue
            if label == "PERSON" and (_described_as_organisation(span, lex)
                                      or (len(span) >= 2 and span[-1].text in lex.company_name_words)):
                label, kind = "ORG", lex.labels["ORG"]
            elif label in ("PERSON", "ORG") and text not in persons:
                if _country_named(text):  # the small model often calls "Sri Lanka" a person
                    label, kind = "GPE", lex.labels["GPE"]
                elif _demonym_country(text):
                    label, kind = "NORP", lex.labels["NORP"]
            mention = _mention(doc, s, e, text, label, kind, span, gaz, lex, persons, orgs, aliases)
            if mention is not None:
                out.append(mention)
                taken_spans.add(s, e)
                for m in swallowed:
                    replaced.add((m.start, m.end))
                    taken_spans.remove(m.start, m.end)
                replaced.update(loose_spans.overlapping(s, e))
        for tok in _body_acronyms(sdoc, lex):
            s, e = base + tok.idx, base + tok.idx + len(tok.text)
            if not overlaps(s, e) and tok.text not in lex.not_entities and tok.text not in lex.outlets:
                out.append(ActorMention(doc.id, s, e, tok.text, open_actor_id(tok.text, "organisation"), tok.text,
                                        "organisation", None, resolved=False, via="ner"))
                taken_spans.add(s, e)
        for tok in _bare_surnames(sdoc, persons, lex.labels):
            s, e = base + tok.idx, base + tok.idx + len(tok.text)
            if not overlaps(s, e):
                name = persons[tok.text]
                out.append(ActorMention(doc.id, s, e, tok.text, open_actor_id(name, "person"), name, "person",
                                        None, resolved=False, via="ner"))
                taken_spans.add(s, e)
    parsed_spans = _Spans([(base, base + len(sdoc.text)) for base, sdoc in parsed])
    bases = [base for base, _ in parsed]
    for m in loose:
        if (m.start, m.end) not in replaced:
            # "former President Alejandro Toledo" where the tagger saw a city (or did not run:
            # the gazetteer's title pattern covered the name): the title says it is a person,
            # an actor of this article like any the tagger names, with the office and country
            # its noun phrase gives ("Sri Lankan President Gotabaya Rajapaksa")
            office = country = None
            k = bisect.bisect_right(bases, m.start) - 1
            if k >= 0 and m.end <= bases[k] + len(parsed[k][1].text):
                span = parsed[k][1].char_span(m.start - bases[k], m.end - bases[k], alignment_mode="expand")
                if span is not None and len(span) >= len(m.name.split()):
                    office, country = _person_context(span[len(span) - len(m.name.split()):], gaz, lex)
            replaced.add((m.start, m.end))
            out.append(replace(m, actor_id=open_actor_id(m.name, "person"), via="ner", office=office,
                               country=m.country or country))
            taken_spans.add(m.start, m.end)

    def read_otherwise(s: int, e: int) -> bool:
        """Does the tagger read [s, e) as something else than an untagged noun? (A name it
        does not know opening a sentence is often tagged a common noun.)"""
        if not parsed_spans.overlaps(s, e):
            return False
        k = bisect.bisect_right(bases, s) - 1
        base, sdoc = parsed[k] if k >= 0 else (0, None)
        toks = [t for t in sdoc if s <= base + t.idx < e] if sdoc is not None and e <= base + len(sdoc.text) else []
        # (an acronym the tagger reads as an adjective is still the acronym: "SLIM, short for ...")
        return not toks or any(t.ent_type_ or (t.pos_ not in ("PROPN", "NOUN") and not (
            t.is_upper and len(t.text) >= 3 and t.is_alpha)) for t in toks)

    for m in _echoes(doc, out, persons, lambda s, e: overlaps(s, e) or read_otherwise(s, e), lex):
        out.append(m)
        taken_spans.add(m.start, m.end)
    for m, intro in _surnames_of_introduced([m for m in known_sorted if (m.start, m.end) not in replaced], out, persons):
        replaced.add((m.start, m.end))
        out.append(replace(intro, start=m.start, end=m.end, text=m.text, via="ner"))
    out = _widened_to_a_found_name(doc, out, [m for m in known_sorted if (m.start, m.end) not in replaced], replaced)
    out = _country_adjective_forms(doc, out, known, gaz)
    return _same_actor_forms(sorted(out, key=lambda m: (m.start, m.end)), persons, aliases), replaced


def _widened_to_a_found_name(doc: Document, found: list[ActorMention], known: list[ActorMention],
                             replaced: set[tuple[int, int]]) -> list[ActorMention]:
    """An organisation the document names in full ("Athletics Kenya") is that organisation
    wherever the full name is written again, also where the tagger read only a part of it
    ("Athletics Kenya said it would appeal": not the state Kenya). The part's mention goes
    (a gazetteer one by ``replaced``)."""
    forms = {m.text: m for m in found if m.kind == "organisation" and m.actor_id and m.actor_id.startswith("open:")
             and " " in m.text.strip()}
    if not forms:
        return found
    text = doc.text
    pattern = re.compile(r"(?<![\w'\u2019&.-])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                         + r")(?![\w&-])")
    both = [*found, *known]
    drop: set[tuple[int, int]] = set()
    added: list[ActorMention] = []
    for hit in pattern.finditer(text):
        s, e = hit.span()
        touching = [m for m in both if m.start < e and s < m.end]
        if not touching or any(not (s <= m.start and m.end <= e) or (m.start, m.end) == (s, e) for m in touching):
            continue  # nothing read there, the name itself, or a longer name around it
        drop.update((m.start, m.end) for m in touching)
        added.append(replace(forms[hit.group(1)], start=s, end=e, text=hit.group(1), via="echo"))
    if not added:
        return found
    replaced.update(drop)
    return sorted([m for m in found if (m.start, m.end) not in drop] + added, key=lambda m: (m.start, m.end))


def _country_adjective_forms(doc: Document, found: list[ActorMention], known: list[ActorMention],
                             gaz: Gazetteer) -> list[ActorMention]:
    """"Indian Supreme Court" where the article also writes "India's Supreme Court": one
    institution (one actor, of India; which form names it, ``_same_actor_forms`` decides),
    not two. Only on that evidence: "British Airways" is no "Airways" of Britain."""
    states = {m.end: m.country for m in [*known, *found] if m.kind == "state" and m.country}
    owned: dict[str, str] = {}  # "Supreme Court" -> "IND", written "India's Supreme Court"
    for m in found:
        if m.kind == "organisation" and doc.text[m.start - 3:m.start - 1] in ("'s", "\u2019s"):
            code = states.get(m.start - 3)
            if code:
                owned.setdefault(m.name, code)
    if not owned:
        return found
    demonyms = _demonyms(gaz)
    out = []
    for m in found:
        first, _, rest = m.name.partition(" ")
        if m.kind == "organisation" and rest in owned:
            state = demonyms.get(first)
            code = state.country if state is not None and state.kind == "state" else _demonym_country(first)
            if code == owned[rest]:
                m = replace(m, name=rest, actor_id=open_actor_id(rest, "organisation"), country=m.country or code)
        out.append(m)
    return out


_NAME_WORD = re.compile(r"[A-Z][\w'’&.-]*")


def _surnames_of_introduced(known: list[ActorMention], found: list[ActorMention],
                            persons: dict[str, str]) -> list[tuple[ActorMention, ActorMention]]:
    """A bare surname the gazetteer gave a person it knows ("Park": a foreign minister Park
    Jin) is the person of that surname the article introduced before it ("Park Jin-ho"),
    unless the article also wrote the known person's full name before it. Pairs of (the
    surname's mention, the introduced person's first mention)."""
    first: dict[str, ActorMention] = {}
    for m in sorted(found, key=lambda m: m.start):
        if m.kind == "person" and m.name not in first:
            first[m.name] = m
    named_before: dict[str, int] = {}
    for m in known:
        if m.kind == "person" and m.actor_id and m.via != "surname":
            named_before.setdefault(m.actor_id, m.start)
    out = []
    for m in known:
        full = persons.get(m.text) if m.via == "surname" and m.kind == "person" else None
        # (or that it left unresolved: "Mr Howard" after "Prime Minister John Howard", read by the tagger)
        intro = first.get(full) if full is not None and (full != m.name or m.actor_id is None) else None
        if intro is None or (intro.start >= m.start and m.actor_id is not None) \
                or named_before.get(m.actor_id, m.start) < m.start:
            continue
        out.append((m, intro))
    return out


def _echoes(doc: Document, found: list[ActorMention], persons: dict[str, str], overlaps,
            lex: ActorLexicon) -> list[ActorMention]:
    """A name the document has given an open person or organisation is that actor wherever
    else it is written in the sentences that were not parsed ("At the moment, GM has 6,246
    dealers. It intends ..."), so that pronouns and the article's topic see it; in a parsed
    sentence only where the tagger left it an untagged noun ("Nordair chief executive
    Mats Lindqvist": Nordair, which the tagger named an organisation before). Not when the occurrence is part of a longer name
    ("Ford Five Hundred", "Henry Ford"; a person's title before it is no part: "Gen.
    MacArthur"), nor for a one-word name the text also writes in lower case (a common word
    the tagger once took for a name)."""
    text = doc.text
    forms: dict[str, ActorMention] = {}
    for m in found:
        if m.actor_id and m.actor_id.startswith("open:") and m.kind in ("person", "organisation") \
                and m.text[:1].isupper() and len(m.text) >= 2:
            forms.setdefault(m.text, m)
    by_name = {m.name: m for m in forms.values()}
    for surname, full in persons.items():
        if full in by_name and surname not in forms:
            forms[surname] = by_name[full]
    forms = {f: m for f, m in forms.items()
             if " " in f or not re.search(r"(?<![\w-])" + re.escape(f.lower()) + r"(?![\w-])", text)}
    if not forms:
        return []
    pattern = re.compile(r"(?<![\w'’&.-])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                         + r")(?![\w&-])")
    out: list[ActorMention] = []
    for hit in pattern.finditer(text):
        s, e = hit.span()
        if overlaps(s, e):
            continue
        after = _NAME_WORD.match(text, e + 1) if text[e:e + 1] == " " else None
        before = text[max(0, s - 40):s]
        prev = re.search(r"([A-Z][\w'’&.-]*) $", before)
        if prev is not None and re.fullmatch(r"\w*[a-z]\w*[.!?]", prev.group(1)) and prev.group(1).lower() not in lex.person_titles:
            prev = None  # "... on Thursday. Nordair chief executive": a sentence ended before it
        if after is not None or (prev is not None and prev.group(1).lower() not in lex.person_titles
                                 and not re.search(r"(^|[.!?:]\s+|\n)[\"“]?\S+ $", before)):
            continue  # part of a longer name ("Gen. MacArthur" is MacArthur)
        m = forms[hit.group(1)]
        out.append(replace(m, start=s, end=e, text=hit.group(1), via="echo"))
    return out


def _body_acronyms(sdoc, lex: ActorLexicon) -> list:
    """An acronym the tagger found no entity in, naming the body of members it modifies:
    "The FNV union said ..." (``acronym_body_nouns``)."""
    return [t for t in sdoc if t.is_upper and t.is_alpha and 2 <= len(t.text) <= 6 and not t.ent_type_
            and t.dep_ == "compound" and t.head.pos_ == "NOUN" and t.head.lower_ in lex.acronym_body_nouns
            and t.head.i == t.i + 1]


def _other_name_keys(name: str, lex: ActorLexicon) -> list[str]:
    """The forms besides the last word by which an article may go on to call a person it
    introduced: the family name with its particle ("de Graaf" of "Pieter de Graaf"), and
    a name in the middle ("Bongo" of "Ali Bongo Ondimba", "Lula" of "Luiz Inacio Lula da
    Silva"; not "Ford" of "William Clay Ford Jr.": that is the family name)."""
    parts, first = name.split(), family_name(name, lex)
    keys = [first] if " " in first else []
    keys += [w for w in parts[1:-1] if w[:1].isupper() and w.isalpha() and w.lower() not in lex.surname_particles
             and w not in first.split()]
    return keys


def _bare_surnames(sdoc, persons: dict[str, str], labels: dict[str, str]) -> list:
    """A surname the tagger left untagged ("Mulally predicted that ...") after the full
    name was introduced: a proper noun standing alone, not part of a longer name. (Or
    tagged as something no actor is: "Bongo said", a "product".)"""
    out = []
    for tok in (sdoc[i] for i in token_indices(sdoc, "ORTH", persons)):
        if tok.pos_ != "PROPN" or tok.ent_type_ in labels:
            continue
        prev = sdoc[tok.i - 1] if tok.i > 0 else None
        nxt = sdoc[tok.i + 1] if tok.i + 1 < len(sdoc) else None
        if (prev is not None and prev.pos_ == "PROPN") or (nxt is not None and nxt.pos_ == "PROPN"):
            continue
        out.append(tok)
    return out


def _mention(doc: Document, s: int, e: int, text: str, label: str, kind: str, span, gaz: Gazetteer,
             lex: ActorLexicon, persons: dict[str, str], orgs: list[str], aliases: dict[str, str]
             ) -> ActorMention | None:
    linked = gaz.lookup(text)
    if linked is None and label == "NORP":
        linked = _demonyms(gaz).get(text) or _demonyms(gaz).get(text.rstrip("s"))
    if linked is not None:
        if label == "NORP" and span.root.dep_ in ("amod", "compound"):
            return None  # "Russian troops": the matcher's demonym rules decide
        return ActorMention(doc.id, s, e, text, linked.id, linked.name, linked.kind, linked.country,
                            resolved=True, via="ner-linked")
    if label == "GPE" and text in persons and _country_code(text) is None:
        name = persons[text]  # "Henderson said": spaCy calls a known surname a place
        return ActorMention(doc.id, s, e, text, open_actor_id(name, "person"), name, "person", None,
                            resolved=False, via="ner")
    if label == "GPE":
        code = _country_code(text)
        if code is None:
            return ActorMention(doc.id, s, e, text, None, text, "place", None, resolved=False, via="ner")
        return ActorMention(doc.id, s, e, text, open_actor_id(text, "state"), text, "state", code,
                            resolved=False, via="ner")
    if label == "NORP":
        if span.root.dep_ in ("amod", "compound") or span.root.pos_ == "ADJ":
            return None  # an adjective ("Democratic senator"), not a group acting
        kind = "organisation"
    name = text
    office = country = None
    if label == "PERSON":
        parts = text.split()
        particled = text[:1].lower() + text[1:]  # "De Graaf" opening a sentence: "de Graaf"
        if len(parts) == 1 and text in persons:
            name = persons[text]
        elif len(parts) >= 2 and parts[0].lower() in lex.surname_particles and particled in persons:
            name = persons[particled]  # "De Graaf" after "Pieter de Graaf": the family name with its particle
        elif len(parts) >= 2:
            first = family_name(text, lex)  # "Xi Jinping" -> Xi; else the last word as written
            persons.setdefault(first if first == parts[0] else parts[-1], text)
            for key in _other_name_keys(text, lex):
                persons.setdefault(key, text)
        elif len(parts) == 1 and text in aliases:
            name, kind = aliases[text], "organisation"  # spaCy calls a known short form a person
        office, country = _person_context(span, gaz, lex)
    elif label == "ORG" and text in persons:
        name, kind = persons[text], "person"  # spaCy calls a known surname an organisation
    elif label == "ORG":
        name = org_name(_org_name(text, span, orgs, aliases), lex)
    actor_id = open_actor_id(name, kind)
    return ActorMention(doc.id, s, e, text, actor_id, name, kind, country, resolved=False, via="ner",
                        office=office)


def _org_name(text: str, span, orgs: list[str], aliases: dict[str, str]) -> str:
    if text in aliases:
        return aliases[text]
    sdoc = span.doc
    # "European Aeronautic Defence and Space Company (EADS)": the acronym names the same actor
    if span.end + 2 < len(sdoc) and sdoc[span.end].text == "(" and sdoc[span.end + 2].text == ")":
        acro = sdoc[span.end + 1].text
        if acro.isupper() and 2 <= len(acro) <= 8:
            aliases[acro] = org_name(text)
    for full in orgs:
        if full != text and full.startswith(text + " ") and len(text) >= 3:
            return full  # "Northrop" after "Northrop Grumman"
    orgs.append(text)
    return text


def _person_context(span, gaz: Gazetteer, lex: ActorLexicon) -> tuple[str | None, str | None]:
    """Office and country from the words in the person's noun phrase ("Boeing chief
    executive", "Russian Foreign Minister") or an apposition ("X, Ukraine's ambassador")."""
    sdoc = span.doc
    own = set(range(span.start, span.end))
    left = []
    i = span.start - 1
    while i >= 0 and len(left) < 6:
        t = sdoc[i]
        if t.is_punct or t.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PRON") or t.lower_ in ("the", "a", "an"):
            break
        left.insert(0, t)
        i -= 1
    pieces = left
    for child in span.root.children:
        if child.dep_ == "appos" and child.i not in own:
            pieces = pieces + list(child.subtree)
    if span.root.dep_ == "appos":  # "the foreign minister, X"
        pieces = pieces + [t for t in span.root.head.subtree if t.i < span.start]
    if not pieces:
        return None, None
    office = _office_in([t.text for t in pieces], gaz, lex)
    country = _country_in(pieces, gaz, own)
    return office, country


def _same_actor_forms(mentions: list[ActorMention], persons: dict[str, str],
                      aliases: dict[str, str]) -> list[ActorMention]:
    """Second pass: a surname, acronym or short company name seen *before* its full form
    got its own id; map it to the full name's actor (a short name that begins two different
    full names stays apart), and give every mention of one actor the office and
    country found on any of its mentions."""
    by_name: dict[str, ActorMention] = {}
    for m in mentions:
        if m.actor_id and m.actor_id.startswith("open:") and len(m.name.split()) >= 2:
            by_name.setdefault(m.name, m)
    longer: dict[str, set[str]] = {}  # "Ford" -> {"Ford Motor"}: the fuller names it begins
    for name, m in by_name.items():
        if m.kind == "organisation":
            words = name.split()
            for k in range(1, len(words)):
                longer.setdefault(" ".join(words[:k]), set()).add(name)
    ending: dict[str, set[str]] = {}  # "Navy" -> {"Sri Lanka Navy"}: the organisations a last word ends
    for name, m in by_name.items():
        if m.kind == "organisation":
            ending.setdefault(name.split()[-1], set()).add(name)
    given: dict[str, set[str]] = {}  # "Gibran" -> {"Gibran Rakabuming Raka"}: the persons a non-last word names
    for name, m in by_name.items():
        if m.kind == "person":
            for w in name.split()[:-1]:
                if w[:1].isupper() and len(w) >= 3:
                    given.setdefault(w, set()).add(name)
    org_names = {m.name for m in mentions if m.kind == "organisation" and m.actor_id and m.actor_id.startswith("open:")}
    out = []
    info: dict[str, tuple[str | None, str | None]] = {}
    fixed = []
    for m in mentions:
        full = None
        if m.actor_id and m.actor_id.startswith("open:"):
            if m.kind == "person" and m.name in persons and persons[m.name] != m.name:
                full = persons[m.name]
            elif m.name in aliases:
                full = aliases[m.name]
            elif m.kind == "organisation" and len(m.name) >= 3 and len(longer.get(m.name, ())) == 1:
                full = next(iter(longer[m.name]))  # "Ford" before "Ford Motor" is introduced
            elif (m.kind == "organisation" and " " not in m.name and len(m.name) >= 4 and m.name[1:].islower()
                  and not longer.get(m.name) and len(ending.get(m.name, ())) == 1):
                # "Navy spokesman X" beside "the Sri Lanka Navy", "the Commission's competition
                # chief" beside "the European Commission": the one body the article names in full
                full = next(iter(ending[m.name]))
            elif (m.kind == "person" and " " not in m.name and m.name not in persons and len(m.name) >= 3
                  and len(longer.get(m.name, ())) == 1):
                full = next(iter(longer[m.name]))  # "Kestrel's board" (a "person") after "Kestrel Bio"
            elif (m.kind == "person" and " " not in m.name and m.name not in persons
                  and len(given.get(m.name, ())) == 1):
                # "Gibran" after "Gibran Rakabuming Raka": a name the article calls the person
                # by that is not the last word (no other person's family name)
                full = next(iter(given[m.name]))
        elif m.kind == "place" and m.actor_id is None and len(longer.get(m.text, ())) == 1:
            full = next(iter(longer[m.text]))  # "Vantor" (an unknown "place") beside "Vantor Motors"
        if full is None and m.kind == "person" and m.via == "ner" and m.name in org_names:
            full = m.name  # "buy rival Polaris Chips" (a "person") where the body names "Polaris Chips Inc."
        if full is not None:
            kind = "organisation" if full in org_names else by_name[full].kind if full in by_name else m.kind
            m = replace(m, name=full, kind=kind, actor_id=open_actor_id(full, kind))
        fixed.append(m)
        if m.actor_id:
            o, c = info.get(m.actor_id, (None, None))
            info[m.actor_id] = (o or m.office, c or m.country)
    # one name per actor: the form the document uses most ("EADS" over the long name it
    # was introduced with once), ties to the longer
    counts: dict[str, dict[str, int]] = {}
    for m in fixed:
        if m.actor_id and m.actor_id.startswith("open:organisation:"):
            short = org_name(m.text)
            counts.setdefault(m.actor_id, {}).setdefault(short, 0)
            counts[m.actor_id][short] += 1
    best = {aid: max(c.items(), key=lambda kv: (kv[1], len(kv[0])))[0] for aid, c in counts.items()}
    for m in fixed:
        if m.actor_id in best and best[m.actor_id] != m.name:
            m = replace(m, name=best[m.actor_id], actor_id=open_actor_id(best[m.actor_id], m.kind))
        if m.actor_id in info or m.actor_id in best:
            o, c = info.get(m.actor_id, (None, None))
            m = replace(m, office=m.office or o, country=m.country or c)
        out.append(m)
    return out
