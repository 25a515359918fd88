"""Generated frames with the exact event-frame schema, for tests and benchmarks.

Real stores hold a few hundred events; the dashboard must stay usable at a
million. ``synthetic_frames`` builds that million in seconds (numpy, no Python
loop per event except for the list columns) with a realistic mix: several
participants per event, leaders and states from many countries, every date
precision, ranges, approximate dates, conflicts and a share of undated events.
Deterministic for a given seed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from timeline.charts import period_start
from timeline.frame import (
    ACTOR_COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    Frames,
)

# (actor_id, name, kind, country, is_leader)
ACTORS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("p:alvarez", "Marta Alvarez", "person", "ESP", True),
    ("p:berg", "Jonas Berg", "person", "SWE", True),
    ("p:chen", "Chen Wei", "person", "CHN", True),
    ("p:dubois", "Claire Dubois", "person", "FRA", True),
    ("p:eze", "Ngozi Eze", "person", "NGA", True),
    ("p:fischer", "Anna Fischer", "person", "DEU", True),
    ("p:garcia", "Luis Garcia", "person", "MEX", True),
    ("p:haddad", "Omar Haddad", "person", "JOR", True),
    ("p:ivanov", "Pavel Ivanov", "person", "RUS", True),
    ("p:jones", "Sarah Jones", "person", "GBR", True),
    ("p:kovalenko", "Oksana Kovalenko", "person", "UKR", True),
    ("p:lee", "Daniel Lee", "person", "USA", True),
    ("p:mori", "Kenji Mori", "person", "JPN", False),
    ("p:novak", "Petra Novak", "person", "CZE", False),
    ("p:okafor", "Tunde Okafor", "person", "NGA", False),
    ("s:deu", "Germany", "state", "DEU", False),
    ("s:fra", "France", "state", "FRA", False),
    ("s:rus", "Russia", "state", "RUS", False),
    ("s:ukr", "Ukraine", "state", "UKR", False),
    ("s:usa", "United States", "state", "USA", False),
    ("s:chn", "China", "state", "CHN", False),
    ("s:ind", "India", "state", "IND", False),
    ("s:bra", "Brazil", "state", "BRA", False),
    ("s:tur", "Turkey", "state", "TUR", False),
    ("o:un", "United Nations", "organisation", "", False),
    ("o:nato", "NATO", "organisation", "", False),
    ("o:eu", "European Union", "organisation", "", False),
    ("o:au", "African Union", "organisation", "", False),
    ("?ministry", "the ministry", "organisation", "", False),
)
TYPES = ("statement", "call_meeting", "negotiation", "proposal", "demand", "refusal",
         "agreement", "threat", "military_action", "vote_referendum", "sanction", "aid_supply")
MODALITIES = ("occurred", "proposed", "planned", "refused", "reported")
SOURCES = ("Daily Ledger", "Evening Courier", "Harbour Times", "Wire Service", "Valley Gazette",
           "Continental Review", "Morning Post", "Radio Seven")
ROLES = ("speaker", "participant", "target", "agent", "mentioned")

# precision -> probability (undated rows get precision <NA>)
_PRECISIONS = {"day": 0.52, "range": 0.04, "week": 0.05, "month": 0.17, "quarter": 0.03,
               "year": 0.08, "undated": 0.11}


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int, p=None) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def _dates(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """start/end/precision/value/date_text arrays for ``n`` events."""
    names = list(_PRECISIONS)
    kind = rng.choice(len(names), size=n, p=list(_PRECISIONS.values()))
    day = np.datetime64("1995-01-01", "D") + rng.integers(0, 31 * 365, size=n).astype("timedelta64[D]")
    start = day.copy()
    end = day.copy()
    precision = np.full(n, "day", dtype=object)
    # ranges: a few days to a few weeks, day precision
    sel = kind == names.index("range")
    end[sel] = day[sel] + rng.integers(2, 30, size=sel.sum()).astype("timedelta64[D]")
    for name, unit, step in (("week", "W", 1), ("month", "M", 1), ("quarter", "M", 3),
                             ("year", "Y", 1)):
        sel = kind == names.index(name)
        first = period_start(day[sel], name)
        start[sel] = first
        if unit == "W":  # numpy weeks start on Thursdays; ours on Mondays
            following = first + np.timedelta64(7, "D")
        else:
            following = (first.astype(f"datetime64[{unit}]") + step).astype("datetime64[D]")
        end[sel] = following - np.timedelta64(1, "D")
        precision[sel] = name
    undated = kind == names.index("undated")
    iso = pd.Series(start.astype(str), dtype="string")
    value = iso.copy()
    value[precision == "month"] = iso[precision == "month"].str[:7]
    value[precision == "year"] = iso[precision == "year"].str[:4]
    value[precision == "quarter"] = iso[precision == "quarter"].str[:4] + "-Q" + (
        (pd.Series(start[precision == "quarter"]).dt.month.to_numpy() - 1) // 3 + 1).astype(str)
    value[precision == "week"] = "week of " + iso[precision == "week"]
    date_text = "on " + value
    date_text[precision == "month"] = "in " + value[precision == "month"]
    start_s = pd.Series(start.astype("datetime64[s]"))
    end_s = pd.Series(end.astype("datetime64[s]"))
    start_s[undated] = pd.NaT
    end_s[undated] = pd.NaT
    precision_s = pd.Series(precision, dtype="string")
    precision_s[undated] = pd.NA
    value[undated] = pd.NA
    date_text[undated] = pd.NA
    return {"start": start_s, "end": end_s, "precision": precision_s, "value": value,
            "date_text": date_text}


def _take(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values[positions]`` as an Arrow-backed string Series, without Python objects
    (building a million strings from an object array is what made generation slow)."""
    arr = pa.array(values.astype("string").array)
    taken = arr.take(pa.array(np.asarray(positions, dtype=np.int64)))
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([taken])))


