"""The manifest and commit protocol: incremental runs, changed files, full refresh, recovery.

These tests drive the flow's steps without Prefect (`run_pipeline`): discover, plan, batches,
sequential commit, entity merge, exactly as `flows.pipeline` orders them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.generate import generate_corpus
from flows import manifest as manifest_module
from flows.batch import BATCH_STAGING_DIR, BatchResult, run_batch
from flows.entity_store import merge_entities
from flows.manifest import (
    JOURNAL_DIR,
    MANIFEST_DIR,
    CommitState,
    commit_staged_batch,
    load_manifest,
    recover,
)
from flows.planning import plan_run
from flows.settings import Settings
from flows.storage import discover_files
from transforms.schema import PIPELINE_VERSION, TABLE_SCHEMAS
from transforms.tables import RunInfo

VOLATILE = {"run_id", "ingested_at", "rejected_at", "first_seen_at", "ingest_date"}


def run_pipeline(
    raw: Path,
    out: Path,
    *,
    batch_size: int = 200,
    workers: int = 1,
    full_refresh: bool = False,
    run_id: str = "20240501T000000-test",
    version: str = PIPELINE_VERSION,
    max_bytes: int = Settings().max_bytes,
) -> list[BatchResult]:
    """One run of the flow's steps, in the flow's order, without Prefect."""
    settings = Settings(
        raw=str(raw),
        out=str(out),
        batch_size=batch_size,
        workers=workers,
        full_refresh=full_refresh,
        entities=False,
        max_bytes=max_bytes,
    )
    run = RunInfo(run_id, datetime(2024, 5, 1, tzinfo=UTC), version)
    batches = plan_run(settings, version).batches
    planned = [e.source_path for b in batches for e in b.entries]
    state = CommitState.open(settings.out, planned, run.run_id)
    if workers == 1:
        staged = [run_batch(b, settings, run) for b in batches]
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            staged = list(pool.map(run_batch, batches, repeat(settings), repeat(run)))
    committed = [commit_staged_batch(state, result) for result in staged]
    merge_entities(settings.out)
    return committed


def read_table(out: Path, name: str) -> list[dict[str, object]]:
    """Every row of a table as DuckDB reads the directory, without per-run columns, sorted."""
    if not list((out / name).rglob("*.parquet")):
        return []
    rows = duckdb.sql(
        f"select * from read_parquet('{out}/{name}/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    columns = [f.name for f in TABLE_SCHEMAS[name]] + ["ingest_date"]
    kept = [{c: v for c, v in zip(columns, row, strict=True) if c not in VOLATILE} for row in rows]
    return sorted(kept, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def snapshot(out: Path) -> dict[str, list[dict[str, object]]]:
    """All tables, comparable between runs."""
    return {name: read_table(out, name) for name in TABLE_SCHEMAS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("corpus") / "raw"
    generate_corpus(raw, 60, seed=5, bad_share=0.1, dup_share=0.2, workers=1)
    return raw


@pytest.fixture
def raw(corpus: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "raw"
    for path in sorted(corpus.rglob("*")):
        target = copy / path.relative_to(corpus)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            os.utime(target, ns=(path.stat().st_mtime_ns, path.stat().st_mtime_ns))
    yield copy


def _assert_one_row_per_input(raw: Path, out: Path) -> None:
    inputs = sorted(e.source_path for e in discover_files(str(raw)))
    tables = snapshot(out)
    paths = [r["source_path"] for r in tables["articles"]] + [
        r["source_path"] for r in tables["rejects"]
    ]
    assert sorted(paths) == inputs
    ids = [r["article_id"] for r in tables["articles"]]
    assert len(ids) == len(set(ids))
    assert sorted(load_manifest(str(out))) == inputs


def test_first_run_accounts_for_every_input_and_rerun_adds_nothing(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = run_pipeline(raw, out, batch_size=16)
    assert sum(len(r.manifest_rows) for r in first) == 60
    _assert_one_row_per_input(raw, out)
    before = snapshot(out)
    files = sorted(p for p in out.rglob("*") if p.is_file() and "_runs" not in p.parts)
    assert run_pipeline(raw, out, batch_size=16, run_id="20240502T000000-again") == []
    assert snapshot(out) == before
    assert sorted(p for p in out.rglob("*") if p.is_file()) == files


def test_changed_file_replaces_its_rows(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_pipeline(raw, out, batch_size=16)
    article = next(r for r in read_table(out, "articles") if r["source_path"].endswith(".txt"))
    path = raw / str(article["source_path"])
    path.write_bytes(b"Changed headline\n\nA late paragraph added by the newsroom replaced it.\n")
    results = run_pipeline(raw, out, batch_size=16, run_id="20240502T000000-changed")
    assert [len(r.manifest_rows) for r in results] == [1]
    rows = [r for r in read_table(out, "articles") if r["source_path"] == article["source_path"]]
    assert len(rows) == 1
    assert "late paragraph" in str(rows[0]["body"])
    _assert_one_row_per_input(raw, out)


def test_full_refresh_and_new_version_replace_instead_of_appending(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_pipeline(raw, out, batch_size=16)
    before = snapshot(out)
    refreshed = run_pipeline(raw, out, batch_size=7, full_refresh=True, run_id="20240502T0-r")
    assert sum(len(r.manifest_rows) for r in refreshed) == 60
    assert snapshot(out) == before
    upgraded = run_pipeline(raw, out, batch_size=25, version="9.9.9", run_id="20240503T0-v")
    assert sum(len(r.manifest_rows) for r in upgraded) == 60
    after = snapshot(out)
    assert {r["pipeline_version"] for r in after["articles"]} == {"9.9.9"}
    assert len(after["articles"]) == len(before["articles"])
    _assert_one_row_per_input(raw, out)


def test_failing_checks_leave_the_tables_untouched(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(
        manifest_module,
        "check_batch",
        lambda tables, inputs: ["mentions: offsets outside the body"] if len(inputs) < 16 else [],
    )
    results = run_pipeline(raw, out, batch_size=16)
    failed = [r for r in results if r.failure]
    assert [r.failure for r in failed] == ["mentions: offsets outside the body"]
    assert failed[0].counts == {}
    committed = {r["source_path"] for r in failed[0].manifest_rows}
    assert committed.isdisjoint(load_manifest(str(out)))
    assert not (out / BATCH_STAGING_DIR / failed[0].batch_id).exists()
    monkeypatch.undo()
    assert [len(r.manifest_rows) for r in run_pipeline(raw, out, batch_size=16)] == [12]
    _assert_one_row_per_input(raw, out)


def test_recover_rolls_a_journal_forward_and_drops_uncommitted_work(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, out = tmp_path / "clean", tmp_path / "out"
    run_pipeline(raw, clean, batch_size=16)

    def die_after_journal(out: str, journal: dict[str, object]) -> list[str]:
        raise KeyboardInterrupt  # the process dies right after the commit point

    monkeypatch.setattr(manifest_module, "_apply_journal", die_after_journal)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(raw, out, batch_size=16)
    monkeypatch.undo()
    assert list((out / JOURNAL_DIR).glob("*.json"))
    assert not (out / MANIFEST_DIR).exists()
    orphan = out / BATCH_STAGING_DIR / "deadbeefdeadbeef"
    orphan.mkdir(parents=True)
    (orphan / "articles.parquet").write_bytes(b"half")
    half_written = out / "articles" / "ingest_date=2024-05-01" / ".part-x.parquet.1234.tmp"
    half_written.parent.mkdir(parents=True, exist_ok=True)
    half_written.write_bytes(b"PAR1 half")
    assert recover(str(out)) == 1
    assert not orphan.exists() and not half_written.exists()
    assert len(load_manifest(str(out))) == 16
    run_pipeline(raw, out, batch_size=16)
    assert snapshot(out) == snapshot(clean)
    for path in out.rglob("*.parquet"):
        pq.read_table(path)


def test_staged_files_are_invisible_to_readers(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = Settings(raw=str(raw), out=str(out), batch_size=100, entities=False)
    run = RunInfo("r", datetime(2024, 5, 1, tzinfo=UTC))
    (batch,) = plan_run(settings).batches
    run_batch(batch, settings, run)
    assert not (out / "articles").exists()
    table = pq.read_table(out / BATCH_STAGING_DIR / batch.batch_id / "articles.parquet")
    assert isinstance(table, pa.Table) and table.num_rows > 0
