"""Web archives as inputs: every record accounted for, URLs, fetch times and charsets from the
headers, a damaged tail as one reject, reruns that do nothing and runs that resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.archives import scan_archive
from flows.discovery import discover_files
from flows.run import Steps
from flows.settings import Settings
from tests.helpers import read_table, run_pipeline, snapshot
from tests.warc_fixtures import FETCHED, ArchiveBuilder, article_html, cc_news_archive
from transforms.output.rows import RunInfo
from transforms.parse.warc import http_charset, record_key, record_suffix, split_record_key


@given(st.text(min_size=1).filter(lambda s: "#" not in s), st.integers(0, 10**12 - 2))
def test_record_keys_round_trip_and_sort_in_archive_order(folder: str, offset: int) -> None:
    key = record_key(f"{folder}/a.warc.gz", offset)
    assert split_record_key(key) == (f"{folder}/a.warc.gz", offset)
    assert record_key("a.warc", offset) < record_key("a.warc", offset + 1)


@pytest.mark.parametrize(
    ("kind", "status", "content_type", "decision"),
    [
        ("response", 200, "text/html; charset=UTF-8", ".html"),
        ("response", 200, "application/xhtml+xml", ".html"),
        ("response", 200, "text/plain", ".txt"),
        ("response", 404, "text/html", "HTTP 404"),
        ("response", 200, "application/pdf", "application/pdf"),
        ("response", 200, None, "no content type"),
        ("request", None, None, "request record"),
        ("revisit", 200, "text/html", "revisit record"),
    ],
)
def test_which_records_are_inputs(
    kind: str, status: int | None, content_type: str | None, decision: str
) -> None:
    assert record_suffix(kind, status, content_type) == decision


def test_charset_from_the_http_header() -> None:
    assert http_charset("text/html; charset=ISO-8859-1") == "iso-8859-1"
    assert http_charset('text/html; charset="windows-1252"') == "windows-1252"
    assert http_charset("text/html") is None


def test_cc_news_archive_every_record_accounted_for(tmp_path: Path) -> None:
    written = cc_news_archive(tmp_path / "raw" / "cc-news" / "CC-NEWS-20240305.warc.gz", 6)
    summary = run_pipeline(tmp_path / "raw", tmp_path / "out", batch_size=4)
    articles = read_table(tmp_path / "out", "articles")
    rejects = read_table(tmp_path / "out", "rejects")
    assert sorted(str(a["url"]) for a in articles) == sorted(written.urls)
    assert len(written.urls) == 6
    assert [r["error_type"] for r in rejects] == ["truncated_archive"]
    assert "records before it are read" in str(rejects[0]["message"])
    assert summary.skipped_records == dict(written.skipped)
    assert summary.skipped_records == {
        "HTTP 404": 1,
        "application/pdf": 1,
        "metadata record": 8,
        "request record": 9,
        "revisit record": 1,
        "warcinfo record": 1,
    }
    # every record: 6 articles + the cut one (in the reject) + 21 skipped
    assert summary.inputs_found == len(articles) + len(rejects) == 7
    for article in articles:
        assert str(article["source_path"]).startswith("cc-news/CC-NEWS-20240305.warc.gz#")
        assert article["published_at_source"] == "fetched"
        assert str(article["published_at"]).startswith("2024-03-05 06:07:08")


def test_page_date_wins_over_the_fetch_time_and_the_view_hides_the_fetch_time(
    tmp_path: Path,
) -> None:
    from flows.analysis.query import connect

    builder = ArchiveBuilder(tmp_path / "raw" / "a.warc")
    builder.response("https://gazette.example/dated", article_html(1, dated=True).encode())
    builder.response("https://gazette.example/undated", article_html(2).encode())
    builder.finish()
    run_pipeline(tmp_path / "raw", tmp_path / "out")
    by_url = {a["url"]: a for a in read_table(tmp_path / "out", "articles")}
    assert by_url["https://gazette.example/dated"]["published_at_source"] == "meta"
    assert by_url["https://gazette.example/undated"]["published_at_source"] == "fetched"
    connection = connect(str(tmp_path / "out"))
    rows = connection.sql(
        "select url, d.published_at, day, date_source from article_dates d join articles "
        "using (article_id) order by url"
    ).fetchall()
    assert [(r[0], r[1] is None, str(r[2]), r[3]) for r in rows] == [
        ("https://gazette.example/dated", False, "2024-02-01", "meta"),
        ("https://gazette.example/undated", True, FETCHED[:10], "fetched"),
    ]


def test_charset_of_the_http_header_decodes_the_body(tmp_path: Path) -> None:
    page = article_html(7, charset=None).replace("resumes", "résumé café").encode("latin-1")
    builder = ArchiveBuilder(tmp_path / "raw" / "latin.warc.gz")
    builder.response("https://gazette.example/latin", page, "text/html; charset=ISO-8859-1")
    builder.finish()
    run_pipeline(tmp_path / "raw", tmp_path / "out")
    (article,) = read_table(tmp_path / "out", "articles")
    assert "résumé café" in str(article["title"])


def test_an_archive_without_articles_is_one_reject(tmp_path: Path) -> None:
    builder = ArchiveBuilder(tmp_path / "raw" / "pdfs.warc.gz")
    builder.response("https://gazette.example/a.pdf", b"%PDF-1.4", "application/pdf")
    builder.finish()
    (tmp_path / "raw" / "not-an-archive.warc").write_bytes(b"hello, this is no WARC\n")
    summary = run_pipeline(tmp_path / "raw", tmp_path / "out")
    rejects = {r["source_path"]: r["error_type"] for r in read_table(tmp_path / "out", "rejects")}
    assert rejects == {
        record_key("not-an-archive.warc", 0): "truncated_archive",
        record_key("pdfs.warc.gz", 0): "no_articles",
    }
    assert summary.skipped_records == {
        "application/pdf": 1,
        "metadata record": 1,
        "request record": 1,
        "warcinfo record": 1,
    }
    assert run_pipeline(tmp_path / "raw", tmp_path / "out").inputs_planned == 0


def _archive_of(path: Path, pages: int) -> None:
    builder = ArchiveBuilder(path)
    for n in range(pages):
        builder.response(f"https://gazette.example/news/{n}", article_html(n).encode())
    builder.finish()


def test_rerun_over_an_unchanged_archive_does_not_open_it(tmp_path: Path) -> None:
    _archive_of(tmp_path / "raw" / "a.warc.gz", 5)
    first = run_pipeline(tmp_path / "raw", tmp_path / "out", batch_size=2)
    assert first.inputs_planned == 5
    before = snapshot(tmp_path / "out")
    (tmp_path / "raw" / "a.warc.gz").chmod(0)  # a rerun that opened it would reject its records
    try:
        again = run_pipeline(tmp_path / "raw", tmp_path / "out", batch_size=2)
    finally:
        (tmp_path / "raw" / "a.warc.gz").chmod(0o644)
    assert (again.inputs_found, again.inputs_planned) == (5, 0)
    assert snapshot(tmp_path / "out") == before


class _KilledAfter(Steps):
    """Steps whose run stops (like a kill) once `commits` batches are committed."""

    def __init__(self, commits: int) -> None:
        self.commits = commits

    def commit(self, state, output):  # type: ignore[no-untyped-def]
        if self.commits == 0:
            raise KeyboardInterrupt
        self.commits -= 1
        return super().commit(state, output)


def test_a_killed_run_resumes_at_the_first_uncommitted_record(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from flows.run import run

    _archive_of(tmp_path / "raw" / "a.warc.gz", 9)
    settings = Settings(
        raw=str(tmp_path / "raw"),
        out=str(tmp_path / "out"),
        batch_size=3,
        workers=1,
        entities=False,
    )
    info = RunInfo("20240501T000000-test", datetime(2024, 5, 1, tzinfo=UTC))
    with pytest.raises(KeyboardInterrupt):
        run(settings, steps=_KilledAfter(2), info=info)
    resumed = run_pipeline(tmp_path / "raw", tmp_path / "out", batch_size=3)
    assert resumed.inputs_planned == 3
    run_pipeline(tmp_path / "raw", tmp_path / "clean", batch_size=3)
    for table in ("articles", "links", "rejects"):
        assert read_table(tmp_path / "out", table) == read_table(tmp_path / "clean", table)


def test_scan_reads_the_records_before_a_cut(tmp_path: Path) -> None:
    written = cc_news_archive(tmp_path / "a.warc.gz", 3)
    (archive,) = discover_files(str(tmp_path))
    scan = scan_archive(str(tmp_path), archive)
    assert [e.problem is None for e in scan.inputs] == [True, True, True, False]
    assert {e.archive_inputs for e in scan.inputs} == {4}
    assert written.cut_url is not None
