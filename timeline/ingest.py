"""Files and uploads in, ``Document`` records out, stored once each.

Why it is built this way:

* Every input is parsed completely before anything is written; the good
  documents of a batch then go into the store in ONE transaction. A bad file
  becomes a "rejected" line in the report and never aborts the others, so after
  any failure the store holds what it held before plus the good files.
* A document's id is a hash of its normalised text, so the same article read
  twice (same batch, a later run, or two different files) is stored once and
  the report says which copy it duplicates.
* Metadata precedence, field by field: what the file itself states (front
  matter, JSON/CSV fields, HTML markup) > the manifest row for that file > the
  CLI/upload defaults (``--published``, ``--source``) > guesses (a short first
  line taken as the title, a date htmldate finds in the page body).
* Text is decoded as UTF-8 (BOM or not, or UTF-16 with a BOM); a Windows-1252 /
  Latin-1 file is accepted only when it decodes cleanly into plausible Latin
  text. Anything else is rejected with a message rather than stored as mojibake.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from timeline.dates import check_date, iso_shape_error, not_a_day
from timeline.errors import IngestError, UserError, safe_text, short_repr
from timeline.model import DOC_TYPES, Document

DEFAULT_MAX_BYTES = 5_000_000
#: Container files (csv/json/jsonl/zip) may hold many articles: their whole
#: size (uncompressed, for zip) is capped at this multiple of the per-article limit.
CONTAINER_FACTOR = 100

TEXT_EXTS = {".txt", ".md", ".markdown"}
HTML_EXTS = {".html", ".htm"}
RECORD_EXTS = {".json", ".jsonl", ".ndjson", ".csv"}
TIMEML_EXTS = {".tml", ".timeml", ".xml"}
ZIP_EXTS = {".zip"}
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | RECORD_EXTS | TIMEML_EXTS | ZIP_EXTS
#: Documentation that lives beside articles in a folder, not an article itself.
_DOC_FILE = re.compile(r"^(readme|license|licence|changelog|notice)(\.[a-z]+)?$", re.I)

#: Field name -> accepted column/key names (matched case-insensitively), in priority order.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publishedat", "pubdate", "pub_date",
                  "publication_date", "date_published"),
    "source": ("source", "outlet", "publisher", "site"),
    "url": ("url", "link"),
    "author": ("author", "byline"),
    "language": ("language", "lang"),
    "doc_type": ("doc_type", "doctype", "document_type"),
    "ext_id": ("ext_id", "external_id", "id", "doc_id", "docid", "article_id"),
}
META_FIELDS = ("title", "published", "source", "url", "author", "language", "doc_type", "ext_id")
MANIFEST_FILE_KEYS = ("file", "filename", "path", "name")

Progress = Callable[[int, int, str], None]


# ----------------------------------------------------------------------------- report
@dataclass(frozen=True)
class FileResult:
    """One line of the run report: a file (or one record of a csv/jsonl/zip)."""

    path: str
    status: str  # stored | duplicate | rejected | skipped
    doc_id: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None
    duplicate_origin: str | None = None
    title: str | None = None

    def __str__(self) -> str:
        path = safe_text(self.path, 500)
        if self.status == "stored":
            return f"stored     {path} -> {self.doc_id}"
        if self.status == "duplicate":
            return f"duplicate  {path}: duplicate of {self.duplicate_of} ({safe_text(self.duplicate_origin, 500)})"
        return f"{self.status:<10} {path}: {safe_text(self.reason)}"


@dataclass
class IngestReport:
    """What happened to every input; ``str(report)`` is what the CLI prints."""

    lines: list[FileResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.lines if r.status == status)

    @property
    def stored(self) -> int:
        return self._count("stored")

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def rejected(self) -> int:
        return self._count("rejected")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def stored_ids(self) -> list[str]:
        return [r.doc_id for r in self.lines if r.status == "stored" and r.doc_id]

    def summary(self) -> str:
        parts = [f"{self.stored} stored", f"{self.duplicates} duplicate(s)", f"{self.rejected} rejected"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return ", ".join(parts)

    def __str__(self) -> str:
        out = [str(r) for r in self.lines]
        out += [f"warning: {safe_text(w, 2000)}" for w in self.warnings]
        out.append(self.summary())
        return "\n".join(out)


# ----------------------------------------------------------------------------- ids and text
def normalise_text(text: str) -> str:
    """NFC, whitespace collapsed to single spaces, stripped: what the id hashes."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def doc_id(text: str) -> str:
    """Stable document id: first 16 hex chars of sha256(normalised text)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def _clean_text(text: str) -> str:
    """The stored form: NFC, Unix newlines, no BOM, outer whitespace stripped."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.lstrip("\ufeff").strip()


