"""Entity timelines in the SemEval-2015 Task 4 "TimeLine" Track A format.

One file per target entity (``<entity lower-cased, spaces -> _>.txt``): the entity's
name, then one line per event whose actors include the entity::

    RANK<TAB>DATE<TAB>DOCID-SENTENCEID-TOKEN[<TAB>DOCID-SENTENCEID-TOKEN ...]

ranked by date (the same date string = the same rank; a year before a day of that
year, as the task's gold does), undated events at rank 0 with ``XXXX-XX-XX``. DATE
keeps the event's precision: ``2007-10-XX`` for a month, ``2007-XX-XX`` for a year,
never an invented day. Each mention is cited with the document's own id (TimeML
``DOCID``; else the store's id), the sentence's id (TimeML ``<s id>``; else its
position in our segmentation) and the trigger token as the source tokenised it.

The entity matches an actor when its normalised name equals the actor's name or one
of the forms the actor was written as in the articles ("EADS" for the European
Aeronautic Defence and Space Company). Actors merely mentioned in an event's sentence
(role ``mentioned``) do not make it the entity's event.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from timeline.errors import UserError
from timeline.events import given_sentences, split_sentences, token_at
from timeline.model import Document

UNDATED = "XXXX-XX-XX"


def file_name(entity: str) -> str:
    """The task's file name for an entity: lower-cased, spaces -> ``_``."""
    return "_".join(entity.lower().split()) + ".txt"


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[.\u2019']", "", text)
    return " ".join(re.sub(r"[^\w&]+", " ", text).split())


def date_string(start: dt.date | None, end: dt.date | None, precision: str | None) -> str:
    """The task's date: day, month (``YYYY-MM-XX``) or year (``YYYY-XX-XX``) as precise as the event."""
    if start is None:
        return UNDATED
    end = end or start
    if precision in ("day", "time") and start == end:
        return start.isoformat()
    if start.year != end.year:
        return UNDATED if end.year - start.year > 1 else f"{start.year:04d}-XX-XX"
    if start.month == end.month and precision not in ("year", "decade", "century"):
        return f"{start.year:04d}-{start.month:02d}-XX"
    return f"{start.year:04d}-XX-XX"


@dataclass(frozen=True)
class Citation:
    doc: str
    sentence: str
    token: str

    def __str__(self) -> str:
        return f"{self.doc}-{self.sentence}-{self.token}"


class _DocIndex:
    """Per document: its citation id, sentence ids and tokens (read once per export)."""

    def __init__(self, docs: Iterable[Document]):
        self.docs = {d.id: d for d in docs}
        self._sids: dict[str, list[str]] = {}

    def cite(self, doc_id: str, sentence_index: int | None, trigger_start: int | None,
             trigger: str | None) -> Citation | None:
        doc = self.docs.get(doc_id)
        if doc is None or sentence_index is None:
            return None
        sids = self._sids.get(doc_id)
        if sids is None:
            sids = ([sid for sid, _a, _b, _t in given_sentences(doc.sentences)] if doc.sentences
                    else [str(i) for i in range(len(split_sentences(doc.text)))])
            self._sids[doc_id] = sids
        if not 0 <= sentence_index < len(sids):
            return None
        token = token_at(doc, trigger_start) if trigger_start is not None else None
        token = token or (trigger.split()[0] if trigger else None)
        if not token:
            return None
        return Citation(doc.ext_id or doc.id, sids[sentence_index], token.replace(" ", "_"))


def entity_actor_ids(entity: str, event_actors: pd.DataFrame, forms: pd.DataFrame) -> set[str]:
    """Actor ids (or names for unresolved actors) the entity names."""
    want = normalise_name(entity)
    ids = {str(a) for a, n in zip(event_actors["actor_id"], event_actors["name"]) if normalise_name(str(n)) == want}
    if len(forms):
        ids |= {str(a) for a, t in zip(forms["actor_id"], forms["text"]) if a is not None and normalise_name(str(t)) == want}
    return ids


def entity_lines(entity: str, events: pd.DataFrame, event_actors: pd.DataFrame, forms: pd.DataFrame,
                 mentions: pd.DataFrame, index: _DocIndex) -> list[str]:
    """The entity's timeline lines (without the name line), ranked."""
    ids = entity_actor_ids(entity, event_actors, forms)
    part = event_actors[event_actors["role"].fillna("") != "mentioned"]
    mine = {e for e, a in zip(part["event_id"], part["actor_id"]) if str(a) in ids}
    cites: dict[str, list[str]] = defaultdict(list)
    ordered = mentions.sort_values(["event_id", "doc_id", "sent_start"], kind="stable")
    for r in ordered[ordered["event_id"].isin(mine)].itertuples(index=False):
        c = index.cite(r.doc_id, _int(r.sentence_index), _int(r.trigger_start), r.trigger)
        if c is not None and str(c) not in cites[r.event_id]:
            cites[r.event_id].append(str(c))
    rows = []
    for e in events[events["id"].isin(cites)].itertuples(index=False):
        start, end = _date(e.start), _date(e.end)
        rows.append((date_string(start, end, e.precision), start, end, cites[e.id]))
    dated = sorted({(s, d, -(e - s).days if s and e else 0) for d, s, e, _c in rows if d != UNDATED},
                   key=lambda k: (k[0], k[2], k[1]))
    rank: dict[str, int] = {}
    for _s, d, _w in dated:
        rank.setdefault(d, len(rank) + 1)
    lines = [(rank.get(d, 0), d, "\t".join(c)) for d, _s, _e, c in rows]
    return [f"{r}\t{d}\t{c}" for r, d, c in sorted(lines, key=lambda x: (x[0], x[2]))]


def write_timelines(store, entities: list[str], out_dir: Path, event_ids: set[str] | None = None) -> list[Path]:
    """One file per entity in ``out_dir``; ``event_ids`` limits the events (the CLI's filters)."""
    if not entities:
        raise UserError("name at least one entity: --entity NAME or --entities FILE")
    con = store.con
    events = con.execute('SELECT id, start, "end", precision FROM events').df()
    if event_ids is not None:
        events = events[events["id"].isin(event_ids)]
    event_actors = con.execute("SELECT event_id, actor_id, name, role FROM event_actors").df()
    event_actors["actor_id"] = [a if a is not None and not pd.isna(a) else "?" + str(n)
                                for a, n in zip(event_actors["actor_id"], event_actors["name"])]
    forms = con.execute("SELECT DISTINCT actor_id, text FROM actor_mentions WHERE actor_id IS NOT NULL").df()
    mentions = con.execute("SELECT event_id, doc_id, sent_start, sentence_index, trigger_start, trigger "
                           "FROM event_mentions WHERE event_id IS NOT NULL").df()
    index = _DocIndex(store.iter_documents(sorted(set(mentions["doc_id"]))))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entity in entities:
        path = out_dir / file_name(entity)
        lines = entity_lines(entity, events, event_actors, forms, mentions, index)
        path.write_text("\n".join([entity, *lines]) + "\n", encoding="utf-8")
        written.append(path)
    return written


def read_entities(path: str | Path) -> list[str]:
    """One entity name per line (blank lines and ``#`` comments ignored)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"{path}: cannot read the entity list ({exc.strerror or exc})") from None
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not names:
        raise UserError(f"{path}: no entity names in it (one per line)")
    return names


def _int(v) -> int | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else int(v)


def _date(v) -> dt.date | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    return v.date() if isinstance(v, (dt.datetime, pd.Timestamp)) else v
