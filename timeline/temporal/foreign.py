"""Absolute dates in languages without a grammar of their own, via dateparser.

dateparser is good at one thing we need here: reading an absolute date string in
many languages and formats. It is used only for that, with REQUIRE_PARTS month and
year (a relative or partial date is skipped, never guessed) and the precision it
reports (a month stays a month: "mars 2022" -> 2022-03, not 2022-03-01). Spans are
located in the text and trimmed of leading prepositions ("im Juni 2023" -> "Juni 2023").
"""
from __future__ import annotations

from functools import lru_cache

from timeline.model import Timex
from timeline.temporal import calendar as cal

SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"], "PREFER_DATES_FROM": "past"}


@lru_cache(maxsize=16)
def _parser(language: str):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=[language], settings=SETTINGS)


def _period(text: str, language: str) -> cal.Period | None:
    data = _parser(language).get_date_data(text)
    d = data.date_obj
    if d is None:
        return None
    if data.period == "day":
        return cal.day(d.date())
    if data.period == "month":
        return cal.month(d.year, d.month)
    if data.period == "year":
        return cal.year(d.year)
    return None


def find_foreign(text: str, language: str) -> list[Timex]:
    """Absolute dates (day or month precision, with a year) in ``language``."""
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=[language], settings=SETTINGS) or []
    except Exception:  # noqa: BLE001 - an unknown language code or a dateparser quirk: nothing found
        return []
    out: list[Timex] = []
    pos = 0
    for surface, _ in found:
        start = text.find(surface, pos)
        if start < 0:
            continue
        words = surface.split()
        period = _period(surface, language)
        for _ in range(2):  # "Am 24. Februar 2022": drop leading prepositions
            if len(words) < 2:
                break
            p2 = _period(" ".join(words[1:]), language)
            if p2 is None or (period is not None and p2.value != period.value):
                break
            start = text.find(" ".join(words[1:]), start)
            words, period = words[1:], p2
        surface = " ".join(words)
        if period is None or text[start:start + len(surface)] != surface:
            continue
        out.append(Timex(
            start=start, end=start + len(surface), text=surface, type="DATE", value=period.value,
            range_start=period.start, range_end=period.end, granularity=period.granularity, anchor="absolute",
            rule=f"dateparser:{language}",
            explanation=f"'{surface}' -> {period.value}: an absolute date read by dateparser ({language}), "
                        f"{period.granularity} precision",
        ))
        pos = start + len(surface)
    return out


