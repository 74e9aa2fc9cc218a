"""Same inputs and version give the same rows whatever the batch size or worker count."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.generate import generate_corpus
from tests.helpers import VOLATILE, run_pipeline, snapshot


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "raw"
    generate_corpus(root, 50, seed=13, bad_share=0.1, dup_share=0.3, workers=1)
    return root


def _file_rows(out: Path) -> dict[str, list[dict[str, object]]]:
    """Rows in file order, per table file, without per-run columns."""
    rows = {}
    for path in sorted(out.glob("*/ingest_date=*/*.parquet")):
        table = pq.read_table(path)
        rows[str(path.relative_to(out))] = [
            {k: v for k, v in r.items() if k not in VOLATILE} for r in table.to_pylist()
        ]
    return rows


def test_batch_size_and_workers_do_not_change_the_rows(raw: Path, tmp_path: Path) -> None:
    reference = tmp_path / "b50-w1"
    run_pipeline(raw, reference, batch_size=50, workers=1)
    expected = snapshot(reference)
    assert any(r["duplicate_of"] for r in expected["articles"])
    for batch_size, workers in ((1, 1), (7, 2), (16, 2)):
        out = tmp_path / f"b{batch_size}-w{workers}"
        run_pipeline(raw, out, batch_size=batch_size, workers=workers)
        assert snapshot(out) == expected, (batch_size, workers)


def test_a_rerun_from_scratch_writes_the_same_files_in_the_same_order(
    raw: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    run_pipeline(raw, first, batch_size=16, run_id="20240501T000000-a")
    run_pipeline(raw, second, batch_size=16, run_id="20240509T000000-b")
    assert _file_rows(first) == _file_rows(second)
