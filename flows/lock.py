"""One writer per output: the `_lock` file in the output folder.

On a local disk the lock is an exclusive `flock` on `OUT/_lock`, which the kernel drops when
its holder dies (kill -9 included), so a stale lock is never a problem: the next run takes
it. The file names the holder (pid, host, start time) for the message a second run shows.
On object storage there is no such primitive: the lock is an object holding the same
record, taken when absent; one left by a killed run is taken over when its holder's host
is this one and its pid is gone, or after `STALE_SECONDS`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from flows.storage import filesystem, is_local

LOCK_NAME = "_lock"
STALE_SECONDS = 6 * 3600
POLL_SECONDS = 1.0


class OutputLocked(RuntimeError):
    """Another run holds the output folder."""


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def describe(holder: dict[str, object]) -> str:
    """The holder of a lock, for a person."""
    return (
        f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
        f"running since {holder.get('started_at', '?')}"
    )


@contextlib.contextmanager
def output_lock(
    out: str, wait: bool = False, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the output's lock for the duration; raise `OutputLocked` naming the holder if
    another run has it (or, with `wait`, wait for it, calling `on_wait` once)."""
    acquire = _lock_local if is_local(out) else _lock_remote
    with acquire(out, wait, on_wait):
        yield


@contextlib.contextmanager
def _lock_local(out: str, wait: bool, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    _, root = filesystem(out)
    os.makedirs(root, exist_ok=True)
    path = os.path.join(root, LOCK_NAME)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_local(fd)
            if not wait:
                raise OutputLocked(
                    f"{root} is in use by another newsetl run ({describe(holder)})"
                ) from None
            if on_wait:
                on_wait(f"waiting for the other newsetl run on {root} ({describe(holder)})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(_holder()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing drops the flock


def _read_local(fd: int) -> dict[str, object]:
    try:
        loaded = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


@contextlib.contextmanager
def _lock_remote(out: str, wait: bool, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    fs, root = filesystem(out)
    path = f"{root}/{LOCK_NAME}"
    told = False
    while True:
        holder = _read_remote(fs, path)
        if holder is None or _stale(holder):
            break
        if not wait:
            raise OutputLocked(f"{out} is in use by another newsetl run ({describe(holder)})")
        if on_wait and not told:
            on_wait(f"waiting for the other newsetl run on {out} ({describe(holder)})")
            told = True
        time.sleep(POLL_SECONDS)
    mine = _holder()
    with fs.open(path, "wb") as handle:
        handle.write(json.dumps(mine).encode())
    try:
        yield
    finally:
        if _read_remote(fs, path) == mine:
            fs.rm(path)


def _read_remote(fs: object, path: str) -> dict[str, object] | None:
    try:
        with fs.open(path, "rb") as handle:  # type: ignore[attr-defined]
            loaded = json.loads(handle.read() or b"{}")
    except FileNotFoundError:
        return None
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _stale(holder: dict[str, object]) -> bool:
    """Whether a remote lock's holder is certainly gone: a dead pid here, or too old."""
    if holder.get("host") == socket.gethostname():
        try:
            os.kill(int(str(holder.get("pid"))), 0)
        except ProcessLookupError:
            return True
        except (ValueError, PermissionError):
            pass
    started = str(holder.get("started_at", ""))
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(started)).total_seconds()
    except ValueError:
        return True
    return age > STALE_SECONDS
