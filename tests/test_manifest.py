"""The manifest and commit protocol: incremental runs, changed files, full refresh, recovery.

These tests call `flows.run.run`, the function the Prefect flow wraps (`tests.helpers`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.generate import generate_corpus
from flows import journal as journal_module
from flows.batch import process_batch
from flows.discovery import discover_files
from flows.journal import recover
from flows.layout import JOURNAL_DIR, LOCK_NAME, MANIFEST_DIR, RUNS_DIR
from flows.manifest import load_manifest
from flows.planning import plan_run
from flows.settings import Settings
from tests.helpers import read_table, run_pipeline, snapshot
from transforms.output import finalize as finalize_module
from transforms.output.checks import check_batch
from transforms.output.rows import RunInfo


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
    paths = [str(r["source_path"]) for r in tables["articles"]] + [
        str(r["source_path"]) for r in tables["rejects"]
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
    assert first.inputs_planned == 60 and not first.failed
    _assert_one_row_per_input(raw, out)
    before = snapshot(out)
    files = _table_files(out)
    again = run_pipeline(raw, out, batch_size=16, run_id="20240502T000000-again")
    assert again.inputs_planned == 0 and set(again.rows_added.values()) == {0}
    assert snapshot(out) == before
    assert _table_files(out) == files


def _table_files(out: Path) -> list[tuple[Path, int]]:
    """Every file but the run records and the lock, with its modification time."""
    return sorted(
        (p, p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file() and RUNS_DIR not in p.parts and p.name != LOCK_NAME
    )


def test_changed_file_replaces_its_rows(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_pipeline(raw, out, batch_size=16)
    article = next(r for r in read_table(out, "articles") if str(r["source_path"]).endswith(".txt"))
    path = raw / str(article["source_path"])
    path.write_bytes(b"Changed headline\n\nA late paragraph added by the newsroom replaced it.\n")
    changed = run_pipeline(raw, out, batch_size=16, run_id="20240502T000000-changed")
    assert changed.inputs_planned == 1
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
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet"))
    assert sum(f.startswith("articles/") for f in files) == 1  # 60 inputs: one home
    refreshed = run_pipeline(raw, out, batch_size=7, full_refresh=True, run_id="20240502T0-r")
    assert refreshed.inputs_planned == 60
    assert snapshot(out) == before
    # Each input's rows stay in its home files: another batch size names no new file.
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.parquet")) == files
    upgraded = run_pipeline(raw, out, batch_size=25, version="9.9.9", run_id="20240503T0-v")
    assert upgraded.inputs_planned == 60
    after = snapshot(out)
    assert {r["pipeline_version"] for r in after["articles"]} == {"9.9.9"}
    assert len(after["articles"]) == len(before["articles"])
    _assert_one_row_per_input(raw, out)


def test_failing_checks_leave_the_tables_untouched(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(
        finalize_module,
        "check_batch",
        lambda tables, inputs: ["mentions: offsets outside the body"] if len(inputs) < 16 else [],
    )
    summary = run_pipeline(raw, out, batch_size=16)
    assert summary.failed
    assert list(summary.failed_batches.values()) == ["mentions: offsets outside the body"]
    assert summary.rows_added["articles"] + summary.rows_added["rejects"] == 48
    assert len(load_manifest(str(out))) == 48
    assert not (out / JOURNAL_DIR).exists() or not any((out / JOURNAL_DIR).iterdir())
    monkeypatch.undo()
    assert run_pipeline(raw, out, batch_size=16).inputs_planned == 12
    _assert_one_row_per_input(raw, out)


def test_recover_rolls_a_journal_forward_and_drops_uncommitted_work(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, out = tmp_path / "clean", tmp_path / "out"
    run_pipeline(raw, clean, batch_size=16)

    def die_after_journal(out: str, journal: dict[str, object]) -> None:
        raise KeyboardInterrupt  # the process dies right after the commit point

    monkeypatch.setattr(journal_module, "_apply_journal", die_after_journal)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(raw, out, batch_size=16)
    monkeypatch.undo()
    assert list((out / JOURNAL_DIR).glob("*.json"))
    assert not (out / MANIFEST_DIR).exists()
    orphan = out / JOURNAL_DIR / "deadbeefdeadbeef"
    orphan.mkdir(parents=True)
    (orphan / "0000.parquet").write_bytes(b"half")
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


def test_a_batch_writes_nothing_until_its_commit(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = Settings(raw=str(raw), out=str(out), batch_size=100, workers=1, entities=False)
    (batch,) = plan_run(settings).batches
    output = process_batch(batch, settings, RunInfo("r", datetime(2024, 5, 1, tzinfo=UTC)))
    assert len(output.articles) + len(output.rejects) == 60
    assert not out.exists()


def test_a_batch_that_fails_its_checks_is_no_original_for_later_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "wire").mkdir(parents=True)
    story = "Storm hits coast\n\n" + "The storm closed the port and the schools on Monday. " * 20
    (raw / "wire" / "a-original.txt").write_text(story)
    (raw / "wire" / "b-copy.txt").write_text(story)
    real = check_batch  # the function `finalize_module` imports
    monkeypatch.setattr(
        finalize_module,
        "check_batch",
        lambda tables, inputs: (
            ["fails"] if "wire/a-original.txt" in inputs else real(tables, inputs)
        ),
    )
    summary = run_pipeline(raw, out, batch_size=1)
    assert list(summary.failed_batches) == ["batch 1/2 (1 input)"]
    (copy,) = read_table(out, "articles")
    assert copy["source_path"] == "wire/b-copy.txt" and copy["duplicate_of"] is None
