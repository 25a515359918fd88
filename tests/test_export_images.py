"""Image and HTML exports: real kaleido + Debian Chromium, checked by pixels, XML and PDF text."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest

from timeline.errors import UserError
from timeline.export import (
    ExportUnavailable,
    html_bytes,
    image_bytes,
    kaleido_options,
    with_caption,
)
from timeline.export import images
from timeline.export.images import plotlyjs_path

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Zebra Quokka Timeline 7319"
CAPTION = "Filters: actor: Vladimir Putin\nDate window: 2022-01-01 to 2024-12-31\n3 events from 2 sources. Generated 2026-11-25."


def _has_chromium() -> bool:
    try:
        images.browser_path()
        return True
    except ExportUnavailable:
        return False


needs_chromium = pytest.mark.skipif(not _has_chromium(), reason="Chromium missing: `make test` installs it")


def sample_figure() -> go.Figure:
    """A timeline-like figure: markers on actor lanes plus a span bar."""
    fig = go.Figure()
    fig.add_scatter(x=["2022-02-24", "2023-05-02", "2024-06-15"], y=["Vladimir Putin", "Olaf Scholz", "Vladimir Putin"],
                    mode="markers", marker=dict(size=14), name="statement")
    fig.add_bar(base=["2024-06-01"], x=[29 * 86400000], y=["Olaf Scholz"], orientation="h", name="month")
    fig.update_layout(xaxis=dict(type="date"), legend=dict(orientation="h", y=-0.25))
    return fig


def export_figure() -> go.Figure:
    """The app's real figure (filter_events + timeline_figure + caption) on synthetic frames."""
    from timeline.export import build_export_figure
    from timeline.filters import EventFilter
    from timeline.synthetic import synthetic_frames

    fig, _ = build_export_figure(synthetic_frames(200, seed=1), EventFilter(), title=TITLE,
                                 generated=dt.date(2026, 11, 25))
    return fig


# -- without a browser ---------------------------------------------------------------
def test_missing_chromium_says_how_to_install_and_html_still_works(monkeypatch):
    monkeypatch.setenv(images.BROWSER_ENV, "/nonexistent/chromium")
    with pytest.raises(ExportUnavailable) as err:
        image_bytes(sample_figure(), "png")
    assert isinstance(err.value, UserError)
    msg = str(err.value)
    assert "apt-get install -y chromium" in msg and "make test" in msg and "/nonexistent/chromium" in msg
    html = html_bytes(sample_figure())
    assert b"Plotly.newPlot" in html


def test_kaleido_uses_plotlyjs_from_the_plotly_package_and_no_mathjax_cdn():
    from kaleido import PageGenerator

    opts = kaleido_options(Path("/usr/bin/chromium"))
    assert opts["plotlyjs"] == plotlyjs_path() and opts["plotlyjs"].is_file()
    assert "site-packages" in str(opts["plotlyjs"]) or "dist-packages" in str(opts["plotlyjs"])
    assert opts["mathjax"] is False
    page = PageGenerator(plotly=opts["plotlyjs"], mathjax=opts["mathjax"]).generate_index()
    assert "http" not in page and str(opts["plotlyjs"]) in page


def test_html_is_self_contained():
    html = html_bytes(with_caption(sample_figure(), CAPTION, TITLE)).decode("utf-8")
    assert '<script src="http' not in html and "src=\"//" not in html
    bundle = plotlyjs_path().read_text(encoding="utf-8")
    assert bundle[:2000] in html  # plotly.js is inline ...
    # ... and apart from plotly.js's own default topojson URL (used only by geo maps), no CDN anywhere
    rest = html.replace(bundle, "")
    assert "cdn.plot.ly" not in rest and "cdn.jsdelivr" not in rest and "<script src" not in rest
    assert TITLE in rest


def test_unknown_image_format_and_bad_size_are_user_errors():
    with pytest.raises(UserError, match="png, svg, pdf"):
        image_bytes(sample_figure(), "gif")
    with pytest.raises(UserError, match="positive"):
        image_bytes(sample_figure(), "png", width=0)


# -- with Chromium ---------------------------------------------------------------------
def _pixels(png: bytes):
    from PIL import Image, ImageStat

    im = Image.open(io.BytesIO(png))
    im.load()
    return im, ImageStat.Stat(im.convert("L"))


@pytest.mark.browser
@needs_chromium
def test_png_has_requested_size_and_is_not_blank(artifacts_dir):
    png = image_bytes(export_figure(), "png", width=1000, height=620, scale=2)
    (artifacts_dir / "export_timeline.png").write_bytes(png)
    im, stat = _pixels(png)
    assert im.format == "PNG" and im.size == (2000, 1240)
    assert stat.stddev[0] > 12, "almost uniform image: nothing drawn"
    corner = im.convert("RGB").getpixel((3, 3))
    assert min(corner) >= 240, f"background not light: {corner}"