# ----------------------------------------------------------------------------- limits
def upload_limit_mb(max_bytes: int) -> int:
    """The largest file ingest can accept (a zip/csv/json of many articles:
    ``max_bytes * CONTAINER_FACTOR``) in whole MiB, the unit of Streamlit's upload limit."""
    return max(1, max_bytes * CONTAINER_FACTOR // (1024 * 1024))


def default_max_bytes() -> int:
    """``TIMELINE_MAX_BYTES`` if set, else 5 MB."""
    raw = os.environ.get("TIMELINE_MAX_BYTES")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        raise UserError(f"TIMELINE_MAX_BYTES must be a whole number of bytes, got {raw!r}") from None
    if value <= 0:
        raise UserError(f"TIMELINE_MAX_BYTES must be positive, got {value}")
    return value


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB ({n:,} bytes)"


def _too_big(n: int, limit: int, what: str = "file") -> str:
    return (
        f"{what} is {_size(n)}, over the limit of {_size(limit)}; "
        "raise it with --max-bytes or TIMELINE_MAX_BYTES"
    )


# ----------------------------------------------------------------------------- decoding
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_C0 = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
_LATIN_FAMILY = {"cp1252", "cp1250", "cp1254", "cp1257", "latin_1", "iso8859_15", "iso8859_2",
                 "iso8859_9", "mac_roman", "mac_latin2", "ascii"}


def decode_text(data: bytes, where: str) -> str:
    """Bytes -> str without ever producing mojibake (reject instead).

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are exact. Otherwise the
    only fallback is Windows-1252 (a superset of printable Latin-1): accepted when
    it decodes cleanly, has no control characters, and reads as Latin text
    (charset-normalizer agrees, or accented letters are a small minority). Text in
    other legacy encodings (cp1251, KOI8-R, Shift-JIS, ...) is rejected: such
    guesses on short texts are unreliable and a wrong one corrupts every word.
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
                if _CONTROL.search(text):
                    raise IngestError(where, f"binary file (starts like {codec.upper()} text but holds control characters)")
                return text
            except UnicodeDecodeError as exc:
                raise IngestError(where, f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()}: {exc.reason} at byte {exc.start}") from None
    if b"\x00" in data:
        raise IngestError(where, "binary file (contains NUL bytes), not text; UTF-16 text needs a byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc
    else:
        if _CONTROL_C0.search(text) and len(_CONTROL_C0.findall(text)) > len(text) / 100:
            raise IngestError(where, "binary file (more than 1% control characters), not text")
        return text
    at = f"byte {bad.start:,} (0x{data[bad.start]:02x}, {bad.reason})"
    if _UTF8_MULTIBYTE.search(data):
        # Valid UTF-8 sequences elsewhere: this is UTF-8 with damage, and reading it as
        # Windows-1252 would turn every accented letter into mojibake ("Ã©").
        damaged = data[: 1 << 20].decode("utf-8", "replace").count("\ufffd")
        if damaged <= max(3, min(len(data), 1 << 20) // 1000):
            raise IngestError(where, f"not valid UTF-8 at {at}, though the rest reads as UTF-8; "
                                     "repair or re-save the file as UTF-8")
        raise IngestError(where, f"not UTF-8 (first bad {at}) and not plausible text in another "
                                 "encoding; binary files are not accepted")
    guess = _charset_guess(data)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROL.search(text) and _plausible_latin(text) and (
        guess in _LATIN_FAMILY or _mostly_ascii_letters(text)
    ):
        return text
    hint = f" (it looks like {guess})" if guess and guess not in _LATIN_FAMILY else ""
    raise IngestError(
        where,
        f"not UTF-8 and not clean Windows-1252/Latin-1 text{hint}: first bad {at}; "
        "binary files are not accepted; re-save text files as UTF-8",
    )


#: A well-formed UTF-8 multi-byte sequence (two to four bytes).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_PROSE_CHARS = re.compile(r"[\w\s.,;:!?'\"()\[\]/&%$€£@#*+=\-–—…«»“”‘’„‚°§]")


def _plausible_latin(text: str) -> bool:
    """Prose, not random bytes: almost only letters, digits, spaces and punctuation,
    and words separated by spaces."""
    n = len(text)
    if n == 0:
        return False
    prose = len(_PROSE_CHARS.findall(text))
    spaces = sum(1 for c in text if c.isspace())
    return prose >= 0.97 * n and (n < 40 or spaces >= n / 40)


def _charset_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return best.encoding if best is not None else None


def _mostly_ascii_letters(text: str) -> bool:
    """Latin prose has few accented letters; Cyrillic read as cp1252 has almost only those."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii / len(letters) <= 0.2


# ----------------------------------------------------------------------------- dates
_NUMERIC_AMBIGUOUS = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\s*$")
_STRPTIME_FORMATS = (
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
    "%d %B, %Y", "%A, %d %B %Y", "%A, %B %d, %Y", "%A %d %B %Y", "%Y/%m/%d", "%Y.%m.%d",
)
_DATEPARSER_SETTINGS = {
    # Never invent a day: a value without day, month and year is not a publication date.
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    # Only absolute dates: "yesterday" would be read against today's clock.
    "PARSERS": ["custom-formats", "absolute-time"],
}
#: Languages dateparser may read a date field in. A fixed list: auto-detection
#: over all ~200 locales costs seconds on the first bad value.
DATE_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr"]


def parse_published(value: Any) -> dt.date | None:
    """A publication date from a field value; ``None`` for empty. Raises ValueError.

    ISO first (``2024-11-15``, ISO datetimes with offsets: the date as written),
    then a few explicit English formats, then dateparser restricted to absolute
    dates with day, month and year present. All-numeric dates whose day and month
    could be swapped (``03/04/2024``) are refused as ambiguous, ISO-shaped values
    that are no calendar day (``2024-13-01``) as such, and a week, month or year
    (``2024-W46``) because a publication date is a day (``timeline.dates``).
    """
    if value is None:
        return None
    if isinstance(value, dt.date):
        return check_date(value)
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError("not a date")
    text = value.strip()
    if not text or text.lower() in {"null", "none", "unknown", "n/a", "na", "-", "~"}:
        return None
    if len(text) > 80:
        raise ValueError("too long to be a date")
    period = not_a_day(text)  # first: Python reads "2024-W46" as that week's Monday
    if period:
        raise ValueError(f"{text} is {period}, not a day; a publication date needs its day")
    iso = _iso_date(text)
    if iso is not None:
        return check_date(iso)
    why = iso_shape_error(text)
    if why:
        raise ValueError(why)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _STRPTIME_FORMATS:
        try:
            return check_date(dt.datetime.strptime(cleaned, fmt).date())
        except ValueError:
            continue
    m = _NUMERIC_AMBIGUOUS.match(text)
    if m and int(m[1]) <= 12 and int(m[2]) <= 12 and m[1] != m[2]:
        raise ValueError("ambiguous day/month order")
    import dateparser

    parsed = dateparser.parse(text, languages=DATE_LANGUAGES, settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        raise ValueError("not a date")
    return check_date(parsed.date())


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace(" UTC", "+00:00")).date()
    except ValueError:
        return None


def _date_field(value: Any, where: str, field_name: str) -> dt.date | None:
    try:
        return parse_published(value)
    except ValueError as exc:
        raise IngestError(
            where,
            f"unparseable {safe_text(field_name, 60)!r} value {short_repr(value)} ({exc}); "
            "use a full date such as 2024-11-15",
        ) from None


# ----------------------------------------------------------------------------- records
@dataclass(frozen=True)
class _Record:
    """One parsed article before defaults are applied."""

    origin: str
    text: str
    meta: dict[str, Any]  # explicit metadata found in the file
    guess: dict[str, Any]  # heuristic metadata (first-line title, htmldate body date)


def _lowered(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): k for k in mapping}


