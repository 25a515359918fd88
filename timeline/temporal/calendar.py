"""Calendar periods as TIMEX3 values with the inclusive date interval they cover.

Pure date arithmetic on ``datetime.date`` (years 1..9999): no pandas, so "the
1654 treaty" and "a 2300 projection" work. A period outside that range keeps its
value but gets no interval.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
SEASON_ORDER = ("SP", "SU", "FA", "WI")  # winter belongs to the year it starts in


@dataclass(frozen=True)
class Period:
    """A resolved calendar period: TIMEX3 value, granularity, covered interval."""

    value: str
    granularity: str
    start: dt.date | None
    end: dt.date | None


def _safe(fn, *args) -> dt.date | None:
    try:
        return fn(*args)
    except (ValueError, OverflowError):
        return None


def year_value(y: int) -> str:
    """TIMEX3 year: "1954", "0079"; a year before Christ is written negative here and
    "BC0044" in the value (44 BC). BC periods keep their value but get no interval:
    ``datetime.date`` cannot hold them, so they stay off the time axis."""
    return f"{y:04d}" if y > 0 else f"BC{-y:04d}"


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def day(d: dt.date) -> Period:
    return Period(d.isoformat(), "day", d, d)


@lru_cache(maxsize=4096)
def day_ymd(year: int, month: int, dd: int) -> Period | None:
    d = _safe(dt.date, year, month, dd)
    if d is None:
        if 1 <= month <= 12 and 1 <= dd <= 31 and not 1 <= year <= 9999:
            return Period(f"{year_value(year)}-{month:02d}-{dd:02d}", "day", None, None)
        return None
    return day(d)


@lru_cache(maxsize=4096)
def month(year: int, m: int) -> Period:
    return Period(f"{year_value(year)}-{m:02d}", "month", _safe(dt.date, year, m, 1), _safe(month_end, year, m))


@lru_cache(maxsize=4096)
def year(y: int) -> Period:
    return Period(year_value(y), "year", _safe(dt.date, y, 1, 1), _safe(dt.date, y, 12, 31))


@lru_cache(maxsize=4096)
def quarter(y: int, q: int) -> Period:
    return Period(f"{year_value(y)}-Q{q}", "quarter", _safe(dt.date, y, 3 * q - 2, 1), _safe(month_end, y, 3 * q))


def half(y: int, h: int) -> Period:
    return Period(f"{year_value(y)}-H{h}", "half", _safe(dt.date, y, 6 * h - 5, 1), _safe(month_end, y, 6 * h))


def season(y: int, code: str) -> Period:
    first, last = SEASON_MONTHS[code]
    end_year = y + 1 if code == "WI" else y
    return Period(f"{year_value(y)}-{code}", "season", _safe(dt.date, y, first, 1), _safe(month_end, end_year, last))


def season_of(d: dt.date) -> tuple[int, str]:
    """The season containing ``d`` (winter belongs to the year it starts in)."""
    for code, (first, last) in SEASON_MONTHS.items():
        if code != "WI" and first <= d.month <= last:
            return d.year, code
    return (d.year if d.month == 12 else d.year - 1), "WI"


def add_days(d: dt.date, n: int) -> dt.date | None:
    """``d`` + ``n`` days, None past the ends of the calendar (years 1..9999)."""
    try:
        return d + dt.timedelta(days=n)
    except OverflowError:
        return None


def week(d: dt.date) -> Period:
    """The ISO week containing ``d`` (no interval where it crosses the calendar's ends)."""
    iso = d.isocalendar()
    monday = add_days(d, -d.weekday())
    sunday = add_days(d, 6 - d.weekday())
    ok = monday is not None and sunday is not None
    return Period(f"{iso[0]:04d}-W{iso[1]:02d}", "week", monday if ok else None, sunday if ok else None)


def weekend(d: dt.date) -> Period:
    """The weekend (Saturday-Sunday) of the ISO week containing ``d``."""
    w = week(d)
    if w.start is None:
        return Period(w.value + "-WE", "week", None, None)
    sat = w.start + dt.timedelta(days=5)
    return Period(w.value + "-WE", "week", sat, sat + dt.timedelta(days=1))


def decade(first3: int) -> Period:
    """``first3`` = 199 for the 1990s (TIMEX3 value "199")."""
    y = first3 * 10
    return Period(f"{first3:03d}", "decade", _safe(dt.date, max(y, 1), 1, 1), _safe(dt.date, y + 9, 12, 31))


def century(first2: int, bc: bool = False) -> Period:
    """``first2`` = 19 for the 20th century (1900-1999, TIMEX3 value "19"); ``bc``: the
    century before Christ, "BC03" for the 4th century BC (no interval, as for BC years)."""
    if bc:
        return Period(f"BC{first2:02d}", "century", None, None)
    y = first2 * 100
    return Period(f"{first2:02d}", "century", _safe(dt.date, max(y, 1), 1, 1), _safe(dt.date, y + 99, 12, 31))


def time_of_day(d: dt.date, hour: int | None, minute: int | None, part: str | None = None) -> Period:
    if part:
        return Period(f"{d.isoformat()}T{part}", "time", d, d)
    if hour == 24:
        return Period(f"{d.isoformat()}T24:00", "time", d, d)
    return Period(f"{d.isoformat()}T{hour:02d}:{minute or 0:02d}", "time", d, d)


def easter(y: int) -> dt.date | None:
    """Easter Sunday of year ``y`` in the Gregorian calendar (the anonymous Gregorian
    algorithm, "Meeus/Jones/Butcher"); None outside the years ``datetime`` holds."""
    if not 1583 <= y <= 9999:
        return None
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def nth_weekday(y: int, m: int, weekday: int, n: int) -> dt.date | None:
    """The n-th (1-based; -1 = last) ISO ``weekday`` (1=Monday) of a month."""
    if n > 0:
        first = _safe(dt.date, y, m, 1)
        if first is None:
            return None
        d = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
        return d if d.month == m else None
    last = _safe(month_end, y, m)
    if last is None:
        return None
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def shift(p: Period, n: int) -> Period | None:
    """Move a period by ``n`` of its own units ("a year earlier" on 1989-Q3 = 1988-Q3 is shift by -4)."""
    v = p.value
    try:
        if p.granularity == "day" and p.start:
            return day(p.start + dt.timedelta(days=n))
        if p.granularity == "month":
            y, m = add_months(int(v[:4]), int(v[5:7]), n)
            return month(y, m)
        if p.granularity == "year":
            return year(int(v[:4]) + n)
        if p.granularity == "quarter":
            k = int(v[:4]) * 4 + int(v[6]) - 1 + n
            return quarter(k // 4, k % 4 + 1)
        if p.granularity == "week" and p.start:
            return week(p.start + dt.timedelta(weeks=n))
    except (ValueError, OverflowError):
        return None
    return None


def units_per_year(granularity: str) -> int | None:
    return {"year": 1, "half": 2, "quarter": 4, "month": 12, "week": 52}.get(granularity)
