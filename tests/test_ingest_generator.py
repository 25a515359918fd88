"""The benchmark article generator is deterministic, distinct, sized, and ingests cleanly."""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from timeline.ingest import ingest_paths
from timeline.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _load_generator():
    """Load bench/generate.py by path: putting bench/ on sys.path would shadow packages
    such as ``dashboard`` with the bench scripts of the same name."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_gen = _load_generator()
generate_articles, write_jsonl, write_txt_folder = (
    _gen.generate_articles, _gen.write_jsonl, _gen.write_txt_folder
)


def test_generator_is_deterministic_distinct_and_sized():
    a = generate_articles(60, seed=3)
    assert a == generate_articles(60, seed=3)
    assert a[:10] == generate_articles(10, seed=3)  # article i depends only on (seed, i)
    assert a != generate_articles(60, seed=4)
    assert len({x["text"] for x in a}) == 60
    assert all(1500 <= len(x["text"].encode()) <= 4000 for x in a)
    for x in a:
        for t in x["timexes"]:
            assert x["text"][t["start"]:t["end"]].lower() == t["text"].lower()
    kinds = {t["text"].split()[0] for x in a for t in x["timexes"]}
    assert {"yesterday", "last", "from", "for", "in", "on"} <= kinds


def test_generated_articles_ingest_from_txt_and_jsonl(tmp_path, db_path):
    arts = generate_articles(25, seed=0)
    write_txt_folder(arts, tmp_path / "txt")
    write_jsonl(arts, tmp_path / "all.jsonl")
    with Store(db_path) as s:
        first = ingest_paths([tmp_path / "txt"], s)
        again = ingest_paths([tmp_path / "all.jsonl"], s)
        docs = {d.text: d for d in s.iter_documents()}
    assert (first.stored, first.rejected) == (25, 0)
    assert (again.stored, again.duplicates) == (0, 25)  # same texts from another format
    for art in arts:
        d = docs[art["text"]]
        assert (d.title, d.published, d.source, d.author) == (
            art["title"], dt.date.fromisoformat(art["published"]), art["source"], art["author"])
