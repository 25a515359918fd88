"""Static images (PNG/SVG/PDF) through kaleido 1.x driving the system's Chromium.

Why a private renderer instead of ``fig.to_image``: plotly's helper starts a new
browser per call (seconds each) and kaleido's defaults fetch MathJax from a CDN.
Here one kaleido/Chromium pair lives for the whole process (started on first
use, closed at exit), plotly.js is loaded from the plotly package on disk and
MathJax is disabled, so exports work with no network. Nothing is ever
downloaded: when Chromium is missing, ``ExportUnavailable`` says how to install it.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from timeline.errors import ExportUnavailable, UserError
from timeline.export.theme import apply_export_theme

IMAGE_FORMATS = ("png", "svg", "pdf")
#: Points the exporter at a browser binary; an invalid value disables images (no silent fallback).
BROWSER_ENV = "TIMELINE_CHROMIUM"
_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")
INSTALL_HINT = (
    "Install Debian's Chromium with `sudo apt-get update && sudo apt-get install -y chromium` "
    "(or run `make test` / `make run`, which install it), then retry. "
    "HTML and data exports (csv, json, parquet, timelinejs) work without it."
)
DEFAULT_WIDTH = 1400
DEFAULT_HEIGHT = 700
RENDER_TIMEOUT_S = 180.0


def _is_exe(path: str | os.PathLike[str]) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def browser_path() -> Path:
    """The Chromium binary to drive: $TIMELINE_CHROMIUM, $BROWSER_PATH, `chromium` on PATH, Debian paths.

    An explicitly configured path that is not an executable is an error, not a
    reason to look elsewhere: the user asked for that browser.
    """
    for var in (BROWSER_ENV, "BROWSER_PATH"):
        value = os.environ.get(var)
        if value:
            if _is_exe(value):
                return Path(value)
            raise ExportUnavailable(
                f"PNG/SVG/PDF export needs Chromium, but {var}={value!r} is not an executable file. "
                f"Fix or unset {var}. {INSTALL_HINT}"
            )
    for cand in (shutil.which("chromium"), shutil.which("chromium-browser"), *_CANDIDATES):
        if cand and _is_exe(cand):
            return Path(cand)
    raise ExportUnavailable(f"PNG/SVG/PDF export needs Chromium, which is not installed. {INSTALL_HINT}")


def plotlyjs_path() -> Path:
    """plotly.js as shipped inside the installed plotly package (never a CDN)."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise ExportUnavailable(f"plotly.js is missing from the plotly package ({path}); reinstall plotly.")
    return path


def kaleido_options(browser: Path) -> dict[str, Any]:
    """Arguments for ``kaleido.Kaleido``: local plotly.js, no MathJax (its default is a CDN URL)."""
    return {
        "path": str(browser),
        "plotlyjs": plotlyjs_path(),
        "mathjax": False,
        "n": 1,
        "timeout": RENDER_TIMEOUT_S,
    }