def _pick(mapping: Mapping[str, Any], field_name: str, lowered: dict[str, Any] | None = None) -> tuple[str | None, Any]:
    """(key used, value) for a field, matching synonyms case-insensitively."""
    lowered = _lowered(mapping) if lowered is None else lowered
    for name in FIELD_SYNONYMS[field_name]:
        if name in lowered:
            key = lowered[name]
            return str(key), mapping[key]
    return None, None


def _meta_from_mapping(mapping: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Explicit metadata fields from a dict (front matter, JSON object, CSV row)."""
    meta: dict[str, Any] = {}
    lowered = _lowered(mapping)
    for name in META_FIELDS:
        key, value = _pick(mapping, name, lowered)
        if key is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name == "published":
            meta[name] = _date_field(value, where, key)
        elif isinstance(value, dict) and isinstance(value.get("name"), str):
            meta[name] = _unicode(value["name"].strip(), where, key)  # "source": {"id": ..., "name": "Reuters"}
        elif isinstance(value, (dict, list)):
            raise IngestError(where, f"field {safe_text(key, 60)!r} must be text, found {type(value).__name__}")
        else:
            meta[name] = _unicode(str(value).strip(), where, key)
        if name == "doc_type":
            meta[name] = _doc_type(meta[name], where, key)
    return meta


def _doc_type(value: str, where: str, key: str) -> str | None:
    """``news`` | ``narrative``; ``auto`` (or empty) = detect automatically."""
    v = value.strip().lower()
    if v in ("", "auto"):
        return None
    if v not in DOC_TYPES:
        raise IngestError(where, f"field {safe_text(key, 60)!r} is {short_repr(value)}: use "
                                 f"{' or '.join(DOC_TYPES)} (or leave it out to detect it)")
    return v


def _unicode(text: str, where: str, key: str) -> str:
    """``text`` if it is valid Unicode (JSON may carry lone surrogates such as \\ud800)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError(where, f"field {safe_text(key, 60)!r} holds a lone surrogate "
                                 f"(\\u{ord(text[exc.start]):04x}) at character {exc.start}: not valid Unicode") from None
    return text


def _record_from_mapping(mapping: Mapping[str, Any], where: str, max_bytes: int) -> _Record:
    key, text = _pick(mapping, "text")
    if key is None:
        found = safe_text(", ".join(str(k) for k in mapping) or "none", 200)
        raise IngestError(
            where,
            f"no text field; found fields: {found} (expected one of: {', '.join(FIELD_SYNONYMS['text'])})",
        )
    if not isinstance(text, str):
        raise IngestError(where, f"field {safe_text(key, 60)!r} must be text, found {type(text).__name__}")
    n_bytes = len(_unicode(text, where, key).encode("utf-8"))
    if n_bytes > max_bytes:
        raise IngestError(where, _too_big(n_bytes, max_bytes, f"the {safe_text(key, 60)!r} field"))
    text = _clean_text(text)
    if not text:
        raise IngestError(where, f"field {key!r} is empty")
    meta = _meta_from_mapping(mapping, where)
    published = dateline_date(text) if meta.get("published") is None else None
    return _Record(where, text, meta, {"published": published} if published else {})


# ----------------------------------------------------------------------------- plain text
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SENTENCE_END = (".", ",", ";", ":")
_TITLE_MAX = 120


def split_title(body: str) -> tuple[str | None, str]:
    """(title, rest) when the first line reads as a headline, else (None, body).

    A markdown heading is always a title. Otherwise the line must be short
    (<= 120 chars), have no sentence-final punctuation (". , ; :"; "?"/"!" only
    when a blank line follows), not be the whole text, and either be followed by
    a blank line or be in headline case. This keeps a first body sentence (long,
    ending in a period) in the text.
    """
    lines = body.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return None, body
    first = lines[i].strip()
    rest = "\n".join(lines[i + 1 :]).strip()
    m = _MD_HEADING.match(first)
    if m:
        return (m[1].strip(), rest) if rest else (None, body)
    if not rest or len(first) > _TITLE_MAX:
        return None, body
    bare = first.rstrip("\"'”’»)")
    blank_next = i + 1 < len(lines) and not lines[i + 1].strip()
    if bare.endswith(_SENTENCE_END) or (bare.endswith(("?", "!")) and not blank_next):
        return None, body
    if blank_next or _headline_case(first):
        return first, rest
    return None, body


def _headline_case(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) >= 4]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _parse_text(raw: str, where: str) -> _Record:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            front = _plain_front_matter(m[1] or "")
            if front is None:
                front = load_front_matter(m[1] or "")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" (line {mark.line + 2})" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise IngestError(where, f"front matter is not valid YAML{at}: {safe_text(problem, 200)}") from None
        if front is None:
            front = {}
        if not isinstance(front, dict):
            raise IngestError(where, f"front matter must be 'key: value' lines, found a {type(front).__name__}")
        meta = _meta_from_mapping(front, where)
        text = text[m.end() :]
    body = _clean_text(text)
    if not body:
        raise IngestError(where, "no article text after the front matter" if m else "empty file")
    title, rest = split_title(body)
    guess: dict[str, Any] = {}
    explicit = meta.get("title")
    if title is not None and (
        explicit is None or body.startswith("#") or normalise_text(title).casefold() == normalise_text(explicit).casefold()
    ):
        guess["title"] = title
        body = rest
    byline = _BYLINE.match(body.split("\n", 1)[0].strip())
    if byline:
        guess["author"] = byline[1]  # the line stays in the text: it is what the reader sees
    published = dateline_date(body) if meta.get("published") is None else None
    if published is not None:
        guess["published"] = published
    return _Record(where, body, meta, guess)


