"""`newsetl sql` and `newsetl query` as a user sees them: in a real pseudo-terminal of 120
columns (pexpect), in a pipe, and the `duckdb` CLI the set-up installs over `newsetl views`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.analyst_fixtures import processed
from transforms.schema import ARTICLES_SCHEMA

__all__ = ["processed"]

# A dev dependency: a checkout synced before it was added skips rather than fails (uv sync).
pexpect = pytest.importorskip("pexpect", reason="pexpect is not installed: run uv sync")

BIN = Path(sys.executable).parent
COLUMNS = 120
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _spawn(args: list[str], tmp_path: Path) -> Any:
    env = {**os.environ, "TERM": "xterm", "NEWSETL_HISTORY": str(tmp_path / "history")}
    return pexpect.spawn(
        str(BIN / "newsetl"),
        args,
        dimensions=(40, COLUMNS),
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def _until(child: Any, pattern: str) -> str:
    """What the terminal shows up to `pattern`, answering the prompt's cursor requests."""
    seen = ""
    while child.expect([r"\x1b\[6n", pattern]) == 0:
        seen += child.before
        child.send("\x1b[1;1R")  # the cursor position a terminal reports
    return _ESCAPE.sub("", seen + child.before + child.after)


def _box_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("┌", "│", "├", "└"))]


def test_the_shell_fits_a_wide_table_in_the_terminal(processed: Path, tmp_path: Path) -> None:
    child = _spawn(["sql", "--out", str(processed)], tmp_path)
    _until(child, "newsetl>")
    child.sendline("select * from articles limit 2;")
    shown = _until(child, r"columns \(\d+ shown\)")
    lines = _box_lines(shown)
    assert len(lines) == 7  # top, names, types, rule, 2 rows, bottom: one line each
    assert all(len(line) <= COLUMNS for line in lines)
    assert re.search(rf"  2 rows +{len(ARTICLES_SCHEMA) + 1} columns \(\d+ shown\)", shown)
    _until(child, "newsetl>")
    child.sendline(".tables")
    assert re.search(r"articles +9 rows", _until(child, r"rejects +2 rows"))
    _until(child, "newsetl>")
    child.sendline("select count(*) as n from articles;")
    assert "  1 row" in _until(child, r"1 row\s")
    _until(child, "newsetl>")
    child.sendline(".quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_query_prints_a_box_on_a_terminal_and_csv_in_a_pipe(
    processed: Path, tmp_path: Path
) -> None:
    sql = "select title, site_name, word_count, body from articles order by title limit 3"
    child = _spawn(["query", sql, "--out", str(processed)], tmp_path)
    child.expect(pexpect.EOF)
    shown = _ESCAPE.sub("", child.before)
    lines = _box_lines(shown)
    assert len(lines) == 8 and all(len(line) <= COLUMNS for line in lines)
    assert "  3 rows" in shown
    piped = subprocess.run(
        [BIN / "newsetl", "query", sql, "--out", str(processed)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    header, first = piped.splitlines()[:2]
    assert header == "title,site_name,word_count,body"
    assert first.startswith("Macron hosts Scholz in Paris,Harbour Times,")
    tsv = subprocess.run(
        [BIN / "newsetl", "query", sql, "--out", str(processed), "--format", "tsv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(tsv.splitlines()) == 4 and tsv.splitlines()[0].split("\t")[3] == "body"


def test_the_duckdb_cli_reads_the_views(processed: Path, tmp_path: Path) -> None:
    duckdb_cli = BIN / "duckdb"
    if not duckdb_cli.exists():
        pytest.skip("the duckdb CLI (PyPI duckdb-cli) is not installed beside this Python")
    views = tmp_path / "views.sql"
    script = subprocess.run(
        [BIN / "newsetl", "views", "--out", str(processed)], capture_output=True, check=True
    )
    views.write_bytes(script.stdout)
    counted = subprocess.run(
        [duckdb_cli, "-init", str(views), "-csv", "-c", "select count(*) as n from articles"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert counted.stdout.splitlines()[-2:] == ["n", "9"]
