"""The HTML report: one self-contained page of figures over the processed tables.

Every figure is a matplotlib PNG embedded as base64, so the page opens from disk, by mail or
as a CI artifact with nothing beside it. Numbers come from the query layer's views.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from flows.analysis.query import connect
from flows.storage import filesystem, is_local

REPORT_NAME = "_report.html"
TOP_ENTITIES_PER_TYPE = 8
NETWORK_NODES = 20
SITE_SQL = "coalesce(site_name, site_domain, split_part(source_path, '/', 1))"

_LOADED_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.querySelectorAll("img.figure"));
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute("data-figures", String(imgs.length));
  document.body.setAttribute("data-figures-loaded", String(ok.length));
  document.body.setAttribute("data-loaded", ok.length === imgs.length ? "true" : "false");
});
</script>
"""


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of the report: an id, a title, a PNG and the rows it was drawn from."""

    key: str
    title: str
    png: bytes
    rows: list[tuple[Any, ...]]
    columns: tuple[str, ...]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buffer.getvalue()


def _new_figure(width: float = 8, height: float = 4) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def _empty(ax: Any, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} yet", ha="center", va="center", fontsize=14, color="grey")
    ax.set_axis_off()


def _bar_figure(
    key: str, title: str, rows: list[tuple[Any, ...]], columns: tuple[str, str], what: str
) -> Figure:
    fig, ax = _new_figure(8, max(3.0, 0.3 * len(rows) + 1))
    if rows:
        labels = [str(r[0]) for r in rows][::-1]
        ax.barh(labels, [r[1] for r in rows][::-1], color="#4c72b0")
        ax.set_xlabel(columns[1])
    else:
        _empty(ax, what)
    ax.set_title(title)
    return Figure(key, title, _png(fig), rows, columns)


def articles_per_day(con: duckdb.DuckDBPyConnection) -> Figure:
    """Articles per day, by publication date (UTC), else ingest date."""
    rows = _rows(
        con,
        "select coalesce(cast(published_at as date), ingest_date) as day, count(*) "
        "from articles group by 1 order by 1",
    )
    title = "Articles per day (published, else ingested)"
    fig, ax = _new_figure()
    if rows:
        ax.bar([str(r[0]) for r in rows], [r[1] for r in rows], color="#4c72b0")
        ax.set_ylabel("articles")
        ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    else:
        _empty(ax, "articles")
    ax.set_title(title)
    return Figure("articles-per-day", title, _png(fig), rows, ("day", "articles"))


def articles_per_site(con: duckdb.DuckDBPyConnection) -> Figure:
    """Articles per site (the raw folder when the page names no site)."""
    rows = _rows(
        con, f"select {SITE_SQL} as site, count(*) as n from articles group by 1 order by 2 desc, 1"
    )
    return _bar_figure(
        "articles-per-site", "Articles per site", rows, ("site", "articles"), "articles"
    )


def top_entities_by_type(con: duckdb.DuckDBPyConnection) -> Figure:
    """The most mentioned entities of each type (by articles naming them; a surname-only
    person counts toward the full name it is `same_as`)."""
    rows = _rows(
        con,
        "select e.type, e.name, count(distinct m.article_id) as articles "
        "from _resolved_mentions m join entities e on e.entity_id = m.resolved_id "
        "group by e.type, e.name "
        f"qualify row_number() over (partition by e.type order by articles desc, e.name) "
        f"<= {TOP_ENTITIES_PER_TYPE} order by e.type, articles desc, e.name",
    )
    title = "Top entities by type (articles mentioning them)"
    types = sorted({r[0] for r in rows})
    columns_count = 2
    grid_rows = max(1, math.ceil(len(types) / columns_count))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(grid_rows, columns_count, figsize=(10, 2.6 * grid_rows), squeeze=False)
    flat = [ax for line in axes for ax in line]
    for ax, type_ in zip(flat, types, strict=False):
        these = [r for r in rows if r[0] == type_][::-1]
        ax.barh([str(r[1])[:30] for r in these], [r[2] for r in these], color="#55a868")
        ax.set_title(type_, fontsize=10)
        ax.tick_params(axis="y", labelsize=8)
    for ax in flat[len(types) :]:
        ax.set_axis_off()
    if not types:
        _empty(flat[0], "entities")
    fig.suptitle(title)
    fig.tight_layout()
    return Figure("top-entities", title, _png(fig), rows, ("type", "entity", "articles"))


def cooccurrence_network(con: duckdb.DuckDBPyConnection) -> Figure:
    """The most mentioned entities on a circle, joined by how many articles name both."""
    nodes = _rows(
        con,
        "select e.entity_id, e.name, e.type, count(distinct m.article_id) as articles "
        "from _resolved_mentions m join entities e on e.entity_id = m.resolved_id "
        "group by all "
        f"order by articles desc, e.name limit {NETWORK_NODES}",
    )
    ids = [n[0] for n in nodes]
    edges: list[tuple[Any, ...]] = []
    if ids:
        edges = con.execute(
            "select entity_name, other_name, articles from entity_cooccurrence "
            "where entity_id < other_id and list_contains($ids, entity_id) "
            "and list_contains($ids, other_id) order by articles desc, 1, 2",
            {"ids": ids},
        ).fetchall()
    title = f"Co-occurrence of the top {len(nodes)} entities (edge width: articles naming both)"
    fig, ax = _new_figure(9, 9)
    if nodes:
        position = {
            n[1]: (
                math.cos(2 * math.pi * i / len(nodes)),
                math.sin(2 * math.pi * i / len(nodes)),
            )
            for i, n in enumerate(nodes)
        }
        heaviest = max((e[2] for e in edges), default=1)
        for a, b, weight in edges:
            (x1, y1), (x2, y2) = position[a], position[b]
            ax.plot([x1, x2], [y1, y2], color="#8172b2", alpha=0.5, lw=0.5 + 4 * weight / heaviest)
        colours = {"PERSON": "#c44e52", "ORG": "#4c72b0", "GPE": "#55a868", "LOC": "#55a868"}
        for name, _type, articles in ((n[1], n[2], n[3]) for n in nodes):
            x, y = position[name]
            ax.scatter(
                [x], [y], s=80 + 40 * articles, color=colours.get(_type, "#937860"), zorder=3
            )
            ax.annotate(
                name[:28], (x, y), xytext=(x * 1.12, y * 1.12), ha="center", va="center", fontsize=8
            )
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.4, 1.4)
        ax.set_axis_off()
    else:
        _empty(ax, "entities")
    ax.set_title(title)
    return Figure("cooccurrence-network", title, _png(fig), edges, ("entity", "other", "articles"))


def geocoded_places(con: duckdb.DuckDBPyConnection) -> Figure:
    """Places that resolved to a point, sized by articles mentioning them."""
    rows = _rows(
        con,
        "select e.name, e.country_code, e.latitude, e.longitude, "
        "count(distinct m.article_id) as articles "
        "from entities e left join mentions m using (entity_id) "
        "where e.latitude is not null and e.longitude is not null "
        "group by all order by articles desc, e.name",
    )
    title = "Geocoded places (size: articles mentioning them)"
    fig, ax = _new_figure(10, 5)
    if rows:
        ax.scatter(
            [r[3] for r in rows],
            [r[2] for r in rows],
            s=[20 + 30 * r[4] for r in rows],
            alpha=0.6,
            color="#dd8452",
        )
        for r in rows[:15]:
            ax.annotate(r[0], (r[3], r[2]), fontsize=7)
        ax.set_xlim(-180, 180)
        ax.set_ylim(-90, 90)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.grid(alpha=0.3)
    else:
        _empty(ax, "geocoded places")
    ax.set_title(title)
    columns = ("place", "country", "latitude", "longitude", "articles")
    return Figure("geocoded-places", title, _png(fig), rows, columns)


def rejects_by_reason(con: duckdb.DuckDBPyConnection) -> Figure:
    """Inputs that could not become articles, by reason."""
    rows = _rows(
        con,
        "select stage || ': ' || error_type as reason, count(*) from rejects "
        "group by 1 order by 2 desc, 1",
    )
    return _bar_figure(
        "rejects-by-reason", "Rejects by reason", rows, ("reason", "inputs"), "rejects"
    )


FIGURES = (
    articles_per_day,
    articles_per_site,
    top_entities_by_type,
    cooccurrence_network,
    geocoded_places,
    rejects_by_reason,
)


def build_figures(con: duckdb.DuckDBPyConnection) -> list[Figure]:
    """Every figure of the report, in page order."""
    return [make(con) for make in FIGURES]


def _table_html(figure: Figure, limit: int = 30) -> str:
    if not figure.rows:
        return ""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in figure.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in figure.rows[:limit]
    )
    more = len(figure.rows) - limit
    note = f"<p class='more'>{more} more rows not shown.</p>" if more > 0 else ""
    return (
        f"<details><summary>Data ({len(figure.rows)} rows)</summary>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</details>"
    )


def report_html(figures: list[Figure], counts: dict[str, int], source: str) -> str:
    """The page: table counts, then each figure as an inline PNG with its data below it."""
    counts_html = "".join(
        f"<tr><td>{html.escape(t)}</td><td>{n:,}</td></tr>" for t, n in counts.items()
    )
    sections = "".join(
        f"<section id='{f.key}'><h2>{html.escape(f.title)}</h2>"
        f"<img class='figure' id='fig-{f.key}' alt='{html.escape(f.title)}' "
        f"src='data:image/png;base64,{base64.b64encode(f.png).decode()}'>"
        f"{_table_html(f)}</section>"
        for f in figures
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>newsetl report</title><style>"
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        "img.figure{max-width:100%;display:block}table{border-collapse:collapse;font-size:13px}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}section{margin:2em 0}"
        "</style></head><body>"
        f"<h1>newsetl report</h1><p>Tables in <code>{html.escape(source)}</code>, "
        f"generated {generated}.</p>"
        f"<table><thead><tr><th>table</th><th>rows</th></tr></thead><tbody>{counts_html}"
        f"</tbody></table>{sections}{_LOADED_SCRIPT}</body></html>\n"
    )


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table."""
    names = ("articles", "entities", "mentions", "links", "rejects")
    return {n: int(con.execute(f"select count(*) from {n}").fetchall()[0][0]) for n in names}


def write_report(out: str, html_path: str | None = None) -> str:
    """Build the report of the tables under `out` and write it (default `out/_report.html`)."""
    con = connect(out)
    try:
        page = report_html(build_figures(con), table_counts(con), out)
    finally:
        con.close()
    if html_path is None:
        fs, root = filesystem(out)
        target = f"{root}/{REPORT_NAME}"
        if not is_local(out):
            with fs.open(target, "w", encoding="utf-8") as handle:
                handle.write(page)
            return target
        html_path = target
    path = Path(html_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return str(path)
