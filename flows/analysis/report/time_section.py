"""The report's time section: articles over time by where the date came from, and the
most-named people over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
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
FAR_OUT = 3
"""Tukey's "far out": a day beyond three interquartile ranges from the quartiles."""
MIN_SPREAD_DAYS = 60
"""The interquartile range counted as at least this (a burst of news on a few days does not
make an article two weeks away an outlier)."""


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """The days the time charts show, and the articles dated outside them (far outliers)."""

    first: date
    last: date
    left_out: int
    examples: tuple[date, ...]

    def where(self, column: str = "day") -> str:
        """A SQL condition keeping `column` inside the window."""
        return f"{column} between DATE '{self.first}' and DATE '{self.last}'"


def time_window(con: duckdb.DuckDBPyConnection) -> TimeWindow | None:
    """The days inside Tukey's far-out fences of `article_dates.day`; None for no article."""
    q1, q3 = rows(
        con, "select quantile_disc(day, 0.25), quantile_disc(day, 0.75) from article_dates"
    )[0]
    if q1 is None:
        return None
    reach = timedelta(days=FAR_OUT * max((q3 - q1).days, MIN_SPREAD_DAYS))
    low, high = q1 - reach, q3 + reach
    first, last, left_out = rows(
        con,
        "select min(day) filter (day >= $low), max(day) filter (day <= $high), "
        "count(*) filter (day < $low or day > $high) from article_dates",
        {"low": low, "high": high},
    )[0]
    examples = rows(
        con,
        "select distinct day from article_dates where day < $low or day > $high "
        "order by abs(day - $middle) desc, day limit 3",
        {"low": low, "high": high, "middle": q1 + (q3 - q1) / 2},
    )
    return TimeWindow(first, last, int(left_out), tuple(r[0] for r in examples))


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


def time_bin(window: TimeWindow | None) -> str:
    """The bar width that keeps bars visible: day up to 3 months of data, week up to 3 years,
    else month."""
    span = (window.last - window.first).days if window else 0
    return "day" if span <= 92 else "week" if span <= 3 * 366 else "month"


def articles_over_time(con: duckdb.DuckDBPyConnection, window: TimeWindow | None) -> Any:
    """Articles per day (week, month), stacked by date source (the ingest day when a page gives
    none), inside the window."""
    import plotly.graph_objects as go

    unit = time_bin(window)
    title = f"Articles per {unit} (by publication date; the ingest day when the page gives none)"
    data = rows(
        con,
        f"select date_trunc('{unit}', day) as bin, date_source, count(*) from article_dates "
        f"where {window.where() if window else 'true'} group by all order by bin, date_source",
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


def people_over_time(con: duckdb.DuckDBPyConnection, window: TimeWindow | None) -> Any:
    """Articles naming each of the most-named people, per day (week, month), gaps as zero,
    inside the window."""
    import plotly.graph_objects as go

    unit = time_bin(window)
    inside = window.where() if window else "true"
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
            from article_dates where {inside}
        ),
        counted as (
            select entity_id, date_trunc('{unit}', day) as bin, sum(articles) as n
            from entity_timeline where entity_id in (select entity_id from top) and {inside}
            group by all
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


def _left_out_text(window: TimeWindow | None) -> str:
    if window is None or not window.left_out:
        return ""
    days = ", ".join(d.isoformat() for d in window.examples)
    more = ", …" if window.left_out > len(window.examples) else ""
    article = "article is" if window.left_out == 1 else "articles are"
    return (
        f" {window.left_out:,} {article} dated far from the rest ({days}{more}) and left out "
        f"of these charts, which show {window.first} to {window.last} (far: more than "
        f"{FAR_OUT} interquartile ranges beyond the middle half of the days); `article_dates` "
        "has them."
    )


def time_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Articles per day and the most-named people over time, far outliers left out."""
    undated = rows(
        con, "select count(*) filter (date_source = 'ingested'), count(*) from article_dates"
    )
    missing, total = undated[0]
    window = time_window(con)
    intro = (
        f"{missing:,} of {total:,} articles give no publication date: they count on the day "
        "they were ingested (grey), as `date_source = 'ingested'` in the views."
        f"{_left_out_text(window)} Drag the slider or pick a range to zoom."
    )
    figures = [articles_over_time(con, window), people_over_time(con, window)]
    return Section("time", "Over time", intro, figures)
