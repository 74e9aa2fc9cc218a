"""The Prefect server that `newsetl run` records its flow runs on.

Which one: `PREFECT_API_URL` when it is set (your own server, or Prefect Cloud); else the
newsetl server, a local Prefect server (`prefect server start`, SQLite under PREFECT_HOME,
UI included) that the first `newsetl run` starts and later runs reuse, so that only the first
run pays the ~10 s of a server's start-up. It is kept on purpose: `newsetl server status`
shows it, `newsetl server stop` stops it, and it stops itself after
`NEWSETL_SERVER_IDLE_MINUTES` (60 by default) without a run.

It runs under a small keeper process (`python -m flows.server keep`) that starts the server,
stops it when idle, and removes the state file (`PREFECT_HOME/newsetl-server.json`) when it
ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from flows.processes import process_alive

DEFAULT_PORT = 4210  # beside Prefect's own default (4200), so that both can run
IDLE_MINUTES = 60.0
START_TIMEOUT = 120.0
PORT_ATTEMPTS = 3  # a port another process takes between our choice and our bind


@dataclass(frozen=True, slots=True)
class ServerState:
    """A running newsetl server: its keeper's pid, its API URL, when it started."""

    pid: int
    api_url: str
    started_at: str
    log: str

    @property
    def ui_url(self) -> str:
        """The server's UI."""
        return self.api_url.removesuffix("/api")


def prefect_home() -> Path:
    """Where Prefect keeps its database and settings (and newsetl its server's state)."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _state_file() -> Path:
    return prefect_home() / "newsetl-server.json"


def _last_used_file() -> Path:
    return prefect_home() / "newsetl-server.last-used"


def idle_minutes() -> float:
    """How long the newsetl server waits for a run before it stops itself."""
    value = os.environ.get("NEWSETL_SERVER_IDLE_MINUTES", "")
    try:
        return float(value) if value else IDLE_MINUTES
    except ValueError:
        return IDLE_MINUTES


def _healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect server answers at `api_url` and keeps its database in this
    PREFECT_HOME: another home's server on the same port (a second user, a parallel test
    suite) is not ours, however healthy."""
    try:
        with urllib.request.urlopen(f"{api_url}/admin/settings", timeout=timeout) as answer:
            home = json.loads(answer.read()).get("home")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(home, str) and Path(home).expanduser().resolve() == prefect_home().resolve()


def _read_state() -> ServerState | None:
    try:
        return ServerState(**json.loads(_state_file().read_text()))
    except (OSError, ValueError, TypeError):
        return None


def server_status() -> ServerState | None:
    """The newsetl server when it runs and answers, else None."""
    state = _read_state()
    if state is not None and process_alive(state.pid) and _healthy(state.api_url):
        return state
    return None


