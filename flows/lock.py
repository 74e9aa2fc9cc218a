"""One writer per output: a lock on the output folder that no deleted file can release.

On a local disk the lock is an exclusive `flock` on the output folder itself (its open
descriptor, kept for the run), which the kernel drops when its holder dies (kill -9
included): deleting `OUT/_lock`, which only names the holder (pid, host, start time) for the
message a second run shows, lets no second run in. Before each commit the run checks that the
folder it locked is still the one at `--out` (`Lease.check`).

On object storage the lock is an object `_lock.<n>` created with a conditional write
(`If-None-Match: *`, S3's create-if-absent): of two runs asking at once, exactly one
creates it. The highest `<n>` is the lock; one left by a killed run (its host is this one
and its pid is gone, or it is older than `STALE_SECONDS`) is taken over by creating
`_lock.<n+1>`, again conditionally. Before each commit the run checks that its object is
still there and still the highest. A store without a conditional create (anything but S3
and the local disk) is refused: `LockUnsupported` names it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from flows.layout import LOCK_NAME, remote_lock, remote_lock_number
from flows.storage import filesystem, is_local

STALE_SECONDS = 6 * 3600
POLL_SECONDS = 1.0


class OutputLocked(RuntimeError):
    """Another run holds the output folder."""


class LockLost(RuntimeError):
    """The run's lock is no longer its own (its folder or object was removed or replaced)."""


class LockUnsupported(OutputLocked):
    """The output's store has no conditional create, so it cannot be locked safely."""


@dataclass(frozen=True, slots=True)
class Lease:
    """A held lock: `check()` raises LockLost unless it is still held (called before each
    commit)."""

    check: Callable[[], None]


def _no_check() -> None:
    pass


UNCHECKED = Lease(_no_check)  # for a commit outside a run (tests, benchmarks)


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "token": uuid.uuid4().hex,  # tells two holders of one pid and second apart
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
) -> Iterator[Lease]:
    """Hold the output's lock for the duration; raise `OutputLocked` naming the holder if
    another run has it (or, with `wait`, wait for it, calling `on_wait` once)."""
    acquire = _lock_local if is_local(out) else _lock_remote
    with acquire(out, wait, on_wait) as lease:
        yield lease


@contextlib.contextmanager
def _lock_local(out: str, wait: bool, on_wait: Callable[[str], None] | None) -> Iterator[Lease]:
    _, root = filesystem(out)
    os.makedirs(root, exist_ok=True)
    path = os.path.join(root, LOCK_NAME)
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_local(path)
            if not wait:
                raise OutputLocked(
                    f"{root} is in use by another newsetl run ({describe(holder)})"
                ) from None
            if on_wait:
                on_wait(f"waiting for the other newsetl run on {root} ({describe(holder)})")
            fcntl.flock(folder, fcntl.LOCK_EX)
        _write_local(path, json.dumps(_holder()).encode())
        locked = os.fstat(folder)

        def check() -> None:
            try:
                same = os.path.samestat(os.stat(root), locked)
            except OSError:
                same = False
            if not same:
                raise LockLost(
                    f"{root} was removed or replaced during the run: nothing more is committed"
                )

        yield Lease(check)
    finally:
        os.close(folder)  # closing drops the flock


def _write_local(path: str, data: bytes) -> None:
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _read_local(path: str) -> dict[str, object]:
    try:
        with open(path, "rb") as handle:
            loaded = json.loads(handle.read(4096) or b"{}")
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


@contextlib.contextmanager
def _lock_remote(out: str, wait: bool, on_wait: Callable[[str], None] | None) -> Iterator[Lease]:
    fs, root = filesystem(out)
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    if "s3" not in protocols:
        raise LockUnsupported(
            f"{out}: this store has no conditional create (If-None-Match), so newsetl cannot "
            "make sure only one run writes there; use a local folder or S3"
        )
    told = False
    while True:
        number, holder = _highest_remote(fs, root)
        if holder is None or _stale(holder):
            mine = _holder()
            path = f"{root}/{remote_lock(number + 1)}"
            try:
                fs.pipe_file(path, json.dumps(mine).encode(), mode="create")
                break
            except FileExistsError:  # another run created it first: it holds the lock
                continue
        if not wait:
            raise OutputLocked(f"{out} is in use by another newsetl run ({describe(holder)})")
        if on_wait and not told:
            on_wait(f"waiting for the other newsetl run on {out} ({describe(holder)})")
            told = True
        time.sleep(POLL_SECONDS)

    def check() -> None:
        if _highest_remote(fs, root) != (number + 1, mine):
            raise LockLost(
                f"{path} was removed or taken over during the run: nothing more is committed"
            )

    try:
        yield Lease(check)
    finally:
        if _read_remote(fs, path) == mine:
            fs.rm(path)


def _highest_remote(fs: object, root: str) -> tuple[int, dict[str, object] | None]:
    """The highest lock number under `root` and its holder (0 and None when there is none)."""
    numbers = []
    fs.invalidate_cache(root)  # type: ignore[attr-defined]
    try:
        listing = fs.ls(root, detail=False)  # type: ignore[attr-defined]
    except FileNotFoundError:
        listing = []
    for path in listing:
        name = str(path).rsplit("/", 1)[-1]
        if (number := remote_lock_number(name)) is not None:
            numbers.append(number)
    for number in sorted(numbers, reverse=True):
        holder = _read_remote(fs, f"{root}/{remote_lock(number)}")
        if holder is not None:
            return number, holder
    return max(numbers, default=0), None


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
