"""The light theme every export uses, whatever Streamlit did to plotly's defaults.

Importing streamlit sets ``plotly.io.templates.default = "streamlit"``, whose
colorway is placeholder colours (#000001 ...) that only the Streamlit frontend
replaces: exported as-is, bars come out black. Exports therefore always carry an
explicit template: ``timeline.charts.TEMPLATE`` when the charts module defines
one (so the file looks like the screen), else a light template of our own.
"""
from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


def _fallback_template() -> go.layout.Template:
    base = go.layout.Template(pio.templates["plotly_white"])
    base.layout.update(
        font=dict(family=FONT_FAMILY, size=14, color="#222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                  "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"],
    )
    return base


def export_template() -> Any:
    """``timeline.charts.TEMPLATE`` if available, else a plotly_white-based light template."""
    try:
        from timeline.charts import TEMPLATE  # the app's own template: export looks like the screen
    except ImportError:
        return _fallback_template()
    return TEMPLATE


def apply_export_theme(fig: go.Figure, template: Any = None) -> go.Figure:
    """A copy of ``fig`` with an explicit light template and white paper (never Streamlit's)."""
    out = go.Figure(fig)
    out.update_layout(template=template if template is not None else export_template())
    if out.layout.paper_bgcolor is None:
        out.update_layout(paper_bgcolor="white")
    return out
