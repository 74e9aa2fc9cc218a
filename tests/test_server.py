"""The newsetl server: started by the first run, reused by the next, shown and stopped by
`newsetl server`, gone by itself when idle; a run killed with SIGKILL leaves nothing else."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    environment = dict(
        os.environ,
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        NEWSETL_SERVER_IDLE_MINUTES="5",
    )
    environment.pop("PREFECT_API_URL", None)
    yield environment
    subprocess.run([BIN / "newsetl", "server", "stop"], env=environment, timeout=60, check=False)


def _newsetl(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "newsetl", *argv], env=env, capture_output=True, text=True, timeout=300
    )


def _state(env: dict[str, str]) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(
        (Path(env["PREFECT_HOME"]) / "newsetl-server.json").read_text()
    )
    return loaded


def _filter(api_url: str, what: str) -> list[dict[str, object]]:
    request = urllib.request.Request(
        f"{api_url}/{what}/filter",
        data=b"{}",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        found: list[dict[str, object]] = json.loads(answer.read())
    return found


def test_first_run_starts_the_server_next_run_reuses_it_and_stop_stops_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Ferry returns\n\nThe night ferry sails again from Friday.\n")
    out = str(tmp_path / "out")
    first = _newsetl(env, "run", "--raw", str(raw), "--out", out, "--no-entities")
    assert first.returncode == 0, first.stderr
    assert "started the newsetl Prefect server at http://127.0.0.1:" in first.stderr
    state = _state(env)
    second = _newsetl(env, "run", "--raw", str(raw), "--out", out, "--no-entities")
    assert second.returncode == 0 and "started the newsetl" not in second.stderr
    assert _state(env) == state  # the same server
    api = str(state["api_url"])
    runs = _filter(api, "flow_runs")
    assert [r["state_type"] for r in runs] == ["COMPLETED", "COMPLETED"]
    # The UI tells the story: task runs named by what they do, INFO logs on the server.
    tasks = {str(t["name"]) for t in _filter(api, "task_runs")}
    assert {"batch 1/1 (1 input)", "commit batch 1/1 (1 input)"} <= tasks
    logs = [str(entry["message"]) for entry in _filter(api, "logs")]
    assert "batch 1/1 (1 input): 1 articles, 0 rejects [], 0 duplicates" in logs
    status = _newsetl(env, "server", "status")
    assert status.returncode == 0 and f"pid {state['pid']}" in status.stdout
    stop = _newsetl(env, "server", "stop")
    assert stop.returncode == 0 and "stopped http://127.0.0.1:" in stop.stdout
    assert not psutil.pid_exists(int(str(state["pid"])))
    assert _newsetl(env, "server", "status").returncode == 1


def test_the_server_stops_itself_when_no_run_uses_it(env: dict[str, str]) -> None:
    env["NEWSETL_SERVER_IDLE_MINUTES"] = "0.25"
    started = _newsetl(env, "server", "start")
    assert started.returncode == 0, started.stderr
    keeper = psutil.Process(int(str(_state(env)["pid"])))
    family = [keeper, *keeper.children(recursive=True)]
    gone, alive = psutil.wait_procs(family, timeout=120)  # idle after 15 s, checked every 4 s
    assert not alive and len(gone) == len(family) >= 2
    assert not (Path(env["PREFECT_HOME"]) / "newsetl-server.json").exists()


def test_a_killed_run_leaves_only_the_server_it_keeps_on_purpose(
    env: dict[str, str], tmp_path: Path
) -> None:
    from bench.generate import generate_corpus

    raw = tmp_path / "raw"
    generate_corpus(raw, 60, seed=2, bad_share=0.0, workers=1)
    run = subprocess.Popen(
        [BIN / "newsetl", "run", "--raw", raw, "--out", tmp_path / "out", "--batch-size", "10"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    main = psutil.Process(run.pid)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not any(
        "spawn_main" in " ".join(c.cmdline()) for c in _children(main)
    ):
        time.sleep(0.2)
    keeper = psutil.Process(int(str(_state(env)["pid"])))
    kept = {keeper.pid, *(p.pid for p in keeper.children(recursive=True))}
    children = [c for c in _children(main) if c.pid not in kept]
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    gone, alive = psutil.wait_procs(children, timeout=20)
    assert not alive, f"still running after newsetl was killed: {alive}"
    assert len(gone) >= 2  # the workers
    assert keeper.is_running()  # the server newsetl keeps on purpose (stopped by the fixture)


class _OtherHomesServer(BaseHTTPRequestHandler):
    """A healthy Prefect API of another PREFECT_HOME (another user's, a parallel suite's)."""

    def do_GET(self) -> None:
        body = json.dumps({"home": "/elsewhere/.prefect"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_port_taken_after_it_was_chosen_moves_the_server_not_the_run_to_a_stranger(
    env: dict[str, str], tmp_path: Path
) -> None:
    other = ThreadingHTTPServer(("127.0.0.1", 0), _OtherHomesServer)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    taken = other.server_address[1]
    try:
        # The keeper as newsetl starts it (in its home), on a port chosen free and taken since.
        Path(env["PREFECT_HOME"]).mkdir(parents=True)
        keeper = subprocess.Popen(
            [sys.executable, "-m", "flows.server", "keep", str(taken), "5"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while _newsetl(env, "server", "status").returncode != 0:
            assert keeper.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
        api = str(_state(env)["api_url"])
        assert api.startswith("http://127.0.0.1:") and f":{taken}/" not in api
        raw = tmp_path / "raw"
        raw.mkdir()
        (raw / "a.txt").write_text("Bridge reopens\n\nThe old bridge opens to walkers.\n")
        run = _newsetl(env, "run", "--raw", str(raw), "--out", str(tmp_path / "out"))
        assert run.returncode == 0, run.stderr
        assert "started the newsetl" not in run.stderr  # it used the keeper's server
        assert [r["state_type"] for r in _filter(api, "flow_runs")] == ["COMPLETED"]
    finally:
        other.shutdown()


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        children: list[psutil.Process] = process.children(recursive=True)
        return children
    except psutil.Error:
        return []
