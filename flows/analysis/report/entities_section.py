"""The report's entities section: the most-named entities by type, a searchable table that
links each entity to its articles, and the top pairs named together as a heat map."""

from __future__ import annotations

import html
from typing import Any

import duckdb

from flows.analysis.report.charts import (
    COLOURS,
    TYPE_WORDS,
    Section,
    count_axis,
    empty_figure,
    entity_labels,
    html_table,
    label,
    log_toggle,
    new_figure,
    rows,
    safe_link,
    square_heat_map,
    type_words,
)

TOP_ENTITIES = 30
TABLE_ENTITIES = 300
ARTICLES_PER_ENTITY = 25
HEATMAP_ENTITIES = 20

_ENTITY_ARTICLES = """
    select e.entity_id, e.name, e.type, count(distinct m.article_id) as articles
    from _resolved_mentions m join entities e on e.entity_id = m.resolved_id
    group by all order by articles desc, e.name, e.entity_id
"""


def top_entities(con: duckdb.DuckDBPyConnection) -> Any:
    """The most-named entities, one colour per type (legend in words); click one to look it up."""
    import plotly.graph_objects as go

    title = f"The {TOP_ENTITIES} most-named entities (articles naming them)"
    data = rows(con, f"{_ENTITY_ARTICLES} limit {TOP_ENTITIES}")
    if not data:
        return empty_figure(title, "entities")
    figure = new_figure(title, height=max(320, 24 * len(data) + 140))
    labels = dict(zip((r[0] for r in data), entity_labels(data), strict=True))
    order = [labels[r[0]] for r in data][::-1]
    types = sorted(
        {r[2] for r in data}, key=lambda t: list(TYPE_WORDS).index(t) if t in TYPE_WORDS else 99
    )
    for colour, type_ in zip(COLOURS * 3, types, strict=False):
        picked = [r for r in data if r[2] == type_]
        figure.add_trace(
            go.Bar(
                x=[r[3] for r in picked],
                y=[labels[r[0]] for r in picked],
                orientation="h",
                name=label(type_words(type_)),
                marker_color=colour,
                hovertemplate="%{y}: %{x:,d} articles<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        xaxis=count_axis(max(r[3] for r in data), "articles"),
        yaxis={
            "automargin": True,
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
        },
        legend={"title": {"text": "type"}},
        updatemenus=log_toggle("xaxis"),
    )
    return figure


def entity_table(con: duckdb.DuckDBPyConnection) -> str:
    """The most-named entities as a searchable table; each opens to the articles naming it."""
    entities = rows(con, f"{_ENTITY_ARTICLES} limit {TABLE_ENTITIES}")
    ids = [r[0] for r in entities]
    articles: dict[str, list[tuple[Any, ...]]] = {}
    if ids:
        for row in rows(
            con,
            """
            select m.resolved_id, a.title, a.url, d.day, d.site
            from (select distinct resolved_id, article_id from _resolved_mentions
                  where list_contains($ids, resolved_id)) m
            join article_dates d on d.article_id = m.article_id
            join articles a on a.article_id = m.article_id
            order by m.resolved_id, d.day desc, a.title, a.article_id
            """,
            {"ids": ids},
        ):
            articles.setdefault(row[0], []).append(row[1:])
    body = []
    for entity_id, name, type_, count in entities:
        listed = articles.get(entity_id, [])[:ARTICLES_PER_ENTITY]
        items = "".join(
            f"<li>{html.escape(str(day))} · {html.escape(site or '(no site)')} · "
            f"{safe_link(url, title or '(untitled)')}</li>"
            for title, url, day, site in listed
        )
        more = count - len(listed)
        tail = f"<li>… {more:,} more: <code>mentioned_with</code> in SQL</li>" if more > 0 else ""
        body.append(
            [
                f"<details><summary>{html.escape(name)}</summary><ul>{items}{tail}</ul></details>",
                html.escape(type_words(type_)),
                f"{count:,}",
            ]
        )
    search = (
        "<input type='search' id='entity-search' placeholder='search entities…' "
        "aria-label='search entities'> <span id='entity-count'></span>"
    )
    note = (
        f"<p class='note'>The {len(entities):,} most-named entities; open one for its articles.</p>"
    )
    table = html_table(["entity", "type", "articles"], body, "entity-table")
    return f"{search}{note}<div class='scroll'>{table}</div>"


def cooccurrence_heatmap(con: duckdb.DuckDBPyConnection) -> Any:
    """Articles naming both of two entities, for the most-named entities."""

    title = (
        f"Named together: articles naming both, among the {HEATMAP_ENTITIES} most-named entities"
    )
    top = rows(con, f"{_ENTITY_ARTICLES} limit {HEATMAP_ENTITIES}")
    ids = [r[0] for r in top]
    pairs = (
        rows(
            con,
            "select entity_id, other_id, articles from entity_cooccurrence "
            "where list_contains($ids, entity_id) and list_contains($ids, other_id)",
            {"ids": ids},
        )
        if ids
        else []
    )
    if not pairs:
        return empty_figure(title, "entities named together")
    cells = {(a, b): n for a, b, n in pairs}
    return square_heat_map(title, ids, entity_labels(top), cells, "articles", "Purples")


def looked_for_text(con: duckdb.DuckDBPyConnection) -> str:
    """Which articles the entity figures are over: those whose entities were looked for; the
    others (no model for their language, a run without entities) are left out, never
    counted as articles that name no one."""
    counts = dict(
        rows(con, "select entities_status, count(*) from article_entity_counts group by 1")
    )
    looked = int(counts.pop("extracted", 0))
    if not counts:
        return f"Counted over the {looked:,} articles, whose entities were all looked for."
    languages = rows(
        con,
        "select coalesce(language, 'unknown'), count(*) from article_entity_counts "
        "where entities_status = 'no_model_for_language' group by 1 order by 2 desc, 1 limit 5",
    )
    without = int(counts.get("no_model_for_language", 0))
    disabled = int(counts.get("disabled", 0))
    parts = []
    if without:
        listed = ", ".join(f"{lang} {n:,}" for lang, n in languages)
        listed += ", …" if sum(int(n) for _, n in languages) < without else ""
        parts.append(f"{without:,} in a language with no entity model ({listed})")
    if disabled:
        parts.append(f"{disabled:,} from runs without entities")
    return (
        f"Counted over the {looked:,} articles whose entities were looked for; "
        f"{' and '.join(parts)} are left out, not counted as naming no one."
    )


def entities_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Top entities, the searchable entity table and the co-occurrence heat map."""
    counts = dict(rows(con, "select type, count(*) from entities group by type"))
    legend = "; ".join(
        f"{type_words(t)}: {counts[t]:,}"
        for t in [*TYPE_WORDS, *sorted(set(counts) - set(TYPE_WORDS))]
        if t in counts
    )
    intro = (
        f"Entities by type — {legend or 'none yet'}. A surname-only person counts toward the "
        f"full name it stands for. {looked_for_text(con)} Click a bar to find the entity in "
        "the table below."
    )
    figures = [top_entities(con), cooccurrence_heatmap(con)]
    return Section("entities", "Entities", intro, figures, entity_table(con))
