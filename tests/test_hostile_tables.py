"""Tables always readable and consistent (issue 29, item 4): every table exists from the first
commit, a reader's views never join a mention to an entity not yet published, a deleted table
file or entities table is rebuilt by the next run, and an output named like a glob is read
as itself."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from flows.analysis.query import run_query
from flows.run import Steps, run
from flows.settings import Settings
from tests.helpers import read_table, run_pipeline, snapshot
from transforms.output.rows import RunInfo

ARTICLES = {
    "a.txt": "Merkel meets Macron\n\nAngela Merkel met Emmanuel Macron in Paris on Monday.\n",
    "b.txt": "Bank raises rates\n\nThe Bank of England raised rates in London on Tuesday.\n",
    "c.txt": "Talks in Berlin\n\nOlaf Scholz and Angela Merkel spoke in Berlin on Friday.\n",
}


class Killed(Exception):
    """Stands for a kill -9 at the merge: nothing after it runs."""


class _KilledAtTheMerge(Steps):
    def merge_entities(self, settings: Settings, rows_removed: bool) -> int:
        raise Killed


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables") / "raw"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def clean(raw: Path) -> Path:
    out = raw.parent / "clean"
    run_pipeline(raw, out, entities=True)
    return out


def test_a_run_killed_before_the_merge_leaves_every_table_readable(
    raw: Path, clean: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    settings = Settings(raw=str(raw), out=str(out), workers=1, entities=True)
    info = RunInfo("20240501T000000-test", datetime(2024, 5, 1, tzinfo=UTC))
    with pytest.raises(Killed):
        run(settings, steps=_KilledAtTheMerge(), info=info)
    for table in ("articles", "entities", "mentions", "links", "rejects"):
        pd.read_parquet(out / table)  # every table readable, entities empty
    assert read_table(out, "entities") == []
    assert len(read_table(out, "mentions")) > 0
    assert run_query("select count(*) as n from _resolved_mentions", str(out)).to_pylist() == [
        {"n": 0}
    ]  # no mention joined to an entity not yet published
    run_pipeline(raw, out, entities=True)  # the next run merges what was staged
    assert snapshot(out) == snapshot(clean)


@pytest.mark.parametrize("victim", ["entities", "mentions", "articles"])
def test_a_deleted_table_is_rebuilt_by_the_next_run(
    raw: Path, clean: Path, tmp_path: Path, victim: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    if victim == "entities":
        shutil.rmtree(out / victim)
    else:
        (next((out / victim).rglob("*.parquet"))).unlink()
    summary = run_pipeline(raw, out, entities=True, run_id="20240502T000000-test")
    assert summary.repaired_inputs == len(ARTICLES)
    assert snapshot(out) == snapshot(clean)


def test_an_output_named_like_a_glob_is_read_as_itself(raw: Path, tmp_path: Path) -> None:
    sibling, out = tmp_path / "g1", tmp_path / "g[1]"
    only = raw.parent / "one"
    only.mkdir(exist_ok=True)
    shutil.copy(raw / "a.txt", only / "a.txt")
    run_pipeline(raw, sibling)
    run_pipeline(only, out)
    counted = run_query("select count(*) as n from articles", str(out)).to_pylist()
    assert counted == [{"n": 1}]
