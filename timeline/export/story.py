"""Story exports: the cards as a self-contained HTML file, or as a PDF printed by Chromium.

The PDF is the HTML printed by the same Debian Chromium the image exports use
(``--headless --print-to-pdf``, networking off): the page has no script and no
outside resource, so nothing is fetched.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from timeline.errors import UserError

PRINT_TIMEOUT_S = 120
#: Export formats of the story view (the CLI's --format and export_view take them).
STORY_FORMATS = ("story-html", "story-pdf")


def story_bytes(frames: Any, flt: Any, fmt: str, *, generated=None, title: str | None = None) -> bytes:
    """The story of ``flt`` as ``story-html`` (UTF-8) or ``story-pdf`` bytes."""
    doc = story_document(frames, flt, generated=generated, title=title)
    return html_to_pdf(doc) if fmt == "story-pdf" else doc.encode("utf-8")


def story_document(frames: Any, flt: Any, *, generated=None, title: str | None = None) -> str:
    """The story HTML of ``flt`` applied to ``frames`` (title and a caption naming the filter)."""
    from timeline.export.caption import caption_for
    from timeline.export.figure import default_title
    from timeline.filters import filter_events
    from timeline.maps import country_name
    from timeline.story import story_cards, story_html

    view = filter_events(frames, flt)
    caption = caption_for(flt, view.events, generated) if generated is not None else ""
    title = title or default_title(flt).replace("Event timeline", "Story", 1)
    return story_html(story_cards(view, country_name), title=title, caption=caption)


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document to PDF with headless Chromium (A4, no header or footer)."""
    from timeline.export.images import browser_path

    browser = browser_path()
    with tempfile.TemporaryDirectory(prefix="story-") as tmp:
        src, out = Path(tmp) / "story.html", Path(tmp) / "story.pdf"
        src.write_text(document, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", src.as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise UserError(f"printing the story to PDF took over {PRINT_TIMEOUT_S} s") from None
        if not out.exists() or out.stat().st_size == 0:
            raise UserError("Chromium did not print the story to PDF (export it as HTML instead)")
        return out.read_bytes()
