"""kill -9 at random moments, rerun, and get exactly the tables of one clean run.

A real `newsetl run` subprocess (its own process group, so its workers die with it) is
killed with SIGKILL at seeded random moments and, for some kills, the moment a hidden
temporary Parquet file appears (a write in progress). Runs share one Prefect server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from random import Random

import pyarrow.parquet as pq
import pytest

from bench.generate import generate_corpus
from flows.storage import discover_files
from tests.test_manifest import snapshot

pytestmark = pytest.mark.slow

INPUTS = 1000  # 10 batches of 100: six kills of at most two batches' progress each
KILLS = 6
SEED = 20240501
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = dict(
        os.environ,
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen(
        [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(server.pid, signal.SIGTERM)
        pytest.fail("Prefect server did not start")
    yield dict(env, PREFECT_API_URL=url)
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _command(raw: Path, out: Path) -> list[str]:
    return [
        str(BIN / "newsetl"), "run", "--raw", str(raw), "--out", str(out),
        "--no-entities", "--batch-size", "100", "--workers", "2", "--quiet",
    ]  # fmt: skip


def _run(raw: Path, out: Path, env: dict[str, str]) -> None:
    done = subprocess.run(_command(raw, out), env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-3000:]


def _temporary_files(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.tmp")] if out.exists() else []


def _committed(out: Path) -> int:
    folder = out / "_manifest"
    return len(list(folder.glob("*.parquet"))) if folder.exists() else 0


def _run_and_kill(
    raw: Path, out: Path, env: dict[str, str], batches: int, extra: float, during_write: bool
) -> str:
    """Kill the run `extra` seconds after `batches` more batches are committed (or, for
    `during_write`, at the first temporary Parquet file seen after that)."""
    target = _committed(out) + batches
    process = subprocess.Popen(
        _command(raw, out),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    how = "after a delay"
    while process.poll() is None and _committed(out) < target:
        time.sleep(0.02)
    deadline = time.monotonic() + extra
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    while during_write and process.poll() is None:
        if _temporary_files(out):
            how = "during a parquet write"
            break
        time.sleep(0.001)
    if process.poll() is not None:
        return f"finished before the kill (exit {process.returncode})"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return how


def test_kill_9_at_random_moments_then_rerun_equals_one_clean_run(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, INPUTS, seed=7, workers=1)
    clean, out = tmp_path / "clean", tmp_path / "out"
    _run(raw, clean, prefect_env)
    expected = snapshot(clean)

    rng = Random(SEED)
    outcomes = []
    for kill in range(KILLS):
        batches, extra = rng.randint(0, 2), rng.uniform(0.0, 0.5)
        outcomes.append(
            _run_and_kill(raw, out, prefect_env, batches, extra, during_write=kill % 2 == 1)
        )
    print("kills:", outcomes)
    assert outcomes.count("during a parquet write") >= 2, outcomes
    assert sum(not o.startswith("finished") for o in outcomes) >= 5, outcomes
    for path in out.rglob("*.parquet"):  # what readers see after a kill is always whole
        if not path.name.startswith("."):
            pq.read_table(path)

    _run(raw, out, prefect_env)
    got = snapshot(out)
    for name in expected:
        assert len(got[name]) == len(expected[name]), name
        assert got[name] == expected[name], name
    ids = [r["article_id"] for r in got["articles"]]
    assert len(ids) == len(set(ids))
    assert len(got["articles"]) + len(got["rejects"]) == len(discover_files(str(raw)))
    assert not _temporary_files(out)
    assert not list((out / "_staging" / "batches").glob("*"))
