"""A kill during the first server start (issue 29, item 5): the next newsetl adopts the server
that start left, never starts a second one on the same database."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from tests.test_server import BIN, _newsetl, _state, env

__all__ = ["env"]  # the isolated PREFECT_HOME fixture, shared
pytestmark = pytest.mark.slow


def _keepers(home: str) -> list[psutil.Process]:
    """The newsetl server keepers of one PREFECT_HOME."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            command = " ".join(process.info["cmdline"] or [])
            if "flows.server keep" in command and process.environ().get("PREFECT_HOME") == home:
                found.append(process)
        except psutil.Error:
            continue
    return found


def test_a_kill_during_the_first_server_start_leaves_a_server_the_next_run_adopts(
    env: dict[str, str],
) -> None:
    first = subprocess.Popen(
        [BIN / "newsetl", "server", "start"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    newsetl = psutil.Process(first.pid)
    deadline = time.monotonic() + 120
    keeper = None
    while keeper is None and time.monotonic() < deadline:  # the keeper exists: kill now,
        children = newsetl.children(recursive=True)  # long before its server answers
        keeper = next((c for c in children if "keep" in " ".join(c.cmdline())), None)
    assert keeper is not None
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    again = _newsetl(env, "server", "start")
    assert again.returncode == 0, again.stderr
    assert "already running: http://127.0.0.1" in again.stdout
    assert int(str(_state(env)["pid"])) == keeper.pid
    assert [p.pid for p in _keepers(env["PREFECT_HOME"])] == [keeper.pid]
    assert Path(env["PREFECT_HOME"], "newsetl-server.json").exists()
