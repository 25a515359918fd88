"""The one validation of a calendar date that enters the store (publication dates).

Every entry point uses it: ingest (front matter, JSON/CSV fields, HTML metadata),
the manifest, ``--published``, ``set-published``, the app's date pickers
(``MIN_DATE``/``MAX_DATE``) and ``Store.add_documents``/``Store.set_published``.

* Only real calendar dates: ``2024-13-01`` and ``2024-02-30`` are refused, never
  read another way round (dateparser would make 2024-13-01 the 13th of January).
* Years 1..9998: the last year is kept free so that "the month after" and
  "the end of the year" of any stored date still exist in ``datetime.date``.
* A publication date is a day. A week (``2024-W46``), month (``2024-11``) or
  year is refused with a message saying so, never given an invented day.
"""
from __future__ import annotations

import datetime as dt
import re

MIN_YEAR, MAX_YEAR = 1, 9998
MIN_DATE, MAX_DATE = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)

_ISO_DAY = re.compile(r"^[+-]?(\d{1,6})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_ISO_WEEK = re.compile(r"^\d{4}-?W\d{1,2}$", re.I)
_ISO_MONTH = re.compile(r"^\d{4}-\d{1,2}$")
_YEAR = re.compile(r"^\d{1,4}$")
_QUARTER = re.compile(r"^(\d{4}-?Q[1-4]|Q[1-4][ -]?\d{4})$", re.I)


def check_date(value: dt.date) -> dt.date:
    """``value`` as a date if its year is supported; raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValueError(f"not a date ({type(value).__name__})")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year {value.year} is outside the supported range {MIN_YEAR}-{MAX_YEAR}")
    return value


def not_a_day(text: str) -> str | None:
    """Why ``text`` names a period rather than a day (``2024-W46`` -> "a week"), or None."""
    t = text.strip()
    if _ISO_WEEK.match(t):
        return "a week"
    if _QUARTER.match(t):
        return "a quarter"
    if _ISO_MONTH.match(t):
        return "a month"
    if _YEAR.match(t):
        return "a year"
    return None


def iso_shape_error(text: str) -> str | None:
    """For text shaped like an ISO date (``2024-13-01``) that is no calendar day: why."""
    m = _ISO_DAY.match(text.strip())
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"year {year} is outside the supported range {MIN_YEAR}-{MAX_YEAR}"
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        return f"not a calendar date ({exc})"
    return None
