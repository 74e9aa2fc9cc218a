"""The news-etl flow end to end under a Prefect test harness, read back with pandas and DuckDB."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows.pipeline import news_etl
from transforms.schema import TABLE_SCHEMAS

FIXTURES = Path(__file__).parent / "fixtures" / "raw"


def _run(raw: Path, out: Path) -> dict[str, Any]:
    return news_etl(raw=str(raw), out=str(out), workers=1)


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / name)


@pytest.fixture(scope="module")
def fixture_run(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(FIXTURES, raw, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("out")
    _run(raw, out)
    return out


def test_every_input_is_an_article_or_a_reject(fixture_run: Path) -> None:
    articles, rejects = _table(fixture_run, "articles"), _table(fixture_run, "rejects")
    inputs = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file())
    assert sorted([*articles.source_path, *rejects.source_path]) == inputs
    assert dict(zip(rejects.source_path, rejects.error_type, strict=True)) == {
        "corpus/empty.txt": "empty_file",
        "corpus/image.txt": "binary_content",
    }


def test_formats_titles_and_encodings(fixture_run: Path) -> None:
    articles = _table(fixture_run, "articles").set_index("source_path")
    assert articles.loc["harbour/2024/ferry-strike.txt", "source_format"] == "text_page"
    assert articles.loc["lakeside/museum.txt", "source_format"] == "text_page"
    assert articles.loc["corpus/rates.txt", "source_format"] == "plain_text"
    assert articles.loc["corpus/cafe-cp1252.txt", "title"] == (
        "Café owners in München welcome tourism figures"
    )
    assert "city’s office" in articles.loc["corpus/cafe-cp1252.txt", "body"]
    assert articles.loc["corpus/utf16.txt", "body"].startswith("Scientists at ETH Zürich")
    assert articles.loc["corpus/bom.txt", "title"] == "Drought hits olive harvest in Andalusia"
    assert articles.loc["corpus/wind.txt.gz", "title"] == "Wind farm approved off Scotland"
    museum = articles.loc["lakeside/museum.txt", "body"]
    assert "Listen to this story" not in museum and "Share on social" not in museum
    assert set(articles.language) == {"en"}
    assert (articles.word_count > 5).all()


def test_links_from_navigation_and_text(fixture_run: Path) -> None:
    articles = _table(fixture_run, "articles").set_index("source_path")
    links = _table(fixture_run, "links")
    ferry = links[
        links.article_id == articles.loc["harbour/2024/ferry-strike.txt", "article_id"]
    ].sort_values("position")
    assert list(ferry.kind) == ["previous_article", "next_article", "hyperlink"]
    assert list(ferry.target_title)[:2] == [
        "Harbour Dredging Plan Wins Council Vote",
        "Ice Delays Grain Shipments Across the Baltic",
    ]
    assert ferry.target_url.iloc[2] == "https://nordline.example.com/notices/strike"
    assert ferry.target_url_key.iloc[2] == "nordline.example.com/notices/strike"
    assert ferry.target_title_key.iloc[0] == "harbour dredging plan wins council vote"


def test_mentions_index_the_body_and_entities_are_canonical(fixture_run: Path) -> None:
    articles = _table(fixture_run, "articles").set_index("article_id")
    mentions = _table(fixture_run, "mentions")
    entities = _table(fixture_run, "entities").set_index("entity_id")
    for row in mentions.itertuples():
        assert articles.loc[row.article_id, "body"][row.start_char : row.end_char] == row.surface
    assert entities.index.is_unique
    assert set(mentions.entity_id) <= set(entities.index)
    holm = entities[entities.name == "Karin Holm"]
    assert len(holm) == 1 and holm.type.iloc[0] == "PERSON"
    assert set(mentions[mentions.entity_id == holm.index[0]].surface) == {"Karin Holm", "Holm"}
    assert not entities.type.isin(["DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"]).any()


def test_tables_match_the_declared_schemas(fixture_run: Path) -> None:
    for name, schema in TABLE_SCHEMAS.items():
        files = sorted((fixture_run / name).rglob("*.parquet"))
        assert files, name
        for path in files:
            assert pq.read_schema(path).remove_metadata().equals(schema.remove_metadata()), path
            assert "ingest_date=" in path.parent.name
            assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_duckdb_reads_every_table_with_declared_types(fixture_run: Path) -> None:
    con = duckdb.connect()
    for name, schema in TABLE_SCHEMAS.items():
        relation = con.sql(
            f"select * from read_parquet('{fixture_run}/{name}/**/*.parquet', "
            "hive_partitioning=true)"
        )
        assert relation.columns == [*schema.names, "ingest_date"]
        types = dict(zip(relation.columns, map(str, relation.types), strict=True))
        assert types["ingest_date"] == "DATE"
    kinds = dict(
        con.sql(
            f"select column_name, column_type from (describe select * from "
            f"read_parquet('{fixture_run}/articles/**/*.parquet'))"
        ).fetchall()
    )
    assert kinds["authors"] == "VARCHAR[]"
    assert kinds["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert kinds["word_count"] == "INTEGER"


def test_second_run_adds_nothing(fixture_run: Path, tmp_path: Path) -> None:
    before = {name: len(_table(fixture_run, name)) for name in TABLE_SCHEMAS}
    files_before = sorted(
        p.name for name in TABLE_SCHEMAS for p in (fixture_run / name).rglob("*.parquet")
    )
    summary = news_etl(raw=str(FIXTURES), out=str(fixture_run), workers=1)
    assert summary["inputs_planned"] == 0
    assert {name: len(_table(fixture_run, name)) for name in TABLE_SCHEMAS} == before
    assert (
        sorted(p.name for name in TABLE_SCHEMAS for p in (fixture_run / name).rglob("*.parquet"))
        == files_before
    )


def test_seed_page(prefect_harness: None, seed_pages: list[Path], tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for page in seed_pages:
        shutil.copy(page, raw / page.name)
    out = tmp_path / "out"
    _run(raw, out)
    articles = _table(out, "articles")
    assert len(articles) == 1
    lines = seed_pages[0].read_text(encoding="utf-8").split("\n")
    article = articles.iloc[0]
    assert article.title == lines[0].strip()
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 4
    assert all(p in lines for p in paragraphs)
    assert "No time to read?" not in article.body and "Previous Article" not in article.body
    links = _table(out, "links").sort_values("position")
    nav = [line for line in lines if line.strip()]
    assert list(zip(links.kind, links.target_title, strict=True)) == [
        ("previous_article", nav[nav.index("Previous Article") + 1]),
        ("next_article", nav[nav.index("Next Article") + 1]),
    ]
    entities = _table(out, "entities")
    mentions = _table(out, "mentions").merge(entities, on="entity_id")
    assert sorted(entities[entities.type == "PERSON"].name) == [
        "Dmitry Peskov",
        "Kim Jong-un",
        "Vladimir Putin",
    ]
    putin = mentions[mentions.surface.str.contains("Putin")]
    assert putin.entity_id.nunique() == 1 and len(putin) >= 5
    orgs = set(entities[entities.type == "ORG"].name)
    assert {"Yonhap News Agency", "Korean Central News Agency"} <= orgs
    for row in mentions.itertuples():
        assert article.body[row.start_char : row.end_char] == row.surface
    summary = news_etl(raw=str(raw), out=str(out), workers=1)
    assert summary["inputs_planned"] == 0
    assert len(_table(out, "mentions")) == len(mentions)
