"""Each bad input is rejected with a specific reason, and never costs anything already stored.

Every case runs the same batch shape against a store that already holds one
document: one good file + the bad one. Afterwards the store must hold exactly
the previous rows plus the good file, and the report must say why the bad one
was rejected.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from timeline.ingest import decode_text, ingest_paths
from timeline.errors import IngestError
from timeline.store import Store

CURLY = "The minister said: \u201cWe will not back down\u201d \u2013 and left. It\u2019s over \u2026 for now."
LATIN = "Caf\u00e9 \u00ab d\u00e9j\u00e0 vu \u00bb, na\u00efve r\u00e9sum\u00e9 in Z\u00fcrich, \u00a9 \u00bd."


def rows(store: Store) -> list[tuple]:
    return [(d.id, d.title, d.text, d.published, d.source, d.origin) for d in store.iter_documents()]


@pytest.fixture
def store(earlier_store):
    return earlier_store  # tests/conftest.py: one document from an earlier run


def run_batch(tmp_path: Path, store: Store, bad: Path, **kw):
    """Ingest good + bad; assert the store grew by exactly the good file; return the bad line."""
    before = rows(store)
    good = tmp_path / "batch" / "good.txt"
    good.parent.mkdir(exist_ok=True)
    good.write_text(f"---\npublished: 2024-11-15\n---\nA good article next to {bad.name}.", encoding="utf-8")
    report = ingest_paths([good, bad], store, **kw)
    after = rows(store)
    new = [r for r in after if r not in before]
    assert all(r in after for r in before)
    assert [(r[2], r[3]) for r in new] == [(f"A good article next to {bad.name}.", dt.date(2024, 11, 15))]
    assert report.stored == 1 and report.rejected >= 1
    bad_lines = [r for r in report.lines if r.status == "rejected"]
    assert len(bad_lines) == 1, str(report)
    assert bad_lines[0].path.startswith(str(bad))
    assert f"rejected   {bad}" in str(report)
    return bad_lines[0]


def put(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / "batch" / name
    p.parent.mkdir(exist_ok=True)
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_file(tmp_path, store, data):
    line = run_batch(tmp_path, store, put(tmp_path, "empty.txt", data))
    assert line.reason == "empty file"


def test_front_matter_without_body(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "fm.md", b"---\ntitle: Only a title\n---\n\n"))
    assert line.reason == "no article text after the front matter"


def test_binary_file(tmp_path, store):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
    line = run_batch(tmp_path, store, put(tmp_path, "image.txt", png))
    assert "binary file" in line.reason and "NUL" in line.reason


def test_undecodable_bytes_without_nul(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "noise.txt", bytes(range(0x80, 0x100)) * 4))
    assert "not UTF-8 and not clean Windows-1252/Latin-1 text" in line.reason


def test_cyrillic_legacy_encoding_is_rejected_not_mojibaked(tmp_path, store):
    text = "\u041f\u0443\u0442\u0438\u043d \u0437\u0430\u044f\u0432\u0438\u043b \u0432 \u043f\u044f\u0442\u043d\u0438\u0446\u0443, \u0447\u0442\u043e \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b \u0432\u043e\u0437\u043c\u043e\u0436\u043d\u044b."
    line = run_batch(tmp_path, store, put(tmp_path, "ru.txt", text.encode("cp1251")))
    assert "re-save text files as UTF-8" in line.reason


@pytest.mark.parametrize("encoding, text", [("cp1252", CURLY), ("latin-1", LATIN), ("cp1252", LATIN)])
def test_legacy_western_encodings_decode_exactly(tmp_path, db_path, encoding, text):
    f = tmp_path / "legacy.txt"
    f.write_bytes(("Legacy Headline\n\n" + text).encode(encoding))
    with Store(db_path) as s:
        assert ingest_paths([f], s).stored == 1
        doc = next(s.iter_documents())
    assert doc.text == text
    assert doc.title == "Legacy Headline"


def test_curly_quotes_exact_characters():
    decoded = decode_text(CURLY.encode("cp1252"), "x.txt")
    assert decoded == CURLY
    assert [c for c in decoded if ord(c) > 127] == ["\u201c", "\u201d", "\u2013", "\u2019", "\u2026"]


@pytest.mark.parametrize("bom_encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(bom_encoding):
    assert decode_text(CURLY.encode(bom_encoding), "x.txt") == CURLY


def test_csv_without_text_column_lists_columns(tmp_path, store):
    bad = put(tmp_path, "no-text.csv", b"headline,date,outlet\nA,2024-11-15,X\n")
    line = run_batch(tmp_path, store, bad)
    assert "no text column; found columns: headline, date, outlet" in line.reason


@pytest.mark.parametrize("payload, kind", [(b"42", "a number"), (b'"just a string"', "a string"), (b"null", "null")])
def test_json_scalar(tmp_path, store, payload, kind):
    line = run_batch(tmp_path, store, put(tmp_path, "scalar.json", payload))
    assert line.reason == f"JSON must be an object or a list of objects, found {kind}"


def test_json_list_of_non_objects(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "list.json", b'[{"text": "ok"}, 3]'))
    assert line.reason == "item 2 of the JSON list is a number, expected an object"


def test_invalid_json(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "broken.json", b'{"text": "unterminated'))
    assert line.reason.startswith("not valid JSON: Unterminated string")


def test_json_object_without_text_lists_fields(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "notext.json", json.dumps({"title": "T", "date": "2024-11-15"}).encode()))
    assert line.reason.startswith("no text field; found fields: title, date")


def test_unparseable_published_in_front_matter(tmp_path, store):
    bad = put(tmp_path, "baddate.txt", b"---\npublished: sometime last week\n---\nBody.")
    line = run_batch(tmp_path, store, bad)
    assert line.path == str(bad)
    assert "unparseable 'published' value 'sometime last week'" in line.reason


def test_unparseable_date_in_csv_names_row_and_column(tmp_path, store):
    bad = put(tmp_path, "rows.csv", b"body,date\nFine text.,2024-11-15\nOther text.,last Tuesday\n")
    line = run_batch(tmp_path, store, bad)
    assert line.path == str(bad)
    assert line.reason.startswith("record #2: unparseable 'date' value 'last Tuesday'")
    assert line.reason.endswith("(nothing from this file was stored)")


def test_month_only_published_is_not_a_day(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "month.json", b'{"text": "T.", "published_at": "November 2024"}'))
    assert "unparseable 'published_at' value 'November 2024'" in line.reason


def test_invalid_front_matter_yaml(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "yaml.md", b"---\ntitle: [unclosed\n---\nBody."))
    assert line.reason.startswith("front matter is not valid YAML")


def test_file_over_size_limit(tmp_path, store):
    bad = put(tmp_path, "big.txt", b"word " * 400)  # 2,000 bytes
    line = run_batch(tmp_path, store, bad, max_bytes=1000)
    assert line.reason.startswith("file is 0.0 MB (2,000 bytes), over the limit of 0.0 MB (1,000 bytes)")


def test_size_limit_from_environment(tmp_path, store, monkeypatch):
    monkeypatch.setenv("TIMELINE_MAX_BYTES", "1500")
    line = run_batch(tmp_path, store, put(tmp_path, "big.md", b"word " * 400))
    assert "(1,500 bytes)" in line.reason


def test_record_text_over_limit_in_jsonl(tmp_path, store):
    big = json.dumps({"text": "x" * 1200}).encode()
    line = run_batch(tmp_path, store, put(tmp_path, "big.jsonl", b'{"text": "small"}\n' + big), max_bytes=1000)
    assert line.reason.startswith("record #2: the 'text' field is") and "(1,200 bytes)" in line.reason


def write_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    path.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


@pytest.mark.parametrize("evil", ["../x.txt", "a/../../x.txt", "/etc/x.txt"])
def test_zip_path_traversal_rejects_whole_archive(tmp_path, store, evil):
    bad = write_zip(tmp_path / "batch" / "evil.zip", [("fine.txt", b"Fine text."), (evil, b"Escaped text.")])
    line = run_batch(tmp_path, store, bad)
    assert line.path == str(bad)
    assert f"unsafe archive entry {evil!r}" in line.reason
    assert not (tmp_path / "x.txt").exists() and not (tmp_path / "batch" / "x.txt").exists()


def test_zip_symlink_entry(tmp_path, store):
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (0o120777 << 16)
    bad = write_zip(tmp_path / "batch" / "link.zip", [(link, b"/etc/passwd")])
    line = run_batch(tmp_path, store, bad)
    assert "is a symbolic link" in line.reason


def test_zip_entry_over_limit_rejects_only_that_entry(tmp_path, db_path):
    z = write_zip(tmp_path / "a.zip", [("ok.txt", b"Small text."), ("big.txt", b"w" * 2000)])
    with Store(db_path) as s:
        report = ingest_paths([z], s, max_bytes=1000)
        assert [(r.path, r.status) for r in report.lines] == [(f"{z}:big.txt", "rejected"), (f"{z}:ok.txt", "stored")]
        assert "(2,000 bytes)" in report.lines[0].reason
        assert s.count() == 1


def test_zip_total_uncompressed_limit(tmp_path, store, monkeypatch):
    monkeypatch.setattr("timeline.ingest.CONTAINER_FACTOR", 2)
    bad = write_zip(tmp_path / "batch" / "bomb.zip", [(f"{i}.txt", b"y" * 900) for i in range(3)])
    line = run_batch(tmp_path, store, bad, max_bytes=1000)
    assert line.reason.startswith("uncompressed archive content is") and "(2,000 bytes)" in line.reason


def test_not_a_zip(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "fake.zip", b"this is not an archive"))
    assert line.reason.startswith("not a readable zip archive")


def test_missing_path(tmp_path, store):
    line = run_batch(tmp_path, store, tmp_path / "batch" / "nope.txt")
    assert line.reason == "no such file or directory"


def test_unsupported_type_named_explicitly(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "doc.pdf", b"%PDF-1.4"))
    assert line.reason.startswith("unsupported file type '.pdf'")


class FailingStore(Store):
    """Writes, then fails before COMMIT (a full disk, a killed process)."""

    @contextmanager
    def transaction(self):
        with super().transaction() as con:
            yield con
            raise RuntimeError("disk full")


def test_failed_write_rolls_back_the_whole_batch(tmp_path, db_path):
    f = tmp_path / "a.txt"
    f.write_text("First text.", encoding="utf-8")
    with Store(db_path) as s:
        ingest_paths([f], s)
        before = rows(s)
    for name in ("b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    with FailingStore(db_path) as s:
        with pytest.raises(RuntimeError, match="disk full"):
            ingest_paths([tmp_path / "b.txt", tmp_path / "c.txt"], s)
    with Store(db_path) as s:
        assert rows(s) == before


def test_ingest_error_message_names_path():
    with pytest.raises(IngestError) as exc:
        decode_text(b"\x00\x01", "some/file.txt")
    assert str(exc.value).startswith("some/file.txt: binary file")
    assert os.fspath("some/file.txt") == exc.value.path


def test_control_characters_mark_a_binary_file(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "ctl.txt", b"\x01\x02\x03\x04 text \x05\x06" * 20))
    assert line.reason == "binary file (more than 1% control characters), not text"


def test_utf16_bom_with_binary_payload(tmp_path, store):
    line = run_batch(tmp_path, store, put(tmp_path, "bom.txt", b"\xff\xfe" + b"\x01\x00\x02\x00" * 10))
    assert line.reason.startswith("binary file (starts like UTF-16 text")
