"""Filtering the event frames: one immutable filter, one pure function.

The dashboard, the exports and the CLI all narrow the same ``Frames`` the same
way, so the filter lives here (not in the UI) as a frozen dataclass that also
knows how to travel in a URL (``to_query``/``from_query``): a copied link
restores the same view.

Everything is vectorised (``isin`` on the long tables, one ``explode`` for list
columns): filtering a million events takes well under a second.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from timeline.frame import Frames

#: Tuple fields of :class:`EventFilter` and the URL key each one travels under.
LIST_KEYS: dict[str, str] = {
    "actors": "actor",
    "leaders": "leader",
    "countries": "country",
    "sources": "source",
    "types": "type",
    "modalities": "modality",
}
DATE_KEYS: dict[str, str] = {"start": "from", "end": "to"}
TEXT_KEY = "q"
UNDATED_KEY = "undated"
#: Every URL key the filter owns (the dashboard keeps its own view keys apart).
QUERY_KEYS: tuple[str, ...] = (*LIST_KEYS.values(), *DATE_KEYS.values(), TEXT_KEY, UNDATED_KEY)

_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class EventFilter:
    """What the user asked to see. Empty tuples / None / "" mean "no constraint".

    ``start``/``end`` form an inclusive window; an event is kept when its own
    interval *overlaps* the window, so a month-precision event ("in June")
    survives a window of 10-20 June.
    """

    actors: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    text: str = ""
    include_undated: bool = True
    #: keep events at or above this timeline-worthiness (``salience`` column; 0 = all).
    #: The app's default view uses ``timeline.nlp.salience.DEFAULT_MIN_SALIENCE``.
    min_salience: float = 0.0

    def __post_init__(self) -> None:
        # Accept lists/sets from callers but store hashable, ordered tuples.
        for name in LIST_KEYS:
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(dict.fromkeys(str(v) for v in value)))
        object.__setattr__(self, "text", (self.text or "").strip())

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps every event."""
        return self == EventFilter()

    # -- URL round trip ----------------------------------------------------------
    def to_query(self) -> dict[str, str | list[str]]:
        """Only the non-default fields; list fields as lists (repeated URL keys)."""
        out: dict[str, str | list[str]] = {}
        for name, key in LIST_KEYS.items():
            values = getattr(self, name)
            if values:
                out[key] = list(values)
        for name, key in DATE_KEYS.items():
            value = getattr(self, name)
            if value is not None:
                out[key] = value.isoformat()
        if self.text:
            out[TEXT_KEY] = self.text
        if not self.include_undated:
            out[UNDATED_KEY] = "0"
        return out

    @classmethod
    def from_query(cls, mapping: Mapping[str, Any]) -> EventFilter:
        """Inverse of :meth:`to_query`; tolerant of hand-edited URLs.

        ``mapping`` may be ``st.query_params`` (read with ``get_all``), a dict of
        str or list values, or ``urllib.parse.parse_qs`` output. Lists travel as
        repeated keys, never comma-joined (names may contain commas). Unreadable
        dates are ignored rather than failing the page.
        """
        def last(key: str) -> str | None:
            found = _raw_values(mapping, key)
            return found[-1] if found else None

        kwargs: dict[str, Any] = {
            name: tuple(_raw_values(mapping, key)) for name, key in LIST_KEYS.items()
        }
        for name, key in DATE_KEYS.items():
            kwargs[name] = parse_date(last(key))
        kwargs["text"] = last(TEXT_KEY) or ""
        undated = last(UNDATED_KEY)
        kwargs["include_undated"] = not (undated is not None and undated.lower() in _FALSE)
        return cls(**kwargs)


def _raw_values(mapping: Mapping[str, Any], key: str) -> list[str]:
    """All non-empty values of ``key`` (repeated keys give several)."""
    raw: Any = mapping.get_all(key) if hasattr(mapping, "get_all") else mapping.get(key, [])
    if isinstance(raw, str):
        raw = [raw]
    return [str(v) for v in raw if str(v) != ""]


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """ISO date (``2024-06-01``), month (``2024-06``) or year (``2024``); else None."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if re.fullmatch(r"\d{1,4}", text):
            return dt.date(int(text), 1, 1)
        if re.fullmatch(r"\d{1,4}-\d{1,2}", text):
            year, month = text.split("-")
            return dt.date(int(year), int(month), 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _day(value: dt.date) -> np.datetime64:
    """A date as a second-resolution datetime64 (valid for years 1..9999)."""
    return np.datetime64(value.isoformat(), "s")


def isin(series: pd.Series, values: Iterable[object]) -> np.ndarray:
    """``series.isin(values)`` as a bool array, via Arrow hashing.

    pandas' Arrow-backed ``isin`` converts a large ``values`` set in a Python
    loop (seconds for 200k ids); ``pyarrow.compute.is_in`` does it in C++.
    """
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.array
    if not hasattr(values, "__arrow_array__") and not isinstance(values, np.ndarray):
        values = list(values)
    if len(series) == 0:
        return np.zeros(0, dtype=bool)
    try:
        arr = pa.array(series.to_numpy(dtype=object) if series.dtype == object else series)
        value_set = pa.array(values).cast(arr.type) if len(values) else pa.array([], arr.type)
        hit = pc.is_in(arr, value_set=value_set)
        return hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return series.isin(list(values)).fillna(False).to_numpy(dtype=bool)


def _ids_with_any(long: pd.DataFrame, column: str, wanted: Iterable[str]) -> np.ndarray:
    """Event ids of the rows of a long table whose ``column`` is in ``wanted``."""
    if long.empty or column not in long:
        return np.array([], dtype=object)
    return long.loc[isin(long[column], list(wanted)), "event_id"].unique()


def _list_has_any(series: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Row mask: the list in each cell shares at least one item with ``wanted``."""
    mask = np.zeros(len(series), dtype=bool)
    if not len(series):
        return mask
    lists = pa.array(series.to_numpy(dtype=object), type=pa.list_(pa.string()))
    hit = pc.is_in(pc.list_flatten(lists), value_set=pa.array(list(wanted), pa.string()))
    parents = pc.list_parent_indices(lists).to_numpy()
    mask[parents[hit.fill_null(False).to_numpy(zero_copy_only=False)]] = True
    return mask


