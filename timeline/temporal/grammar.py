"""Load a language's temporal grammar (YAML data) and compile it once into matchers.

The grammar is data so that rules can be read, reviewed and extended without
touching the engine: lexicons (word -> value tables that double as fragments),
fragments (named regex pieces) and rules that combine them with ``%name``
references. Every rule names the handler (``kind``) that turns its named groups
into a TIMEX3 value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

RESOURCES = Path(__file__).with_name("resources")
_REF = re.compile(r"%([a-z][a-z0-9_]*)")
_SPACE = r"\s{1,3}"


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: str  # expanded regex source
    regex: re.Pattern
    example: str
    preset: dict = field(default_factory=dict)  # fixed group values (the rule's `set:`)
    priority: int = 0  # position in the file: earlier wins a tie


@dataclass(frozen=True)
class Grammar:
    language: str
    lexicons: dict[str, dict[str, object]]
    fragments: dict[str, str]
    rules: tuple[Rule, ...]

    def lookup(self, lexicon: str, word: str | None):
        """Value of ``word`` in a lexicon, tolerant of case, spacing and a final period."""
        if word is None:
            return None
        return self.lexicons[lexicon].get(normal_key(word))


def normal_key(word: str) -> str:
    return " ".join(word.lower().replace("’", "'").split()).rstrip(".")


def _alternation(words) -> str:
    keys = sorted({normal_key(str(w)) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(k).replace(r"\ ", " ").replace("'", "['’]") for k in keys) + ")"


def expand(pattern: str, fragments: dict[str, str], _depth: int = 0) -> str:
    """Replace ``%name`` references recursively (a cycle or unknown name is a grammar bug)."""
    if _depth > 10:
        raise ValueError(f"fragment references nest too deep (cycle?) in {pattern!r}")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise KeyError(f"unknown fragment %{name}")
        return expand(fragments[name], fragments, _depth + 1)

    return _REF.sub(sub, pattern)


def _spaces(pattern: str) -> str:
    """A literal space in a pattern matches a short run of whitespace (line breaks included)."""
    return pattern.replace(" ?", r"\s{0,3}").replace(" ", _SPACE)


@lru_cache(maxsize=8)
def load_grammar(language: str = "en") -> Grammar:
    path = RESOURCES / f"{language}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"no temporal grammar for language {language!r} ({path})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lexicons = {name: {normal_key(str(k)): v for k, v in table.items()}
                for name, table in (data.get("lexicons") or {}).items()}
    fragments: dict[str, str] = {name: _alternation(table) for name, table in lexicons.items()}
    for name, src in (data.get("fragments") or {}).items():
        fragments[name] = str(src)
    rules = []
    for i, spec in enumerate(data["rules"]):
        source = _spaces(expand(spec["pattern"], fragments))
        rules.append(Rule(
            name=spec["name"], kind=spec["kind"], pattern=source,
            regex=re.compile(source, re.IGNORECASE),
            example=str(spec.get("example", "")), preset=dict(spec.get("set") or {}), priority=i,
        ))
    return Grammar(language, lexicons, fragments, tuple(rules))


@lru_cache(maxsize=8)
def modifier_regexes(language: str = "en") -> tuple[re.Pattern, re.Pattern]:
    """Matchers for a modifier immediately left of a timex: (position mods, quantity mods)."""
    g = load_grammar(language)
    out = []
    for lex in ("modifier", "quantity_modifier"):
        words = g.lexicons.get(lex, {})
        glued = [w for w in words if w.endswith("-")]
        spaced = [w for w in words if not w.endswith("-")]
        parts = []
        if spaced:
            parts.append(_spaces(_alternation(spaced)) + r"\s{1,3}")
        if glued:
            parts.append(_alternation(glued))
        out.append(re.compile(r"(?<![\w-])(?P<mod>" + "|".join(parts) + r")$", re.IGNORECASE))
    return out[0], out[1]
