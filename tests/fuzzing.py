"""Generated hostile and careless inputs for ingest + extract, and the checks every batch
must pass. Used by ``tests/test_fuzz.py`` (bounded, CI) and ``bench/fuzz.py`` (``make
fuzz``: 20,000+ inputs).

Every generated input is a file (or a folder entry) with an expectation:

* ``good``  — must be stored (each holds a unique token in its text);
* ``bad``   — must be rejected or skipped, never stored;
* ``any``   — a mutation of a good file: stored or rejected, but one honest line.

``check_batch`` writes a batch into a folder, ingests it into a store that already
holds documents, extracts, and returns the problems found (empty = all good): a
traceback, a good file lost, a bad one stored, the store changed by a reject, a report
line that is not one bounded line, a file over the time budget, a document whose
extraction fails or runs over budget.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import resource
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

WORDS = ("minister", "talks", "ceasefire", "summit", "Berlin", "Kyiv", "Ankara", "parliament",
         "agreement", "delegation", "sanctions", "vote", "Zürich", "Genève", "São", "Łódź",
         "Moskva", "Brüssel", "naïve", "coöperation", "Mr.", "U.S.", "Jan.", "on", "the", "a",
         "in", "said", "met", "called", "rejected", "proposed", "Friday", "last year", "June")
ACTOR_SENTENCES = (
    "Olaf Scholz called Vladimir Putin on {day}.",
    "Emmanuel Macron met Olaf Scholz in Berlin in {month}.",
    "The foreign ministers agreed on a ceasefire on {iso}.",
    "Recep Tayyip Erdogan proposed new talks for next {month}.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PER_FILE_SECONDS = 10.0  # a file's ingest, or a document's extraction, must finish within this
MAX_LINE = 700


@dataclass
class Input:
    name: str | bytes  # relative path inside the batch folder (bytes: not UTF-8)
    data: bytes | None  # None: a special entry made by ``special``
    expect: str  # good | bad | any
    family: str
    token: str | None = None  # unique text a good file's document holds
    special: str | None = None  # fifo | symlink_out | dangling | dirlink


@dataclass
class BatchResult:
    inputs: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)
    ingest_seconds: float = 0.0
    extract_seconds: float = 0.0
    slowest_file: float = 0.0
    slowest_origin: str = ""
    slowest_doc: float = 0.0
    families: dict[str, int] = field(default_factory=dict)


# ----------------------------------------------------------------------------- generators
class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = 0

    def token(self) -> str:
        self.n += 1
        return f"Token{self.seed}x{self.n}q"

    def date(self) -> dt.date:
        r = self.rng.random()
        year = self.rng.randint(1, 9998) if r < 0.1 else self.rng.randint(1990, 2030)
        return dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def date_text(self, d: dt.date) -> str:
        return self.rng.choice([d.isoformat(), f"{d.day} {MONTHS[d.month - 1]} {d.year:04d}",
                                f"{MONTHS[d.month - 1]} {d.day}, {d.year:04d}", f"{d.isoformat()}T10:00:00+02:00"])

    def sentence(self) -> str:
        if self.rng.random() < 0.5:
            d = self.date()
            return self.rng.choice(ACTOR_SENTENCES).format(day=self.rng.choice(["Friday", "Monday"]),
                                                           month=self.rng.choice(MONTHS), iso=d.isoformat())
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(4, 16))]
        return " ".join(words).capitalize() + "."

    def body(self, token: str) -> str:
        paras = [" ".join(self.sentence() for _ in range(self.rng.randint(1, 4))) for _ in range(self.rng.randint(1, 3))]
        paras[self.rng.randrange(len(paras))] += f" The code word is {token}."
        return "\n\n".join(paras)

    def title(self) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(2, 7))).title()

    def weird_name(self, ext: str) -> str | bytes:
        base = self.rng.choice(["evil\nname", "ansi\x1b[31mred\x1b[0m", "tab\there", "bidi\u202etxt.exe",
                                "space name", "ünïcödé", "line\u2028sep", b"latin\xe9name", b"bad\xff\xfe"])
        tag = f"-{self.n}{ext}"
        return base + (tag.encode() if isinstance(base, bytes) else tag)

    # -- good -------------------------------------------------------------------
    def good(self) -> Input:
        kind = self.rng.choice(["txt", "md", "json", "jsonl", "csv", "cp1252", "utf16", "weird_name", "bom"])
        tok = self.token()
        body, title, d = self.body(tok), self.title(), self.date()
        name = f"g{self.n}"
        if kind in ("txt", "weird_name", "bom"):
            fm = f"---\ntitle: {title}\npublished: {self.date_text(d)}\nsource: Wire {self.n}\n---\n"
            data = (fm + body).encode()
            if kind == "bom":
                data = b"\xef\xbb\xbf" + data
            name = self.weird_name(".txt") if kind == "weird_name" else name + ".txt"
        elif kind == "md":
            data = f"# {title}\n\n{body}".encode()
            name += ".md"
        elif kind == "json":
            data = json.dumps({"headline": title, "body": body, "date": d.isoformat(),
                               "doc_type": self.rng.choice(["news", "narrative", None])}).encode()
            name += ".json"
        elif kind == "jsonl":
            data = (json.dumps({"text": body, "title": title}, ensure_ascii=self.rng.random() < 0.5) + "\n").encode()
            name += ".jsonl"
        elif kind == "csv":
            out = io.StringIO()
            import csv

            w = csv.writer(out)
            w.writerow(["title", "text", "published"])
            w.writerow([title, body, d.isoformat()])
            data = out.getvalue().encode()
            name += ".csv"
        elif kind == "cp1252":
            latin = f"Le ministre a déclaré à Genève que la réunion était terminée. Code {tok}."
            data = latin.encode("cp1252")
            name += ".txt"
        else:  # utf16 with BOM
            data = f"{title}\n\n{body}".encode("utf-16")  # with its byte-order mark
            name += ".txt"
        return Input(name, data, "good", f"good_{kind}", token=tok)

    # -- bad --------------------------------------------------------------------
    def bad(self) -> Input:
        r = self.rng
        kind = r.choice(["deep_json", "deep_object", "surrogate", "alias_bomb", "yaml_tag", "deep_yaml",
                         "bad_date", "broken_utf8", "random_bytes", "nul_bytes", "empty", "csv_no_text",
                         "csv_ragged", "json_scalar", "json_truncated", "bad_doc_type", "zip_escape",
                         "zip_symlink", "zip_corrupt", "over_limit", "unsupported", "html_empty"])
        tok = self.token()
        name = f"b{self.n}"
        body = self.body(tok)
        if kind == "deep_json":
            depth = r.choice([1000, 5000, 50000])
            data = ("[" * depth + "]" * depth).encode()
            name += ".json"
        elif kind == "deep_object":
            depth = r.choice([1000, 3000, 20000])
            data = ('{"text": "' + body + '", "title": ' + '{"a":' * depth + "1" + "}" * depth + "}").encode()
            name += ".json"
        elif kind == "surrogate":
            field_name = r.choice(["text", "title", "source", "author"])
            rec = {"text": body, "title": "t", "source": "s", "author": "a"}
            rec[field_name] = rec[field_name] + "\\u" + r.choice(["d800", "dbff", "dc00", "dfff"])
            data = ("{" + ", ".join(f'"{k}": "{v}"' for k, v in rec.items()) + "}").encode()
            name += r.choice([".json", ".jsonl"])
        elif kind == "alias_bomb":
            lines = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
            for i in range(1, 7):
                p, c = chr(96 + i), chr(97 + i)
                lines.append(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]")
            lines.append(f"{r.choice(['published', 'title', 'source'])}: *g")
            data = ("\n".join(lines) + "\n---\n" + body).encode()
            name += ".md"
        elif kind == "yaml_tag":
            data = ("---\ntitle: !!python/object/apply:os.system ['echo hi']\npublished: 2024-01-01\n"
                    "source: !!binary aGVsbG8=\n---\n" + body).encode()
            # failsafe schema: tags are ignored and values are strings; stored is acceptable, so
            # this one is "any"; keep it in the bad family list for coverage of the parser
            return Input(name + ".md", data, "any", "any_yaml_tag")
        elif kind == "deep_yaml":
            depth = r.choice([500, 5000])
            data = ("---\ntitle: " + "[" * depth + "]" * depth + "\n---\n" + body).encode()
            name += ".md"
        elif kind == "bad_date":
            value = r.choice(["2024-13-01", "2024-02-30", "9999-12-31", "0000-01-01", "10000-01-01",
                              "2024-W46", "2024-11", "2024", "2024-Q3", "yesterday", "not a date",
                              "03/04/2024", "[2024, 1, 1]", "{a: 1}", "x" * 5000])
            data = f"---\npublished: {value}\n---\n{body}".encode()
            name += ".md"
        elif kind == "broken_utf8":
            raw = body.encode() + " Zürich São Łódź.".encode()
            pos = r.randrange(len(raw))
            data = raw[:pos] + bytes([r.choice([0xff, 0xfe, 0xc0, 0x80, 0xed])]) + raw[pos:]
            name += ".txt"
        elif kind == "random_bytes":
            data = bytes(r.randrange(0x20, 0x100) for _ in range(r.randint(50, 3000)))
            name += r.choice([".txt", ".md", ".json", ".csv"])
        elif kind == "nul_bytes":
            data = body.encode() + b"\x00" + os.urandom(32)
            name += ".txt"
        elif kind == "empty":
            data = r.choice([b"", b"   \n\t ", b"---\ntitle: x\n---\n", b"\xef\xbb\xbf"])
            name += r.choice([".txt", ".md", ".json", ".csv", ".jsonl"])
        elif kind == "csv_no_text":
            data = b"foo,bar\n1,2\n"
            name += ".csv"
        elif kind == "csv_ragged":
            data = f"title,text\nT,{body.splitlines()[0]},extra,fields\n".encode()
            name += ".csv"
        elif kind == "json_scalar":
            data = r.choice([b"42", b'"text"', b"[]", b"[1, 2]", b"null", b"{}"])
            name += ".json"
        elif kind == "json_truncated":
            full = json.dumps({"text": body}).encode()
            data = full[: r.randint(1, len(full) - 1)]
            name += ".json"
        elif kind == "bad_doc_type":
            data = f"---\ndoc_type: {r.choice(['poem', 'blog', 'NEWSX', '1'])}\n---\n{body}".encode()
            name += ".md"
        elif kind in ("zip_escape", "zip_symlink", "zip_corrupt"):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                if kind == "zip_escape":
                    zf.writestr(r.choice(["../escape.txt", "/abs.txt", "a/../../x.txt"]), body)
                else:
                    info = zipfile.ZipInfo("link.txt")
                    info.external_attr = 0o120777 << 16
                    zf.writestr(info, "/etc/hostname")
                zf.writestr("fine.txt", body)
            data = buf.getvalue()
            if kind == "zip_corrupt":
                data = data[: len(data) // 2]
            name += ".zip"
        elif kind == "over_limit":
            data = ("x " * (FUZZ_MAX_BYTES // 2 + 10)).encode() + tok.encode()
            name += ".txt"
        elif kind == "unsupported":
            data = body.encode()
            name += r.choice([".docx", ".pdf", ".exe", ""])
            return Input(name, data, "bad", f"bad_{kind}", token=tok)
        else:  # html with no article text
            data = b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>"
            name += ".html"
        return Input(name, data, "bad", f"bad_{kind}", token=tok)

    # -- mutations of good files ------------------------------------------------
    def mutant(self) -> Input:
        base = self.good()
        data = bytearray(base.data or b"")
        for _ in range(self.rng.randint(1, 6)):
            op = self.rng.random()
            pos = self.rng.randrange(len(data) + 1)
            if op < 0.35 and data:
                data[min(pos, len(data) - 1)] = self.rng.randrange(256)
            elif op < 0.6:
                data[pos:pos] = bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 8)))
            elif op < 0.8:
                del data[pos:pos + self.rng.randint(1, 20)]
            else:
                data[pos:pos] = self.rng.choice([b"---\n", b"\n---\n", b": &a [*a]", b"\\ud800", b"{[", b'"',
                                                 b"\r", b"\x1b[2J", b"\xef\xbb\xbf", b"published: 9999-12-31\n"])
        return Input(base.name, bytes(data), "any", "any_" + base.family, token=None)

    def special(self) -> Input:
        kind = self.rng.choice(["fifo", "symlink_out", "dangling", "dirlink"])
        ext = "" if kind == "dirlink" else ".txt"
        return Input(f"s{self.token()}{ext}", None, "bad", f"special_{kind}", special=kind)

    def batch(self, n: int) -> list[Input]:
        out = []
        for _ in range(n):
            r = self.rng.random()
            out.append(self.good() if r < 0.4 else self.bad() if r < 0.75 else self.mutant() if r < 0.95
                       else self.special())
        return out


FUZZ_MAX_BYTES = 20_000  # a small per-article limit keeps over-limit inputs cheap


# ----------------------------------------------------------------------------- checks
def _write(folder: Path, inputs: list[Input], outside: Path) -> list[Path | bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path | bytes] = []
    for inp in inputs:
        target = os.path.join(os.fsencode(folder), inp.name if isinstance(inp.name, bytes) else os.fsencode(inp.name))
        if inp.special == "fifo":
            os.mkfifo(target)
        elif inp.special == "symlink_out":
            os.symlink(outside / "secret.txt", target)
        elif inp.special == "dangling":
            os.symlink(outside / "missing.txt", target)
        elif inp.special == "dirlink":
            os.symlink(outside, target)
        else:
            with open(target, "wb") as fh:
                fh.write(inp.data or b"")
        paths.append(target)
    return paths


def _lines_for(report, shown: str) -> list:
    return [line for line in report.lines if line.path == shown or line.path.startswith((shown + "#", shown + ":"))]


def check_batch(inputs: list[Input], workdir: Path, *, extract: bool = True) -> BatchResult:
    """Ingest ``inputs`` (one folder) into a store that already holds a document, then extract."""
    from timeline.actors import Gazetteer
    from timeline.budget import OverBudget, call_with_budget
    from timeline.ingest import ingest_paths, shown_path
    from timeline.pipeline import extract_document, extract_store
    from timeline.store import Store

    res = BatchResult(inputs=len(inputs))
    for inp in inputs:
        res.families[inp.family] = res.families.get(inp.family, 0) + 1
    outside = workdir / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text("Secret text outside the folder, never to be stored.", encoding="utf-8")
    folder = workdir / "batch"
    paths = _write(folder, inputs, outside)
    db = workdir / "fuzz.duckdb"
    with Store(db) as store:
        (workdir / "seed.txt").write_text("---\npublished: 2020-01-01\n---\nA document stored before the batch.",
                                          encoding="utf-8")
        ingest_paths([workdir / "seed.txt"], store)
        before = {(d.id, d.text) for d in store.iter_documents()}
        last = [time.perf_counter()]
        per_file: list[float] = []

        def progress(done: int, total: int, origin: str) -> None:
            now = time.perf_counter()
            if now - last[0] > res.slowest_file:
                res.slowest_file, res.slowest_origin = now - last[0], origin
            per_file.append(now - last[0])
            last[0] = now

        started = time.perf_counter()
        try:
            report = ingest_paths([folder], store, max_bytes=FUZZ_MAX_BYTES, progress=progress)
        except BaseException as exc:  # noqa: BLE001 - a traceback is what the fuzz looks for
            res.problems.append("ingest raised: " + "".join(traceback.format_exception_only(exc)).strip()[:300])
            return res
        res.ingest_seconds = time.perf_counter() - started
        if res.slowest_file > PER_FILE_SECONDS:
            res.problems.append(f"a file took {res.slowest_file:.1f} s to ingest")
        after = {(d.id, d.text) for d in store.iter_documents()}
        stored_ids = {line.doc_id for line in report.lines if line.status == "stored"}
        if not before <= after:
            res.problems.append("documents stored before the batch were lost")
        if {i for i, _ in after - before} != stored_ids:
            res.problems.append("the store changed by more than the stored lines")
        texts = [t for _, t in after]
        for line in str(report).splitlines():
            if len(line) > MAX_LINE or any(c in line for c in "\x1b\r\x00\u2028\u202e"):
                res.problems.append(f"report line not one bounded line: {line[:120]!r}")
        for inp, p in zip(inputs, paths):
            shown = shown_path(os.fsdecode(p))
            lines = _lines_for(report, shown)
            statuses = {line.status for line in lines}
            if not lines:
                res.problems.append(f"{inp.family}: no report line for {shown[-80:]!r}")
            elif inp.expect == "good" and statuses - {"stored"}:
                res.problems.append(f"{inp.family}: good file not stored: {[str(x) for x in lines][:2]}")
            elif inp.expect == "good" and not any(inp.token in t for t in texts):
                res.problems.append(f"{inp.family}: good file's text missing from the store")
            elif inp.expect == "bad" and statuses & {"stored", "duplicate"}:
                res.problems.append(f"{inp.family}: bad file stored: {[str(x) for x in lines][:2]}")
        if any("Secret text outside" in t for t in texts):
            res.problems.append("a file outside the folder was stored")
        res.documents = len(after)
        if not extract:
            return res
        gaz = Gazetteer.load()
        started = time.perf_counter()
        for doc in store.iter_documents():
            t0 = time.perf_counter()
            try:
                call_with_budget(extract_document, PER_FILE_SECONDS, doc, gaz, what=doc.id)
            except OverBudget as exc:
                res.problems.append(str(exc))
            except BaseException as exc:  # noqa: BLE001
                res.problems.append(f"extract_document raised on {doc.id}: {type(exc).__name__}: {exc}"[:300])
            res.slowest_doc = max(res.slowest_doc, time.perf_counter() - t0)
        try:
            extract_store(store, gazetteer=gaz)
        except BaseException as exc:  # noqa: BLE001
            res.problems.append(f"extract_store raised: {type(exc).__name__}: {exc}"[:300])
        res.extract_seconds = time.perf_counter() - started
    return res


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
