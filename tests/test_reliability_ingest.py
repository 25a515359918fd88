"""Issue 12's probes, each a batch of one bad input beside a good one: the bad one is a
one-line rejection (or an honest "skipped" line), the good one lands, nothing stored
before is lost, and nothing wrong is stored silently.

Numbers in the test names refer to the items of issue 12.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timeline.errors import InputRejected, safe_text
from timeline.ingest import decode_text, ingest_paths, load_front_matter, parse_published, parse_upload
from timeline.store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parent.parent
GOOD = "---\npublished: 2024-11-15\nsource: Test Wire\n---\nThe ministers met in Vienna on Friday."


def rows(store: Store) -> list[tuple]:
    return sorted((d.id, d.text, d.published, d.origin) for d in store.iter_documents())


@pytest.fixture
def store(earlier_store):
    return earlier_store  # tests/conftest.py: one document from an earlier run


def batch(tmp_path: Path, store: Store, name: str | bytes, data: bytes, *, also_stored: int = 0):
    """good.txt + the bad file in one folder; returns (report, the bad file's line)."""
    folder = tmp_path / "batch"
    folder.mkdir(exist_ok=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), name) if isinstance(name, bytes) else folder / name
    with open(bad, "wb") as fh:
        fh.write(data)
    before = rows(store)
    report = ingest_paths([folder], store)
    after = rows(store)
    assert set(before) <= set(after)
    new = [r for r in after if r not in before]
    assert "The ministers met in Vienna on Friday." in [r[1] for r in new], str(report)
    assert len(new) == 1 + also_stored, str(report)
    others = [r for r in report.lines if not r.path.endswith("good.txt")]
    assert len(others) == 1, str(report)
    for line in str(report).splitlines():
        assert len(line) < 700 and "\x1b" not in line
    return report, others[0]


# ----------------------------------------------------------------------------- 1
def test_1_json_nested_thousands_deep_is_one_rejection_and_the_batch_lands(tmp_path, store):
    deep = ("[" * 5000 + "]" * 5000).encode()
    _, line = batch(tmp_path, store, "deep.json", deep)
    assert line.status == "rejected" and "nested too deeply" in line.reason


def test_1_json_nested_object_deep_inside_a_record_is_rejected(tmp_path, store):
    value = '{"a":' * 3000 + "1" + "}" * 3000
    _, line = batch(tmp_path, store, "deep2.json", f'{{"text": "Body.", "title": {value}}}'.encode())
    assert line.status == "rejected"


@pytest.mark.parametrize("field", ["text", "title", "source"])
def test_1_lone_surrogate_in_a_json_field_rejects_that_file_only(tmp_path, store, field):
    record = {"text": "A body of text.", "title": "T", "source": "S"}
    raw = json.dumps(record).replace(f'"{record[field]}"', '"bad \\ud800 value"')
    _, line = batch(tmp_path, store, "surrogate.json", raw.encode())
    assert line.status == "rejected"
    assert f"field '{field}' holds a lone surrogate (\\ud800)" in line.reason


def test_1_non_utf8_file_name_is_stored_with_an_escaped_origin(tmp_path, store):
    report, line = batch(tmp_path, store, b"caf\xe9 report.txt", b"Published in a cafe, this text is fine.",
                         also_stored=1)
    assert line.status == "stored", str(report)
    assert line.path.endswith("caf\\xe9 report.txt")
    origins = [d.origin for d in store.iter_documents()]
    assert any(o.endswith("caf\\xe9 report.txt") for o in origins)


def test_1_upload_with_lone_surrogate_is_an_input_rejection():
    with pytest.raises(InputRejected, match="lone surrogate"):
        parse_upload("a.jsonl", b'{"text": "x \\udfff y"}\n')


def cli(*args: str, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "timeline", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def test_1_cli_exit_codes_0_all_stored_1_some_rejected_2_usage_3_internal(tmp_path):
    db = tmp_path / "s.duckdb"
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"[" * 5000)
    ok = cli("ingest", str(good), "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    some = cli("ingest", str(bad), str(good), "--db", str(db))
    assert some.returncode == 1 and "Traceback" not in some.stderr + some.stdout
    assert "rejected   " in some.stdout and "duplicate" in some.stdout
    usage = cli("ingest", str(good), "--db", str(db), "--published", "2024-13-01")
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1, usage.stderr
    assert "not a calendar date" in usage.stderr
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(b"this is not a database" * 100)
    broken = cli("events", "--db", str(corrupt))
    assert broken.returncode == 3, broken.stderr
    assert "Traceback" not in broken.stderr and broken.stderr.count("\n") == 1, broken.stderr


# ----------------------------------------------------------------------------- 2
def test_2_yaml_alias_bomb_in_published_is_rejected_fast_with_a_short_message(tmp_path, store):
    lines = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 7):  # 9**7 strings once expanded (kept small: main expands them)
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    lines += ["published: *g", "---", "Body text of the bomb."]
    started = time.perf_counter()
    _, line = batch(tmp_path, store, "bomb.md", "\n".join(lines).encode())
    assert time.perf_counter() - started < 10
    assert line.status == "rejected" and "aliases" in line.reason and len(line.reason) < 200


