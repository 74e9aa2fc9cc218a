"""The report's sites section: articles per site, and which sites link to which."""

from __future__ import annotations

from typing import Any

import duckdb

from flows.analysis.box import plural
from flows.analysis.report.charts import (
    Section,
    bar_chart,
    empty_figure,
    label,
    rows,
    square_heat_map,
)

TOP_LINKED_SITES = 15
SITE = "coalesce(site_name, site_domain, '(no site)')"
NO_SITE = "site_name is null and site_domain is null"
"""An article of no known site: the `(no site)` bar, the data-quality measure, the intro."""


def articles_per_site(con: duckdb.DuckDBPyConnection) -> Any:
    """Articles per site (display name, else domain)."""
    data = rows(con, f"select {SITE}, count(*) from articles group by 1 order by 2 desc, 1")
    return bar_chart(
        "Articles per site", [(str(s), int(n)) for s, n in data], "articles", "articles"
    )


def site_link_matrix(con: duckdb.DuckDBPyConnection) -> Any:
    """A heat map of resolved links from site to site (the most-linking sites)."""

    title = "Which sites link to which (links that resolve to an ingested article)"
    data = rows(
        con,
        """
        select coalesce(source_site, '(no site)') as source,
               coalesce(target_site, '(no site)') as target, count(*) as links
        from resolved_links group by all order by links desc, source, target
        """,
    )
    if not data:
        return empty_figure(title, "resolved links")
    weight: dict[str, int] = {}
    for source, target, n in data:
        weight[source] = weight.get(source, 0) + n
        weight[target] = weight.get(target, 0) + n
    sites = sorted(weight, key=lambda s: (-weight[s], s))[:TOP_LINKED_SITES]
    cells = {(s, t): n for s, t, n in data}
    figure = square_heat_map(title, sites, [label(s) for s in sites], cells, "links", "Blues")
    figure.update_layout(xaxis_title_text="linked site", yaxis_title_text="linking site")
    return figure


def sites_section(con: duckdb.DuckDBPyConnection) -> Section:
    """Articles per site and the site-to-site link matrix."""
    counts = rows(
        con,
        f"select count(distinct {SITE}) filter (not ({NO_SITE})), "
        "count(distinct site_domain), "
        f"count(*) filter ({NO_SITE}), "
        "count(*) filter (site_domain is null and site_name is not null) from articles",
    )
    sites, domains, unknown, no_domain = counts[0]
    intro = (
        f"{plural(sites, 'site')} ({plural(domains, 'registered domain')}). "
        f"{plural(unknown, 'article')} {'has' if unknown == 1 else 'have'} no known site "
        "(the '(no site)' bar)"
        + (f"; {no_domain:,} more have a site name but no registered domain" if no_domain else "")
        + ". The diagonal of the link matrix is a site linking to its own articles. A log "
        "scale lets the smaller sites show beside one that dominates."
    )
    return Section("sites", "Sites", intro, [articles_per_site(con), site_link_matrix(con)])