#: The place a wire story's dateline opens with ("MOSCOW, ", "KYIV, Ukraine, "), and what
#: follows its date: the agency in brackets and a dash, or a dash, bar or colon.
_DATELINE_PLACE = re.compile(r"[ \t]*(?:[A-Z][A-Z.'’ -]{1,40}(?:,[ \t]*[A-Z][A-Za-z.'’ -]{1,40})?,[ \t]*)?")
_DATELINE_END = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:--?|[–—|:]|$)")


def dateline_date(body: str) -> dt.date | None:
    """The date a story's dateline gives in full, with its year ("MOSCOW, Nov 18, 2024
    (Reuters) -", "18 November 2024 | Kyiv", or a line that is only that date), on the first
    line of the body or the one after a byline: the article's own date, a guess for a text
    without one. None otherwise: a dateline without a year names no year, a date later in the
    line is the story's, and lines that open with dates are a list of dated entries."""
    from timeline.temporal import find_timexes  # only for texts that open like a dateline

    for line in body.split("\n", 2)[:2]:
        head = line[:160]
        place = _DATELINE_PLACE.match(head)
        at = place.end() if place else 0
        if not head[at:at + 1].isalnum() or not any(c.isdigit() for c in head[at:at + 40]):
            continue
        found = [t for t in find_timexes(head, None) if t.start == at]
        t = found[0] if found else None
        if t is None or t.granularity != "day" or t.range_start is None or t.anchor != "absolute":
            continue
        if _DATELINE_END.match(head, t.end):
            if _dated_lines(body, find_timexes) > 1:
                return None  # a list of dated entries ("24 February 2022 - Russia invades ..."), not a dateline
            return t.range_start
    return None


def _dated_lines(body: str, find_timexes: Callable) -> int:
    """How many of the first 40 non-empty lines open with a full date."""
    count = 0
    for line in [ln for ln in body.split("\n", 80) if ln.strip()][:40]:
        head = line.lstrip(" \t-*•#")[:40]
        if head[:1].isalnum() and any(c.isdigit() for c in head) and any(
                t.start == 0 and t.granularity == "day" and t.anchor == "absolute" for t in find_timexes(head, None)):
            count += 1
    return count


#: "By Jane Doe" or "By Jane Doe, Outlet" as the first line of the body.
_BYLINE = re.compile(r"^By ((?:[A-Z][\w.'’-]*)(?: (?:[A-Z][\w.'’-]*|de|van|von|der|al)){0,4})(?:,[^\n]{0,80})?$")


#: Front matter is a few lines of metadata; a bigger block is not front matter.
FRONT_MATTER_MAX = 64_000
_YAML_NULLS = {"null", "Null", "NULL", "~", ""}
_DEEP_FLOW = re.compile(r"(?:[\[{][ \t]*){64}")


