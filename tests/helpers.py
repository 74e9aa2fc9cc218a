"""Helpers shared by the tests: one run of the pipeline (`flows.run.run`, the function the
flow wraps) with a fixed run id, and the tables as comparable rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.run import RunSummary, run
from flows.settings import Settings
from transforms.output.rows import Article, RejectedInput, RunInfo, article_rows, tables_from_rows
from transforms.schema import PIPELINE_VERSION, TABLE_SCHEMAS

VOLATILE = {"run_id", "ingested_at", "rejected_at", "first_seen_at", "ingest_date"}


def run_pipeline(
    raw: Path,
    out: Path,
    *,
    batch_size: int = 200,
    workers: int = 1,
    full_refresh: bool = False,
    entities: bool = False,
    run_id: str = "20240501T000000-test",
    version: str = PIPELINE_VERSION,
    max_bytes: int = Settings().max_bytes,
    prune: bool = False,
) -> RunSummary:
    """One run over `raw` into `out`, without Prefect, dated 2024-05-01."""
    settings = Settings(
        raw=str(raw),
        out=str(out),
        batch_size=batch_size,
        workers=workers,
        full_refresh=full_refresh,
        entities=entities,
        max_bytes=max_bytes,
        prune=prune,
    )
    return run(settings, info=RunInfo(run_id, datetime(2024, 5, 1, tzinfo=UTC), version))


def read_table(out: Path, name: str) -> list[dict[str, object]]:
    """Every row of a table as DuckDB reads the directory, without per-run columns, sorted."""
    if not list((out / name).rglob("*.parquet")):
        return []
    relation = duckdb.sql(
        f"select * from read_parquet('{out}/{name}/**/*.parquet', hive_partitioning=true)"
    )
    assert relation is not None  # a select always gives a relation
    rows = relation.fetchall()
    columns = [f.name for f in TABLE_SCHEMAS[name]] + ["ingest_date"]
    kept = [{c: v for c, v in zip(columns, row, strict=True) if c not in VOLATILE} for row in rows]
    return sorted(kept, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def snapshot(out: Path) -> dict[str, list[dict[str, object]]]:
    """All tables, comparable between runs."""
    return {name: read_table(out, name) for name in TABLE_SCHEMAS}


def build_tables(
    articles: Sequence[Article], rejects: Sequence[RejectedInput], run: RunInfo
) -> dict[str, pa.Table]:
    """All five tables of some articles and rejects, as one batch builds them (no duplicate
    decisions, no places resolved)."""
    return tables_from_rows([article_rows(a, run) for a in articles], rejects, run)
