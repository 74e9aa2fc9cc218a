"""kill -9 at random moments, rerun, and get exactly the tables of one clean run.

A real `newsetl run` subprocess (its own process group, so its workers die with it) is
killed with SIGKILL at seeded random moments and, for some kills, the moment a commit is
seen under way (staged files or a journal in `_staging/commits`). Runs share one server.

The first test runs without entities (batches and commits); the second runs with them on a
small corpus and kills the run in the entity merge at the end of the flow (staged rows under
`_staging/entities/` folded into `entities/`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from random import Random

import pyarrow.parquet as pq
import pytest

from bench.generate import generate_corpus
from flows.discovery import discover_files
from flows.layout import ENTITY_STAGING_DIR, JOURNAL_DIR, MANIFEST_DIR
from tests.helpers import snapshot

pytestmark = pytest.mark.slow

INPUTS = 1000  # 50 batches of 20 (the tail smaller): six kills of <= 2 batches each, and the
# few more that commit within the 0-0.1 s delay, land well before the run ends
KILLS = 6
SEED = 20240501
ENTITY_INPUTS = 160  # 4 batches of 50: the spaCy model loads in every worker of every run
ENTITY_SEED = 20240502
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


def _command(raw: Path, out: Path, entities: bool = False) -> list[str]:
    return [
        str(BIN / "newsetl"), "run", "--raw", str(raw), "--out", str(out),
        *(["--batch-size", "50"] if entities else ["--no-entities", "--batch-size", "20"]),
        "--workers", "2", "--quiet",
    ]  # fmt: skip


def _run(raw: Path, out: Path, env: dict[str, str], entities: bool = False) -> None:
    done = subprocess.run(_command(raw, out, entities), env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-3000:]


def _start(
    raw: Path, out: Path, env: dict[str, str], entities: bool = False
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _command(raw, out, entities),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _committing(out: Path) -> bool:
    """Whether a commit is under way: staged files or a journal under `_staging/commits`
    (cheap to poll, unlike a walk of the whole output for hidden temporary files)."""
    try:
        with os.scandir(out / JOURNAL_DIR) as entries:
            return any(True for _ in entries)
    except FileNotFoundError:
        return False


def _temporary_files(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.tmp")] if out.exists() else []


def _committed(out: Path) -> int:
    """Inputs committed so far (rows of the manifest: a home's file grows with each commit
    into it, so files do not count commits)."""
    folder = out / MANIFEST_DIR
    rows = 0
    for path in folder.glob("*.parquet") if folder.exists() else ():
        with contextlib.suppress(FileNotFoundError):
            rows += pq.read_metadata(path).num_rows
    return rows


def _run_and_kill(
    raw: Path, out: Path, env: dict[str, str], batches: int, extra: float, during_write: bool
) -> str:
    """Kill the run `extra` seconds after `batches` more batches are committed (or, for
    `during_write`, as soon as a commit is seen under way after that)."""
    seen, commits = _committed(out), 0
    process = _start(raw, out, env)
    how = "after a delay"
    while process.poll() is None and commits < batches:
        now = _committed(out)
        commits, seen = commits + (now > seen), now
        time.sleep(0.02)
    deadline = time.monotonic() + extra
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    while during_write and process.poll() is None:
        if _committing(out):
            how = "during a commit"
            break
        time.sleep(0.001)
    if process.poll() is not None:
        return f"finished before the kill (exit {process.returncode})"
    _kill(process)
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
        batches, extra = rng.randint(0, 2), rng.uniform(0.0, 0.1)
        outcomes.append(
            _run_and_kill(raw, out, prefect_env, batches, extra, during_write=kill % 2 == 1)
        )
    print("kills:", outcomes)
    assert outcomes.count("during a commit") >= 2, outcomes
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
    assert not list((out / JOURNAL_DIR).glob("*"))


# --------------------------------------------------------------------------------------
# Kills in the entity merge
# --------------------------------------------------------------------------------------


def _staged_entities(out: Path) -> list[Path]:
    folder = out / ENTITY_STAGING_DIR
    return sorted(folder.glob("*.parquet")) if folder.exists() else []


def _entity_files(out: Path) -> set[Path]:
    folder = out / "entities"
    return set(folder.glob("*/*.parquet")) if folder.exists() else set()


def _entity_temporary_files(out: Path) -> list[Path]:
    folder = out / "entities"
    return sorted(folder.glob("*/.*.tmp")) if folder.exists() else []


class _Opens:
    """Files opened in one folder since the last call (Linux inotify, through ctypes): here,
    the merge reading the staged entity rows, which nothing else in a run opens."""

    IN_OPEN, IN_ISDIR = 0x20, 0x40000000

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, bytes(folder), self.IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), f"inotify on {folder}")

    def wait(self, timeout: float) -> bool:
        """Whether a file in the folder was opened, waiting up to `timeout` seconds."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return False
        opened, offset = False, 0
        while offset < len(data):  # struct inotify_event: wd, mask, cookie, len, name
            _, mask, _, length = struct.unpack_from("iIII", data, offset)
            opened |= length > 0 and not mask & self.IN_ISDIR  # a file in the folder
            offset += 16 + length
        return opened

    def close(self) -> None:
        os.close(self.fd)


