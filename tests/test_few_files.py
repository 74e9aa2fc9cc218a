"""Few files for readers: new inputs join the run's open home until it holds HOME_INPUTS,
so each table gets a file per HOME_INPUTS inputs, not one per batch, with the same rows."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import flows.homes
from bench.generate import generate_corpus
from tests.helpers import run_pipeline, snapshot


def _files(out: Path, table: str) -> int:
    return len(list((out / table).rglob("*.parquet")))


def test_homes_fill_up_to_their_size_then_a_new_one_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate_corpus(tmp_path / "raw", 40, seed=3, workers=1)
    run_pipeline(tmp_path / "raw", tmp_path / "per-batch", batch_size=4)
    monkeypatch.setattr(flows.homes, "HOME_INPUTS", 16)
    summary = run_pipeline(tmp_path / "raw", tmp_path / "homes", batch_size=4)
    assert summary.inputs_planned == 40
    # 10 batches of 4 inputs: homes of 16, 16 and 8 inputs, in every table and state folder
    for folder in ("articles", "links", "rejects", "mentions", "_manifest", "_dedup"):
        assert _files(tmp_path / "homes", folder) == 3, folder
    assert _files(tmp_path / "per-batch", "articles") == 1  # 40 < 10,000: one home
    # a home grows by a row group per batch, its old row groups copied, not decoded
    groups = sorted(
        pq.ParquetFile(path).metadata.num_row_groups
        for path in (tmp_path / "homes" / "articles").rglob("*.parquet")
    )
    assert groups == [2, 4, 4]
    assert snapshot(tmp_path / "homes") == snapshot(tmp_path / "per-batch")
    # a rerun adds nothing; a changed input is rewritten in its home
    assert run_pipeline(tmp_path / "raw", tmp_path / "homes", batch_size=4).inputs_planned == 0
    changed = sorted(p for p in (tmp_path / "raw").rglob("*.txt"))[0]
    changed.write_text("A new headline for the harbour\n\nThe harbour board met again today.\n")
    again = run_pipeline(tmp_path / "raw", tmp_path / "homes", batch_size=4)
    assert again.inputs_planned == 1
    assert _files(tmp_path / "homes", "articles") == 3
    titles = [r["title"] for r in snapshot(tmp_path / "homes")["articles"]]
    assert titles.count("A new headline for the harbour") == 1
