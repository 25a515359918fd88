"""The CLI (exit codes, set-published), the sample corpus and the shared seed articles."""
from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.__main__ import main
from timeline.ingest import ingest_paths
from timeline.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
N_SAMPLES = 14


def cli(*args: str) -> int:
    return main([str(a) for a in args])


def docs(db: Path) -> dict[str, object]:
    with Store(db) as s:
        return {d.id: d for d in s.iter_documents()}


def test_cli_ingest_exit_0_and_report(tmp_path, db_path, capsys):
    (tmp_path / "a.txt").write_text("Headline A\n\nBody a.", encoding="utf-8")
    assert cli("ingest", tmp_path / "a.txt", "--db", db_path, "--published", "15 November 2024", "--source", "CLI") == 0
    out = capsys.readouterr().out
    assert f"stored     {tmp_path / 'a.txt'} -> " in out
    assert "1 stored, 0 duplicate(s), 0 rejected" in out
    (doc,) = docs(db_path).values()
    assert (doc.title, doc.published, doc.source) == ("Headline A", dt.date(2024, 11, 15), "CLI")


def test_cli_exit_1_when_a_file_is_rejected_but_good_ones_stored(tmp_path, db_path, capsys):
    (tmp_path / "good.txt").write_text("Good body.", encoding="utf-8")
    (tmp_path / "bad.json").write_text("42", encoding="utf-8")
    assert cli("ingest", tmp_path, "--db", db_path) == 1
    out = capsys.readouterr().out
    assert f"rejected   {tmp_path / 'bad.json'}: JSON must be an object or a list of objects, found a number" in out
    assert [d.text for d in docs(db_path).values()] == ["Good body."]


def test_cli_usage_errors_exit_2(tmp_path, db_path, capsys):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    assert cli("ingest", tmp_path / "a.txt", "--db", db_path, "--published", "last week") == 2
    assert "--published: unparseable date 'last week'" in capsys.readouterr().err
    bad_manifest = tmp_path / "m.csv"
    bad_manifest.write_text("name_of_file,published\na.txt,2024-11-15\n", encoding="utf-8")
    assert cli("ingest", tmp_path / "a.txt", "--db", db_path, "--manifest", bad_manifest) == 2
    assert "has no 'file' column; found columns: name_of_file, published" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli("ingest", tmp_path / "a.txt", "--max-bytes", "-5")
    assert exc.value.code == 2
    assert not db_path.exists() or docs(db_path) == {}


def test_cli_max_bytes_flag(tmp_path, db_path, capsys):
    (tmp_path / "a.txt").write_text("word " * 100, encoding="utf-8")
    assert cli("ingest", tmp_path / "a.txt", "--db", db_path, "--max-bytes", "100") == 1
    assert "file is 0.0 MB (500 bytes), over the limit of 0.0 MB (100 bytes)" in capsys.readouterr().out


def test_cli_manifest_with_bad_date_names_row(tmp_path, db_path, capsys):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    m = tmp_path / "m.csv"
    m.write_text("file,published\na.txt,someday\n", encoding="utf-8")
    assert cli("ingest", tmp_path / "a.txt", "--db", db_path, "--manifest", m) == 2
    assert f"manifest {m} line 2: unparseable 'published' value 'someday'" in capsys.readouterr().err


def test_set_published_via_cli(tmp_path, db_path, capsys):
    (tmp_path / "a.txt").write_text("Undated body, relative dates unresolved.", encoding="utf-8")
    assert cli("ingest", tmp_path / "a.txt", "--db", db_path) == 0
    (doc,) = docs(db_path).values()
    assert doc.published is None
    capsys.readouterr()
    assert cli("set-published", doc.id, "2024-11-15", "--db", db_path) == 0
    assert f"{doc.id}: published 2024-11-15 (was unknown)" in capsys.readouterr().out
    assert docs(db_path)[doc.id].published == dt.date(2024, 11, 15)
    assert cli("set-published", doc.id[:6], "Nov 16, 2024", "--db", db_path) == 0  # unique prefix
    assert docs(db_path)[doc.id].published == dt.date(2024, 11, 16)


def test_set_published_errors(tmp_path, db_path, capsys):
    (tmp_path / "a.txt").write_text("Body.", encoding="utf-8")
    cli("ingest", tmp_path / "a.txt", "--db", db_path)
    (doc,) = docs(db_path).values()
    capsys.readouterr()
    assert cli("set-published", "ffffffffffffffff", "2024-11-15", "--db", db_path) == 2
    assert "no document with id 'ffffffffffffffff'" in capsys.readouterr().err
    assert cli("set-published", doc.id, "November 2024", "--db", db_path) == 2
    assert "unparseable date 'November 2024'" in capsys.readouterr().err
    assert docs(db_path)[doc.id].published is None


def test_python_m_timeline_subprocess_progress_on_stderr(tmp_path, db_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(f"Body number {i}.", encoding="utf-8")
    env = {**os.environ, "TIMELINE_DB": str(db_path)}
    r = subprocess.run([sys.executable, "-m", "timeline", "ingest", str(folder)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "6 stored, 0 duplicate(s), 0 rejected" in r.stdout
    assert "ingest:" in r.stderr and "6/6" in r.stderr  # the tqdm bar
    assert len(docs(db_path)) == 6


def test_samples_ingest_cleanly_and_idempotently(db_path):
    with Store(db_path) as s:
        first = ingest_paths([SAMPLES], s)
        assert (first.stored, first.rejected) == (N_SAMPLES, 0), str(first)
        second = ingest_paths([SAMPLES], s)
        assert (second.stored, second.duplicates, second.rejected) == (0, N_SAMPLES, 0)
        assert s.count() == N_SAMPLES
        found = list(s.iter_documents())
    sources = {d.source for d in found}
    assert {"Baltic Ledger", "Eurasia Wire", "Rhine Courier", "Harbour Street Journal"} <= sources
    dated = sorted(d.published for d in found if d.published)
    assert len(dated) == N_SAMPLES - 1  # one article has no publication date
    assert dated[0] == dt.date(2022, 3, 30) and dated[-1] == dt.date(2024, 11, 18)
    assert all(d.title for d in found)
    assert all(120 <= len(d.text.split()) <= 350 for d in found), [(d.origin, len(d.text.split())) for d in found]


def test_samples_do_not_copy_seed_sentences(seeds_dir):
    import re

    seed_sentences = set()
    for f in seeds_dir.glob("*.txt"):
        for sent in re.split(r"(?<=[.!?])\s+", f.read_text(encoding="utf-8")):
            words = sent.split()
            if len(words) >= 8:
                seed_sentences.add(" ".join(words))
    corpus = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in SAMPLES.iterdir() if p.is_file())
    assert not [s for s in seed_sentences if s in corpus]


def test_shared_seeds_with_manifest_from_gold(tmp_path, db_path, seeds_dir, seed_gold):
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "published"])
        for entry in seed_gold["documents"]:
            w.writerow([entry["file"], entry["published"]])
    with Store(db_path) as s:
        report = ingest_paths([seeds_dir], s, manifest=manifest)
        assert (report.stored, report.rejected, report.warnings) == (2, 0, []), str(report)
        by_file = {Path(d.origin).name: d for d in s.iter_documents()}
    for entry in seed_gold["documents"]:
        doc = by_file[entry["file"]]
        assert doc.published == dt.date(2024, 11, 15) == entry["published"]
        assert doc.title == entry["title"]  # the second seed has no headline: None
