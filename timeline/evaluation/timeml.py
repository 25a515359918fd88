"""Read TimeML (``.tml``) files into plain text plus gold TIMEX3 spans.

The document text is the content of ``<TEXT>`` with every tag removed and XML
entities decoded, so gold offsets index exactly the string a system sees. The
publication date is the ``<DCT>`` TIMEX3 (``functionInDocument="CREATION_TIME"``);
it is *not* a gold expression, only the reference time.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from timeline.errors import UserError
from timeline.timeml import docid_of, parse_dct



@dataclass(frozen=True)
class GoldTimex:
    """One annotated TIMEX3: ``start``/``end`` index ``TmlDoc.text`` (end exclusive)."""

    start: int
    end: int
    type: str
    value: str
    text: str
    tid: str = ""


@dataclass(frozen=True)
class TmlDoc:
    docid: str
    text: str
    dct: dt.date | None
    timexes: list[GoldTimex] = field(default_factory=list)
    path: str = ""


def _flatten(elem: ET.Element) -> tuple[str, list[GoldTimex]]:
    """Concatenate the text of ``elem`` (tags dropped) and record every TIMEX3 span in it."""
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    pos = 0

    def walk(node: ET.Element) -> None:
        nonlocal pos
        start = pos
        if node.text:
            parts.append(node.text)
            pos += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if node is not elem and node.tag == "TIMEX3":
            a = node.attrib
            timexes.append(
                GoldTimex(start, pos, a.get("type", ""), a.get("value", ""), "", a.get("tid", ""))
            )

    walk(elem)
    text = "".join(parts)
    fixed = [GoldTimex(t.start, t.end, t.type, t.value, text[t.start:t.end], t.tid)
             for t in timexes]
    fixed.sort(key=lambda t: (t.start, t.end))
    return text, fixed


def load_tml(path: str | Path) -> TmlDoc:
    """Parse one TimeML file; raises ``UserError`` naming the file when it is not usable."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise UserError(f"{path}: not a readable TimeML file ({exc})") from exc
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise UserError(f"{path}: no <TEXT> element, so there is no document text to score")
    text, timexes = _flatten(text_el)
    dct = parse_dct(root)
    docid = docid_of(root) or ""
    if not docid:
        docid = path.name[: -len(".tml")] if path.name.endswith(".tml") else path.stem
    return TmlDoc(docid=docid, text=text, dct=dct, timexes=timexes, path=str(path))


def load_tml_dir(directory: str | Path) -> list[TmlDoc]:
    """Every ``*.tml`` under ``directory`` (recursive), sorted by path for reproducible runs."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory}: not a folder (expected a folder of TimeML .tml files)")
    files = sorted(directory.rglob("*.tml"))
    if not files:
        raise UserError(f"{directory}: no .tml files found (searched recursively)")
    return [load_tml(f) for f in files]
