"""`bench.same_rows`: the check that a move or a split changes no row, run on the fixtures."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.same_rows import compare, main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "raw"


def test_a_commit_has_the_same_rows_as_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base", "HEAD", "--head", "HEAD", str(FIXTURES)]) == 0
    printed = capsys.readouterr().out
    assert "same  articles: 9 rows vs 9" in printed
    assert printed.endswith("RESULT: identical\n")


def test_a_changed_row_is_found_and_volatile_columns_are_not(tmp_path: Path) -> None:
    for side, title, run in (("a", "One", "r1"), ("b", "Two", "r2")):
        (tmp_path / side / "articles").mkdir(parents=True)
        table = pa.table({"article_id": ["x"], "title": [title], "run_id": [run]})
        pq.write_table(table, tmp_path / side / "articles" / f"part-{side}.parquet")
        (tmp_path / side / "rejects").mkdir()
        pq.write_table(pa.table({"run_id": [run]}), tmp_path / side / "rejects" / "p.parquet")
    assert compare(tmp_path / "a", tmp_path / "b") == [
        "DIFF  articles: 1 rows vs 1",
        "same  rejects: 1 rows vs 1",
    ]
