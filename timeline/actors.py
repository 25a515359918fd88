"""Actors: the gazetteer (data/actors.yaml) and the matcher that finds actor mentions.

Why a gazetteer and not NER: the timeline needs *canonical* actors with a country
and dated roles ("the German chancellor" on 2024-11-15 is Olaf Scholz), which a
statistical tagger does not give. The resource is data; this module only loads,
validates and applies it.

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
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from rapidfuzz import fuzz

from timeline.errors import UserError
from timeline.model import ActorMention, Document

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is 4x faster

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "actors.yaml"
KINDS = ("person", "state", "organisation", "place")
#: Roles that make a person a "leader" for filtering.
LEADER_ROLES = frozenset({"head_of_state", "head_of_government", "foreign_minister", "defence_minister"})
MINISTRY_TYPES = ("foreign_affairs", "defence")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_ROLE_KEY = re.compile(r"^[a-z_]+$")
_ACTOR_KEYS = {"id", "name", "kind", "country", "wikidata", "aliases", "surname", "roles",
               "metonyms", "demonyms", "leader", "ministry", "note"}
_ROLE_KEYS = {"role", "of", "title", "from", "to", "note"}
_TOP_KEYS = {"titles", "office_titles", "honorifics", "demonym_nouns", "ambiguous", "not_actors", "actors"}


class GazetteerError(UserError):
    """The actors resource is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Role:
    """An office held between two inclusive dates (``end`` None = still held)."""

    role: str
    of: str  # ISO alpha-3 of a state, or an organisation id
    title: str | None  # as displayed ("Chancellor")
    start: dt.date
    end: dt.date | None = None
    phrases: tuple[str, ...] = ()  # other ways the press names the office ("foreign policy chief")

    @property
    def key(self) -> str:
        return f"{self.of}:{self.role}"

    def active(self, on: dt.date | None) -> bool:
        if on is None:
            return True
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    country: str | None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    metonyms: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    surname: str | None = None
    leader: str = "head_of_state"
    ministry: str | None = None

    def holds(self, role_key: str, on: dt.date | None) -> bool:
        return any(r.key == role_key and r.active(on) for r in self.roles)


