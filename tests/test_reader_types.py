"""Every reader the README names reads every column with its natural type: dates as dates,
integers as integers, booleans as booleans, the partition column `ingest_date` included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.analyst_fixtures import processed
from transforms.schema import PARTITION_COLUMN, TABLE_SCHEMAS

__all__ = ["processed"]

TABLES = sorted(TABLE_SCHEMAS)


def _pandas_dtype(field: pa.Field) -> str:
    kind = field.type
    if pa.types.is_integer(kind):
        name = str(kind)
        return name.capitalize() if field.nullable else name
    if pa.types.is_boolean(kind):
        return "boolean" if field.nullable else "bool"
    if pa.types.is_date32(kind):
        return "date32[day][pyarrow]"
    if pa.types.is_timestamp(kind):
        return "datetime64[us, UTC]"
    if pa.types.is_floating(kind):
        return "float64"
    if pa.types.is_string(kind):
        return "str"
    return "object"  # lists: one array per row


def _polars_dtype(kind: pa.DataType) -> pl.DataType:
    return pl.from_arrow(pa.array([], kind)).dtype  # type: ignore[union-attr]


@pytest.mark.parametrize("table", TABLES)
def test_pandas_reads_the_folder_with_natural_types(processed: Path, table: str) -> None:
    frame = pd.read_parquet(processed / table)
    expected = {f.name: _pandas_dtype(f) for f in TABLE_SCHEMAS[table]}
    expected[PARTITION_COLUMN] = "date32[day][pyarrow]"
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == expected
    assert len(frame) > 0
    assert (frame[PARTITION_COLUMN] > date(2020, 1, 1)).all()  # a date compares with a date


def test_pandas_keeps_integers_and_booleans_with_nulls(processed: Path) -> None:
    entities = pd.read_parquet(processed / "entities")
    places = entities["geonames_id"].dropna()
    assert len(places) > 0 and len(places) < len(entities)  # nulls beside values
    assert places.map(type).eq(int).all() and (places > 0).all()
    links = pd.read_parquet(processed / "links")
    assert set(links["is_internal"].dropna()) <= {True, False}
    assert links["is_internal"].dropna().any() and not links["is_internal"].dropna().all()


@pytest.mark.parametrize("table", TABLES)
def test_polars_reads_the_folder_with_natural_types(processed: Path, table: str) -> None:
    frame = pl.read_parquet(processed / table)
    expected = {f.name: _polars_dtype(f.type) for f in TABLE_SCHEMAS[table]}
    expected[PARTITION_COLUMN] = pl.Date()
    assert dict(frame.schema) == expected
    lazy = pl.scan_parquet(f"{processed}/{table}/**/*.parquet", hive_partitioning=True)
    assert dict(lazy.collect_schema()) == expected


@pytest.mark.parametrize("table", TABLES)
def test_pyarrow_dataset_reads_the_arrow_schema(processed: Path, table: str) -> None:
    partitioning = ds.partitioning(pa.schema([(PARTITION_COLUMN, pa.date32())]), flavor="hive")
    dataset = ds.dataset(processed / table, format="parquet", partitioning=partitioning)
    read = dataset.to_table()
    expected = [(f.name, f.type) for f in TABLE_SCHEMAS[table]] + [(PARTITION_COLUMN, pa.date32())]
    assert [(f.name, f.type) for f in read.schema] == expected
    assert read.num_rows > 0


_DUCKDB_TYPES = {
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us", tz="UTC"): "TIMESTAMP WITH TIME ZONE",
    pa.float64(): "DOUBLE",
    pa.string(): "VARCHAR",
    pa.list_(pa.string()): "VARCHAR[]",
}


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_reads_the_folder_with_natural_types(processed: Path, table: str) -> None:
    relation = duckdb.sql(
        f"select * from read_parquet('{processed}/{table}/**/*.parquet', hive_partitioning=true)"
    )
    assert relation is not None  # a select always gives a relation
    expected = {f.name: _DUCKDB_TYPES[f.type] for f in TABLE_SCHEMAS[table]}
    expected[PARTITION_COLUMN] = "DATE"
    assert dict(zip(relation.columns, map(str, relation.types), strict=True)) == expected