class _FrontMatterLoader(yaml.BaseLoader):
    """YAML's failsafe schema: every scalar is the string as written (``title: yes`` is
    "yes", ``published: 2024-11-15`` is parsed by ``parse_published``, not by YAML 1.1
    rules), plain ``null``/``~`` is None, and aliases are refused: an anchor
    referenced a billion times (an alias bomb) is an error, never expanded."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted in front matter", event.start_mark)
        return super().compose_node(parent, index)

    def construct_scalar(self, node):  # type: ignore[no-untyped-def]
        value = super().construct_scalar(node)
        return None if node.style is None and value in _YAML_NULLS else value


def load_front_matter(block: str) -> Any:
    """Parse a front-matter block safely (see ``_FrontMatterLoader``); raises yaml.YAMLError."""
    if len(block) > FRONT_MATTER_MAX:
        raise yaml.YAMLError(f"front matter is over {FRONT_MATTER_MAX:,} characters")
    if _DEEP_FLOW.search(block):  # cheap refusal before the parser recurses into it
        raise yaml.YAMLError("front matter is nested too deeply")
    try:
        return yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 (failsafe schema, no aliases)
    except RecursionError:
        raise yaml.YAMLError("front matter is nested too deeply") from None
_PLAIN_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]+(?:\"([^\"\\]*)\"|([^\s\"'\[\]{}&*!|>%@`#,?:-][^\n]*?))[ \t]*$")


def _plain_front_matter(block: str) -> dict[str, str] | None:
    """Fast path for the common ``key: plain value`` front matter; None = let YAML decide.

    Only lines whose value is a plain scalar without YAML syntax (no ': ', ' #',
    no leading indicator) or a simple double-quoted string qualify; values stay
    strings (dates are parsed by ``parse_published`` either way).
    """
    out: dict[str, str] = {}
    for line in block.splitlines():
        if not line.strip():
            continue
        m = _PLAIN_LINE.match(line)
        if m is None:
            return None
        value = m[2] if m[2] is not None else m[3]
        if m[2] is None and (": " in value or " #" in value or value in _YAML_SPECIAL):
            return None
        out[m[1]] = value
    return out


_YAML_SPECIAL = {"null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
                 "yes", "Yes", "no", "No", "on", "On", "off", "Off"}


# ----------------------------------------------------------------------------- html
def _parse_html(raw: str, where: str) -> _Record:
    """Body text via trafilatura, metadata from markup, htmldate only as a fallback guess."""
    import trafilatura

    text = trafilatura.extract(
        raw, include_comments=False, include_tables=False, include_images=False, deduplicate=False
    )
    if not text or not text.strip():
        raise IngestError(where, "no article text found in the HTML page")
    md = trafilatura.extract_metadata(raw, extensive=False)
    meta: dict[str, Any] = {}
    if md is not None:
        for name, value in (("title", md.title), ("author", md.author), ("source", md.sitename), ("url", md.url)):
            if value and value.strip():
                meta[name] = value.strip()
        if md.date:
            meta["published"] = _date_field(md.date, where, "date (HTML metadata)")
    guess: dict[str, Any] = {}
    if "published" not in meta:
        from htmldate import find_date

        found = find_date(raw, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
        if found:
            guess["published"] = dt.date.fromisoformat(found)
    body = _clean_text(text)
    title = meta.get("title")
    first, _, rest = body.partition("\n")
    if title and rest.strip() and normalise_text(first).casefold() == normalise_text(title).casefold():
        body = rest.strip()
    return _Record(where, body, meta, guess)


# ----------------------------------------------------------------------------- timeml
def _parse_timeml(raw: str, where: str) -> _Record:
    """DOCID -> ext_id, DCT -> published, EXTRAINFO -> title, <s> segmentation kept."""
    from timeline.timeml import TimeMLError, read_timeml

    try:
        art = read_timeml(raw)
    except TimeMLError as exc:
        raise IngestError(where, f"TimeML: {exc}") from None
    meta: dict[str, Any] = {"sentences": art.sentences}
    for name, value in (("ext_id", art.docid), ("title", art.title)):
        if value:
            meta[name] = _unicode(value, where, name)
    if art.published is not None:
        meta["published"] = _date_field(art.published.isoformat(), where, "DCT")
    return _Record(where, _unicode(art.text, where, "TEXT"), meta, {})


# ----------------------------------------------------------------------------- json / csv
def _json_kind(value: Any) -> str:
    return {str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _parse_json(raw: str, where: str, max_bytes: int) -> list[_Record]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IngestError(where, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(data, dict):
        wrapped = _wrapped_list(data)
        if wrapped is None:
            return [_record_from_mapping(data, where, max_bytes)]
        data = wrapped
    if not isinstance(data, list):
        raise IngestError(where, f"JSON must be an object or a list of objects, found {_json_kind(data)}")
    if not data:
        raise IngestError(where, "JSON list is empty: no articles")
    records = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise IngestError(where, f"item {n} of the JSON list is {_json_kind(item)}, expected an object")
        records.append(_record_from_mapping(item, f"{where}#{n}", max_bytes))
    return records


def _wrapped_list(obj: dict[str, Any]) -> list[Any] | None:
    """The article list of an export like {"status": "ok", "articles": [...]}, if that is what this is."""
    if _pick(obj, "text")[0] is not None:
        return None
    lists = [v for v in obj.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    return lists[0] if len(lists) == 1 else None


def _parse_jsonl(raw: str, where: str, max_bytes: int) -> list[_Record]:
    records = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(where, f"line {n} is not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(item, dict):
            raise IngestError(where, f"line {n} is {_json_kind(item)}, expected a JSON object")
        records.append(_record_from_mapping(item, f"{where}#{n}", max_bytes))
    if not records:
        raise IngestError(where, "empty file")
    return records


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(raw: str, where: str, max_field: int) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; raises IngestError on ragged rows."""
    csv.field_size_limit(max(max_field, csv.field_size_limit()))
    header_line = raw.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=_sniff_delimiter(header_line))
    try:
        header = [h.strip() for h in next(reader)]
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise IngestError(where, f"line {reader.line_num} has {len(values)} fields but the header has {len(header)}")
            rows.append((reader.line_num, dict(zip(header, values))))
    except csv.Error as exc:
        raise IngestError(where, f"not valid CSV: {exc}") from None
    except StopIteration:
        raise IngestError(where, "empty file") from None
    return header, rows


def _parse_csv(raw: str, where: str, max_bytes: int) -> list[_Record]:
    header, rows = _csv_rows(raw, where, max_bytes)
    if _pick(dict.fromkeys(header), "text")[0] is None:
        raise IngestError(
            where,
            f"no text column; found columns: {', '.join(header) or 'none'} "
            f"(expected one of: {', '.join(FIELD_SYNONYMS['text'])})",
        )
    if not rows:
        raise IngestError(where, "CSV has a header but no rows")
    return [_record_from_mapping(row, f"{where}#{i}", max_bytes) for i, (_line, row) in enumerate(rows, 1)]


# ----------------------------------------------------------------------------- dispatch
def _kind(name: str) -> str | None:
    ext = os.path.splitext(name.lower())[1]
    if ext in TEXT_EXTS:
        return "text"
    if ext in HTML_EXTS:
        return "html"
    if ext in TIMEML_EXTS:
        return "timeml"
    if ext in RECORD_EXTS:
        return ext.lstrip(".").replace("ndjson", "jsonl")
    if ext in ZIP_EXTS:
        return "zip"
    return None


def _file_limit(kind: str, max_bytes: int) -> int:
    return max_bytes * CONTAINER_FACTOR if kind in {"json", "jsonl", "csv"} else max_bytes


