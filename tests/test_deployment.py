"""The deployment for real: `prefect server start`, `prefect deploy --all` from prefect.yaml,
a process worker, and `prefect deployment run --watch`, then the Parquet output, the run's
state and its artifacts. Everything started here is stopped in teardown, even on failure.
"""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PREFECT = str(BIN / "prefect")
POOL = "newsetl"
DEPLOYMENT = "news-etl/hourly"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process in its own process group, output to `log`."""
    handle = log.open("wb")
    return subprocess.Popen(
        args, env=env, cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process group: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _prefect(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A `prefect server start` on a free loopback port with its own PREFECT_HOME."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_CLI_PROMPT": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PREFECT_PROFILE", None)
    server = _start(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env,
        home / "server.log",
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (home / "server.log").read_text()
            try:
                if httpx.get(f"{env['PREFECT_API_URL']}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the Prefect server did not answer in 90 s"
            time.sleep(0.5)
        yield env
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def worker(prefect_env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The work pool, the deployment from prefect.yaml, and a process worker on the pool."""
    _prefect(prefect_env, "work-pool", "create", POOL, "--type", "process")
    _prefect(prefect_env, "--no-prompt", "deploy", "--all")
    log = Path(prefect_env["PREFECT_HOME"]) / "worker.log"
    process = _start([PREFECT, "worker", "start", "--pool", POOL, "--limit", "1"], prefect_env, log)
    try:
        yield process
    finally:
        _stop(process)  # workers before the server (the server fixture ends later)


def _write_raw(raw: Path) -> None:
    """Three invented plain articles (one gzipped) and an empty file that becomes a reject."""
    corpus = raw / "wire"
    corpus.mkdir(parents=True)
    (corpus / "bridge.txt").write_text(
        "Tidal bridge reopens in Bergen\n\n"
        "Engineers in Bergen reopened the tidal bridge on Monday after a month of repairs.\n\n"
        "Ingrid Solberg, who leads the works office, said traffic would return to normal.\n",
        encoding="utf-8",
    )
    (corpus / "orchard.txt").write_text(
        "Apple growers count a late harvest\n\n"
        "Growers near Nelson in New Zealand said the cold spring delayed picking by weeks.\n",
        encoding="utf-8",
    )
    (corpus / "library.txt.gz").write_bytes(
        gzip.compress(
            b"City library extends opening hours\n\n"
            b"The library in Porto will stay open until ten at night from next month.\n"
        )
    )
    (corpus / "empty.txt").write_bytes(b"")


def _api(env: dict[str, str], path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = httpx.post(f"{env['PREFECT_API_URL']}{path}", json=body, timeout=30)
    response.raise_for_status()
    result: list[dict[str, Any]] = response.json()
    return result


def test_deployment_run_completes_and_writes_tables(
    prefect_env: dict[str, str], worker: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write_raw(raw)

    deployments = _api(prefect_env, "/deployments/filter", {})
    (deployment,) = [d for d in deployments if d["name"] == "hourly"]
    assert deployment["entrypoint"] == "flows/pipeline.py:news_etl"
    assert [s["schedule"].get("cron") for s in deployment["schedules"]] == ["0 * * * *"]
    assert set(deployment["parameters"]) >= {"raw", "out", "batch_size", "workers"}
    (pull,) = deployment["pull_steps"]
    assert pull["prefect.deployments.steps.set_working_directory"]["directory"] == str(REPO)

    _prefect(
        prefect_env,
        "deployment",
        "run",
        DEPLOYMENT,
        "--param",
        f"raw={raw}",
        "--param",
        f"out={out}",
        "--param",
        "workers=1",
        "--watch",
        "--watch-timeout",
        "300",
        timeout=330,
    )
    assert worker.poll() is None, "the worker died"

    runs = _api(
        prefect_env,
        "/flow_runs/filter",
        {"deployments": {"id": {"any_": [deployment["id"]]}}, "sort": "START_TIME_DESC"},
    )
    ran = [r for r in runs if r["parameters"].get("raw") == str(raw)]
    assert len(ran) == 1
    assert ran[0]["state_type"] == "COMPLETED", ran[0]["state"]

    articles = pd.read_parquet(out / "articles")
    rejects = pd.read_parquet(out / "rejects")
    assert sorted(articles.source_path) == [
        "wire/bridge.txt",
        "wire/library.txt.gz",
        "wire/orchard.txt",
    ]
    assert list(rejects.source_path) == ["wire/empty.txt"]
    for table in ("entities", "mentions", "links"):
        pd.read_parquet(out / table)  # readable, even when empty

    artifacts = _api(
        prefect_env, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [ran[0]["id"]]}}}
    )
    by_key = {a["key"]: a for a in artifacts}
    assert by_key["newsetl-run-summary"]["type"] == "markdown"
    assert "| articles | 3 |" in by_key["newsetl-run-summary"]["data"]
    assert by_key["newsetl-rejects"]["type"] == "table"
