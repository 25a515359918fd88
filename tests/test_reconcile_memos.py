"""The look-ups reconciliation memoises by identity (``reconcile._role_split``,
``_actor_sets``, ``_index_keys``) and the index look-up's two ways of reading a key's
buckets: each gives what computing it afresh gives, also once the memos have started
over and freed tuples' ids are reused."""
from __future__ import annotations

import datetime as dt
import gc

from timeline import reconcile
from timeline.model import EventActor, EventMention, Timex
from timeline.reconcile import _actor_sets, _Index, _index_keys, _keys_of, _role_split, actor_key

ROLES = ("agent", "speaker", "participant", "target", "mentioned")


def _actors(i: int) -> tuple[EventActor, ...]:
    """A tuple of one to three actors, different for each ``i`` (roles, kinds, countries vary)."""
    return tuple(EventActor(actor_id=f"a{i}-{j}" if (i + j) % 3 else None, name=f"Name {i} {j}",
                            role=ROLES[(i + j) % len(ROLES)], country=("FRA", "DEU", None)[(i * j) % 3],
                            kind=("state", "person", "org")[(i + 2 * j) % 3]) for j in range(1 + i % 3))


def _fresh(actors):
    core = tuple(a for a in actors if a.role in ("agent", "speaker", "participant"))
    rest = tuple(a for a in actors if a.role not in ("agent", "speaker", "participant") and a.role != "mentioned")
    sets = ({actor_key(x) for x in actors}, {x.country for x in actors if x.kind == "state" and x.country},
            {x.country for x in actors if x.country})
    return (core, rest), sets


def test_memoised_actor_look_ups_equal_fresh_ones_across_restarts_and_reused_ids(monkeypatch):
    monkeypatch.setattr(reconcile, "_MEMO_MAX", 8)  # start over every 8 entries
    seen_ids: set[int] = set()
    reused = 0
    for i in range(400):
        actors = _actors(i)  # a new tuple each time, dropped at the next: ids come back
        reused += id(actors) in seen_ids
        seen_ids.add(id(actors))
        split, sets = _fresh(actors)
        for _ in range(2):  # a miss, then a hit
            assert _role_split(actors) == split
            assert [set(s) for s in _actor_sets(actors)] == [set(s) for s in sets]
            for etype in ("statement", "meeting"):
                for lookup in (False, True):
                    assert _index_keys(etype, actors, lookup) == _keys_of(etype, actors, lookup)
        del actors
        gc.collect()
    assert reused > 0  # the case the identity check is there for happened
    assert len(reconcile._SPLITS) <= 8 and len(reconcile._KEYS) <= 8


def _mention(i: int, day: dt.date, actors) -> EventMention:
    t = Timex(start=0, end=4, text="x", type="DATE", value=day.isoformat(), range_start=day, range_end=day,
              granularity="day")
    return EventMention(id=f"m{i}", doc_id=f"d{i % 7}", sent_start=0, sent_end=10, sentence="s", trigger="met",
                        type="meeting", modality="asserted", title="t", actors=actors, timex=t,
                        date_source="same_clause")


def test_an_index_look_up_finds_the_same_events_whichever_side_it_walks():
    actors = _actors(1)
    index = _Index()
    start = dt.date(2024, 1, 1)
    for i in range(60):
        index.add(i // 2, _mention(i, start + dt.timedelta(days=i % 40), actors))
    keys = _Index.keys(_mention(0, start, actors), lookup=True)

    def brute(wanted) -> set[int]:
        out = {ci for k in keys for slot in wanted for ci in index.by_key.get(k, {}).get(slot, {})}
        return set(sorted(out)[-_Index.MAX_CANDIDATES:])

    few = {("d", (start + dt.timedelta(days=3)).toordinal())}  # fewer slots than a key has filed
    many = {("d", (start + dt.timedelta(days=d)).toordinal()) for d in range(-5, 60)}  # more
    for wanted in (few, many, frozenset(many), sorted(many)):
        assert index.lookup(keys, wanted, set()) == brute(set(wanted))
    assert brute(many) and len(brute(many)) == _Index.MAX_CANDIDATES  # the cap applies
