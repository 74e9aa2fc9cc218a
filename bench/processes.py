"""Run a command and watch its process tree: wall seconds, peak resident memory, output."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Measured:
    """One subprocess: wall seconds, peak RSS of its process tree (MB), its output."""

    wall: float
    peak_rss_mb: float
    output: str
    returncode: int


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants."""
    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_sampled(
    cmd: list[str], env: dict[str, str], sample: Callable[[psutil.Process], None], interval: float
) -> tuple[float, str, int]:
    """Run a command, calling `sample` on its process every `interval` seconds while it
    runs; wall seconds, its output and its exit status."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    watched = psutil.Process(proc.pid)
    chunks: list[str] = []
    reader = threading.Thread(
        target=lambda: chunks.append(proc.stdout.read() if proc.stdout else "")
    )
    reader.start()
    while proc.poll() is None:
        sample(watched)
        time.sleep(interval)
    reader.join()
    return time.perf_counter() - started, "".join(chunks), proc.returncode


def measure(cmd: list[str], env: dict[str, str], interval: float = 0.1) -> Measured:
    """Run a command, sampling the RSS of its process tree; wall time and peak RSS."""
    peaks = [0]
    wall, output, returncode = run_sampled(
        cmd, env, lambda proc: peaks.append(max(peaks.pop(), tree_rss(proc))), interval
    )
    return Measured(wall, peaks[0] / 2**20, output, returncode)
