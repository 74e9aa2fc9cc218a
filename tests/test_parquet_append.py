"""Rows added to a Parquet file as a new row group, the old ones copied as bytes
(`flows.parquet_append`): every reader reads the old rows then the new ones."""

from __future__ import annotations

import io
from datetime import UTC
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate_corpus
from flows.parquet_append import (
    NotAppendable,
    footer_start,
    read_struct,
    write_appended,
    write_struct,
)
from flows.storage import Appended, write_parquet_appended, write_parquet_atomic
from tests.helpers import run_pipeline
from transforms.schema import TABLE_SCHEMAS

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("n", pa.int64()),
        ("when", pa.timestamp("us", tz="UTC")),
        ("tags", pa.list_(pa.string())),
        ("score", pa.float64()),
        ("flag", pa.bool_()),
    ]
)
_ROW = st.fixed_dictionaries(
    {
        "id": st.text(max_size=30),
        "n": st.integers(-(2**63), 2**63 - 1),
        "when": st.none() | st.datetimes(timezones=st.just(UTC)),
        "tags": st.none() | st.lists(st.text(max_size=8), max_size=4),
        "score": st.none() | st.floats(allow_nan=False),
        "flag": st.none() | st.booleans(),
    }
)


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _appended(data: bytes, rows: pa.Table) -> bytes:
    sink = io.BytesIO()
    write_appended(io.BytesIO(data), len(data), rows, sink)
    return sink.getvalue()


def _table(rows: list[dict[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(rows, SCHEMA)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_ROW, max_size=12), min_size=1, max_size=5))
def test_a_file_grown_batch_by_batch_reads_as_all_its_batches(
    batches: list[list[dict[str, object]]],
) -> None:
    data = _parquet(_table(batches[0]))
    for rows in batches[1:]:
        data = _appended(data, _table(rows))
    expected = _table([row for rows in batches for row in rows])
    parquet = pq.ParquetFile(io.BytesIO(data))
    assert parquet.read().equals(expected)
    assert parquet.metadata.num_rows == expected.num_rows
    assert parquet.metadata.num_row_groups == len(batches)


def test_duckdb_and_pandas_read_an_appended_file_whole(tmp_path: Path) -> None:
    first = _table([{"id": f"a{i}", "n": i, "tags": ["x"] * (i % 3)} for i in range(500)])
    second = _table([{"id": f"b{i}", "n": -i, "flag": i % 2 == 0} for i in range(300)])
    path = tmp_path / "part-1.parquet"
    path.write_bytes(_appended(_appended(_parquet(first), second), first))
    query = f"select count(*), count(distinct id), sum(n) from read_parquet('{path}')"
    count, ids, total = duckdb.connect().execute(query).fetchone() or (0, 0, 0)
    assert (count, ids, total) == (1300, 800, 2 * sum(range(500)) - sum(range(300)))
    frame = pq.read_table(path).to_pandas()
    assert list(frame["id"][:2]) == ["a0", "a1"] and frame["id"].iloc[500] == "b0"


def test_rows_of_another_schema_are_refused_and_nothing_is_written() -> None:
    data = _parquet(_table([{"id": "a", "n": 1}]))
    other = pa.table({"id": pa.array(["b"]), "n": pa.array([2], pa.int32())})
    sink = io.BytesIO()
    with pytest.raises(NotAppendable):
        write_appended(io.BytesIO(data), len(data), other, sink)
    assert sink.getvalue() == b""
    with pytest.raises(NotAppendable):
        write_appended(io.BytesIO(b"not parquet at all"), 18, _table([]), sink)


def test_a_base_of_an_older_schema_is_rewritten_in_the_new_one(tmp_path: Path) -> None:
    out = str(tmp_path)
    older = pa.table({"id": pa.array(["a"]), "n": pa.array([1], pa.int64())})
    base = write_parquet_atomic(out, "t/part-1.parquet", older)
    rows = _table([{"id": "b", "n": 2, "flag": True}])
    final = write_parquet_appended(out, "t/part-2.parquet", Appended(base, rows))
    table = pq.read_table(final)
    assert table.schema == SCHEMA
    assert table.column("id").to_pylist() == ["a", "b"]
    assert table.column("flag").to_pylist() == [None, True]
    # no temporary file left behind by the refused append
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == [
        "part-1.parquet",
        "part-2.parquet",
    ]


def test_every_footer_the_pipeline_writes_is_read_and_written_back_byte_for_byte(
    tmp_path: Path,
) -> None:
    generate_corpus(tmp_path / "raw", 30, seed=5, workers=1)
    run_pipeline(tmp_path / "raw", tmp_path / "out", batch_size=8)
    paths = [p for p in (tmp_path / "out").rglob("*.parquet") if not p.name.startswith(".")]
    assert {p.relative_to(tmp_path / "out").parts[0] for p in paths} >= set(TABLE_SCHEMAS)
    for path in paths:
        data = path.read_bytes()
        start = footer_start(io.BytesIO(data), len(data))
        assert write_struct(read_struct(data[start:-8])) == data[start:-8], path
