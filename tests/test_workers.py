"""The batch workers do not outlive a `newsetl run` killed with SIGKILL."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bench.generate import generate_corpus

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _pool_workers(main: psutil.Process) -> list[psutil.Process]:
    try:
        children = main.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_workers_exit_when_the_run_is_killed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, 80, seed=5, bad_share=0.0, workers=1)
    env = dict(
        os.environ,
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        NEWSETL_SERVER_IDLE_MINUTES="0.25",  # the newsetl server this run starts stops soon
    )
    env.pop("PREFECT_API_URL", None)
    run = subprocess.Popen(
        [
            *(BIN / "newsetl", "run", "--raw", raw, "--out", tmp_path / "out"),
            *("--workers", "2", "--batch-size", "20", "--quiet"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        main = psutil.Process(run.pid)
        deadline = time.monotonic() + 240
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and run.poll() is None and len(workers) < 2:
            time.sleep(0.2)
            workers = _pool_workers(main)
        assert len(workers) == 2, "the run ended or timed out before both workers started"
        os.kill(run.pid, signal.SIGKILL)  # the main process only: the workers are orphaned
        run.wait(timeout=30)
        gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, f"workers still running after their parent was killed: {alive}"
        assert len(gone) == 2
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)


def test_batches_are_submitted_only_a_few_ahead_of_their_commit() -> None:
    """Finished outputs waiting for a slow commit must not pile up in the flow: at most
    `limit` batches are submitted and not yet handed out, and every one is handed out, in
    order."""
    from flows.workers import submitted_ahead

    submitted: list[int] = []
    handed: list[int] = []

    def submit(n: int) -> int:
        submitted.append(n)
        return n * 10

    for item, future in submitted_ahead(range(10), submit, 3):
        assert future == item * 10
        handed.append(item)
        # The next one is submitted before the oldest is handed out (the workers stay busy
        # while it commits), and never more than 3 beyond what was handed out.
        assert len(submitted) == min(10, item + 1 + 3)
    assert handed == list(range(10))
    assert submitted == list(range(10))
