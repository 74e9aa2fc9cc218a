"""The report's time section: articles over time by where the date came from, and the
most-named people over time."""

from __future__ import annotations

from typing import Any

import duckdb

from flows.analysis.report.charts import (
    COLOURS,
    Section,
    count_axis,
    empty_figure,
    label,
    log_toggle,
    new_figure,
    rows,
)

TOP_PEOPLE = 6
_RANGE_BUTTONS = [
    {"count": 7, "label": "7 days", "step": "day", "stepmode": "backward"},
    {"count": 1, "label": "1 month", "step": "month", "stepmode": "backward"},
    {"count": 6, "label": "6 months", "step": "month", "stepmode": "backward"},
    {"count": 1, "label": "1 year", "step": "year", "stepmode": "backward"},
    {"step": "all", "label": "all"},
]


def time_axis() -> dict[str, Any]:
    """A date axis with a range selector and a range slider."""
    return {
        "type": "date",
        "rangeselector": {"buttons": _RANGE_BUTTONS},
        "rangeslider": {"visible": True, "thickness": 0.08},
        "automargin": True,
    }


def time_bin(con: duckdb.DuckDBPyConnection) -> str:
    """The bar width that keeps bars visible: day up to 3 months of data, week up to 3 years,
    else month."""
    span = rows(con, "select coalesce(max(day) - min(day), 0) from article_dates")[0][0]
    return "day" if span <= 92 else "week" if span <= 3 * 366 else "month"


def articles_over_time(con: duckdb.DuckDBPyConnection) -> Any:
    """Articles per day (week, month), stacked by date source (the ingest day when a page gives
    none)."""
    import plotly.graph_objects as go

    unit = time_bin(con)
    title = f"Articles per {unit} (by publication date; the ingest day when the page gives none)"
    data = rows(
        con,
        f"select date_trunc('{unit}', day) as bin, date_source, count(*) from article_dates "
        "group by all order by bin, date_source",
    )
    if not data:
        return empty_figure(title, "articles")
    figure = new_figure(title, height=460)
    sources = sorted({r[1] for r in data}, key=lambda s: (s == "ingested", s))
    for colour, source in zip(COLOURS, sources, strict=False):
        points = [(r[0], r[2]) for r in data if r[1] == source]
        name = "ingest day (no date given)" if source == "ingested" else f"date from {source}"
        figure.add_trace(
            go.Bar(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                name=label(name),
                marker_color="#bbbbbb" if source == "ingested" else colour,
                hovertemplate=f"{unit} of "
                + "%{x|%Y-%m-%d}: %{y:,d} articles<extra>"
                + label(name)
                + "</extra>",
            )
        )
    per_bin: dict[Any, int] = {}
    for when, _, n in data:
        per_bin[when] = per_bin.get(when, 0) + n
    figure.update_layout(
        barmode="stack",
        xaxis=time_axis(),
        yaxis=count_axis(max(per_bin.values()), "articles"),
        legend={"orientation": "h", "y": -0.35},
        updatemenus=log_toggle("yaxis"),
    )
    return figure


def people_over_time(con: duckdb.DuckDBPyConnection) -> Any:
    """Articles naming each of the most-named people, per day (week, month), gaps as zero."""
    import plotly.graph_objects as go

    unit = time_bin(con)
    title = f"The {TOP_PEOPLE} most-named people: articles naming them per {unit}"
    data = rows(
        con,
        f"""
        with top as (
            select entity_id, any_value(name) as name from entity_timeline where type = 'PERSON'
            group by entity_id order by sum(articles) desc, any_value(name) limit $top
        ),
        bins as (
            select unnest(generate_series(date_trunc('{unit}', min(day)),
                                          date_trunc('{unit}', max(day)),
                                          interval 1 {unit})) as bin
            from article_dates
        ),
        counted as (
            select entity_id, date_trunc('{unit}', day) as bin, sum(articles) as n
            from entity_timeline where entity_id in (select entity_id from top) group by all
        )
        select t.name, b.bin, coalesce(c.n, 0)
        from top t cross join bins b
        left join counted c on c.entity_id = t.entity_id and c.bin = b.bin
        order by t.name, b.bin
        """,
        {"top": TOP_PEOPLE},
    )
    if not data:
        return empty_figure(title, "people")
    figure = new_figure(title, height=460)
    for colour, name in zip(COLOURS, sorted({r[0] for r in data}), strict=False):
        points = [(r[1], int(r[2])) for r in data if r[0] == name]
        figure.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                name=label(name),
                mode="lines",
                line={"color": colour, "shape": "hv"},
                hovertemplate=f"{unit} of " + "%{x|%Y-%m-%d}: %{y:,d} articles"
                "<extra>%{fullData.name}</extra>",
            )
        )
    largest = max(int(r[2]) for r in data)
    figure.update_layout(xaxis=time_axis(), yaxis=count_axis(largest, f"articles per {unit}"))
    return figure


def time_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Articles per day and the most-named people over time."""
    undated = rows(
        con, "select count(*) filter (date_source = 'ingested'), count(*) from article_dates"
    )
    missing, total = undated[0]
    intro = (
        f"{missing:,} of {total:,} articles give no publication date: they count on the day "
        "they were ingested (grey), as `date_source = 'ingested'` in the views. Drag the "
        "slider or pick a range to zoom."
    )
    return Section("time", "Over time", intro, [articles_over_time(con), people_over_time(con)])
