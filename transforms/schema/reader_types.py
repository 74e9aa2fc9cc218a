"""What a table's files say about their columns' types to readers that would otherwise guess.

pandas turns a nullable integer column into float64 and a nullable boolean into object, and
reads a Hive partition folder (`ingest_date=2024-11-13`) as an unordered categorical of
strings. The `pandas` key of a Parquet file's schema metadata is how pandas itself records
a column's dtype for the round trip: pyarrow's `to_pandas` builds every column named there
with an extension dtype through that dtype's `__from_arrow__` (the partition column too,
which no file holds: it is cast from the folder's text). DuckDB, Polars and Spark ignore
the key (they read the Parquet types, and infer a date from the folder name).
"""

from __future__ import annotations

import json

import pyarrow as pa

DATE_DTYPE = "date32[day][pyarrow]"
"""pandas dtype of a date: `datetime.date` values that compare with dates, nulls as <NA>."""

_NULLABLE_DTYPES = {
    pa.int32(): ("int32", "Int32"),
    pa.int64(): ("int64", "Int64"),
    pa.bool_(): ("bool", "boolean"),
}


def _column(name: str, pandas_type: str, dtype: str) -> dict[str, object]:
    return {
        "name": name,
        "field_name": name,
        "pandas_type": pandas_type,
        "numpy_type": dtype,
        "metadata": None,
    }


def pandas_columns(schema: pa.Schema, partition_column: str) -> list[dict[str, object]]:
    """The columns that pandas would read with a lossy or unordered type, with the dtype
    each should have: nullable integers and booleans, dates, and the partition column."""
    columns = []
    for field in schema:
        if pa.types.is_date32(field.type):
            columns.append(_column(field.name, "date", DATE_DTYPE))
        elif field.nullable and field.type in _NULLABLE_DTYPES:
            pandas_type, dtype = _NULLABLE_DTYPES[field.type]
            columns.append(_column(field.name, pandas_type, dtype))
    columns.append(_column(partition_column, "date", DATE_DTYPE))
    return columns


def with_reader_types(schema: pa.Schema, partition_column: str) -> pa.Schema:
    """`schema` carrying the pandas metadata that gives each column its natural pandas type
    (`Int64`, `boolean`, a date dtype for dates and for the partition column)."""
    pandas = {
        "index_columns": [],
        "column_indexes": [],
        "columns": pandas_columns(schema, partition_column),
        "creator": {"library": "newsetl", "version": "1"},
        "pandas_version": "2.2.0",
    }
    metadata = dict(schema.metadata or {})
    metadata[b"pandas"] = json.dumps(pandas).encode()
    return schema.with_metadata(metadata)
