"""The code checks a reviewer runs, run by CI: ruff (lint and format) and mypy on the product,
the benchmarks and the tests (strict on `transforms/`, as `pyproject.toml` configures it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _check(*command: str) -> None:
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"


def test_ruff_finds_nothing() -> None:
    _check(str(BIN / "ruff"), "check", ".")
    _check(str(BIN / "ruff"), "format", "--check", ".")


def test_mypy_finds_nothing_in_the_product_the_benchmarks_and_the_tests() -> None:
    folders = ["flows", "transforms", "newsetl", "bench", "tests"]
    _check(sys.executable, "-m", "mypy", "--cache-dir", "/dev/null", *folders)
