"""Every input format lands in a real DuckDB store with the right text and metadata."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from timeline.errors import IngestError
from timeline.ingest import (
    doc_id,
    ingest_documents,
    ingest_paths,
    parse_published,
    parse_upload,
    split_title,
)
from timeline.store import Store

BODY = (
    "The two delegations met in Istanbul on Tuesday and agreed to meet again next month. "
    "Officials said the talks had been constructive."
)


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as s:
        yield s


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_doc(store: Store):
    docs = list(store.iter_documents())
    assert len(docs) == 1, docs
    return docs[0]


def test_txt_front_matter_sets_every_field(tmp_path, store):
    f = write(tmp_path / "a.txt", (
        "---\ntitle: Talks resume\npublished: 2022-03-30\nsource: Baltic Ledger\n"
        "url: https://example.org/a\nauthor: Marta Kalnina\nlanguage: en\n---\n" + BODY + "\n"
    ))
    report = ingest_paths([f], store)
    assert report.stored == 1 and report.rejected == 0
    d = only_doc(store)
    assert (d.title, d.published, d.source, d.url, d.author, d.language) == (
        "Talks resume", dt.date(2022, 3, 30), "Baltic Ledger", "https://example.org/a", "Marta Kalnina", "en")
    assert d.text == BODY
    assert d.id == doc_id(BODY) and len(d.id) == 16
    assert d.origin == str(f)


def test_front_matter_keys_match_synonyms_case_insensitively(tmp_path, store):
    f = write(tmp_path / "a.md", "---\nHeadline: Talks resume\nDate: 15 November 2024\nOutlet: Rhine Courier\nByline: J. Weber\n---\n" + BODY)
    ingest_paths([f], store)
    d = only_doc(store)
    assert (d.title, d.published, d.source, d.author) == ("Talks resume", dt.date(2024, 11, 15), "Rhine Courier", "J. Weber")


def test_first_line_title_is_taken_and_removed_from_text(tmp_path, store):
    f = write(tmp_path / "a.txt", "Putin and Scholz Speak Again\n\n" + BODY)
    ingest_paths([f], store)
    d = only_doc(store)
    assert d.title == "Putin and Scholz Speak Again"
    assert d.text == BODY
    assert d.published is None  # unknown, not guessed


def test_first_body_sentence_is_not_a_title(tmp_path, store):
    text = "Russian officials met their Ukrainian counterparts in Istanbul on Tuesday.\n" + BODY
    f = write(tmp_path / "a.txt", text)
    ingest_paths([f], store)
    d = only_doc(store)
    assert d.title is None
    assert d.text == text


@pytest.mark.parametrize(
    "text, title",
    [
        ("# Heading in markdown\nBody line one.", "Heading in markdown"),
        ("Short headline without a blank line after\nBody sentence here.", None),
        ("Scholz Calls Putin After Two Years\nBody sentence here.", "Scholz Calls Putin After Two Years"),
        ("Is peace near?\n\nBody sentence here.", "Is peace near?"),
        ("Is peace near?\nBody sentence here.", None),
        ("A line that ends like a sentence.\n\nBody sentence here.", None),
        ("Only one line", None),
        ("x" * 121 + "\n\nBody.", None),
    ],
)
def test_split_title_heuristic(text, title):
    got, rest = split_title(text)
    assert got == title
    if title is None:
        assert rest == text
    else:
        assert rest == text.split("\n", 1)[1].strip()


HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Scholz phones Putin | Rhine Courier</title>
<meta property="og:title" content="Scholz phones Putin after two years">
<meta property="og:site_name" content="Rhine Courier">
{date_meta}
<meta name="author" content="Greta Lindqvist">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now for one euro</a></nav>
<article><h1>Scholz phones Putin after two years</h1>
{date_para}
<p>The German chancellor spoke to the Russian president by telephone on Friday, the first conversation between the two men since December 2022. The call lasted about an hour, according to officials in Berlin.</p>
<p>Scholz urged Putin to withdraw his troops and to open talks with Ukraine. The Kremlin said Putin repeated the conditions he had set out in June, and officials in Kyiv criticised the call.</p>
</article>
<footer><p>Copyright Rhine Courier Media. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_html_text_extracted_boilerplate_dropped_date_from_meta(tmp_path, store):
    html = HTML.format(date_meta='<meta property="article:published_time" content="2024-11-16T08:30:00+01:00">', date_para="")
    f = write(tmp_path / "page.html", html)
    ingest_paths([f], store)
    d = only_doc(store)
    assert d.text.startswith("The German chancellor spoke to the Russian president by telephone on Friday")
    assert "withdraw his troops" in d.text
    for boilerplate in ("Subscribe now", "Home", "All rights reserved", "Privacy policy"):
        assert boilerplate not in d.text
    assert d.title == "Scholz phones Putin after two years"
    assert d.published == dt.date(2024, 11, 16)
    assert (d.source, d.author) == ("Rhine Courier", "Greta Lindqvist")


def test_html_without_meta_date_gets_htmldate_guess(tmp_path, store):
    html = HTML.format(date_meta="", date_para='<p>Filed on 15 November 2024 from Berlin.</p>')
    f = write(tmp_path / "page.htm", html)
    ingest_paths([f], store)
    assert only_doc(store).published == dt.date(2024, 11, 15)


def test_html_guessed_date_loses_to_cli_default(tmp_path, store):
    html = HTML.format(date_meta="", date_para='<p>Filed on 15 November 2024 from Berlin.</p>')
    f = write(tmp_path / "page.htm", html)
    ingest_paths([f], store, published="2024-11-17")
    assert only_doc(store).published == dt.date(2024, 11, 17)


@pytest.mark.parametrize("opening,published", [
    ("ODESA, Nov 18, 2024 (Wire Service) - ", dt.date(2024, 11, 18)),
    ("LIMA, Peru, 3 March 2023 — ", dt.date(2023, 3, 3)),
    ("By Ana Ruiz\nQUITO, Ecuador, Jan. 5, 2023 (Agency) -- ", dt.date(2023, 1, 5)),
    ("March 27, 2008\n", dt.date(2008, 3, 27)),  # a line of its own
    ("ODESA, Nov 18 (Wire Service) - ", None),  # no year: the dateline does not say which
    ("ODESA (Wire Service) - ", None),
    ("On 3 March 2023 - a Friday - ", None),  # a date in the story, not a dateline
    # a list of dated entries: its first date is an entry's, not the article's
    ("24 February 2022 - Troops cross the border.\n\n- 2 March 2022: The first talks open.\n", None),
])
def test_a_text_without_a_date_takes_its_datelines(tmp_path, store, opening, published):
    f = write(tmp_path / "a.txt", "Port reopens\n\n" + opening + BODY + "\n")
    ingest_paths([f], store)
    assert only_doc(store).published == published


def test_a_dateline_loses_to_a_stated_date(tmp_path, store):
    opening = "ODESA, Nov 18, 2024 (Wire Service) - "
    f = write(tmp_path / "a.txt", "---\npublished: 2024-11-19\n---\n" + opening + BODY + "\n")
    g = write(tmp_path / "b.jsonl", json.dumps({"text": opening + "A second story. " + BODY}) + "\n")
    ingest_paths([f, g], store, published="2024-11-20")
    assert sorted(d.published for d in store.iter_documents()) == [dt.date(2024, 11, 19), dt.date(2024, 11, 20)]


def test_a_record_without_a_date_takes_its_datelines(tmp_path, store):
    f = write(tmp_path / "a.jsonl", json.dumps({"text": "ODESA, Nov 18, 2024 (Wire Service) - " + BODY}) + "\n")
    ingest_paths([f], store)
    assert only_doc(store).published == dt.date(2024, 11, 18)


def test_json_object(tmp_path, store):
    f = write(tmp_path / "a.json", json.dumps({"Body": BODY, "Headline": "H", "pubdate": "Nov 15, 2024", "Publisher": "Eurasia Wire", "link": "u"}))
    ingest_paths([f], store)
    d = only_doc(store)
    assert (d.text, d.title, d.published, d.source, d.url) == (BODY, "H", dt.date(2024, 11, 15), "Eurasia Wire", "u")
    assert d.origin == str(f)


def test_json_list_one_document_per_object(tmp_path, store):
    items = [{"content": f"{BODY} Item {i}.", "publication_date": f"2024-06-1{i}"} for i in range(3)]
    f = write(tmp_path / "a.json", json.dumps(items))
    report = ingest_paths([f], store)
    assert report.stored == 3
    assert [r.path for r in report.lines] == [f"{f}#1", f"{f}#2", f"{f}#3"]
    got = sorted((d.published, d.text[-7:]) for d in store.iter_documents())
    assert got == [(dt.date(2024, 6, 10 + i), f"Item {i}.") for i in range(3)]


def test_jsonl(tmp_path, store):
    lines = [json.dumps({"text": f"{BODY} Line {i}.", "date": "2024-11-15T10:00:00Z", "site": "S"}) for i in range(2)]
    f = write(tmp_path / "a.jsonl", "\n".join(lines) + "\n\n")
    report = ingest_paths([f], store)
    assert report.stored == 2
    assert {d.published for d in store.iter_documents()} == {dt.date(2024, 11, 15)}
    assert {d.source for d in store.iter_documents()} == {"S"}


def test_csv_with_synonym_columns(tmp_path, store):
    f = write(tmp_path / "a.csv", (
        'Headline,Body,Date,Outlet,Byline\n'
        f'"First, with comma","{BODY}",15 November 2024,Harbour Street Journal,D. Okafor\n'
        f'Second,"Line one.\nLine two, quoted ""here"".",2024-06-14,Harbour Street Journal,\n'
    ))
    report = ingest_paths([f], store)
    assert report.stored == 2, str(report)
    docs = {d.title: d for d in store.iter_documents()}
    assert docs["First, with comma"].text == BODY
    assert docs["First, with comma"].published == dt.date(2024, 11, 15)
    assert docs["First, with comma"].author == "D. Okafor"
    assert docs["Second"].text == 'Line one.\nLine two, quoted "here".'
    assert docs["Second"].author is None


def test_semicolon_csv(tmp_path, store):
    f = write(tmp_path / "a.csv", f"title;text;published\nT;{BODY};2024-11-15\n")
    ingest_paths([f], store)
    assert only_doc(store).title == "T"


def test_folder_recursive_sorted_skips_hidden_and_readme(tmp_path, store):
    root = tmp_path / "corpus"
    write(root / "b" / "deep" / "x.md", "Title X\n\nText of x.")
    write(root / "a.txt", "Title A\n\nText of a.")
    write(root / ".hidden.txt", "Title H\n\nText of hidden.")
    write(root / ".git" / "y.txt", "Title Y\n\nText of y.")
    write(root / "README.md", "# About\n\nThis folder holds articles.")
    write(root / "notes.docx", b"PK\x03\x04")
    report = ingest_paths([root], store)
    assert [(r.path, r.status) for r in report.lines] == [
        (str(root / ".git"), "skipped"),  # every entry not read gets a line; hidden folders
        (str(root / ".hidden.txt"), "skipped"),  # are not entered
        (str(root / "README.md"), "skipped"),
        (str(root / "a.txt"), "stored"),
        (str(root / "b" / "deep" / "x.md"), "stored"),
        (str(root / "notes.docx"), "skipped"),
    ]
    assert sorted(d.text for d in store.iter_documents()) == ["Text of a.", "Text of x."]


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def test_zip_archive_of_mixed_formats(tmp_path, store):
    z = make_zip(tmp_path / "batch.zip", {
        "one.txt": b"---\npublished: 2022-09-28\n---\nReferendum text one.",
        "sub/two.jsonl": json.dumps({"text": "Text two.", "date": "2022-12-03"}).encode(),
        "__MACOSX/._one.txt": b"\x00\x05junk",
        "sub/": b"",
    })
    report = ingest_paths([z], store)
    assert report.stored == 2 and report.rejected == 0, str(report)
    assert [r.path for r in report.lines] == [f"{z}:one.txt", f"{z}:sub/two.jsonl#1"]
    assert sorted((d.published, d.text) for d in store.iter_documents()) == [
        (dt.date(2022, 9, 28), "Referendum text one."), (dt.date(2022, 12, 3), "Text two.")]


def test_reingest_is_idempotent(tmp_path, store):
    root = tmp_path / "c"
    for i in range(3):
        write(root / f"{i}.txt", f"Headline {i}\n\nBody text number {i}.")
    first = ingest_paths([root], store)
    assert first.stored == 3
    second = ingest_paths([root], store)
    assert (second.stored, second.duplicates, second.rejected) == (0, 3, 0)
    assert store.count() == 3
    line = second.lines[0]
    assert line.duplicate_of == first.lines[0].doc_id
    assert str(line).endswith(f"duplicate of {line.duplicate_of} ({root / '0.txt'})")


def test_same_text_in_two_files_stored_once(tmp_path, store):
    a = write(tmp_path / "a.txt", "---\nsource: A\n---\n" + BODY)
    b = write(tmp_path / "b.json", json.dumps({"text": "  " + BODY.replace(" ", "\n ", 3) + "\n"}))
    report = ingest_paths([a, b], store)
    assert [r.status for r in report.lines] == ["stored", "duplicate"]
    assert report.lines[1].duplicate_of == report.lines[0].doc_id
    assert str(report.lines[1]) == f"duplicate  {b}: duplicate of {report.lines[0].doc_id} ({a})"
    assert store.count() == 1 and only_doc(store).source == "A"


def test_manifest_fills_gaps_with_precedence(tmp_path, store):
    root = tmp_path / "c"
    write(root / "has-meta.txt", "---\npublished: 2024-01-02\nsource: Own\n---\nText one.")
    write(root / "sub" / "bare.txt", "Bare Headline\n\nText two.")
    write(root / "other.txt", "Text three without title.")
    manifest = write(tmp_path / "manifest.csv", (
        "file,published,source,title\n"
        "has-meta.txt,2024-02-03,Manifest,\n"
        "sub/bare.txt,15 November 2024,Manifest,Manifest Title\n"
        "missing.txt,2024-01-01,,\n"
    ))
    report = ingest_paths([root], store, manifest=manifest, published="2024-03-04", source="CLI")
    docs = {d.text: d for d in store.iter_documents()}
    assert (docs["Text one."].published, docs["Text one."].source) == (dt.date(2024, 1, 2), "Own")
    assert (docs["Text two."].published, docs["Text two."].source, docs["Text two."].title) == (
        dt.date(2024, 11, 15), "Manifest", "Manifest Title")
    assert (docs["Text three without title."].published, docs["Text three without title."].source) == (
        dt.date(2024, 3, 4), "CLI")
    assert report.warnings == ["manifest rows matched no file: missing.txt"]


def test_manifest_inside_ingested_folder_is_not_an_article(tmp_path, store):
    root = tmp_path / "c"
    write(root / "a.txt", "Text one.")
    manifest = write(root / "manifest.csv", "file,published\na.txt,2024-11-15\n")
    report = ingest_paths([root], store, manifest=manifest)
    assert (report.stored, report.rejected) == (1, 0)
    assert only_doc(store).published == dt.date(2024, 11, 15)


def test_progress_called_once_per_input(tmp_path, store):
    root = tmp_path / "c"
    for i in range(7):
        write(root / f"{i}.txt", f"Body {i}.")
    calls = []
    ingest_paths([root], store, progress=lambda done, total, origin: calls.append((done, total)))
    assert calls == [(i, 7) for i in range(1, 8)]


def test_parse_upload_and_ingest_documents(tmp_path, store):
    docs = parse_upload("pasted.txt", ("Pasted Headline\n\n" + BODY).encode(), published="2024-11-15", source="Paste")
    assert len(docs) == 1
    d = docs[0]
    assert (d.title, d.published, d.source, d.origin, d.text) == (
        "Pasted Headline", dt.date(2024, 11, 15), "Paste", "upload:pasted.txt", BODY)
    first = ingest_documents(docs, store)
    again = ingest_documents(parse_upload("copy.md", BODY.encode()), store)
    assert (first.stored, again.duplicates) == (1, 1)
    assert again.lines[0].duplicate_origin == "upload:pasted.txt"
    assert store.count() == 1


def test_parse_upload_zip_and_errors():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "Text a.")
        zf.writestr("b.csv", "body\nText b.\n")
    docs = parse_upload("up.zip", buf.getvalue())
    assert sorted(d.text for d in docs) == ["Text a.", "Text b."]
    with pytest.raises(IngestError, match="empty file"):
        parse_upload("e.txt", b"  \n")
    with pytest.raises(IngestError, match="unsupported file type '.pdf'"):
        parse_upload("x.pdf", b"%PDF-1.4")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-11-15", dt.date(2024, 11, 15)),
        ("15 November 2024", dt.date(2024, 11, 15)),
        ("Nov 15, 2024", dt.date(2024, 11, 15)),
        ("November 15th, 2024", dt.date(2024, 11, 15)),
        ("2024-11-15T23:30:00-05:00", dt.date(2024, 11, 15)),
        ("2024-11-15 10:00:00", dt.date(2024, 11, 15)),
        ("15.11.2024", dt.date(2024, 11, 15)),
        ("le 15 novembre 2024", dt.date(2024, 11, 15)),
        (dt.date(2024, 11, 15), dt.date(2024, 11, 15)),
        ("", None),
        (None, None),
    ],
)
def test_parse_published_accepts(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["November 2024", "2024", "yesterday", "next Friday", "03/04/2024", "2024-13-45", "soon", 2024])
def test_parse_published_never_invents_a_day(value):
    with pytest.raises(ValueError):
        parse_published(value)


@pytest.mark.parametrize(
    "block",
    [
        "title: Talks resume\npublished: 2024-11-15\nsource: Baltic Ledger\n",
        'title: "Scholz: a call (2)"\npublished: 15 November 2024\nurl: https://x.example/a?b=1\n',
        "title: 2024\nauthor: Jonas Weber\n",
        "published: 2024-11-15T10:00:00+01:00\n",
        "title: yes\n",
        "title: 'single quoted'\n",
        "title: Talks # a comment\n",
    ],
)
def test_fast_front_matter_agrees_with_yaml(block):
    """The plain key: value fast path gives the same metadata as full YAML, or defers to it."""
    import yaml

    from timeline.ingest import _meta_from_mapping, _plain_front_matter

    fast = _plain_front_matter(block)
    if fast is not None:
        assert _meta_from_mapping(fast, "x") == _meta_from_mapping(yaml.safe_load(block), "x")


@pytest.mark.parametrize(
    "first, author",
    [("By Daniel Okafor, Harbour Street Journal", "Daniel Okafor"), ("By Ursula von der Leyen", "Ursula von der Leyen"),
     ("By the end of the week, talks had stalled.", None), ("Byline missing here", None)],
)
def test_byline_line_gives_author_guess_and_stays_in_text(tmp_path, store, first, author):
    f = write(tmp_path / "a.txt", f"A Headline Here\n\n{first}\n\n{BODY}")
    ingest_paths([f], store)
    d = only_doc(store)
    assert d.author == author
    assert d.text == f"{first}\n\n{BODY}"


def test_front_matter_author_beats_byline(tmp_path, store):
    f = write(tmp_path / "a.txt", f"---\nauthor: Marta Kalnina\n---\nBy Someone Else\n\n{BODY}")
    ingest_paths([f], store)
    assert only_doc(store).author == "Marta Kalnina"


def test_json_export_wrapper_and_source_object(tmp_path, store):
    export = {"status": "ok", "totalResults": 2, "articles": [
        {"source": {"id": None, "name": "Reuters"}, "title": "T1", "content": "Text one.", "publishedAt": "2024-11-15T12:00:00Z"},
        {"source": {"id": None, "name": "AP"}, "title": "T2", "content": "Text two.", "publishedAt": "2024-11-16T08:00:00Z"},
    ]}
    f = write(tmp_path / "export.json", json.dumps(export))
    assert ingest_paths([f], store).stored == 2
    got = sorted((d.title, d.source, d.published) for d in store.iter_documents())
    assert got == [("T1", "Reuters", dt.date(2024, 11, 15)), ("T2", "AP", dt.date(2024, 11, 16))]


def test_explicit_title_keeps_a_different_first_line(tmp_path, store):
    f = write(tmp_path / "a.txt", "---\ntitle: The Real Title\n---\nMOSCOW, 15 November\n\n" + BODY)
    ingest_paths([f], store)
    d = only_doc(store)
    assert d.title == "The Real Title"
    assert d.text == "MOSCOW, 15 November\n\n" + BODY