def test_2_front_matter_is_strings_as_written_yaml_1_1_booleans_do_not_apply(tmp_path, store):
    meta = load_front_matter("title: yes\nauthor: No\nsource: on\nurl: ~\nlanguage: 'null'\n")
    assert meta == {"title": "yes", "author": "No", "source": "on", "url": None, "language": "null"}
    text = "---\ntitle: yes\nauthor: Off\npublished: 2024-11-15\ntags: [1, 2]\n---\nBody about yes."
    _, line = batch(tmp_path, store, "yes.md", text.encode(), also_stored=1)
    assert line.status == "stored"
    doc = next(d for d in store.iter_documents() if d.text == "Body about yes.")
    assert (doc.title, doc.author) == ("yes", "Off")


# ----------------------------------------------------------------------------- 3
@pytest.mark.parametrize("value", ["9999-12-31", "10000-01-01", "0000-06-01"])
def test_3_dates_outside_years_1_to_9998_are_rejected_at_every_entry_point(tmp_path, store, value):
    _, line = batch(tmp_path, store, "far.md", f"---\npublished: {value}\n---\nFar future.".encode())
    assert line.status == "rejected" and "outside the supported range 1-9998" in line.reason
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"file,published\ngood.txt,{value}\n", encoding="utf-8")
    with pytest.raises(Exception, match="outside the supported range"):
        ingest_paths([tmp_path / "batch"], store, manifest=manifest)
    doc_id = store.iter_documents().__next__().id
    with pytest.raises(InputRejected, match="outside the supported range"):
        store.set_published(doc_id, dt.date(9999, 12, 31))
    res = cli("set-published", doc_id, value, "--db", store.path)
    assert res.returncode == 2 and "outside the supported range" in res.stderr


@pytest.mark.parametrize("published", [dt.date(9999, 12, 31), dt.date(1, 1, 2)])
@pytest.mark.parametrize("text", [
    "Olaf Scholz and Vladimir Putin met in December, officials said.",
    "Olaf Scholz and Vladimir Putin met on Friday, officials said.",
    "Olaf Scholz and Vladimir Putin met, officials said.",
])
def test_3_events_at_the_ends_of_the_calendar_do_not_break_reconcile(published, text):
    from timeline.actors import Gazetteer
    from timeline.model import Document
    from timeline.pipeline import extract_document
    from timeline.reconcile import reconcile

    gaz = Gazetteer.load()
    docs = [Document(id=f"d{i}", text=text, published=published, source=f"S{i}") for i in range(2)]
    mentions = [m for d in docs for m in extract_document(d, gaz).event_mentions]
    assert mentions
    events = reconcile(mentions, {d.id: d for d in docs})
    assert events and all(e.start is None or e.start.year == published.year for e in events)


# ----------------------------------------------------------------------------- 7
def test_7_utf8_with_one_bad_byte_is_rejected_with_its_offset_not_stored_as_mojibake(tmp_path, store):
    data = "Der Außenminister traf sich in Zürich mit Kollegen.".encode() + b"\xff" + " Ende.".encode()
    _, line = batch(tmp_path, store, "broken.txt", data)
    assert line.status == "rejected"
    offset = data.index(b"\xff")
    assert f"not valid UTF-8 at byte {offset}" in line.reason
    assert not any("Ã" in d.text for d in store.iter_documents())


def test_7_clean_windows_1252_prose_is_still_accepted():
    text = "Le ministre a déclaré à Genève que la réunion était terminée, dit-on."
    assert decode_text(text.encode("cp1252"), "x") == text


@pytest.mark.parametrize("seed", range(20))
def test_7_random_bytes_are_never_stored_as_text(seed):
    import random

    rng = random.Random(seed)
    data = bytes(rng.randrange(0x20, 0x100) for _ in range(400))  # no NUL: the hard case
    with pytest.raises(InputRejected):
        decode_text(data, "noise.txt")


