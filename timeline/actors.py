"""Actor mentions from the gazetteer's forms (the matcher; the gazetteer itself is
``timeline.gazetteer``).

Matching, per document, cheapest first:
  1. one pass of a trie-shaped regex over every alias, metonym, demonym phrase and
     surname (case-sensitive, word-bounded, longest form wins);
  2. titles found by their head word in the lower-cased text ("chancellor"), extended
     left ("the German ", "Russia's ") and right (" of Russia"), merged with the name
     that follows or kept as an unresolved person ("Foreign Minister Jane Doe");
  3. "... Ministry" phrases typed as foreign affairs / defence / other;
  4. bylines, the author and the outlet are cut out; overlaps go to the longest span;
  5. context: surnames need a full mention of that person in the document, titles
     resolve through roles at ``doc.published``, a bare "Foreign Ministry" takes the
     country of the nearest person named before it.
Open-world entities (people, companies, states the gazetteer does not know) come from
spaCy's NER in ``timeline.nlp.entities``, which links them back to the gazetteer.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from timeline.gazetteer import (  # noqa: F401  (re-exported: the historical import path)
    DEFAULT_PATH, KINDS, LEADER_ROLES, MINISTRY_TYPES, Actor, Gazetteer, GazetteerError, Role,
    _ISO3, _as_day, _norm_title, trie_pattern,
)
from timeline.model import ActorMention, Document

# ---------------------------------------------------------------- finding mentions

@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    actor_id: str | None = None
    via: str = "alias"
    name: str | None = None  # for unresolved candidates
    kind: str = "person"
    country: str | None = None
    options: tuple[str, ...] = ()  # ids to choose between by context (surnames, ambiguous)
    derived: bool = False
    role_key: str | None = None  # title to resolve at the publication date
    former: bool = False
    ministry: str | None = None  # bare "Foreign Ministry": resolve by the document's main state
    block: bool = False
    title: str | None = None  # normalised title merged in front of a name ("premier" in "Premier Li")
    priority: int = 3  # tie-break for equal spans: resolved alias > title > pattern


_STOP_TOKENS = frozenset("""The A An And But Or On In At Of For From To By With After Before As If When While
He She It They We I You His Her Its Their This That These Those There Here Who What Which Where Why How
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Mr Mrs Ms Dr Said Says Told Yesterday Today Tomorrow
Tonight Meanwhile Later Earlier Then Now Still However Instead Also Thus So Yet Even Only Both Neither
Either Since Until Although Though Because Once Twice Last Next Under Over Without Against Between Like
Unlike Despite During Asked Why Did Does Do Has Have Had Was Were Is Are Will Would Can Could Should May
Must Might Not No Yes Please Let Dear Former Ex Late Mrs Sir""".split())
#: capitalised words that make a sequence an institution or a place, not a person's name
_NOT_NAME_WORDS = frozenset("""Officer Executive Committee Council Party Department Ministry Office Agency
Union Street Square Avenue Bank Fund Group Company Corporation Corp Inc Ltd University Institute
Court Republic Kingdom Federation Assembly Parliament Congress Senate House Army Navy Force Forces Guard
Service Services Association Organization Organisation Centre Center News Times Post Journal Daily Press
Television Radio TV Club Forum Summit Conference Treaty Accord Agreement Plan Act Law Region Province
Oblast City State States Islands Island Sea Ocean River Airport Station Plant Energy Oil Gas
Airlines Airways Hotel Palace Building Square Bridge Road Museum Cathedral Hospital
School College Academy Foundation Commission Authority Board Bureau Administration Government Cabinet
Kremlin General Affairs Security Defence Defense Foreign Interior Justice Finance Trade""".split())
_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "dos", "del", "di", "al", "bin", "ibn", "la", "le"})
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
_WS = re.compile(r"[ \t\u00a0]+")
_BYLINE_WORDS = re.compile(
    r"\b(?:editor|co-?host|host|correspondent|reporter|columnist|contributor|writer|journalist|"
    r"producer|author|fellow|analyst|commentator|blogger|podcast|bureau chief)\b", re.I)
_BYLINE_SUBJECT = re.compile(
    r"^\s*(?:[Bb]y\s+)?(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})"
    r"(?:\s+(?:is|was|has been|writes)\b|\s*$|\s*[,|–—-])")
_BYLINE_OBJECT = re.compile(
    r"\b(?:of|at|for|with|on)\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w.’'&-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w.’'&-]*)*)")
#: credit lines anywhere: "(Reporting by Jane Roe; Editing by John Doe)", found from " by "
_BY = re.compile(r" by (?=[A-Z])")
_CREDIT_WORD = re.compile(r"\(?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]hotos?)\Z")
_CREDIT_REST = re.compile(r"[^\n)]*\)?")
#: "This article was originally published by Y": the line names an outlet
_REPUBLISHED = re.compile(r"\b(?:originally (?:published|appeared)|republished|reprinted|first (?:published|appeared))\b", re.I)


def _person_name_at(text: str, pos: int) -> tuple[int, str] | None:
    """Capitalised name tokens starting at ``pos`` ("Jane Doe", "Ursula von der Leyen"):
    (end offset, name) when at least two capitalised tokens are found."""
    tokens: list[tuple[str, int]] = []  # (token, end offset)
    i = pos
    while len(tokens) < 5:
        m = _NAME_TOKEN.match(text, i)
        if not m:
            break
        raw = m.group()
        if len(raw) == 2 and raw[0].isupper() and raw[1] == ".":  # an initial: "George W. Bush"
            tokens.append((raw, m.end()))
            ws = _WS.match(text, m.end())
            if not ws:
                break
            i = ws.end()
            continue
        tok = raw.rstrip(".,;:")
        if len(tok) > 2 and tok.endswith(("'s", "’s")):
            tok = tok[:-2]
        tok = tok.rstrip("'’")
        if not tok or not ((tok[0].isupper() and tok not in _STOP_TOKENS) or tok in _PARTICLES):
            break
        tokens.append((tok, m.start() + len(tok)))
        if tok != raw:  # punctuation or a possessive ends the name
            break
        ws = _WS.match(text, m.end())
        if not ws:
            break
        i = ws.end()
    while tokens and (tokens[-1][0] in _PARTICLES or tokens[-1][0].endswith(".")):
        tokens.pop()  # a name ends on a word, not on "von" or an initial
    if sum(t not in _PARTICLES for t, _ in tokens) < 2 or any(t in _NOT_NAME_WORDS for t, _ in tokens):
        return None  # "Chief Executive Officer", "President Hotel": not a person's name
    if _in_title_case_line(text, pos):
        return None  # "Iraqi Chief Links Kuwait Pullout": a headline, capitals mean nothing
    return tokens[-1][1], " ".join(t for t, _ in tokens)


def exclusions(doc: Document, gaz: Gazetteer) -> tuple[list[tuple[int, int]], set[str]]:
    """Spans and names that must never be actors: the author, the outlet, and byline
    paragraphs ("X is the editor of Y and co-host of Z") with every outlet they name."""
    text = doc.text
    names: set[str] = set()
    for value in (doc.author, doc.source):
        if value:
            for part in re.split(r"\s*(?:,|;|&|\band\b)\s*", value):
                part = part.strip()
                if len(part) > 2 and not _names_an_actor(part, gaz):
                    names.add(part)
    spans: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    edge = lines[:2] + lines[-3:] if len(lines) > 5 else lines
    for s, e in edge:
        para = text[s:e]
        if len(para) > 600:
            continue
        if _REPUBLISHED.search(para):  # "Originally published by Y" names an outlet, no actors
            spans.append((s, e))
            names.update(o.group("org").rstrip(".’'") for o in _BYLINE_OBJECT.finditer(para))
            continue
        m = _BYLINE_SUBJECT.match(para)
        if not m or not (_BYLINE_WORDS.search(para) or para.lstrip().lower().startswith("by ")):
            continue
        subject = m.group("name")
        if gaz.lookup(subject) is not None or any(gaz.lookup(w) for w in subject.split()):
            continue  # "Putin is the host of ..." is about an actor, not a byline
        spans.append((s, e))
        names.add(subject)
        if para.lstrip().lower().startswith("by "):  # "By Jane Roe, Harbour Street Journal"
            for part in re.split(r"\s*(?:,|\band\b|\||–|—)\s*", para.strip()[3:]):
                if part[:1].isupper() and len(part) > 2:
                    names.add(part.strip(" ."))
        for o in _BYLINE_OBJECT.finditer(para):
            org = o.group("org").rstrip(".’'")
            if len(org) > 2:
                names.add(org)
    for by in _BY.finditer(text):
        word = _CREDIT_WORD.search(text, max(0, by.start() - 12), by.start())
        if word:
            spans.append((word.start(), _CREDIT_REST.match(text, by.end()).end()))
    names = {n for n in names if len(n) > 2}
    for n in names:
        for m in re.finditer(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text):
            spans.append((m.start(), m.end()))
    return spans, names


def _names_an_actor(value: str, gaz: Gazetteer) -> bool:
    """A source or author that is itself an actor ("NATO" for a NATO press release,
    "President of Russia" for kremlin.ru) must not wipe that actor from the text."""
    cands = _alias_candidates(value, gaz)
    cands += _title_candidates(value, gaz, {c.start: c for c in cands if not c.block})
    return any(c.start == 0 and c.end == len(value) and not c.block for c in cands)


def find_actors(doc: Document, gazetteer: Gazetteer | None = None,
                excluded: tuple[list[tuple[int, int]], set[str]] | None = None) -> list[ActorMention]:
    """Actor mentions in ``doc``: sorted, non-overlapping, longest match wins.

    "German Chancellor Olaf Scholz" is one mention of Scholz; "Foreign Minister Jane Doe"
    an unresolved person (actor_id None, via="pattern"); "the German chancellor" resolves
    through roles at ``doc.published`` (with no date: only if one holder ever, or one
    named in the document). Authors, outlets and byline paragraphs never yield mentions.
    See the module docstring for the stages.
    """
    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    text = doc.text
    published = _as_day(doc.published)
    cands = _other_bearers(text, gaz, _alias_candidates(text, gaz))
    cands += _coordinated_demonyms(text, gaz, cands)
    alias_at = {c.start: c for c in cands if not c.block}
    cands += _title_candidates(text, gaz, alias_at)
    cands += _ministry_candidates(text, gaz)
    excl_spans, excl_names = excluded if excluded is not None else exclusions(doc, gaz)
    chosen = _longest_first(text, cands, excl_spans, excl_names)
    _resolve_in_context(chosen, gaz, published, text)
    chosen = _unknown_surnames(text, chosen, excl_spans)
    out = []
    for c in chosen:
        if c.block:
            continue
        a = gaz.actors.get(c.actor_id) if c.actor_id else None
        surface = text[c.start:c.end]
        out.append(ActorMention(
            doc_id=doc.id, start=c.start, end=c.end, text=surface, actor_id=a.id if a else None,
            name=a.name if a else (c.name or surface), kind=a.kind if a else c.kind,
            country=a.country if a else c.country, resolved=a is not None, via=c.via))
    return out


def _starts_word(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.")


_CAPS_WORD = re.compile(r"[A-Z]{2,}")


def _in_caps_run(text: str, start: int, end: int, forms: dict) -> bool:
    """Is this short all-caps alias inside a run of capitalised words (a heading or a
    menu) whose neighbours are not themselves aliases ("the US, UK and EU" is fine)?"""
    before = re.search(r"([A-Za-z]+)[\s,]+\Z", text[max(0, start - 20):start])
    after = re.match(r"[\s,]+([A-Za-z]+)", text[end:end + 20])
    for m in (before, after):
        if m and _CAPS_WORD.fullmatch(m.group(1)) and m.group(1) not in forms:
            return True
    return False


def _alias_candidates(text: str, gaz: Gazetteer) -> list[_Cand]:
    out = []
    search = gaz._alias_re.search
    info = gaz._form_info
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            break
        if not _starts_word(text, m.start()):
            pos = m.start() + 1  # inside a word ("BUS"): retry just after, a real match may overlap
            continue
        pos = m.end()
        if len(m.group()) <= 3 and m.group().isupper() and _in_caps_run(text, m.start(), pos, info):
            continue  # "ABOUT US", "WHO WE ARE": shouting, not the United States or the WHO
        block, single, options, via, kind, country, derived = info[m.group()]
        if block:
            out.append(_Cand(m.start(), pos, block=True, priority=4))
            continue
        c = _Cand(m.start(), pos, single, via, None, kind, country, options, derived)
        out.append(c)
    return out


_LEFT_WINDOW = 90
_TITLE_WINDOW = 48


def _title_spans(text: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Spans of title phrases, any case ("President", "the German chancellor"'s "chancellor",
    "Secretary-General"): str.find on each head word, then the phrase matched backwards.
    Much faster than a case-insensitive regex over every position."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    n = len(low)
    best: dict[int, int] = {}
    rev_match = gaz._title_rev_re.match
    for head in gaz._title_heads:
        i = low.find(head)
        while i != -1:
            e = i + len(head)
            if (e == n or not (low[e].isalnum() or low[e] == "_")) and (i == 0 or not low[i - 1].isalnum()):
                m = rev_match(low[max(0, e - _TITLE_WINDOW):e][::-1])
                if m:
                    s = e - m.end()
                    if best.get(s, -1) < e:
                        best[s] = e
            i = low.find(head, e)
    spans, last = [], -1
    for s in sorted(best):
        if s >= last:
            spans.append((s, best[s]))
            last = best[s]
    return spans


def _title_candidates(text: str, gaz: Gazetteer, alias_at: dict[int, _Cand]) -> list[_Cand]:
    """Titles found by keyword ("chancellor"), extended left ("the German ", "Russia's ")
    and right (" of Russia"); merged with the name that follows ("German Chancellor Olaf
    Scholz", "Moscow's chief negotiator, Vladimir Medinsky"), kept as an unresolved person
    when that name is unknown, or resolved later through roles at the publication date."""
    out: list[_Cand] = []
    alias_end = {c.end: c for c in alias_at.values()}
    for ks, ke in _title_spans(text, gaz):
        title = text[ks:ke]
        norm = _norm_title(title)
        rev_left = text[max(0, ks - _LEFT_WINDOW):ks][::-1]
        if norm in gaz._title_plurals:
            out += _coordinated_titles(gaz, rev_left, ks, ke, gaz._title_plurals[norm])
            continue
        left = gaz._title_left_rev_re.match(rev_left)
        start = ks
        for g in ("former", "pre", "poss"):
            if left.group(g):
                start = ks - left.end(g)
        end = ke
        elect = _ELECT.match(text, end)  # "President-elect Trump" is not the president yet
        if elect:
            end = elect.end()
        holder = None
        if left.group("pre"):
            holder = gaz.prefix_to_holder[left.group("pre")[::-1]]
        elif left.group("poss"):
            holder = gaz.name_to_holder[left.group("poss")[::-1]]
        of = gaz._title_of_re.match(text, end)
        if of:
            holder = holder or gaz.name_to_holder[of.group("of")]
            end = of.end()
        holder = holder or gaz._phrase_holder.get(norm)
        gap = _WS.match(text, end)
        if gap is None and holder is not None:  # apposition: "Russia's foreign minister, Sergei Lavrov"
            gap = _APPOSITION.match(text, end)
        nxt = alias_at.get(gap.end()) if gap else None
        if nxt is not None and nxt.kind == "person":
            nxt.start = start  # one mention of the person, title included
            nxt.title = norm
            if nxt.via == "surname":
                nxt.via = "title"  # "President Putin"; "German Chancellor Olaf Scholz" stays an alias
            continue
        if gap is not None and nxt is None:
            found = _person_name_at(text, gap.end())
            if found and not _title_name_is_actor(found[1], gaz):
                name_end, name = found
                words = name.split()
                while len(words) > 2 and _norm_title(words[0]) in gaz.titles:
                    words.pop(0)  # "Deputy President William Ruto": the name after the whole title
                name = " ".join(words)
                country = holder if holder and _ISO3.match(holder) else None
                out.append(_Cand(start, name_end, via="pattern", name=name, kind="person",
                                 country=country, priority=1))
                continue
        if holder is None:
            out += _possessive_spokesperson(text, gaz, alias_end, ks, ke, norm)
            continue
        role = None if elect else gaz.role_for_title(holder, title)
        out.append(_Cand(start, end, via="title", kind="person",
                         country=holder if _ISO3.match(holder) else None, name=text[start:end],
                         role_key=f"{holder}:{role}" if role else None, title=norm,
                         former=bool(left.group("former")), priority=2))
    if gaz._honorific_re is not None:  # "Mr Putin", "Ms. Baerbock": checked before each person only
        for c in alias_at.values():
            if c.kind == "person" and c.start > 1:
                h = gaz._honorific_re.search(text, max(0, c.start - 12), c.start)
                if h:
                    c.start = h.start()
    return out


_FIRST_NAME_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][\w'’-]+)[ \t\u00a0]+\Z")
_JUNIOR_AFTER = re.compile(r",?[ \t\u00a0]+(?:Jr|Sr|Junior|Senior)\b\.?")


def _in_title_case_line(text: str, i: int) -> bool:
    """A headline in Title Case ("Putin Calls Scholz"): capitals say nothing about names."""
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    line = text[start:end if end != -1 else len(text)]
    if len(line) > 200 or re.search(r"[.!?]\s", line) or line.rstrip().endswith((".", "!", "?", ",", ";")):
        return False  # a sentence, not a headline
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if w not in _SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


_SMALL_WORDS = frozenset("a an the of in on and or to for at with by from as vs".split())


def _other_bearers(text: str, gaz: Gazetteer, cands: list[_Cand]) -> list[_Cand]:
    """Someone else with the same surname is not the gazetteer's person: "Hunter Biden"
    (a first name before a bare surname, not at a sentence start) and "Donald Trump Jr."
    become unresolved people instead of Joe Biden and Donald Trump."""
    out = []
    for c in cands:
        if c.kind != "person" or c.block:
            out.append(c)
            continue
        jr = _JUNIOR_AFTER.match(text, c.end)
        if jr:
            out.append(_Cand(c.start, jr.end(), via="pattern", name=text[c.start:jr.end()].replace(",", ""),
                             kind="person", priority=4))
            continue
        surface = text[c.start:c.end]
        if " " not in surface and c.start > 1 and not _in_title_case_line(text, c.start):
            m = _FIRST_NAME_BEFORE.search(text, max(0, c.start - 30), c.start)
            word = m.group(1) if m else None
            if word and word.endswith(("'s", "’s", "s'", "s’")):
                word = None  # "Russia's Putin", "NATO's Rutte": a possessive, not a first name
            if word and word not in _STOP_TOKENS and word not in gaz._forms and word not in gaz.prefix_to_holder \
                    and _norm_title(word) not in gaz.titles and word.rstrip(".") not in gaz.honorifics \
                    and not gaz._phrase_like_title(word):
                same = [i for i in ((c.actor_id,) if c.actor_id else c.options) if gaz.first_name_fits(i, word)]
                if same:  # "Recep Erdogan", "Binyamin Netanyahu": a variant of the person's own name
                    c.start, c.via = m.start(1), "alias"
                    if len(same) == 1:
                        c.actor_id, c.options, c.derived = same[0], (), False
                elif c.derived or word in _NOT_NAME_WORDS:
                    c.block = True  # "Menlo Park": a derived surname inside some other name
                else:
                    out.append(_Cand(m.start(1), c.end, via="pattern", name=f"{word} {surface}", kind="person",
                                     priority=4))
                    continue
        out.append(c)
    return out


def _coordinated_demonyms(text: str, gaz: Gazetteer, cands: list[_Cand]) -> list[_Cand]:
    """"Ukrainian and Russian negotiators": the first demonym shares the noun, so it is
    the state acting too (via=demonym)."""
    out = []
    for c in cands:
        if c.via != "demonym" or c.block:
            continue
        m = gaz._and_rev_re.match(text[max(0, c.start - 40):c.start][::-1])
        if not m:
            continue
        holder = gaz.holder_of.get(gaz.prefix_to_holder.get(m.group("pre1")[::-1], ""))
        if holder is not None and holder.kind == "state":
            out.append(_Cand(c.start - m.end("pre1"), c.start - m.start("pre1"), holder.id, "demonym",
                             kind="state", country=holder.country))
    return out


_ELECT = re.compile(r"[-‑ ](?:elect|designate)\b", re.I)
_APPOSITION = re.compile(r",[ \t\u00a0]+")


def _coordinated_titles(gaz: Gazetteer, rev_left: str, ks: int, ke: int, singular: str) -> list[_Cand]:
    """"the German and Russian leaders" -> "German" (Germany's leader) and "Russian leaders"
    (Russia's). A plural title without two holders names nobody in particular: nothing."""
    m = gaz._coord_rev_re.match(rev_left)
    if not m:
        return []
    if f"{m.group('pre2')[::-1]} {singular}s" in gaz._forms:
        return []  # "Russian negotiators" is a demonym phrase: _coordinated_demonyms covers both
    out = []
    for g, end in (("pre1", None), ("pre2", ke)):
        s, e = ks - m.end(g), ks - m.start(g)
        holder = gaz.prefix_to_holder[m.group(g)[::-1]]
        role = gaz.role_for_title(holder, singular)
        out.append(_Cand(s, end or e, via="title", kind="person", priority=2,
                         country=holder if _ISO3.match(holder) else None,
                         name=f"{m.group(g)[::-1]} {singular}", title=singular,
                         role_key=f"{holder}:{role}" if role else None))
    return out


def _possessive_spokesperson(text: str, gaz: Gazetteer, alias_end: dict[int, _Cand], ks: int, ke: int,
                             norm: str) -> list[_Cand]:
    """"Scholz's spokesman": the spokesperson of the government that person serves."""
    poss = re.search(r"['’]s\s+\Z", text[max(0, ks - 4):ks])
    owner = alias_end.get(ks - len(poss.group())) if poss else None
    if owner is None or owner.kind != "person" or gaz.titles.get(norm) != "spokesperson":
        return []
    oid = owner.actor_id or (owner.options[0] if len(owner.options) == 1 else None)
    country = gaz.country_of(oid)
    if not country:
        return []
    return [_Cand(ks, ke, via="title", kind="person", country=country, name=text[ks:ke],
                  role_key=f"{country}:spokesperson", title=norm, priority=2)]


def _title_name_is_actor(name: str, gaz: Gazetteer) -> bool:
    return any(t in gaz._forms for t in (name, name.split()[0]))


def _ministry_candidates(text: str, gaz: Gazetteer) -> list[_Cand]:
    """"Russian Foreign Ministry", "the Ministry of Foreign Affairs", "Ministry of Agriculture":
    found by the keyword, typed (foreign affairs / defence / other), country from the prefix."""
    out = []
    i = text.find("Ministry")
    while i != -1:
        end = i + len("Ministry")
        if not _starts_word(text, i) or (end < len(text) and text[end].isalnum()):
            i = text.find("Ministry", end)
            continue
        left = gaz._ministry_left_re.search(text, max(0, i - _LEFT_WINDOW), i)
        right = gaz._ministry_right_re.match(text, end) if not left.group("kw") else None
        if right:
            end = right.end()
        words = left.group("kw") or (right.group("of") if right else "")
        kind = "foreign_affairs" if re.search(r"Foreign|External", words) else (
            "defence" if re.search(r"Defen[cs]e", words) else None)
        holder = None
        if left.group("pre"):
            holder = gaz.prefix_to_holder[left.group("pre")]
        elif left.group("poss"):
            holder = gaz.name_to_holder[left.group("poss")]
        elif " of " in words and words.rsplit(" of ", 1)[1] in gaz.name_to_holder:
            holder = gaz.name_to_holder[words.rsplit(" of ", 1)[1]]  # "Ministry of Defence of Latvia"
        else:
            loc = gaz._ministry_loc_re.match(text, end)  # "the Defence Ministry in Kyiv"
            if loc:
                holder = gaz.name_to_holder[loc.group("of")]
                if loc.group("prep") == "of":
                    end = loc.end()
        start = left.start() if (left.group("pre") or left.group("poss") or left.group("kw")) else i
        if holder is None and left.group("kw"):
            start = left.start("kw")
        c = _Cand(start, end, via="pattern", kind="organisation", name=text[start:end], priority=1)
        if holder and _ISO3.match(holder):
            c.country = holder
            target = gaz.ministries.get((holder, kind)) if kind else None
            if target is not None:
                c.actor_id, c.via, c.priority = target.id, "alias", 3
        elif holder is None:
            c.ministry = kind or "other"
        if words or holder:  # a bare "Ministry" is not a name
            out.append(c)
        i = text.find("Ministry", end)
    return out


def _longest_first(text: str, cands: list[_Cand], excl_spans: list[tuple[int, int]],
                   excl_names: set[str]) -> list[_Cand]:
    taken = bytearray(len(text) + 1)
    for s, e in excl_spans:
        taken[s:e] = b"\x01" * (e - s)
    chosen = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, -c.priority, c.start)):
        if c.end <= c.start or any(taken[c.start:c.end]):
            continue
        if c.name and c.name in excl_names:
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _unknown_surnames(text: str, chosen: list[_Cand], excl_spans: list[tuple[int, int]]) -> list[_Cand]:
    """A person the gazetteer lacks but the text introduced ("Foreign Minister Jane Doe")
    is the same unresolved person when named by surname alone later ("Doe said")."""
    by_surname: dict[str, _Cand] = {}
    clash: set[str] = set()
    for c in chosen:
        if c.via == "pattern" and c.kind == "person" and c.name and not c.block:
            last = c.name.split()[-1]
            if len(last) < 3 or last in _STOP_TOKENS or last in _PARTICLES:
                continue
            if last in by_surname and by_surname[last].name != c.name:
                clash.add(last)
            by_surname.setdefault(last, c)
    for last in clash:
        del by_surname[last]
    if not by_surname:
        return chosen
    taken = bytearray(len(text) + 1)
    for s, e in excl_spans + [(c.start, c.end) for c in chosen if not c.block]:
        taken[s:e] = b"\x01" * (e - s)
    pattern = re.compile(r"(?<![\w.])(?:" + trie_pattern(by_surname) + r")(?![\w])")
    extra = []
    for m in pattern.finditer(text):
        if not any(taken[m.start():m.end()]):
            intro = by_surname[m.group()]
            extra.append(_Cand(m.start(), m.end(), via="surname", name=intro.name, kind="person",
                               country=intro.country, priority=1))
    return sorted(chosen + extra, key=lambda c: c.start) if extra else chosen


def _resolve_in_context(chosen: list[_Cand], gaz: Gazetteer, published: dt.date | None, text: str) -> None:
    """Document-level decisions, in place: surnames, ambiguous aliases, titles, bare ministries."""
    full = {c.actor_id for c in chosen if c.actor_id and c.via != "surname"}
    for c in chosen:
        if c.options and c.actor_id is None and not c.block:
            picks = [o for o in c.options if o in full]
            if len(picks) != 1 and c.title:  # "Premier Li" in 2024: the Li who was premier then
                picks = [o for o in c.options if _held_title(gaz.actors[o], c.title, gaz, published)]
            if len(picks) == 1:
                c.actor_id = picks[0]
            elif c.derived:
                c.block = True  # "Johnson" with no full mention: not enough to say who
            else:
                rule = gaz.ambiguous.get(c.name or "") or next(
                    (r for r in gaz.ambiguous.values() if set(r["actors"]) == set(c.options)), None)
                default = rule.get("default") if rule else None
                if default:
                    c.actor_id = default
                else:  # kept, unresolved: the text names someone, we cannot say who
                    countries = {gaz.actors[o].country for o in c.options}
                    c.country = countries.pop() if len(countries) == 1 else None
    for c in chosen:
        if c.role_key and c.actor_id is None:
            c.actor_id = _resolve_title(c, gaz, published, full)
    _resolve_bare_ministries(chosen, gaz, text)


def _resolve_bare_ministries(chosen: list[_Cand], gaz: Gazetteer, text: str) -> None:
    """"The Foreign Ministry" with no country: the country of the nearest person named
    before it in the same paragraph ("Putin recalled ... the Ministry of Foreign Affairs"
    -> Russia's; "On Ukraine, he [Putin] repeated ... at the Foreign Ministry" too), else
    of the nearest state there, else the state the document names most (places excluded).
    Left unresolved, with that country, when its ministry is not in the gazetteer."""
    if not any(c.ministry for c in chosen):
        return
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    anchors: list[tuple[int, str, str]] = []
    for c in chosen:
        if c.block or c.ministry:
            continue
        a = gaz.actors.get(c.actor_id) if c.actor_id else None
        kind = a.kind if a else c.kind
        country = a.country if a else c.country
        if country and kind in ("person", "state"):
            counts[country] += 1
            first_seen.setdefault(country, c.start)
            anchors.append((c.end, country, kind))
    main = max(counts, key=lambda k: (counts[k], -first_seen[k])) if counts else None
    for c in chosen:
        if not c.ministry or c.actor_id is not None:
            continue
        para_start = text.rfind("\n", 0, c.start) + 1
        near = [(kind, cty) for end, cty, kind in anchors if para_start <= end <= c.start]
        people = [cty for kind, cty in near if kind == "person"]
        country = people[-1] if people else near[-1][1] if near else main
        c.country = country
        target = gaz.ministries.get((country, c.ministry)) if country else None
        if target is not None:
            c.actor_id, c.via = target.id, "context"


def _held_title(actor: Actor, title: str, gaz: Gazetteer, on: dt.date | None) -> bool:
    """Did the actor hold an office called ``title`` on the date (any date if None)?"""
    for r in actor.roles:
        if r.active(on) and (gaz.titles.get(title) == r.role
                             or title in {_norm_title(t) for t in (r.title or "", *r.phrases)}):
            return True
    return False


def _resolve_title(c: _Cand, gaz: Gazetteer, published: dt.date | None, full: set[str]) -> str | None:
    """Who a title names. With a date: the holder then (the newcomer on a hand-over day),
    or nobody. Without: the only holder ever, or the only holder named in the document.
    "former": the one past holder named in the document."""
    spans = [(r, a) for r, a in gaz._by_role.get(c.role_key, ()) if gaz.title_fits(c.title, r)]
    ever = list(dict.fromkeys(a.id for _, a in spans))
    if c.former:
        current = {a.id for r, a in spans if published is not None and r.active(published)}
        past = [i for i in ever if i in full and i not in current]
        return past[0] if len(past) == 1 else None
    if published is not None:
        now = sorted(((r.start, a.id) for r, a in spans if r.active(published)), reverse=True)
        return now[0][1] if now else None
    if len(ever) == 1:
        return ever[0]
    named = [i for i in ever if i in full]
    return named[0] if len(named) == 1 else None
