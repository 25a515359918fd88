"""Article text as literal text inside Streamlit markdown.

``st.markdown``/``st.write``/``st.caption``/``st.error`` and expander labels all parse
Markdown, so an article title such as ``![x](http://tracker/p.png)`` would make the
browser fetch an outside image, ``$5 billion … $3 billion`` would be set as LaTeX, and
``<b>`` would become markup where HTML is allowed. Backslash-escaping every Markdown
punctuation character keeps such text literal (CommonMark: any ASCII punctuation may be
escaped); line breaks become spaces so text cannot start a new block.
"""
from __future__ import annotations

import re
import string

_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def md_text(value: object) -> str:
    """``value`` as text that every Streamlit markdown surface shows literally."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


_BLANK_LINE = re.compile(r"(?<=\n)(?=[ \t]*(?:\n|$))")


def html_block(body: str, style: str) -> str:
    """``body`` (already HTML-escaped) as one ``<div>`` HTML block for ``st.markdown``.

    CommonMark ends an HTML block at the first blank line and parses what follows as
    Markdown, so an escaped paragraph with a blank line inside would have its second
    half read as Markdown (images, links). Blank lines start with ``<br>`` instead.
    """
    return f'<div style="{style}">' + _BLANK_LINE.sub("<br>", body) + "</div>"
