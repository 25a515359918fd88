"""Events per country on a world map (pure: frame -> ``go.Figure``).

Countries are the events' ISO alpha-3 codes (``events["countries"]``); an event with
participants from three countries counts once in each. The figure uses plotly's
``locationmode="ISO-3"``, whose shapes plotly.js loads from ``topojsonURL``: the
dashboard points that at the copy shipped in ``static/topojson`` (see its README),
never at a CDN.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

#: ``name`` of the choropleth trace (the page finds clicks on it by this name).
MAP_TRACE = "events per country"


def country_counts(events: pd.DataFrame) -> pd.DataFrame:
    """(country, n) per ISO alpha-3 code, most events first; an event counts once per country."""
    if events.empty or "countries" not in events:
        return pd.DataFrame({"country": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")})
    exploded = events[["id", "countries"]].explode("countries").dropna(subset=["countries"])
    exploded = exploded.drop_duplicates()
    counts = exploded.groupby("countries")["id"].size().sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"country": counts.index.astype(object), "n": counts.to_numpy(np.int64)})


def country_name(code: str) -> str:
    """The country's common name ("DEU" -> "Germany"), the code itself when unknown."""
    import pycountry

    found = pycountry.countries.get(alpha_3=str(code))
    if found is None:
        return str(code)
    return getattr(found, "common_name", None) or found.name


def map_figure(events: pd.DataFrame, selected: Iterable[str] = (), *,
               template: go.layout.Template | None = None, height: int = 340) -> go.Figure:
    """A choropleth of events per country; ``selected`` countries are outlined in red.

    ``customdata`` of each location is its ISO code (a click on it picks the country).
    """
    from timeline.charts import CONFLICT_COLOR, TEMPLATE, _esc

    counts = country_counts(events)
    chosen = set(selected)
    names = [country_name(c) for c in counts["country"]]
    fig = go.Figure()
    fig.update_layout(template=template or TEMPLATE)
    if len(counts):
        fig.add_trace(go.Choropleth(
            locations=list(counts["country"]), z=counts["n"].tolist(), locationmode="ISO-3",
            customdata=list(counts["country"]), text=[_esc(n) for n in names],
            colorscale="Blues", zmin=0, zmax=int(counts["n"].max()),
            colorbar=dict(title=dict(text="events"), thickness=10, len=0.8),
            marker=dict(line=dict(width=[2.5 if c in chosen else 0.5 for c in counts["country"]],
                                  color=[CONFLICT_COLOR if c in chosen else "#8a8a8a"
                                         for c in counts["country"]])),
            hovertemplate="%{text} (%{location}): %{z} events<br>click to filter<extra></extra>",
            name=MAP_TRACE,
        ))
        subtitle = (f"{len(counts)} countries · {int(counts['n'].sum()):,} event-country pairs"
                    " · click a country to filter")
    else:
        subtitle = "no event has a country"
    fig.update_layout(
        title=dict(text=f"Events per country<br><sup>{_esc(subtitle)}</sup>", x=0.01,
                   xanchor="left", font=dict(size=14)),
        height=height, margin=dict(l=0, r=0, t=50, b=0),
        geo=dict(projection_type="natural earth", showframe=False, showcoastlines=False,
                 showcountries=True, countrycolor="#c8c8c8", showland=True, landcolor="#f4f4f4",
                 lataxis=dict(range=[-58, 85]), resolution=110, bgcolor="white"),
        meta={"countries": list(counts["country"])},
    )
    return fig
