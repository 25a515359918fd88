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
