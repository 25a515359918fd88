"""The story view: filtered events in date order as cards (pure; HTML with everything escaped).

A card holds what a reader needs without the chart: the date at its own precision
("June 2024", "week of 4 Nov 2024", "undated"), the title, the actors with their
countries, the modality, how many sources, the evidence sentence with its source, and
the conflict note when sources disagree. The page and the HTML/PDF exports use the same
:func:`card_html`, and every piece of article text goes through ``html.escape``.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
MODS = {"START": "early", "MID": "mid", "END": "late", "APPROX": "about",
        "BEFORE": "before", "AFTER": "after", "ON_OR_BEFORE": "by", "ON_OR_AFTER": "from"}
MODALITY_STYLE = {  # badge colours: occurred solid, the rest outlined (as on the chart)
    "occurred": "background:#1f4e79;color:#fff",
    "proposed": "border:1px solid #1f4e79;color:#1f4e79",
    "planned": "border:1px solid #1f4e79;color:#1f4e79",
    "refused": "border:1px solid #c0392b;color:#c0392b",
    "reported": "border:1px dashed #1f4e79;color:#1f4e79",
}


def _day(d: dt.date, short: bool = False) -> str:
    month = MONTHS[d.month - 1]
    return f"{d.day} {month[:3] if short else month} {d.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def human_date(start: dt.date | None, end: dt.date | None, precision: str | None,
               value: str | None = None, mod: str | None = None) -> str:
    """A date as a reader writes it, never finer than its precision.

    ``29 March 2022``, ``23–27 September 2022``, ``week of 4 Nov 2024``, ``June 2024``,
    ``Q2 2024``, ``summer 2024``, ``2022``, ``the 1990s``, ``the 20th century``, ``undated``;
    a modifier reads ``early June 2024`` / ``about 2022``.
    """
    if start is None:
        return "undated"
    end = end or start
    value = value or ""
    if precision in ("day", "time", None):
        if start == end:
            text = _day(start)
        elif (start.year, start.month) == (end.year, end.month):
            text = f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
        elif start.year == end.year:
            text = f"{start.day} {MONTHS[start.month - 1][:3]} – {_day(end, short=True)}"
        else:
            text = f"{_day(start, short=True)} – {_day(end, short=True)}"
    elif precision == "week":
        text = ("weekend of " if value.endswith("-WE") else "week of ") + _day(start, short=True)
    elif precision == "month":
        text = f"{MONTHS[start.month - 1]} {start.year}" if (start.year, start.month) == (
            end.year, end.month) else f"{MONTHS[start.month - 1]} {start.year} – " \
                                      f"{MONTHS[end.month - 1]} {end.year}"
    elif precision == "quarter":
        text = f"Q{(start.month - 1) // 3 + 1} {start.year}"
    elif precision == "half":
        text = f"H{1 if start.month <= 6 else 2} {start.year}"
    elif precision == "season":
        text = f"{SEASONS.get(value.rsplit('-', 1)[-1], 'season of')} {start.year}"
    elif precision == "year":
        text = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    elif precision == "decade":
        text = f"the {start.year // 10 * 10}s"
    elif precision == "century":
        text = f"the {_ordinal(start.year // 100 + 1)} century"  # "19" = 1900-1999
    else:
        text = _day(start) if start == end else f"{_day(start)} – {_day(end)}"
    prefix = MODS.get(mod or "")
    if prefix == "mid":
        return f"mid-{text}"
    return f"{prefix} {text}" if prefix else text


@dataclass(frozen=True)
class Card:
    id: str
    date: str
    title: str
    actors: tuple[tuple[str, str | None], ...]  # (name, country name or None)
    modality: str
    n_sources: int
    sources: tuple[str, ...]
    evidence: str | None
    evidence_source: str | None
    conflict_note: str | None


def _date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) \
        else str(value)


def story_cards(view, country_name=None) -> list[Card]:
    """Cards for the events of ``view`` (filtered ``Frames``): dated in date order, then undated.

    ``country_name`` maps an ISO code to a display name (default: the code).
    """
    events = view.events
    if events.empty:
        return []
    given = country_name or (lambda code: code)
    # a country reads as the store's own name for its state actor ("Russia"), else ``given``
    states = view.actors.loc[view.actors["kind"] == "state", ["country", "name"]].dropna()
    own_names = dict(zip(states["country"].astype(str), states["name"].astype(str)))

    def name_of(code: str) -> str:
        return own_names.get(code) or given(code)

    order = events.assign(_undated=events["start"].isna()).sort_values(
        ["_undated", "start", "end", "title"], kind="stable")
    actors: dict[str, list[tuple[str, str | None]]] = {}
    for row in view.actors.itertuples(index=False):
        country = _text(row.country)
        shown = name_of(country) if country else None
        name = str(row.name)
        own = shown in (None, name) or _text(row.kind) == "state"  # "Russia" needs no "(Russia)"
        actors.setdefault(str(row.event_id), []).append((name, None if own else shown))
    first: dict[str, tuple[str, str | None]] = {}
    mentions = view.mentions.sort_values(["published", "source"], na_position="last",
                                         kind="stable")
    for row in mentions.itertuples(index=False):
        key = str(row.event_id)
        if key not in first and _text(row.sentence):
            when = _date(row.published)
            src = _text(row.source) or "unknown source"
            first[key] = (str(row.sentence), f"{src}, {when.isoformat()}" if when else src)
    cards = []
    for row in order.itertuples(index=False):
        key = str(row.id)
        sentence, source = first.get(key, (None, None))
        cards.append(Card(
            id=key,
            date=human_date(_date(row.start), _date(row.end), _text(row.precision),
                            _text(row.value), _text(row.mod)),
            title=_text(row.title) or "(untitled)",
            actors=tuple(dict.fromkeys(actors.get(key, []))),
            modality=_text(row.modality) or "",
            n_sources=int(row.n_sources),
            sources=tuple(str(s) for s in (row.sources if row.sources is not None else [])),
            evidence=sentence, evidence_source=source,
            conflict_note=_text(row.conflict_note) if bool(row.conflict) else None,
        ))
    return cards


CARD_STYLE = ("border:1px solid #d0d7de;border-left:4px solid #1f4e79;border-radius:4px;"
              "padding:10px 14px;margin:0 0 12px 0;background:#fff;color:#222;line-height:1.45")
HIGHLIGHT_STYLE = CARD_STYLE.replace("border-left:4px solid #1f4e79", "border-left:6px solid #d35400")


def card_html(card: Card, *, highlight: bool = False) -> str:
    """One card as an ``<article>`` reachable with Tab (``tabindex=0``); all text escaped."""
    e = html.escape
    who = ", ".join(e(n) + (f" <span style='color:#666'>({e(c)})</span>" if c else "")
                    for n, c in card.actors) or "<span style='color:#666'>no actor found</span>"
    badge = (f"<span style='{MODALITY_STYLE.get(card.modality, 'border:1px solid #888')};"
             f"border-radius:3px;padding:0 6px;font-size:0.8em'>{e(card.modality or 'unknown')}</span>")
    sources = f"{card.n_sources} source{'s' if card.n_sources != 1 else ''}"
    if card.sources:
        sources += ": " + e(", ".join(card.sources))
    parts = [
        f"<div style='font-size:0.85em;color:#555;font-weight:600'>{e(card.date)}</div>",
        f"<div style='font-size:1.1em;font-weight:700;margin:2px 0'>{e(card.title)}</div>",
        f"<div style='font-size:0.9em'>{badge} {who}</div>",
    ]
    if card.evidence:
        parts.append(f"<blockquote style='margin:6px 0;padding-left:10px;border-left:3px solid "
                     f"#ccc;color:#333'>“{e(card.evidence)}”<br><span style='font-size:0.85em;"
                     f"color:#666'>— {e(card.evidence_source or '')}</span></blockquote>")
    if card.conflict_note:
        note = card.conflict_note
        head = "Sources disagree on the date:"
        if note.lower().startswith(head.lower()):
            note = note[len(head):].lstrip()
        parts.append(f"<div style='color:#c0392b;font-size:0.9em'><b>{e(head)}</b> "
                     f"{e(note)}</div>")
    parts.append(f"<div style='font-size:0.8em;color:#666'>{sources}</div>")
    style = HIGHLIGHT_STYLE if highlight else CARD_STYLE
    return (f"<article id='event-{e(card.id)}' tabindex='0' aria-label='{e(card.date)}: "
            f"{e(card.title)}' style='{style}'>" + "".join(parts) + "</article>")


def story_html(cards: list[Card], *, title: str, caption: str = "") -> str:
    """A self-contained HTML document (no script, no outside resource) of the cards."""
    e = html.escape
    body = "\n".join(card_html(c) for c in cards) or "<p>No event matches the filters.</p>"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{e(title)}</title>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:820px;margin:24px auto;"
        "padding:0 16px;color:#222} article:focus{outline:2px solid #d35400}"
        "@media print{article{break-inside:avoid}}</style></head><body>"
        f"<h1 style='font-size:1.5em'>{e(title)}</h1>"
        + (f"<p style='color:#555'>{e(caption)}</p>" if caption else "")
        + body + "</body></html>\n"
    )
