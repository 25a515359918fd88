"""Temporal expressions in news text: found, typed, normalised and resolved.

One public function, :func:`find_timexes`. The grammar is data
(``resources/<language>.yaml``), compiled once by :mod:`.grammar`; :mod:`.engine`
matches and settles overlaps; :mod:`.resolve` turns each match into a TIMEX3
value against the publication date; :mod:`.calendar` does the date arithmetic.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from timeline.model import Timex

from timeline.temporal.story import DOC_TYPES, detect_doc_type

__all__ = ["find_timexes", "detect_doc_type", "DOC_TYPES", "Timex"]


def find_timexes(text: str, published: dt.date | None = None, language: str = "en",
                 doc_type: str | None = None) -> list[Timex]:
    """All temporal expressions in ``text``, sorted by offset and non-overlapping.

    ``published`` is the reference for relative expressions ("Friday", "last
    year"); without it they come back with ``resolved=False``, ``value=None`` and
    ``reason="no publication date"``. Never raises on any text: a bad input gives
    an empty list. Languages without a grammar of their own get their absolute dates
    read by dateparser (month/year required, precision kept) plus the English rules'
    absolute matches (ISO dates, years). With ``TIMELINE_STRICT=1`` in the environment
    (the test suite sets it) a failing rule handler raises instead of losing its match.

    ``doc_type`` is "news" (dates without a year count from publication, except in a
    background passage right after a written year), "narrative" (they follow the last
    year the text wrote: "In 1954 ... On November 12" is 1954-11-12) or None to detect
    it from the text (:func:`detect_doc_type`). Any other value raises ``ValueError``.
    """
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise ValueError(f"doc_type must be one of {', '.join(DOC_TYPES)} or None, not {doc_type!r}")
    from timeline.temporal import engine

    if not isinstance(text, str) or not text:
        return []
    if isinstance(published, dt.datetime):
        published = published.date()
    if published is not None and not isinstance(published, dt.date):
        published = None
    try:
        if language in _languages():
            return engine.run(text, published, language, doc_type)
        from timeline.temporal.foreign import find_foreign

        found = find_foreign(text, language)
        # English rules still catch ISO dates, numbers and English phrases in mixed text
        taken = [(t.start, t.end) for t in found]
        extra = [t for t in engine.run(text, published, "en", doc_type)
                 if t.value and t.anchor == "absolute" and not any(s < t.end and t.start < e for s, e in taken)]
        return sorted(found + extra, key=lambda t: t.start)
    except RecursionError:  # pragma: no cover - defensive: the contract is "never raises"
        if engine.strict_mode():
            raise
        return []


@lru_cache(maxsize=1)  # the grammar files of a process do not change: no folder listing per document
def _languages() -> frozenset[str]:
    from timeline.temporal.grammar import RESOURCES

    return frozenset(p.stem for p in RESOURCES.glob("*.yaml"))
