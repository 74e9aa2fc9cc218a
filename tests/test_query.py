"""The query layer: views over the tables, derived views, empty tables, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.cli import main
from flows.query import connect, run_query, view_names
from tests.analyst_fixtures import processed  # noqa: F401  (session fixture)
from transforms.data_dictionary import DERIVED_VIEWS
from transforms.schema import PARTITION_COLUMN, TABLE_SCHEMAS


def test_every_view_is_documented() -> None:
    documented = {v.name.split("(")[0] for v in DERIVED_VIEWS}
    assert set(view_names()) - set(TABLE_SCHEMAS) <= documented


def test_missing_folder_gives_empty_views_with_schema_columns(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "nothing"))
    for table, schema in TABLE_SCHEMAS.items():
        result = con.sql(f"select * from {table}").to_arrow_table()
        assert result.num_rows == 0
        assert result.column_names == [*schema.names, PARTITION_COLUMN]
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
    assert counts == {"articles": 5, "rejects": 2}
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
    assert main(["query", "select count(*) as n from articles", "--out", str(processed)]) == 0
    assert "1 rows" in capsys.readouterr().out
    assert main(["query", "select * from no_such_table", "--out", str(processed)]) == 1
