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

INPUTS = 1500
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


def _run(raw: Path, out: Path, env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(_command(raw, out), env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return time.monotonic() - started


def _temporary_files(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.tmp")] if out.exists() else []


def _run_and_kill(
    raw: Path, out: Path, env: dict[str, str], delay: float, during_write: bool
) -> str:
    process = subprocess.Popen(
        _command(raw, out),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    started = time.monotonic()
    how = "timer"
    while process.poll() is None and time.monotonic() - started < delay:
        if during_write and time.monotonic() - started > delay / 3 and _temporary_files(out):
            how = "during a parquet write"
            break
        time.sleep(0.002 if during_write else 0.05)
    if process.poll() is not None:
        return "finished before the kill"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return how


def test_kill_9_at_random_moments_then_rerun_equals_one_clean_run(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, INPUTS, seed=7, workers=1)
    clean, out = tmp_path / "clean", tmp_path / "out"
    clean_seconds = _run(raw, clean, prefect_env)
    expected = snapshot(clean)

    rng = Random(SEED)
    outcomes = []
    for kill in range(KILLS):
        delay = rng.uniform(0.3, 1.0) * clean_seconds
        outcomes.append(_run_and_kill(raw, out, prefect_env, delay, during_write=kill % 2 == 1))
    assert outcomes.count("during a parquet write") >= 1, outcomes
    assert sum(o != "finished before the kill" for o in outcomes) >= 5, outcomes
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
