"""The interactive report: every section drawn, plotly.js embedded once, nothing fetched,
names with `$`, `<` and quotes shown as written, and no console error in headless Chromium.

The Chromium test writes a screenshot to `$NEWSETL_ARTIFACTS/newsetl-report/report.png`
(default: the system temp folder) and prints the path.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.analysis.query import connect
from flows.analysis.report import SECTIONS, build_sections, write_report
from flows.analysis.report.land import TOPOJSON_NAME, geo_assets_script, world_topojson
from flows.cli import main
from flows.layout import REPORT_NAME, partition_path
from flows.storage import write_parquet_atomic
from tests.analyst_fixtures import processed  # noqa: F401  (session fixture)
from tests.chromium_page import CHROMIUM, visit_page
from tests.helpers import build_tables
from transforms.entities.article import canonicalize
from transforms.output.rows import Article, RejectedInput, RunInfo
from transforms.records import EntitySpan, ParsedDocument, Reject

ARTIFACTS = Path(os.environ.get("NEWSETL_ARTIFACTS") or tempfile.gettempdir()) / "newsetl-report"
READY = "document.body && document.body.getAttribute('data-loaded')"
NASTY_NAMES = [
    "$A$ Holdings",
    "<script>alert(1)</script> Ltd",
    'Ann "Ace" O\'Hara',
    "Tom & Jerry $5 $6",
]


def _nasty_folder(out: Path) -> Path:
    """Tables whose names, titles, sites and paths carry `$`, `<`, `&` and quotes."""
    articles = []
    for index, name in enumerate(NASTY_NAMES):
        body = f"{name} met {NASTY_NAMES[(index + 1) % len(NASTY_NAMES)]} in Paris."
        spans = [EntitySpan(0, len(name), "ORG")]
        other = NASTY_NAMES[(index + 1) % len(NASTY_NAMES)]
        spans.append(EntitySpan(body.index(other), body.index(other) + len(other), "PERSON"))
        document = ParsedDocument(
            "html", f"<b>{name}</b> & $1 $2", (body,), url=f"https://{index}.example/a?x=<y>",
            site=f"Site '{index}' <i>$", published_at=datetime(2024, 9, index + 1, tzinfo=UTC),
        )  # fmt: skip
        articles.append(
            Article(f"d$/{index}<.html", "0" * 64, document, tuple(canonicalize(body, spans)))
        )
    rejects = [RejectedInput("x/$a$<b>.txt", None, Reject("read", "odd_<name>", "$x$ & 'y'"))]
    tables = build_tables(articles, rejects, RunInfo("run-$1", datetime(2026, 1, 1, tzinfo=UTC)))
    for name, table in tables.items():
        write_parquet_atomic(str(out), partition_path(name, "2026-01-01", "p.parquet"), table)
    return out


def test_every_section_is_built(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    page = Path(write_report(str(processed), str(tmp_path / "report.html")))
    text = page.read_text()
    sections = build_sections(connect(str(processed)))
    assert [s.key for s in sections] == [
        "time", "sites", "entities", "places", "duplicates", "rejects", "quality",
    ]  # fmt: skip
    for section in sections:
        assert f"<section id='{section.key}'>" in text
        for index in range(len(section.figures)):
            assert f'id="fig-{section.key}-{index}"' in text
    assert len(SECTIONS) == len(sections)
    assert text.count("plotly.js v") == 1  # the bundle, embedded once
    assert "<script src" not in text and "<link" not in text
    assert 'window.PlotlyGeoAssets.topojson["world_110m"]' in text


def test_quality_figures_on_the_analyst_corpus(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    from flows.analysis.report.quality import quality_figures

    measured = {
        what.split(" (")[0]: (n, total)
        for what, n, total in quality_figures(connect(str(processed)))
    }
    assert measured["articles with no publication date"] == (0, 9)  # meta or sidecar dates
    assert measured["articles with no known site"] == (0, 9)
    assert measured["articles that repeat another"] == (2, 9)
    assert measured["articles whose entities were not looked for"] == (0, 9)  # all English
    links = measured["links that resolve to no ingested article"]
    assert links[1] >= 4 and links[0] == links[1] - 4  # four links resolve (examples test)


def test_report_command_default_path(processed: Path) -> None:  # noqa: F811
    assert main(["report", "--out", str(processed)]) == 0
    assert (processed / REPORT_NAME).exists()


def test_empty_tables_still_draw_every_section(tmp_path: Path) -> None:
    page = Path(write_report(str(tmp_path / "empty"), str(tmp_path / "empty.html"))).read_text()
    assert page.count("<section id=") == len(SECTIONS)
    assert "no articles yet" in page and "no geocoded places yet" in page


def test_nasty_names_are_shown_as_written(tmp_path: Path) -> None:
    out = _nasty_folder(tmp_path / "nasty")
    page = Path(write_report(str(out), str(tmp_path / "nasty.html"))).read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in page
    assert "Tom &amp; Jerry $5 $6" in page
    assert '"typesetMath": false' in page


def test_the_world_outline_ships_with_the_report() -> None:
    world = json.loads(world_topojson())
    assert world["type"] == "Topology"
    assert {"land", "coastlines", "countries"} <= set(world["objects"])
    assert f'PlotlyGeoAssets.topojson["{TOPOJSON_NAME}"]' in geo_assets_script()


def _check_in_chromium(page: Path, screenshot: Path, tmp_path: Path) -> dict[str, object]:
    visit = visit_page(
        page, screenshot, tmp_path / f"profile-{screenshot.stem}", READY,
        {
            "loaded": READY,
            "figures": "document.body.getAttribute('data-figures')",
            "drawn": "document.body.getAttribute('data-figures-drawn')",
            "expected": "document.body.getAttribute('data-expected-figures')",
            "entities": "document.querySelectorAll('#entity-table tbody tr').length",
            "searched": "(function(){var s=document.getElementById('entity-search');"
            "s.value='jinping';s.dispatchEvent(new Event('input'));"
            "return Array.prototype.filter.call(document.querySelectorAll("
            "'#entity-table tbody tr'),function(r){return r.style.display!=='none'})"
            ".map(function(r){return r.cells[0].querySelector('summary').textContent})})()",
            "names": "Array.prototype.map.call(document.querySelectorAll("
            "'#entity-table summary'),function(s){return s.textContent})",
        },
    )  # fmt: skip
    assert visit.errors == [], visit.errors
    assert visit.requests == [], f"the page fetched {visit.requests}"
    assert visit.values["loaded"] == "true", visit.values
    assert visit.values["figures"] == visit.values["drawn"] == visit.values["expected"]
    assert screenshot.stat().st_size > 50_000
    print(f"report screenshot: {screenshot}")
    return visit.values


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_in_headless_chromium(processed: Path, tmp_path: Path) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = Path(write_report(str(processed), str(ARTIFACTS / "report.html")))
    values = _check_in_chromium(page, ARTIFACTS / "report.png", tmp_path)
    assert values["figures"] == "9"
    assert values["searched"] == ["Xi Jinping"]
    nasty = Path(
        write_report(str(_nasty_folder(tmp_path / "nasty")), str(ARTIFACTS / "nasty.html"))
    )
    values = _check_in_chromium(nasty, ARTIFACTS / "nasty.png", tmp_path)
    names = values["names"]
    assert isinstance(names, list)  # the page's JS gives an array
    assert set(NASTY_NAMES) <= set(names)


def _dated_folder(out: Path, articles: list[tuple[str, str | None, str | None, datetime]]) -> Path:
    """Tables of one article per (path, url, site name, publication time)."""
    rows = []
    for path, url, site, published in articles:
        body = f"A short report about the harbour, written for {path}."
        document = ParsedDocument(
            "html", f"Story {path}", (body,), url=url, site=site, published_at=published
        )
        rows.append(Article(path, "0" * 64, document, ()))
    tables = build_tables(rows, [], RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC)))
    for name, table in tables.items():
        write_parquet_atomic(str(out), partition_path(name, "2026-01-01", "p.parquet"), table)
    return out


def test_a_far_date_does_not_stretch_the_time_axis(tmp_path: Path) -> None:
    from flows.analysis.report.time_section import articles_over_time, time_section, time_window

    september = [
        (f"s/{day}.html", None, "Harbour", datetime(2024, 9, day, tzinfo=UTC))
        for day in range(1, 9)
    ]
    outlier = ("s/old.html", None, "Harbour", datetime(1998, 3, 1, tzinfo=UTC))
    con = connect(str(_dated_folder(tmp_path / "out", [*september, outlier])))
    window = time_window(con)
    assert window is not None and window.left_out == 1
    assert (str(window.first), str(window.last)) == ("2024-09-01", "2024-09-08")
    days = {str(x)[:10] for trace in articles_over_time(con, window).data for x in trace.x}
    assert days == {f"2024-09-0{d}" for d in range(1, 9)}  # per day: 1998 is left out
    intro = time_section(con).intro
    assert "1 article is dated far from the rest (1998-03-01) and left out" in intro


def test_others_never_outgrow_the_largest_bar() -> None:
    from flows.analysis.report.charts import top_with_rest

    few = [(f"site {i}", 10 - i) for i in range(8)] + [("tail a", 1), ("tail b", 1)]
    assert top_with_rest(few, "articles", top=8)[0][-1] == ("2 others", 2)
    many = [(f"site {i}", 5) for i in range(20)] + [(f"tail {i}", 1 + i % 2) for i in range(50)]
    shown, note = top_with_rest(many, "articles")
    assert len(shown) == 20 and max(n for _, n in shown) == 5
    assert note == "not drawn: 50 others with 75 articles in all (1–2 each)"


def test_the_sites_intro_counts_what_the_chart_shows(tmp_path: Path) -> None:
    from flows.analysis.report.sites import articles_per_site, sites_section

    when = datetime(2024, 9, 1, tzinfo=UTC)
    articles = [
        ("a/1.html", "https://a.example/1", "A Herald", when),
        ("a/2.html", "https://a.example/2", "A Herald", when),
        ("x/1.html", None, "Folder Site", when),  # a name but no domain
        ("x/2.html", None, "Folder Site", when),
        ("1.html", None, None, when),  # no site at all
    ]
    con = connect(str(_dated_folder(tmp_path / "out", articles)))
    bars = articles_per_site(con).data[0]
    counted = dict(zip(bars.y, bars.x, strict=True))
    assert counted == {"A Herald": 2, "Folder Site": 2, "(no site)": 1}
    intro = sites_section(con).intro
    assert intro.startswith("2 sites (1 registered domain). 1 article has no known site")
    assert "; 2 more have a site name but no registered domain." in intro