def parse_bytes(name: str, data: bytes, *, origin: str | None = None, max_bytes: int | None = None) -> list[_Record]:
    """Parse one (non-zip) file's bytes into records; raises IngestError with the reason."""
    where = origin or name
    max_bytes = max_bytes or default_max_bytes()
    kind = _kind(name)
    if kind is None or kind == "zip":
        raise IngestError(where, f"unsupported file type {PurePosixPath(name).suffix or '(no extension)'!r}; "
                                 f"supported: {', '.join(sorted(SUPPORTED_EXTS))}")
    limit = _file_limit(kind, max_bytes)
    if len(data) > limit:
        raise IngestError(where, _too_big(len(data), limit))
    if not data.strip():
        raise IngestError(where, "empty file")
    raw = decode_text(data, where)
    if not raw.strip():
        raise IngestError(where, "empty file")
    if kind == "text":
        return [_parse_text(raw, where)]
    if kind == "html":
        return [_parse_html(raw, where)]
    if kind == "timeml":
        return [_parse_timeml(raw, where)]
    if kind == "json":
        return _parse_json(raw, where, max_bytes)
    if kind == "jsonl":
        return _parse_jsonl(raw, where, max_bytes)
    return _parse_csv(raw, where, max_bytes)


def _to_document(rec: _Record, *layers: Mapping[str, Any]) -> Document:
    """Apply metadata layers (first non-empty wins per field) after the file's own, before guesses."""
    values: dict[str, Any] = {}
    for name in META_FIELDS:
        for layer in (rec.meta, *layers, rec.guess):
            if layer.get(name) not in (None, ""):
                values[name] = layer[name]
                break
    return Document(
        id=doc_id(rec.text),
        text=rec.text,
        title=values.get("title"),
        published=values.get("published"),
        source=values.get("source"),
        url=values.get("url"),
        author=values.get("author"),
        language=values.get("language") or "en",
        origin=rec.origin,
        doc_type=values.get("doc_type"),
        ext_id=values.get("ext_id"),
        sentences=rec.meta.get("sentences"),
    )


# ----------------------------------------------------------------------------- zip
@dataclass(frozen=True)
class _Member:
    name: str  # path inside the archive
    info: zipfile.ZipInfo


def _zip_members(zf: zipfile.ZipFile, where: str, max_bytes: int) -> list[_Member]:
    """Safe members to read, sorted; rejects the whole archive on any unsafe entry."""
    members, total = [], 0
    for info in zf.infolist():
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise IngestError(where, f"unsafe archive entry {name!r} (absolute path or '..'); nothing extracted")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise IngestError(where, f"archive entry {name!r} is a symbolic link; nothing extracted")
        if info.is_dir():
            continue
        total += info.file_size
        if total > max_bytes * CONTAINER_FACTOR:
            raise IngestError(where, _too_big(total, max_bytes * CONTAINER_FACTOR, "uncompressed archive content"))
        members.append(_Member(name, info))
    return sorted(members, key=lambda m: m.name)


