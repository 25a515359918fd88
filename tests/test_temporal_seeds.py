"""The 14 gold expressions of the two seed articles (read from ../shared at run time)."""
from __future__ import annotations

import datetime as dt

from timeline.temporal import find_timexes


def _gold_value(v) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def test_seed_expressions(seeds_dir, seed_gold):
    published = {d["file"]: d["published"] for d in seed_gold["documents"]}
    checked = 0
    for name, golds in seed_gold["timexes"].items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        found = find_timexes(text, published[name])
        pos = 0
        for g in golds:
            # the gold expressions in reading order: each must be found after the previous one
            match = next((t for t in found if t.text == g["text"] and t.start >= pos), None)
            assert match is not None, f"{name}: {g['text']!r} not found after offset {pos}"
            allowed = {_gold_value(g["value"])} | {_gold_value(a) for a in g.get("accept", [])}
            assert match.value in allowed, f"{name}: {match.explanation}"
            if "mod" in g:
                assert match.mod == g["mod"], match.explanation
            if "type" in g:
                assert match.type == g["type"], match.explanation
            pos = match.end
            checked += 1
    assert checked == 14


def test_seed_precision_is_kept(seeds_dir, seed_gold):
    """'June of last year' is a month (2023-06), not a made-up day; 'Friday' is the publication day."""
    text = (seeds_dir / "000_54c9e779a003dfeb.txt").read_text(encoding="utf-8")
    june = next(t for t in find_timexes(text, dt.date(2024, 11, 15)) if t.text == "June of last year")
    assert (june.granularity, june.range_start, june.range_end) == ("month", dt.date(2023, 6, 1), dt.date(2023, 6, 30))
    text = (seeds_dir / "002_3530e5f38bf51924.txt").read_text(encoding="utf-8")
    friday = next(t for t in find_timexes(text, dt.date(2024, 11, 15)) if t.text == "Friday")
    assert friday.value == "2024-11-15" and "publication" in friday.explanation
