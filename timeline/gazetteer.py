"""The gazetteer: ``data/actors.yaml`` loaded, validated and indexed.

Canonical actors with kind, ISO country, dated roles, aliases, metonyms, demonyms and
Wikidata ids. Pure data access: finding mentions in text is the matcher's job
(``timeline.actors`` for gazetteer forms, ``timeline.nlp.entities`` for open-world
entities linked back to this gazetteer).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from rapidfuzz import fuzz

from timeline.errors import UserError

def _norm_title(phrase: str) -> str:
    """'Secretary-General ' -> 'secretary general': one key per title however written."""
    return re.sub(r"[\s-]+", " ", phrase.strip().lower())


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
