"""What every section of the report shares: a section record, safe labels, count axes, bars.

Plotly reads text as its own small HTML dialect (and `$…$` as TeX): every label from the
data goes through `label()` and every figure is drawn with `typesetMath` off, so a name with
`<`, `&` or two `$` shows as written.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import duckdb

TOP_N = 20
PLOT_CONFIG = {"displaylogo": False, "responsive": True, "typesetMath": False}
COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3")

# spaCy's OntoNotes labels, in words for the legend
TYPE_WORDS = {
    "PERSON": "people",
    "ORG": "organisations",
    "GPE": "countries, cities, states",
    "LOC": "other places (regions, seas, mountains)",
    "NORP": "nationalities, religious and political groups",
    "FAC": "buildings, airports, roads, bridges",
    "EVENT": "named events",
    "PRODUCT": "products",
    "WORK_OF_ART": "titles of works",
    "LAW": "laws and treaties",
    "MISC": "other names (French articles: events, works, products, nationalities)",
}


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the page: its figures (plotly) and any HTML (tables) beside them."""

    key: str
    title: str
    intro: str
    figures: list[Any] = field(default_factory=list)
    html: str = ""


def label(text: object) -> str:
    """A value as plotly text that shows as written (HTML-escaped; `null` for None)."""
    return html.escape("null" if text is None else str(text), quote=False)


def type_words(type_: str | None) -> str:
    """An entity type in words: `people (PERSON)`."""
    if type_ is None:
        return "unknown type"
    words = TYPE_WORDS.get(type_)
    return f"{words} ({type_})" if words else type_


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    """The rows of one query."""
    return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()


def count_axis(largest: float, title: str, log: bool = False) -> dict[str, Any]:
    """An axis of counts: whole-number ticks, from zero (or log-scaled), never cut."""
    axis: dict[str, Any] = {"title": {"text": title}, "automargin": True, "tickformat": ",d"}
    if log:
        axis["type"] = "log"
    else:
        axis["rangemode"] = "tozero"
        if largest <= 10:
            axis["dtick"] = 1
    return axis


def new_figure(title: str, height: int = 420) -> Any:
    """An empty figure with the report's layout."""
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.update_layout(
        title={"text": label(title)},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        hoverlabel={"align": "left"},
    )
    return figure


def empty_figure(title: str, what: str) -> Any:
    """A figure that says there is nothing to draw yet."""
    figure = new_figure(title, height=200)
    figure.add_annotation(
        text=f"no {label(what)} yet", showarrow=False, font={"size": 16, "color": "grey"}
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def entity_labels(entities: list[tuple[Any, ...]]) -> list[str]:
    """(id, name, type, …) rows as axis labels, the type added where a name repeats (one
    label per entity: plotly merges equal categories)."""
    names = [str(e[1]) for e in entities]
    return [
        label(f"{n} ({e[2]})" if names.count(n) > 1 else n)
        for n, e in zip(names, entities, strict=True)
    ]


def colour_bar(title: str, largest: float) -> dict[str, Any]:
    """A colour bar of counts: whole numbers, one tick each when there are few."""
    bar: dict[str, Any] = {"title": {"text": title}, "tickformat": ",d"}
    if largest <= 10:
        bar["dtick"] = 1
    return bar


def log_toggle(axis: str) -> list[dict[str, Any]]:
    """Buttons that switch a count axis between linear and log scale."""
    buttons = [
        {"label": "linear", "method": "relayout", "args": [{f"{axis}.type": "linear"}]},
        {"label": "log scale", "method": "relayout", "args": [{f"{axis}.type": "log"}]},
    ]
    return [{"type": "buttons", "direction": "right", "x": 1, "y": 1.12, "buttons": buttons}]


def top_with_rest(
    values: list[tuple[str, int]], counted: str, top: int = TOP_N
) -> tuple[list[tuple[str, int]], str]:
    """The `top` largest (label, count) pairs, and the rest: one `N others` bar when it is no
    longer than the longest bar, else a note saying what was left out (it would dominate)."""
    head, rest = values[:top], values[top:]
    if not rest:
        return head, ""
    total = sum(n for _, n in rest)
    if total <= max(n for _, n in head):
        return [*head, (f"{len(rest):,} others", total)], ""
    smallest, largest = min(n for _, n in rest), max(n for _, n in rest)
    each = f"{smallest:,}" if smallest == largest else f"{smallest:,}–{largest:,}"
    return head, f"not drawn: {len(rest):,} others with {total:,} {counted} in all ({each} each)"


def bar_chart(title: str, values: list[tuple[str, int]], what: str, counted: str) -> Any:
    """Horizontal bars of counts, largest on top, top-N plus the rest, with a log toggle."""
    import plotly.graph_objects as go

    if not values:
        return empty_figure(title, what)
    shown, left_out = top_with_rest(values, counted)
    figure = new_figure(title, height=max(260, 26 * len(shown) + 120))
    if left_out:
        figure.update_layout(title_text=f"{label(title)}<br><sup>{label(left_out)}</sup>")
    figure.add_trace(
        go.Bar(
            x=[n for _, n in shown][::-1],
            y=[label(name) for name, _ in shown][::-1],
            orientation="h",
            marker_color=COLOURS[0],
            hovertemplate="%{y}: %{x:,d} " + label(counted) + "<extra></extra>",
        )
    )
    largest = max(n for _, n in shown)
    figure.update_layout(
        xaxis=count_axis(largest, counted),
        yaxis={"automargin": True, "type": "category"},
        updatemenus=log_toggle("xaxis"),
    )
    return figure


def square_heat_map(
    title: str,
    keys: list[Any],
    names: list[str],
    cells: dict[tuple[Any, Any], int],
    counted: str,
    colours: str,
) -> Any:
    """A heat map of counts between every two of `keys` (rows: from, columns: to), each
    count written in its cell; `names` label the keys (plotly text already)."""
    import plotly.graph_objects as go

    z = [[cells.get((a, b)) for b in keys] for a in keys]
    figure = new_figure(title, height=max(380, 30 * len(keys) + 200))
    figure.add_trace(
        go.Heatmap(
            z=z,
            x=names,
            y=names,
            colorscale=colours,
            hoverongaps=False,
            text=[[str(v) if v else "" for v in row] for row in z],
            texttemplate="%{text}",
            hovertemplate="%{y} → %{x}: %{z:,d} " + label(counted) + "<extra></extra>",
            colorbar=colour_bar(counted, max(cells.values(), default=1)),
        )
    )
    figure.update_layout(
        xaxis={"automargin": True, "type": "category", "tickangle": -45},
        yaxis={"automargin": True, "type": "category", "autorange": "reversed"},
    )
    return figure


def html_table(columns: list[str], body: list[list[str]], table_id: str = "") -> str:
    """An HTML table; `body` cells are HTML already (escape data with `html.escape`)."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    rows_html = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body)
    attribute = f" id='{table_id}'" if table_id else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>"


def safe_link(url: str | None, text: str) -> str:
    """`text` as a link to `url` when it is an http(s) URL, else plain (both escaped)."""
    shown = html.escape(text)
    if url and url.lower().startswith(("http://", "https://")):
        return f"<a href='{html.escape(url, quote=True)}' rel='noopener'>{shown}</a>"
    return shown