def _positional_explode(series: pd.Series) -> pd.Series:
    """Explode a list column, indexed by row position (robust to any index)."""
    return pd.Series(series.to_numpy(), index=np.arange(len(series)), dtype=object).explode()


def event_mask(frames: Frames, flt: EventFilter) -> np.ndarray:
    """Boolean mask over ``frames.events`` rows that pass ``flt``."""
    events = frames.events
    mask = np.ones(len(events), dtype=bool)
    if not len(events):
        return mask
    ids = events["id"]
    if flt.actors:
        actors = frames.actors
        if not actors.empty:
            by_name = isin(actors["name"], flt.actors) | isin(actors["actor_id"], flt.actors)
            mask &= isin(ids, actors.loc[by_name, "event_id"].unique())
        else:
            mask[:] = False
    if flt.leaders:
        leaders = frames.actors[frames.actors["is_leader"].fillna(False).astype(bool)]
        mask &= isin(ids, _ids_with_any(leaders, "name", flt.leaders))
    if flt.countries:
        mask &= _list_has_any(events["countries"], flt.countries)
    if flt.sources:
        mask &= _list_has_any(events["sources"], flt.sources)
    if flt.types:
        mask &= isin(events["type"], flt.types)
    if flt.modalities:
        mask &= isin(events["modality"], flt.modalities)
    undated = events["start"].isna().to_numpy()
    if flt.start is not None or flt.end is not None:
        starts = events["start"].to_numpy()
        ends = events["end"].fillna(events["start"]).to_numpy()
        inside = ~undated
        if flt.end is not None:
            inside &= starts <= _day(flt.end)
        if flt.start is not None:
            inside &= ends >= _day(flt.start)
        mask &= inside | (undated & flt.include_undated)
    if not flt.include_undated:
        mask &= ~undated
    if flt.min_salience > 0 and "salience" in events.columns:
        mask &= events["salience"].fillna(0.0).to_numpy(dtype=float) >= flt.min_salience
    if flt.text:
        in_title = events["title"].str.contains(flt.text, case=False, regex=False)
        text_hit = in_title.fillna(False).to_numpy(dtype=bool)
        mentions = frames.mention_columns(["event_id", "sentence"])
        if not mentions.empty:
            said = mentions["sentence"].str.contains(flt.text, case=False, regex=False)
            hit_ids = mentions.loc[said.fillna(False).to_numpy(dtype=bool), "event_id"].unique()
            text_hit |= isin(ids, hit_ids)
        mask &= text_hit
    return mask


def filter_events(frames: Frames, flt: EventFilter) -> Frames:
    """The frames restricted to the events passing ``flt`` (pure: inputs untouched).

    ``actors`` and ``mentions`` keep only rows of kept events; ``documents`` is
    left whole (the density strip compares against the whole corpus).
    """
    if flt.is_empty:
        return frames
    mask = event_mask(frames, flt)
    events = frames.events.loc[mask]
    actors = frames.actors
    if not actors.empty:
        actors = actors.loc[isin(actors["event_id"], events["id"])]
    return frames.narrowed(events, actors)


#: Options the sidebar offers, and where their values live.
OPTION_COLUMNS = ("actor", "leader", "country", "source", "type", "modality")


def option_counts(frames: Frames, column: str) -> pd.Series:
    """Number of distinct events per option value, most frequent first.

    ``column`` is one of :data:`OPTION_COLUMNS` (or an events column). Shown
    beside each option in the sidebar so the user sees what a choice will keep.
    """
    events = frames.events
    if column in ("actor", "leader"):
        long = frames.actors
        if long.empty:
            return pd.Series(dtype="int64", name="events")
        if column == "leader":
            long = long[long["is_leader"].fillna(False).astype(bool)]
        counts = long.drop_duplicates(["event_id", "name"])["name"].value_counts()
    elif column in ("country", "source"):
        exploded = _positional_explode(events["countries" if column == "country" else "sources"])
        exploded = exploded.dropna()
        pairs = pd.DataFrame({"row": exploded.index, "value": exploded.to_numpy()})
        counts = pairs.drop_duplicates()["value"].value_counts()
    else:
        counts = events[column].dropna().value_counts()
    counts.index = counts.index.astype(str)
    counts.name = "events"
    return counts.sort_index().sort_values(ascending=False, kind="stable").astype("int64")
