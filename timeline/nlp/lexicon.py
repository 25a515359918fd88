"""Word lists from ``resources/en/*.yaml`` into frozen dataclasses: one loader for all."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


def load_lexicon(cls: type[T], path: Path, **special: Callable[[dict], Any]) -> T:
    """Each field of ``cls`` from the YAML key of the same name, converted by its declared
    type (frozenset / dict / tuple); ``special`` computes the fields that are not a plain key."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in special:
            values[f.name] = special[f.name](raw)
            continue
        kind = str(f.type).split("[")[0]
        value = raw[f.name]
        values[f.name] = {"frozenset": frozenset, "dict": dict, "tuple": tuple}.get(kind, lambda v: v)(value)
    return cls(**values)
