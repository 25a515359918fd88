"""Headline titles from a predicate and its arguments: subject + verb + object.

"Putin and Scholz hold phone call", "Boeing pushes back 737 replacement", "Northrop
Grumman and EADS win US Air Force tanker contract". Headline style: present tense,
no auxiliaries, no articles at the start, "to" + verb for plans ("Boeing to cut jobs"),
past participle for passives ("Contract awarded to Northrop"), at most ten words, time
expressions left out (the date is shown beside the title).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

MAX_WORDS = 10

_IRREGULAR_3SG = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_PLURAL_BE = {"be": "are"}
_DROP_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "punct", "appos", "parataxis", "mark", "cc",
                        "preconj", "det:predet", "npadvmod", "advmod", "meta", "intj"})
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def third_person(lemma: str, plural: bool) -> str:
    """Headline present tense of a verb lemma: 'launch' -> 'launches' (or 'launch' for a plural subject)."""
    if not lemma:
        return lemma
    if plural:
        return _PLURAL_BE.get(lemma, lemma)
    if lemma in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[lemma]
    words = lemma.split()
    head, rest = words[0], words[1:]
    if re.search(r"(?:s|sh|ch|x|z|o)$", head):
        head += "es"
    elif re.search(r"[^aeiou]y$", head):
        head = head[:-1] + "ies"
    else:
        head += "s"
    return " ".join([head, *rest])


def phrase(tokens, skip: set[int]) -> list[str]:
    """Words of a noun phrase or complement, without clauses, time expressions and
    appositions (``skip`` holds the token indices of time expressions)."""
    if not tokens:
        return []
    keep = []
    for t in tokens:
        if t.i in skip:
            continue
        keep.append(t)
    words = [t.text for t in keep]
    return words


def subtree_words(token, skip: set[int], depth: int = 2, names: dict[int, str | None] | None = None) -> list[str]:
    """The argument's words: the token and its modifiers, at most ``depth`` prepositional
    levels deep, no subordinate clauses. ``names`` replaces an actor mention's tokens by
    its short display name (first token -> name, the others -> None = dropped)."""
    names = current_names() if names is None else names
    out = []

    def walk(t, level: int) -> None:
        for c in t.lefts:
            if (c.dep_ not in _DROP_DEPS or _hyphen_glued(c) or (c.dep_ == "advmod" and c.tag_ in ("RBS", "RBR")
                                                                 and t.pos_ == "ADJ")) and c.i not in skip:
                walk(c, level)  # ("the world's most valuable company": the superlative's "most" stays)
        out.append(t)
        for c in t.rights:
            if c.dep_ in ("acl", "relcl") and level < depth and c.i not in skip and _infinitive(c):
                walk(c, level)  # "a deal to sell Opel to Magna": what the deal is
                continue
            if c.dep_ == "cc" and level == 0 and c.i not in skip and t.pos_ in ("ADJ", "NOUN", "PROPN") and any(
                    k.dep_ == "conj" and k.i > c.i and k.i not in skip
                    and (k.pos_ == t.pos_ or {k.pos_, t.pos_} == {"NOUN", "PROPN"}) for k in t.children):
                # "not free and fair", "campaigns and water points", "computing and generative AI",
                # "Nvidia and its rivals": the "and" of two stays
                out.append(c)
                continue
            if c.dep_ in ("cc", "punct") and c.text in (",", "and", "or") and c.i not in skip and t.i in names \
                    and any(k.dep_ == "conj" and k.i > c.i and k.i in names and k.i not in skip for k in t.children):
                out.append(c)  # "to Burundi, Kenya, Rwanda and Uganda": a list of names keeps its commas and "and"
                continue
            if c.dep_ == "appos" and t.pos_ == "NOUN" and c.pos_ == "PROPN" and c.i in names and c.i not in skip:
                walk(c, level)  # "its smaller rival Polaris Chips Inc.": the description's name stays
                continue
            if (c.dep_ in _DROP_DEPS and not _hyphen_glued(c)) or c.i in skip:
                continue
            if c.dep_ == "prep":
                if level >= depth or _is_time_prep(c, skip):
                    continue
                walk(c, level + 1)
            elif c.dep_ == "conj" and level > 0:
                continue
            else:
                walk(c, level)

    walk(token, 0)
    # "to re-establish relations": the tokenizer split the word, the parser hung its
    # pieces on something else; the rest of the word (and what hangs on it) comes along
    seen = {t.i for t in out}
    for t in list(out):
        for piece in _hyphen_word(t):
            if piece.i not in seen and piece.i not in skip:
                before = len(out)
                walk(piece, 0)
                seen.update(x.i for x in out[before:])
    out = list({t.i: t for t in out}.values())
    out.sort(key=lambda t: t.i)
    words: list[str] = []
    kept: set[int] = set()
    chosen = {t.i for t in out} - skip
    for t in out:
        if t.i in skip:
            continue
        if t.text == "-" and not (t.i - 1 in chosen and t.i + 1 in chosen):
            continue  # a hyphen whose word on one side was left out ("the now-cancelled deal")
        if (t.tag_ in ("WDT", "WP", "WP$") and t.lower_ not in ("what", "whatever") and not names.get(t.i)) \
                or (t.dep_ == "mark"):
            continue  # "which", "who": a relative pronoun says nothing in a title ("what" is its own object)
        if t.i in names:
            name = names[t.i]
            if name is not None:
                if words and words[-1].lower() == "the" and not name.startswith(t.text) and t.i > 0 and t.doc[t.i - 1].lower_ == "the":
                    words.pop()  # "the Kremlin" -> "Russia", not "the Russia"
                words.append(name)
            continue
        prev = t.doc[t.i - 1] if t.i > 0 else None
        text = t.text
        opens = t.i == 0 or t.is_sent_start or (prev is not None and prev.text in _OPENING_QUOTES and (
            prev.i == 0 or prev.is_sent_start))  # '"Clean athletes deserve ...," Coe said'
        if opens and t.pos_ not in ("PROPN", "PRON") and t.tag_ not in ("NNP", "NNPS") \
                and text[:1].isupper() and text[1:].islower():
            text = text.lower()  # "says annual inflation fell": the capital was the sentence's, not the word's
        if words and prev is not None and prev.i in kept and not prev.whitespace_ and "-" in (t.text, prev.text):
            words[-1] += text  # "pre-tax", split by the tokenizer, stays one word
        else:
            words.append(text)
        kept.add(t.i)
    return words


_OPENING_QUOTES = frozenset({'"', "\u201c", "'", "\u2018"})


def _hyphen_word(tok) -> list:
    """The tokens of the hyphenated word ``tok`` is part of ("re", "-", "establish"; a score
    "2", "-", "1"), or []."""
    doc = tok.doc
    a = b = tok.i
    while a > 0 and not doc[a - 1].whitespace_ and "-" in (doc[a - 1].text, doc[a].text) \
            and (doc[a - 1].is_alpha or doc[a - 1].is_digit or doc[a - 1].text == "-"):
        a -= 1
    while b + 1 < len(doc) and not doc[b].whitespace_ and "-" in (doc[b].text, doc[b + 1].text) \
            and (doc[b + 1].is_alpha or doc[b + 1].is_digit or doc[b + 1].text == "-"):
        b += 1
    return [doc[k] for k in range(a, b + 1)] if b > a else []


def _hyphen_glued(tok) -> bool:
    """A hyphen, or a word between hyphens, inside one hyphenated word ("search-and-rescue"):
    part of the word, whatever the parser calls it."""
    if tok.dep_ not in ("punct", "cc") or tok.i == 0 or tok.i + 1 >= len(tok.doc):
        return False
    prev, nxt = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
    return not prev.whitespace_ and not tok.whitespace_ and (
        tok.text == "-" and prev.is_alpha and nxt.is_alpha or (prev.text == "-" and nxt.text == "-"))


def _infinitive(verb) -> bool:
    return verb.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


_LOCAL = threading.local()


def current_names() -> dict[int, str | None]:
    """Display names for the sentence being titled in this thread (set by the frame
    builder; token index -> name, None = a non-first token of a named actor). Per thread:
    two uploads extracting at once in the app's script threads never mix their titles."""
    names = getattr(_LOCAL, "names", None)
    if names is None:
        names = _LOCAL.names = {}
    return names


