"""The report's quality sections: rejects, near-duplicates and data-quality figures."""

from __future__ import annotations

import html
from typing import Any

import duckdb

from flows.analysis.report.charts import (
    COLOURS,
    Section,
    bar_chart,
    count_axis,
    empty_figure,
    html_table,
    new_figure,
    rows,
)
from flows.analysis.report.sites import NO_SITE

TOP_GROUPS = 25
# files written before dup_group existed: an original and its copies share duplicate_of
GROUP = "coalesce(dup_group, duplicate_of, article_id)"

# (what, SQL giving (count, out of)); each a share an analyst should know before grouping
QUALITY_MEASURES = (
    (
        "articles with no publication date (counted on their ingest day)",
        "select count(*) filter (published_at is null), count(*) from articles",
    ),
    (
        "articles with no known site",
        f"select count(*) filter ({NO_SITE}), count(*) from articles",
    ),
    (
        "links that resolve to no ingested article",
        "select (select count(*) from links) - (select count(*) from resolved_links), "
        "(select count(*) from links)",
    ),
    (
        "links whose is_internal is unknown (a domain unknown)",
        "select count(*) filter (is_internal is null), count(*) from links",
    ),
    (
        "entities whose mentions carry more than one model label",
        "select count(*) filter (labels > 1), count(*) from (select entity_id, "
        "count(distinct label) as labels from mentions group by entity_id)",
    ),
    (
        "articles whose entities were not looked for (no model for their language, or the"
        " run did without entities): no mentions says nothing about them",
        "select count(*) filter (coalesce(entities_status, 'extracted') <> 'extracted'), "
        "count(*) from articles",
    ),
    (
        "articles that repeat another (duplicate_of set)",
        "select count(*) filter (duplicate_of is not null), count(*) from articles",
    ),
)


def quality_figures(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(what, count, out of) for each data-quality measure."""
    measured = []
    for what, sql in QUALITY_MEASURES:
        count, total = rows(con, sql)[0]
        measured.append((what, int(count or 0), int(total or 0)))
    return measured


def quality_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Shares of undated articles, unresolved links, entities of mixed labels and the like."""
    measured = quality_figures(con)
    body = [
        [
            html.escape(what),
            f"{count:,}",
            f"{total:,}",
            f"{100 * count / total:.1f}%" if total else "–",
        ]
        for what, count, total in measured
    ]
    table = html_table(["measure", "count", "out of", "share"], body, "quality-table")
    intro = "What to know before grouping or counting: each share is of the table's rows."
    return Section("quality", "Data quality", intro, [], table)


def rejects_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Inputs that could not become articles, by stage and reason, with an example each."""
    data = rows(
        con,
        "select stage || ': ' || error_type, count(*), min(source_path) from rejects "
        "group by 1 order by 2 desc, 1",
    )
    figure = bar_chart(
        "Rejects by stage and reason", [(r[0], int(r[1])) for r in data], "rejects", "inputs"
    )
    table = html_table(
        ["reason", "inputs", "example input"],
        [[html.escape(r[0]), f"{r[1]:,}", f"<code>{html.escape(r[2])}</code>"] for r in data],
    )
    intro = "Every input that did not become an article is one row in `rejects`, with its reason."
    return Section("rejects", "Rejects", intro, [figure], table)


def duplicate_similarity(con: duckdb.DuckDBPyConnection) -> Any:
    """How close each copy is to its original (estimated Jaccard of word 5-grams)."""
    import plotly.graph_objects as go

    title = "Near-duplicates: similarity of each copy to its original"
    data = rows(
        con,
        "select round(dup_similarity, 2) as s, count(*) from articles "
        "where duplicate_of is not null and dup_similarity is not null group by 1 order by 1",
    )
    if not data:
        return empty_figure(title, "duplicates")
    figure = new_figure(title, height=320)
    figure.add_trace(
        go.Bar(
            x=[r[0] for r in data],
            y=[r[1] for r in data],
            width=0.02,
            marker_color=COLOURS[1],
            hovertemplate="similarity %{x:.2f}: %{y:,d} copies<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={
            "title": {"text": "estimated Jaccard similarity (1 = exact copy)"},
            "range": [0, 1.05],
        },
        yaxis=count_axis(max(r[1] for r in data), "copies"),
    )
    return figure


def duplicates_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Duplicate groups: how many, how similar, and the largest ones."""
    groups = rows(
        con,
        f"""
        select any_value(title order by duplicate_of is not null, article_id) as title,
               count(*) as articles, count(distinct site_domain) as sites,
               min(dup_similarity) as lowest, {GROUP} as dup_group
        from articles group by all having count(*) > 1
        order by articles desc, title, dup_group limit {TOP_GROUPS}
        """,
    )
    total = rows(
        con,
        "select count(*), coalesce(sum(n), 0) from (select count(*) as n from articles "
        f"group by {GROUP} having count(*) > 1)",
    )[0]
    body = [
        [
            html.escape(title or "(untitled)"),
            f"{n:,}",
            f"{sites:,}",
            "–" if lowest is None else f"{lowest:.2f}",
            f"<code>{html.escape(str(group))}</code>",
        ]
        for title, n, sites, lowest, group in groups
    ]
    table = html_table(["story", "articles", "sites", "lowest similarity", "dup_group"], body)
    intro = (
        f"{total[0]:,} stories appear more than once ({total[1]:,} articles in all); "
        "`dup_group` groups an original with its copies."
    )
    return Section("duplicates", "Duplicates", intro, [duplicate_similarity(con)], table)
