"""The temporal grammar's derived tables cached on disk (timeline/temporal/derived_cache.py):
what a hit gives equals a build, and a changed grammar file or deriving code is a miss."""
from __future__ import annotations

import json
import shutil

import pytest

from timeline.temporal import grammar as grammar_module
from timeline.temporal.grammar import RESOURCES, grammar_from_file, load_grammar

MARK = "(?=qqq)"  # a guard no build gives: seen in a grammar, it was read from the entry


def _tables(g) -> list:
    def pre(p):
        return None if p is None else (p.k, sorted(p.full), sorted(p.heads))

    return [(r.name, r.pattern, r.at.pattern if r.at else None, r.regex.pattern,
             sorted(r.firsts) if r.firsts else r.firsts, pre(r.prefixes), pre(r.long_prefixes)) for r in g.rules] + [
        sorted((c, [r.name for r in rs]) for c, rs in g.by_first.items()), [r.name for r in g.free],
        g.starts.pattern]


@pytest.fixture()
def grammar_file(tmp_path):
    path = tmp_path / "grammar" / "en.yaml"
    path.parent.mkdir()
    shutil.copyfile(RESOURCES / "en.yaml", path)
    return path


def _entry(folder):
    (entry,) = folder.glob("grammar-en-*.json")
    return entry


def _mark(folder) -> None:
    entry = _entry(folder)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["value"]["starts"] = MARK
    entry.write_text(json.dumps(data), encoding="utf-8")


def test_a_miss_and_a_hit_give_the_grammar_built_without_cache(grammar_file, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    cold = grammar_from_file(grammar_file, "en", folder)
    assert len(list(folder.glob("grammar-en-*.json"))) == 1
    warm = grammar_from_file(grammar_file, "en", folder)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "off")
    built = grammar_from_file(grammar_file, "en")
    assert _tables(cold) == _tables(warm) == _tables(built) == _tables(load_grammar("en"))
    assert sum(r.prefixes is not None for r in warm.rules) > 50  # the tables are there, not all None


def test_the_entry_is_read_and_a_changed_grammar_file_is_a_miss(grammar_file, tmp_path):
    folder = tmp_path / "cache"
    grammar_from_file(grammar_file, "en", folder)
    _mark(folder)
    assert grammar_from_file(grammar_file, "en", folder).starts.pattern.endswith(MARK)  # read, not built
    text = grammar_file.read_text(encoding="utf-8")
    grammar_file.write_text(text.replace("name: ", "name: x", 1), encoding="utf-8")  # the first rule renamed
    changed = grammar_from_file(grammar_file, "en", folder)
    assert not changed.starts.pattern.endswith(MARK)
    assert changed.rules[0].name.startswith("x")
    assert len(list(folder.glob("grammar-en-*.json"))) == 2


def test_changed_deriving_code_is_a_miss(grammar_file, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    code = tmp_path / "prefixes.py"
    code.write_text("# one version\n")
    monkeypatch.setattr(grammar_module, "_DERIVING_CODE", (code,))
    grammar_from_file(grammar_file, "en", folder)
    _mark(folder)
    assert grammar_from_file(grammar_file, "en", folder).starts.pattern.endswith(MARK)
    code.write_text("# another version\n")
    assert not grammar_from_file(grammar_file, "en", folder).starts.pattern.endswith(MARK)


def test_a_torn_entry_is_rebuilt_and_an_unwritable_folder_only_costs_the_build(grammar_file, tmp_path):
    folder = tmp_path / "cache"
    expected = _tables(grammar_from_file(grammar_file, "en", folder))
    entry = _entry(folder)
    entry.write_text(entry.read_text(encoding="utf-8")[:1000], encoding="utf-8")  # cut mid-write
    assert _tables(grammar_from_file(grammar_file, "en", folder)) == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["value"]["starts"]  # written whole again
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _tables(grammar_from_file(grammar_file, "en", blocked)) == expected


def test_the_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    from timeline.temporal.derived_cache import cache_dir

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "off")
    assert cache_dir() is None
    monkeypatch.delenv("TIMELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "timeline"
