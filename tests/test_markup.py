"""Article text through dashboard.markup.md_text stays literal in Streamlit markdown."""
from __future__ import annotations

import re
import string

from dashboard.markup import html_block, md_text

HOSTILE = ['![x](http://tracker.example/p.png)', "costs $5 billion and $3 billion",
           "<img src=x onerror=alert(1)>", "**bold** _it_ :red[red] :smile:", "# heading\n\n- item",
           "a \\ backslash & &lt; entity"]


def test_every_punctuation_character_is_escaped_and_on_one_line():
    for text in HOSTILE:
        out = md_text(text)
        assert "\n" not in out
        i = 0
        while i < len(out):
            if out[i] == "\\":
                assert out[i + 1] in string.punctuation, (text, out, i)
                i += 2
                continue
            assert out[i] not in string.punctuation, (text, out, i)
            i += 1


def test_unescaping_gives_back_the_text():
    for text in HOSTILE:
        back = re.sub(r"\\(.)", r"\1", md_text(text))
        assert back == " ".join(text.split())


def test_html_block_has_no_blank_line_to_end_it_early():
    body = "first part\n\n  \n![x](http://tracker.example/p.png) second\nthird"
    out = html_block(body, "color:#222")
    assert out.startswith('<div style="color:#222">') and out.endswith("</div>")
    assert all(line.strip() for line in out.split("\n"))
    assert out.replace("\n<br>", "\n")[len('<div style="color:#222">'):-len("</div>")] == body