def set_short_names(mentions) -> None:
    """The one-word name the document itself calls each person by, when it never writes the
    assumed family name alone ("Prabowo Subianto" ... "Prabowo said": Prabowo, not Subianto;
    "Lula" for "Luiz Inacio Lula da Silva"), for the titles of this document (per thread)."""
    from timeline.nlp.entities import family_name

    forms: dict[str, dict[str, int]] = {}
    full: dict[str, str] = {}
    for m in mentions:
        words = m.name.split()
        if m.kind != "person" or not m.actor_id or len(words) < 2 or " " in m.text.strip():
            continue
        if m.text in words:
            full[m.actor_id] = m.name
            forms.setdefault(m.actor_id, {}).setdefault(m.text, 0)
            forms[m.actor_id][m.text] += 1
    _LOCAL.short = {aid: max(c.items(), key=lambda kv: kv[1])[0] for aid, c in forms.items()
                    if family_name(full[aid]) not in c}


def short_name(actor_id: str | None) -> str | None:
    return getattr(_LOCAL, "short", {}).get(actor_id) if actor_id else None


_MODIFIER_POS = frozenset({"ADJ", "DET", "ADP", "CCONJ", "SCONJ", "PART", "ADV"})


def set_sentence_modifiers(sdoc) -> None:
    """Remember the words that only modify in the sentence being titled ("financial",
    "additional", the "John F." of a name "John F. Kennedy"): a title cut at ten words does
    not end on one ("... its financial")."""
    from spacy.attrs import DEP, HEAD, LOWER, POS

    # integers, not a Token per word; HEAD is the head's offset from the word (unsigned:
    # a head before the word wraps round to a huge number)
    rows = sdoc.to_array([POS, LOWER, DEP, HEAD]).tolist() if len(sdoc) else []
    strings, mod, propn = sdoc.vocab.strings, _modifier_pos_ids(), _propn_id()
    compound = strings["compound"]
    n = len(rows)
    names = {i for i, (pos, _low, dep, head) in enumerate(rows) if dep == compound and pos == propn and 0 < head < n}
    # "a blood pressure | medicine": a noun that only modifies the noun after it ends no phrase
    noun = _noun_id()
    nouns = {i for i, (pos, _low, dep, head) in enumerate(rows) if dep == compound and pos == noun and 0 < head < n}
    # "touched down", "stepped aside": a verb's particle ends its phrase (not the "up" of
    # "to receive up to $7 billion" the parser takes for one: a quantity follows)
    prt, to = strings["prt"], strings["to"]
    particles = {i for i, row in enumerate(rows) if row[2] == prt and (i + 1 == n or rows[i + 1][1] != to)}
    mods = names | nouns | {i for i, row in enumerate(rows) if row[0] in mod and i not in particles}
    heads = {rows[i][1] for i in range(n) if i not in mods}
    _LOCAL.modifiers = {strings[rows[i][1]] for i in mods if rows[i][1] not in heads}
    _LOCAL.name_parts = {strings[rows[i][1]] for i in names if rows[i][1] not in heads}
    # "peace" of "peace talks": a cut right after it takes the compound's head along (headline)
    _LOCAL.compound_parts = {strings[rows[i][1]] for i in nouns if rows[i][1] not in heads}