def _read_member(zf: zipfile.ZipFile, member: _Member, limit: int, where: str) -> bytes:
    """Read at most limit+1 bytes: the header's size is not trusted (zip bombs)."""
    with zf.open(member.info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise IngestError(where, _too_big(member.info.file_size, limit))
    return data


def _skip_reason(rel: str) -> str | None:
    parts = PurePosixPath(rel).parts
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return "hidden"
    if _DOC_FILE.match(parts[-1]):
        return "documentation"
    if _kind(parts[-1]) is None:
        return f"unsupported file type {PurePosixPath(rel).suffix or '(no extension)'!r}"
    return None


# ----------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class Manifest:
    """Per-file metadata from a CSV (file,published,source,title[,url,author])."""

    path: str
    by_path: dict[str, dict[str, Any]]
    by_name: dict[str, dict[str, Any]]

    def lookup(self, rel: str) -> tuple[str | None, dict[str, Any]]:
        """(manifest key used, fields) for a relative path, by path then by basename."""
        rel = _norm_rel(rel)
        if rel in self.by_path:
            return rel, self.by_path[rel]
        base = PurePosixPath(rel).name
        if base in self.by_name:
            return base, self.by_name[base]
        return None, {}


def _norm_rel(rel: str) -> str:
    """Manifest key form: forward slashes, no leading './', case-folded."""
    rel = rel.strip().replace("\\", "/")
    while rel.startswith("./"):
        rel = rel[2:]
    return rel.lower()


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read a manifest CSV; any problem is a UserError naming the row."""
    p = Path(path)
    where = str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read manifest {where}: {exc.strerror}") from None
    try:
        header, rows = _csv_rows(decode_text(data, where), where, DEFAULT_MAX_BYTES)
    except IngestError as exc:
        raise UserError(f"manifest {exc}") from None
    lowered = {h.lower(): h for h in header}
    file_key = next((lowered[k] for k in MANIFEST_FILE_KEYS if k in lowered), None)
    if file_key is None:
        raise UserError(f"manifest {where} has no 'file' column; found columns: {', '.join(header)}")
    by_path: dict[str, dict[str, Any]] = {}
    names: dict[str, list[dict[str, Any]]] = {}
    for line, row in rows:
        rel = _norm_rel(row.get(file_key) or "")
        if not rel:
            raise UserError(f"manifest {where} line {line}: empty {file_key!r}")
        try:
            fields = _meta_from_mapping({k: v for k, v in row.items() if k != file_key}, f"{where} line {line}")
        except IngestError as exc:
            raise UserError(f"manifest {exc}") from None
        fields["_key"] = rel
        by_path[rel] = fields
        names.setdefault(PurePosixPath(rel).name, []).append(fields)
    by_name = {n: v[0] for n, v in names.items() if len(v) == 1}  # ambiguous basenames need the path
    return Manifest(where, by_path, by_name)


# ----------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class _Input:
    origin: str  # shown in the report
    rel: str  # path relative to the argument it came from (manifest matching)
    path: Path


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as it may be printed and stored: undecodable bytes as ``\\xNN``, control
    characters (newlines, ANSI escapes) escaped, bounded length."""
    return safe_text(os.fspath(path), 500)


def _expand(paths: Sequence[str | os.PathLike[str]], exclude: set[Path]) -> Iterator[_Input | FileResult]:
    """Files to read, folders walked recursively in sorted order; every entry not read is a
    "skipped" line with its reason. A folder walk never leaves its folder: a symbolic link
    is read only when its target lies inside the folder, and never followed into a folder."""
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            yield from _walk(p, p.resolve(), p, exclude)
        elif p.is_file():
            yield _Input(shown_path(p), p.name, p)
        elif p.exists() or p.is_symlink():
            yield FileResult(shown_path(p), "rejected", reason=_not_regular(p))
        else:
            yield FileResult(shown_path(p), "rejected", reason="no such file or directory")


def _walk(folder: Path, root_real: Path, root: Path, exclude: set[Path]) -> Iterator[_Input | FileResult]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield FileResult(shown_path(folder), "skipped", reason=f"folder not readable: {exc.strerror}")
        return
    for entry in entries:
        f = Path(entry.path)
        rel = f.relative_to(root).as_posix()
        shown = shown_path(f)
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            yield FileResult(shown, "skipped", reason="hidden folder" if entry.is_dir() else "hidden")
            continue
        if entry.is_symlink():
            try:
                target = f.resolve(strict=True)
            except (OSError, RuntimeError):
                yield FileResult(shown, "skipped", reason="broken symbolic link")
                continue
            if not target.is_relative_to(root_real):
                yield FileResult(shown, "skipped",
                                 reason="symbolic link to outside the folder (not followed)")
                continue
            if target.is_dir():
                yield FileResult(shown, "skipped", reason="symbolic link to a folder (not followed)")
                continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError as exc:
            yield FileResult(shown, "skipped", reason=f"cannot inspect: {exc.strerror}")
            continue
        if is_dir:
            yield from _walk(f, root_real, root, exclude)
            continue
        if not is_file:
            yield FileResult(shown, "skipped", reason=_not_regular(f))
            continue
        if exclude and f.resolve() in exclude:
            continue
        reason = _skip_reason(rel)
        if reason:
            yield FileResult(shown, "skipped", reason=reason)
        else:
            yield _Input(shown, rel, f)


def _not_regular(p: Path) -> str:
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"{kind}, not a file; not read"


def _parse_input(item: _Input, max_bytes: int, manifest: Manifest | None,
                 defaults: Mapping[str, Any], used: set[str]) -> list[Document | FileResult]:
    """Documents (or one rejection) for a file; zip archives yield one entry per member."""
    kind = _kind(item.path.name)
    if kind == "zip":
        return _parse_zip(item, max_bytes, manifest, defaults, used)
    try:
        st = item.path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read forever
            return [FileResult(item.origin, "rejected", reason=_not_regular(item.path))]
        limit = _file_limit(kind or "", max_bytes)
        if kind is not None and st.st_size > limit:
            raise IngestError(item.origin, _too_big(st.st_size, limit))
        with open(item.path, "rb") as fh:
            data = fh.read(limit + 1)  # the size may have grown since stat
        if kind is not None and len(data) > limit:
            raise IngestError(item.origin, _too_big(len(data), limit))
    except OSError as exc:
        return [FileResult(item.origin, "rejected", reason=f"cannot read: {exc.strerror}")]
    except IngestError as exc:
        return [FileResult(item.origin, "rejected", reason=exc.reason)]
    return _documents(item.path.name, data, item.origin, item.rel, max_bytes, manifest, defaults, used)


def _documents(name: str, data: bytes, origin: str, rel: str, max_bytes: int,
               manifest: Manifest | None, defaults: Mapping[str, Any], used: set[str]) -> list[Document | FileResult]:
    try:
        records = parse_bytes(name, data, origin=origin, max_bytes=max_bytes)
        key, row = manifest.lookup(rel) if manifest else (None, {})
        docs = [_to_document(r, row, defaults) for r in records]
    except IngestError as exc:
        return [FileResult(origin, "rejected", reason=_file_reason(exc, origin))]
    except Exception as exc:  # noqa: BLE001 - any failure on one input rejects that input only
        return [FileResult(origin, "rejected", reason=unexpected_reason(exc))]
    if key is not None:
        used.add(row["_key"])
    return docs


def unexpected_reason(exc: BaseException) -> str:
    """The one-line reason for a file whose parsing raised something unforeseen."""
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (thousands of levels); nothing from this file was stored"
    if isinstance(exc, MemoryError):
        return "too large to parse in memory; nothing from this file was stored"
    return safe_text(f"could not be read ({type(exc).__name__}: {exc}); nothing from this file was stored")


def _file_reason(exc: IngestError, origin: str) -> str:
    """A record-level error rejects its whole file; say which record it was."""
    if exc.path != origin and exc.path.startswith(origin + "#"):
        return f"record {exc.path[len(origin):]}: {exc.reason} (nothing from this file was stored)"
    return exc.reason


def _parse_zip(item: _Input, max_bytes: int, manifest: Manifest | None,
               defaults: Mapping[str, Any], used: set[str]) -> list[Document | FileResult]:
    out: list[Document | FileResult] = []
    try:
        with zipfile.ZipFile(item.path) as zf:
            members = _zip_members(zf, item.origin, max_bytes)
            for m in members:
                origin = f"{item.origin}:{shown_path(m.name)}"
                reason = _skip_reason(m.name)
                if reason == "hidden":
                    continue
                if reason or _kind(m.name) == "zip":
                    out.append(FileResult(origin, "skipped", reason=reason or "nested archives are not opened"))
                    continue
                try:
                    data = _read_member(zf, m, _file_limit(_kind(m.name) or "", max_bytes), origin)
                except IngestError as exc:
                    out.append(FileResult(origin, "rejected", reason=exc.reason))
                    continue
                out += _documents(m.name, data, origin, m.name, max_bytes, manifest, defaults, used)
    except IngestError as exc:
        return [FileResult(item.origin, "rejected", reason=exc.reason)]
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError) as exc:
        return [FileResult(item.origin, "rejected", reason=safe_text(f"not a readable zip archive: {exc}"))]
    if not out:
        out.append(FileResult(item.origin, "rejected", reason="archive holds no articles"))
    return out


