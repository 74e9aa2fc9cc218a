"""The benchmark runs end to end on a tiny corpus (CI proves it works; it is not a benchmark)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.run import MARK_END, MARK_START, main


@pytest.mark.timeout(900)
def test_bench_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmark\n\nintro\n\n{MARK_START}\nold\n{MARK_END}\n\nafter\n")
    assert main(["--size", "30", "--out", str(tmp_path / "results"), "--readme", str(readme)]) == 0

    result = json.loads((tmp_path / "results" / "results.json").read_text())
    assert result["size"] == 30 and result["inputs"] == 30
    assert 0 < result["articles"] <= 30 and result["words"] > 300 * result["articles"] * 0.9
    assert result["wall"] > 0 and result["peak_rss_mb"] > 0 and result["noop_wall"] > 0
    assert result["first_run_wall"] > 0 and result["empty_wall"] > 0
    assert result["floor_seconds"] > 0 and result["floor_words"] == result["words"]
    assert result["model_seconds"] > 0
    assert {"read+parse", "entities", "rows"} <= set(result["seconds_by_stage"])
    text = readme.read_text()
    assert "intro" in text and "after" in text and "\nold\n" not in text
    assert "wall / floor" in text and "--size 30" in text


@pytest.mark.timeout(900)  # 3 Prefect start-ups
def test_noop_bench_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    from bench import noop

    readme = tmp_path / "README.md"
    readme.write_text("# Benchmark\n\nintro\n")
    assert (
        noop.main(["--files", "20", "--out", str(tmp_path / "results"), "--readme", str(readme)])
        == 0
    )
    text = readme.read_text()
    assert text.startswith("# Benchmark\n\nintro\n")
    assert noop.MARK_START in text and "| 20 unchanged small files | seconds |" in text
    assert "no-op rerun − start-up" in text
    assert len(list((tmp_path / "results" / "noop-corpus-20").rglob("*.txt"))) == 20
