"""The report's map: geocoded places sized by the articles naming them, on an offline world."""

from __future__ import annotations

import math
from typing import Any

import duckdb

from flows.analysis.report.charts import Section, empty_figure, label, new_figure, rows
from flows.analysis.report.land import LAND_CAPTION

MAP_LABELS = 12


def places_map(con: duckdb.DuckDBPyConnection) -> Any:
    """Places that resolved to a point; marker area grows with the articles naming them."""
    import plotly.graph_objects as go

    title = "Places named in the articles (size: articles naming them)"
    data = rows(
        con,
        """
        select e.name, e.country_code, e.latitude, e.longitude,
               count(distinct m.article_id) as articles
        from entities e left join _resolved_mentions m on m.resolved_id = e.entity_id
        where e.latitude is not null and e.longitude is not null
        group by all order by articles desc, e.name
        """,
    )
    if not data:
        return empty_figure(title, "geocoded places")
    largest = max(max(r[4] for r in data), 1)
    figure = new_figure(title, height=560)
    figure.add_trace(
        go.Scattergeo(
            lon=[r[3] for r in data],
            lat=[r[2] for r in data],
            text=[label(r[0]) if i < MAP_LABELS else "" for i, r in enumerate(data)],
            customdata=[[label(r[0]), label(r[1] or "?"), r[4]] for r in data],
            mode="markers+text",
            textposition="top center",
            textfont={"size": 10},
            marker={
                "size": [6 + 30 * math.sqrt(r[4] / largest) for r in data],
                "color": "#dd8452",
                "opacity": 0.75,
                "line": {"width": 0.5, "color": "#884422"},
            },
            hovertemplate="%{customdata[0]} (%{customdata[1]}): %{customdata[2]:,d} articles"
            "<extra></extra>",
        )
    )
    figure.update_geos(
        projection_type="natural earth",
        showland=True,
        landcolor="#e4e0d4",
        showcoastlines=True,
        coastlinecolor="#8a8577",
        showocean=True,
        oceancolor="#f4f8fb",
        showlakes=True,
        lakecolor="#f4f8fb",
        showcountries=True,
        countrycolor="#bdb7a6",
        showframe=True,
    )
    return figure


def places_section(con: duckdb.DuckDBPyConnection) -> Section:
    """The map of geocoded places."""
    counts = rows(
        con,
        "select count(*) filter (latitude is not null), "
        "count(*) filter (type in ('GPE', 'LOC', 'FAC')) from entities",
    )
    located, places = counts[0]
    intro = (
        f"{located:,} of {places:,} places resolved to a point. Scroll to zoom, drag to pan. "
        + LAND_CAPTION
    )
    return Section("places", "Places", intro, [places_map(con)])
