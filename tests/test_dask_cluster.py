"""A real Dask cluster: `dask scheduler` and two `dask worker` processes started from the
command line, raw and out on an S3 server (moto's, on a loopback port). One worker is killed
(SIGKILL) once the first batch is committed; the run (and the rerun that retries what a
killed batch left) gives the tables of one clean local run."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate_corpus
from tests.helpers import snapshot

pytestmark = pytest.mark.slow

BUCKET = "newsetl-cluster"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def s3_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A moto S3 server with an empty bucket; the AWS variables that reach it."""
    import s3fs
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()
    s3fs.S3FileSystem().mkdir(BUCKET)
    try:
        yield env
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as handle:
        return subprocess.Popen(
            command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def _wait_for_line(log: Path, text: str, proc: subprocess.Popen[bytes]) -> None:
    """Block until a process has written `text` to its log (it failed if it exits first)."""
    done = threading.Event()
    while not done.wait(0.1):
        if text in log.read_text(errors="replace"):
            return
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]


@pytest.fixture
def cluster(
    prefect_harness: None, s3_env: dict[str, str], tmp_path: Path
) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """`dask scheduler` and two `dask worker` processes, the workers with the S3 variables
    and the Prefect API of this session's test server in their environment."""
    from flows.pipeline import dask_worker_env

    env = {**os.environ, **s3_env, **dask_worker_env()}
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(
        [
            str(BIN / "dask"),
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        env,
        tmp_path / "scheduler.log",
    )
    procs = [scheduler]
    try:
        _wait_for_line(tmp_path / "scheduler.log", "Scheduler at", scheduler)
        for n in (1, 2):
            log = tmp_path / f"worker-{n}.log"
            worker = _start(
                [
                    str(BIN / "dask"),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--nworkers",
                    "1",
                    "--name",
                    f"w{n}",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                ],
                env,
                log,
            )
            procs.append(worker)
            _wait_for_line(log, "Registered to", worker)
        yield address, procs
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _kill_after_first_commit(
    worker: subprocess.Popen[bytes], fs: Any, stop: threading.Event, killed: threading.Event
) -> None:
    """SIGKILL the worker as soon as a first batch's manifest is on S3."""
    while not stop.wait(0.05):
        fs.invalidate_cache()
        if fs.glob(f"{BUCKET}/out/_manifest/*.parquet"):
            os.killpg(worker.pid, signal.SIGKILL)
            killed.set()
            return


def test_a_worker_killed_mid_run_loses_nothing(
    cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path
) -> None:
    import s3fs

    from flows.pipeline import RunFailed, news_etl

    address, (_, first_worker, second_worker) = cluster
    raw = tmp_path / "raw"
    generate_corpus(raw, 60, seed=7, workers=1)
    fs = s3fs.S3FileSystem()
    fs.put(str(raw) + "/", f"{BUCKET}/raw/", recursive=True)
    options: dict[str, Any] = {
        "raw": f"s3://{BUCKET}/raw",
        "out": f"s3://{BUCKET}/out",
        "runner": "dask",
        "address": address,
        "batch_size": 4,
        "workers": 2,
        "entities": False,
    }
    stop, killed = threading.Event(), threading.Event()
    killer = threading.Thread(
        target=_kill_after_first_commit, args=(first_worker, fs, stop, killed)
    )
    killer.start()
    try:
        try:
            first = news_etl(**options)
        except RunFailed as exc:  # the lost batch failed: the rerun processes its inputs
            first = asdict(exc.summary)
        killed_during_the_run = killed.is_set()
        stop.set()
        killer.join()
        assert killed_during_the_run
        assert first_worker.wait(timeout=60) == -signal.SIGKILL
        rerun = news_etl(**options)
    finally:
        stop.set()
        killer.join()
    # What the kill cost (seen with -s): Dask reruns a lost batch elsewhere, or the batch
    # fails and the rerun processes its inputs; either way nothing committed is redone.
    print(
        f"first run: {first.get('inputs_planned')} inputs planned, failed batches "
        f"{sorted(first.get('failed_batches', {}))}; rerun: {rerun.get('inputs_planned')} "
        "inputs planned",
        file=sys.stderr,
    )
    assert second_worker.poll() is None
    fs.invalidate_cache()
    fs.get(f"{BUCKET}/out/", str(tmp_path / "cluster-out") + "/", recursive=True)
    shutil.rmtree(tmp_path / "cluster-out" / "_staging", ignore_errors=True)
    # The clean run: the same flow on the local disk with its default runner (dated now, as
    # the cluster's runs are: a page dated after the run's start is not believed).
    local = {**options, "raw": str(raw), "out": str(tmp_path / "local-out")}
    news_etl(**{**local, "runner": "local", "address": ""})
    cluster_tables = snapshot(tmp_path / "cluster-out")
    assert len(cluster_tables["articles"]) >= 50
    local_tables = snapshot(tmp_path / "local-out")
    for name, rows in local_tables.items():
        differing = [
            (row.get("source_path"), key)
            for row, other in zip(rows, cluster_tables[name], strict=False)
            for key in row
            if row[key] != other.get(key)
        ]
        assert (len(rows), differing[:5]) == (len(cluster_tables[name]), []), name