# ----------------------------------------------------------------------------- public API
def _defaults(published: Any, source: str | None, title: str | None = None) -> dict[str, Any]:
    try:
        pub = parse_published(published)
    except ValueError:
        raise UserError(f"--published: unparseable date {published!r}; use a full date such as 2024-11-15") from None
    return {"published": pub, "source": source, "title": title}


def ingest_paths(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    store: Any,
    *,
    published: dt.date | str | None = None,
    source: str | None = None,
    manifest: Manifest | str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Parse every file first, then store all good documents in one transaction.

    ``published``/``source`` fill gaps left by the files and the manifest.
    ``progress(done, total, origin)`` is called after each file. Bad
    defaults or a bad manifest raise UserError before anything is read.
    ``store`` is a Store, or a callable returning a context manager that yields
    one: it is then opened only for the write, after every file is parsed, so
    the store's write lock is held for the shortest time.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    max_bytes = max_bytes or default_max_bytes()
    defaults = _defaults(published, source)
    man = manifest if isinstance(manifest, Manifest) or manifest is None else load_manifest(manifest)
    exclude = {Path(man.path).resolve()} if man is not None else set()
    items = list(_expand(paths, exclude))
    used: set[str] = set()
    results: list[Document | FileResult] = []
    for n, item in enumerate(items, 1):
        if isinstance(item, FileResult):
            results.append(item)
        else:
            results += _parse_input(item, max_bytes, man, defaults, used)
        if progress is not None:
            progress(n, len(items), item.origin if isinstance(item, _Input) else item.path)
    if callable(store):
        with store() as opened:
            report = _store_results(results, opened)
    else:
        report = _store_results(results, store)
    if man is not None:
        unused = sorted(set(man.by_path) - used)
        if unused:
            report.warnings.append(f"manifest rows matched no file: {', '.join(unused)}")
    return report


def parse_upload(
    name: str,
    data: bytes,
    *,
    published: dt.date | str | None = None,
    source: str | None = None,
    title: str | None = None,
    max_bytes: int | None = None,
) -> list[Document]:
    """Documents from an uploaded file (or pasted text named ``*.txt``).

    The arguments fill gaps the file leaves (file metadata wins). Any problem
    raises IngestError; for a zip, the first bad entry does.
    """
    max_bytes = max_bytes or default_max_bytes()
    defaults = _defaults(published, source, title)
    origin = f"upload:{name}"
    if _kind(name) == "zip":
        tmp = _Input(origin, name, Path())
        results = _zip_bytes(tmp, data, max_bytes, defaults)
    else:
        results = _documents(name, data, origin, name, max_bytes, None, defaults, set())
    for r in results:
        if isinstance(r, FileResult) and r.status == "rejected":
            raise IngestError(r.path, r.reason or "rejected")
    docs = [r for r in results if isinstance(r, Document)]
    if not docs:
        raise IngestError(origin, "no articles found")
    return docs


def _zip_bytes(item: _Input, data: bytes, max_bytes: int, defaults: Mapping[str, Any]) -> list[Document | FileResult]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.zip"
        path.write_bytes(data)
        return _parse_zip(replace(item, path=path), max_bytes, None, defaults, set())


def _storable(doc: Document) -> Document | FileResult:
    """The last check before the write, whoever built the document (uploads, API callers):
    every text field valid Unicode, the date in range. A failure rejects this document only."""
    origin = shown_path(doc.origin or doc.id)
    try:
        for name in ("id", "text", "title", "source", "url", "author", "language", "origin", "doc_type"):
            value = getattr(doc, name)
            if isinstance(value, str):
                _unicode(value, origin, name)
        if doc.published is not None:
            _date_field(doc.published, origin, "published")
        if doc.doc_type is not None and doc.doc_type not in DOC_TYPES:
            _doc_type(doc.doc_type, origin, "doc_type")
    except IngestError as exc:
        return FileResult(origin, "rejected", reason=exc.reason)
    return doc


def ingest_documents(docs: Iterable[Document], store: Any) -> IngestReport:
    """Store already-parsed documents (uploads, pasted text) with duplicate detection."""
    return _store_results(list(docs), store)


def _store_results(results: Sequence[Document | FileResult], store: Any) -> IngestReport:
    """Turn parsed documents into report lines and write the new ones in one transaction."""
    results = [_storable(r) if isinstance(r, Document) else r for r in results]
    docs = [r for r in results if isinstance(r, Document)]
    existing = store.existing_ids({d.id for d in docs}) if docs else {}
    first_seen: dict[str, str | None] = {}
    lines: list[FileResult] = []
    new: list[Document] = []
    for r in results:
        if isinstance(r, FileResult):
            lines.append(r)
            continue
        origin = r.origin or r.id
        if r.id in existing or r.id in first_seen:
            prior = existing[r.id] if r.id in existing else first_seen[r.id]
            lines.append(FileResult(origin, "duplicate", doc_id=r.id, duplicate_of=r.id,
                                    duplicate_origin=prior or "already stored", title=r.title))
            continue
        first_seen[r.id] = r.origin
        new.append(r)
        lines.append(FileResult(origin, "stored", doc_id=r.id, title=r.title))
    store.add_documents(new)
    return IngestReport(lines)
