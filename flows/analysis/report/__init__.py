"""The HTML report: one self-contained, interactive page (plotly) over the processed tables.

Sections, in page order, each from the query layer's views: over time, sites, entities,
places, duplicates, rejects, data quality. The page embeds plotly.js once and the map's world
(`land.py`), so it opens from disk, by mail or as a CI artifact with nothing fetched.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.analysis.query import connect
from flows.analysis.report.charts import Section
from flows.analysis.report.entities_section import entities_section
from flows.analysis.report.page import page_html
from flows.analysis.report.places_section import places_section
from flows.analysis.report.quality import duplicates_section, quality_section, rejects_section
from flows.analysis.report.sites import sites_section
from flows.analysis.report.time_section import time_section
from flows.layout import REPORT_NAME
from flows.storage import filesystem, is_local
from transforms.schema import TABLE_SCHEMAS

SECTIONS = (
    time_section,
    sites_section,
    entities_section,
    places_section,
    duplicates_section,
    rejects_section,
    quality_section,
)

__all__ = ["REPORT_NAME", "SECTIONS", "build_sections", "table_counts", "write_report"]


def build_sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    """Every section of the report, in page order."""
    return [make(con) for make in SECTIONS]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table; the articles table as its articles and its index pages apart."""
    names = [
        n for t in TABLE_SCHEMAS for n in (("articles", "index_pages") if t == "articles" else (t,))
    ]
    return {n: int(con.execute(f"select count(*) from {n}").fetchall()[0][0]) for n in names}


def write_report(out: str, html_path: str | None = None) -> str:
    """Build the report of the tables under `out` and write it (default `out/_report.html`)."""
    con = connect(out)
    try:
        page = page_html(build_sections(con), table_counts(con), out)
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
