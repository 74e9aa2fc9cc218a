"""The report page: sections in order, plotly's JS embedded once, nothing fetched at view time.

The first figure carries plotly.js inline; the rest only their data. A small script marks the
body `data-loaded="true"` once every figure has been drawn (the Chromium test waits for it).
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

from flows.analysis.report.charts import PLOT_CONFIG, Section
from flows.analysis.report.land import geo_assets_script

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1150px;margin:0 auto;padding:0 1em 3em;color:#222}
nav{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd;z-index:9}
nav a{margin-right:1em}section{margin:2.5em 0}p.intro{color:#444;max-width:60em}
table{border-collapse:collapse;font-size:13px;margin:.5em 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
td:nth-child(n+2){white-space:nowrap}details ul{margin:.3em 0;padding-left:1.2em;white-space:normal}
div.scroll{max-height:520px;overflow:auto;display:inline-block}
#entity-search{font-size:15px;padding:4px 8px;width:22em}p.note{color:#666;font-size:13px}
"""

_SCRIPT = """
<script>
(function () {
  var search = document.getElementById("entity-search");
  var table = document.getElementById("entity-table");
  function filterEntities() {
    if (!search || !table) { return; }
    var query = search.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var hit = row.cells[0].textContent.toLowerCase().indexOf(query) >= 0 ||
                row.cells[1].textContent.toLowerCase().indexOf(query) >= 0;
      row.style.display = hit ? "" : "none";
      if (hit) { shown += 1; }
    });
    document.getElementById("entity-count").textContent = shown + " shown";
  }
  if (search) { search.addEventListener("input", filterEntities); filterEntities(); }
  var decoder = document.createElement("textarea");
  function lookUp(event) {
    if (!search || !event.points || !event.points.length) { return; }
    decoder.innerHTML = String(event.points[0].y);
    search.value = decoder.value;
    filterEntities();
    search.scrollIntoView({behavior: "smooth", block: "center"});
  }
  window.addEventListener("load", function () {
    var top = document.getElementById("fig-entities-0");
    if (top && top.on) { top.on("plotly_click", lookUp); }
    var started = Date.now();
    (function check() {
      var figures = document.querySelectorAll(".plotly-graph-div");
      var drawn = Array.prototype.filter.call(figures, function (f) {
        return f._fullLayout && f.querySelector(".main-svg");
      });
      document.body.setAttribute("data-figures", String(figures.length));
      document.body.setAttribute("data-figures-drawn", String(drawn.length));
      if (drawn.length === figures.length) {
        document.body.setAttribute("data-loaded", "true");
      } else if (Date.now() - started < 20000) {
        setTimeout(check, 100);
      } else {
        document.body.setAttribute("data-loaded", "false");
      }
    })();
  });
})();
</script>
"""


def figure_count(sections: list[Section]) -> int:
    """How many plotly figures the page holds."""
    return sum(len(s.figures) for s in sections)


def section_html(section: Section, embed_plotly: bool) -> str:
    """One section: heading, intro, its figures (plotly.js inline in the first if asked), HTML."""
    parts = [
        f"<section id='{section.key}'><h2>{html.escape(section.title)}</h2>",
        f"<p class='intro'>{html.escape(section.intro)}</p>",
    ]
    for index, figure in enumerate(section.figures):
        parts.append(
            figure.to_html(
                full_html=False,
                include_plotlyjs=embed_plotly and index == 0,
                div_id=f"fig-{section.key}-{index}",
                config=PLOT_CONFIG,
            )
        )
    parts.append(f"{section.html}</section>")
    return "".join(parts)


def page_html(sections: list[Section], counts: dict[str, int], source: str) -> str:
    """The whole page: navigation, table counts, then each section."""
    first_with_figure = next((i for i, s in enumerate(sections) if s.figures), -1)
    body = "".join(section_html(s, i == first_with_figure) for i, s in enumerate(sections))
    nav = "".join(f"<a href='#{s.key}'>{html.escape(s.title)}</a>" for s in sections)
    counts_html = "".join(
        f"<tr><td>{html.escape(t)}</td><td>{n:,}</td></tr>" for t, n in counts.items()
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>newsetl report</title><style>{_STYLE}</style>{geo_assets_script()}</head>"
        f"<body data-expected-figures='{json.dumps(figure_count(sections))}'>"
        f"<nav>{nav}</nav><h1>newsetl report</h1>"
        f"<p>Tables in <code>{html.escape(source)}</code>, generated {generated}. Hover for "
        "values; drag to zoom, double-click to reset; click a legend entry to hide it. "
        "Articles are the pages labelled <code>page_kind = 'article'</code>: index pages "
        "(section fronts, listings) are counted apart and left out of every figure (view "
        "<code>index_pages</code>).</p>"
        f"<table><thead><tr><th>table</th><th>rows</th></tr></thead><tbody>{counts_html}"
        f"</tbody></table>{body}{_SCRIPT}</body></html>\n"
    )