def _run_and_kill_in_merge(raw: Path, out: Path, env: dict[str, str], how: str) -> str:
    """Start a run and kill it in the entity merge: the moment the merge opens a staged
    entity file (`how="read"`), a temporary file appears under `entities/` (`how="write"`)
    or a new entities file does (`how="written"`). The run is frozen (SIGSTOP) the moment the
    watch sees the merge open a staged file, then let go on in slices of a fraction of a
    millisecond, looked at while frozen, until its mark shows; then killed. No kill depends
    on a delay, nor (where the test may take a real-time priority) on how busy the machine
    is. Returns where the kill landed, judged from what it left behind."""
    before = _entity_files(out)
    marks: dict[str, Callable[[], bool]] = {
        "read": lambda: True,
        "write": lambda: bool(_entity_temporary_files(out)),
        "written": lambda: not _entity_files(out) <= before,
    }
    (out / ENTITY_STAGING_DIR).mkdir(parents=True, exist_ok=True)
    opens = _Opens(out / ENTITY_STAGING_DIR)
    process = _start(raw, out, env, entities=True)
    try:
        reading = False
        while process.poll() is None and not reading:
            reading = opens.wait(0.05)
        if not (reading and _freeze(process) and _step_until(process, marks[how])):
            with contextlib.suppress(ProcessLookupError):  # none of the run left stopped
                os.killpg(process.pid, signal.SIGCONT)
            process.wait(timeout=60)
            return f"finished before the kill (exit {process.returncode})"
        _kill(process)
    finally:
        opens.close()
    if not _staged_entities(out):
        return "after the merge"
    if _entity_temporary_files(out):
        return "merge: during the entities write"
    if _entity_files(out) - before:
        return "merge: entities written, staged rows not yet removed"
    return "merge: reading staged rows"


def _freeze(process: subprocess.Popen[bytes]) -> bool:
    """Stop the run's processes and wait until the run's own is stopped; False if it ended."""
    try:
        os.killpg(process.pid, signal.SIGSTOP)
    except ProcessLookupError:
        return False
    while (state := _process_state(process.pid)) not in ("T", "t"):
        if state in ("Z", "X", None):
            return False
        time.sleep(0.00001)  # give the processor up: the run must get it to stop
    return True


def _process_state(pid: int) -> str | None:
    """The state letter of a process (`/proc/<pid>/stat`), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def _step_until(process: subprocess.Popen[bytes], mark: Callable[[], bool]) -> bool:
    """Let a frozen run go on in slices of about 0.2 ms until `mark()` holds while it is frozen.
    The slice is spun, not slept, at a real-time priority where allowed (root), so that other
    work on the machine cannot stretch it past the few milliseconds of the entities write."""
    policy = os.sched_getscheduler(0), os.sched_getparam(0)
    with contextlib.suppress(PermissionError):
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
    try:
        while not mark():
            os.killpg(process.pid, signal.SIGCONT)
            end = time.perf_counter() + 0.0002
            while time.perf_counter() < end:
                pass
            if not _freeze(process):
                return False
        return True
    finally:
        os.sched_setscheduler(0, *policy)


def _run_and_kill_in_batches(raw: Path, out: Path, env: dict[str, str], delay: float) -> str:
    """Kill a run `delay` seconds after its first batch is committed."""
    process = _start(raw, out, env, entities=True)
    while process.poll() is None and _committed(out) < 1:
        time.sleep(0.02)
    time.sleep(delay)
    if process.poll() is not None:
        return f"finished before the kill (exit {process.returncode})"
    _kill(process)
    return "batches"


@pytest.mark.skipif(sys.platform != "linux", reason="the merge is spotted with inotify")
def test_kill_9_in_the_entity_merge_then_rerun_equals_one_clean_run(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    raw = tmp_path / "raw"
    generate_corpus(raw, ENTITY_INPUTS, seed=11, workers=1)
    clean, out = tmp_path / "clean", tmp_path / "out"
    _run(raw, clean, prefect_env, entities=True)
    expected = snapshot(clean)
    assert expected["entities"] and expected["mentions"], "the clean run found no entities"

    rng = Random(ENTITY_SEED)
    # First a kill among the batches, so the merge folds staged rows of two runs; then
    # kills in the merge (the next run commits the other batches first; the runs after it
    # have nothing to process and go straight to the merge of what earlier runs staged).
    # A merge that completes leaves nothing staged, so no later run merges: stop there.
    # The last kill aims at the tiny window between the rename and the removals.
    outcomes = [_run_and_kill_in_batches(raw, out, prefect_env, rng.uniform(0.0, 1.0))]
    for how in ("read", "write", "read", "write", "written"):
        outcomes.append(_run_and_kill_in_merge(raw, out, prefect_env, how))
        if not outcomes[-1].startswith("merge:"):
            break
    print("kills:", outcomes)
    in_merge = [o for o in outcomes if o.startswith("merge:")]
    assert len(in_merge) >= 2, f"fewer than two kills landed in the merge window: {outcomes}"
    assert "merge: during the entities write" in in_merge, outcomes
    for path in out.rglob("*.parquet"):  # what readers see after a kill is always whole
        if not path.name.startswith("."):
            pq.read_table(path)

    _run(raw, out, prefect_env, entities=True)
    got = snapshot(out)  # every table, without first_seen_at and the other per-run columns
    for name in expected:
        assert len(got[name]) == len(expected[name]), (name, outcomes)
        assert got[name] == expected[name], (name, outcomes)
    ids = [r["entity_id"] for r in got["entities"]]
    assert len(ids) == len(set(ids))
    assert {r["entity_id"] for r in got["mentions"]} <= set(ids)
    assert not _staged_entities(out)
    assert not _temporary_files(out)
