"""TimeML files as articles: ``<DOCID>``, ``<DCT>``, ``<TEXT>`` (inline tags stripped).

When ``<TEXT>`` holds ``<s id>`` elements the source's sentence segmentation is kept:
one sentence per line, in file order, and ``Document.sentences`` records each
sentence's id, its character span and its tokens, so an export can cite an event as
``DOCID-SENTENCEID-TOKEN`` exactly as the file wrote it. Tokenised text ("Boeing 's
777 , capable") is joined back the way it would be written ("Boeing's 777, capable")
for the extractor, which reads prose; the token spans point into that joined text.
Without ``<s>`` the flattened text is the document and our splitter segments it.

Shared with ``timeline.evaluation.timeml`` (the gold reader): ``parse_dct`` and
``docid_of``.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")

#: Tokens written against the word before them ("Boeing 's", "did n't", "2005 ,").
_CLOSE = re.compile(r"^(?:[.,;:!?%)\]}\u201d\u2019…]+|'s|'S|'re|'ve|'m|'ll|'d|n't|N'T|'|\.\.\.)$")
#: Tokens written against the word after them ("( 17,446", "$ 40").
_OPEN = re.compile(r"^[(\[{$£€#\u201c\u2018]$")


class TimeMLError(ValueError):
    """The file is not usable TimeML (the message says why, in one line)."""


def parse_date(value: str) -> dt.date | None:
    """DCT values look like ``1998-08-07`` or ``1998-08-07T06:18:00`` (sometimes ``19980807``)."""
    m = _DATE_RE.match(value) or _COMPACT_DATE_RE.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_dct(root: ET.Element) -> dt.date | None:
    """The document creation time: the ``<DCT>`` TIMEX3, else one marked CREATION_TIME."""
    dct_el = root.find(".//DCT")
    candidates = list(dct_el.iter("TIMEX3")) if dct_el is not None else []
    candidates += [t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"]
    if dct_el is not None and not candidates:
        candidates = [dct_el]
    for t in candidates:
        found = parse_date(t.get("value", "")) or parse_date("".join(t.itertext()).strip())
        if found:
            return found
    return None


def docid_of(root: ET.Element) -> str | None:
    el = root.find(".//DOCID")
    text = "".join(el.itertext()).strip() if el is not None else ""
    return text or None


@dataclass(frozen=True)
class TimeMLArticle:
    docid: str | None
    published: dt.date | None
    title: str | None
    text: str
    sentences: str | None  # Document.sentences JSON, None without <s>


def join_tokens(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens -> written text and each token's span in it. A straight double quote
    opens (joins the next token) and closes (joins the previous) in turn."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, glue_next, quote_open = 0, True, False
    for tok in tokens:
        closing = bool(_CLOSE.match(tok))
        if tok == '"':
            closing = quote_open
            quote_open = not quote_open
        if out and not glue_next and not closing:
            out.append(" ")
            pos += 1
        spans.append((pos, pos + len(tok)))
        out.append(tok)
        pos += len(tok)
        glue_next = bool(_OPEN.match(tok)) or (tok == '"' and quote_open)
    return "".join(out), spans


def read_timeml(raw: str) -> TimeMLArticle:
    """Parse one TimeML file's text; raises ``TimeMLError`` with the reason."""
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise TimeMLError(f"not well-formed XML ({exc})") from None
    text_el = root if root.tag == "TEXT" else root.find(".//TEXT")
    if text_el is None:
        raise TimeMLError("no <TEXT> element: a TimeML article needs its text in <TEXT>")
    title_el = root.find(".//EXTRAINFO")
    title = join_tokens(_nfc("".join(title_el.itertext())).split())[0] if title_el is not None else None
    sents = [s for s in text_el.iter("s")]
    if not sents:
        text = _nfc("".join(text_el.itertext())).strip()
        if not text:
            raise TimeMLError("<TEXT> is empty")
        return TimeMLArticle(docid_of(root), parse_dct(root), title or None, text, None)
    parts: list[str] = []
    given: list[list] = []
    pos = 0
    for i, s in enumerate(sents):
        tokens = _nfc("".join(s.itertext())).split()
        if not tokens:
            continue
        written, spans = join_tokens(tokens)
        if parts:
            parts.append("\n")
            pos += 1
        given.append([s.get("id") or str(i), pos, pos + len(written), [[pos + a, pos + b] for a, b in spans]])
        parts.append(written)
        pos += len(written)
    if not given:
        raise TimeMLError("every <s> in <TEXT> is empty")
    return TimeMLArticle(docid_of(root), parse_dct(root), title or None, "".join(parts),
                         json.dumps(given, separators=(",", ":")))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