def names_end_phrases(names) -> None:
    """An actor's name as a title writes it ends a phrase, even when its first word modifies
    in the sentence ("U.S. biotech Kestrel" for "Kestrel Bio": "Kestrel" stays)."""
    last = {n.split()[-1].lower() for n in names if n}
    _LOCAL.modifiers = getattr(_LOCAL, "modifiers", set()) - last
    _LOCAL.name_parts = getattr(_LOCAL, "name_parts", set()) - last


@lru_cache(maxsize=1)
def _modifier_pos_ids() -> frozenset[int]:
    from spacy.parts_of_speech import IDS

    return frozenset(IDS[p] for p in _MODIFIER_POS)


@lru_cache(maxsize=1)
def _noun_id() -> int:
    from spacy.parts_of_speech import IDS

    return IDS["NOUN"]


@lru_cache(maxsize=1)
def _propn_id() -> int:
    from spacy.parts_of_speech import IDS

    return IDS["PROPN"]


def _weak_end(word: str) -> bool:
    w = word.lower().strip(",")
    return w in _WEAK_END or w in getattr(_LOCAL, "modifiers", ())


def clause_words(verb, skip: set[int]) -> list[str]:
    """A governed clause in a title: its subject, verb and object ("Ukraine to use
    American missiles"), no deeper clauses."""
    words = []
    for c in verb.lefts:
        if c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg") and c.i not in skip:
            words += subtree_words(c, skip, depth=0) if c.dep_.startswith("nsubj") else [c.text]
    pieces = _hyphen_word(verb) or [verb]  # "to re-establish relations": the word split by the tokenizer
    words.append("".join(p.text for p in pieces))
    inside = {p.i for p in pieces}
    for c in sorted((c for p in pieces for c in p.rights if c.i not in inside and c.i > pieces[-1].i), key=lambda c: c.i):
        if c.dep_ in ("dobj", "dative", "prt", "attr", "acomp", "oprd") and c.i not in skip:
            words += subtree_words(c, skip, depth=1)
        elif c.dep_ == "prep" and c.i not in skip and not _is_time_prep(c, skip):
            words += subtree_words(c, skip, depth=1)
            break
    return words


