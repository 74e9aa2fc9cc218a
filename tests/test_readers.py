"""Readers never see half a commit: while a run replaces every input's rows and merges
entities, a plain directory reader sees each input exactly once and each entity once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from bench.generate import generate_corpus
from tests.helpers import run_pipeline

pytestmark = pytest.mark.slow

_RERUN = """
import sys
from datetime import UTC, datetime
from flows.run import run
from flows.settings import Settings
from transforms.output.rows import RunInfo
raw, out = sys.argv[1:]
settings = Settings(raw=raw, out=out, batch_size=7, workers=1, full_refresh=True)
run(settings, info=RunInfo("20240502T000000-rerun", datetime(2024, 5, 2, tzinfo=UTC)))
"""


def _read(out: Path, table: str, columns: list[str]) -> dict[str, list[str]]:
    """The `columns` of `table`: all of them are string columns."""
    dataset = ds.dataset(out / table, format="parquet", partitioning="hive")
    values: dict[str, list[str]] = dataset.to_table(columns=columns).to_pydict()
    return values


def test_a_reader_never_sees_a_duplicate_or_a_missing_row(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate_corpus(raw, 90, seed=3, bad_share=0.1, dup_share=0.2, workers=1)
    run_pipeline(raw, out, batch_size=20, entities=True)
    inputs = sorted(
        _read(out, "articles", ["source_path"])["source_path"]
        + _read(out, "rejects", ["source_path"])["source_path"]
    )
    assert len(inputs) == 90
    for path in sorted(raw.rglob("*.txt"))[::3]:  # a third of the inputs change
        path.write_bytes(path.read_bytes() + b"\n\nA correction was added to this story.\n")
    rerun = subprocess.Popen([sys.executable, "-c", _RERUN, str(raw), str(out)])
    reads = 0
    try:
        while rerun.poll() is None or reads == 0:
            articles = _read(out, "articles", ["article_id", "source_path"])
            rejects = _read(out, "rejects", ["source_path"])
            ids = articles["article_id"]
            assert len(ids) == len(set(ids)), "an article seen twice"
            assert sorted(articles["source_path"] + rejects["source_path"]) == inputs
            entity_ids = _read(out, "entities", ["entity_id"])["entity_id"]
            assert len(entity_ids) == len(set(entity_ids)), "an entity seen twice"
            reads += 1
            time.sleep(0.01)
    finally:
        rerun.wait(timeout=600)
    assert rerun.returncode == 0
    assert reads > 20  # the reads really overlapped the commits
    body = _read(out, "articles", ["body"])["body"]
    assert sum("A correction was added" in str(text) for text in body) >= 5  # rows replaced