def _as_day(value: object) -> dt.date | None:
    """The publication day from a date, a datetime or an ISO string (anything else: None)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _as_date(value: Any, where: str) -> dt.date:
    day = _as_day(value)
    if day is None or (isinstance(value, str) and len(value.strip()) != 10):
        raise GazetteerError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)")
    return day


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _parse_actor(raw: Any, index: int) -> Actor:
    where = f"actors[{index}]"
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: expected a mapping, got {type(raw).__name__}")
    where = f"actors[{index}] ({raw.get('id', '?')})"
    unknown = set(raw) - _ACTOR_KEYS
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_ACTOR_KEYS)}")
    for req in ("id", "name", "kind"):
        if not isinstance(raw.get(req), str) or not raw[req].strip():
            raise GazetteerError(f"{where}: missing required field '{req}'")
    if not _SLUG.match(raw["id"]):
        raise GazetteerError(f"{where}: id must be a slug like 'vladimir-putin'")
    if raw["kind"] not in KINDS:
        raise GazetteerError(f"{where}: kind {raw['kind']!r} is not one of {KINDS}")
    country = raw.get("country")
    if country is not None and (not isinstance(country, str) or not _ISO3.match(country)):
        raise GazetteerError(f"{where}: country {country!r} is not an ISO 3166 alpha-3 code")
    wikidata = raw.get("wikidata")
    if wikidata is not None and not re.fullmatch(r"Q[1-9][0-9]*", str(wikidata)):
        raise GazetteerError(f"{where}: wikidata {wikidata!r} is not a Q-id")
    roles = []
    for j, r in enumerate(raw.get("roles") or []):
        rw = f"{where}.roles[{j}]"
        if not isinstance(r, dict) or set(r) - _ROLE_KEYS:
            raise GazetteerError(f"{rw}: expected a mapping with keys {sorted(_ROLE_KEYS)}")
        if not isinstance(r.get("role"), str) or not _ROLE_KEY.match(r["role"]):
            raise GazetteerError(f"{rw}: 'role' must be a key like head_of_state")
        if not isinstance(r.get("of"), str):
            raise GazetteerError(f"{rw}: 'of' must be an ISO alpha-3 code or an organisation id")
        if "from" not in r:
            raise GazetteerError(f"{rw}: missing 'from' date")
        start = _as_date(r["from"], rw + ".from")
        end = _as_date(r["to"], rw + ".to") if r.get("to") is not None else None
        if end is not None and end < start:
            raise GazetteerError(f"{rw}: 'to' {end} is before 'from' {start}")
        title = r.get("title")
        titles = [title] if isinstance(title, str) else title or []
        if not isinstance(titles, list) or not all(isinstance(t, str) and t.strip() for t in titles):
            raise GazetteerError(f"{rw}: 'title' must be a string or a list of strings")
        roles.append(Role(r["role"], r["of"], titles[0] if titles else None, start, end, tuple(titles[1:])))
    if roles and raw["kind"] != "person":
        raise GazetteerError(f"{where}: only persons hold roles")
    name = raw["name"].strip()
    surname: str | None
    if "surname" in raw:
        surname = raw["surname"]
    else:
        surname = name.split()[-1] if raw["kind"] == "person" and len(name.split()) > 1 else None
    leader = raw.get("leader", "head_of_state")
    ministry = raw.get("ministry")
    if ministry is not None and ministry not in MINISTRY_TYPES:
        raise GazetteerError(f"{where}: ministry {ministry!r} is not one of {MINISTRY_TYPES}")
    if ministry is not None and country is None:
        raise GazetteerError(f"{where}: a ministry needs its country")
    return Actor(
        id=raw["id"], name=name, kind=raw["kind"], country=country,
        wikidata=str(wikidata) if wikidata else None,
        aliases=_str_list(raw.get("aliases"), where + ".aliases"),
        roles=tuple(roles),
        metonyms=_str_list(raw.get("metonyms"), where + ".metonyms"),
        demonyms=_str_list(raw.get("demonyms"), where + ".demonyms"),
        surname=surname, leader=leader, ministry=ministry,
    )


# ---------------------------------------------------------------- regex building

def trie_pattern(strings: Iterable[str]) -> str:
    """A regex matching any of ``strings``, shaped as a trie so the longest wins and
    matching costs one walk per position instead of one try per alternative."""
    root: dict = {}
    for s in set(strings):
        if not s:
            continue
        node = root
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = True

    def walk(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return walk(root)


@dataclass(frozen=True)
class _Entry:
    actor_id: str | None  # None = a not_actors block
    via: str
    derived: bool = False  # a surname only valid after a full mention


class Gazetteer:
    """The loaded actor resource with its compiled matchers. Immutable after load."""

    def __init__(self, data: dict, source: str = "<dict>"):
        if not isinstance(data, dict):
            raise GazetteerError(f"{source}: expected a mapping at the top level")
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise GazetteerError(f"{source}: unknown top-level key(s) {sorted(unknown)}")
        self.source = source
        raw_actors = data.get("actors")
        if not isinstance(raw_actors, list) or not raw_actors:
            raise GazetteerError(f"{source}: 'actors' must be a non-empty list")
        self.actors: dict[str, Actor] = {}
        for i, raw in enumerate(raw_actors):
            actor = _parse_actor(raw, i)
            if actor.id in self.actors:
                raise GazetteerError(f"{source}: duplicate actor id {actor.id!r} (actors[{i}])")
            self.actors[actor.id] = actor
        titles = data.get("titles") or {}
        if not isinstance(titles, dict):
            raise GazetteerError(f"{source}: 'titles' must map a title phrase to a role key")
        self.titles: dict[str, str] = {_norm_title(str(k)): str(v) for k, v in titles.items()}
        self.office_groups: dict[str, frozenset[str]] = {}
        for group in data.get("office_titles") or []:
            members = frozenset(_norm_title(t) for t in _str_list(group, "office_titles"))
            for t in members:
                self.office_groups[t] = members
        self.honorifics = _str_list(data.get("honorifics"), "honorifics")
        self.demonym_nouns = _str_list(data.get("demonym_nouns"), "demonym_nouns")
        self.not_actors = _str_list(data.get("not_actors"), "not_actors")
        self.ambiguous: dict[str, dict] = {}
        for i, rule in enumerate(data.get("ambiguous") or []):
            if not isinstance(rule, dict) or not isinstance(rule.get("alias"), str) \
                    or not isinstance(rule.get("actors"), list):
                raise GazetteerError(f"{source}: ambiguous[{i}] needs 'alias' and 'actors'")
            for aid in rule["actors"] + ([rule["default"]] if rule.get("default") else []):
                if aid not in self.actors:
                    raise GazetteerError(f"{source}: ambiguous[{i}] names unknown actor {aid!r}")
            self.ambiguous[rule["alias"]] = rule
        self._check_roles()
        self._index()
        self._compile()

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path | str | None = None) -> "Gazetteer":
        """Load and validate the resource (cached per path and modification time)."""
        p = Path(path) if path is not None else DEFAULT_PATH
        try:
            mtime = p.stat().st_mtime_ns
        except OSError as exc:
            raise GazetteerError(f"actor gazetteer {p} cannot be read: {exc.strerror}") from exc
        return _load_cached(str(p.resolve()), mtime)

    @classmethod
    def from_file(cls, path: Path) -> "Gazetteer":
        try:
            data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            raise GazetteerError(f"{path}: not valid YAML: {exc}") from exc
        return cls(data, source=str(path))

    def _check_roles(self) -> None:
        for a in self.actors.values():
            for r in a.roles:
                if not (_ISO3.match(r.of) or r.of in self.actors):
                    raise GazetteerError(
                        f"{self.source}: {a.id}: role {r.role} 'of: {r.of}' is neither an ISO alpha-3 "
                        "code nor an actor id")

    # ------------------------------------------------------------ indexes
    def _index(self) -> None:
        explicit: dict[str, list[_Entry]] = defaultdict(list)
        for a in self.actors.values():
            forms = [(a.name, "alias")] + [(x, "alias") for x in a.aliases] + [(x, "metonym") for x in a.metonyms]
            seen: set[str] = set()
            for form, via in forms:
                if form.startswith("the ") and len(form) > 4 and not form[4].islower():
                    form = form[4:]  # spans never include a leading "the"; keeps the scan on capitals
                if form in seen:
                    continue
                seen.add(form)
                if a.kind == "person" and form == a.surname:
                    via = "surname"
                explicit[form].append(_Entry(a.id, via))
        clashes = {f: es for f, es in explicit.items() if len({e.actor_id for e in es}) > 1}
        for form, entries in clashes.items():
            rule = self.ambiguous.get(form)
            ids = {e.actor_id for e in entries}
            if rule is None or not ids <= set(rule["actors"]):
                raise GazetteerError(
                    f"{self.source}: alias {form!r} is claimed by {sorted(ids)}; list it under "
                    "'ambiguous:' with a rule or keep it on one actor")
        table: dict[str, list[_Entry]] = dict(explicit)

        def add_generated(form: str, entry: _Entry) -> None:
            if form not in explicit:
                lst = table.setdefault(form, [])
                if all(e.actor_id != entry.actor_id for e in lst):
                    lst.append(entry)

        # holders of offices: states by ISO code, organisations by id
        self.holder_of: dict[str, Actor] = {}
        self.prefix_to_holder: dict[str, str] = {}  # "German" -> "DEU", "NATO" -> "nato"
        self.name_to_holder: dict[str, str] = {}  # "Russia" -> "RUS" (for "Russia's", "of Russia")
        self.ministries: dict[tuple[str, str], Actor] = {}
        for a in self.actors.values():
            if a.kind == "state" and a.country:
                self.holder_of[a.country] = a
                key = a.country
            elif a.kind == "organisation":
                self.holder_of[a.id] = a
                key = a.id
                if a.ministry:
                    self.ministries[(a.country, a.ministry)] = a
                    continue
            else:
                continue
            for d in a.demonyms:
                self.prefix_to_holder.setdefault(d, key)
            for m in a.metonyms:
                if not m.startswith("the "):
                    self.prefix_to_holder.setdefault(m, key)
                    self.name_to_holder.setdefault(m, key)  # "Moscow's chief negotiator"
            for n in (a.name, *a.aliases):
                if not n.startswith("the "):
                    self.name_to_holder.setdefault(n, key)
                    if a.kind == "organisation":
                        self.prefix_to_holder.setdefault(n, key)
            if a.kind == "state":
                for d in a.demonyms:
                    for noun in self.demonym_nouns:
                        add_generated(f"{d} {noun}", _Entry(a.id, "demonym"))
        for a in self.actors.values():
            if a.kind == "person" and a.surname and a.surname not in explicit:
                add_generated(a.surname, _Entry(a.id, "surname", derived=True))
        for form in self.not_actors:
            table.setdefault(form, []).insert(0, _Entry(None, "block"))
        self._forms = table
        self._first_names: dict[str, frozenset[str]] = {
            a.id: frozenset(f.split()[0].lower() for f in (a.name, *a.aliases) if len(f.split()) > 1)
            for a in self.actors.values() if a.kind == "person"}
        self._form_info: dict[str, tuple] = {}
        for form, es in table.items():
            if any(e.actor_id is None for e in es):
                self._form_info[form] = (True, None, (), "block", "", None, False)
                continue
            ids = tuple(dict.fromkeys(e.actor_id for e in es))
            first = self.actors[ids[0]]
            derived = all(e.derived for e in es)
            single = ids[0] if len(ids) == 1 and not derived else None
            self._form_info[form] = (False, single, () if single else ids, es[0].via, first.kind,
                                     first.country, derived)
        self._lower_forms: dict[str, list[_Entry]] = defaultdict(list)
        for form, es in table.items():
            self._lower_forms[form.lower()].extend(es)

        # role titles specific to a holder ("chancellor" for DEU) and role index
        self.holder_titles: dict[str, dict[str, str]] = defaultdict(dict)
        self._by_role: dict[str, list[tuple[Role, Actor]]] = defaultdict(list)
        for a in self.actors.values():
            for r in a.roles:
                self._by_role[r.key].append((r, a))
                for t in filter(None, (r.title, *r.phrases)):
                    self.holder_titles[r.of].setdefault(_norm_title(t), r.role)
                    # "Kremlin spokesman" as a title: strip a leading prefix form
                    first, _, rest = t.partition(" ")
                    if rest and first in self.prefix_to_holder:
                        self.holder_titles[r.of].setdefault(_norm_title(rest), r.role)

        # a title phrase that names its holder ("Kremlin spokesman", "EU foreign policy chief")
        self._phrase_holder: dict[str, str] = {}
        for holder, phrases in self.holder_titles.items():
            marks = {_norm_title(k) for k, h in self.prefix_to_holder.items() if h == holder}
            for phrase in phrases:
                if any(f" {m} " in f" {phrase} " for m in marks):
                    self._phrase_holder.setdefault(phrase, holder)

    def _compile(self) -> None:
        """Keyword-first matchers: the alias trie runs over the whole text; titles and
        ministries are found by their keyword, then extended left/right on a small window."""
        self._alias_re = re.compile("(?:" + trie_pattern(self._forms) + r")(?![\w]|\.\w)")
        phrases = set(self.titles)
        for t in self.holder_titles.values():
            phrases |= set(t)
        self._title_plurals = {p + "s": p for p in phrases if not p.endswith(("s", "man"))}
        phrases |= set(self._title_plurals)
        variants = set(phrases) | {p.replace(" ", "-") for p in phrases}
        # titles are found by their last word in the lower-cased text (a plain substring
        # search), then the whole phrase is matched backwards from there
        self._title_heads = tuple(sorted({p.split(" ")[-1] for p in phrases}))
        self._title_rev_re = re.compile("(?:" + trie_pattern(v[::-1] for v in variants) + r")(?![\w.])")
        prefix = trie_pattern(self.prefix_to_holder)
        names = trie_pattern(self.name_to_holder)
        # the words before a title, matched on the reversed text so one anchored match suffices
        rev_prefix = trie_pattern(p[::-1] for p in self.prefix_to_holder)
        rev_names = trie_pattern(n[::-1] for n in self.name_to_holder)
        self._title_left_rev_re = re.compile(
            r"(?:\s+(?:(?P<pre>" + rev_prefix + r")|s['’](?P<poss>" + rev_names + r")))?"
            r"(?:\s*(?P<former>remro[Ff]|-x[Ee]|-neh[Tt]|eta[Ll]))?(?:\s+(?P<the>eh[Tt]))?(?![\w.])")
        # "the German and Russian leaders": two holders sharing one plural title
        self._and_rev_re = re.compile(r"\s+dna\s+(?P<pre1>" + rev_prefix + r")(?![\w.])")
        self._coord_rev_re = re.compile(
            r"\s+(?P<pre2>" + rev_prefix + r")\s+dna\s+(?P<pre1>" + rev_prefix + r")(?![\w.])")
        self._title_of_re = re.compile(r"\s+of\s+(?:the\s+)?(?P<of>" + names + r")(?![\w])")
        self._ministry_left_re = re.compile(
            r"(?<![\w.])(?:(?P<pre>" + prefix + r")\s+|(?P<poss>" + names + r")['’]s\s+)?"
            r"(?:(?P<kw>Foreign(?:\s+Affairs)?|Defen[cs]e|External\s+Affairs|"
            r"(?!(?:The|This|That|A|Its|Their|His|Her|Our)\s)[A-Z][a-z]+)\s+)?\Z")
        self._ministry_loc_re = re.compile(r"\s+(?P<prep>in|of)\s+(?:the\s+)?(?P<of>" + names + r")(?![\w])")
        self._ministry_right_re = re.compile(
            r"\s+of\s+(?P<of>(?:the\s+)?[A-Z][a-z]+(?:\s+(?:and\s+|of\s+)?[A-Z][a-z]+){0,3})")
        self._honorific_re = re.compile(
            r"(?<![\w.])(?:" + "|".join(re.escape(h) for h in sorted(self.honorifics, key=len, reverse=True))
            + r")[ \t\u00a0]+\Z") if self.honorifics else None

    # ------------------------------------------------------------ public queries
    def __len__(self) -> int:
        return len(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def __getitem__(self, actor_id: str) -> Actor:
        try:
            return self.actors[actor_id]
        except KeyError:
            raise KeyError(f"no actor {actor_id!r} in {self.source}") from None

    def get(self, actor_id: str | None) -> Actor | None:
        """The actor with this id, or None (unresolved ids such as '?Jane Doe' give None)."""
        return self.actors.get(actor_id) if actor_id else None

    def country_of(self, actor_id: str | None) -> str | None:
        a = self.get(actor_id)
        return a.country if a else None

    def holders(self, role_key: str, on: dt.date | None = None) -> list[Actor]:
        """Everyone holding ``role_key`` ('DEU:head_of_government', 'nato:secretary_general') on
        the date (None: ever), most recent appointment first."""
        hits = [(r.start, a) for r, a in self._by_role.get(role_key, ()) if r.active(on)]
        hits.sort(key=lambda x: x[0], reverse=True)
        out: list[Actor] = []
        for _, a in hits:
            if a not in out:
                out.append(a)
        return out

    def role_holder(self, role_key: str, on: dt.date | None) -> Actor | None:
        """Who held the role on that date (on the hand-over day: the newcomer).
        With no date, only an actor who is the sole holder ever."""
        hs = self.holders(role_key, on)
        if on is None:
            return hs[0] if len(hs) == 1 else None
        return hs[0] if hs else None

    def is_leader(self, actor_id: str | None, on: dt.date | None = None) -> bool:
        """A person holding a head-of-state/government, foreign or defence minister role on
        the date (None: at any time)."""
        a = self.get(actor_id)
        if a is None or a.kind != "person":
            return False
        return any(r.role in LEADER_ROLES and r.active(on) for r in a.roles)

    def lookup(self, surface: str) -> Actor | None:
        """The actor a surface form names out of context (exact, then case-insensitive)."""
        entries = [e for e in self._forms.get(surface, ()) if e.actor_id and not e.derived]
        if not entries:
            entries = [e for e in self._lower_forms.get(surface.lower(), ()) if e.actor_id and not e.derived]
        ids = {e.actor_id for e in entries}
        return self.actors[ids.pop()] if len(ids) == 1 else None

    def title_fits(self, phrase: str | None, role: Role) -> bool:
        """An office name only names a holder whose office is called so: "the Australian
        president" is nobody, not the Queen; "the Chinese prime minister" is the Premier."""
        group = self.office_groups.get(phrase or "")
        if group is None:
            return True  # a description ("leader", "foreign minister") fits any title
        names = [f" {_norm_title(t)} " for t in (role.title or "", *role.phrases)]
        return any(f" {g} " in n for g in group for n in names)

    def first_name_fits(self, actor_id: str, word: str) -> bool:
        """Is ``word`` a spelling of this person's first name ("Recep" for Erdoğan,
        "Binyamin" for Benjamin Netanyahu), as written in the name or its aliases?"""
        firsts = self._first_names.get(actor_id, ())
        w = word.lower()
        return any(w == f or fuzz.ratio(w, f) >= 75 for f in firsts)

    def _phrase_like_title(self, word: str) -> bool:
        """A capitalised word that is the head of some title ("Chancellor", "Premier")."""
        return word.lower() in self._title_heads

    def role_for_title(self, holder: str, phrase: str) -> str | None:
        """Role key a title phrase means for a holder ('DEU', 'chancellor') -> head_of_government."""
        p = _norm_title(phrase)
        role = self.holder_titles.get(holder, {}).get(p) or self.titles.get(p)
        if role == "leader":
            h = self.holder_of.get(holder)
            role = h.leader if h else "head_of_state"
        return role


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> Gazetteer:
    return Gazetteer.from_file(Path(path))


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


def _norm_title(phrase: str) -> str:
    """'Secretary-General ' -> 'secretary general': one key per title however written."""
    return re.sub(r"[\s-]+", " ", phrase.strip().lower())


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


def _exclusions(doc: Document, gaz: Gazetteer) -> tuple[list[tuple[int, int]], set[str]]:
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


def find_actors(doc: Document, gazetteer: Gazetteer | None = None) -> list[ActorMention]:
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
    excl_spans, excl_names = _exclusions(doc, gaz)
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