@contextlib.contextmanager
def _exclusive() -> Iterator[None]:
    """One newsetl at a time decides whether to start the server."""
    prefect_home().mkdir(parents=True, exist_ok=True)
    with open(prefect_home() / "newsetl-server.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError("no free port on 127.0.0.1")


def mark_used() -> None:
    """Tell the keeper a run is using the server (it stops after a while without one)."""
    _last_used_file().touch()


@contextlib.contextmanager
def using_server() -> Iterator[None]:
    """Keep telling the keeper that a run is using the server, for as long as the block runs
    (a run may last longer than the idle time)."""
    every = min(20.0, idle_minutes() * 60 / 3)
    done = threading.Event()

    def beat() -> None:
        while not done.wait(every):
            mark_used()

    mark_used()
    thread = threading.Thread(target=beat, name="newsetl-server-in-use", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        mark_used()


def ensure_server(port: int = DEFAULT_PORT) -> tuple[ServerState, bool]:
    """The running newsetl server, started when there is none; and whether it was started.

    A keeper holds `newsetl-server.keeper` locked for its whole life, from before it is
    started (the lock is taken here, then inherited): a newsetl killed while the server
    starts leaves a keeper that the next newsetl finds and waits for (adopts), never a second
    server on the same database.
    """
    with _exclusive():
        running = server_status()
        if running:
            mark_used()
            return running, False
        started = not _keeper_running()
        state = _start_keeper(_free_port(port)) if started else _wait_for_state()
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(state.api_url, timeout=1.0):
            state = _read_state() or state  # the keeper moves to another port if it must
            if not _keeper_running() or time.monotonic() > deadline:
                if started:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(state.pid, signal.SIGTERM)
                raise RuntimeError(f"the Prefect server did not start; its log: {state.log}")
            time.sleep(0.2)
        mark_used()  # idle time counts from now, not from the (long) first start
        return state, started


def _keeper_lock() -> Path:
    return prefect_home() / "newsetl-server.keeper"


def _keeper_running() -> bool:
    """Whether a keeper (starting or running) holds its lock."""
    fd = os.open(_keeper_lock(), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _wait_for_state() -> ServerState:
    """The state of a keeper that is starting: it writes its state file first thing."""
    deadline = time.monotonic() + START_TIMEOUT
    while (state := _read_state()) is None:
        if time.monotonic() > deadline or not _keeper_running():
            raise RuntimeError("a newsetl server is starting but says nothing")
        time.sleep(0.2)
    return state


def _start_keeper(port: int) -> ServerState:
    """Start the keeper of a new server on `port`, holding the keeper lock from before it
    exists, and record it in the state file."""
    log = prefect_home() / "newsetl-server.log"
    mark_used()
    lock = os.open(_keeper_lock(), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # inherited: held until the keeper ends
        with open(log, "ab") as handle:
            keeper = subprocess.Popen(
                [sys.executable, "-m", "flows.server", "keep", str(port), str(idle_minutes())],
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=handle,
                start_new_session=True,  # kept on purpose: it outlives this newsetl
                pass_fds=(lock,),
            )
    finally:
        os.close(lock)  # the keeper's copy keeps the lock
    state = _keeper_state(keeper.pid, port)
    _write_state(state)
    return state


def _keeper_state(pid: int, port: int) -> ServerState:
    return ServerState(
        pid,
        f"http://127.0.0.1:{port}/api",
        datetime.now(UTC).isoformat(timespec="seconds"),
        str(prefect_home() / "newsetl-server.log"),
    )


def _write_state(state: ServerState) -> None:
    temporary = _state_file().with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(asdict(state)))
    os.replace(temporary, _state_file())


def stop_server() -> ServerState | None:
    """Stop the newsetl server; returns what was stopped (None when none ran)."""
    with _exclusive():
        state = server_status()
        if state is None:
            _state_file().unlink(missing_ok=True)
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(state.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while process_alive(state.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        _state_file().unlink(missing_ok=True)
        return state


def keep(port: int, idle: float) -> int:
    """Run a Prefect server and stop it once no run has used it for `idle` minutes."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    prefect = str(Path(sys.executable).parent / "prefect")
    stopping = threading.Event()
    started: list[subprocess.Popen[bytes]] = []

    def stop(*_: object) -> None:
        stopping.set()
        for server in started[-1:]:
            server.terminate()

    signal.signal(signal.SIGTERM, stop)
    for attempt in range(PORT_ATTEMPTS):
        if attempt:  # the port was free when chosen, and taken before the server bound it
            port = _free_port(0)
        _write_state(_keeper_state(os.getpid(), port))  # first thing: a newsetl may wait
        server = subprocess.Popen(
            [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        started.append(server)
        api_url = f"http://127.0.0.1:{port}/api"
        while server.poll() is None and not _healthy(api_url, timeout=1.0):
            time.sleep(0.5)  # idle time counts from when the server answers
        if server.poll() is None or stopping.is_set():
            break
    ready = time.time()
    check = max(1.0, min(30.0, idle * 60 / 4))
    try:
        while True:
            try:
                return server.wait(timeout=check)  # returns at once when the server ends
            except subprocess.TimeoutExpired:
                pass
            try:
                last_used = max(ready, _last_used_file().stat().st_mtime)
            except OSError:
                last_used = ready
            if time.time() - last_used > idle * 60:
                print(f"newsetl: no run for {idle:g} minutes: stopping the server", flush=True)
                server.terminate()
    finally:
        with contextlib.suppress(OSError):
            if json.loads(_state_file().read_text()).get("pid") == os.getpid():
                _state_file().unlink()


if __name__ == "__main__":
    if sys.argv[1:2] == ["keep"]:
        sys.exit(keep(int(sys.argv[2]), float(sys.argv[3])))
    sys.exit("usage: python -m flows.server keep PORT IDLE_MINUTES")