@pytest.mark.browser
@needs_chromium
def test_default_height_grows_with_the_caption(artifacts_dir):
    fig = export_figure()
    png = image_bytes(fig, "png", width=1400, scale=1)
    im, _ = _pixels(png)
    assert im.size == (1400, int(fig.layout.height))
    (artifacts_dir / "export_timeline_1400.png").write_bytes(png)


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join(" ".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))


@pytest.mark.browser
@needs_chromium
def test_svg_is_xml_with_title_and_caption(artifacts_dir):
    svg = image_bytes(export_figure(), "svg", width=1200, scale=2)
    (artifacts_dir / "export_timeline.svg").write_bytes(svg)
    assert ET.fromstring(svg).get("width") == "1200"  # vector: scale does not blow the size up
    text = _svg_text(svg)
    assert TITLE in text
    assert "Generated 2026-11-25" in text and "Filters:" in text and "Date window:" in text


@pytest.mark.browser
@needs_chromium
def test_pdf_is_one_page_with_title_and_caption(artifacts_dir):
    from pypdf import PdfReader

    pdf = image_bytes(export_figure(), "pdf", width=1200, scale=2)
    (artifacts_dir / "export_timeline.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0].mediabox
    assert float(page.width) == pytest.approx(1200 * 0.75)  # CSS px -> pt, whatever the scale
    text = " ".join(reader.pages[0].extract_text().split())
    assert TITLE in text and "Generated 2026-11-25" in text


@pytest.mark.browser
@needs_chromium
def test_repeated_exports_reuse_one_browser():
    image_bytes(sample_figure(), "svg", width=400, height=300)
    first = images._renderer
    pid = first.kaleido.subprocess.pid
    for fmt in ("png", "pdf", "svg"):
        image_bytes(sample_figure(), fmt, width=400, height=300)
    assert images._renderer is first and first.kaleido.subprocess.pid == pid


STREAMLIT_SCRIPT = """
import sys
import streamlit  # noqa: F401  (switches plotly's default template to "streamlit")
import plotly.graph_objects as go
import plotly.io as pio
from timeline.export import image_bytes
assert pio.templates.default == "streamlit", pio.templates.default
fig = go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 5, 4]))
open(sys.argv[1], "wb").write(image_bytes(fig, "png", width=600, height=400))
"""


@pytest.mark.browser
@needs_chromium
def test_export_after_importing_streamlit_is_light_with_coloured_bars(tmp_path, artifacts_dir):
    out = tmp_path / "bars.png"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", STREAMLIT_SCRIPT, str(out)], check=True, env=env, timeout=180)
    png = out.read_bytes()
    (artifacts_dir / "export_after_streamlit.png").write_bytes(png)
    im, _ = _pixels(png)
    rgb = im.convert("RGB")
    assert min(rgb.getpixel((5, 5))) >= 240, "background should be white/light"
    # the middle bar's body: coloured, not black
    bar = rgb.getpixel((300, 300))
    assert max(bar) > 60 and (max(bar) - min(bar)) > 40, f"bar pixel {bar} is black/grey"


@pytest.mark.browser
@needs_chromium
def test_html_renders_offline_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "view.html"
    page_file.write_bytes(html_bytes(with_caption(sample_figure(), CAPTION, TITLE)))
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(images.browser_path()), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: (requested.append(route.request.url),
                                              route.continue_() if route.request.url.startswith("file:")
                                              else route.abort()))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".main-svg", timeout=30000)
            assert TITLE in page.inner_text("body") or page.locator(f"text={TITLE}").count()
        finally:
            browser.close()
    assert [u for u in requested if not u.startswith("file:")] == []


def test_webgl_traces_become_svg_markers_for_static_images():
    from timeline.export.images import without_webgl

    fig = go.Figure(go.Scattergl(x=[1, 2, 3], y=[3, 1, 2], mode="markers", marker=dict(size=9, color="red"),
                                 name="gl", hovertext=["a", "b", "c"]))
    out = without_webgl(fig)
    assert [t.type for t in out.data] == ["scatter"] and fig.data[0].type == "scattergl"
    assert list(out.data[0].x) == [1, 2, 3] and out.data[0].marker.color == "red" and out.data[0].name == "gl"


def test_prestart_reports_unavailable_images_without_raising(monkeypatch):
    from timeline.export import prestart

    monkeypatch.setenv(images.BROWSER_ENV, "/nonexistent/chromium")
    assert prestart() is False


@pytest.mark.browser
@needs_chromium
def test_prestart_leaves_a_running_browser_for_the_first_export():
    from timeline.export import prestart

    assert prestart(background=False) is True
    assert images.renderer_running()
    first = images._renderer
    image_bytes(sample_figure(), "svg", width=400, height=300)
    assert images._renderer is first
