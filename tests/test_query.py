"""The query layer: views over the tables, derived views, empty tables, the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flows.analysis.data_dictionary import DERIVED_VIEWS
from flows.analysis.query import connect, run_query, view_names
from flows.analysis.sql_views import EXTRA_COLUMNS
from flows.cli import main
from flows.entity_store import merge_entities
from flows.layout import partition_path, staged_entities_file
from flows.storage import write_parquet_atomic
from tests.analyst_fixtures import processed  # noqa: F401  (session fixture)
from tests.helpers import build_tables
from transforms.entities.article import canonicalize
from transforms.entities.names import entity_id
from transforms.output.rows import Article, RunInfo
from transforms.records import EntitySpan, ParsedDocument
from transforms.schema import ENTITIES_SCHEMA, PARTITION_COLUMN, TABLE_SCHEMAS


def test_every_view_is_documented() -> None:
    documented = {v.name.split("(")[0] for v in DERIVED_VIEWS}
    assert set(view_names()) - set(TABLE_SCHEMAS) <= documented


def test_missing_folder_gives_empty_views_with_schema_columns(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "nothing"))
    for table, schema in TABLE_SCHEMAS.items():
        result = con.sql(f"select * from {table}").to_arrow_table()
        assert result.num_rows == 0
        extra = [c for c, _ in EXTRA_COLUMNS.get(table, ()) if c not in schema.names]
        assert result.column_names == [*schema.names, PARTITION_COLUMN, *extra]
    for view in view_names():
        assert con.execute(f"select count(*) from {view}").fetchall() == [(0,)]


def test_tables_read_with_types(processed: Path) -> None:  # noqa: F811
    con = connect(str(processed))
    counts = dict(
        con.execute(
            "select 'articles', count(*) from articles union all "
            "select 'rejects', count(*) from rejects"
        ).fetchall()
    )
    assert counts == {"articles": 9, "rejects": 2}
    types = dict(con.execute("select column_name, column_type from (describe articles)").fetchall())
    assert types["published_at"].startswith("TIMESTAMP WITH TIME ZONE")
    assert types["authors"] == "VARCHAR[]"
    assert types[PARTITION_COLUMN] == "DATE"


def test_resolved_links_follow_urls_across_sites(processed: Path) -> None:  # noqa: F811
    rows = run_query(
        "select s.source_path as source, t.source_path as target, r.matched_by "
        "from resolved_links r join articles s on s.article_id = r.article_id "
        "join articles t on t.article_id = r.target_article_id order by 1",
        str(processed),
    ).to_pylist()
    pairs = {(r["source"], r["target"], r["matched_by"]) for r in rows}
    assert ("south-post/pipeline.txt", "north-ledger/summit.txt", "url") in pairs
    assert ("north-ledger/summit.txt", "south-post/pipeline.txt", "url") in pairs


def test_putin_cooccurrence_and_macro(processed: Path) -> None:  # noqa: F811
    con = connect(str(processed))
    people = {
        r[0]
        for r in con.execute(
            "select name from mentioned_with('Putin') where type = 'PERSON'"
        ).fetchall()
    }
    assert "Xi Jinping" in people
    assert not any("Putin" in p for p in people)
    # south-post says only "President Putin" (entity "Putin", same_as Vladimir Putin): its
    # article counts for the full name too
    assert con.execute(
        "select p.same_as = v.entity_id from entities p, entities v "
        "where p.name = 'Putin' and v.name = 'Vladimir Putin'"
    ).fetchall() == [(True,)]
    with_full_name = con.execute(
        "select name, title from mentioned_with('Vladimir Putin') where name = 'Moscow' "
        "order by title"
    ).fetchall()
    assert with_full_name == [
        ("Moscow", "Pipeline deal signed after long negotiations"),
        ("Moscow", "Putin and Xi agree on gas prices"),
    ]
    pairs = con.execute(
        "select articles, stories from entity_cooccurrence "
        "where entity_name like '%Putin%' and other_name = 'Xi Jinping'"
    ).fetchall()
    assert pairs and pairs[0][0] >= pairs[0][1] >= 1
    symmetric = con.execute(
        "select count(*) from entity_cooccurrence a left join entity_cooccurrence b "
        "on a.entity_id = b.other_id and a.other_id = b.entity_id where b.entity_id is null"
    ).fetchall()
    assert symmetric == [(0,)]


def test_entity_timeline_counts_every_mention(processed: Path) -> None:  # noqa: F811
    con = connect(str(processed))
    total = con.execute("select sum(mentions) from entity_timeline").fetchall()[0][0]
    assert total == con.execute("select count(*) from mentions").fetchall()[0][0]
    assert con.execute("select count(*) from entity_timeline where day is null").fetchall() == [
        (0,)
    ]


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_cli_query_formats(
    processed: Path,  # noqa: F811
    tmp_path: Path,
    fmt: str,
) -> None:
    output = tmp_path / f"result.{fmt}"
    sql = "select entity_id, name, aliases from entities order by entity_id"
    assert (
        main(["query", sql, "--out", str(processed), "--format", fmt, "--output", str(output)]) == 0
    )
    if fmt == "json":
        rows = json.loads(output.read_text())
        assert rows and isinstance(rows[0]["aliases"], list)
    elif fmt == "csv":
        assert output.read_text().splitlines()[0] == "entity_id,name,aliases"
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(output).num_rows > 0


def test_cli_query_table_and_errors(processed: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    sql = "select count(*) as n from articles"
    assert main(["query", sql, "--out", str(processed), "--format", "table"]) == 0
    assert capsys.readouterr().out.endswith("│     9 │\n└───────┘\n  1 row\n")
    assert main(["query", sql, "--out", str(processed)]) == 0  # not a terminal: CSV
    assert capsys.readouterr().out == "n\n9\n"
    assert main(["query", "select * from no_such_table", "--out", str(processed)]) == 1


def test_numbers_print_as_integers_when_they_are(
    processed: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    sql = "select sum(word_count) as words, avg(2) as two, 2.5 as half from articles"
    assert main(["query", sql, "--out", str(processed), "--format", "csv"]) == 0
    words = run_query("select sum(word_count) from articles", str(processed)).column(0)[0]
    assert capsys.readouterr().out.splitlines() == ["words,two,half", f"{words.as_py()},2.0,2.5"]
    assert main(["query", sql, "--out", str(processed), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert f"{words.as_py()} " in table and " 2 " in table and "2.0" not in table


@pytest.mark.parametrize("command", [["query", "select 1"], ["sql"], ["views"], ["report"]])
def test_reading_commands_stop_on_a_folder_with_no_tables(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], command: list[str]
) -> None:
    empty = tmp_path / "not-an-output"
    empty.mkdir()
    (empty / "articles").mkdir()  # a table folder with no Parquet is still no table
    assert main([*command, "--out", str(empty)]) == 2
    err = capfd.readouterr().err.strip()
    assert err.count("\n") == 0 and str(empty) in err and "no newsetl tables" in err
    missing = tmp_path / "missing"
    assert main([*command, "--out", str(missing)]) == 2
    assert str(missing) in capfd.readouterr().err


def test_article_dates_say_where_the_day_came_from(
    processed: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    con = connect(str(processed))
    # The pages' own dates (meta), the sidecars' fetched_at for the text articles.
    sources = con.execute(
        "select date_source, count(*), count(*) filter (day = cast(published_at as date)) "
        "from article_dates group by 1 order by 1"
    ).fetchall()
    assert sources == [("meta", 4, 4), ("sidecar", 5, 5)]
    by_source = con.execute(
        "select date_source, sum(mentions) from entity_timeline group by 1 order by 1"
    ).fetchall()
    total = con.execute("select count(*) from mentions").fetchall()[0][0]
    assert sum(n for _, n in by_source) == total
    assert {s for s, _ in by_source} == {"meta", "sidecar"}
    # An undated article falls back to the day it was ingested, and says so.
    undated = connect(str(_people_folder(tmp_path)))
    assert undated.execute(
        "select date_source, count(*), count(*) filter (day = date '2026-01-01') "
        "from article_dates group by 1"
    ).fetchall() == [("ingested", 5, 5)]


def test_date_source_is_published_at_source_when_the_files_have_it(tmp_path: Path) -> None:
    out = _people_folder(tmp_path)
    con = connect(str(out))
    articles = con.sql("select * exclude (ingest_date, published_at_source) from articles")
    table = articles.to_arrow_table()
    dated = table.set_column(
        table.schema.get_field_index("published_at"),
        "published_at",
        pa.array([datetime(2026, 1, 2, tzinfo=UTC)] * table.num_rows, pa.timestamp("us", "UTC")),
    ).append_column("published_at_source", pa.array(["meta", "url", None, "meta", "meta"]))
    for path in (out / "articles").rglob("*.parquet"):
        path.unlink()
    write_parquet_atomic(str(out), partition_path("articles", "2026-01-01", "p.parquet"), dated)
    con = connect(str(out))
    assert con.execute(
        "select date_source, count(*) from article_dates group by 1 order by 1"
    ).fetchall() == [("meta", 3), ("published", 1), ("url", 1)]


# (path, body, [person named in it]): the model's PERSON spans, found by text.
PEOPLE_ARTICLES = [
    ("full.txt", "Vladimir Putin met Xi Jinping.", ["Vladimir Putin", "Xi Jinping"]),
    ("surname.txt", "Putin met Recep Tayyip Erdogan.", ["Putin", "Recep Tayyip Erdogan"]),
    ("kim-1.txt", "Kim Jong-un spoke.", ["Kim Jong-un"]),
    ("kim-2.txt", "Kim Yo-jong spoke.", ["Kim Yo-jong"]),
    ("kim-3.txt", "Kim met Ada Hollis.", ["Kim", "Ada Hollis"]),
]


def _people_folder(out: Path, entities_schema: pa.Schema = ENTITIES_SCHEMA) -> Path:
    """A processed folder of PEOPLE_ARTICLES: tables as a run writes them, entities merged."""
    articles = []
    for path, body, names in PEOPLE_ARTICLES:
        spans = [EntitySpan(body.index(n), body.index(n) + len(n), "PERSON") for n in names]
        document = ParsedDocument("plain_text", path, (body,))
        articles.append(Article(path, "0" * 64, document, tuple(canonicalize(body, spans))))
    tables = build_tables(articles, [], RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC)))
    for name in ("articles", "mentions"):
        relative = partition_path(name, "2026-01-01", "part-0.parquet")
        write_parquet_atomic(str(out), relative, tables[name])
    if entities_schema == ENTITIES_SCHEMA:
        write_parquet_atomic(str(out), staged_entities_file("b"), tables["entities"])
        merge_entities(str(out))
    else:  # a table written before some column existed
        old = tables["entities"].select(entities_schema.names)
        write_parquet_atomic(str(out), partition_path("entities", "2026-01-01", "p.parquet"), old)
    return out


def _article_id(con: duckdb.DuckDBPyConnection, path: str) -> str:
    sql = f"select article_id from articles where source_path = '{path}'"
    return str(con.execute(sql).fetchall()[0][0])


def test_surname_only_mentions_count_toward_the_full_name(tmp_path: Path) -> None:
    con = connect(str(_people_folder(tmp_path)))
    putin = entity_id("PERSON", "Vladimir Putin")
    same_as = dict(con.execute("select name, same_as from entities").fetchall())
    assert same_as["Putin"] == putin
    assert same_as["Kim"] is None  # Kim Jong-un and Kim Yo-jong: linked to neither
    assert {n for n, s in same_as.items() if s} == {"Putin"}
    full, surname = _article_id(con, "full.txt"), _article_id(con, "surname.txt")
    for who in ("Vladimir Putin", "Putin", "PUTIN"):
        rows = con.execute(
            f"select name, entity_id, article_id from mentioned_with('{who}') order by all"
        ).fetchall()
        assert rows == sorted(
            [
                ("Recep Tayyip Erdogan", entity_id("PERSON", "Recep Tayyip Erdogan"), surname),
                ("Xi Jinping", entity_id("PERSON", "Xi Jinping"), full),
            ]
        )
    pairs = con.execute(
        "select other_name, articles, article_ids from entity_cooccurrence "
        f"where entity_id = '{putin}' order by other_name"
    ).fetchall()
    assert pairs == [("Recep Tayyip Erdogan", 1, [surname]), ("Xi Jinping", 1, [full])]
    assert con.execute(
        "select count(*) from entity_cooccurrence where entity_name = 'Putin'"
    ).fetchall() == [(0,)]
    timeline = con.execute(
        "select name, sum(mentions), sum(articles) from entity_timeline "
        "where name like '%Putin%' group by name"
    ).fetchall()
    assert timeline == [("Vladimir Putin", 2, 2)]
    # an unlinked surname stays itself
    with_hollis = con.execute("select name from mentioned_with('Ada Hollis')").fetchall()
    assert with_hollis == [("Kim",)]


def test_entities_written_before_same_as_still_query(tmp_path: Path) -> None:
    old_schema = pa.schema([f for f in ENTITIES_SCHEMA if f.name != "same_as"])
    con = connect(str(_people_folder(tmp_path, old_schema)))
    columns = [r[0] for r in con.execute("describe entities").fetchall()]
    assert set(ENTITIES_SCHEMA.names) <= set(columns)
    assert con.execute("select count(*), count(same_as) from entities").fetchall() == [(8, 0)]
    # without the link, "Putin" is his own entity again, found by the words of his name
    names = {r[0] for r in con.execute("select name from mentioned_with('Putin')").fetchall()}
    assert names == {"Xi Jinping", "Recep Tayyip Erdogan"}
    assert con.execute("select count(*) from entity_timeline").fetchall() == [(8,)]


def test_articles_view_counts_articles_and_index_pages_stand_apart(tmp_path: Path) -> None:
    story = ParsedDocument("html", "Ferry times change", ("The first ferry leaves early.",))
    front = ParsedDocument(
        "html",
        "Harbour news",
        ("Ferry times change", "Fish market reopens"),
        page_kind="index",
        page_kind_score=5,
        page_kind_evidence="short headline +1, section URL +2 (score 5; 4 or more is an index)",
    )
    run = RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC))
    tables = build_tables(
        [Article("story.html", "0" * 64, story), Article("news.html", "1" * 64, front)], [], run
    )
    write_parquet_atomic(
        str(tmp_path), partition_path("articles", "2026-01-01", "p.parquet"), tables["articles"]
    )
    con = connect(str(tmp_path))
    assert con.execute("select source_path from articles").fetchall() == [("story.html",)]
    assert con.execute("select source_path, body, page_kind_score from index_pages").fetchall() == [
        ("news.html", "Ferry times change\n\nFish market reopens", 5)
    ]
    assert con.execute("select count(*) from pages").fetchall() == [(2,)]
    assert con.execute("select count(*) from article_dates").fetchall() == [(1,)]
    assert {"articles", "index_pages", "pages"} <= set(view_names())


def test_articles_whose_entities_were_not_looked_for_are_no_entity_free_news(
    tmp_path: Path,
) -> None:
    from flows.analysis.report.entities_section import looked_for_text

    def article(path: str, body: str, language: str, status: str, *names: str) -> Article:
        spans = [EntitySpan(body.index(n), body.index(n) + len(n), "PERSON") for n in names]
        document = ParsedDocument("plain_text", path, (body,), language=language)
        return Article(path, "0" * 64, document, tuple(canonicalize(body, spans)), status)

    articles = [
        article("named.txt", "Ada Quill spoke to Lorne Vaddy.", "en", "extracted", "Ada Quill"),
        article("nobody.txt", "The tide came in early today.", "en", "extracted"),
        article("german.txt", "Die Flut kam heute früh.", "de", "no_model_for_language"),
        article("quiet.txt", "Rain fell on the hills all day.", "en", "disabled"),
    ]
    tables = build_tables(articles, [], RunInfo("run-1", datetime(2026, 1, 1, tzinfo=UTC)))
    for name in ("articles", "mentions"):
        write_parquet_atomic(
            str(tmp_path), partition_path(name, "2026-01-01", "p.parquet"), tables[name]
        )
    write_parquet_atomic(str(tmp_path), staged_entities_file("b"), tables["entities"])
    merge_entities(str(tmp_path))
    con = connect(str(tmp_path))
    counted = con.execute(
        "select title, entities_status, entities, mentions from article_entity_counts "
        "order by title"
    ).fetchall()
    assert counted == [
        ("german.txt", "no_model_for_language", None, None),
        ("named.txt", "extracted", 1, 1),
        ("nobody.txt", "extracted", 0, 0),
        ("quiet.txt", "disabled", None, None),
    ]
    # entity-free news: only the article whose entities were looked for and found none
    assert con.execute("select title from article_entity_counts where entities = 0").fetchall() == [
        ("nobody.txt",)
    ]
    assert looked_for_text(con) == (
        "Counted over the 2 articles whose entities were looked for; 1 in a language with "
        "no entity model (de 1) and 1 from runs without entities are left out, not counted "
        "as naming no one."
    )
