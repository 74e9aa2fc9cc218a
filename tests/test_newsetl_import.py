"""`import newsetl`: the analyst API under a name an analyst's project does not shadow, even
when the project has folders named `flows/` and `transforms/` of its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import newsetl
from tests.helpers import read_table, run_pipeline

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "raw"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("newsetl-import") / "processed"
    run_pipeline(FIXTURES, folder)
    return folder


def test_the_readers_give_the_tables_rows(out: Path) -> None:
    articles = newsetl.read_table("articles", str(out))
    assert articles.num_rows == len(read_table(out, "articles")) > 0
    assert newsetl.TABLES == ("articles", "entities", "mentions", "links", "rejects")
    assert "article_dates" in newsetl.view_names()
    con = newsetl.connect(str(out))
    assert con.execute("select count(*) from articles").fetchall() == [(articles.num_rows,)]
    assert newsetl.query("select count(*) as n from rejects", str(out)).to_pylist() == [
        {"n": len(read_table(out, "rejects"))}
    ]
    with pytest.raises(ValueError, match="no table or view 'article'"):
        newsetl.read_table("article", str(out))


def _project(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` as an analyst's project would: its folder (with its own `flows/` and
    `transforms/` packages) first on the path."""
    for package in ("flows", "transforms"):
        (tmp_path / package).mkdir(parents=True)
        (tmp_path / package / "__init__.py").write_text('"""The analyst\'s own."""\n')
    (tmp_path / "analysis.py").write_text(textwrap.dedent(script))
    return subprocess.run(
        [sys.executable, "analysis.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )


def test_a_project_with_its_own_flows_folder_still_reads_the_tables(
    tmp_path: Path, out: Path
) -> None:
    clash = _project(
        tmp_path / "a", f"from flows.analysis.query import connect\nconnect({str(out)!r})\n"
    )
    assert clash.returncode != 0 and "flows.analysis" in clash.stderr  # the clash newsetl avoids
    done = _project(
        tmp_path / "b",
        f"""
        import newsetl
        print(newsetl.read_table("articles", {str(out)!r}).num_rows)
        """,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(read_table(out, "articles"))


def test_another_flows_imported_first_is_named_not_used(tmp_path: Path) -> None:
    done = _project(tmp_path, "import flows\nimport newsetl\n")
    assert done.returncode != 0
    assert "another package named 'flows' is already imported" in done.stderr