class _Renderer:
    """One kaleido server (one Chromium) on a private event-loop thread, shared by all callers."""

    def __init__(self, browser: Path):
        import kaleido

        self.browser = browser
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()

        async def _open() -> Any:
            k = kaleido.Kaleido(**kaleido_options(browser))
            await k.open()
            return k

        try:
            self.kaleido = self._call(_open(), timeout=120)
        except BaseException:
            self._stop_loop()
            raise

    def _call(self, coro: Any, timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def render(self, fig: dict, opts: dict) -> bytes:
        return self._call(self.kaleido.calc_fig(fig, opts=opts), timeout=RENDER_TIMEOUT_S + 30)

    def close(self) -> None:
        # choreographer logs a harmless JSONError traceback when the pipe closes mid-message
        pipe_log = logging.getLogger("choreographer.channels.pipe")
        level = pipe_log.level
        pipe_log.setLevel(logging.CRITICAL)
        try:
            self._call(self.kaleido.close(), timeout=30)
        except Exception:  # noqa: BLE001 - the browser may already be gone; we are shutting down
            pass
        finally:
            self._stop_loop()
            pipe_log.setLevel(level)

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


_lock = threading.Lock()
_renderer: _Renderer | None = None


def _get_renderer() -> _Renderer:
    global _renderer
    browser = browser_path()
    with _lock:
        if _renderer is not None and _renderer.browser != browser:
            _renderer.close()
            _renderer = None
        if _renderer is None:
            try:
                _renderer = _Renderer(browser)
            except Exception as exc:
                raise ExportUnavailable(
                    f"Chromium at {browser} could not be started for image export ({exc!s:.300}). "
                    f"{INSTALL_HINT}"
                ) from exc
        return _renderer


def shutdown() -> None:
    """Close the shared Chromium (also done automatically at interpreter exit)."""
    global _renderer
    with _lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


atexit.register(shutdown)


def renderer_running() -> bool:
    return _renderer is not None


def prestart(background: bool = True) -> bool:
    """Start the shared Chromium now (e.g. when the Timeline page opens) so the first download is warm.

    Returns False when images are unavailable here (the download buttons can
    then say so up front); never raises.
    """
    try:
        browser_path()
    except ExportUnavailable:
        return False

    def _start() -> None:
        try:
            _get_renderer()
        except ExportUnavailable:
            pass

    if background:
        threading.Thread(target=_start, name="kaleido-prestart", daemon=True).start()
    else:
        _start()
    return True


def without_webgl(fig: go.Figure) -> go.Figure:
    """``scattergl`` traces redrawn as SVG ``scatter``, same data and style.

    Headless Chromium has no GPU: a WebGL trace takes seconds to rasterise in
    software, and in SVG/PDF it becomes an embedded bitmap. The chart keeps its
    marks bounded (level of detail), so plain SVG markers are fast and stay vector.
    """
    if not any(t.type == "scattergl" for t in fig.data):
        return fig
    data = []
    for trace in fig.data:
        if trace.type == "scattergl":
            props = trace.to_plotly_json()
            props.pop("type", None)
            data.append(go.Scatter(props, skip_invalid=True))
        else:
            data.append(trace)
    out = go.Figure(fig)
    out.data = ()
    out.add_traces(data)
    return out


def image_bytes(
    fig: go.Figure,
    fmt: str = "png",
    *,
    width: int = DEFAULT_WIDTH,
    height: int | None = None,
    scale: float = 1.0,
    template: Any = None,
) -> bytes:
    """Render ``fig`` as PNG, SVG or PDF bytes in the light export theme.

    ``height`` defaults to the figure's own height (``with_caption`` grows it
    to make room for the caption), else 700. PNG pixel size is
    ``width*scale`` x ``height*scale``. SVG/PDF are vector (one page) and
    ignore ``scale``: scaling them only makes a bigger page (a 1400 px wide
    PDF is 1050 pt, about 37 cm), not a sharper one.
    """
    fmt = fmt.lower()
    if fmt not in IMAGE_FORMATS:
        raise UserError(f"unknown image format {fmt!r}: use one of {', '.join(IMAGE_FORMATS)}")
    if width <= 0 or (height is not None and height <= 0) or scale <= 0:
        raise UserError(f"width, height and scale must be positive (got {width}, {height}, {scale})")
    themed = without_webgl(apply_export_theme(fig, template))
    h = int(height or themed.layout.height or DEFAULT_HEIGHT)
    opts = {"format": fmt, "width": int(width), "height": h, "scale": float(scale) if fmt == "png" else 1.0}
    spec = themed.to_dict()
    renderer = _get_renderer()
    try:
        return renderer.render(spec, opts)
    except Exception:
        # A crashed or closed browser: start a fresh one once, then give up loudly.
        shutdown()
        return _get_renderer().render(spec, opts)


def html_bytes(fig: go.Figure, *, template: Any = None) -> bytes:
    """One self-contained HTML page: plotly.js inline, no script fetched from anywhere."""
    themed = apply_export_theme(fig, template)
    html = themed.to_html(
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=True,
        config={"displaylogo": False, "responsive": True},
    )
    return html.encode("utf-8")