def _is_time_prep(prep, skip: set[int]) -> bool:
    """A preposition whose object is a time expression ("from a year earlier": left out
    with it, or the title would end on "from")."""
    kids = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return bool(kids) and all(k.i in skip for k in kids)


_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%)\]'\u2019])")
_SPACE_AFTER = re.compile(r"([(\[$\u00a3\u20ac])\s+")
_SPACE_CLITIC = re.compile(r"\s+(n't|'s|\u2019s|'re|'ve|'ll|'d)\b")
_SPACED_DASH = re.compile(r"\w\s-\s\w")
_DASH = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


def clean(words: list[str]) -> str:
    text = " ".join(words)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _SPACE_CLITIC.sub(r"\1", text)
    text = _DASH.sub("-", text) if _SPACED_DASH.search(text) is None else text
    text = text.replace('"', "").replace("\u201c", "").replace("\u201d", "")
    text = _SPACES.sub(" ", text).strip(" ,;:-")
    return text


def headline(subject: str | None, verb: str, rest: list[str], max_words: int = MAX_WORDS) -> str:
    """Assemble and trim: subject + verb + rest, at most ``max_words`` words, cut at a
    word that does not end a phrase ("of", "and", "the" ...)."""
    words = ([subject] if subject else []) + [verb] + ([clean(rest)] if rest else [])
    text = clean(" ".join(w for w in words if w).split())
    parts = text.split()
    if len(parts) > max_words:
        if parts[max_words].lower().strip(",.") in _SCALE_WORDS:
            max_words -= 1  # "a loss of $5 billion" is not cut to "a loss of $5"
        cut = max_words
        inside = getattr(_LOCAL, "name_parts", ())
        # a cut inside a name ("... to supply the United | Kingdom") takes up to two more
        # words when that ends the name, rather than losing it all
        for extra in range(1, EXTEND_WORDS + 1):
            if parts[max_words + extra - 2].lower().strip(",") not in inside or len(parts) < max_words + extra:
                break
            if not _weak_end(parts[max_words + extra - 1]):
                cut = max_words + extra
                break
        compounds = getattr(_LOCAL, "compound_parts", ())
        if cut == max_words and cut < len(parts) and parts[cut - 1].lower() in compounds \
                and parts[cut].lower() not in compounds and parts[cut].lower().strip(",") not in _WEAK_END:
            cut += 1  # "direct peace | talks": the compound's head comes along ("... direct peace talks")
        if cut == max_words and cut < len(parts) and parts[cut - 1].lower().strip(",") in _SCALE_WORDS \
                and parts[cut].isalpha() and parts[cut].islower() and not _weak_end(parts[cut]) \
                and parts[cut].lower() not in _SCALE_WORDS:
            cut += 1  # "their planned $20 billion | merger", "600 million | shillings": what the amount counts
        split_pair = parts[cut].lower() in ("and", "or", "&") if cut < len(parts) else False
        parts = parts[:cut]
        k = max((i for i, w in enumerate(parts) if w.lower() == "between"), default=-1)
        if split_pair and k > 1 and k >= len(parts) - 4:
            parts = parts[:k]  # "talks between Russia | and Ukraine": both parties or neither
        while len(parts) > 2 and _weak_end(parts[-1]):
            parts.pop()
    while len(parts) > 2 and parts[-1].lower() in _DANGLING:
        parts.pop()  # "sales rise compared | with a year earlier": the time was left out, so is its link
        # (and "meeting between" whose parties became the subject, "agrees to" a phrase misparsed)
    parts = [w.lower() if k and w in _CAPITALISED_FUNCTION and k + 1 < len(parts) and parts[k + 1][:1].islower()
             else w for k, w in enumerate(parts)]  # "broker The corridor", "says This industry"
    text = " ".join(parts).rstrip(",;:")
    if not subject:
        text = _LEADING.sub("", text)
    return text[:1].upper() + text[1:] if text else text


#: Words a quote or a sentence opening capitalises that a title's middle does not ("The
#: Hague" keeps its capital: a name follows).
_CAPITALISED_FUNCTION = frozenset("The A An This That These Those It Its We Our They Their There He She His Her "
                                  "Our Your You".split())

#: A title may run this many words past its limit to finish a name it was cut inside.
EXTEND_WORDS = 2

#: Words that only link to what follows; a title never ends on one, cut or not.
#: (not "with", "for", "from", "by": a preposition English strands, "something to work with")
_DANGLING = frozenset("compared according than between to of against the a an and or worth".split())
_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "percent", "per", "%"})
_WEAK_END = frozenset("a an the of and or to for with by from in on at as that which who than but its their his her "
                      "this these those".split())