def _lists(codes: list[np.ndarray], counts: np.ndarray, vocab: np.ndarray,
           clean=None) -> np.ndarray:
    """Row i -> [vocab[codes[0][i]], ... first counts[i] of them], as an object array.

    Rows drawn from a small vocabulary repeat the same few thousand combinations, so
    one list is built per distinct combination and shared by the rows that have it
    (frames are never mutated in place). ``clean`` post-processes each list.
    """
    key = counts.astype(np.int64)
    for column in codes:
        key = key * (len(vocab) + 1) + column
    combo, first = np.unique(key, return_index=True)
    cells = np.empty(len(combo), dtype=object)
    for j, row in enumerate(first.tolist()):
        items = [vocab[c[row]] for c in codes[: counts[row]]]
        cells[j] = clean(items) if clean else items
    return cells[np.searchsorted(combo, key)]


def synthetic_frames(n_events: int, seed: int = 0) -> Frames:
    """``n_events`` generated events with actors, mentions and documents."""
    rng = np.random.default_rng(seed)
    n = int(n_events)
    actor_table = pd.DataFrame(ACTORS, columns=["actor_id", "name", "kind", "country", "is_leader"])
    n_act = len(ACTORS)
    ids = "e" + pd.Series(np.arange(n)).astype("string").str.zfill(7)

    # 1-3 distinct participants per event
    k_actors = rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15])
    a0 = rng.integers(0, n_act, size=n)
    a1 = (a0 + rng.integers(1, n_act, size=n)) % n_act
    a2 = (a1 + rng.integers(1, n_act - 1, size=n)) % n_act
    a2 = np.where(a2 == a0, (a2 + 1) % n_act, a2)
    slots = np.stack([a0, a1, a2], axis=1)
    take = np.arange(3)[None, :] < k_actors[:, None]
    event_pos = np.repeat(np.arange(n), k_actors)
    actor_idx = slots[take]
    role_idx = rng.integers(0, len(ROLES), size=len(actor_idx))
    actors_long = pd.DataFrame({
        "event_id": _take(ids, event_pos),
        "actor_id": _take(actor_table["actor_id"], actor_idx),
        "name": _take(actor_table["name"], actor_idx),
        "role": _take(pd.Series(ROLES, dtype="string"), role_idx),
        "country": _take(actor_table["country"].replace("", None), actor_idx),
        "kind": _take(actor_table["kind"], actor_idx),
        "resolved": ~actor_table["actor_id"].str.startswith("?").to_numpy()[actor_idx],
        "is_leader": actor_table["is_leader"].to_numpy()[actor_idx],
        "office": pd.NA,
    }).astype(ACTOR_COLUMNS)

    names = actor_table["name"].to_numpy(dtype=object)
    aids = actor_table["actor_id"].to_numpy(dtype=object)
    countries = actor_table["country"].to_numpy(dtype=object)
    n_sources = rng.choice([1, 2, 3, 4], size=n, p=[0.6, 0.25, 0.1, 0.05])
    # distinct outlets per event: base + i * odd step (odd steps are coprime with 8 outlets)
    base = rng.integers(0, len(SOURCES), size=n)
    step = rng.choice([1, 3, 5, 7], size=n)
    src = [(base + i * step) % len(SOURCES) for i in range(4)]
    source_names = np.asarray(SOURCES, dtype=object)

    types = _pick(rng, TYPES, n)
    modality = _pick(rng, MODALITIES, n, p=[0.6, 0.12, 0.1, 0.06, 0.12])
    dates = _dates(rng, n)
    approx = rng.random(n) < 0.04
    conflict = (rng.random(n) < 0.03) & dates["start"].notna().to_numpy() & (n_sources > 1)
    first_actor = pd.Series(names[a0], dtype="string")
    title = first_actor + " " + pd.Series(types, dtype="string").str.replace("_", " ")
    mod = pd.Series(np.where(approx, "APPROX", None), dtype="string")
    events = pd.DataFrame({
        "id": ids,
        "title": title,
        "type": types,
        "modality": modality,
        "start": dates["start"],
        "end": dates["end"],
        "precision": dates["precision"],
        "value": dates["value"],
        "mod": mod,
        "date_text": dates["date_text"],
        "actors": _lists([a0, a1, a2], k_actors, names),
        "actor_ids": _lists([a0, a1, a2], k_actors, aids),
        "countries": _lists([a0, a1, a2], k_actors, countries,
                            clean=lambda cs: list(dict.fromkeys(c for c in cs if c))),
        "n_sources": n_sources,
        "sources": _lists(src, n_sources, source_names),
        "n_mentions": n_sources,
        "conflict": conflict,
        "conflict_note": pd.Series(np.where(conflict, "sources give different dates", None),
                                   dtype="string"),
        "confidence": rng.uniform(0.3, 1.0, size=n).round(2),
        "salience": rng.uniform(0.3, 1.0, size=n).round(2),
    }).astype(EVENT_COLUMNS)

    # documents: about one per five events, each from one outlet
    n_docs = max(1, n // 5)
    doc_ids = "d" + pd.Series(np.arange(n_docs)).astype("string").str.zfill(7)
    doc_source = source_names[rng.integers(0, len(SOURCES), size=n_docs)]
    published = np.datetime64("1995-02-01", "D") + rng.integers(0, 31 * 365, size=n_docs).astype(
        "timedelta64[D]")
    documents = pd.DataFrame({
        "id": doc_ids,
        "title": "Report " + doc_ids,
        "source": doc_source,
        "published": published.astype("datetime64[s]"),
        "url": pd.Series([None] * n_docs, dtype="string"),
        "origin": "synthetic",
        "n_chars": rng.integers(800, 8000, size=n_docs),
        "ext_id": None,
    }).astype(DOCUMENT_COLUMNS)

    # one mention per source; conflicting events get a shifted date in later mentions
    m_pos = np.repeat(np.arange(n), n_sources)
    m_rank = np.arange(len(m_pos)) - np.repeat(np.cumsum(n_sources) - n_sources, n_sources)
    m_src = np.stack(src, axis=1)[m_pos, m_rank]
    m_doc = rng.integers(0, n_docs, size=len(m_pos))
    m_start = events["start"].to_numpy()[m_pos].copy()
    m_end = events["end"].to_numpy()[m_pos].copy()
    shifted = conflict[m_pos] & (m_rank > 0)
    shift = rng.integers(20, 400, size=int(shifted.sum())).astype("timedelta64[D]")
    m_start[shifted] = m_start[shifted] + shift
    m_end[shifted] = m_end[shifted] + shift
    ev_title = _take(events["title"], m_pos)
    sentence = ev_title + " " + _take(events["date_text"].fillna("at some point"), m_pos) + "."
    mentions = pd.DataFrame({
        "id": "m" + pd.Series(np.arange(len(m_pos))).astype("string").str.zfill(8),
        "event_id": _take(ids, m_pos),
        "doc_id": _take(doc_ids, m_doc),
        "source": _take(pd.Series(SOURCES, dtype="string"), m_src),
        "published": documents["published"].to_numpy()[m_doc],
        "title": ev_title,
        "sentence": sentence,
        "sent_start": 0,
        "sent_end": sentence.str.len().fillna(0).astype("int64"),
        "trigger": _take(events["type"], m_pos),
        "type": _take(events["type"], m_pos),
        "modality": _take(events["modality"], m_pos),
        "timex_text": _take(events["date_text"], m_pos),
        "value": _take(events["value"], m_pos),
        "start": m_start,
        "end": m_end,
        "precision": _take(events["precision"], m_pos),
        "date_source": "same_clause",
        "explanation": "generated",
        "confidence": events["confidence"].to_numpy()[m_pos],
        "external_id": None, "sentence_index": 0, "trigger_start": None, "trigger_end": None,
        "timex_start": None, "timex_end": None,  # generated sentences: no offsets to cite
    }).astype(MENTION_COLUMNS)
    return Frames(events=events, actors=actors_long, mentions=mentions, documents=documents)


_DEFAULTS = {"string": pd.NA, "object": None, "bool": False, "int64": 0, "Int64": pd.NA, "float64": 0.5,
             "datetime64[s]": pd.NaT}


def _table(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """Rows -> a frame with exactly ``columns``; missing keys take neutral defaults."""
    data = {}
    for name, dtype in columns.items():
        values = [row.get(name, _DEFAULTS[dtype]) for row in rows]
        if dtype == "object":
            values = [list(v) if v is not None else [] for v in values]
            data[name] = pd.Series(values, dtype=object)
        elif dtype.startswith("datetime64"):
            data[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=dtype)
        else:
            data[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(columns)).astype(columns)


def frames_from_records(events: list[dict], actors: list[dict] | None = None,
                        mentions: list[dict] | None = None,
                        documents: list[dict] | None = None) -> Frames:
    """Small hand-written Frames for tests: give only the fields that matter."""
    return Frames(
        events=_table(events, EVENT_COLUMNS),
        actors=_table(actors or [], ACTOR_COLUMNS),
        mentions=_table(mentions or [], MENTION_COLUMNS),
        documents=_table(documents or [], DOCUMENT_COLUMNS),
    )
