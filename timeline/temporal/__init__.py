"""Temporal expressions in news text: found, typed, normalised and resolved.

One public function, :func:`find_timexes`. The grammar is data
(``resources/<language>.yaml``), compiled once by :mod:`.grammar`; :mod:`.engine`
matches and settles overlaps; :mod:`.resolve` turns each match into a TIMEX3
value against the publication date; :mod:`.calendar` does the date arithmetic.
"""
from __future__ import annotations

import datetime as dt

from timeline.model import Timex

__all__ = ["find_timexes", "Timex"]


def find_timexes(text: str, published: dt.date | None = None, language: str = "en") -> list[Timex]:
    """All temporal expressions in ``text``, sorted by offset and non-overlapping.

    ``published`` is the reference for relative expressions ("Friday", "last
    year"); without it they come back with ``resolved=False``, ``value=None`` and
    ``reason="no publication date"``. Never raises on any text: a bad input gives
    an empty list. Languages without a grammar fall back to English rules.
    """
    from timeline.temporal import engine

    if not isinstance(text, str) or not text:
        return []
    if isinstance(published, dt.datetime):
        published = published.date()
    if published is not None and not isinstance(published, dt.date):
        published = None
    lang = language if language in _languages() else "en"
    try:
        return engine.run(text, published, lang)
    except RecursionError:  # pragma: no cover - defensive: the contract is "never raises"
        return []


def _languages() -> frozenset[str]:
    from timeline.temporal.grammar import RESOURCES

    return frozenset(p.stem for p in RESOURCES.glob("*.yaml"))