@pytest.mark.parametrize("value,why", [
    ("2024-13-01", "not a calendar date (month must be in 1..12)"),
    ("2024-02-30", "not a calendar date (day is out of range for month)"),
    ("2024-W46", "2024-W46 is a week, not a day"),
    ("2024-11", "2024-11 is a month, not a day"),
    ("2024-Q3", "2024-Q3 is a quarter, not a day"),
])
def test_7_impossible_or_coarse_publication_dates_are_refused_never_reinterpreted(tmp_path, store, value, why):
    with pytest.raises(ValueError) as exc:
        parse_published(value)
    assert why in str(exc.value)
    _, line = batch(tmp_path, store, "date.md", f"---\npublished: {value}\n---\nA body.".encode())
    assert line.status == "rejected" and why in line.reason


def test_7_iso_week_date_with_a_day_is_that_day():
    assert parse_published("2024-W46-1") == dt.date(2024, 11, 11)


def test_7_folder_walk_does_not_follow_links_out_of_the_folder(tmp_path, store):
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret text outside the folder.", encoding="utf-8")
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "leak.txt").symlink_to(outside)
    (folder / "dirlink").symlink_to(tmp_path)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "good.txt")
    report = ingest_paths([folder], store)
    lines = {Path(r.path).name: (r.status, r.reason) for r in report.lines}
    assert lines["leak.txt"] == ("skipped", "symbolic link to outside the folder (not followed)")
    assert lines["dirlink"] == ("skipped", "symbolic link to outside the folder (not followed)")
    assert lines["dangling.txt"] == ("skipped", "broken symbolic link")
    assert lines["inside.txt"][0] == "duplicate"
    assert not any("Secret" in d.text for d in store.iter_documents())


def test_7_fifos_get_a_report_line_and_never_block(tmp_path, store):
    folder = tmp_path / "batch"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    report = ingest_paths([folder], store)
    lines = {Path(r.path).name: (r.status, r.reason) for r in report.lines}
    assert lines["pipe.txt"] == ("skipped", "a FIFO (named pipe), not a file; not read")
    direct = ingest_paths([folder / "pipe.txt"], store)  # named on the command line: rejected
    assert direct.lines[0].status == "rejected" and "FIFO" in direct.lines[0].reason


def test_7_file_names_with_newlines_and_ansi_escapes_stay_on_one_line(tmp_path, store):
    report, line = batch(tmp_path, store, "evil\n\x1b[31mname\r.txt", b"\x00\x01binary")
    assert line.status == "rejected"
    printed = [l for l in str(report).splitlines() if "evil" in l]
    assert len(printed) == 1 and "evil\\n\\x1b[31mname\\r.txt" in printed[0]
    assert safe_text("a\u202eb\u2028c") == "a\\u202eb\\u2028c"


@pytest.mark.parametrize("command", [["extract"], ["events"], ["set-published", "abcd", "2024-11-15"],
                                     ["export", "--out", "x.csv"]])
def test_7_a_mistyped_db_is_an_error_not_a_new_empty_store(tmp_path, command):
    db = tmp_path / "typo.duckdb"
    res = cli(*command, "--db", str(db))
    assert res.returncode == 2, res.stderr
    assert "no store at" in res.stderr and res.stderr.count("\n") == 1
    assert not db.exists()


# ----------------------------------------------------------------------------- doc_type
def test_doc_type_is_read_from_front_matter_fields_and_manifest_and_stored(tmp_path, db_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndoc_type: Narrative\n---\nOnce upon a time.", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"text": "News body.", "doc_type": "news"}) + "\n", encoding="utf-8")
    (folder / "c.txt").write_text("Detect this one.", encoding="utf-8")
    (folder / "d.txt").write_text("Manifest says narrative.", encoding="utf-8")
    (folder / "e.md").write_text("---\ndoc_type: poem\n---\nRoses.", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,doc_type\nd.txt,narrative\nc.txt,auto\n", encoding="utf-8")
    with Store(db_path) as s:
        report = ingest_paths([folder], s, manifest=manifest)
        got = {d.text: d.doc_type for d in s.iter_documents()}
        assert s.con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert got == {"Once upon a time.": "narrative", "News body.": "news", "Detect this one.": None,
                   "Manifest says narrative.": "narrative"}
    bad = [r for r in report.lines if r.status == "rejected"]
    assert len(bad) == 1 and "'doc_type' is 'poem': use news or narrative" in bad[0].reason


def test_doc_type_migration_adds_the_column_to_an_old_store(tmp_path):
    import duckdb

    from timeline.store import MIGRATIONS

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for version, _d, statements in MIGRATIONS:
        if version <= 2:
            for sql in statements:
                con.execute(sql)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute("INSERT INTO documents (id, text, n_chars) VALUES ('x', 'old text', 8)")
    con.close()
    with Store(db, read_only=True) as s:  # an old store still reads (no doc_type yet)
        assert [d.doc_type for d in s.iter_documents()] == [None]
    with Store(db) as s:
        assert [d.text for d in s.iter_documents()] == ["old text"]
        assert "doc_type" in s._columns("documents")
